// Seeded random whole programs for the translator: several functions with real control flow — counted loops
// (CBZ/CBNZ/TBZ/TBNZ/B.cond back-edges), if/else diamonds on flags (CMP/CMN/ADDS/SUBS/ANDS/TST/CCMP, flags read
// across blocks and after calls), BL calls with an AAPCS64 frame (STP x29,x30 / callee-saved pairs / LDP / RET),
// tail calls (B, BR), indirect calls (BLR through ADR, ADRP+ADD or a table of function pointers in data), computed
// gotos (ADR + BR), compiler-shaped jump tables (CMP + B.HI + ADRP/ADR + LDR{B,H,} + ADD (extended, #2) + BR),
// bounded recursion, calls whose return site is another function's entry (an epilogue that a never-run BL makes
// an entry, as after a noreturn call), integer ALU work and loads/stores on a data area, and write(2) syscalls.
// The program ends by writing the data area, a dump of X0–X30, NZCV and SP (relative to the area), and its
// stack; then exit_group(x0).
//
// Programs always terminate and never fault: loop counters live in registers the loop body cannot write (pinned
// callee-saved registers, which callees save and restore), calls only go to functions of higher index (plus the
// one recursive function, on a strictly decreasing depth), and every address is inside the data segment — the
// stack too (SP is set to a region of it, so every value is the same under qemu and Levitate).
import { TEXT_BASE, writeElf } from '../diff/elf-writer.js';
import { Chunk, COND, E, Label, bitmask, link, type Reg } from './a64-enc.js';

export const DATA_BASE = 0x480000;
/** Jump tables and tables of function pointers. */
const TABLES = 0x000;
const TABLES_END = 0x600;
/** Initial X0–X27 and NZCV. */
const INIT = 0x600;
/** The data area: X28 points here all the time. */
export const AREA = 0x800;
export const AREA_SIZE = 0x200;
/** X0–X30, NZCV, SP − X28 at the end (written with the area). */
export const DUMP = 0xa00;
const STACK_TOP = 0x2c00;
export const DATA_SIZE = STACK_TOP;
/** What the program writes at its end: the area, the dump and the stack. */
export const OUT_LEN = STACK_TOP - AREA;

