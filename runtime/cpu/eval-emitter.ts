// EvalEmitter: the Emitter that computes (D2). Instruction semantics run against it one instruction at a time;
// this is the interpreter's whole knowledge of the ISA. Values are unsigned 64-bit bigints, booleans booleans.
import type { BranchKind, Emitter, MemSize, SysReg } from '../../translator/a64/emitter.js';
import { HELPERS } from '../../translator/a64/helpers/index.js';
import { GUEST_BASE, PROT_READ, PROT_WRITE, type AddressSpace } from '../memory/address-space.js';
import type { Access, Exit } from '../engine/exit.js';
import type { CpuState } from './state.js';
import { sysRegRead } from './sysregs.js';

const M64 = 0xffff_ffff_ffff_ffffn;
const M32 = 0xffff_ffffn;
const SPACE_END = 0x1_0000_0000n;
const SMALL: readonly bigint[] = Array.from({ length: 4096 }, (_, i) => BigInt(i));

/** Thrown by a guest memory access that the address space does not allow; the interpreter turns it into an Exit. */
export class GuestFault {
  constructor(
    readonly addr: bigint,
    readonly access: Access,
    readonly reason: 'unmapped' | 'protection' | 'alignment',
  ) {}
}

export class EvalEmitter implements Emitter<bigint, boolean> {
  /** Where execution continues after the current instruction. */
  next = 0n;
  /** Set when the instruction must leave to the kernel (svc, brk, undefined). */
  exit: Exit | null = null;
  /** Called by IC IVAU so an engine can drop stale translations. */
  onInvalidate: ((addr: bigint) => void) | null = null;

  constructor(
    readonly cpu: CpuState,
    public mem: AddressSpace,
  ) {}

  c(n: bigint | number): bigint {
    // Small non-negative constants (shift amounts, immediates, 0/1) come from a table: no allocation.
    if (typeof n === 'number') return n >= 0 && n < SMALL.length && Number.isInteger(n) ? SMALL[n] : BigInt.asUintN(64, BigInt(n));
    return n >= 0n && n <= M64 ? n : BigInt.asUintN(64, n);
  }
  getX(n: number): bigint {
    return n === 31 ? 0n : this.cpu.x[n];
  }
  setX(n: number, v: bigint): void {
    if (n !== 31) this.cpu.x[n] = v;
  }
  getSP(): bigint {
    return this.cpu.x[31];
  }
  setSP(v: bigint): void {
    this.cpu.x[31] = v;
    const n = Number(v);
    if (n < this.mem.stackLow) this.mem.stackLow = n; // see AddressSpace.stackLow
  }
  getNZCV(): bigint {
    return BigInt(this.cpu.nzcv >>> 0);
  }
  setNZCV(v: bigint): void {
    this.cpu.nzcv = Number(v & 0xf000_0000n);
  }
  getV(reg: number, lane: number, esize: number): bigint {
    const dv = this.cpu.vview;
    const off = reg * 16 + (lane * esize) / 8;
    switch (esize) {
      case 8:
        return BigInt(dv.getUint8(off));
      case 16:
        return BigInt(dv.getUint16(off, true));
      case 32:
        return BigInt(dv.getUint32(off, true));
      default:
        return dv.getBigUint64(off, true);
    }
  }
  setV(reg: number, lane: number, esize: number, v: bigint): void {
    const dv = this.cpu.vview;
    const off = reg * 16 + (lane * esize) / 8;
    switch (esize) {
      case 8:
        dv.setUint8(off, Number(v & 0xffn));
        break;
      case 16:
        dv.setUint16(off, Number(v & 0xffffn), true);
        break;
      case 32:
        dv.setUint32(off, Number(v & M32), true);
        break;
      default:
        dv.setBigUint64(off, v, true);
    }
  }
  getSys(r: SysReg): bigint {
    return sysRegRead(this.cpu, r);
  }
  setSys(r: SysReg, v: bigint): void {
    switch (r) {
      case 'TPIDR_EL0':
        this.cpu.tpidr = v;
        return;
      case 'FPCR':
        this.cpu.fpcr = Number(v & 0x07ff_9f00n);
        return;
      case 'FPSR':
        this.cpu.fpsr = Number(v & 0xf800_009fn);
        return;
      default:
        this.undefined();
    }
  }

