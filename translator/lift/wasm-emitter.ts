// WasmEmitter: the Emitter that builds Binaryen expressions (D2). Instruction semantics run against it once per
// instruction at translation time and leave Wasm statements behind; the lifter (lift.ts) arranges the blocks.
//
// Values are Wasm locals (or constants, which fold): every operation writes a fresh temporary and Binaryen's
// optimiser turns the temporaries back into expression trees. Guest registers live in locals (D4): X0–X30 and
// SP as i64, NZCV as i32, V0–V31 as v128; the lifter loads them from the state globals on entry and writes
// back what the function changes before every exit.
import binaryen from 'binaryen';
import { globalGet, globalSet } from '../emit/names.js';
import type { BranchKind, Emitter, MemSize, SysReg, VectorFp, VectorInt } from '../a64/emitter.js';
import { EXIT, FLAGS, GUEST_BASE, HELPER_PREFIX, IMPORT_ICIVAU, IMPORT_SVC, IMPORT_SYSREG, SYSREG_IDS } from '../emit/abi.js';
import { hostFusedMadd } from '../emit/host.js';

type Ref = binaryen.ExpressionRef;

/** A 64-bit value: a local (i64) or a constant. */
export type Val = { l: number; k?: undefined } | { k: bigint; l?: undefined };
/** A boolean: an i32 local holding 0/1, or a constant. */
export type Bool = { l: number; b?: undefined } | { b: boolean; l?: undefined };

const M64 = (1n << 64n) - 1n;


/**
 * Lazy condition flags. A CMP/SUBS, CMN/ADDS or TST/ANDS does not compute NZCV: it leaves its operands in the
 * locals fA, fB and its kind in fK, and NZCV is derived only where something reads it. The invariant:
 * NZCV = fK == EAGER ? nzcvL : nzcvOf(fK, fA, fB). Within a block the kind is known statically, so `B.cond` after
 * `CMP` is one comparison of fA and fB; where a later block reads the flags, the lifter has the producing block
 * materialise them (liveness over the CFG), and exits call the module's `nzcv` function.
 */
export { FLAGS };

/** NZCV (i32, bits 31:28) of a lazy kind, from the operand expressions (each called at most once per use). */
export function nzcvOf(m: binaryen.Module, kind: number, a: () => Ref, b: () => Ref): Ref {
  const bits = kind === FLAGS.SUB32 || kind === FLAGS.ADD32 || kind === FLAGS.LOGIC32 ? 32 : 64;
  const w = bits === 32;
  // All in i32 for 32-bit kinds, i64 otherwise.
  const T = w ? m.i32 : m.i64;
  const x = () => (w ? m.i32.wrap(a()) : a());
  const y = () => (w ? m.i32.wrap(b()) : b());
  const neg = (v: Ref) => (w ? m.i32.lt_s(v, m.i32.const(0)) : m.i64.lt_s(v, m.i64.const(0, 0)));
  const n = (v: Ref) => m.i32.shl(neg(v), m.i32.const(31));
  const z = (v: Ref) => m.i32.shl(w ? m.i32.eqz(v) : m.i64.eqz(v), m.i32.const(30));
  if (kind === FLAGS.LOGIC32 || kind === FLAGS.LOGIC64) return m.i32.or(n(x()), z(x()));
  const sub = kind === FLAGS.SUB32 || kind === FLAGS.SUB64;
  const r = () => (sub ? T.sub(x(), y()) : T.add(x(), y()));
  const c = sub ? T.ge_u(x(), y()) : T.lt_u(r(), x());
  // V: operands of the same sign (different, for a subtraction) and a result of the other sign.
  const ov = sub ? T.and(T.xor(x(), y()), T.xor(x(), r())) : T.and(T.xor(T.xor(x(), y()), w ? m.i32.const(-1) : m.i64.const(-1, -1)), T.xor(x(), r()));
  const v = m.i32.shl(neg(ov), m.i32.const(28));
  return m.i32.or(m.i32.or(n(r()), z(r())), m.i32.or(m.i32.shl(c, m.i32.const(29)), v));
}

/** How an instruction ended the block, as the semantics said it. */
export type Terminator =
  | { kind: 'branch'; target: bigint; branch: BranchKind }
  | { kind: 'cond'; cond: Bool; target: bigint }
  | { kind: 'reg'; target: Val; branch: BranchKind }
  | { kind: 'exit'; code: number };

export interface FunctionHooks {
  /** Statements that write the changed guest registers back to the state globals (filled in at the end). */
  writeback(): Ref;
  /** Reloads just X0 (after a syscall served in place). */
  reloadX0(): Ref;
}

/** Relaxed SIMD's multiply-add: binaryen.js has no wrapper for it, its C API (which the JS API calls) does. */
const relaxed = binaryen as unknown as {
  _BinaryenSIMDTernary(module: number, op: number, a: Ref, b: Ref, c: Ref): Ref;
  RelaxedMaddVecF64x2: number;
  RelaxedMaddVecF32x4: number;
};

export class WasmEmitter implements Emitter<Val, Bool> {
  /** Statements of the block being built. */
  stmts: Ref[] = [];
  /** Types of the function's locals after the two parameters. */
  readonly localTypes: binaryen.Type[] = [];
  /** Locals of X0–X30 and SP (index 31). */
  readonly xl: number[];
  readonly nzcvL: number;
  readonly vl: number[];
  readonly fuelL: number;
  readonly usedX = new Set<number>();
  readonly writtenX = new Set<number>();
  // Per block, as bit masks over X0–X30 and SP (bit 31), for the lifter's register dataflow:
  /** Registers the block writes. */
  blockDefs = 0;
  /** Registers the block reads before writing them. */
  usesFirst = 0;
  /** Registers written since the block's last sync point (an SVC writes everything back). */
  localDirty = 0;
  /** The block has an SVC (a sync point). */
  hadSync = false;
  /** The block writes registers back somewhere (an SVC or an exit inside it). */
  hasWriteback = false;
  readonly usedV = new Set<number>();
  readonly writtenV = new Set<number>();
  nzcvUsed = false;
  nzcvWritten = false;
  /** Lazy-flag locals (see FLAGS). */
  readonly fK: number;
  readonly fA: number;
  readonly fB: number;
  /** The flag kind at this point of the block: null until the block sets flags (then the incoming state holds). */
  kind: number | null = null;
  /** The block read the flags before setting them: the flags are live into it. */
  readsFlagsFirst = false;
  /** The block sets flags. */
  setsFlags = false;
  /** Helpers called, with their arity: the module imports them. */
  readonly helpers = new Map<string, number>();
  /** Address of the instruction being emitted. */
  pc = 0n;
  term: Terminator | null = null;
  /** Locals known to hold (x ^ mask) for a recorded x: recovers the subtrahend of SUBS/CMP. */
  private readonly notOf = new Map<number, Val>();
  /** Locals known to hold (x + k): folds address arithmetic into one i32 add. */
  private readonly addOf = new Map<number, { base: Val; k: bigint }>();
  /**
   * Locals defined by a 64-bit operation whose low 32 bits depend only on the operands' low 32 bits: a W
   * register's result (zext 32) is then computed as the i32 operation, which V8 does without the 64-bit one and
   * its zero-extension.
   */
  private readonly low32Of = new Map<number, { op: 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'shl' | 'shr_u'; a: Val; b: Val }>();
  /** Locals known to hold a value whose upper 32 bits are zero. */
  private readonly z32 = new Set<number>();

  constructor(
    readonly m: binaryen.Module,
    readonly hooks: FunctionHooks,
  ) {
    const i64 = binaryen.i64;
    this.xl = Array.from({ length: 32 }, () => this.newLocal(i64));
    this.nzcvL = this.newLocal(binaryen.i32);
    this.vl = Array.from({ length: 32 }, () => this.newLocal(binaryen.v128));
    this.fuelL = this.newLocal(binaryen.i32);
    this.fK = this.newLocal(binaryen.i32);
    this.fA = this.newLocal(i64);
    this.fB = this.newLocal(i64);
  }

  newLocal(t: binaryen.Type): number {
    this.localTypes.push(t);
    return 1 + this.localTypes.length; // params 0 (entry) and 1 (depth) come first
  }

