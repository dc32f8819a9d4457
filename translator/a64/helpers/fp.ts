// Scalar floating point on bit patterns. This first version computes with the host's IEEE doubles: exact
// results under round-to-nearest (f32 via double then Math.fround, which is correctly rounded for + - * / sqrt).
// Not yet modelled: FPCR directed rounding, FZ/DN, FPSR cumulative flags, Arm's NaN payload rules beyond
// what the host does. Those belong here, behind the same helper names.
import type { Helper } from './index.js';

const buf = new DataView(new ArrayBuffer(8));

export function f64(bits: bigint): number {
  buf.setBigUint64(0, bits, true);
  return buf.getFloat64(0, true);
}
export function bits64(x: number): bigint {
  buf.setFloat64(0, x, true);
  return buf.getBigUint64(0, true);
}
export function f32(bits: bigint): number {
  buf.setUint32(0, Number(bits & 0xffffffffn), true);
  return buf.getFloat32(0, true);
}
export function bits32(x: number): bigint {
  buf.setFloat32(0, x, true);
  return BigInt(buf.getUint32(0, true));
}

type Op2 = (a: number, b: number) => number;
const OPS: Record<string, Op2> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  nmul: (a, b) => -(a * b),
  max: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a === b && a === 0 ? (Object.is(a, -0) ? b : a) : Math.max(a, b)),
  min: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a === b && a === 0 ? (Object.is(a, -0) ? a : b) : Math.min(a, b)),
  maxnm: (a, b) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : OPS.max(a, b)),
  minnm: (a, b) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : OPS.min(a, b)),
};

// ---- NaNs as Arm has them (FPCR.DN = 0): a signalling NaN operand is quieted and returned, else the first
// quiet NaN operand; an invalid operation without NaN operands gives the positive default NaN. The host's
// own NaNs (x86 makes negative ones) never leak into guest registers.
interface Fmt {
  bits: 32 | 64;
  quiet: bigint;
  defaultNaN: bigint;
  isNaN: (v: bigint) => boolean;
}
const F64: Fmt = {
  bits: 64,
  quiet: 1n << 51n,
  defaultNaN: 0x7ff8_0000_0000_0000n,
  isNaN: (v) => (v & 0x7ff0_0000_0000_0000n) === 0x7ff0_0000_0000_0000n && (v & 0xf_ffff_ffff_ffffn) !== 0n,
};
const F32: Fmt = {
  bits: 32,
  quiet: 1n << 22n,
  defaultNaN: 0x7fc0_0000n,
  isNaN: (v) => (v & 0x7f80_0000n) === 0x7f80_0000n && (v & 0x7f_ffffn) !== 0n,
};

/** FPProcessNaNs over the operands in Arm's order; null when none is a NaN. */
function processNaNs(fmt: Fmt, ops: bigint[]): bigint | null {
  for (const v of ops) if (fmt.isNaN(v) && !(v & fmt.quiet)) return v | fmt.quiet;
  for (const v of ops) if (fmt.isNaN(v)) return v;
  return null;
}

function fromHost(fmt: Fmt, x: number): bigint {
  if (Number.isNaN(x)) return fmt.defaultNaN;
  return fmt.bits === 64 ? bits64(x) : bits32(x);
}

function binary(fmt: Fmt, op: Op2, nanAware = false): Helper {
  return (_e, a, b) => {
    if (!nanAware) {
      const n = processNaNs(fmt, [a, b]);
      if (n !== null) return n;
    }
    if (fmt.bits === 64) return fromHost(fmt, op(f64(a), f64(b)));
    return fromHost(fmt, Math.fround(op(f32(a), f32(b))));
  };
}

/** FMAXNM/FMINNM: one quiet NaN loses to a number. */
function binaryNM(fmt: Fmt, op: Op2): Helper {
  const plain = binary(fmt, op);
  return (env, a, b) => {
    const qa = fmt.isNaN(a) && (a & fmt.quiet) !== 0n;
    const qb = fmt.isNaN(b) && (b & fmt.quiet) !== 0n;
    if (qa && !fmt.isNaN(b)) return b;
    if (qb && !fmt.isNaN(a)) return a;
    return plain(env, a, b);
  };
}

