// IEEE 754 binary32/binary64 arithmetic on bit patterns, exactly as Arm specifies it at EL0: every result is
// computed exactly (BigInt) and rounded once in FPCR's rounding mode, raising FPSR's cumulative flags
// (IOC, DZC, OFC, UFC, IXC, IDC) and following Arm's NaN rules and FPCR.FZ (flush denormals to zero).
import type { HelperEnv } from './index.js';

export interface Fmt {
  bits: 32 | 64;
  /** Significand precision including the hidden bit. */
  p: number;
  emin: number;
  emax: number;
  fracBits: bigint;
  expMask: bigint;
  quiet: bigint;
  sign: bigint;
  defaultNaN: bigint;
  /** Whether FPCR.FZ applies (binary16 follows FZ16, of FEAT_FP16, instead: never here). */
  fz: boolean;
}

export const F64: Fmt = { bits: 64, p: 53, emin: -1022, emax: 1023, fracBits: 52n, expMask: 0x7ffn, quiet: 1n << 51n, sign: 1n << 63n, defaultNaN: 0x7ff8_0000_0000_0000n, fz: true };
/** IEEE binary16 (FPCR.AHP = 0; the alternative half-precision format is not modelled). */
export const F16: Fmt = { bits: 32, p: 11, emin: -14, emax: 15, fracBits: 10n, expMask: 0x1fn, quiet: 1n << 9n, sign: 1n << 15n, defaultNaN: 0x7e00n, fz: false };
export const F32: Fmt = { bits: 32, p: 24, emin: -126, emax: 127, fracBits: 23n, expMask: 0xffn, quiet: 1n << 22n, sign: 1n << 31n, defaultNaN: 0x7fc0_0000n, fz: true };

export const FPSR = { IOC: 1, DZC: 2, OFC: 4, UFC: 8, IXC: 16, IDC: 128 } as const;
const DN = 1 << 25;
const FZ = 1 << 24;
export const RN = 0;
export const RP = 1;
export const RM = 2;
export const RZ = 3;

export function rmodeOf(env: HelperEnv): number {
  return (env.fpcr >>> 22) & 3;
}

/** A decoded operand: value = (-1)^neg × m × 2^e for numbers. */
export interface Unpacked {
  cls: 'zero' | 'num' | 'inf' | 'qnan' | 'snan';
  neg: boolean;
  m: bigint;
  e: number;
}

/** FPUnpack: with FPCR.FZ a denormal operand reads as zero and raises IDC. */
export function unpack(f: Fmt, v: bigint, env?: HelperEnv): Unpacked {
  const neg = (v & f.sign) !== 0n;
  const exp = Number((v >> f.fracBits) & f.expMask);
  const frac = v & ((1n << f.fracBits) - 1n);
  const bias = f.emax;
  if (exp === Number(f.expMask)) {
    if (frac === 0n) return { cls: 'inf', neg, m: 0n, e: 0 };
    return { cls: frac & f.quiet ? 'qnan' : 'snan', neg, m: 0n, e: 0 };
  }
  if (exp === 0) {
    if (frac === 0n) return { cls: 'zero', neg, m: 0n, e: 0 };
    if (env && env.fpcr & FZ && f.fz) {
      env.fpsr |= FPSR.IDC;
      return { cls: 'zero', neg, m: 0n, e: 0 };
    }
    return { cls: 'num', neg, m: frac, e: f.emin - (f.p - 1) };
  }
  return { cls: 'num', neg, m: frac | (1n << f.fracBits), e: exp - bias - (f.p - 1) };
}

export const isNaN = (u: Unpacked) => u.cls === 'qnan' || u.cls === 'snan';

export function zero(f: Fmt, neg: boolean): bigint {
  return neg ? f.sign : 0n;
}
export function inf(f: Fmt, neg: boolean): bigint {
  return (neg ? f.sign : 0n) | (f.expMask << f.fracBits);
}

/** FPProcessNaNs: SNaN operands first (IOC, quieted), then QNaNs, in operand order; null when none. */
export function processNaNs(f: Fmt, env: HelperEnv, vals: bigint[], us: Unpacked[]): bigint | null {
  let pick = -1;
  for (let i = 0; i < us.length && pick < 0; i++) if (us[i].cls === 'snan') pick = i;
  if (pick >= 0) env.fpsr |= FPSR.IOC;
  for (let i = 0; i < us.length && pick < 0; i++) if (us[i].cls === 'qnan') pick = i;
  if (pick < 0) return null;
  return env.fpcr & DN ? f.defaultNaN : vals[pick] | f.quiet;
}