  add(a: bigint, b: bigint): bigint {
    return (a + b) & M64;
  }
  sub(a: bigint, b: bigint): bigint {
    return (a - b) & M64;
  }
  mul(a: bigint, b: bigint): bigint {
    return (a * b) & M64;
  }
  umulh(a: bigint, b: bigint): bigint {
    return (a * b) >> 64n;
  }
  smulh(a: bigint, b: bigint): bigint {
    return ((BigInt.asIntN(64, a) * BigInt.asIntN(64, b)) >> 64n) & M64;
  }
  udiv(a: bigint, b: bigint): bigint {
    return b === 0n ? 0n : a / b;
  }
  sdiv(a: bigint, b: bigint): bigint {
    if (b === 0n) return 0n;
    return BigInt.asUintN(64, BigInt.asIntN(64, a) / BigInt.asIntN(64, b));
  }
  and(a: bigint, b: bigint): bigint {
    return a & b;
  }
  or(a: bigint, b: bigint): bigint {
    return a | b;
  }
  xor(a: bigint, b: bigint): bigint {
    return a ^ b;
  }
  not(a: bigint): bigint {
    return a ^ M64;
  }
  neg(a: bigint): bigint {
    return (-a) & M64;
  }
  shl(a: bigint, n: bigint): bigint {
    return (a << (n & 63n)) & M64;
  }
  lshr(a: bigint, n: bigint): bigint {
    return a >> (n & 63n);
  }
  ashr(a: bigint, n: bigint): bigint {
    return BigInt.asUintN(64, BigInt.asIntN(64, a) >> (n & 63n));
  }
  ror(a: bigint, n: bigint): bigint {
    const s = n & 63n;
    return s === 0n ? a : ((a >> s) | (a << (64n - s))) & M64;
  }
  zext(a: bigint, bits: number): bigint {
    return BigInt.asUintN(bits, a);
  }
  sext(a: bigint, bits: number): bigint {
    return BigInt.asUintN(64, BigInt.asIntN(bits, a));
  }
  clz(a: bigint): bigint {
    if (a === 0n) return 64n;
    const hi = Number(a >> 32n);
    return BigInt(hi ? Math.clz32(hi) : 32 + Math.clz32(Number(a & M32)));
  }
  bswap(a: bigint): bigint {
    let r = 0n;
    for (let i = 0; i < 8; i++) {
      r = (r << 8n) | (a & 0xffn);
      a >>= 8n;
    }
    return r;
  }
  rbit(a: bigint): bigint {
    let r = 0n;
    for (let i = 0; i < 64; i++) {
      r = (r << 1n) | (a & 1n);
      a >>= 1n;
    }
    return r;
  }

  eq(a: bigint, b: bigint): boolean {
    return a === b;
  }
  ne(a: bigint, b: bigint): boolean {
    return a !== b;
  }
  ltu(a: bigint, b: bigint): boolean {
    return a < b;
  }
  leu(a: bigint, b: bigint): boolean {
    return a <= b;
  }
  lts(a: bigint, b: bigint): boolean {
    return BigInt.asIntN(64, a) < BigInt.asIntN(64, b);
  }
  les(a: bigint, b: bigint): boolean {
    return BigInt.asIntN(64, a) <= BigInt.asIntN(64, b);
  }
  bool(b: boolean): boolean {
    return b;
  }
  band(a: boolean, b: boolean): boolean {
    return a && b;
  }
  bor(a: boolean, b: boolean): boolean {
    return a || b;
  }
  bnot(a: boolean): boolean {
    return !a;
  }
  select(cond: boolean, t: bigint, f: bigint): bigint {
    return cond ? t : f;
  }
  fromBool(b: boolean): bigint {
    return b ? 1n : 0n;
  }

  addWithFlags(a: bigint, b: bigint, carryIn: bigint, bits: 32 | 64): bigint {
    // Hot (every CMP/ADDS/SUBS): flags from bit operations, no signed re-interpretation.
    const mask = bits === 64 ? M64 : M32;
    const top = bits === 64 ? 63n : 31n;
    const ua = a & mask;
    const ub = b & mask;
    const sum = ua + ub + carryIn;
    const r = sum & mask;
    const n = Number((r >> top) & 1n);
    const z = r === 0n ? 1 : 0;
    const c = sum > mask ? 1 : 0;
    // Overflow: both operands have the same sign and the result's differs.
    const v = Number((((ua ^ r) & (ub ^ r)) >> top) & 1n);
    this.cpu.nzcv = ((n << 31) | (z << 30) | (c << 29) | (v << 28)) >>> 0;
    return r;
  }
  logicFlags(result: bigint, bits: 32 | 64): void {
    const r = bits === 64 ? result : result & M32;
    const n = Number((r >> BigInt(bits - 1)) & 1n);
    this.cpu.nzcv = ((n << 31) | ((r === 0n ? 1 : 0) << 30)) >>> 0;
  }
  carry(): bigint {
    return BigInt((this.cpu.nzcv >>> 29) & 1);
  }
  cond(cc: number): boolean {
    const f = this.cpu.nzcv;
    const n = (f >>> 31) & 1;
    const z = (f >>> 30) & 1;
    const c = (f >>> 29) & 1;
    const v = (f >>> 28) & 1;
    let r: boolean;
    switch (cc >> 1) {
      case 0: r = z === 1; break;
      case 1: r = c === 1; break;
      case 2: r = n === 1; break;
      case 3: r = v === 1; break;
      case 4: r = c === 1 && z === 0; break;
      case 5: r = n === v; break;
      case 6: r = n === v && z === 0; break;
      default: return true; // AL and NV
    }
    return cc & 1 ? !r : r;
  }

