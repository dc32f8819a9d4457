// The lifter (D5): one guest function → one Wasm function. Each basic block's instructions run their semantics
// against the WasmEmitter; Binaryen's Relooper turns the blocks and edges into structured control flow.
//
// Function shape, type (entry: i32, depth: i32) -> i32:
//   if fuel < 0: pc = entry; return FUEL          (fuel is checked on entry and at back-edges: D6)
//   load the registers the function uses from the state globals into locals
//   entry switch (only when loop headers are entries too), then the blocks.
// Calls (BL/BLR) are Wasm calls with depth + 1: when the callee returns RET with pc = our return address we
// reload registers and go on; any other outcome returns outward to the engine's loop. RET returns RET. Branches
// to other functions are tail calls (return_call). Every exit writes back the registers the function changed.
import binaryen from 'binaryen';
import { globalGet, globalSet, tableGet } from '../emit/names.js';
import { decode, type Decoded } from '../a64/decoder.js';
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

const decodeCache = new Map<number, Decoded | null>();
function decodeWord(w: number): Decoded | null {
  let d = decodeCache.get(w);
  if (d === undefined) {
    d = decode(w);
    decodeCache.set(w, d);
  }
  return d;
}

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
}

/** Adds the Wasm function for `fn` to the module; returns the helpers it calls (name → arity). */
export function liftFunction(m: binaryen.Module, img: CodeSource, fn: GuestFunction, ctx: ModuleContext): Map<string, number> {
  // Register traffic depends on what the whole function uses and changes, known only after its instructions are
  // lifted: exits made while lifting get placeholder blocks, filled in before anything is assembled around them.
  const writebacks: Ref[] = [];
  const reloads: Ref[] = [];
  const x0Reloads: Ref[] = [];

  let final = false;
  const placeholder = (list: Ref[], fill: () => Ref[]): Ref => {
    if (final) return m.block(null, fill());
    const b = m.block(null, []);
    list.push(b);
    return b;
  };
  const e: WasmEmitter = new WasmEmitter(m, {
    writeback: () => placeholder(writebacks, () => store()),
    reload: () => placeholder(reloads, () => load()),
    reloadX0: () => placeholder(x0Reloads, () => loadX0()),
  });
  const i32 = binaryen.i32;
  const i64 = binaryen.i64;
  const entryParam = () => m.local.get(0, i32);
  const depthParam = () => m.local.get(1, i32);
  const k64 = (v: number) => m.i64.const(v | 0, Math.floor(v / 2 ** 32) | 0);
  const setPc = (v: Ref) => globalSet(m, 'pc', v);

  // 1. Semantics of every instruction, block by block.
  const lifted: LiftedBlock[] = [];
  for (const b of fn.blocks) {
    e.beginBlock();
    e.emit(m.local.set(e.fuelL, m.i32.sub(m.local.get(e.fuelL, i32), m.i32.const((b.end - b.start) / 4))));
    let term: Terminator | null = null;
    let termPc = b.end - 4;
    for (let pc = b.start; pc < b.end; pc += 4) {
      const w = img.word(pc);
      const d = w === null ? null : decodeWord(w);
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
    lifted.push({ start: b.start, end: b.end, stmts: e.stmts, term, termPc, readsFlagsFirst: e.readsFlagsFirst, setsFlags: e.setsFlags, endKind: e.kind, materialize });
  }

  function load(): Ref[] {
    const out: Ref[] = [];
    for (const n of [...e.usedX].sort((a, b) => a - b)) {
      out.push(m.local.set(e.xl[n], globalGet(m, n === 31 ? 'sp' : X_GLOBALS[n], i64)));
    }
    if (e.nzcvUsed) out.push(m.local.set(e.nzcvL, globalGet(m, 'nzcv', i32)), m.local.set(e.fK, m.i32.const(FLAGS.EAGER)));
    for (const n of [...e.usedV].sort((a, b) => a - b)) {
      const [lo, hi] = V_GLOBALS[n];
      out.push(m.local.set(e.vl[n], m.i64x2.replace_lane(m.i64x2.splat(globalGet(m, lo, i64)), 1, globalGet(m, hi, i64))));
    }
    out.push(m.local.set(e.fuelL, globalGet(m, 'fuel', i32)));
    return out;
  }
  function store(): Ref[] {
    const out: Ref[] = [];
    for (const n of [...e.writtenX].sort((a, b) => a - b)) {
      out.push(globalSet(m, n === 31 ? 'sp' : X_GLOBALS[n], m.local.get(e.xl[n], i64)));
    }
    if (e.nzcvWritten) out.push(globalSet(m, 'nzcv', nzcvNow()));
    for (const n of [...e.writtenV].sort((a, b) => a - b)) {
      const [lo, hi] = V_GLOBALS[n];
      const v = () => m.local.get(e.vl[n], binaryen.v128);
      out.push(globalSet(m, lo, m.i64x2.extract_lane(v(), 0)), globalSet(m, hi, m.i64x2.extract_lane(v(), 1)));
    }
    out.push(globalSet(m, 'fuel', m.local.get(e.fuelL, i32)));
    return out;
  }
  /** NZCV for the state global, whatever the lazy kind (the module's `nzcv` function). */
  function nzcvNow(): Ref {
    const args = [m.local.get(e.fK, i32), m.local.get(e.fA, i64), m.local.get(e.fB, i64), m.local.get(e.nzcvL, i32)];
    return m.call(ctx.flags, args, i32);
  }
  function loadX0(): Ref[] {
    return e.usedX.has(0) ? [m.local.set(e.xl[0], globalGet(m, X_GLOBALS[0], i64))] : [];
  }
  for (const b of writebacks) for (const st of store()) appendChild(b, st);
  for (const b of reloads) for (const st of load()) appendChild(b, st);

  for (const b of x0Reloads) for (const st of loadX0()) appendChild(b, st);
  final = true;

  // 2. Exits go to one shared block (pc and the exit code set on the way) that writes the registers back once;
  //    calls stay inline: write back, call, check where the callee returned to, reload.
  const exitCodeL = e.newLocal(i32);
  /** Exit code meaning "tail-call the dispatcher for pc" (never returned). */
  const TAIL = -1;
  const leave = (pc: Ref, code: number): Ref => m.block(null, [setPc(pc), m.local.set(exitCodeL, m.i32.const(code))]);
  /** A call whose target is in the pc global (already set): returns when the callee returns to `ret`. */
  const callSeq = (direct: number | null, ret: number): Ref[] => {
    const name = direct !== null ? ctx.nameOf(direct) : null;
    const deeper = m.i32.add(depthParam(), m.i32.const(1));
    const call = name ? m.call(name, [m.i32.const(direct! | 0), deeper], i32) : m.call(ctx.dispatch, [deeper], i32);
    return [
      m.if(m.i32.ge_u(depthParam(), m.i32.const(MAX_DEPTH)), m.return(m.i32.const(EXIT.DISPATCH))),
      m.local.set(exitCodeL, call),
      m.if(
        m.i32.or(m.local.get(exitCodeL, i32), m.i64.ne(globalGet(m, 'pc', i64), k64(ret))),
        m.return(m.local.get(exitCodeL, i32)),
      ),
      m.block(null, load()),
    ];
  };

  const starts = new Map<number, number>(); // block start -> index
  lifted.forEach((b, i) => starts.set(b.start, i));
  const r = new binaryen.Relooper(m);
  const exitBlock = r.addBlock(
    m.block(null, [
      ...store(),
      m.if(m.i32.eq(m.local.get(exitCodeL, i32), m.i32.const(TAIL)), m.return_call(ctx.dispatch, [depthParam()], i32)),
      m.return(m.local.get(exitCodeL, i32)),
    ]),
  );
  const rb: number[] = [];
  /** Edges: from block index, to address (or to the exit with the given branch code), condition. */
  const edges: { from: number; to: number; cond: Ref | null }[] = [];
  const exits: { from: number; cond: Ref | null; code: Ref }[] = [];

  for (let i = 0; i < lifted.length; i++) {
    const b = lifted[i];
    const stmts = b.stmts;
    const t = b.term;
    const edgeOrExit = (to: number, cond: Ref | null) => {
      if (starts.has(to)) edges.push({ from: i, to, cond });
      else exits.push({ from: i, cond, code: leave(k64(to), TAIL) });
    };
    if (t === null) {
      edgeOrExit(b.end, null);
    } else if (t.kind === 'branch') {
      const target = Number(t.target);
      if (t.branch === 'call') {
        stmts.push(m.block(null, store()), setPc(k64(target)), ...callSeq(target, b.termPc + 4));
        edgeOrExit(b.termPc + 4, null);
      } else {
        edgeOrExit(target, null);
      }
    } else if (t.kind === 'cond') {
      // The Relooper takes one branch per pair of blocks: a condition that goes to the next instruction either way
      // is just a fallthrough.
      if (Number(t.target) !== b.termPc + 4) edgeOrExit(Number(t.target), e.exb(t.cond));
      edgeOrExit(b.termPc + 4, null);
    } else if (t.kind === 'reg') {
      const target = e.ex(t.target);
      if (t.branch === 'call') {
        stmts.push(m.block(null, store()), setPc(target), ...callSeq(null, b.termPc + 4));
        edgeOrExit(b.termPc + 4, null);
      } else {
        exits.push({ from: i, cond: null, code: leave(target, t.branch === 'ret' ? EXIT.RET : TAIL) });
      }
    } else {
      exits.push({ from: i, cond: null, code: leave(k64(b.termPc), t.code) });
    }
    rb.push(r.addBlock(m.block(null, stmts)));
  }
  // Back-edges pass a fuel gate of their target: when fuel is gone, leave with pc at the loop header (which is
  // a function entry, D6).
  const gates = new Map<number, number>();
  const gateOf = (to: number): number => {
    let g = gates.get(to);
    if (g === undefined) {
      g = r.addBlock(m.nop());
      gates.set(to, g);
      r.addBranch(g, exitBlock, m.i32.lt_s(m.local.get(e.fuelL, i32), m.i32.const(0)), leave(k64(to), EXIT.FUEL));
      r.addBranch(g, rb[starts.get(to)!], 0, 0);
    }
    return g;
  };
  for (const ex of exits) {
    // A stub per exit: the Relooper allows one branch per pair of blocks, and a block may leave twice.
    const stub = r.addBlock(ex.code);
    r.addBranch(rb[ex.from], stub, ex.cond ?? 0, 0);
    r.addBranch(stub, exitBlock, 0, 0);
  }
  for (const ed of edges) {
    const back = ed.to <= lifted[ed.from].start;
    r.addBranch(rb[ed.from], back ? gateOf(ed.to) : rb[starts.get(ed.to)!], ed.cond ?? 0, 0);
  }

  const start = rb[0];
  // Lazy flags: a block whose successor reads the flags before setting them makes them eager at its end.
  const succ: number[][] = lifted.map(() => []);
  for (const ed of edges) succ[ed.from].push(starts.get(ed.to)!);
  const liveIn = lifted.map((b) => b.readsFlagsFirst);
  for (let changed = true; changed; ) {
    changed = false;
    lifted.forEach((b, i) => {
      if (!liveIn[i] && !b.setsFlags && succ[i].some((j) => liveIn[j])) {
        liveIn[i] = true;
        changed = true;
      }
    });
  }
  lifted.forEach((b, i) => {
    if (b.endKind !== null && b.endKind !== FLAGS.EAGER && succ[i].some((j) => liveIn[j])) {
      for (const st of e.materialize(b.endKind)) appendChild(b.materialize, st);
    }
  });
  if (liveIn[0]) e.nzcvUsed = true;

  const labelL = e.newLocal(i32);
  const flow = r.renderAndDispose(start, labelL);

  const body = m.block(null, [
    m.if(
      m.i32.lt_s(globalGet(m, 'fuel', i32), m.i32.const(0)),
      m.block(null, [setPc(m.i64.extend_u(entryParam())), m.return(m.i32.const(EXIT.FUEL))]),
    ),
    ...load(),
    flow,
    m.unreachable(),
  ]);
  m.addFunction(functionName(fn.entry), FUNC_PARAMS(), i32, e.localTypes, body);
  return e.helpers;
}