export function invalid(f: Fmt, env: HelperEnv): bigint {
  env.fpsr |= FPSR.IOC;
  return f.defaultNaN;
}

function bitlen(m: bigint): number {
  return m.toString(2).length;
}

/** Rounds the exact ±m × 2^e into format f, raising IXC/UFC/OFC. */
export function round(f: Fmt, env: HelperEnv, neg: boolean, m: bigint, e: number): bigint {
  if (m === 0n) return zero(f, neg);
  const mode = rmodeOf(env);
  const exp = bitlen(m) - 1 + e;
  if (env.fpcr & FZ && f.fz && exp < f.emin) {
    // Flush to zero: a tiny result becomes a signed zero with UFC (and no IXC).
    env.fpsr |= FPSR.UFC;
    return zero(f, neg);
  }
  let lsb = Math.max(exp - (f.p - 1), f.emin - (f.p - 1));
  let q: bigint;
  let inexact = false;
  if (lsb <= e) q = m << BigInt(e - lsb);
  else {
    const shift = BigInt(lsb - e);
    q = m >> shift;
    const rem = m & ((1n << shift) - 1n);
    inexact = rem !== 0n;
    const half = 1n << (shift - 1n);
    let up = false;
    if (mode === RN) up = rem > half || (rem === half && (q & 1n) === 1n);
    else if (mode === RP) up = !neg && inexact;
    else if (mode === RM) up = neg && inexact;
    if (up) q += 1n;
    if (q === 1n << BigInt(f.p)) {
      q >>= 1n;
      lsb++;
    }
  }
  const resultExp = bitlen(q) - 1 + lsb;
  if (resultExp > f.emax) {
    env.fpsr |= FPSR.OFC | FPSR.IXC;
    const toInf = mode === RN || (mode === RP && !neg) || (mode === RM && neg);
    return toInf ? inf(f, neg) : (neg ? f.sign : 0n) | (((f.expMask - 1n) << f.fracBits) | ((1n << f.fracBits) - 1n));
  }
  if (inexact) {
    env.fpsr |= FPSR.IXC;
    if (exp < f.emin) env.fpsr |= FPSR.UFC; // tiny before rounding, and inexact
  }
  const sign = neg ? f.sign : 0n;
  if (bitlen(q) === f.p) return sign | (BigInt(resultExp + f.emax) << f.fracBits) | (q & ((1n << f.fracBits) - 1n));
  return sign | q; // subnormal
}

/** Exact a + b of two numbers/zeros (no NaN/inf), rounded. */
function addExact(f: Fmt, env: HelperEnv, a: Unpacked, b: Unpacked): bigint {
  if (a.cls === 'zero' && b.cls === 'zero') {
    const neg = a.neg === b.neg ? a.neg : rmodeOf(env) === RM;
    return zero(f, neg);
  }
  if (a.cls === 'zero') return round(f, env, b.neg, b.m, b.e);
  if (b.cls === 'zero') return round(f, env, a.neg, a.m, a.e);
  const e = Math.min(a.e, b.e);
  const sa = (a.neg ? -a.m : a.m) << BigInt(a.e - e);
  const sb = (b.neg ? -b.m : b.m) << BigInt(b.e - e);
  const s = sa + sb;
  if (s === 0n) return zero(f, rmodeOf(env) === RM);
  return round(f, env, s < 0n, s < 0n ? -s : s, e);
}

// ---- fast paths: round-to-nearest, no FZ, finite normal operands and result. The host's IEEE arithmetic is
// then exactly Arm's, and the error terms (TwoSum, Dekker) say whether it was inexact. Anything else takes
// the exact path below.
const view = new DataView(new ArrayBuffer(8));
function toF(f: Fmt, v: bigint): number {
  if (f.bits === 64) {
    view.setBigUint64(0, v, true);
    return view.getFloat64(0, true);
  }
  view.setUint32(0, Number(v), true);
  return view.getFloat32(0, true);
}
function fromF(f: Fmt, x: number): bigint {
  if (f.bits === 64) {
    view.setFloat64(0, x, true);
    return view.getBigUint64(0, true);
  }
  view.setFloat32(0, x, true);
  return BigInt(view.getUint32(0, true));
}
const MIN_NORMAL = { 64: 2 ** -1022, 32: 2 ** -126 } as const;
const MAX_SAFE_OPERAND = 2 ** 995; // Dekker's split stays finite below this