  /** Starts a new block: facts about values do not cross block boundaries. */
  beginBlock(): void {
    this.stmts = [];
    this.blockDefs = this.usesFirst = this.localDirty = 0;
    this.hadSync = this.hasWriteback = false;
    this.kind = null;
    this.readsFlagsFirst = false;
    this.setsFlags = false;
    this.next64 = this.next32 = this.nextV = 0;
    this.notOf.clear();
    this.addOf.clear();
    this.low32Of.clear();
    this.z32.clear();
  }

  // ---- expression plumbing ----
  ex(v: Val): Ref {
    if (v.k !== undefined) {
      const k = v.k & M64;
      return this.m.i64.const(Number(k & 0xffff_ffffn) | 0, Number(k >> 32n) | 0);
    }
    return this.m.local.get(v.l!, binaryen.i64);
  }
  exb(b: Bool): Ref {
    return b.b !== undefined ? this.m.i32.const(b.b ? 1 : 0) : this.m.local.get(b.l!, binaryen.i32);
  }
  // Temporaries live within one block (nothing a semantic function computes outlives the block that computed
  // it), so each block reuses the same pool of locals: a function has as many as its largest block needs.
  private readonly pool64: number[] = [];
  private readonly pool32: number[] = [];
  private readonly poolV: number[] = [];
  private nextV = 0;
  private next64 = 0;
  private next32 = 0;
  private temp(pool: number[], i: number, t: binaryen.Type): number {
    if (i === pool.length) pool.push(this.newLocal(t));
    return pool[i];
  }
  private t64(e: Ref): Val {
    const l = this.temp(this.pool64, this.next64++, binaryen.i64);
    this.stmts.push(this.m.local.set(l, e));
    return { l };
  }
  private t32(e: Ref): Bool {
    const l = this.temp(this.pool32, this.next32++, binaryen.i32);
    this.stmts.push(this.m.local.set(l, e));
    return { l };
  }
  /** An i32 expression of a value's low 32 bits. */
  private lo32(v: Val): Ref {
    if (v.k !== undefined) return this.m.i32.const(Number(v.k & 0xffff_ffffn) | 0);
    return this.m.i32.wrap(this.ex(v));
  }
  emit(stmt: Ref): void {
    this.stmts.push(stmt);
  }

  // ---- registers ----
  c(n: bigint | number): Val {
    return { k: BigInt.asUintN(64, BigInt(n)) };
  }
  private use(n: number): void {
    this.usedX.add(n);
    if (!(this.blockDefs & (1 << n))) this.usesFirst |= 1 << n;
  }
  private def(n: number): void {
    this.usedX.add(n);
    this.writtenX.add(n);
    this.blockDefs |= 1 << n;
    this.localDirty |= 1 << n;
  }
  getX(n: number): Val {
    if (n === 31) return { k: 0n };
    this.use(n);
    return this.t64(this.m.local.get(this.xl[n], binaryen.i64));
  }
  setX(n: number, v: Val): void {
    if (n === 31) return;
    this.def(n);
    this.stmts.push(this.m.local.set(this.xl[n], this.ex(v)));
  }
  getSP(): Val {
    this.use(31);
    return this.t64(this.m.local.get(this.xl[31], binaryen.i64));
  }
  setSP(v: Val): void {
    this.def(31);
    const m = this.m;
    const sp = () => m.local.get(this.xl[31], binaryen.i64);
    this.stmts.push(m.local.set(this.xl[31], this.ex(v)));
    // The lowest stack pointer so far (spLow): how much of the stack a fork copies and an exit clears.
    this.stmts.push(m.if(m.i64.lt_u(sp(), globalGet(m, 'spLow', binaryen.i64)), globalSet(m, 'spLow', sp())));
  }
  getNZCV(): Val {
    return this.t64(this.m.i64.extend_u(this.flagsNow()));
  }
  setNZCV(v: Val): void {
    this.stmts.push(this.m.local.set(this.nzcvL, this.m.i32.and(this.lo32(v), this.m.i32.const(0xf000_0000 | 0))));
    this.eager();
  }
  /** NZCV now, as an i32 expression. */
  flagsNow(): Ref {
    this.nzcvUsed = true;
    const m = this.m;
    if (this.kind === null) this.readsFlagsFirst = true; // the lifter guarantees eager flags on entry then
    if (this.kind === null || this.kind === FLAGS.EAGER) return m.local.get(this.nzcvL, binaryen.i32);
    return nzcvOf(m, this.kind, () => m.local.get(this.fA, binaryen.i64), () => m.local.get(this.fB, binaryen.i64));
  }
  /** The flags are in nzcvL from here on. */
  private eager(): void {
    this.nzcvUsed = this.nzcvWritten = true;
    this.setsFlags = true;
    this.kind = FLAGS.EAGER;
    this.stmts.push(this.m.local.set(this.fK, this.m.i32.const(FLAGS.EAGER)));
  }
  private lazy(kind: number, a: Val, b: Val): void {
    const m = this.m;
    this.nzcvUsed = this.nzcvWritten = true;
    this.setsFlags = true;
    this.kind = kind;
    this.stmts.push(m.local.set(this.fA, this.ex(a)), m.local.set(this.fB, this.ex(b)), m.local.set(this.fK, m.i32.const(kind)));
  }
  /** Statements that make the flags eager (the lifter puts them at the end of blocks whose successors read them). */
  materialize(kind: number): Ref[] {
    const m = this.m;
    if (kind === FLAGS.EAGER) return [];
    return [
      m.local.set(this.nzcvL, nzcvOf(m, kind, () => m.local.get(this.fA, binaryen.i64), () => m.local.get(this.fB, binaryen.i64))),
      m.local.set(this.fK, m.i32.const(FLAGS.EAGER)),
    ];
  }
  getV(reg: number, lane: number, esize: number): Val {
    this.usedV.add(reg);
    const m = this.m;
    const v = m.local.get(this.vl[reg], binaryen.v128);
    switch (esize) {
      case 64:
        return this.t64(m.i64x2.extract_lane(v, lane));
      case 32:
        return this.t64(m.i64.extend_u(m.i32x4.extract_lane(v, lane)));
      case 16:
        return this.t64(m.i64.extend_u(m.i16x8.extract_lane_u(v, lane)));
      default:
        return this.t64(m.i64.extend_u(m.i8x16.extract_lane_u(v, lane)));
    }
  }
  setV(reg: number, lane: number, esize: number, val: Val): void {
    this.usedV.add(reg);
    this.writtenV.add(reg);
    const m = this.m;
    const v = m.local.get(this.vl[reg], binaryen.v128);
    let r: Ref;
    switch (esize) {
      case 64:
        r = m.i64x2.replace_lane(v, lane, this.ex(val));
        break;
      case 32:
        r = m.i32x4.replace_lane(v, lane, this.lo32(val));
        break;
      case 16:
        r = m.i16x8.replace_lane(v, lane, this.lo32(val));
        break;
      default:
        r = m.i8x16.replace_lane(v, lane, this.lo32(val));
    }
    this.stmts.push(m.local.set(this.vl[reg], r));
  }
  getSys(r: SysReg): Val {
    const m = this.m;
    switch (r) {
      case 'TPIDR_EL0':
        return this.t64(globalGet(m, 'tpidr', binaryen.i64));
      case 'FPCR':
        return this.t64(m.i64.extend_u(globalGet(m, 'fpcr', binaryen.i32)));
      case 'FPSR':
        return this.t64(m.i64.extend_u(globalGet(m, 'fpsr', binaryen.i32)));
      default:
        return this.t64(m.call(IMPORT_SYSREG, [m.i32.const(SYSREG_IDS.indexOf(r))], binaryen.i64));
    }
  }
  setSys(r: SysReg, v: Val): void {
    const m = this.m;
    switch (r) {
      case 'TPIDR_EL0':
        this.stmts.push(globalSet(m, 'tpidr', this.ex(v)));
        return;
      case 'FPCR':
        this.stmts.push(globalSet(m, 'fpcr', m.i32.and(this.lo32(v), m.i32.const(0x07ff_9f00))));
        return;
      case 'FPSR':
        this.stmts.push(globalSet(m, 'fpsr', m.i32.and(this.lo32(v), m.i32.const(0xf800_009f | 0))));
        return;
      default:
        this.undefined();
    }
  }