/** Caller-saved registers random work may write (x0–x8 are never pinned: syscalls and arguments use them). */
const WORK: Reg[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
const CALLEE_SAVED: Reg[] = [19, 20, 21, 22, 23, 24, 25, 26, 27];
const BASE = 28;
const SP = 31;

export function rng(seed: number): () => number {
  let s = (Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x5bd1e995) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

interface Fn {
  idx: number;
  entry: Label;
  chunk: Chunk;
  /** Estimated dynamic instruction count of one call (an upper bound, callees included). */
  cost: number;
  recursive: boolean;
}

interface Ctx {
  fn: Fn;
  c: Chunk;
  /** Registers the code may not write here: loop counters, the recursion depth. */
  pinned: Set<Reg>;
  /** Callee-saved registers the function saved (main: all of them). */
  saved: Reg[];
  /** No calls in a leaf: its loop counters are caller-saved registers. */
  leaf: boolean;
  /** SP offsets of 8-byte local slots. */
  locals: number[];
  depth: number;
}

export interface Program {
  seed: number;
  elf: Uint8Array;
  text: Uint32Array;
  /** Static instruction count. */
  size: number;
  /** Estimated upper bound of instructions run. */
  cost: number;
  functions: { name: string; addr: number }[];
}

export class Generator {
  readonly next: () => number;
  readonly data = new Uint8Array(DATA_SIZE);
  private readonly dataFix: (() => void)[] = [];
  private tabAt = TABLES;
  private readonly fns: Fn[] = [];
  /** Labels inside functions that a BL after main's exit makes entries of their own (never run). */
  private readonly deadCalls: Label[] = [];
  /** Which kinds of statement were generated (the test checks every kind appears across the seeds). */
  readonly kinds = new Map<string, number>();

  constructor(readonly seed: number) {
    this.next = rng(seed);
  }

  int(n: number): number {
    return this.next() % n;
  }
  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  private count(kind: string): void {
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
  }

  private allocTable(bytes: number): number {
    this.tabAt = (this.tabAt + 7) & ~7;
    const at = this.tabAt;
    this.tabAt += bytes;
    if (this.tabAt > TABLES_END) return -1;
    return at;
  }

  // ---- registers ---------------------------------------------------------------------------------------------
  private writable(x: Ctx, except: Reg[] = []): Reg[] {
    return [...WORK, ...x.saved].filter((r) => !x.pinned.has(r) && !except.includes(r));
  }
  private w(x: Ctx, except: Reg[] = []): Reg {
    return this.pick(this.writable(x, except));
  }
  /** Any register to read (X0–X28; sometimes XZR where the form takes it). */
  private r(zr = true): Reg {
    return zr && this.chance(0.05) ? 31 : this.int(29);
  }
  private sf(): 0 | 1 {
    return this.chance(0.7) ? 1 : 0;
  }

  // ---- straight-line work ------------------------------------------------------------------------------------
  private randomMask(sf: 0 | 1) {
    const sizes = sf ? [2, 4, 8, 16, 32, 64] : [2, 4, 8, 16, 32];
    const esize = this.pick(sizes);
    return bitmask(esize, 1 + this.int(esize - 1), this.int(esize));
  }

  /** One random ALU, load or store instruction (or a short group of them). */
  private op(x: Ctx): void {
    const c = x.c;
    const sf = this.sf();
    const d = this.w(x);
    const a = this.r(false);
    const b = this.r();
    const width = sf ? 64 : 32;
    switch (this.int(20)) {
      case 0:
      case 1:
        c.emit(E.addShift(sf, this.int(2) as 0 | 1, this.int(2) as 0 | 1, d, a, b, this.int(3) as 0 | 1 | 2, this.int(width)));
        break;
      case 2:
        c.emit(E.addImm(sf, this.int(2) as 0 | 1, this.int(2) as 0 | 1, d, a, this.int(4096), this.chance(0.2) ? 1 : 0));
        break;
      case 3:
        c.emit(E.logicShift(sf, this.int(4), this.int(2) as 0 | 1, d, a, b, this.int(4) as 0 | 1 | 2 | 3, this.int(width)));
        break;
      case 4:
        c.emit(E.logicImm(sf, this.int(4), d, a, this.randomMask(sf)));
        break;
      case 5:
        c.emit(E.movWide(sf, this.pick([0, 2, 3] as const), d, this.next() & 0xffff, this.int(sf ? 4 : 2)));
        break;
      case 6:
        c.emit(E.bfm(sf, this.int(3) as 0 | 1 | 2, d, a, this.int(width), this.int(width)));
        break;
      case 7:
        c.emit(E.extr(sf, d, a, b, this.int(width)));
        break;
      case 8:
        if (this.chance(0.7)) c.emit(E.madd(sf, this.int(2) as 0 | 1, d, a, b, this.r()));
        else c.emit(E.mulh(this.chance(0.5), d, a, b));
        break;
      case 9:
        c.emit(E.dp2(sf, this.pick([2, 3, 8, 9, 10, 11]), d, a, b));
        break;
      case 10:
        c.emit(E.dp1(sf, this.pick(sf ? [0, 1, 2, 3, 4, 5] : [0, 1, 2, 4, 5]), d, a));
        break;
      case 11:
        c.emit(E.csel(sf, this.int(2) as 0 | 1, this.int(2) as 0 | 1, d, a, b, this.int(14)));
        break;
      case 12:
        c.emit(E.adcSbc(sf, this.int(2) as 0 | 1, this.int(2) as 0 | 1, d, a, b));
        break;
      case 13: {
        const imm = this.chance(0.5);
        c.emit(E.ccmp(sf, this.int(2) as 0 | 1, a, imm ? this.int(32) : this.r(), imm, this.int(16), this.int(14)));
        break;
      }
      case 14:
        if (this.chance(0.5)) c.emit(E.mrsNzcv(d));
        else c.emit(E.addExt(sf, this.int(2) as 0 | 1, this.int(2) as 0 | 1, d, a, b, this.int(8), this.int(5)));
        break;
      case 15:
      case 16:
      case 17:
        this.memOp(x, true);
        break;
      default:
        this.memOp(x, false);
    }
  }

  /** A load (load=true) or store inside the data area, or in the function's local slots. */
  private memOp(x: Ctx, load: boolean): void {
    const c = x.c;
    const size = this.int(4);
    const opc = load ? (size === 3 ? 1 : size === 2 ? this.pick([1, 2]) : this.pick([1, 2, 3])) : 0;
    const rt = load ? this.w(x) : this.r();
    const offset = (sz: number) => this.int(AREA_SIZE >> sz) << sz;
    switch (this.int(6)) {
      case 0:
      case 1:
        c.emit(E.ldstUimm(size, opc, rt, BASE, offset(size)));
        break;
      case 2: {
        // Register offset: an index masked into the area, scaled or not, with each extend.
        const t = this.w(x, load ? [] : [rt]);
        const src = this.r(false);
        const scaled = this.chance(0.5);
        const option = this.pick([2, 3, 6, 7]);
        const bits = 9 - size;
        const emitAnd = option === 3 || option === 7 ? E.andBits : E.andBitsW;
        if (scaled) c.emit(emitAnd(t, src, 0, bits));
        else c.emit(emitAnd(t, src, size, bits));
        c.emit(E.ldstReg(size, opc, rt, BASE, t, option, scaled ? 1 : 0));
        break;
      }
      case 3: {
        // Pre- or post-index through a pointer register set just before.
        const p = this.w(x, [rt]);
        const pre = this.chance(0.5);
        const from = offset(size);
        let imm: number;
        if (pre) {
          const to = offset(size);
          imm = to - from;
          if (imm < -256 || imm > 255) imm = 0;
        } else imm = this.int(512) - 256;
        c.emit(E.addImm(1, 0, 0, p, BASE, from));
        c.emit(E.ldstIdx(size, opc, rt, p, imm, pre));
        break;
      }
      case 4: {
        const off = this.int(AREA_SIZE / 8 - 1) * 8;
        const rt2 = load ? this.w(x, [rt]) : this.r();
        c.emit(E.ldp(load ? 1 : 0, 2, rt, rt2, BASE, off));
        break;
      }
      default:
        if (x.locals.length) c.emit(E.ldstUimm(3, load ? 1 : 0, rt, SP, this.pick(x.locals)));
        else c.emit(E.ldstUimm(size, opc, rt, BASE, offset(size)));
    }
  }

  private work(x: Ctx, n: number): number {
    for (let i = 0; i < n; i++) this.op(x);
    return n;
  }

  // ---- control flow ------------------------------------------------------------------------------------------
  /** Sets NZCV for a following conditional branch. */
  private setFlags(x: Ctx): void {
    const c = x.c;
    const sf = this.sf();
    const a = this.r(false);
    switch (this.int(8)) {
      case 0:
        c.emit(E.addShift(sf, 1, 1, 31, a, this.r(), 0, 0)); // cmp
        break;
      case 1:
        c.emit(E.addImm(sf, 1, 1, 31, a, this.int(64))); // cmp #imm
        break;
      case 2:
        c.emit(E.addImm(sf, 0, 1, 31, a, this.int(4096))); // cmn #imm
        break;
      case 3:
        c.emit(E.addShift(sf, this.int(2) as 0 | 1, 1, this.w(x), a, this.r(), this.int(3) as 0 | 1 | 2, this.int(4))); // adds/subs
        break;
      case 4:
        c.emit(E.logicShift(sf, 3, 0, this.chance(0.5) ? 31 : this.w(x), a, this.r(), 0, 0)); // ands/tst
        break;
      case 5:
        c.emit(E.logicImm(sf, 3, this.chance(0.5) ? 31 : this.w(x), a, this.randomMask(sf))); // ands/tst #imm
        break;
      default: {
        // cmp + ccmp/ccmn: a compound condition.
        c.emit(E.addShift(sf, 1, 1, 31, a, this.r(), 0, 0));
        const imm = this.chance(0.5);
        c.emit(E.ccmp(sf, this.int(2) as 0 | 1, this.r(false), imm ? this.int(32) : this.r(), imm, this.int(16), this.int(14)));
      }
    }
  }

  /** A conditional branch to `l`: B.cond on flags just set, or CBZ/CBNZ/TBZ/TBNZ on a register. */
  private condBranch(x: Ctx, l: Label, flagsSet = false): number {
    const c = x.c;
    if (!flagsSet && this.chance(0.35)) {
      if (this.chance(0.5)) c.cbz(this.sf(), this.int(2) as 0 | 1, this.r(false), l);
      else c.tbz(this.int(2) as 0 | 1, this.r(false), this.int(64), l);
      return 1;
    }
    if (!flagsSet) this.setFlags(x);
    c.bcond(this.int(14), l);
    return 3;
  }

  /** A block of statements: returns its estimated dynamic cost (the most expensive path). */
  private stmts(x: Ctx, n: number, budget: number): number {
    let cost = 0;
    for (let i = 0; i < n; i++) cost += this.stmt(x, budget - cost);
    return cost;
  }

  private stmt(x: Ctx, budget: number): number {
    const c = x.c;
    const callees = this.fns.filter((f) => f.idx > x.fn.idx && f.cost + 12 <= budget);
    const roll = this.int(100);
    if (budget < 30 || roll < 18) {
      this.count('work');
      return this.work(x, 1 + this.int(4));
    }
    if (roll < 34 && x.depth < 3) return this.diamond(x, budget);
    if (roll < 48 && x.depth < 3) return this.loop(x, budget);
    if (roll < 68 && !x.leaf && callees.length) return this.call(x, this.pick(callees));
    if (roll < 76 && x.depth < 3) return this.switchTable(x, budget);
    if (roll < 81 && x.depth < 3) return this.computedGoto(x, budget);
    if (roll < 85) {
      this.count('svc');
      const off = this.int(AREA_SIZE - 8);
      c.emit(E.movz(0, 1), E.addImm(1, 0, 0, 1, BASE, off), E.movz(2, 1 + this.int(AREA_SIZE - off)), E.movz(8, 64), E.svc());
      return 5;
    }
    if (roll < 92 && x.depth < 3) {
      // Flags across blocks: set, branch, and branch again on the same flags after the join.
      this.count('flags across blocks');
      this.setFlags(x);
      const l1 = new Label();
      const l2 = new Label();
      c.bcond(this.int(14), l1);
      c.emit(E.csel(this.sf(), this.int(2) as 0 | 1, this.int(2) as 0 | 1, this.w(x), this.r(), this.r(), this.int(14)));
      c.bind(l1);
      c.bcond(this.int(14), l2);
      const cost = this.stmts({ ...x, depth: x.depth + 1 }, 1, budget - 8);
      c.bind(l2);
      return cost + 8;
    }
    this.count('work');
    return this.work(x, 1 + this.int(4));
  }

  private diamond(x: Ctx, budget: number): number {
    const c = x.c;
    const inner = { ...x, depth: x.depth + 1 };
    const els = new Label('else');
    const join = new Label('join');
    let cost = this.condBranch(x, els);
    if (this.chance(0.3)) {
      this.count('if');
      cost += this.stmts(inner, 1 + this.int(2), (budget - cost) / 2);
      c.bind(els);
      c.bind(join);
    } else {
      this.count('if/else');
      let then = 0;
      if (this.chance(0.3)) {
        // A second test of the same flags at the top of the then-arm.
        const skip = new Label();
        c.bcond(this.int(14), skip);
        then += 1 + this.stmts(inner, 1, (budget - cost) / 3);
        c.bind(skip);
      }
      then += this.stmts(inner, 1 + this.int(2), (budget - cost) / 3);
      c.b(join);
      c.bind(els);
      const other = this.stmts(inner, 1 + this.int(2), (budget - cost) / 3);
      c.bind(join);
      cost += Math.max(then + 1, other);
    }
    if (this.chance(0.3)) {
      // Flags that reach the join by either arm (the arms may have changed them).
      c.emit(E.csel(this.sf(), this.int(2) as 0 | 1, this.int(2) as 0 | 1, this.w(x), this.r(), this.r(), this.int(14)));
      cost++;
    }
    return cost;
  }

  private loop(x: Ctx, budget: number): number {
    const c = x.c;
    const free = (x.leaf ? [9, 10, 11, 12, 13, 14, 15] : x.saved).filter((r) => !x.pinned.has(r));
    if (!free.length || budget < 60) return this.work(x, 2);
    const k = this.pick(free);
    const pinned = new Set(x.pinned).add(k);
    const body = { ...x, pinned, depth: x.depth + 1 };
    const head = new Label('loop');
    const form = this.int(7);
    const n = form === 4 ? 1 << (1 + this.int(2)) : 1 + this.int(5);
    const per = (budget - 4) / n - 4;
    if (per < 10) return this.work(x, 2);
    let cost: number;
    switch (form) {
      case 0: // n..1, CBNZ
        this.count('loop cbnz');
        c.emit(E.movz(k, n));
        c.bind(head);
        cost = this.stmts(body, 1 + this.int(3), per);
        c.emit(E.addImm(1, 1, 0, k, k, 1));
        c.cbz(this.sf(), 1, k, head);
        break;
      case 1: {
        // Test at the top: CBZ out, B back.
        this.count('loop cbz');
        const out = new Label();
        c.emit(E.movz(k, n));
        c.bind(head);
        c.cbz(1, 0, k, out);
        cost = this.stmts(body, 1 + this.int(3), per);
        c.emit(E.addImm(1, 1, 0, k, k, 1));
        c.b(head);
        c.bind(out);
        break;
      }
      case 2: // SUBS + B.NE / B.GT
        this.count('loop subs b.cond');
        c.emit(E.movz(k, n));
        c.bind(head);
        cost = this.stmts(body, 1 + this.int(3), per);
        c.emit(E.addImm(this.sf(), 1, 1, k, k, 1));
        c.bcond(this.pick([COND.ne, COND.gt]), head);
        break;
      case 3: // counting up: ADD, CMP #n, B.LO / B.LT / B.NE
        this.count('loop cmp b.cond');
        c.emit(E.movz(k, 0));
        c.bind(head);
        cost = this.stmts(body, 1 + this.int(3), per);
        c.emit(E.addImm(1, 0, 0, k, k, 1), E.addImm(this.sf(), 1, 1, 31, k, n));
        c.bcond(this.pick([COND.lo, COND.lt, COND.ne]), head);
        break;
      case 4: // counting up until a bit is set: TBZ
        this.count('loop tbz');
        c.emit(E.movz(k, 0));
        c.bind(head);
        cost = this.stmts(body, 1 + this.int(3), per);
        c.emit(E.addImm(1, 0, 0, k, k, 1));
        c.tbz(0, k, Math.log2(n), head);
        break;
      case 5: // counting down past zero: TBZ on the sign bit
        this.count('loop tbz sign');
        c.emit(E.movz(k, n - 1));
        c.bind(head);
        cost = this.stmts(body, 1 + this.int(3), per);
        c.emit(E.addImm(1, 1, 0, k, k, 1));
        c.tbz(0, k, 63, head);
        break;
      default: {
        // TBNZ out of the loop, B back.
        this.count('loop tbnz');
        const out = new Label();
        c.emit(E.movz(k, n - 1));
        c.bind(head);
        cost = this.stmts(body, 1 + this.int(3), per);
        c.emit(E.addImm(1, 1, 0, k, k, 1));
        c.tbz(1, k, 63, out);
        c.b(head);
        c.bind(out);
      }
    }
    return 2 + n * (cost + 4);
  }

  private call(x: Ctx, f: Fn, flagsAfter = true): number {
    const c = x.c;
    let cost = f.cost + 2;
    if (f.recursive) c.emit(E.movz(0, (f as Fn & { depth: number }).depth));
    switch (this.int(f.recursive ? 1 : 5)) {
      case 0:
      case 1:
        this.count('bl');
        c.bl(f.entry);
        break;
      case 2:
        this.count('blr adr');
        c.adr(16, f.entry);
        c.emit(E.blr(16));
        break;
      case 3: {
        this.count('blr adrp+add');
        const r = this.w(x);
        c.adrpAdd(r, f.entry);
        c.emit(E.blr(r));
        break;
      }
      default: {
        // Through a table of function pointers in data.
        const at = this.allocTable(16);
        if (at < 0) {
          c.bl(f.entry);
          break;
        }
        this.count('blr table');
        const other = this.pick(this.fns);
        this.dataFix.push(() => {
          const dv = new DataView(this.data.buffer);
          dv.setBigUint64(at, BigInt(f.entry.addr), true);
          dv.setBigUint64(at + 8, BigInt(other.entry.addr), true);
        });
        c.adrpAdd(17, () => DATA_BASE + at);
        c.emit(E.ldstUimm(3, 1, 16, 17, 0), E.blr(16));
      }
    }
    if (flagsAfter && this.chance(0.2)) {
      // Flags the callee left, tested by the caller.
      this.count('flags after call');
      const skip = new Label();
      c.bcond(this.int(14), skip);
      cost += this.work(x, 1 + this.int(2)) + 1;
      c.bind(skip);
    }
    return cost;
  }

  /** A switch through a jump table in the shapes GCC and Clang emit (discovery's jumpTable()). */
  private switchTable(x: Ctx, budget: number): number {
    const c = x.c;
    const N = 1 + this.int(6); // cases 0..N
    const size = this.int(3); // entries of 1, 2 or 4 bytes
    const at = this.allocTable((N + 1) << size);
    if (at < 0 || budget < 40) return this.work(x, 2);
    this.count(`switch ${1 << size}`);
    const idx = this.w(x, [15, 16, 17]);
    const [tab, ent, dst] = [this.w(x, [idx]), this.w(x, [idx]), this.w(x, [idx])];
    const base = this.w(x, [idx, ent]);
    const signed = this.chance(0.5);
    const option = [0, 1, 2][size] | (signed ? 4 : 0);
    // The index: a masked value from a register or from the area (may exceed N: the default case).
    if (this.chance(0.5)) c.emit(E.andBitsW(idx, this.r(false), 0, 3));
    else c.emit(E.ldstUimm(0, 1, idx, BASE, this.int(AREA_SIZE)), E.andBitsW(idx, idx, 0, 3));
    const dflt = new Label('default');
    const join = new Label('join');
    c.emit(E.addImm(0, 1, 1, 31, idx, N));
    c.bcond(COND.hi, dflt);
    if (this.chance(0.5)) c.adrpAdd(tab, () => DATA_BASE + at);
    else c.adr(tab, () => DATA_BASE + at);
    c.emit(E.ldstReg(size, 1, ent, tab, idx, 2, size ? 1 : 0));
    const nCases = 1 + this.int(Math.min(N + 1, 4));
    const cases = Array.from({ length: nCases }, (_, i) => new Label(`case${i}`));
    const baseLabel = signed ? this.pick(cases) : cases[0];
    c.adr(base, baseLabel);
    c.emit(E.addExt(1, 0, 0, dst, base, ent, option, 2));
    c.emit(E.br(dst));
    const map = Array.from({ length: N + 1 }, () => this.int(nCases));
    this.dataFix.push(() => {
      const dv = new DataView(this.data.buffer);
      map.forEach((k, i) => {
        const v = (cases[k].addr - baseLabel.addr) / 4;
        if (size === 0) dv.setUint8(at + i, v & 0xff);
        else if (size === 1) dv.setUint16(at + 2 * i, v & 0xffff, true);
        else dv.setUint32(at + 4 * i, v >>> 0, true);
      });
    });
    const inner = { ...x, depth: x.depth + 1 };
    const share = (budget - 12) / (nCases + 1);
    let worst = 0;
    for (const l of cases) {
      c.bind(l);
      worst = Math.max(worst, this.stmts(inner, 1, share) + 1);
      if (this.chance(0.85)) c.b(join); // else falls through into the next case
    }
    c.bind(dflt);
    worst = Math.max(worst, this.work(x, 1 + this.int(2)));
    c.bind(join);
    return 12 + worst * 2;
  }

  /** ADR of a label (or one of two, chosen by CSEL) and BR to it: a jump discovery cannot follow. */
  private computedGoto(x: Ctx, budget: number): number {
    const c = x.c;
    if (budget < 40) return this.work(x, 2);
    this.count('computed goto');
    const l1 = new Label('goto1');
    const l2 = new Label('goto2');
    const join = new Label('gotojoin');
    const r1 = this.w(x);
    if (this.chance(0.5)) {
      c.adr(r1, l1);
    } else {
      this.setFlags(x); // before the ADRs: it may write a register
      const r2 = this.w(x, [r1]);
      c.adr(r1, l1);
      c.adrpAdd(r2, l2);
      c.emit(E.csel(1, 0, 0, r1, r1, r2, this.int(14)));
    }
    c.emit(E.br(r1));
    const inner = { ...x, depth: x.depth + 1 };
    c.bind(l2);
    const a = this.stmts(inner, 1, (budget - 10) / 2);
    c.b(join);
    c.bind(l1);
    const b = this.stmts(inner, 1, (budget - 10) / 2);
    c.bind(join);
    return 8 + Math.max(a, b);
  }

  // ---- functions ---------------------------------------------------------------------------------------------
  private genFunction(f: Fn, budget: number): void {
    const c = f.chunk;
    const leaf = !f.recursive && this.chance(0.25);
    const saved = leaf ? [] : CALLEE_SAVED.filter(() => this.chance(0.4));
    if (f.recursive && !saved.includes(19)) saved.unshift(19);
    const nLocals = leaf ? 0 : this.int(3);
    const frame = leaf && this.chance(0.5) ? 0 : 16 + Math.ceil((saved.length + nLocals) / 2) * 16;
    const locals = Array.from({ length: nLocals }, (_, i) => 16 + (saved.length + i) * 8);
    c.bind(f.entry);
    if (frame) {
      c.emit(E.ldp(0, 3, 29, 30, SP, -frame), E.addImm(1, 0, 0, 29, SP, 0)); // stp x29, x30, [sp, #-frame]!; mov x29, sp
      for (let i = 0; i < saved.length; i += 2) {
        if (i + 1 < saved.length) c.emit(E.ldp(0, 2, saved[i], saved[i + 1], SP, 16 + i * 8));
        else c.emit(E.ldstUimm(3, 0, saved[i], SP, 16 + i * 8));
      }
    }
    const x: Ctx = { fn: f, c, pinned: new Set(), saved, leaf, locals, depth: 0 };
    let cost = frame ? 4 + saved.length : 0;
    const n = 3 + this.int(5);
    if (f.recursive) {
      // x19 = depth; depth 0 is the base case, otherwise recurse on depth − 1 between two pieces of work.
      this.count('recursion');
      const base = new Label('base');
      const out = new Label('out');
      c.emit(E.movReg(19, 0));
      x.pinned.add(19);
      if (this.chance(0.5)) c.cbz(1, 0, 19, base);
      else {
        c.emit(E.addImm(1, 1, 1, 31, 19, 0));
        c.bcond(COND.eq, base);
      }
      let body = this.stmts(x, 1 + this.int(2), budget / 3);
      c.emit(E.addImm(1, 1, 0, 0, 19, 1));
      c.bl(f.entry);
      body += this.stmts(x, 1 + this.int(2), budget / 3) + 4;
      if (this.chance(0.5)) c.emit(E.addShift(1, 0, 0, 0, 0, 19, 0, 0)); // x0 += depth
      c.b(out);
      c.bind(base);
      body = Math.max(body, this.stmts(x, 1, budget / 3));
      c.bind(out);
      cost += ((f as Fn & { depth: number }).depth + 1) * (body + 10);
    } else {
      cost += this.stmts(x, n, budget - 20);
    }
    const last = this.fns.filter((g) => g.idx > f.idx && g.cost + cost + 20 <= budget);
    if (frame && !leaf && !f.recursive && last.length && this.chance(0.4)) {
      // The function ends with a call, and its epilogue is a function entry of its own: the target of a BL
      // that never runs (after main's exit_group, as after a call to a noreturn function). The call's return
      // site lies outside the function, so the way on after it is an exit (the shape of commit 958346b).
      this.count('return to another entry');
      cost += this.work(x, 1 + this.int(3));
      cost += this.call(x, this.pick(last), false);
      const epi = new Label(`f${f.idx}.epilogue`);
      c.bind(epi);
      this.deadCalls.push(epi);
    }
    if (frame) {
      for (let i = 0; i < saved.length; i += 2) {
        if (i + 1 < saved.length) c.emit(E.ldp(1, 2, saved[i], saved[i + 1], SP, 16 + i * 8));
        else c.emit(E.ldstUimm(3, 1, saved[i], SP, 16 + i * 8));
      }
      c.emit(E.ldp(1, 1, 29, 30, SP, frame));
    }
    const tails = this.fns.filter((g) => g.idx > f.idx && !g.recursive && g.cost + cost + 8 <= budget);
    if (!f.recursive && tails.length && this.chance(0.25)) {
      const g = this.pick(tails);
      cost += g.cost + 3;
      if (this.chance(0.5)) {
        this.count('tail call b');
        c.b(g.entry);
      } else {
        this.count('tail call br');
        c.adr(16, g.entry);
        c.emit(E.br(16));
      }
    } else c.emit(E.ret());
    f.cost = cost;
  }

  /** The whole program. */
  build(): Program {
    const nFns = 5 + this.int(4);
    const recursive = 2 + this.int(nFns - 2);
    const main = new Chunk('main');
    const chunks: Chunk[] = [];
    for (let i = nFns - 1; i >= 1; i--) {
      const chunk = new Chunk(`f${i}`);
      const f: Fn & { depth?: number } = { idx: i, entry: new Label(`f${i}`), chunk, cost: 0, recursive: i === recursive };
      if (f.recursive) f.depth = 1 + this.int(5);
      this.genFunction(f, 150 + this.int(1500));
      this.fns.push(f);
      chunks.push(chunk);
    }
    // Shuffle the functions: calls go both ways in the address space.
    for (let i = chunks.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [chunks[i], chunks[j]] = [chunks[j], chunks[i]];
    }

    // _start: SP into the data segment, X28 the area, registers and NZCV from the init block.
    const dv = new DataView(this.data.buffer);
    for (let i = 0; i < 28; i++) {
      const r = this.int(4);
      const v = r === 0 ? BigInt(this.int(256)) : r === 1 ? -BigInt(1 + this.int(4)) : (BigInt(this.next()) << 32n) | BigInt(this.next());
      dv.setBigUint64(INIT + i * 8, BigInt.asUintN(64, v), true);
    }
    dv.setBigUint64(INIT + 28 * 8, BigInt(this.int(16)) << 28n, true);
    for (let i = 0; i < AREA_SIZE; i++) this.data[AREA + i] = this.next() & 0xff;
    const m = main;
    m.mov32(9, DATA_BASE + STACK_TOP);
    m.emit(E.addImm(1, 0, 0, SP, 9, 0));
    m.mov32(BASE, DATA_BASE + AREA);
    m.mov32(9, DATA_BASE + INIT);
    m.emit(E.ldstUimm(3, 1, 0, 9, 28 * 8), E.msrNzcv(0));
    for (let i = 0; i < 28; i++) if (i !== 9) m.emit(E.ldstUimm(3, 1, i, 9, i * 8));
    m.emit(E.ldstUimm(3, 1, 9, 9, 9 * 8), E.movz(29, 0), E.movz(30, 0));
    const mainFn: Fn = { idx: 0, entry: new Label('main'), chunk: m, cost: 0, recursive: false };
    m.bind(mainFn.entry);
    const x: Ctx = { fn: mainFn, c: m, pinned: new Set(), saved: CALLEE_SAVED, leaf: false, locals: [], depth: 0 };
    // Main's body: some statements, then an outer loop over more of them (x27 counts), then some more.
    let cost = this.stmts(x, 2 + this.int(3), 4000);
    const n = 2 + this.int(3);
    m.emit(E.movz(27, n));
    const outer = m.label('outer');
    x.pinned.add(27);
    cost += n * (this.stmts(x, 3 + this.int(4), 15_000 / n) + 2);
    x.pinned.delete(27);
    m.emit(E.addImm(1, 1, 0, 27, 27, 1));
    m.cbz(1, 1, 27, outer);
    cost += this.stmts(x, 2 + this.int(3), 4000);
    // The dump: X0–X30, NZCV, SP − X28; then write(1, area, OUT_LEN) and exit_group(x0).
    const D = DUMP - AREA;
    for (let i = 0; i <= 30; i++) m.emit(E.ldstUimm(3, 0, i, BASE, D + i * 8));
    m.emit(E.mrsNzcv(0), E.ldstUimm(3, 0, 0, BASE, D + 31 * 8));
    m.emit(E.addImm(1, 0, 0, 0, SP, 0), E.addShift(1, 1, 0, 0, 0, BASE), E.ldstUimm(3, 0, 0, BASE, D + 32 * 8));
    m.emit(E.movz(0, 1), E.movReg(1, BASE), E.movz(2, OUT_LEN), E.movz(8, 64), E.svc());
    m.emit(E.ldstUimm(3, 1, 0, BASE, D), E.movz(8, 94), E.svc());
    // Never run (exit_group does not return), but discovery follows code past an SVC: these calls make function
    // epilogues entries of their own.
    for (const l of this.deadCalls) m.bl(l);
    m.emit(E.b(0));

    const all = [main, ...chunks];
    const text = link(all, TEXT_BASE);
    for (const fix of this.dataFix) fix();
    return {
      seed: this.seed,
      elf: writeElf(text, this.data, DATA_BASE),
      text,
      size: text.length,
      cost,
      functions: all.map((ch) => ({ name: ch.name, addr: ch.base })),
    };
  }
}

export function generate(seed: number): Program {
  return new Generator(seed).build();
}

/**
 * The fallback program: a function reached only through a pointer computed at run time — a constant XORed with a
 * key loaded from data (the probe folds constants, not memory) — called in a loop through BLR. No symbols, no
 * .eh_frame: discovery cannot find it, so the engine interprets it, then translates it while running.
 * Each iteration also calls a function discovery does know (see below). Writes the area (x20, the running
 * result, at offset 8) and exits with the low byte of x20.
 */
export const FALLBACK_KEY = 0x5a3c_0000;
export function fallbackProgram(calls: number): { elf: Uint8Array; hidden: number } {
  const m = new Chunk('main');
  const h = new Chunk('hidden');
  const hidden = new Label('hidden');
  const helper = new Label('helper');
  const data = new Uint8Array(DATA_SIZE);
  const dv = new DataView(data.buffer);
  dv.setBigUint64(AREA, BigInt(FALLBACK_KEY), true); // the key
  for (let i = 8; i < AREA_SIZE; i++) if (i < 64 || i >= 80) data[AREA + i] = (i * 37) & 0xff; // 64: a zero timespec
  m.mov32(9, DATA_BASE + STACK_TOP);
  m.emit(E.addImm(1, 0, 0, SP, 9, 0));
  m.mov32(BASE, DATA_BASE + AREA);
  m.emit(E.movz(19, calls), E.movz(20, 0), E.movz(0, 3));
  const loop = m.label('loop');
  m.emit(() => E.movz(16, (hidden.addr ^ FALLBACK_KEY) & 0xffff, 0));
  m.emit(() => E.movk(16, ((hidden.addr ^ FALLBACK_KEY) >>> 16) & 0xffff, 1));
  m.emit(E.ldstUimm(3, 1, 17, BASE, 0), E.logicShift(1, 2, 0, 16, 16, 17)); // ldr x17, [x28]; eor x16, x16, x17
  m.emit(E.blr(16));
  m.emit(E.addShift(1, 0, 0, 20, 20, 0, 0, 0)); // x20 += x0
  // A call to a function discovery knows: the interpreter, running the code after the fallback, stops at its
  // entry, so control comes back to the engine (and finds the hidden function missing again) each iteration.
  m.bl(helper);
  m.emit(E.logicShift(1, 2, 0, 20, 20, 0, 1, 7)); // x20 ^= x0 >> 7
  // nanosleep({0, 0}): a syscall that blocks ends the engine's time slice, and only between slices does the
  // kernel load the translator for code that must be translated while running.
  m.emit(E.addImm(1, 0, 0, 0, BASE, 64), E.movz(1, 0), E.movz(8, 101), E.svc());
  m.emit(E.addImm(1, 1, 0, 19, 19, 1));
  m.cbz(1, 1, 19, loop);
  m.emit(E.ldstUimm(3, 0, 20, BASE, 8));
  m.emit(E.movz(0, 1), E.movReg(1, BASE), E.movz(2, 64), E.movz(8, 64), E.svc());
  m.emit(E.movReg(0, 20), E.movz(8, 94), E.svc());
  // Discovery follows code past an SVC: a branch to itself (never run) ends main, so hidden is no fall-through.
  m.emit(E.b(0), E.svc(), E.svc());
  // helper(): x0 = x20 * 3 + 1.
  m.bind(helper);
  m.emit(E.addShift(1, 0, 0, 0, 20, 20, 0, 1), E.addImm(1, 0, 0, 0, 0, 1), E.ret());
  // hidden(x0): a loop and some memory work; returns a value derived from x0 and the area.
  h.bind(hidden);
  h.emit(E.ldp(0, 3, 29, 30, SP, -16), E.addImm(1, 0, 0, 29, SP, 0));
  h.emit(E.movz(9, 4), E.movz(10, 0));
  const l = h.label('hloop');
  h.emit(E.ldstReg(3, 1, 11, BASE, 9, 3, 1)); // ldr x11, [x28, x9, lsl #3]
  h.emit(E.addShift(1, 0, 0, 10, 10, 11, 1, 3)); // x10 += x11 >> 3
  h.emit(E.addShift(1, 0, 0, 10, 10, 0, 0, 1)); // x10 += x0 << 1
  h.emit(E.ldstReg(3, 0, 10, BASE, 9, 3, 1)); // str x10, [x28, x9, lsl #3]
  h.emit(E.addImm(1, 1, 1, 9, 9, 1));
  h.bcond(COND.ne, l);
  h.emit(E.addImm(1, 0, 0, 0, 0, 5), E.addShift(1, 0, 0, 0, 0, 10, 0, 0));
  h.emit(E.ldp(1, 1, 29, 30, SP, 16), E.ret());
  const text = link([m, h], TEXT_BASE);
  return { elf: writeElf(text, data, DATA_BASE), hidden: hidden.addr };
}
