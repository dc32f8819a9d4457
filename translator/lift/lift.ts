// The lifter (D5): one guest function → one Wasm function. Each basic block's instructions run their semantics
// against the WasmEmitter; Binaryen's Relooper turns the blocks and edges into structured control flow.
//
// Function shape, type (entry: i32, depth: i32) -> i32:
//   if fuel < 0: pc = entry; return FUEL          (fuel is checked on entry and at back-edges: D6)
//   load the registers live on entry from the state globals into locals, then the blocks.
// Calls (BL/BLR) are Wasm calls with depth + 1: when the callee returns RET with pc = our return address we
// reload the registers live after the call and go on; any other outcome returns outward to the engine's loop.
// RET returns RET; branches to other functions leave through the dispatcher.
//
// Register traffic follows two dataflows over the blocks (X0–X30 and SP as bit masks): *dirty* (written since
// the last sync point — entry, a call, an SVC — on some path) decides what each exit or call writes back;
// *liveness* (read before written, counting those writebacks as reads) decides what entry and each return from
// a call reload. A register is thus written back only from a local that holds its value on every path.
import binaryen from 'binaryen';
import { globalGet, globalSet } from '../emit/names.js';
import { decodeCached } from '../a64/decoder.js';
import type { CodeSource, GuestFunction } from '../discover/discover.js';
import { EXIT, MAX_DEPTH, V_GLOBALS, X_GLOBALS } from '../emit/abi.js';
import { FLAGS, WasmEmitter, type Terminator } from './wasm-emitter.js';

type Ref = binaryen.ExpressionRef;

/** What the lifter needs to know about the module around the function. */
export interface ModuleContext {
  /** Name of the Wasm function translating the guest function that starts at addr, if the module has one. */
  nameOf(addr: number): string | null;
  /** Name of the module's dispatch function: (depth: i32) -> i32, jumps to the `pc` global's translation. */
  readonly dispatch: string;
  /** Name of the module's (kind: i32, a: i64, b: i64, eager: i32) -> i32 function giving NZCV of lazy flags. */
  readonly flags: string;
}

/** Binaryen's Block.appendChild, which its type declarations leave out: fills a placeholder block. */
const appendChild = (binaryen as unknown as { Block: { appendChild(b: Ref, c: Ref): number } }).Block.appendChild;

export const FUNC_PARAMS = () => binaryen.createType([binaryen.i32, binaryen.i32]);

export function functionName(addr: number): string {
  return `f${addr.toString(16)}`;
}

interface LiftedBlock {
  start: number;
  end: number;
  stmts: Ref[];
  term: Terminator | null;
  /** Address of the terminating instruction. */
  termPc: number;
  /** Lazy flags: read before set, set at all, the kind at the end, and where to make them eager. */
  readsFlagsFirst: boolean;
  setsFlags: boolean;
  endKind: number | null;
  materialize: Ref;
  /** Register dataflow facts (see WasmEmitter): masks over X0–X30, SP. */
  defs: number;
  usesFirst: number;
  localDirty: number;
  hadSync: boolean;
  hasWriteback: boolean;
  /** Control may leave the function from inside the block (an exit, a call, an SVC): not just a fuel gate. */
  leaves: boolean;
  /** Successor block indexes inside the function; `call`: the block ends in a call (a sync point). */
  succ: number[];
  call: boolean;
}

/** Switches with at least this many candidates, spread over fewer than SWITCH_TABLE_MAX words, use a br_table. */
const SWITCH_TABLE_MIN = 8;
const SWITCH_TABLE_MAX = 1 << 14;

/** A flags "kind" of the lifter's own: the flags are in the state globals, the flag locals do not hold them. */
const IN_STATE = -1;

const bitsOf = (mask: number): number[] => {
  const out: number[] = [];
  for (let n = 0; n < 32; n++) if (mask & (1 << n)) out.push(n);
  return out;
};