  // ---- arithmetic ----
  private fold(a: Val, b: Val, f: (x: bigint, y: bigint) => bigint): Val | null {
    return a.k !== undefined && b.k !== undefined ? { k: f(a.k, b.k) & M64 } : null;
  }
  add(a: Val, b: Val): Val {
    const k = this.fold(a, b, (x, y) => x + y);
    if (k) return k;
    if (b.k === 0n) return a;
    if (a.k === 0n) return b;
    const r = this.t64(this.m.i64.add(this.ex(a), this.ex(b)));
    this.low32Of.set(r.l!, { op: 'add', a, b });
    if (b.k !== undefined) this.addOf.set(r.l!, { base: a, k: b.k });
    else if (a.k !== undefined) this.addOf.set(r.l!, { base: b, k: a.k });
    return r;
  }
  sub(a: Val, b: Val): Val {
    return this.fold(a, b, (x, y) => x - y) ?? this.low32(this.t64(this.m.i64.sub(this.ex(a), this.ex(b))), 'sub', a, b);
  }
  mul(a: Val, b: Val): Val {
    return this.fold(a, b, (x, y) => x * y) ?? this.low32(this.t64(this.m.i64.mul(this.ex(a), this.ex(b))), 'mul', a, b);
  }
  /** Records how r was computed (see low32Of); a bitwise result of zero-extended operands is one too. */
  private low32(r: Val, op: 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'shl' | 'shr_u', a: Val, b: Val, z = false): Val {
    this.low32Of.set(r.l!, { op, a, b });
    if (z) this.z32.add(r.l!);
    return r;
  }
  private isZ32(v: Val): boolean {
    return v.k !== undefined ? v.k >> 32n === 0n : this.z32.has(v.l!);
  }
  umulh(a: Val, b: Val): Val {
    // 32-bit limbs: hi(a*b) = ah*bh + carries of the cross products.
    const M = this.c(0xffff_ffffn);
    const s32 = this.c(32);
    const al = this.and(a, M);
    const ah = this.lshr(a, s32);
    const bl = this.and(b, M);
    const bh = this.lshr(b, s32);
    const t = this.mul(al, bl);
    const u = this.add(this.mul(ah, bl), this.lshr(t, s32));
    const w = this.add(this.mul(al, bh), this.and(u, M));
    return this.add(this.add(this.mul(ah, bh), this.lshr(u, s32)), this.lshr(w, s32));
  }
  smulh(a: Val, b: Val): Val {
    // signed hi = unsigned hi - (a < 0 ? b : 0) - (b < 0 ? a : 0)
    const hi = this.umulh(a, b);
    const z = this.c(0);
    const fixA = this.select(this.lts(a, z), b, z);
    const fixB = this.select(this.lts(b, z), a, z);
    return this.sub(this.sub(hi, fixA), fixB);
  }
  udiv(a: Val, b: Val): Val {
    const m = this.m;
    const zero = this.eq(b, this.c(0));
    const d = this.t64(m.select(this.exb(zero), m.i64.const(1, 0), this.ex(b), binaryen.i64));
    return this.t64(m.select(this.exb(zero), m.i64.const(0, 0), m.i64.div_u(this.ex(a), this.ex(d)), binaryen.i64));
  }
  sdiv(a: Val, b: Val): Val {
    // Wasm traps on x/0 and INT64_MIN/-1; Arm gives 0 and INT64_MIN (= -x wrapped).
    const m = this.m;
    const zero = this.eq(b, this.c(0));
    const minus1 = this.eq(b, this.c(M64));
    const safe = this.t64(m.select(m.i32.or(this.exb(zero), this.exb(minus1)), m.i64.const(1, 0), this.ex(b), binaryen.i64));
    const q = this.t64(m.i64.div_s(this.ex(a), this.ex(safe)));
    const negA = this.t64(m.i64.sub(m.i64.const(0, 0), this.ex(a)));
    const r = this.t64(m.select(this.exb(minus1), this.ex(negA), this.ex(q), binaryen.i64));
    return this.t64(m.select(this.exb(zero), m.i64.const(0, 0), this.ex(r), binaryen.i64));
  }
  and(a: Val, b: Val): Val {
    const z = this.isZ32(a) || this.isZ32(b);
    return this.fold(a, b, (x, y) => x & y) ?? this.low32(this.t64(this.m.i64.and(this.ex(a), this.ex(b))), 'and', a, b, z);
  }
  or(a: Val, b: Val): Val {
    const z = this.isZ32(a) && this.isZ32(b);
    return this.fold(a, b, (x, y) => x | y) ?? this.low32(this.t64(this.m.i64.or(this.ex(a), this.ex(b))), 'or', a, b, z);
  }
  xor(a: Val, b: Val): Val {
    const z = this.isZ32(a) && this.isZ32(b);
    return this.fold(a, b, (x, y) => x ^ y) ?? this.low32(this.t64(this.m.i64.xor(this.ex(a), this.ex(b))), 'xor', a, b, z);
  }
  not(a: Val): Val {
    if (a.k !== undefined) return { k: a.k ^ M64 };
    const r = this.t64(this.m.i64.xor(this.ex(a), this.m.i64.const(-1, -1)));
    this.notOf.set(r.l!, a);
    return r;
  }
  neg(a: Val): Val {
    if (a.k !== undefined) return { k: -a.k & M64 };
    return this.t64(this.m.i64.sub(this.m.i64.const(0, 0), this.ex(a)));
  }
  shl(a: Val, n: Val): Val {
    const k = this.fold(a, n, (x, y) => x << (y & 63n));
    if (k) return k;
    const r = this.t64(this.m.i64.shl(this.ex(a), this.ex(n)));
    // i32.shl takes the amount modulo 32: only a constant below 32 gives the same low bits.
    return n.k !== undefined && n.k < 32n ? this.low32(r, 'shl', a, n) : r;
  }
  lshr(a: Val, n: Val): Val {
    const k = this.fold(a, n, (x, y) => x >> (y & 63n));
    if (k) return k;
    const r = this.t64(this.m.i64.shr_u(this.ex(a), this.ex(n)));
    // Of a zero-extended value, and by a constant below 32, the i32 shift gives the same bits.
    return this.isZ32(a) && n.k !== undefined && n.k < 32n ? this.low32(r, 'shr_u', a, n, true) : r;
  }
  ashr(a: Val, n: Val): Val {
    return this.fold(a, n, (x, y) => BigInt.asIntN(64, x) >> (y & 63n)) ?? this.t64(this.m.i64.shr_s(this.ex(a), this.ex(n)));
  }
  ror(a: Val, n: Val): Val {
    return this.t64(this.m.i64.rotr(this.ex(a), this.ex(n)));
  }
  zext(a: Val, bits: number): Val {
    if (bits >= 64) return a;
    if (a.k !== undefined) return { k: BigInt.asUintN(bits, a.k) };
    const m = this.m;
    if (bits === 32 && this.z32.has(a.l!)) return a;
    const d = bits === 32 ? this.low32Of.get(a.l!) : undefined;
    const r =
      bits === 32
        ? this.t64(m.i64.extend_u(d ? m.i32[d.op](this.lo32(d.a), this.lo32(d.b)) : m.i32.wrap(this.ex(a))))
        : this.t64(m.i64.and(this.ex(a), this.ex(this.c((1n << BigInt(bits)) - 1n))));
    if (bits <= 32) this.z32.add(r.l!);
    const n = this.notOf.get(a.l!);
    if (n) this.notOf.set(r.l!, n);
    return r;
  }
  sext(a: Val, bits: number): Val {
    if (bits >= 64) return a;
    if (a.k !== undefined) return { k: BigInt.asUintN(64, BigInt.asIntN(bits, a.k)) };
    const m = this.m;
    switch (bits) {
      case 32:
        return this.t64(m.i64.extend32_s(this.ex(a)));
      case 16:
        return this.t64(m.i64.extend16_s(this.ex(a)));
      case 8:
        return this.t64(m.i64.extend8_s(this.ex(a)));
      default: {
        const s = m.i64.const(64 - bits, 0);
        return this.t64(m.i64.shr_s(m.i64.shl(this.ex(a), s), m.i64.const(64 - bits, 0)));
      }
    }
  }
  clz(a: Val): Val {
    return this.t64(this.m.i64.clz(this.ex(a)));
  }
  /** Swaps adjacent `width`-bit groups selected by `mask`. */
  private swapGroups(a: Val, mask: bigint, width: number): Val {
    const M = this.c(mask);
    const w = this.c(width);
    return this.or(this.and(this.lshr(a, w), M), this.shl(this.and(a, M), w));
  }
  bswap(a: Val): Val {
    let r = this.swapGroups(a, 0x00ff00ff00ff00ffn, 8);
    r = this.swapGroups(r, 0x0000ffff0000ffffn, 16);
    return this.ror(r, this.c(32));
  }
  rbit(a: Val): Val {
    let r = this.swapGroups(a, 0x5555555555555555n, 1);
    r = this.swapGroups(r, 0x3333333333333333n, 2);
    r = this.swapGroups(r, 0x0f0f0f0f0f0f0f0fn, 4);
    return this.bswap(r);
  }