function fastOk(f: Fmt, env: HelperEnv, ...xs: number[]): boolean {
  if ((env.fpcr & (FZ | DN | (3 << 22))) !== 0) return false;
  for (const x of xs) {
    const ax = Math.abs(x);
    if (!(ax >= MIN_NORMAL[f.bits] && ax < MAX_SAFE_OPERAND)) return false;
  }
  return true;
}
function split(x: number): [number, number] {
  const t = 134217729 * x;
  const hi = t - (t - x);
  return [hi, x - hi];
}
/** The rounded result if it is a finite normal number of format f, with IXC raised when inexact; else null. */
function fastResult(f: Fmt, env: HelperEnv, d: number, err: number): bigint | null {
  const r = f.bits === 64 ? d : Math.fround(d);
  const ar = Math.abs(r);
  // Strictly above the smallest normal: then the exact value was not tiny either (UFC is decided before rounding).
  if (!(ar > MIN_NORMAL[f.bits]) || ar === Infinity) return null;
  if (err !== 0 || r !== d) env.fpsr |= FPSR.IXC;
  return fromF(f, r);
}
function fastAdd(f: Fmt, env: HelperEnv, x: bigint, y: bigint, negateY: boolean): bigint | null {
  const a = toF(f, x);
  const b = negateY ? -toF(f, y) : toF(f, y);
  if (!fastOk(f, env, a, b)) return null;
  const s = a + b;
  const bb = s - a;
  const err = a - (s - bb) + (b - bb);
  return fastResult(f, env, s, err);
}
function fastMul(f: Fmt, env: HelperEnv, x: bigint, y: bigint): bigint | null {
  const a = toF(f, x);
  const b = toF(f, y);
  if (!fastOk(f, env, a, b)) return null;
  const p = a * b;
  // Dekker's error term is exact only while it is a normal double: the exponents must sum to -970 or more.
  if (f.bits === 64 && Math.abs(p) < 2 ** -960) return null;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const err = ah * bh - p + ah * bl + al * bh + al * bl;
  return fastResult(f, env, p, err);
}

export function add(f: Fmt, env: HelperEnv, x: bigint, y: bigint, negateY = false): bigint {
  const fast = fastAdd(f, env, x, y, negateY);
  if (fast !== null) return fast;
  const a = unpack(f, x, env);
  const b = unpack(f, y, env);
  const nan = processNaNs(f, env, [x, y], [a, b]);
  if (nan !== null) return nan;
  if (negateY) b.neg = !b.neg;
  if (a.cls === 'inf' || b.cls === 'inf') {
    if (a.cls === 'inf' && b.cls === 'inf' && a.neg !== b.neg) return invalid(f, env);
    return inf(f, a.cls === 'inf' ? a.neg : b.neg);
  }
  return addExact(f, env, a, b);
}

export function mul(f: Fmt, env: HelperEnv, x: bigint, y: bigint): bigint {
  const fast = fastMul(f, env, x, y);
  if (fast !== null) return fast;
  const a = unpack(f, x, env);
  const b = unpack(f, y, env);
  const nan = processNaNs(f, env, [x, y], [a, b]);
  if (nan !== null) return nan;
  const neg = a.neg !== b.neg;
  if (a.cls === 'inf' || b.cls === 'inf') {
    if (a.cls === 'zero' || b.cls === 'zero') return invalid(f, env);
    return inf(f, neg);
  }
  if (a.cls === 'zero' || b.cls === 'zero') return zero(f, neg);
  return round(f, env, neg, a.m * b.m, a.e + b.e);
}

export function div(f: Fmt, env: HelperEnv, x: bigint, y: bigint): bigint {
  const a = unpack(f, x, env);
  const b = unpack(f, y, env);
  const nan = processNaNs(f, env, [x, y], [a, b]);
  if (nan !== null) return nan;
  const neg = a.neg !== b.neg;
  if (a.cls === 'inf') return b.cls === 'inf' ? invalid(f, env) : inf(f, neg);
  if (b.cls === 'inf') return zero(f, neg);
  if (b.cls === 'zero') {
    if (a.cls === 'zero') return invalid(f, env);
    env.fpsr |= FPSR.DZC;
    return inf(f, neg);
  }
  if (a.cls === 'zero') return zero(f, neg);
  // Enough quotient bits for the precision plus guard bits; the remainder becomes a sticky bit.
  const k = f.p + 3 + Math.max(0, bitlen(b.m) - bitlen(a.m));
  const num = a.m << BigInt(k);
  const q = num / b.m;
  const sticky = num % b.m !== 0n ? 1n : 0n;
  return round(f, env, neg, (q << 1n) | sticky, a.e - b.e - k - 1);
}

