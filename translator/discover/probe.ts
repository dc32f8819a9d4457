// The probe: an Emitter that runs an instruction's semantics to learn what discovery needs — where control
// goes and which constant addresses it computes — without a second description of the ISA (D1, D2).
// Values are known constants (bigint) or unknown (null); arithmetic on constants folds, anything else is unknown.
import type { BranchKind, Emitter, MemSize, SysReg } from '../a64/emitter.js';

const M64 = (1n << 64n) - 1n;
/** The symbolic stack pointer of stackFrame() sweeps, and how far around it slots are modelled. */
export const FRAME = 0x7f00_0000_0000n;
const FRAME_SPAN = 1n << 24n;

/** How one instruction leaves the straight line. */
export type Flow =
  | { kind: 'next' }
  /** B, BL (`call`): a constant target. */
  | { kind: 'branch'; target: bigint; branch: BranchKind }
  /** B.cond, CBZ, TBZ: to target or to the next instruction. */
  | { kind: 'cond'; target: bigint }
  /** BR, BLR, RET: `target` when discovery could compute it. */
  | { kind: 'reg'; branch: BranchKind; target: bigint | null }
  | { kind: 'svc' }
  /** BRK, UDF, unallocated: execution stops here (the kernel raises a signal). */
  | { kind: 'stop' };

type PV = bigint | null;
type PB = boolean | null;

export class ProbeEmitter implements Emitter<PV, PB> {
  /** Known register values (X0–X30, SP at 31); reset at block boundaries by the caller. */
  regs: PV[] = new Array<PV>(32).fill(null);
  flow: Flow = { kind: 'next' };
  /** Constants written to registers by this instruction (ADR/ADRP/ADD): code-pointer candidates. */
  readonly written: bigint[] = [];
  /** Registers (0–30) this instruction wrote, known value or not. */
  readonly wrote: number[] = [];
  /**
   * Stack slots, for the jump-table recogniser's sweeps (see stackFrame()): address → the value stored there and
   * its size. null (the default) models no memory: loads are unknown and stores are dropped.
   */
  private slots: Map<bigint, { v: PV; size: MemSize }> | null = null;

  reset(): void {
    this.regs.fill(null);
    this.slots = null;
  }
  begin(): void {
    this.flow = { kind: 'next' };
    this.written.length = 0;
    this.wrote.length = 0;
  }
  /**
   * Starts a sweep that remembers stack slots: SP becomes the symbolic FRAME, so SP-relative addresses fold to
   * constants and a load from a slot returns what a store put there (a spilled jump-table address). Only slots
   * near FRAME are modelled: nothing else writes our frame, whereas a global may change behind our back. FRAME
   * lies far above 4 GiB, so no address derived from it passes for an image address.
   */
  stackFrame(): void {
    this.slots = new Map();
    this.regs[31] = FRAME;
  }

  c(n: bigint | number): PV {
    return BigInt.asUintN(64, BigInt(n));
  }
  getX(n: number): PV {
    return n === 31 ? 0n : this.regs[n];
  }
  setX(n: number, v: PV): void {
    if (n === 31) return;
    this.regs[n] = v;
    this.wrote.push(n);
    if (v !== null) this.written.push(v);
  }
  getSP(): PV {
    return this.regs[31];
  }
  setSP(v: PV): void {
    this.regs[31] = v;
  }
  getNZCV(): PV {
    return null;
  }
  setNZCV(): void {}
  getV(): PV {
    return null;
  }
  setV(): void {}
  getSys(_r: SysReg): PV {
    return null;
  }
  setSys(): void {}