  // ---- comparisons ----
  private cmp(a: Val, b: Val, op: (x: Ref, y: Ref) => Ref, f: (x: bigint, y: bigint) => boolean): Bool {
    if (a.k !== undefined && b.k !== undefined) return { b: f(a.k, b.k) };
    return this.t32(op(this.ex(a), this.ex(b)));
  }
  eq(a: Val, b: Val): Bool {
    return this.cmp(a, b, (x, y) => this.m.i64.eq(x, y), (x, y) => x === y);
  }
  ne(a: Val, b: Val): Bool {
    return this.cmp(a, b, (x, y) => this.m.i64.ne(x, y), (x, y) => x !== y);
  }
  ltu(a: Val, b: Val): Bool {
    return this.cmp(a, b, (x, y) => this.m.i64.lt_u(x, y), (x, y) => x < y);
  }
  leu(a: Val, b: Val): Bool {
    return this.cmp(a, b, (x, y) => this.m.i64.le_u(x, y), (x, y) => x <= y);
  }
  lts(a: Val, b: Val): Bool {
    return this.cmp(a, b, (x, y) => this.m.i64.lt_s(x, y), (x, y) => BigInt.asIntN(64, x) < BigInt.asIntN(64, y));
  }
  les(a: Val, b: Val): Bool {
    return this.cmp(a, b, (x, y) => this.m.i64.le_s(x, y), (x, y) => BigInt.asIntN(64, x) <= BigInt.asIntN(64, y));
  }
  bool(b: boolean): Bool {
    return { b };
  }
  band(a: Bool, b: Bool): Bool {
    if (a.b !== undefined && b.b !== undefined) return { b: a.b && b.b };
    return this.t32(this.m.i32.and(this.exb(a), this.exb(b)));
  }
  bor(a: Bool, b: Bool): Bool {
    if (a.b !== undefined && b.b !== undefined) return { b: a.b || b.b };
    return this.t32(this.m.i32.or(this.exb(a), this.exb(b)));
  }
  bnot(a: Bool): Bool {
    if (a.b !== undefined) return { b: !a.b };
    return this.t32(this.m.i32.eqz(this.exb(a)));
  }
  select(cond: Bool, t: Val, f: Val): Val {
    if (cond.b !== undefined) return cond.b ? t : f;
    return this.t64(this.m.select(this.exb(cond), this.ex(t), this.ex(f), binaryen.i64));
  }
  fromBool(b: Bool): Val {
    if (b.b !== undefined) return { k: b.b ? 1n : 0n };
    return this.t64(this.m.i64.extend_u(this.exb(b)));
  }

  // ---- flags ----
  private setFlags(n: Ref, z: Ref, c: Ref, v: Ref): void {
    const m = this.m;
    const nz = m.i32.or(m.i32.shl(n, m.i32.const(31)), m.i32.shl(z, m.i32.const(30)));
    const cv = m.i32.or(m.i32.shl(c, m.i32.const(29)), m.i32.shl(v, m.i32.const(28)));
    this.stmts.push(m.local.set(this.nzcvL, m.i32.or(nz, cv)));
    this.eager();
  }
  addWithFlags(a: Val, b: Val, carryIn: Val, bits: 32 | 64): Val {
    const m = this.m;
    const mask = bits === 64 ? M64 : 0xffff_ffffn;
    const wide = (v: Val) => (bits === 32 ? this.zext(v, 32) : v);
    const sum = this.add(this.add(wide(a), wide(b)), carryIn);
    const r = wide(sum);
    // CMP/SUBS (a + ~x + 1) and CMN/ADDS (a + b + 0) are lazy; ADCS/SBCS compute NZCV at once.
    const x = carryIn.k === 1n ? (b.k !== undefined ? { k: ~b.k & mask } : this.notOf.get(b.l!)) : undefined;
    if (x) {
      this.lazy(bits === 32 ? FLAGS.SUB32 : FLAGS.SUB64, wide(a), wide(x));
    } else if (carryIn.k === 0n) {
      this.lazy(bits === 32 ? FLAGS.ADD32 : FLAGS.ADD64, wide(a), wide(b));
    } else if (bits === 32) {
      const a32 = wide(a);
      const b32 = wide(b);
      const c = m.i32.wrap(m.i64.shr_u(this.ex(sum), m.i64.const(32, 0)));
      const ov = m.i32.wrap(m.i64.shr_u(m.i64.and(m.i64.xor(this.ex(a32), this.ex(r)), m.i64.xor(this.ex(b32), this.ex(r))), m.i64.const(31, 0)));
      this.setFlags(m.i32.wrap(m.i64.shr_u(this.ex(r), m.i64.const(31, 0))), m.i64.eqz(this.ex(r)), c, m.i32.and(ov, m.i32.const(1)));
    } else {
      const ab = this.add(a, b);
      // carry out: the first addition wrapped, or adding the carry-in did
      const c = m.i32.or(m.i64.lt_u(this.ex(ab), this.ex(a)), m.i64.lt_u(this.ex(r), this.ex(ab)));
      const ov = m.i64.shr_u(m.i64.and(m.i64.xor(this.ex(a), this.ex(r)), m.i64.xor(this.ex(b), this.ex(r))), m.i64.const(63, 0));
      this.setFlags(m.i32.wrap(m.i64.shr_u(this.ex(r), m.i64.const(63, 0))), m.i64.eqz(this.ex(r)), c, m.i32.wrap(ov));
    }
    return r;
  }
  logicFlags(result: Val, bits: 32 | 64): void {
    const r = bits === 32 ? this.zext(result, 32) : result;
    this.lazy(bits === 32 ? FLAGS.LOGIC32 : FLAGS.LOGIC64, r, { k: 0n });
  }
  carry(): Val {
    const m = this.m;
    return this.t64(m.i64.extend_u(m.i32.and(m.i32.shr_u(this.flagsNow(), m.i32.const(29)), m.i32.const(1))));
  }
  /** A condition straight from the lazy operands when the kind is known here. */
  private fused(cc: number): Ref | null {
    const k = this.kind;
    if (k === null || k === FLAGS.EAGER) return null;
    const m = this.m;
    const base = cc >> 1;
    const w = k === FLAGS.SUB32 || k === FLAGS.ADD32 || k === FLAGS.LOGIC32;
    const T = w ? m.i32 : m.i64;
    const a = () => (w ? m.i32.wrap(m.local.get(this.fA, binaryen.i64)) : m.local.get(this.fA, binaryen.i64));
    const b = () => (w ? m.i32.wrap(m.local.get(this.fB, binaryen.i64)) : m.local.get(this.fB, binaryen.i64));
    const zero = () => (w ? m.i32.const(0) : m.i64.const(0, 0));
    let r: Ref;
    if (k === FLAGS.SUB32 || k === FLAGS.SUB64) {
      switch (base) {
        case 0: r = T.eq(a(), b()); break; // EQ
        case 1: r = T.ge_u(a(), b()); break; // HS
        case 2: r = T.lt_s(T.sub(a(), b()), zero()); break; // MI
        case 4: r = T.gt_u(a(), b()); break; // HI
        case 5: r = T.ge_s(a(), b()); break; // GE
        case 6: r = T.gt_s(a(), b()); break; // GT
        default: return null;
      }
    } else if (k === FLAGS.ADD32 || k === FLAGS.ADD64) {
      switch (base) {
        case 0: r = T.eqz(T.add(a(), b())); break; // EQ
        case 2: r = T.lt_s(T.add(a(), b()), zero()); break; // MI
        default: return null;
      }
    } else {
      switch (base) {
        case 0: r = T.eqz(a()); break; // EQ
        case 1: case 3: case 4: r = m.i32.const(0); break; // HS, VS, HI: C = V = 0
        case 2: r = T.lt_s(a(), zero()); break; // MI
        case 5: r = T.ge_s(a(), zero()); break; // GE: N == V = 0
        case 6: r = T.gt_s(a(), zero()); break; // GT
        default: return null;
      }
    }
    return cc & 1 ? m.i32.eqz(r) : r;
  }
  cond(cc: number): Bool {
    if (cc >= 14) return { b: true };
    const f = this.fused(cc);
    if (f !== null) return this.t32(f);
    const m = this.m;
    const flags = this.t32(this.flagsNow());
    const bit = (n: number) => m.i32.and(m.i32.shr_u(this.exb(flags), m.i32.const(n)), m.i32.const(1));
    let r: Ref;
    switch (cc >> 1) {
      case 0: r = bit(30); break;
      case 1: r = bit(29); break;
      case 2: r = bit(31); break;
      case 3: r = bit(28); break;
      case 4: r = m.i32.and(bit(29), m.i32.eqz(bit(30))); break;
      case 5: r = m.i32.eq(bit(31), bit(28)); break;
      default: r = m.i32.and(m.i32.eq(bit(31), bit(28)), m.i32.eqz(bit(30)));
    }
    return this.t32(cc & 1 ? m.i32.eqz(r) : r);
  }