/** Floor of the square root: Newton's iteration from a power of two above the root, decreasing to it. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitlen(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function sqrt(f: Fmt, env: HelperEnv, x: bigint): bigint {
  const a = unpack(f, x, env);
  const nan = processNaNs(f, env, [x], [a]);
  if (nan !== null) return nan;
  if (a.cls === 'zero') return zero(f, a.neg);
  if (a.neg) return invalid(f, env);
  if (a.cls === 'inf') return x;
  let m = a.m;
  let e = a.e;
  if (e & 1) {
    m <<= 1n;
    e -= 1;
  }
  const k = f.p + 3;
  const scaled = m << BigInt(2 * k);
  const r = isqrt(scaled);
  const sticky = r * r !== scaled ? 1n : 0n;
  return round(f, env, false, (r << 1n) | sticky, e / 2 - k - 1);
}

/** FPMulAdd(addend, op1, op2) with one rounding. */
export function mulAdd(f: Fmt, env: HelperEnv, n: bigint, m: bigint, addend: bigint): bigint {
  const a = unpack(f, addend, env);
  const x = unpack(f, n, env);
  const y = unpack(f, m, env);
  const infZero = (x.cls === 'inf' && y.cls === 'zero') || (x.cls === 'zero' && y.cls === 'inf');
  if (a.cls === 'qnan' && infZero) return invalid(f, env);
  const nan = processNaNs(f, env, [addend, n, m], [a, x, y]);
  if (nan !== null) return nan;
  if (infZero) return invalid(f, env);
  const pneg = x.neg !== y.neg;
  const pinf = x.cls === 'inf' || y.cls === 'inf';
  if (pinf || a.cls === 'inf') {
    if (pinf && a.cls === 'inf' && pneg !== a.neg) return invalid(f, env);
    return inf(f, pinf ? pneg : a.neg);
  }
  const p: Unpacked = x.cls === 'zero' || y.cls === 'zero' ? { cls: 'zero', neg: pneg, m: 0n, e: 0 } : { cls: 'num', neg: pneg, m: x.m * y.m, e: x.e + y.e };
  return addExact(f, env, p, a);
}

/** FCMP/FCMPE: NZCV in bits 31:28. Signalling compares raise IOC for any NaN, quiet ones for SNaN only. */
export function compare(f: Fmt, env: HelperEnv, x: bigint, y: bigint, signalling: boolean): bigint {
  const a = unpack(f, x, env);
  const b = unpack(f, y, env);
  if (isNaN(a) || isNaN(b)) {
    if (signalling || a.cls === 'snan' || b.cls === 'snan') env.fpsr |= FPSR.IOC;
    return 0x3n << 28n;
  }
  const c = cmpNum(a, b);
  return c === 0 ? 0x6n << 28n : c < 0 ? 0x8n << 28n : 0x2n << 28n;
}