const helpers: Record<string, Helper> = {};
for (const [name, op] of Object.entries(OPS)) {
  const nm = name === 'maxnm' || name === 'minnm';
  helpers[`f${name}64`] = nm ? binaryNM(F64, OPS[name.slice(0, 3)]) : binary(F64, op);
  helpers[`f${name}32`] = nm ? binaryNM(F32, OPS[name.slice(0, 3)]) : binary(F32, op);
}
// FNMUL negates the product after NaN processing (FPNeg(FPMul(...))), so a NaN result flips sign too.
helpers.fnmul64 = (env, a, b) => helpers.fmul64(env, a, b) ^ (1n << 63n);
helpers.fnmul32 = (env, a, b) => helpers.fmul32(env, a, b) ^ (1n << 31n);

function unary(fmt: Fmt, op: (x: number) => number): Helper {
  return (_e, a) => {
    const n = processNaNs(fmt, [a]);
    if (n !== null) return n;
    return fmt.bits === 64 ? fromHost(fmt, op(f64(a))) : fromHost(fmt, Math.fround(op(f32(a))));
  };
}

/** FPMulAdd(addend, op1, op2): NaN operands in the order addend, op1, op2; inf × 0 with a quiet NaN addend is invalid. */
function mulAdd(fmt: Fmt, fused: (a: number, b: number, c: number) => number): Helper {
  return (_e, n, m, a) => {
    const inf0 = (x: bigint, y: bigint) => {
      const fx = fmt.bits === 64 ? f64(x) : f32(x);
      const fy = fmt.bits === 64 ? f64(y) : f32(y);
      return (Math.abs(fx) === Infinity && fy === 0) || (fx === 0 && Math.abs(fy) === Infinity);
    };
    if (fmt.isNaN(a) && (a & fmt.quiet) !== 0n && inf0(n, m)) return fmt.defaultNaN;
    const nan = processNaNs(fmt, [a, n, m]);
    if (nan !== null) return nan;
    if (fmt.bits === 64) return fromHost(fmt, fused(f64(n), f64(m), f64(a)));
    return fromHost(fmt, Math.fround(fused(f32(n), f32(m), f32(a))));
  };
}

/** f32 → f64 and back, NaN payloads carried over and quieted. */
function cvtS2D(a: bigint): bigint {
  if (F32.isNaN(a)) return ((a >> 31n) << 63n) | 0x7ff8_0000_0000_0000n | ((a & 0x3f_ffffn) << 29n);
  return bits64(f32(a));
}
function cvtD2S(a: bigint): bigint {
  if (F64.isNaN(a)) return ((a >> 63n) << 31n) | 0x7fc0_0000n | ((a >> 29n) & 0x3f_ffffn);
  return bits32(Math.fround(f64(a)));
}

/** FCMP: NZCV in bits 31:28 (unordered = 0011). */
function compare(a: number, b: number): bigint {
  if (Number.isNaN(a) || Number.isNaN(b)) return 0x3n << 28n;
  if (a === b) return 0x6n << 28n;
  return a < b ? 0x8n << 28n : 0x2n << 28n;
}

const INT_LIMITS: Record<string, [number, number]> = {
  s32: [-(2 ** 31), 2 ** 31 - 1],
  u32: [0, 2 ** 32 - 1],
  s64: [-(2 ** 63), 2 ** 63 - 1],
  u64: [0, 2 ** 64 - 1],
};

/** Float → integer with the given rounding, saturating; NaN → 0 (as FCVT* do). */
function toInt(x: number, kind: string, round: (v: number) => number): bigint {
  if (Number.isNaN(x)) return 0n;
  const r = round(x);
  const [lo, hi] = INT_LIMITS[kind];
  const bits = kind.endsWith('64') ? 64 : 32;
  if (r <= lo) return BigInt.asUintN(bits, BigInt(lo));
  if (r >= hi) return kind === 's64' ? 0x7fff_ffff_ffff_ffffn : kind === 'u64' ? 0xffff_ffff_ffff_ffffn : BigInt(hi);
  return BigInt.asUintN(bits, BigInt(r));
}

const ROUND: Record<string, (v: number) => number> = {
  z: Math.trunc,
  n: (v) => {
    const f = Math.floor(v);
    const d = v - f;
    return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  },
  p: Math.ceil,
  m: Math.floor,
  a: (v) => (v < 0 ? -Math.round(-v) : Math.round(v)),
};

for (const [r, fn] of Object.entries(ROUND)) {
  for (const kind of Object.keys(INT_LIMITS)) {
    helpers[`fcvt${r}_${kind}_64`] = (_e, a) => toInt(f64(a), kind, fn);
    helpers[`fcvt${r}_${kind}_32`] = (_e, a) => toInt(f32(a), kind, fn);
  }
  // Keep the sign of zero results (frintz of -0.4 is -0.0).
  const keepSign = (x: number) => {
    const y = fn(x);
    return y === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : y;
  };
  helpers[`frint${r}64`] = unary(F64, keepSign);
  helpers[`frint${r}32`] = unary(F32, keepSign);
}