  // ---- memory ----
  /** The linear address (i32) of a guest address: one wrap and one add (D3). */
  private lin(addr: Val): Ref {
    const m = this.m;
    let base = addr;
    let k = 0n;
    const a = addr.l !== undefined ? this.addOf.get(addr.l) : undefined;
    if (a) {
      base = a.base;
      k = a.k;
    }
    const off = Number(BigInt.asIntN(32, k - BigInt(GUEST_BASE)));
    return m.i32.add(this.lo32(base), m.i32.const(off));
  }
  load(addr: Val, size: MemSize, signed = false): Val {
    const m = this.m;
    const p = this.lin(addr);
    if (size === 8) return this.t64(m.i64.load(0, 1, p));
    const r =
      size === 1
        ? this.t64(signed ? m.i64.load8_s(0, 1, p) : m.i64.load8_u(0, 1, p))
        : size === 2
          ? this.t64(signed ? m.i64.load16_s(0, 1, p) : m.i64.load16_u(0, 1, p))
          : this.t64(signed ? m.i64.load32_s(0, 1, p) : m.i64.load32_u(0, 1, p));
    if (!signed) this.z32.add(r.l!);
    return r;
  }
  store(addr: Val, v: Val, size: MemSize): void {
    const m = this.m;
    const p = this.lin(addr);
    const x = this.ex(v);
    switch (size) {
      case 1:
        this.stmts.push(m.i64.store8(0, 1, p, x));
        break;
      case 2:
        this.stmts.push(m.i64.store16(0, 1, p, x));
        break;
      case 4:
        this.stmts.push(m.i64.store32(0, 1, p, x));
        break;
      default:
        this.stmts.push(m.i64.store(0, 1, p, x));
    }
  }
  /** Exits with `code` (pc = this instruction) when addr is not aligned to `span`. */
  private checkAlign(addr: Val, span: number, code: number): void {
    if (span === 1) return;
    const m = this.m;
    const bad = m.i64.ne(m.i64.and(this.ex(addr), m.i64.const(span - 1, 0)), m.i64.const(0, 0));
    this.stmts.push(m.if(bad, m.block(null, [globalSet(m, 'faultAddr', this.ex(addr)), this.exitHere(code)])));
  }
  loadExclusive(addr: Val, size: MemSize, span: number = size): Val {
    this.checkAlign(addr, span, EXIT.ALIGN_READ);
    const v = this.load(addr, size);
    this.stmts.push(globalSet(this.m, 'exclAddr', this.ex(addr)), globalSet(this.m, 'exclSize', this.m.i32.const(span)));
    return v;
  }
  storeExclusive(addr: Val, v: Val, size: MemSize, span: number = size): Val {
    const m = this.m;
    this.checkAlign(addr, span, EXIT.ALIGN_WRITE);
    const ok = this.t32(
      m.i32.and(
        m.i64.eq(globalGet(m, 'exclAddr', binaryen.i64), this.ex(addr)),
        m.i32.eq(globalGet(m, 'exclSize', binaryen.i32), m.i32.const(span)),
      ),
    );
    this.stmts.push(globalSet(m, 'exclSize', m.i32.const(0)));
    const saved = this.stmts;
    this.stmts = [];
    this.store(addr, v, size);
    const storeCode = this.stmts;
    this.stmts = saved;
    this.stmts.push(m.if(this.exb(ok), m.block(null, storeCode)));
    return this.t64(m.i64.extend_u(m.i32.eqz(this.exb(ok))));
  }
  clearExclusive(): void {
    this.stmts.push(globalSet(this.m, 'exclSize', this.m.i32.const(0)));
  }

  // ---- control ----
  branch(target: bigint, kind: BranchKind = 'jump'): void {
    this.term = { kind: 'branch', target: target & M64, branch: kind };
  }
  branchIf(cond: Bool, target: bigint): void {
    this.term = cond.b === true ? { kind: 'branch', target: target & M64, branch: 'jump' } : { kind: 'cond', cond, target: target & M64 };
  }
  branchReg(target: Val, kind: BranchKind): void {
    this.term = { kind: 'reg', target, branch: kind };
  }
  /** Statements that leave the function with `code`, pc = this instruction. */
  exitHere(code: number, pc: bigint = this.pc): Ref {
    const m = this.m;
    this.hasWriteback = true;
    return m.block(null, [this.hooks.writeback(), globalSet(m, 'pc', this.ex({ k: pc })), m.return(m.i32.const(code))]);
  }
  svc(imm: number): void {
    // Served in place when the kernel can; otherwise the kernel takes over and resumes at pc + 4.
    const m = this.m;
    this.hasWriteback = true;
    this.stmts.push(
      this.hooks.writeback(),
      globalSet(m, 'pc', this.ex({ k: this.pc + 4n })),
      globalSet(m, 'exclSize', m.i32.const(0)),
      m.if(m.call(IMPORT_SVC, [m.i32.const(imm)], binaryen.i32), m.return(m.i32.const(EXIT.KERNEL))),
      this.hooks.reloadX0(),
    );
    // Everything is in the globals now; X0 is reloaded (a write as far as the dataflow goes, but a clean one).
    this.hadSync = true;
    this.localDirty = 0;
    this.blockDefs |= 1;
  }
  brk(): void {
    this.term = { kind: 'exit', code: EXIT.BRK };
  }
  undefined(): void {
    this.term = { kind: 'exit', code: EXIT.UNDEF };
  }
  invalidateCode(addr: Val): void {
    this.stmts.push(this.m.call(IMPORT_ICIVAU, [this.ex(addr)], binaryen.none));
  }
  helper(name: string, ...args: Val[]): Val {
    this.helpers.set(name, args.length);
    const call = () => this.m.call(HELPER_PREFIX + name, args.map((a) => this.ex(a)), binaryen.i64);
    const fast = this.fastFloat(name, args);
    return this.t64(fast ? this.m.if(fast.ok, fast.value, call()) : call());
  }

  vectorInt(o: VectorInt, lanes: () => void): void {
    const r = this.simdInt(o);
    if (r === null) return lanes();
    for (const reg of [o.rd, o.rn, o.rm ?? o.rn]) this.usedV.add(reg);
    this.writtenV.add(o.rd);
    const m = this.m;
    this.stmts.push(m.local.set(this.vl[o.rd], o.q || /^(add|sub)[lw]$|^m(ul|la|ls)l$/.test(o.op) ? r : m.i64x2.replace_lane(r, 1, m.i64.const(0, 0))));
  }