  /** Checks an access and returns the linear offset; throws GuestFault when not allowed. */
  private at(addr: bigint, size: number, prot: number): number {
    const access: Access = prot === PROT_WRITE ? 'write' : 'read';
    if (addr + BigInt(size) > SPACE_END) throw new GuestFault(addr, access, 'unmapped');
    const a = Number(addr);
    const perms = this.mem.perms;
    const p0 = perms[a >>> 12];
    const p1 = perms[(a + size - 1) >>> 12];
    if (!(p0 & prot) || !(p1 & prot)) {
      const bad = p0 & prot ? BigInt((a + size - 1) & ~0xfff) : addr;
      throw new GuestFault(bad, access, p0 === 0 || p1 === 0 ? 'unmapped' : 'protection');
    }
    return a - GUEST_BASE;
  }
  load(addr: bigint, size: MemSize, signed = false): bigint {
    const a = this.at(addr, size, PROT_READ);
    const dv = this.mem.view;
    switch (size) {
      case 1:
        return signed ? BigInt.asUintN(64, BigInt(dv.getInt8(a))) : BigInt(dv.getUint8(a));
      case 2:
        return signed ? BigInt.asUintN(64, BigInt(dv.getInt16(a, true))) : BigInt(dv.getUint16(a, true));
      case 4:
        return signed ? BigInt.asUintN(64, BigInt(dv.getInt32(a, true))) : BigInt(dv.getUint32(a, true));
      default:
        return dv.getBigUint64(a, true);
    }
  }
  store(addr: bigint, v: bigint, size: MemSize): void {
    const a = this.at(addr, size, PROT_WRITE);
    const dv = this.mem.view;
    switch (size) {
      case 1:
        dv.setUint8(a, Number(v & 0xffn));
        break;
      case 2:
        dv.setUint16(a, Number(v & 0xffffn), true);
        break;
      case 4:
        dv.setUint32(a, Number(v & M32), true);
        break;
      default:
        dv.setBigUint64(a, v & M64, true);
    }
  }
  loadExclusive(addr: bigint, size: MemSize, span: number = size): bigint {
    if (addr % BigInt(span) !== 0n) throw new GuestFault(addr, 'read', 'alignment');
    const v = this.load(addr, size);
    this.cpu.exclusiveAddr = addr;
    this.cpu.exclusiveSize = span;
    return v;
  }
  storeExclusive(addr: bigint, v: bigint, size: MemSize, span: number = size): bigint {
    if (addr % BigInt(span) !== 0n) throw new GuestFault(addr, 'write', 'alignment');
    const ok = this.cpu.exclusiveAddr === addr && this.cpu.exclusiveSize === span;
    this.cpu.exclusiveAddr = -1n;
    if (!ok) return 1n;
    this.store(addr, v, size);
    return 0n;
  }
  clearExclusive(): void {
    this.cpu.exclusiveAddr = -1n;
  }

  branch(target: bigint, _kind?: BranchKind): void {
    this.next = target & M64;
  }
  branchIf(cond: boolean, target: bigint): void {
    if (cond) this.next = target & M64;
  }
  branchReg(target: bigint, _kind: BranchKind): void {
    this.next = target;
  }
  svc(imm: number): void {
    this.cpu.exclusiveAddr = -1n; // taking an exception clears the local monitor, as on Linux
    this.exit = { kind: 'svc', imm };
  }
  brk(imm: number): void {
    this.exit = { kind: 'brk', imm };
  }
  undefined(): void {
    this.exit = { kind: 'undefined', word: 0 };
  }
  invalidateCode(addr: bigint): void {
    this.onInvalidate?.(addr);
  }
  helper(name: string, ...args: bigint[]): bigint {
    const h = HELPERS[name];
    if (!h) throw new Error(`no helper named '${name}'`);
    return h(this.cpu, ...args);
  }
}