  private f2(a: PV, b: PV, op: (a: bigint, b: bigint) => bigint): PV {
    return a === null || b === null ? null : op(a, b) & M64;
  }
  add(a: PV, b: PV): PV {
    return this.f2(a, b, (x, y) => x + y);
  }
  sub(a: PV, b: PV): PV {
    return this.f2(a, b, (x, y) => x - y);
  }
  mul(a: PV, b: PV): PV {
    return this.f2(a, b, (x, y) => x * y);
  }
  umulh(): PV {
    return null;
  }
  smulh(): PV {
    return null;
  }
  udiv(): PV {
    return null;
  }
  sdiv(): PV {
    return null;
  }
  and(a: PV, b: PV): PV {
    return this.f2(a, b, (x, y) => x & y);
  }
  or(a: PV, b: PV): PV {
    return this.f2(a, b, (x, y) => x | y);
  }
  xor(a: PV, b: PV): PV {
    return this.f2(a, b, (x, y) => x ^ y);
  }
  not(a: PV): PV {
    return a === null ? null : a ^ M64;
  }
  neg(a: PV): PV {
    return a === null ? null : -a & M64;
  }
  shl(a: PV, n: PV): PV {
    return this.f2(a, n, (x, y) => x << (y & 63n));
  }
  lshr(a: PV, n: PV): PV {
    return this.f2(a, n, (x, y) => x >> (y & 63n));
  }
  ashr(a: PV, n: PV): PV {
    return this.f2(a, n, (x, y) => BigInt.asIntN(64, x) >> (y & 63n));
  }
  ror(): PV {
    return null;
  }
  zext(a: PV, bits: number): PV {
    return a === null ? null : BigInt.asUintN(bits, a);
  }
  sext(a: PV, bits: number): PV {
    return a === null ? null : BigInt.asUintN(64, BigInt.asIntN(bits, a));
  }
  clz(): PV {
    return null;
  }
  bswap(): PV {
    return null;
  }
  rbit(): PV {
    return null;
  }
  eq(): PB {
    return null;
  }
  ne(): PB {
    return null;
  }
  ltu(): PB {
    return null;
  }
  leu(): PB {
    return null;
  }
  lts(): PB {
    return null;
  }
  les(): PB {
    return null;
  }
  bool(b: boolean): PB {
    return b;
  }
  band(): PB {
    return null;
  }
  bor(): PB {
    return null;
  }
  bnot(): PB {
    return null;
  }
  select(): PV {
    return null;
  }
  fromBool(): PV {
    return null;
  }
  addWithFlags(): PV {
    return null;
  }
  logicFlags(): void {}
  carry(): PV {
    return null;
  }
  cond(cc: number): PB {
    return cc >= 14 ? true : null;
  }
  load(a: PV, size: MemSize, signed?: boolean): PV {
    const s = a === null ? undefined : this.slots?.get(a);
    if (!s || s.size !== size || s.v === null) return null;
    return signed ? this.sext(s.v, size * 8) : this.zext(s.v, size * 8);
  }
  store(a: PV, v: PV, size: MemSize): void {
    if (!this.slots || a === null || a < FRAME - FRAME_SPAN || a > FRAME + FRAME_SPAN) return;
    // A store overwrites every slot it overlaps (slots are at most 8 bytes long).
    for (let k = a - 7n; k < a + BigInt(size); k++) {
      const s = this.slots.get(k);
      if (s && k + BigInt(s.size) > a) this.slots.delete(k);
    }
    this.slots.set(a, { v: v === null ? null : BigInt.asUintN(size * 8, v), size });
  }
  loadExclusive(): PV {
    return null;
  }
  storeExclusive(): PV {
    return null;
  }
  clearExclusive(): void {}
  branch(target: bigint, kind: BranchKind = 'jump'): void {
    this.flow = { kind: 'branch', target: target & M64, branch: kind };
  }
  branchIf(cond: PB, target: bigint): void {
    // B.AL / B.NV are unconditional
    this.flow = cond === true ? { kind: 'branch', target: target & M64, branch: 'jump' } : { kind: 'cond', target: target & M64 };
  }
  branchReg(target: PV, kind: BranchKind): void {
    this.flow = { kind: 'reg', branch: kind, target };
  }
  svc(): void {
    this.flow = { kind: 'svc' };
  }
  brk(): void {
    this.flow = { kind: 'stop' };
  }
  undefined(): void {
    this.flow = { kind: 'stop' };
  }
  invalidateCode(): void {}
  helper(): PV {
    return null;
  }
}