  /** The Wasm SIMD expression of a VectorInt, or null where Wasm has no instruction for it. */
  private simdInt(o: VectorInt): Ref | null {
    const m = this.m;
    const v = (r: number) => m.local.get(this.vl[r], binaryen.v128);
    const I = o.esize === 8 ? m.i8x16 : o.esize === 16 ? m.i16x8 : o.esize === 32 ? m.i32x4 : m.i64x2;
    const zero = () => m.v128.const(new Array<number>(16).fill(0));
    const narrow = o.esize < 64;
    const a = v(o.rn);
    const b = () => v(o.rm!);
    const imm = (k: number) => m.i32.const(k);
    switch (o.op) {
      case 'add': return I.add(a, b());
      case 'sub': return I.sub(a, b());
      case 'cmeq': return I.eq(a, b());
      case 'cmtst': return m.v128.not(I.eq(m.v128.and(a, b()), zero()));
      case 'cmgt': return I.gt_s(a, b());
      case 'cmge': return I.ge_s(a, b());
      case 'neg': return I.neg(a);
      case 'abs': return I.abs(a);
      case 'cmeq0': return I.eq(a, zero());
      case 'cmgt0': return I.gt_s(a, zero());
      case 'cmge0': return I.ge_s(a, zero());
      case 'cmle0': return I.le_s(a, zero());
      case 'cmlt0': return I.lt_s(a, zero());
      case 'and': return m.v128.and(a, b());
      case 'bic': return m.v128.andnot(a, b());
      case 'orr': return m.v128.or(a, b());
      case 'orn': return m.v128.or(a, m.v128.not(b()));
      case 'eor': return m.v128.xor(a, b());
      case 'not': return m.v128.not(a);
      case 'bsl': return m.v128.bitselect(a, b(), v(o.rd));
      case 'bit': return m.v128.bitselect(a, v(o.rd), b());
      case 'bif': return m.v128.bitselect(v(o.rd), a, b());
      case 'shl': return I.shl(a, imm(o.shift!));
      case 'ushr': case 'usra': case 'sshr': case 'ssra': {
        // Arm shifts right by 1..esize; Wasm takes the amount modulo the lane width.
        const sh = o.op[0] === 'u' ? (o.shift! === o.esize ? zero() : I.shr_u(a, imm(o.shift!))) : I.shr_s(a, imm(Math.min(o.shift!, o.esize - 1)));
        return o.op.endsWith('sra') ? I.add(v(o.rd), sh) : sh;
      }
    }
    if (!narrow) return null;
    const N = I as typeof m.i32x4; // the 8-, 16- and 32-bit lane operations share these names
    switch (o.op) {
      case 'cmhi': return N.gt_u(a, b());
      case 'cmhs': return N.ge_u(a, b());
      case 'umax': return N.max_u(a, b());
      case 'smax': return N.max_s(a, b());
      case 'umin': return N.min_u(a, b());
      case 'smin': return N.min_s(a, b());
    }
    if (o.esize !== 8) {
      switch (o.op) {
        case 'mul': return N.mul(a, b());
        case 'mla': return N.add(v(o.rd), N.mul(a, b()));
        case 'mls': return N.sub(v(o.rd), N.mul(a, b()));
      }
    }
    // Long and wide forms: lanes of twice the size, from the low or (q) high half of the narrow operands.
    const W = o.esize === 8 ? m.i16x8 : o.esize === 16 ? m.i32x4 : m.i64x2;
    const half = o.q ? 'high' : 'low';
    const from = o.esize === 8 ? 'i8x16' : o.esize === 16 ? 'i16x8' : 'i32x4';
    const ext = (x: Ref) => (W as unknown as Record<string, (x: Ref) => Ref>)[`extend_${half}_${from}_${o.unsigned ? 'u' : 's'}`](x);
    const extmul = (x: Ref, y: Ref) => (W as unknown as Record<string, (x: Ref, y: Ref) => Ref>)[`extmul_${half}_${from}_${o.unsigned ? 'u' : 's'}`](x, y);
    switch (o.op) {
      case 'addl': return W.add(ext(a), ext(b()));
      case 'addw': return W.add(a, ext(b()));
      case 'subl': return W.sub(ext(a), ext(b()));
      case 'subw': return W.sub(a, ext(b()));
      case 'mull': return extmul(a, b());
      case 'mlal': return W.add(v(o.rd), extmul(a, b()));
      case 'mlsl': return W.sub(v(o.rd), extmul(a, b()));
    }
    return null;
  }

  load128(addr: Val, reg: number): () => void {
    const m = this.m;
    const l = this.temp(this.poolV, this.nextV++, binaryen.v128);
    this.stmts.push(m.local.set(l, m.v128.load(0, 1, this.lin(addr))));
    return () => {
      this.usedV.add(reg);
      this.writtenV.add(reg);
      this.stmts.push(m.local.set(this.vl[reg], m.local.get(l, binaryen.v128)));
    };
  }
  store128(addr: Val, reg: number): void {
    this.usedV.add(reg);
    this.stmts.push(this.m.v128.store(0, 1, this.lin(addr), this.m.local.get(this.vl[reg], binaryen.v128)));
  }

  /**
   * Vector floating point in host SIMD where it gives Arm's lanes (with FPCR = 0): every lane's result normal
   * — strictly above the smallest normal, so no tininess was rounded away — or an exact zero. IXC is sticky: once
   * set, nothing more is computed; while clear, each lane's exactness is decided exactly (TwoSum's error for a
   * sum, a fused multiply-add's remainder for a product) wherever that is representable. Any other case runs the
   * lanes one by one through the helpers, which raise the other flags and follow Arm's NaN rules.
   */
  vectorFp(o: VectorFp, lanes: () => void): void {
    if (!hostFusedMadd()) return lanes();
    const m = this.m;
    const v128 = binaryen.v128;
    const saved = this.stmts;
    this.stmts = [];
    lanes();
    const slow = this.stmts;
    this.stmts = saved;
    const d = o.esize === 64;
    const F = d ? m.f64x2 : m.f32x4;
    const splat = (x: number) => F.splat(d ? m.f64.const(x) : m.f32.const(x));
    const tmp = (e: Ref) => {
      const l = this.temp(this.poolV, this.nextV++, v128);
      this.stmts.push(m.local.set(l, e));
      return () => m.local.get(l, v128);
    };
    const reg = (r: number) => m.local.get(this.vl[r], v128);
    const laneBytes = (lane: (i: number) => boolean) => {
      const bytes = new Array<number>(16);
      for (let i = 0; i < 16; i++) bytes[i] = lane(Math.floor((i * 8) / o.esize)) ? 0xff : 0;
      return m.v128.const(bytes);
    };
    const signs = () => {
      const bytes = new Array<number>(16).fill(0);
      for (let i = o.esize / 8 - 1; i < 16; i += o.esize / 8) bytes[i] = 0x80;
      return m.v128.const(bytes);
    };
    const n = tmp(o.negateN ? m.v128.xor(reg(o.rn), signs()) : reg(o.rn));
    const k = tmp(o.mIndex !== undefined ? F.splat(F.extract_lane(reg(o.rm), o.mIndex)) : reg(o.rm));
    const madd = (a: Ref, b: Ref, c: Ref) => this.relaxedMadd(d, a, b, c);
    const a = o.op === 'fmadd' ? tmp(reg(o.rd)) : null;
    const r = tmp(
      o.op === 'fadd' ? F.add(n(), k()) : o.op === 'fsub' ? F.sub(n(), k()) : o.op === 'fmul' ? F.mul(n(), k()) : madd(n(), k(), a!()),
    );
    const partial = o.count * o.esize < 128;
    const inactive = () => laneBytes((i) => i >= o.count);
    const allTrue = (mask: Ref) => (d ? m.i64x2.all_true : m.i32x4.all_true)(partial ? m.v128.or(mask, inactive()) : mask);
    const absR = () => F.abs(r());
    const normal = m.v128.and(F.gt(absR(), splat(d ? 2 ** -1022 : 2 ** -126)), F.lt(absR(), splat(Infinity)));
    const zeroFactor = () => m.v128.or(F.eq(n(), splat(0)), F.eq(k(), splat(0)));
    const exactZero = o.op === 'fadd' || o.op === 'fsub' ? F.eq(r(), splat(0)) : m.v128.and(F.eq(r(), splat(0)), zeroFactor());
    const fpcrZero = m.i32.eqz(globalGet(m, 'fpcr', binaryen.i32));
    const ixcClear = () => m.i32.eqz(m.i32.and(globalGet(m, 'fpsr', binaryen.i32), m.i32.const(0x10)));
    // A product's rounding error n·k − p is a float (so a fused multiply-add gives it exactly) when the exponents
    // of n and k sum to at least emin + precision − 1; |p| above this bound guarantees that.
    const errorBound = () => splat(d ? 2 ** -960 : 2 ** -100);
    const twoSumError = (x: () => Ref, y: () => Ref) => {
      const bb = tmp(F.sub(r(), x()));
      return F.ne(F.add(F.sub(x(), F.sub(r(), bb())), F.sub(y(), bb())), splat(0));
    };
    let known: Ref | null = null; // lanes whose exactness the code below decides (null: all)
    let inexact: () => Ref;
    if (o.op === 'fadd' || o.op === 'fsub') {
      inexact = () => twoSumError(n, o.op === 'fadd' ? k : () => F.neg(k()));
    } else if (o.op === 'fmul') {
      known = m.v128.or(F.ge(absR(), errorBound()), zeroFactor());
      inexact = () => F.ne(madd(n(), k(), F.neg(r())), splat(0));
    } else {
      const p = tmp(F.mul(n(), k()));
      const exactProduct = m.v128.and(F.eq(madd(n(), k(), F.neg(p())), splat(0)), F.ge(F.abs(p()), errorBound()));
      known = m.v128.or(exactProduct, zeroFactor());
      inexact = () => twoSumError(p, a!);
    }
    let ok = m.i32.and(fpcrZero, allTrue(m.v128.or(normal, exactZero)));
    if (known) ok = m.if(ok, m.if(ixcClear(), allTrue(known), m.i32.const(1)), m.i32.const(0));
    const active = (e: Ref) => (partial ? m.v128.and(e, laneBytes((i) => i < o.count)) : e);
    const saveFast = this.stmts;
    this.stmts = [];
    const flag = m.v128.any_true(active(inexact()));
    const ixc = this.raiseIxc(flag, this.stmts);
    this.stmts = saveFast;
    this.stmts.push(
      m.if(
        ok,
        m.block(null, [ixc, m.local.set(this.vl[o.rd], active(r()))]),
        m.block(null, slow),
      ),
    );
  }

