// Shared vocabulary of the instruction groups: register access by size, operand text in objdump's syntax.
import type { Emitter } from '../emitter.js';

export const COND = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];
export const SHIFT = ['lsl', 'lsr', 'asr', 'ror'];
export const EXTEND = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'];

// ---- semantics helpers ----

/** Reads Xn (sf = 1) or Wn zero-extended (sf = 0); register 31 is the zero register. */
export function readReg<V, B>(e: Emitter<V, B>, n: number, sf: number): V {
  const v = e.getX(n);
  return sf ? v : e.zext(v, 32);
}

/** Writes Xn, or Wn with the upper 32 bits cleared; register 31 discards. */
export function writeReg<V, B>(e: Emitter<V, B>, n: number, sf: number, v: V): void {
  e.setX(n, sf ? v : e.zext(v, 32));
}

/** Reads Xn or Wn where register 31 is SP. */
export function readRegSP<V, B>(e: Emitter<V, B>, n: number, sf: number): V {
  const v = n === 31 ? e.getSP() : e.getX(n);
  return sf ? v : e.zext(v, 32);
}

/** Writes Xn or Wn where register 31 is SP. */
export function writeRegSP<V, B>(e: Emitter<V, B>, n: number, sf: number, v: V): void {
  const w = sf ? v : e.zext(v, 32);
  if (n === 31) e.setSP(w);
  else e.setX(n, w);
}

/** Sign-extends the low `bits` of a field value to a JS number. */
export function sextField(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

/** Wraps a JS number or bigint to an unsigned 64-bit bigint. */
export function u64(v: bigint | number): bigint {
  return BigInt.asUintN(64, BigInt(v));
}

// ---- disassembly helpers ----

/** `x3`/`w3`; register 31 is `xzr`/`wzr`. */
export function rz(n: number, sf: number): string {
  return n === 31 ? (sf ? 'xzr' : 'wzr') : `${sf ? 'x' : 'w'}${n}`;
}

/** `x3`/`w3`; register 31 is `sp`/`wsp`. */
export function rsp(n: number, sf: number): string {
  return n === 31 ? (sf ? 'sp' : 'wsp') : `${sf ? 'x' : 'w'}${n}`;
}

/** objdump's hexadecimal immediate: `#0x1f`, negative values as `#-0x8`. */
export function hex(n: number | bigint): string {
  const v = BigInt(n);
  return v < 0n ? `#-0x${(-v).toString(16)}` : `#0x${v.toString(16)}`;
}

/** A branch target as objdump prints it before the symbol: bare lowercase hex. */
export function target(addr: bigint): string {
  return u64(addr).toString(16);
}

/** A register list as objdump prints it: `{v0.16b, v1.16b}`, or `{v3.4s-v6.4s}` for three or more in a row. */
export function vlist(first: number, count: number, suffix: string): string {
  const regs = Array.from({ length: count }, (_, i) => (first + i) % 32);
  if (count >= 3 && regs[count - 1] > first) return `{v${first}${suffix}-v${regs[count - 1]}${suffix}}`;
  return `{${regs.map((r) => `v${r}${suffix}`).join(', ')}}`;
}

/** VFPExpandImm: the 8-bit floating-point immediate of FMOV (scalar and vector) as a number. */
export function fpImm8(imm8: number): number {
  const sign = imm8 & 0x80 ? -1 : 1;
  return sign * (1 + (imm8 & 15) / 16) * 2 ** ((((imm8 >> 4) & 7) ^ 4) - 3);
}

/** The same immediate's bits as a binary32 or binary64 (exactly representable in both). */
export function fpImm8Bits(imm8: number, bits: 32 | 64): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  if (bits === 64) {
    dv.setFloat64(0, fpImm8(imm8), true);
    return dv.getBigUint64(0, true);
  }
  dv.setFloat32(0, fpImm8(imm8), true);
  return BigInt(dv.getUint32(0, true));
}

/** objdump's `%.18e` text of the immediate (two-digit exponent). */
export function fpImm8Text(imm8: number): string {
  const [m, ex] = fpImm8(imm8).toExponential(18).split('e');
  const n = Number(ex);
  return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}