/** Adds the Wasm function for `fn` to the module; returns the helpers it calls (name → arity). */
export function liftFunction(m: binaryen.Module, img: CodeSource, fn: GuestFunction, ctx: ModuleContext): Map<string, number> {
  // Writebacks made while lifting (SVCs, alignment faults) get placeholder blocks, filled once the dataflow knows
  // which registers they must write.
  const midWritebacks: { b: Ref; block: number; mask: number; hadSync: boolean; kind: number | null }[] = [];
  const x0Reloads: Ref[] = [];
  let curBlock = 0;
  const e: WasmEmitter = new WasmEmitter(m, {
    writeback: () => {
      const b = m.block(null, []);
      midWritebacks.push({ b, block: curBlock, mask: e.localDirty, hadSync: e.hadSync, kind: e.kind });
      return b;
    },
    reloadX0: () => {
      const b = m.block(null, []);
      x0Reloads.push(b);
      return b;
    },
  });
  const i32 = binaryen.i32;
  const i64 = binaryen.i64;
  const entryParam = () => m.local.get(0, i32);
  const depthParam = () => m.local.get(1, i32);
  const k64 = (v: number) => m.i64.const(v | 0, Math.floor(v / 2 ** 32) | 0);
  const setPc = (v: Ref) => globalSet(m, 'pc', v);

  // 1. Semantics of every instruction, block by block.
  const lifted: LiftedBlock[] = [];
  fn.blocks.forEach((b, bi) => {
    curBlock = bi;
    e.beginBlock();
    e.emit(m.local.set(e.fuelL, m.i32.sub(m.local.get(e.fuelL, i32), m.i32.const((b.end - b.start) / 4))));
    let term: Terminator | null = null;
    let termPc = b.end - 4;
    for (let pc = b.start; pc < b.end; pc += 4) {
      const w = img.word(pc);
      const d = w === null ? null : decodeCached(w);
      e.pc = BigInt(pc);
      e.term = null;
      if (!d || !d.enc.exec || (d.enc.ext !== undefined && d.enc.ext !== 'base')) e.undefined();
      else d.enc.exec(e, d.f, BigInt(pc));
      if (e.term) {
        term = e.term;
        termPc = pc;
        break;
      }
    }
    const materialize = m.block(null, []);
    e.stmts.push(materialize);
    lifted.push({
      start: b.start,
      end: b.end,
      stmts: e.stmts,
      term,
      termPc,
      readsFlagsFirst: e.readsFlagsFirst,
      setsFlags: e.setsFlags,
      endKind: e.kind,
      materialize,
      defs: e.blockDefs,
      usesFirst: e.usesFirst,
      localDirty: e.localDirty,
      hadSync: e.hadSync,
      hasWriteback: e.hasWriteback,
      leaves: e.hasWriteback,
      succ: [],
      call: false,
    });
  });

  // 2. The CFG inside the function: where each block goes, and which of its ways out leave the function.
  const starts = new Map<number, number>(); // block start -> index
  lifted.forEach((b, i) => starts.set(b.start, i));
  // A switch's candidate is chosen by a condition, or (switch blocks, see below) by its slot in a br_table.
  type Out = { to: number; cond: Ref | null; slot?: number };
  /** Blocks ending in a switch of many candidates: the br_table's index (DEFAULT_SLOT: none matched). */
  const switchIndex = new Map<number, Ref>();
  const outs: Out[][] = lifted.map(() => []);
  lifted.forEach((b, i) => {
    const t = b.term;
    const go = (to: number, cond: Ref | null, slot?: number) => {
      outs[i].push({ to, cond, slot });
      if (starts.has(to)) b.succ.push(starts.get(to)!);
      else b.hasWriteback = b.leaves = true;
      if (starts.has(to) && to <= b.start) b.hasWriteback = true; // a back-edge: its fuel gate may exit
    };
    if (t === null) go(b.end, null);
    else if (t.kind === 'branch') {
      if (t.branch === 'call') b.call = b.hasWriteback = b.leaves = true;
      go(t.branch === 'call' ? b.termPc + 4 : Number(t.target), null);
    } else if (t.kind === 'cond') {
      // The Relooper takes one branch per pair of blocks: a condition that goes to the next instruction either
      // way is just a fallthrough.
      if (Number(t.target) !== b.termPc + 4) go(Number(t.target), e.exb(t.cond));
      go(b.termPc + 4, null);
    } else if (t.kind === 'reg' && t.branch === 'call') {
      b.call = b.hasWriteback = b.leaves = true;
      go(b.termPc + 4, null);
    } else {
      b.hasWriteback = b.leaves = true; // RET, BR, BRK, undefined: exits
      // A recognised switch: the computed target is compared with the table's candidates; anything else (the
      // guess was wrong, the table changed) leaves through the dispatcher as any BR does.
      if (t.kind === 'reg' && t.branch === 'jump') {
        const target = t.target;
        const cases = (fn.switches.get(b.termPc) ?? []).filter((c) => starts.has(c));
        const lo = Math.min(...cases);
        const span = (Math.max(...cases) - lo) / 4;
        if (cases.length >= SWITCH_TABLE_MIN && span < SWITCH_TABLE_MAX) {
          // Many candidates: one br_table on (target - lowest) / 4 instead of a chain of compares (Lua's
          // interpreter has 83); slots that are no candidate, and targets outside the range, take the default.
          const d = () => m.i64.sub(e.ex(target), k64(lo));
          const fits = m.i32.and(m.i64.le_u(d(), k64(span * 4)), m.i64.eqz(m.i64.and(d(), k64(3))));
          switchIndex.set(i, m.select(fits, m.i32.wrap(m.i64.shr_u(d(), k64(2))), m.i32.const(span + 1)));
          for (const c of cases) go(c, null, (c - lo) / 4);
        } else for (const c of cases) go(c, m.i64.eq(e.ex(target), k64(c)));
      }
    }
  });

  // 3. Dataflows: dirty forward, then liveness backward (a writeback reads what is dirty where it happens).
  const dirtyIn = lifted.map(() => 0);
  const dirtyAtEnd = (i: number) => (lifted[i].hadSync ? lifted[i].localDirty : dirtyIn[i] | lifted[i].localDirty);
  // What is dirty on the block's ways out. A call writes everything back before it and reloads only what is live
  // at its return site, so after it nothing is dirty — and the locals of registers dead there are stale: writing
  // them back when the return site lies outside the function (an exit) would undo the callee's results.
  const dirtyOut = (i: number) => (lifted[i].call ? 0 : dirtyAtEnd(i));
  for (let changed = true; changed; ) {
    changed = false;
    lifted.forEach((b, i) => {
      const out = dirtyOut(i);
      for (const j of b.succ) {
        if ((dirtyIn[j] | out) !== dirtyIn[j]) {
          dirtyIn[j] |= out;
          changed = true;
        }
      }
    });
  }
  const liveIn = lifted.map((b, i) => b.usesFirst | (b.hasWriteback ? dirtyIn[i] : 0));
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = lifted.length - 1; i >= 0; i--) {
      const b = lifted[i];
      let out = 0;
      if (!b.call) for (const j of b.succ) out |= liveIn[j];
      const v = liveIn[i] | (out & ~b.defs);
      if (v !== liveIn[i]) {
        liveIn[i] = v;
        changed = true;
      }
    }
  }
  const usedMask = [...e.usedX].reduce((a, n) => a | (1 << n), 0);

  // What the guest itself may still read at the start of each block: registers read before written, where
  // anything that leaves the function (an exit, a call, an SVC) reads them all. A fuel exit resumes at a loop
  // header, so it writes back only what is dirty and still needed there: a loop's scratch registers and flags
  // then stop being live across it (crc32's inner loop kept its lazy flags' operands alive for that exit).
  const needed = lifted.map((b) => b.usesFirst | (b.leaves ? -1 : 0));
  const flagsNeeded = lifted.map((b) => b.readsFlagsFirst || b.leaves);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = lifted.length - 1; i >= 0; i--) {
      const b = lifted[i];
      let out = 0;
      for (const j of b.succ) out |= needed[j];
      const v = needed[i] | (out & ~b.defs);
      const f = flagsNeeded[i] || (!b.setsFlags && b.succ.some((j) => flagsNeeded[j]));
      if (v !== needed[i] || f !== flagsNeeded[i]) {
        needed[i] = v;
        flagsNeeded[i] = f;
        changed = true;
      }
    }
  }

  /**
   * Loads the registers of `mask`, and the flags: 'eager' for code that reads them, 'lazy' (as stored) where a
   * writeback may need them in the locals, 'none' where they may stay in the state (kind IN_STATE).
   */
  function load(mask: number, flags: 'eager' | 'lazy' | 'none'): Ref[] {
    const out: Ref[] = [];
    for (const n of bitsOf(mask & usedMask)) out.push(m.local.set(e.xl[n], globalGet(m, n === 31 ? 'sp' : X_GLOBALS[n], i64)));
    if (e.nzcvUsed && flags !== 'none') out.push(...loadFlags());
    if (e.nzcvUsed && flags === 'eager') out.push(m.local.set(e.nzcvL, nzcvOfLocals()), m.local.set(e.fK, m.i32.const(FLAGS.EAGER)));
    for (const n of [...e.usedV].sort((a, b) => a - b)) {
      const [lo, hi] = V_GLOBALS[n];
      out.push(m.local.set(e.vl[n], m.i64x2.replace_lane(m.i64x2.splat(globalGet(m, lo, i64)), 1, globalGet(m, hi, i64))));
    }
    out.push(m.local.set(e.fuelL, globalGet(m, 'fuel', i32)));
    return out;
  }
  function loadFlags(): Ref[] {
    return [
      m.local.set(e.nzcvL, globalGet(m, 'nzcv', i32)),
      m.local.set(e.fK, globalGet(m, 'nzcvK', i32)),
      m.local.set(e.fA, globalGet(m, 'nzcvA', i64)),
      m.local.set(e.fB, globalGet(m, 'nzcvB', i64)),
    ];
  }
  /** Writes back the registers of `mask`, and the flags; `kind`: the lazy flags' kind there, when known. */
  function store(mask: number, kind: number | null, flags = true): Ref[] {
    const out: Ref[] = [];
    for (const n of bitsOf(mask)) out.push(globalSet(m, n === 31 ? 'sp' : X_GLOBALS[n], m.local.get(e.xl[n], i64)));
    if (e.nzcvWritten && flags && kind !== IN_STATE) {
      // Lazy flags go to the state as they are (see I32_GLOBALS); `kind` null: the kind is in fK at run time.
      if (kind === FLAGS.EAGER) out.push(globalSet(m, 'nzcv', m.local.get(e.nzcvL, i32)), globalSet(m, 'nzcvK', m.i32.const(kind)));
      else {
        out.push(
          globalSet(m, 'nzcvK', kind === null ? m.local.get(e.fK, i32) : m.i32.const(kind)),
          globalSet(m, 'nzcvA', m.local.get(e.fA, i64)),
          globalSet(m, 'nzcvB', m.local.get(e.fB, i64)),
        );
        if (kind === null) out.push(globalSet(m, 'nzcv', m.local.get(e.nzcvL, i32)));
      }
    }
    for (const n of [...e.writtenV].sort((a, b) => a - b)) {
      const [lo, hi] = V_GLOBALS[n];
      const v = () => m.local.get(e.vl[n], binaryen.v128);
      out.push(globalSet(m, lo, m.i64x2.extract_lane(v(), 0)), globalSet(m, hi, m.i64x2.extract_lane(v(), 1)));
    }
    out.push(globalSet(m, 'fuel', m.local.get(e.fuelL, i32)));
    return out;
  }
  /** NZCV from the flag locals, whatever kind fK holds, by the module's `nzcv` function. */
  function nzcvOfLocals(): Ref {
    const args = [m.local.get(e.fK, i32), m.local.get(e.fA, i64), m.local.get(e.fB, i64), m.local.get(e.nzcvL, i32)];
    return m.call(ctx.flags, args, i32);
  }
  for (const b of x0Reloads) if (e.usedX.has(0)) appendChild(b, m.local.set(e.xl[0], globalGet(m, X_GLOBALS[0], i64)));

  // Lazy flags: a block whose successor reads the flags before setting them makes them eager at its end.
  const flagsLive = lifted.map((b) => b.readsFlagsFirst);
  for (let changed = true; changed; ) {
    changed = false;
    lifted.forEach((b, i) => {
      if (!flagsLive[i] && !b.setsFlags && b.succ.some((j) => flagsLive[j])) {
        flagsLive[i] = true;
        changed = true;
      }
    });
  }
  /** The flags are loaded eager at function entry and at the return site of call block i when code there reads them. */
  const eagerAfterCall = (i: number) => lifted[i].succ.length > 0 && flagsLive[lifted[i].succ[0]];

  // The lazy flags' kind where each block begins, when every way in agrees: writebacks then store just what that
  // kind needs. undefined = no way in seen yet; null = unknown, or ways in disagree (the flag locals hold the
  // flags, of the kind in fK). At entry and after a call the flags are in the state, and code that does not
  // read them leaves them there (IN_STATE: neither loaded nor stored) — unless it meets a way in with other
  // flags: then the IN_STATE side loads them into the locals (flagLoad; entryLoad for the function's entry).
  const flagLoad = lifted.map(() => false);
  let entryLoad = false;
  const kindIn: (number | null | undefined)[] = [];
  const kindOut = (i: number): number | null | undefined =>
    lifted[i].call
      ? eagerAfterCall(i) ? FLAGS.EAGER : flagLoad[i] ? null : IN_STATE
      : flagLoad[i] ? null : (lifted[i].endKind ?? kindIn[i]);
  for (let again = true; again; ) {
    kindIn.length = 0;
    lifted.forEach((_, i) => kindIn.push(i === 0 ? (flagsLive[0] ? FLAGS.EAGER : entryLoad ? null : IN_STATE) : undefined));
    for (let changed = true; changed; ) {
      changed = false;
      lifted.forEach((b, i) => {
        const k = kindOut(i);
        if (k === undefined) return;
        for (const j of b.succ) {
          const v = j === 0 ? null : kindIn[j] === undefined ? k : kindIn[j] === k ? k : null;
          if (v !== kindIn[j]) {
            kindIn[j] = v;
            changed = true;
          }
        }
      });
    }
    again = false;
    if (kindIn[0] === null && !flagsLive[0] && !entryLoad) entryLoad = again = true;
    lifted.forEach((b, i) => {
      if (kindOut(i) === IN_STATE && b.succ.some((j) => kindIn[j] === null)) flagLoad[i] = again = true;
    });
  }
  lifted.forEach((b, i) => {
    if (flagLoad[i] && !b.call) for (const st of loadFlags()) appendChild(b.materialize, st);
  });
  const kindAtEnd = (i: number): number | null => lifted[i].endKind ?? kindIn[i] ?? null;
  for (const w of midWritebacks) {
    const kind = w.kind ?? kindIn[w.block] ?? null;
    for (const st of store(w.hadSync ? w.mask : dirtyIn[w.block] | w.mask, kind)) appendChild(w.b, st);
  }

  lifted.forEach((b, i) => {
    if (b.endKind !== null && b.endKind !== FLAGS.EAGER && b.succ.some((j) => flagsLive[j])) {
      for (const st of e.materialize(b.endKind)) appendChild(b.materialize, st);
    }
  });
  if (flagsLive[0]) e.nzcvUsed = true;

  // 4. Blocks, exits and calls for the Relooper. Every way out writes back what is dirty there.
  const exitCodeL = e.newLocal(i32);
  /** Exit code meaning "tail-call the dispatcher for pc" (never returned). */
  const TAIL = -1;
  const leave = (i: number, pc: Ref, code: number): Ref =>
    // After a call the flags are the callee's, in the state: the kind before the call no longer describes them.
    m.block(null, [...store(dirtyOut(i), lifted[i].call ? IN_STATE : kindAtEnd(i)), setPc(pc), m.local.set(exitCodeL, m.i32.const(code))]);
  /** A call whose target is in the pc global (already set): returns when the callee returns to `ret`. */
  const callSeq = (i: number, direct: number | null, ret: number): Ref[] => {
    const name = direct !== null ? ctx.nameOf(direct) : null;
    const deeper = m.i32.add(depthParam(), m.i32.const(1));
    const call = name ? m.call(name, [m.i32.const(direct! | 0), deeper], i32) : m.call(ctx.dispatch, [deeper], i32);
    const r = starts.get(ret);
    return [
      m.if(m.i32.ge_u(depthParam(), m.i32.const(MAX_DEPTH)), m.return(m.i32.const(EXIT.DISPATCH))),
      m.local.set(exitCodeL, call),
      m.if(
        m.i32.or(m.local.get(exitCodeL, i32), m.i64.ne(globalGet(m, 'pc', i64), k64(ret))),
        m.return(m.local.get(exitCodeL, i32)),
      ),
      m.block(null, load(r === undefined ? 0 : liveIn[r], eagerAfterCall(i) ? 'eager' : flagLoad[i] ? 'lazy' : 'none')),
    ];
  };

  const r = new binaryen.Relooper(m);
  const exitBlock = r.addBlock(
    m.block(null, [
      m.if(m.i32.eq(m.local.get(exitCodeL, i32), m.i32.const(TAIL)), m.return_call(ctx.dispatch, [depthParam()], i32)),
      m.return(m.local.get(exitCodeL, i32)),
    ]),
  );
  const rb: number[] = [];
  const exits: { from: number; cond: Ref | null; code: Ref }[] = [];
  const edges: { from: number; to: number; cond: Ref | null; slot?: number }[] = [];
  lifted.forEach((b, i) => {
    const stmts = b.stmts;
    const t = b.term;
    if (t && t.kind === 'branch' && t.branch === 'call') {
      stmts.push(m.block(null, store(dirtyAtEnd(i), kindAtEnd(i))), setPc(k64(Number(t.target))), ...callSeq(i, Number(t.target), b.termPc + 4));
    } else if (t && t.kind === 'reg' && t.branch === 'call') {
      stmts.push(m.block(null, store(dirtyAtEnd(i), kindAtEnd(i))), setPc(e.ex(t.target)), ...callSeq(i, null, b.termPc + 4));
    } else if (t && t.kind === 'reg') {
      exits.push({ from: i, cond: null, code: leave(i, e.ex(t.target), t.branch === 'ret' ? EXIT.RET : TAIL) });
    } else if (t && t.kind === 'exit') {
      exits.push({ from: i, cond: null, code: leave(i, k64(b.termPc), t.code) });
    }
    for (const o of outs[i]) {
      if (starts.has(o.to)) edges.push({ from: i, to: o.to, cond: o.cond, slot: o.slot });
      else exits.push({ from: i, cond: o.cond, code: leave(i, k64(o.to), TAIL) });
    }
    const sw = switchIndex.get(i);
    rb.push(sw ? r.addBlockWithSwitch(m.block(null, stmts), sw) : r.addBlock(m.block(null, stmts)));
  });
  /** A branch out of block `from`: by condition (null: the default), or by slot from a switch block. */
  const branch = (from: number, to: number, cond: Ref | null, slot?: number, code: Ref = 0) => {
    if (switchIndex.has(from)) r.addBranchForSwitch(rb[from], to, slot === undefined ? [] : [slot], code);
    else r.addBranch(rb[from], to, cond ?? 0, code);
  };
  for (const ex of exits) {
    // A stub per exit: the Relooper allows one branch per pair of blocks, and a block may leave twice.
    const stub = r.addBlock(ex.code);
    branch(ex.from, stub, ex.cond);
    r.addBranch(stub, exitBlock, 0, 0);
  }
  // Back-edges pass a fuel gate: when fuel is gone, leave with pc at the loop header. The engine then translates
  // a function that starts there (D6), so every function keeps one entry.
  for (const ed of edges) {
    const to = rb[starts.get(ed.to)!];
    if (ed.to > lifted[ed.from].start) {
      branch(ed.from, to, ed.cond, ed.slot);
      continue;
    }
    const gate = r.addBlock(m.nop());
    branch(ed.from, gate, ed.cond, ed.slot);
    const h = starts.get(ed.to)!;
    const fuelExit = m.block(null, [
      ...store(dirtyOut(ed.from) & needed[h], kindAtEnd(ed.from), flagsNeeded[h]),
      setPc(k64(ed.to)),
      m.local.set(exitCodeL, m.i32.const(EXIT.FUEL)),
    ]);
    r.addBranch(gate, exitBlock, m.i32.lt_s(m.local.get(e.fuelL, i32), m.i32.const(0)), fuelExit);
    r.addBranch(gate, to, 0, 0);
  }

  const labelL = e.newLocal(i32);
  const flow = r.renderAndDispose(rb[0], labelL);
  const body = m.block(null, [
    m.if(
      m.i32.lt_s(globalGet(m, 'fuel', i32), m.i32.const(0)),
      m.block(null, [setPc(m.i64.extend_u(entryParam())), m.return(m.i32.const(EXIT.FUEL))]),
    ),
    ...load(liveIn[0], flagsLive[0] ? 'eager' : entryLoad ? 'lazy' : 'none'),
    flow,
    m.unreachable(),
  ]);
  m.addFunction(functionName(fn.entry), FUNC_PARAMS(), i32, e.localTypes, body);
  return e.helpers;
}