  /**
   * Host floating point where it is bit-exact: with FPCR = 0 (round to nearest, no flush-to-zero, no default
   * NaN) an IEEE add, subtract, multiply or divide of Wasm gives Arm's result, except where a NaN, an infinity or
   * a subnormal comes out — those take the software helper, which also raises IOC, DZC, OFC and UFC. What remains
   * is IXC (inexact), computed exactly: TwoSum's error term for add and subtract, and for multiply and divide an
   * integer test of whether the exact product fits the significand. Returns the condition and the value for
   * the fast path, or null when this helper has none.
   */
  private fastFloat(name: string, args: Val[]): { ok: Ref; value: Ref } | null {
    const fma = /^fmadd(32|64)$/.exec(name);
    if (fma) return this.fastFma(fma[1] === '64', args);
    const sq = /^fsqrt(32|64)$/.exec(name);
    if (sq) return this.fastSqrt(sq[1] === '64', args[0]);
    const mt = /^f(add|sub|mul|div|cmpe?)(32|64)$/.exec(name);
    if (!mt) return null;
    const m = this.m;
    const op = mt[1];
    const d = mt[2] === '64';
    const F = d ? m.f64 : m.f32;
    const ft = d ? binaryen.f64 : binaryen.f32;
    const fl = (v: Val) => {
      const l = this.newLocal(ft);
      this.stmts.push(m.local.set(l, d ? m.f64.reinterpret(this.ex(v)) : m.f32.reinterpret(m.i32.wrap(this.ex(v)))));
      return () => m.local.get(l, ft);
    };
    const a = fl(args[0]);
    const b = fl(args[1]);
    const fpcrZero = m.i32.eqz(globalGet(m, 'fpcr', binaryen.i32));
    if (op === 'cmp' || op === 'cmpe') {
      // Ordered operands (FCMPE signals only on NaNs): NZCV = 0110 equal, 1000 less, 0010 greater; unordered goes to the helper (IOC rules).
      const ordered = m.i32.and(F.eq(a(), a()), F.eq(b(), b()));
      const v = m.select(F.eq(a(), b()), m.i32.const(0x6000_0000), m.select(F.lt(a(), b()), m.i32.const(0x8000_0000 | 0), m.i32.const(0x2000_0000)));
      return { ok: m.i32.and(ordered, fpcrZero), value: m.i64.extend_u(v) };
    }
    const r = this.newLocal(ft);
    const rv = () => m.local.get(r, ft);
    const calc = op === 'add' ? F.add(a(), b()) : op === 'sub' ? F.sub(a(), b()) : op === 'mul' ? F.mul(a(), b()) : F.div(a(), b());
    this.stmts.push(m.local.set(r, calc));
    const minNormal = d ? m.f64.const(2 ** -1022) : m.f32.const(2 ** -126);
    const inf = d ? m.f64.const(Infinity) : m.f32.const(Infinity);
    const absR = () => F.abs(rv());
    // Strictly above the smallest normal: then the exact value was not tiny (UFC is decided before rounding).
    const normal = m.i32.and(F.gt(absR(), minNormal), F.lt(absR(), inf));
    // An exact zero: x - x (or x + -x), or a product or quotient with a zero operand of finite others.
    const finite = (x: () => Ref) => F.lt(F.abs(x()), d ? m.f64.const(Infinity) : m.f32.const(Infinity));
    const zeroOk =
      op === 'add' || op === 'sub'
        ? m.i32.and(F.eq(rv(), d ? m.f64.const(0) : m.f32.const(0)), m.i32.and(finite(a), finite(b)))
        : op === 'mul'
          ? m.i32.and(m.i32.or(F.eq(a(), d ? m.f64.const(0) : m.f32.const(0)), F.eq(b(), d ? m.f64.const(0) : m.f32.const(0))), m.i32.and(finite(a), finite(b)))
          : m.i32.and(F.eq(a(), d ? m.f64.const(0) : m.f32.const(0)), m.i32.and(finite(b), F.ne(b(), d ? m.f64.const(0) : m.f32.const(0))));
    const ok = m.i32.and(fpcrZero, m.i32.or(normal, zeroOk));
    let inexact: Ref;
    if (op === 'add' || op === 'sub') {
      // TwoSum (Knuth): err = (a - (r - bb)) + (b' - bb), bb = r - a, b' = ±b; inexact iff err != 0.
      const bs = op === 'add' ? b : () => F.neg(b());
      const bb = () => F.sub(rv(), a());
      inexact = F.ne(F.add(F.sub(a(), F.sub(rv(), bb())), F.sub(bs(), bb())), d ? m.f64.const(0) : m.f32.const(0));
    } else {
      // mul: a·b is exact iff the product of the odd parts of the significands fits; div: r·b == a exactly.
      const [x, y, want] = op === 'mul' ? [a, b, null] : [rv, b, a];
      const exactMul = this.exactProduct(x, y, d);
      inexact =
        want === null
          ? m.i32.eqz(exactMul)
          : m.i32.eqz(m.i32.and(exactMul, F.eq(F.mul(x(), y()), want())));
    }
    const value = m.block(null, [
      this.raiseIxc(inexact),
      d ? m.i64.reinterpret(rv()) : m.i64.extend_u(m.i32.reinterpret(rv())),
    ], binaryen.i64);
    return { ok, value };
  }