Object.assign(helpers, {
  fcmp64: (_e, a, b) => compare(f64(a), f64(b)),
  fcmp32: (_e, a, b) => compare(f32(a), f32(b)),
  fsqrt64: unary(F64, Math.sqrt),
  fsqrt32: unary(F32, Math.sqrt),
  fcvt_d_s: (_e, a) => cvtS2D(a),
  fcvt_s_d: (_e, a) => cvtD2S(a),
  // Integer → float: exact BigInt → Number conversion rounds to nearest, then to f32 for single precision.
  scvtf64_64: (_e, a) => bits64(Number(BigInt.asIntN(64, a))),
  ucvtf64_64: (_e, a) => bits64(Number(a)),
  scvtf32_64: (_e, a) => bits32(toF32(BigInt.asIntN(64, a))),
  ucvtf32_64: (_e, a) => bits32(toF32(a)),
  fmadd64: mulAdd(F64, fmaExact),
  fmadd32: mulAdd(F32, fmaExact32),
} satisfies Record<string, Helper>);

/** Correct single rounding of a 64-bit integer to f32 (Number() then fround could round twice). */
function toF32(v: bigint): number {
  const neg = v < 0n;
  let m = neg ? -v : v;
  if (m < 1n << 53n) return Math.fround(neg ? -Number(m) : Number(m));
  // Keep 25 significant bits plus a sticky bit so the one rounding happens in fround.
  const shift = BigInt(m.toString(2).length - 26);
  const sticky = m & ((1n << shift) - 1n) ? 1n : 0n;
  m = (m >> shift) | sticky;
  const x = Number(m) * 2 ** Number(shift);
  return Math.fround(neg ? -x : x);
}

/** A finite float as sign, integer significand and exponent: value = (-1)^sign × m × 2^e. */
function decompose(x: number): { neg: boolean; m: bigint; e: number } {
  const b = bits64(x);
  const exp = Number((b >> 52n) & 0x7ffn);
  const frac = b & 0xf_ffff_ffff_ffffn;
  const neg = b >> 63n === 1n;
  return exp === 0 ? { neg, m: frac, e: -1074 } : { neg, m: frac | (1n << 52n), e: exp - 1075 };
}

/** Rounds ±m × 2^e to nearest-even with `precision` significant bits and smallest exponent `emin` (subnormals). */
function roundExact(neg: boolean, m: bigint, e: number, precision: number, emin: number): number {
  if (m === 0n) return neg ? -0 : 0;
  const len = m.toString(2).length;
  const lsb = Math.max(len + e - precision, emin);
  let q: bigint;
  if (lsb <= e) q = m << BigInt(e - lsb);
  else {
    const shift = BigInt(lsb - e);
    q = m >> shift;
    const rem = m & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  const v = Number(q) * 2 ** lsb;
  return neg ? -v : v;
}

/** a*b+c with a single rounding, computed exactly with BigInt (WebAssembly and JS have no scalar fma). */
function fmaRounded(a: number, b: number, c: number, precision: number, emin: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return a * b + c;
  const x = decompose(a);
  const y = decompose(b);
  const z = decompose(c);
  const pe = x.e + y.e;
  const pm = x.m * y.m;
  if (pm === 0n && z.m === 0n) {
    // Exact zero: -0 only when both the product and the addend are -0.
    const pneg = x.neg !== y.neg;
    return pneg && z.neg ? -0 : 0;
  }
  const e = Math.min(pe, z.e);
  const ps = (x.neg !== y.neg ? -pm : pm) << BigInt(pe - e);
  const zs = (z.neg ? -z.m : z.m) << BigInt(z.e - e);
  const sum = ps + zs;
  if (sum === 0n) return 0; // exact cancellation gives +0 under round-to-nearest
  return roundExact(sum < 0n, sum < 0n ? -sum : sum, e, precision, emin);
}

function fmaExact(a: number, b: number, c: number): number {
  return fmaRounded(a, b, c, 53, -1074);
}
function fmaExact32(a: number, b: number, c: number): number {
  return Math.fround(fmaRounded(a, b, c, 24, -149));
}

export const fpHelpers: Record<string, Helper> = helpers;
