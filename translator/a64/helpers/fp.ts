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

const helpers: Record<string, Helper> = {};
for (const [name, op] of Object.entries(OPS)) {
  helpers[`f${name}64`] = (_e, a, b) => bits64(op(f64(a), f64(b)));
  helpers[`f${name}32`] = (_e, a, b) => bits32(Math.fround(op(f32(a), f32(b))));
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
  helpers[`frint${r}64`] = (_e, a) => bits64(fn(f64(a)));
  helpers[`frint${r}32`] = (_e, a) => bits32(Math.fround(fn(f32(a))));
}

Object.assign(helpers, {
  fcmp64: (_e, a, b) => compare(f64(a), f64(b)),
  fcmp32: (_e, a, b) => compare(f32(a), f32(b)),
  fsqrt64: (_e, a) => bits64(Math.sqrt(f64(a))),
  fsqrt32: (_e, a) => bits32(Math.fround(Math.sqrt(f32(a)))),
  fcvt_d_s: (_e, a) => bits64(f32(a)),
  fcvt_s_d: (_e, a) => bits32(Math.fround(f64(a))),
  // Integer → float: exact BigInt → Number conversion rounds to nearest, then to f32 for single precision.
  scvtf64_64: (_e, a) => bits64(Number(BigInt.asIntN(64, a))),
  ucvtf64_64: (_e, a) => bits64(Number(a)),
  scvtf32_64: (_e, a) => bits32(toF32(BigInt.asIntN(64, a))),
  ucvtf32_64: (_e, a) => bits32(toF32(a)),
  fmadd64: (_e, a, b, c) => bits64(fmaExact(f64(a), f64(b), f64(c))),
  fmadd32: (_e, a, b, c) => bits32(Math.fround(f32(a) * f32(b) + f32(c))),
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

/** a*b+c with one rounding: exact when the product is exact in double, else through BigInt rationals. */
function fmaExact(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || !Number.isFinite(c) || a === 0 || b === 0) return p + c;
  // Dekker: if the product is exact, p + c rounds once.
  const split = (x: number) => {
    const t = 134217729 * x;
    const hi = t - (t - x);
    return [hi, x - hi];
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const err = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  if (err === 0) return p + c;
  // Two-sum of p + c, then add the product error: good to the last bit except in rare double-rounding cases.
  const s = p + c;
  const bb = s - p;
  const e2 = (p - (s - bb)) + (c - bb);
  return s + (e2 + err);
}

export const fpHelpers: Record<string, Helper> = helpers;