  /**
   * FMADD n·m + a on the host when the product is exact (then the fused and the unfused results are the same
   * number, rounded once by the add): typical of code whose values are small rationals; otherwise the helper.
   */
  private fastFma(d: boolean, args: Val[]): { ok: Ref; value: Ref } {
    const m = this.m;
    const F = d ? m.f64 : m.f32;
    const ft = d ? binaryen.f64 : binaryen.f32;
    const fl = (v: Val | Ref) => {
      const l = this.newLocal(ft);
      const src = typeof v === 'number' ? v : d ? m.f64.reinterpret(this.ex(v)) : m.f32.reinterpret(m.i32.wrap(this.ex(v)));
      this.stmts.push(m.local.set(l, src));
      return () => m.local.get(l, ft);
    };
    const n = fl(args[0]);
    const k = fl(args[1]);
    const a = fl(args[2]);
    const p = fl(F.mul(n(), k()));
    const r = fl(F.add(p(), a()));
    const zero = () => (d ? m.f64.const(0) : m.f32.const(0));
    const inf = () => (d ? m.f64.const(Infinity) : m.f32.const(Infinity));
    const minNormal = () => (d ? m.f64.const(2 ** -1022) : m.f32.const(2 ** -126));
    const finite = (x: () => Ref) => F.lt(F.abs(x()), inf());
    const normalOrZero = (x: () => Ref, zeroOk: Ref) =>
      m.i32.or(m.i32.and(F.gt(F.abs(x()), minNormal()), F.lt(F.abs(x()), inf())), m.i32.and(F.eq(x(), zero()), zeroOk));
    const inputsFinite = m.i32.and(m.i32.and(finite(n), finite(k)), finite(a));
    // The product: exact, and normal (or an exact zero from a zero factor); the sum: normal, or an exact zero.
    const productOk = m.i32.and(this.exactProduct(n, k, d), normalOrZero(p, m.i32.or(F.eq(n(), zero()), F.eq(k(), zero()))));
    const ok = m.i32.and(
      m.i32.and(m.i32.eqz(globalGet(m, 'fpcr', binaryen.i32)), inputsFinite),
      m.i32.and(productOk, normalOrZero(r, m.i32.const(1))),
    );
    // IXC of the one rounding, by TwoSum.
    const bb = () => F.sub(r(), p());
    const inexact = F.ne(F.add(F.sub(p(), F.sub(r(), bb())), F.sub(a(), bb())), zero());
    const value = m.block(null, [
      this.raiseIxc(inexact),
      d ? m.i64.reinterpret(r()) : m.i64.extend_u(m.i32.reinterpret(r())),
    ], binaryen.i64);
    return { ok, value };
  }

  /**
   * Sets FPSR.IXC when `inexact`; IXC is sticky, so that (and the statements `before` it, which compute its
   * parts) runs only while it is clear.
   */
  private raiseIxc(inexact: Ref, before: Ref[] = []): Ref {
    const m = this.m;
    const fpsr = () => globalGet(m, 'fpsr', binaryen.i32);
    return m.if(
      m.i32.eqz(m.i32.and(fpsr(), m.i32.const(0x10))),
      m.block(null, [...before, globalSet(m, 'fpsr', m.i32.or(fpsr(), m.i32.shl(inexact, m.i32.const(4))))]),
    );
  }

  /** a·b + c with one rounding, lane-wise (relaxed SIMD; used only where hostFusedMadd() said it fuses). */
  private relaxedMadd(d: boolean, a: Ref, b: Ref, c: Ref): Ref {
    return relaxed._BinaryenSIMDTernary(this.m.ptr, d ? relaxed.RelaxedMaddVecF64x2 : relaxed.RelaxedMaddVecF32x4, a, b, c);
  }

  /**
   * FSQRT of a positive finite number: the host's square root is correctly rounded, as Arm's is. IXC: the
   * remainder x − r·r, which a fused multiply-add gives exactly (for x above 2^-900); without one, only once
   * IXC is already set. Zeros, negatives, infinities and NaNs take the helper (IOC, Arm's NaN rules).
   */
  private fastSqrt(d: boolean, arg: Val): { ok: Ref; value: Ref } {
    const m = this.m;
    const F = d ? m.f64 : m.f32;
    const ft = d ? binaryen.f64 : binaryen.f32;
    const x = this.newLocal(ft);
    const r = this.newLocal(ft);
    const xv = () => m.local.get(x, ft);
    const rv = () => m.local.get(r, ft);
    this.stmts.push(
      m.local.set(x, d ? m.f64.reinterpret(this.ex(arg)) : m.f32.reinterpret(m.i32.wrap(this.ex(arg)))),
      m.local.set(r, F.sqrt(xv())),
    );
    const splat = (v: Ref) => (d ? m.f64x2.splat(v) : m.f32x4.splat(v));
    const lane0 = (v: Ref) => (d ? m.f64x2.extract_lane(v, 0) : m.f32x4.extract_lane(v, 0));
    const fused = hostFusedMadd();
    const ixcSet = m.i32.ne(m.i32.and(globalGet(m, 'fpsr', binaryen.i32), m.i32.const(0x10)), m.i32.const(0));
    const positive = m.i32.and(F.gt(xv(), d ? m.f64.const(0) : m.f32.const(0)), F.lt(xv(), d ? m.f64.const(Infinity) : m.f32.const(Infinity)));
    const residualExact = F.ge(xv(), d ? m.f64.const(2 ** -900) : m.f32.const(2 ** -100));
    const ok = m.i32.and(m.i32.eqz(globalGet(m, 'fpcr', binaryen.i32)), m.i32.and(positive, fused ? m.i32.or(ixcSet, residualExact) : ixcSet));
    const residual = () =>
      lane0(this.relaxedMadd(d, splat(rv()), splat(rv()), splat(F.neg(xv()))));
    const value = m.block(null, [
      fused ? this.raiseIxc(F.ne(residual(), d ? m.f64.const(0) : m.f32.const(0))) : m.nop(),
      d ? m.i64.reinterpret(rv()) : m.i64.extend_u(m.i32.reinterpret(rv())),
    ], binaryen.i64);
    return { ok, value };
  }

  /** i32: 1 when x·y (finite, nonzero or zero) is exactly representable (no rounding), by the significands. */
  private exactProduct(x: () => Ref, y: () => Ref, d: boolean): Ref {
    const m = this.m;
    const bits = d ? 53 : 24;
    // Odd part of a significand: (mantissa | implicit bit) >> ctz; its bit length = 64 - clz (as i64).
    const sig = (v: () => Ref) => {
      const raw = d ? m.i64.reinterpret(v()) : m.i64.extend_u(m.i32.reinterpret(v()));
      const fracMask = d ? m.i64.const(-1, 0x000fffff) : m.i64.const(0x007fffff, 0);
      const expMask = d ? m.i64.const(0, 0x7ff00000) : m.i64.const(0x7f800000, 0);
      const l = this.newLocal(binaryen.i64);
      // normal: implicit one; subnormal (exponent 0): none
      this.stmts.push(
        m.local.set(
          l,
          m.i64.or(
            m.i64.and(raw, fracMask),
            m.select(
              m.i64.ne(m.i64.and(d ? m.i64.reinterpret(v()) : m.i64.extend_u(m.i32.reinterpret(v())), expMask), m.i64.const(0, 0)),
              d ? m.i64.const(0, 0x00100000) : m.i64.const(0x00800000, 0),
              m.i64.const(0, 0),
              binaryen.i64,
            ),
          ),
        ),
      );
      const odd = this.newLocal(binaryen.i64);
      this.stmts.push(m.local.set(odd, m.i64.shr_u(m.local.get(l, binaryen.i64), m.i64.ctz(m.local.get(l, binaryen.i64)))));
      return () => m.local.get(odd, binaryen.i64);
    };
    const ox = sig(x);
    const oy = sig(y);
    const len = (o: () => Ref) => m.i64.sub(m.i64.const(64, 0), m.i64.clz(o()));
    const total = m.i64.add(len(ox), len(oy));
    // Fits for sure when the lengths sum to at most bits; when they sum to bits + 1, the (< 2^54) product decides.
    return m.i32.or(
      m.i64.le_u(total, m.i64.const(bits, 0)),
      m.i32.and(
        m.i64.eq(m.i64.add(len(ox), len(oy)), m.i64.const(bits + 1, 0)),
        m.i64.lt_u(m.i64.mul(ox(), oy()), m.i64.const(d ? 0 : 2 ** 24, d ? 0x00200000 : 0)),
      ),
    );
  }
}