function cmpNum(a: Unpacked, b: Unpacked): number {
  const val = (u: Unpacked): [number, bigint, number] => (u.cls === 'zero' ? [0, 0n, 0] : u.cls === 'inf' ? [u.neg ? -1 : 1, 1n, 100000] : [u.neg ? -1 : 1, u.m, u.e]);
  const [sa, ma, ea] = val(a);
  const [sb, mb, eb] = val(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  if (ea === 100000 || eb === 100000) return ea === eb ? 0 : (ea > eb ? 1 : -1) * sa;
  const e = Math.min(ea, eb);
  const x = ma << BigInt(ea - e);
  const y = mb << BigInt(eb - e);
  return x === y ? 0 : (x > y ? 1 : -1) * sa;
}

/** FMAX/FMIN, and the NM forms where a quiet NaN loses to a number (it becomes the infinity that loses). */
export function minMax(f: Fmt, env: HelperEnv, x: bigint, y: bigint, max: boolean, nm: boolean): bigint {
  let a = unpack(f, x, env);
  let b = unpack(f, y, env);
  if (nm) {
    const loser: Unpacked = { cls: 'inf', neg: max, m: 0n, e: 0 };
    if (a.cls === 'qnan' && !isNaN(b)) a = loser;
    else if (b.cls === 'qnan' && !isNaN(a)) b = loser;
  }
  const nan = processNaNs(f, env, [x, y], [a, b]);
  if (nan !== null) return nan;
  const c = cmpNum(a, b);
  const pick = (max ? c > 0 : c < 0) ? a : b;
  if (pick.cls === 'inf') return inf(f, pick.neg);
  if (pick.cls === 'zero') {
    // Both zero (c = 0) or the other is a number on the other side: max(+0,-0) = +0, min = -0.
    const neg = a.cls === 'zero' && b.cls === 'zero' ? (max ? a.neg && b.neg : a.neg || b.neg) : pick.neg;
    return zero(f, neg);
  }
  return round(f, env, pick.neg, pick.m, pick.e);
}

/** Converts between formats (FCVT), rounding per FPCR. */
export function convert(from: Fmt, to: Fmt, env: HelperEnv, x: bigint): bigint {
  const a = unpack(from, x, env);
  if (isNaN(a)) {
    if (a.cls === 'snan') env.fpsr |= FPSR.IOC;
    if (env.fpcr & DN) return to.defaultNaN;
    const payload = x & ((1n << from.fracBits) - 1n);
    const moved = to.fracBits >= from.fracBits ? payload << (to.fracBits - from.fracBits) : payload >> (from.fracBits - to.fracBits);
    return (a.neg ? to.sign : 0n) | (to.expMask << to.fracBits) | to.quiet | moved;
  }
  if (a.cls === 'inf') return inf(to, a.neg);
  if (a.cls === 'zero') return zero(to, a.neg);
  return round(to, env, a.neg, a.m, a.e);
}

/** Rounds a number to an integer (as a bigint) in `mode`; returns [value, inexact]. */
function toIntegral(a: Unpacked, mode: number | 'a'): [bigint, boolean] {
  if (a.e >= 0) return [(a.neg ? -1n : 1n) * (a.m << BigInt(a.e)), false];
  const shift = BigInt(-a.e);
  let q = a.m >> shift;
  const rem = a.m & ((1n << shift) - 1n);
  const half = 1n << (shift - 1n);
  let up = false;
  if (mode === 'a') up = rem >= half;
  else if (mode === RN) up = rem > half || (rem === half && (q & 1n) === 1n);
  else if (mode === RP) up = !a.neg && rem !== 0n;
  else if (mode === RM) up = a.neg && rem !== 0n;
  if (up) q += 1n;
  return [a.neg ? -q : q, rem !== 0n];
}

/**
 * FCVT[NPMZA][SU]: float → integer of `bits`, saturating; IOC on NaN or overflow, else IXC when inexact.
 * With `fbits` (FPToFixed, the fixed-point FCVTZ[SU]) the value is first scaled by 2^fbits — exactly, in the
 * exponent — and then rounded once.
 */
export function toInt(f: Fmt, env: HelperEnv, x: bigint, mode: number | 'a', signed: boolean, bits: 32 | 64, fbits = 0): bigint {
  const u = unpack(f, x, env);
  const a = u.cls === 'num' ? { ...u, e: u.e + fbits } : u;
  const lo = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const hi = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (isNaN(a)) {
    env.fpsr |= FPSR.IOC;
    return 0n;
  }
  if (a.cls === 'inf') {
    env.fpsr |= FPSR.IOC;
    return BigInt.asUintN(bits, a.neg ? lo : hi);
  }
  if (a.cls === 'zero') return 0n;
  const [v, inexact] = toIntegral(a, mode);
  if (v < lo || v > hi) {
    env.fpsr |= FPSR.IOC;
    return BigInt.asUintN(bits, v < lo ? lo : hi);
  }
  if (inexact) env.fpsr |= FPSR.IXC;
  return BigInt.asUintN(bits, v);
}

/** FRINT*: round to an integral value in the same format; only FRINTX signals inexact. */
export function roundInt(f: Fmt, env: HelperEnv, x: bigint, mode: number | 'a', exact: boolean): bigint {
  const a = unpack(f, x, env);
  const nan = processNaNs(f, env, [x], [a]);
  if (nan !== null) return nan;
  if (a.cls === 'zero') return zero(f, a.neg);
  if (a.cls === 'inf') return x;
  const [v, inexact] = toIntegral(a, mode);
  if (inexact && exact) env.fpsr |= FPSR.IXC;
  if (v === 0n) return zero(f, a.neg);
  return round(f, { fpcr: 0, fpsr: 0 }, v < 0n, v < 0n ? -v : v, 0);
}

/**
 * SCVTF/UCVTF from a 64-bit integer (already sign- or zero-extended as the instruction wants). With `fbits`
 * (FixedToFP, the fixed-point forms) the integer is a fixed-point number with that many fraction bits: the
 * exact value v × 2^-fbits is rounded once in FPCR's mode. Zero gives +0.
 */
export function fromInt(f: Fmt, env: HelperEnv, v: bigint, signed: boolean, fbits = 0): bigint {
  const s = signed ? BigInt.asIntN(64, v) : v;
  if (s === 0n) return 0n;
  return round(f, env, s < 0n, s < 0n ? -s : s, -fbits);
}
