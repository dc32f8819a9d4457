// AdvSIMD data processing: the subset libc's string and memory routines use (compare, min/max across and
// pairwise, logic, shifts, narrowing, permutes, table lookup, element moves, modified immediates).
// Lanes are read whole before any is written, so Vd may equal Vn or Vm.
import type { Emitter, VectorInt } from '../emitter.js';
import type { EncodingSpec, Fields } from '../encoding.js';
import { fpImm8Bits, fpImm8Text, hex, rz, vlist } from './common.js';

const ARR = ['8b', '16b', '4h', '8h', '2s', '4s', '1d', '2d'];
const arr = (size: number, q: number) => ARR[size * 2 + q];
const vr = (n: number, size: number, q: number) => `v${n}.${arr(size, q)}`;

function lanesOf(size: number, q: number): number {
  return (q ? 128 : 64) >> (3 + size);
}
function readLanes<V, B>(e: Emitter<V, B>, reg: number, esize: number, n: number): V[] {
  const out: V[] = [];
  for (let i = 0; i < n; i++) out.push(e.getV(reg, i, esize));
  return out;
}
/** Writes `vals` as the low lanes of Vd and zeroes the rest of the 128 bits. */
function writeLanes<V, B>(e: Emitter<V, B>, reg: number, esize: number, vals: V[]): void {
  vals.forEach((v, i) => e.setV(reg, i, esize, e.zext(v, esize)));
  const bits = vals.length * esize;
  if (bits <= 64) e.setV(reg, 1, 64, e.c(0));
  if (bits < 64) for (let i = vals.length; i < 64 / esize; i++) e.setV(reg, i, esize, e.c(0));
}
function ones(esize: number): bigint {
  return esize === 64 ? 0xffff_ffff_ffff_ffffn : (1n << BigInt(esize)) - 1n;
}

/** A whole-register integer operation: in the emitter's SIMD where it has one, else `lanes` (the semantics). */
function vint<V, B>(e: Emitter<V, B>, op: VectorInt, lanes: () => void): void {
  if (e.vectorInt) e.vectorInt(op, lanes);
  else lanes();
}

type Bin = <V, B>(e: Emitter<V, B>, a: V, b: V, esize: number) => V;
const mask = <V, B>(e: Emitter<V, B>, c: B, esize: number): V => e.select(c, e.c(ones(esize)), e.c(0));
const sx = <V, B>(e: Emitter<V, B>, v: V, esize: number): V => e.sext(v, esize);

/** Three-different operations by opcode. */
const DIFF_OPS: Record<number, string> = {
  0: 'addl', 1: 'addw', 2: 'subl', 3: 'subw', 4: 'addhn', 6: 'subhn', 8: 'mlal', 10: 'mlsl', 12: 'mull',
};

/** Three-same integer operations by U:opcode. */
const THREE_SAME: Record<string, { mn: string; op: Bin; pairwise?: boolean; noD?: boolean; acc?: 'add' | 'sub' }> = {
  '1:17': { mn: 'cmeq', op: (e, a, b, s) => mask(e, e.eq(a, b), s) },
  '0:17': { mn: 'cmtst', op: (e, a, b, s) => mask(e, e.ne(e.and(a, b), e.c(0)), s) },
  '1:7': { mn: 'cmhs', op: (e, a, b, s) => mask(e, e.leu(b, a), s) },
  '0:7': { mn: 'cmge', op: (e, a, b, s) => mask(e, e.les(sx(e, b, s), sx(e, a, s)), s) },
  '1:6': { mn: 'cmhi', op: (e, a, b, s) => mask(e, e.ltu(b, a), s) },
  '0:6': { mn: 'cmgt', op: (e, a, b, s) => mask(e, e.lts(sx(e, b, s), sx(e, a, s)), s) },
  '0:16': { mn: 'add', op: (e, a, b) => e.add(a, b) },
  '1:16': { mn: 'sub', op: (e, a, b) => e.sub(a, b) },
  '1:12': { mn: 'umax', op: (e, a, b) => e.select(e.ltu(a, b), b, a), noD: true },
  '0:12': { mn: 'smax', op: (e, a, b, s) => e.select(e.lts(sx(e, a, s), sx(e, b, s)), b, a), noD: true },
  '1:13': { mn: 'umin', op: (e, a, b) => e.select(e.ltu(b, a), b, a), noD: true },
  '0:13': { mn: 'smin', op: (e, a, b, s) => e.select(e.lts(sx(e, b, s), sx(e, a, s)), b, a), noD: true },
  '1:20': { mn: 'umaxp', op: (e, a, b) => e.select(e.ltu(a, b), b, a), pairwise: true, noD: true },
  '0:20': { mn: 'smaxp', op: (e, a, b, s) => e.select(e.lts(sx(e, a, s), sx(e, b, s)), b, a), pairwise: true, noD: true },
  '1:21': { mn: 'uminp', op: (e, a, b) => e.select(e.ltu(b, a), b, a), pairwise: true, noD: true },
  '0:21': { mn: 'sminp', op: (e, a, b, s) => e.select(e.lts(sx(e, b, s), sx(e, a, s)), b, a), pairwise: true, noD: true },
  '0:23': { mn: 'addp', op: (e, a, b) => e.add(a, b), pairwise: true },
  '0:19': { mn: 'mul', op: (e, a, b) => e.mul(a, b), noD: true },
  // MLA/MLS: the product added to (subtracted from) the destination lane.
  '0:18': { mn: 'mla', op: (e, a, b) => e.mul(a, b), noD: true, acc: 'add' },
  '1:18': { mn: 'mls', op: (e, a, b) => e.mul(a, b), noD: true, acc: 'sub' },
  // Halving adds/subtracts: computed in 64 bits from extended lanes (esize <= 32), so nothing overflows.
  '1:0': { mn: 'uhadd', op: (e, a, b) => e.lshr(e.add(a, b), e.c(1)), noD: true },
  '0:0': { mn: 'shadd', op: (e, a, b, s) => e.ashr(e.add(sx(e, a, s), sx(e, b, s)), e.c(1)), noD: true },
  '1:2': { mn: 'urhadd', op: (e, a, b) => e.lshr(e.add(e.add(a, b), e.c(1)), e.c(1)), noD: true },
  '0:2': { mn: 'srhadd', op: (e, a, b, s) => e.ashr(e.add(e.add(sx(e, a, s), sx(e, b, s)), e.c(1)), e.c(1)), noD: true },
  '1:4': { mn: 'uhsub', op: (e, a, b) => e.lshr(e.sub(a, b), e.c(1)), noD: true },
  '0:4': { mn: 'shsub', op: (e, a, b, s) => e.ashr(e.sub(sx(e, a, s), sx(e, b, s)), e.c(1)), noD: true },
  '1:14': { mn: 'uabd', op: (e, a, b) => e.select(e.ltu(a, b), e.sub(b, a), e.sub(a, b)), noD: true },
  '0:14': { mn: 'sabd', op: (e, a, b, s) => e.select(e.lts(sx(e, a, s), sx(e, b, s)), e.sub(b, a), e.sub(a, b)), noD: true },
  '1:8': { mn: 'ushl', op: (e, a, b, s) => shiftByLane(e, a, b, s, false) },
  '0:8': { mn: 'sshl', op: (e, a, b, s) => shiftByLane(e, a, b, s, true) },
};

/** USHL/SSHL: shift by the signed low byte of the other lane; negative shifts right (arithmetic for SSHL). */
function shiftByLane<V, B>(e: Emitter<V, B>, a: V, b: V, esize: number, signed: boolean): V {
  const sh = e.sext(e.zext(b, 8), 8);
  const neg = e.lts(sh, e.c(0));
  const left = e.select(e.lts(sh, e.c(esize)), e.shl(a, sh), e.c(0));
  const amount = e.neg(sh);
  const big = e.les(e.c(esize), amount);
  const right = signed
    ? e.ashr(e.sext(a, esize), e.select(big, e.c(63), amount))
    : e.select(big, e.c(0), e.lshr(a, amount));
  return e.select(neg, right, left);
}

/** Two-register misc operations by U:opcode. */
const MISC: Record<string, { mn: string; op: <V, B>(e: Emitter<V, B>, a: V, esize: number) => V; sizes: number[] }> = {
  '0:9': { mn: 'cmeq', op: (e, a, s) => mask(e, e.eq(a, e.c(0)), s), sizes: [0, 1, 2, 3] },
  '1:9': { mn: 'cmle', op: (e, a, s) => mask(e, e.les(sx(e, a, s), e.c(0)), s), sizes: [0, 1, 2, 3] },
  '0:8': { mn: 'cmgt', op: (e, a, s) => mask(e, e.lts(e.c(0), sx(e, a, s)), s), sizes: [0, 1, 2, 3] },
  '1:8': { mn: 'cmge', op: (e, a, s) => mask(e, e.les(e.c(0), sx(e, a, s)), s), sizes: [0, 1, 2, 3] },
  '0:10': { mn: 'cmlt', op: (e, a, s) => mask(e, e.lts(sx(e, a, s), e.c(0)), s), sizes: [0, 1, 2, 3] },
  '0:11': { mn: 'abs', op: (e, a, s) => e.select(e.lts(sx(e, a, s), e.c(0)), e.neg(a), a), sizes: [0, 1, 2, 3] },
  '1:11': { mn: 'neg', op: (e, a) => e.neg(a), sizes: [0, 1, 2, 3] },
  '1:4': { mn: 'clz', op: (e, a, s) => e.sub(e.clz(a), e.c(64 - s)), sizes: [0, 1, 2] },
};

function elemRev<V, B>(e: Emitter<V, B>, f: Fields, container: number): void {
  const esize = 8 << f.size;
  const n = lanesOf(f.size, f.Q);
  const src = readLanes(e, f.Rn, esize, n);
  const per = container / esize;
  writeLanes(e, f.Rd, esize, src.map((_, i) => src[i - (i % per) + (per - 1 - (i % per))]));
}

/** AdvSIMDExpandImm: the 64-bit pattern of a modified immediate. */
function expandImm(op: number, cmode: number, imm8: number): bigint {
  const i = BigInt(imm8);
  const rep32 = (v: bigint) => (v << 32n) | v;
  const rep16 = (v: bigint) => rep32((v << 16n) | v);
  switch (cmode >> 1) {
    case 0: return rep32(i);
    case 1: return rep32(i << 8n);
    case 2: return rep32(i << 16n);
    case 3: return rep32(i << 24n);
    case 4: return rep16(i);
    case 5: return rep16(i << 8n);
    case 6: return rep32(cmode & 1 ? (i << 16n) | 0xffffn : (i << 8n) | 0xffn);
    default:
      if (cmode === 14 && op === 0) return rep16((i << 8n) | i) | (rep16((i << 8n) | i) << 0n);
      if (cmode === 14 && op === 1) {
        let r = 0n;
        for (let b = 0; b < 8; b++) if ((imm8 >> b) & 1) r |= 0xffn << BigInt(b * 8);
        return r;
      }
      return 0n; // cmode 15: FMOV (vector, immediate), decoded by the FP rows
  }
}

/** Vector floating point, three-same, by U:a:opcode → helper stem and mnemonic. */
const FP3: Record<string, { mn: string; helper: string; kind?: 'fma' | 'pairwise' | 'cmp' | 'abd' }> = {
  '0:0:26': { mn: 'fadd', helper: 'fadd' },
  '0:1:26': { mn: 'fsub', helper: 'fsub' },
  '1:0:27': { mn: 'fmul', helper: 'fmul' },
  '1:0:31': { mn: 'fdiv', helper: 'fdiv' },
  '0:0:30': { mn: 'fmax', helper: 'fmax' },
  '0:1:30': { mn: 'fmin', helper: 'fmin' },
  '0:0:24': { mn: 'fmaxnm', helper: 'fmaxnm' },
  '0:1:24': { mn: 'fminnm', helper: 'fminnm' },
  '0:0:25': { mn: 'fmla', helper: 'fmadd', kind: 'fma' },
  '0:1:25': { mn: 'fmls', helper: 'fmadd', kind: 'fma' },
  '0:0:28': { mn: 'fcmeq', helper: 'fcmeq', kind: 'cmp' },
  '1:0:28': { mn: 'fcmge', helper: 'fcmge', kind: 'cmp' },
  '1:1:28': { mn: 'fcmgt', helper: 'fcmgt', kind: 'cmp' },
  '1:0:26': { mn: 'faddp', helper: 'fadd', kind: 'pairwise' },
  '1:1:26': { mn: 'fabd', helper: 'fsub', kind: 'abd' },
};

/** FP three-same, lane by lane through the helpers. */
function fpThreeSame<V, B>(e: Emitter<V, B>, f: Fields, o: (typeof FP3)[string], bits: number, n: number): void {
  const a = readLanes(e, f.Rn, bits, n);
  const b = readLanes(e, f.Rm, bits, n);
  const sign = e.c(1n << BigInt(bits - 1));
  const h = `${o.helper}${bits}`;
  let r;
  if (o.kind === 'fma') {
    const d = readLanes(e, f.Rd, bits, n);
    r = a.map((x, i) => e.helper(h, f.a ? e.xor(x, sign) : x, b[i], d[i]));
  } else if (o.kind === 'pairwise') {
    const cat = [...a, ...b];
    r = a.map((_, i) => e.helper(h, cat[2 * i], cat[2 * i + 1]));
  } else if (o.kind === 'cmp') {
    r = a.map((x, i) => e.select(e.ne(e.helper(h, x, b[i]), e.c(0)), e.c(ones(bits)), e.c(0)));
  } else if (o.kind === 'abd') {
    r = a.map((x, i) => e.and(e.helper(h, x, b[i]), e.not(sign)));
  } else r = a.map((x, i) => e.helper(h, x, b[i]));
  writeLanes(e, f.Rd, bits, r);
}

/** SHL/SLI, SRI, USRA/SSRA and USHR/SSHR, lane by lane. */
function shiftImm<V, B>(e: Emitter<V, B>, f: Fields, size: number, esize: number, immhb: number): void {
  const a = readLanes(e, f.Rn, esize, lanesOf(size, f.Q));
  const d = readLanes(e, f.Rd, esize, lanesOf(size, f.Q));
  const full = ones(esize);
  if (f.opcode === 10) {
    const shift = immhb - esize;
    // SLI keeps the destination's low `shift` bits.
    const keep = e.c((1n << BigInt(shift)) - 1n);
    writeLanes(e, f.Rd, esize, a.map((x, i) => (f.U ? e.or(e.and(d[i], keep), e.shl(x, e.c(shift))) : e.shl(x, e.c(shift)))));
  } else if (f.opcode === 8) {
    // SRI keeps the destination's high `shift` bits.
    const shift = 2 * esize - immhb;
    const keep = e.c(shift === esize ? full : full ^ (full >> BigInt(shift)));
    writeLanes(e, f.Rd, esize, a.map((x, i) => e.or(e.and(d[i], keep), shift === 64 ? e.c(0) : e.lshr(x, e.c(shift)))));
  } else if (f.opcode === 2) {
    const shift = 2 * esize - immhb;
    const sh = (x: ReturnType<typeof e.c>) => (f.U ? (shift === 64 ? e.c(0) : e.lshr(x, e.c(shift))) : e.ashr(e.sext(x, esize), e.c(Math.min(shift, 63))));
    writeLanes(e, f.Rd, esize, a.map((x, i) => e.add(d[i], sh(x))));
  } else {
    const shift = 2 * esize - immhb;
    writeLanes(e, f.Rd, esize, a.map((x) => (f.U ? (shift === 64 ? e.c(0) : e.lshr(x, e.c(shift))) : e.ashr(e.sext(x, esize), e.c(Math.min(shift, 63))))));
  }
}

/** Floating-point compares with zero by U:opcode → [mnemonic, helper, operands swapped]. */
const FCMP_ZERO: Record<string, [string, string, boolean]> = {
  '0:12': ['fcmgt', 'fcmgt', false], '1:12': ['fcmge', 'fcmge', false], '0:13': ['fcmeq', 'fcmeq', false],
  '1:13': ['fcmle', 'fcmge', true], '0:14': ['fcmlt', 'fcmgt', true],
};

/** By-element forms: U:opcode → [mnemonic, floating point?]. */
const BY_ELEMENT: Record<string, [string, boolean]> = {
  '0:1': ['fmla', true], '0:5': ['fmls', true], '0:9': ['fmul', true],
  '0:8': ['mul', false], '1:0': ['mla', false], '1:4': ['mls', false],
};

/** Element size, index and register of the by-element operand; null when reserved. */
function elementOf(f: Fields, fp: boolean): { esize: number; index: number; rm: number } | null {
  if (fp) {
    if (f.size === 2) return { esize: 32, index: (f.H << 1) | f.L, rm: (f.M << 4) | f.Rm };
    if (f.size === 3 && !f.L) return { esize: 64, index: f.H, rm: (f.M << 4) | f.Rm };
    return null;
  }
  if (f.size === 1) return { esize: 16, index: (f.H << 2) | (f.L << 1) | f.M, rm: f.Rm };
  if (f.size === 2) return { esize: 32, index: (f.H << 1) | f.L, rm: (f.M << 4) | f.Rm };
  return null;
}

export const advancedSimd: EncodingSpec[] = [
  {
    name: 'SIMD_by_element',
    pattern: '0 Q U S 1111 size:2 L M Rm:4 opcode:4 H 0 Rn Rd',
    when: (f) => {
      const k = BY_ELEMENT[`${f.U}:${f.opcode}`];
      if (!k || (f.S && (!f.Q || !k[1]))) return false; // scalar forms: FP only
      const el = elementOf(f, k[1]);
      return el !== null && !(el.esize === 64 && !f.Q && !f.S);
    },
    exec: (e, f) => {
      const [mn, fp] = BY_ELEMENT[`${f.U}:${f.opcode}`];
      const el = elementOf(f, fp) as NonNullable<ReturnType<typeof elementOf>>;
      const n = f.S ? 1 : (f.Q ? 128 : 64) / el.esize;
      const lanes = () => {
        const a = readLanes(e, f.Rn, el.esize, n);
        const d = readLanes(e, f.Rd, el.esize, n);
        const m = e.getV(el.rm, el.index, el.esize);
        const sign = e.c(1n << BigInt(el.esize - 1));
        let r;
        if (fp) {
          if (mn === 'fmul') r = a.map((x) => e.helper(`fmul${el.esize}`, x, m));
          else r = a.map((x, i) => e.helper(`fmadd${el.esize}`, mn === 'fmls' ? e.xor(x, sign) : x, m, d[i]));
        } else if (mn === 'mul') r = a.map((x) => e.mul(x, m));
        else r = a.map((x, i) => (mn === 'mla' ? e.add(d[i], e.mul(x, m)) : e.sub(d[i], e.mul(x, m))));
        writeLanes(e, f.Rd, el.esize, r);
      };
      if (!fp || !e.vectorFp) return lanes();
      const op = mn === 'fmul' ? 'fmul' : 'fmadd';
      e.vectorFp({ op, esize: el.esize as 32 | 64, count: n, rd: f.Rd, rn: f.Rn, rm: el.rm, negateN: mn === 'fmls', mIndex: el.index }, lanes);
    },
    dis: (f) => {
      const [mn, fp] = BY_ELEMENT[`${f.U}:${f.opcode}`];
      const el = elementOf(f, fp) as NonNullable<ReturnType<typeof elementOf>>;
      const t = 'bhsd'[Math.log2(el.esize / 8)];
      const elem = `v${el.rm}.${t}[${el.index}]`;
      if (f.S) return `${mn}\t${t}${f.Rd}, ${t}${f.Rn}, ${elem}`;
      const size = Math.log2(el.esize / 8);
      return `${mn}\t${vr(f.Rd, size, f.Q)}, ${vr(f.Rn, size, f.Q)}, ${elem}`;
    },
  },
  {
    name: 'SIMD_fp_three_same',
    pattern: '0 Q U 01110 a sz 1 Rm opcode:5 1 Rn Rd',
    when: (f) => FP3[`${f.U}:${f.a}:${f.opcode}`] !== undefined && !(f.sz && !f.Q),
    exec: (e, f) => {
      const o = FP3[`${f.U}:${f.a}:${f.opcode}`];
      const bits = f.sz ? 64 : 32;
      const n = (f.Q ? 128 : 64) / bits;
      const op = o.kind === 'fma' ? 'fmadd' : o.kind === undefined ? o.helper : null;
      const lanes = () => fpThreeSame(e, f, o, bits, n);
      if (e.vectorFp && (op === 'fadd' || op === 'fsub' || op === 'fmul' || op === 'fmadd')) {
        e.vectorFp({ op, esize: bits, count: n, rd: f.Rd, rn: f.Rn, rm: f.Rm, negateN: o.kind === 'fma' && f.a === 1 }, lanes);
      } else lanes();
    },
    dis: (f) => {
      const t = f.sz ? '2d' : f.Q ? '4s' : '2s';
      return `${FP3[`${f.U}:${f.a}:${f.opcode}`].mn}\tv${f.Rd}.${t}, v${f.Rn}.${t}, v${f.Rm}.${t}`;
    },
  },
  {
    name: 'SIMD_fp_misc',
    pattern: '0 Q U 01110 1 sz 10000 opcode:5 10 Rn Rd',
    when: (f) => (f.opcode === 15 || (f.opcode === 31 && f.U === 1) || FCMP_ZERO[`${f.U}:${f.opcode}`] !== undefined) && !(f.sz && !f.Q),
    exec: (e, f) => {
      const bits = f.sz ? 64 : 32;
      const a = readLanes(e, f.Rn, bits, (f.Q ? 128 : 64) / bits);
      const sign = e.c(1n << BigInt(bits - 1));
      let r;
      const cmp = FCMP_ZERO[`${f.U}:${f.opcode}`];
      if (cmp) {
        // Compare with +0.0; LT and LE swap the operands of GT and GE.
        const [, helper, swap] = cmp;
        r = a.map((x) => {
          const t = swap ? e.helper(`${helper}${bits}`, e.c(0), x) : e.helper(`${helper}${bits}`, x, e.c(0));
          return e.select(e.ne(t, e.c(0)), e.c(ones(bits)), e.c(0));
        });
      } else if (f.opcode === 31) r = a.map((x) => e.helper(`fsqrt${bits}`, x));
      else r = a.map((x) => (f.U ? e.xor(x, sign) : e.and(x, e.not(sign))));
      writeLanes(e, f.Rd, bits, r);
    },
    dis: (f) => {
      const t = f.sz ? '2d' : f.Q ? '4s' : '2s';
      const cmp = FCMP_ZERO[`${f.U}:${f.opcode}`];
      if (cmp) return `${cmp[0]}\tv${f.Rd}.${t}, v${f.Rn}.${t}, #0.0`;
      const mn = f.opcode === 31 ? 'fsqrt' : f.U ? 'fneg' : 'fabs';
      return `${mn}\tv${f.Rd}.${t}, v${f.Rn}.${t}`;
    },
  },
  {
    name: 'SIMD_three_same',
    pattern: '0 Q U 01110 size:2 1 Rm opcode:5 1 Rn Rd',
    when: (f) => {
      const o = THREE_SAME[`${f.U}:${f.opcode}`];
      return o !== undefined && !(o.noD && f.size === 3) && !(f.size === 3 && !f.Q);
    },
    exec: (e, f) => {
      const o = THREE_SAME[`${f.U}:${f.opcode}`];
      const esize = 8 << f.size;
      const n = lanesOf(f.size, f.Q);
      vint(e, { op: o.mn, esize, q: f.Q === 1, rd: f.Rd, rn: f.Rn, rm: f.Rm }, () => {
        const a = readLanes(e, f.Rn, esize, n);
        const b = readLanes(e, f.Rm, esize, n);
        if (o.pairwise) {
          const cat = [...a, ...b];
          writeLanes(e, f.Rd, esize, a.map((_, i) => o.op(e, cat[2 * i], cat[2 * i + 1], esize)));
        } else if (o.acc) {
          const d = readLanes(e, f.Rd, esize, n);
          writeLanes(e, f.Rd, esize, a.map((x, i) => (o.acc === 'add' ? e.add : e.sub).call(e, d[i], o.op(e, x, b[i], esize))));
        } else writeLanes(e, f.Rd, esize, a.map((x, i) => o.op(e, x, b[i], esize)));
      });
    },
    dis: (f) => `${THREE_SAME[`${f.U}:${f.opcode}`].mn}\t${vr(f.Rd, f.size, f.Q)}, ${vr(f.Rn, f.size, f.Q)}, ${vr(f.Rm, f.size, f.Q)}`,
  },
  {
    name: 'SIMD_logic',
    pattern: '0 Q U 01110 opc:2 1 Rm 00011 1 Rn Rd',
    exec: (e, f) => {
      const op = f.U ? ['eor', 'bsl', 'bit', 'bif'][f.opc] : ['and', 'bic', 'orr', 'orn'][f.opc];
      vint(e, { op, esize: 64, q: f.Q === 1, rd: f.Rd, rn: f.Rn, rm: f.Rm }, () => {
        const n = f.Q ? 2 : 1;
        const a = readLanes(e, f.Rn, 64, n);
        const b = readLanes(e, f.Rm, 64, n);
        const d = readLanes(e, f.Rd, 64, n);
        const r = a.map((x, i) => {
          const y = b[i];
          if (!f.U) return [e.and(x, y), e.and(x, e.not(y)), e.or(x, y), e.or(x, e.not(y))][f.opc];
          switch (f.opc) {
            case 0: return e.xor(x, y);
            case 1: return e.or(e.and(d[i], x), e.and(e.not(d[i]), y)); // BSL
            case 2: return e.or(e.and(y, x), e.and(e.not(y), d[i])); // BIT
            default: return e.or(e.and(e.not(y), x), e.and(y, d[i])); // BIF
          }
        });
        writeLanes(e, f.Rd, 64, r);
      });
    },
    dis: (f) => {
      const t = f.Q ? '16b' : '8b';
      if (!f.U && f.opc === 2 && f.Rn === f.Rm) return `mov\tv${f.Rd}.${t}, v${f.Rn}.${t}`;
      const mn = f.U ? ['eor', 'bsl', 'bit', 'bif'][f.opc] : ['and', 'bic', 'orr', 'orn'][f.opc];
      return `${mn}\tv${f.Rd}.${t}, v${f.Rn}.${t}, v${f.Rm}.${t}`;
    },
  },
  {
    name: 'SIMD_misc',
    pattern: '0 Q U 01110 size:2 10000 opcode:5 10 Rn Rd',
    when: (f) => {
      const o = MISC[`${f.U}:${f.opcode}`];
      if (o) return o.sizes.includes(f.size) && !(f.size === 3 && !f.Q);
      if (f.opcode === 0) return f.size < 3 - f.U; // REV64 / REV32
      if (f.opcode === 1) return !f.U && f.size === 0; // REV16
      if (f.opcode === 5) return f.U ? f.size <= 1 : f.size === 0; // NOT, RBIT / CNT
      if (f.opcode === 18) return !f.U && f.size < 3; // XTN
      return false;
    },
    exec: (e, f) => {
      const esize = 8 << f.size;
      const o = MISC[`${f.U}:${f.opcode}`];
      if (o) {
        const op = f.opcode >= 8 && f.opcode <= 10 ? `${o.mn}0` : o.mn;
        vint(e, { op, esize, q: f.Q === 1, rd: f.Rd, rn: f.Rn }, () => {
          const a = readLanes(e, f.Rn, esize, lanesOf(f.size, f.Q));
          writeLanes(e, f.Rd, esize, a.map((x) => o.op(e, x, esize)));
        });
      } else if (f.opcode === 0) elemRev(e, f, f.U ? 32 : 64);
      else if (f.opcode === 1) elemRev(e, f, 16);
      else if (f.opcode === 5) {
        const op = !f.U ? 'cnt' : f.size === 0 ? 'not' : 'rbit';
        vint(e, { op, esize: 8, q: f.Q === 1, rd: f.Rd, rn: f.Rn }, () => {
          const a = readLanes(e, f.Rn, 8, f.Q ? 16 : 8);
          if (!f.U) writeLanes(e, f.Rd, 8, a.map((x) => e.helper('popcount', x)));
          else if (f.size === 0) writeLanes(e, f.Rd, 8, a.map((x) => e.not(x)));
          else writeLanes(e, f.Rd, 8, a.map((x) => e.lshr(e.rbit(x), e.c(56))));
        });
      } else {
        // XTN/XTN2: narrow each element of Vn to half width into the low or high half of Vd.
        const a = readLanes(e, f.Rn, esize * 2, 128 / (esize * 2));
        if (f.Q) a.forEach((x, i) => e.setV(f.Rd, a.length + i, esize, e.zext(x, esize)));
        else writeLanes(e, f.Rd, esize, a);
      }
    },
    dis: (f) => {
      const o = MISC[`${f.U}:${f.opcode}`];
      const d = vr(f.Rd, f.size, f.Q);
      const n = vr(f.Rn, f.size, f.Q);
      if (o) return `${o.mn}\t${d}, ${n}${f.opcode >= 8 && f.opcode <= 10 ? ', #0' : ''}`;
      if (f.opcode === 0) return `${f.U ? 'rev32' : 'rev64'}\t${d}, ${n}`;
      if (f.opcode === 1) return `rev16\t${d}, ${n}`;
      if (f.opcode === 5) return `${f.U ? (f.size ? 'rbit' : 'mvn') : 'cnt'}\t${d}, ${n}`;
      return `xtn${f.Q ? '2' : ''}\t${d}, ${vr(f.Rn, f.size + 1, 1)}`;
    },
  },
  {
    name: 'SIMD_across',
    pattern: '0 Q U 01110 size:2 11000 opcode:5 10 Rn Rd',
    when: (f) => [27, 10, 26, 3].includes(f.opcode) && f.size < 3 && !(f.size === 2 && !f.Q) && !(f.opcode === 27 && f.U),
    exec: (e, f) => {
      const esize = 8 << f.size;
      const a = readLanes(e, f.Rn, esize, lanesOf(f.size, f.Q));
      let r = f.U || f.opcode === 27 ? a[0] : e.sext(a[0], esize);
      let outBits = esize;
      for (let i = 1; i < a.length; i++) {
        const x = f.U || f.opcode === 27 ? a[i] : e.sext(a[i], esize);
        if (f.opcode === 27 || f.opcode === 3) r = e.add(r, x);
        else if (f.opcode === 10) r = f.U ? e.select(e.ltu(r, x), x, r) : e.select(e.lts(r, x), x, r);
        else r = f.U ? e.select(e.ltu(x, r), x, r) : e.select(e.lts(x, r), x, r);
      }
      if (f.opcode === 3) outBits = esize * 2;
      writeLanes(e, f.Rd, outBits, [e.zext(r, outBits)]);
    },
    dis: (f) => {
      const mn = f.opcode === 27 ? 'addv' : `${f.U ? 'u' : 's'}${f.opcode === 10 ? 'maxv' : f.opcode === 26 ? 'minv' : 'addlv'}`;
      const rd = `${'bhsd'[f.size + (f.opcode === 3 ? 1 : 0)]}${f.Rd}`;
      return `${mn}\t${rd}, ${vr(f.Rn, f.size, f.Q)}`;
    },
  },
  {
    name: 'SIMD_copy',
    pattern: '0 Q op 01110000 imm5:5 0 imm4:4 1 Rn Rd',
    when: (f) => {
      if ((f.imm5 & 15) === 0) return false;
      const size = 31 - Math.clz32(f.imm5 & -f.imm5);
      if (f.op) return f.Q === 1;
      if (f.imm4 === 0) return !(size === 3 && !f.Q);
      if (f.imm4 === 1) return !(size === 3 && !f.Q);
      if (f.imm4 === 3) return f.Q === 1;
      if (f.imm4 === 5) return size < 2 + f.Q && size < 3;
      if (f.imm4 === 7) return (size === 3) === (f.Q === 1);
      return false;
    },
    exec: (e, f) => {
      const size = 31 - Math.clz32(f.imm5 & -f.imm5);
      const esize = 8 << size;
      const idx = f.imm5 >> (size + 1);
      if (f.op) {
        // INS (element): Vd[idx] = Vn[imm4 >> size]
        e.setV(f.Rd, idx, esize, e.getV(f.Rn, f.imm4 >> size, esize));
        return;
      }
      switch (f.imm4) {
        case 0:
        case 1: {
          const v = f.imm4 === 0 ? e.getV(f.Rn, idx, esize) : e.zext(e.getX(f.Rn), esize);
          writeLanes(e, f.Rd, esize, Array.from({ length: lanesOf(size, f.Q) }, () => v));
          return;
        }
        case 3:
          e.setV(f.Rd, idx, esize, e.zext(e.getX(f.Rn), esize));
          return;
        case 5: {
          const v = e.sext(e.getV(f.Rn, idx, esize), esize);
          e.setX(f.Rd, f.Q ? v : e.zext(v, 32));
          return;
        }
        default:
          e.setX(f.Rd, e.getV(f.Rn, idx, esize));
      }
    },
    dis: (f) => {
      const size = 31 - Math.clz32(f.imm5 & -f.imm5);
      const t = 'bhsd'[size];
      const idx = f.imm5 >> (size + 1);
      if (f.op) return `mov\tv${f.Rd}.${t}[${idx}], v${f.Rn}.${t}[${f.imm4 >> size}]`;
      switch (f.imm4) {
        case 0: return `dup\t${vr(f.Rd, size, f.Q)}, v${f.Rn}.${t}[${idx}]`;
        case 1: return `dup\t${vr(f.Rd, size, f.Q)}, ${rz(f.Rn, size === 3 ? 1 : 0)}`;
        case 3: return `mov\tv${f.Rd}.${t}[${idx}], ${rz(f.Rn, size === 3 ? 1 : 0)}`;
        case 5: return `smov\t${rz(f.Rd, f.Q)}, v${f.Rn}.${t}[${idx}]`;
        default: return `${size >= 2 ? 'mov' : 'umov'}\t${rz(f.Rd, f.Q)}, v${f.Rn}.${t}[${idx}]`;
      }
    },
  },
  {
    name: 'SIMD_modified_imm',
    pattern: '0 Q op 0111100000 abc:3 cmode:4 o2 1 defgh:5 Rd',
    when: (f) => f.o2 === 0 && (f.cmode !== 15 || !f.op || f.Q === 1),
    exec: (e, f) => {
      const imm8 = (f.abc << 5) | f.defgh;
      const imm = e.c(expandImm(f.op, f.cmode, imm8));
      const n = f.Q ? 2 : 1;
      const d = readLanes(e, f.Rd, 64, n);
      const isOrrBic = f.cmode < 12 && (f.cmode & 1) === 1;
      let r: ReturnType<typeof e.c>[];
      if (f.cmode === 15) {
        // FMOV (vector, immediate): the 8-bit float constant, as single (op = 0) or double lanes.
        const v = fpImm8Bits(imm8, f.op ? 64 : 32);
        r = d.map(() => e.c(f.op ? v : (v << 32n) | v));
      } else if (isOrrBic) r = d.map((x) => (f.op ? e.and(x, e.not(imm)) : e.or(x, imm)));
      else if (f.op && f.cmode !== 14) r = d.map(() => e.not(imm)); // MVNI
      else r = d.map(() => imm);
      writeLanes(e, f.Rd, 64, r);
    },
    dis: (f) => {
      const imm8 = (f.abc << 5) | f.defgh;
      const cm = f.cmode;
      if (cm === 15) return `fmov\tv${f.Rd}.${f.op ? '2d' : f.Q ? '4s' : '2s'}, #${fpImm8Text(imm8)}`;
      if (cm === 14) {
        if (f.op) return f.Q ? `movi\tv${f.Rd}.2d, ${hex(expandImm(1, 14, imm8))}` : `movi\td${f.Rd}, ${hex(expandImm(1, 14, imm8))}`;
        return `movi\tv${f.Rd}.${f.Q ? '16b' : '8b'}, ${hex(imm8)}`;
      }
      const orrBic = cm < 12 && (cm & 1) === 1;
      const mn = orrBic ? (f.op ? 'bic' : 'orr') : f.op ? 'mvni' : 'movi';
      let t: string;
      let shift: string;
      if (cm < 8) {
        t = f.Q ? '4s' : '2s';
        shift = cm >> 1 ? `, lsl #${(cm >> 1) * 8}` : '';
      } else if (cm < 12) {
        t = f.Q ? '8h' : '4h';
        shift = (cm >> 1) & 1 ? ', lsl #8' : '';
      } else {
        t = f.Q ? '4s' : '2s';
        shift = `, msl #${cm & 1 ? 16 : 8}`;
      }
      return `${mn}\tv${f.Rd}.${t}, ${hex(imm8)}${shift}`;
    },
  },
  {
    name: 'SIMD_shift_imm',
    pattern: '0 Q U 011110 immh:4 immb:3 opcode:5 1 Rn Rd',
    when: (f) => {
      if (f.immh === 0) return false;
      const size = 31 - Math.clz32(f.immh);
      if (f.opcode === 16 || f.opcode === 20) return !f.U || f.opcode === 20 ? size < 3 : false;
      if (f.opcode === 0 || f.opcode === 10 || f.opcode === 2 || (f.opcode === 8 && f.U)) return !(size === 3 && !f.Q);
      return false;
    },
    exec: (e, f) => {
      const size = 31 - Math.clz32(f.immh);
      const esize = 8 << size;
      const immhb = (f.immh << 3) | f.immb;
      if (f.opcode === 16) {
        // SHRN: narrow (Vn >> shift) into half-width lanes.
        const shift = 2 * esize - immhb;
        const a = readLanes(e, f.Rn, esize * 2, 128 / (esize * 2));
        const r = a.map((x) => e.zext(e.lshr(x, e.c(shift)), esize));
        if (f.Q) r.forEach((x, i) => e.setV(f.Rd, r.length + i, esize, x));
        else writeLanes(e, f.Rd, esize, r);
        return;
      }
      if (f.opcode === 20) {
        // USHLL/SSHLL: widen the low or high half, shifted left.
        const shift = immhb - esize;
        const n = 64 / esize;
        const a: ReturnType<typeof e.c>[] = [];
        for (let i = 0; i < n; i++) a.push(e.getV(f.Rn, i + (f.Q ? n : 0), esize));
        writeLanes(e, f.Rd, esize * 2, a.map((x) => e.shl(f.U ? x : e.sext(x, esize), e.c(shift))));
        return;
      }
      const op = f.opcode === 10 ? (f.U ? 'sli' : 'shl') : f.opcode === 8 ? 'sri' : `${f.U ? 'u' : 's'}${f.opcode === 2 ? 'sra' : 'shr'}`;
      const shift = f.opcode === 10 ? immhb - esize : 2 * esize - immhb;
      vint(e, { op, esize, q: f.Q === 1, rd: f.Rd, rn: f.Rn, shift }, () => shiftImm(e, f, size, esize, immhb));
    },
    dis: (f) => {
      const size = 31 - Math.clz32(f.immh);
      const esize = 8 << size;
      const immhb = (f.immh << 3) | f.immb;
      if (f.opcode === 16) return `shrn${f.Q ? '2' : ''}\t${vr(f.Rd, size, f.Q)}, ${vr(f.Rn, size + 1, 1)}, #${2 * esize - immhb}`;
      if (f.opcode === 20) {
        const shift = immhb - esize;
        const mn = `${f.U ? 'u' : 's'}${shift ? 'shll' : 'xtl'}${f.Q ? '2' : ''}`;
        return `${mn}\t${vr(f.Rd, size + 1, 1)}, ${vr(f.Rn, size, f.Q)}${shift ? `, #${shift}` : ''}`;
      }
      if (f.opcode === 10) return `${f.U ? 'sli' : 'shl'}\t${vr(f.Rd, size, f.Q)}, ${vr(f.Rn, size, f.Q)}, #${immhb - esize}`;
      if (f.opcode === 8) return `sri\t${vr(f.Rd, size, f.Q)}, ${vr(f.Rn, size, f.Q)}, #${2 * esize - immhb}`;
      if (f.opcode === 2) return `${f.U ? 'usra' : 'ssra'}\t${vr(f.Rd, size, f.Q)}, ${vr(f.Rn, size, f.Q)}, #${2 * esize - immhb}`;
      return `${f.U ? 'ushr' : 'sshr'}\t${vr(f.Rd, size, f.Q)}, ${vr(f.Rn, size, f.Q)}, #${2 * esize - immhb}`;
    },
  },
  {
    name: 'SIMD_three_diff',
    pattern: '0 Q U 01110 size:2 1 Rm opcode:4 00 Rn Rd',
    when: (f) => DIFF_OPS[f.opcode] !== undefined && f.size < 3,
    exec: (e, f) => {
      const esize = 8 << f.size;
      const n = 64 / esize;
      const off = f.Q ? n : 0;
      const kind = DIFF_OPS[f.opcode];
      const ext = (x: ReturnType<typeof e.c>) => (f.U ? x : e.sext(x, esize));
      const half = (r: number) => Array.from({ length: n }, (_, i) => ext(e.getV(r, i + off, esize)));
      if (kind === 'addhn' || kind === 'subhn') {
        // Narrowing high half of a wide sum/difference, rounded for the R forms (U = 1).
        const a = readLanes(e, f.Rn, esize * 2, n);
        const b = readLanes(e, f.Rm, esize * 2, n);
        const round = f.U ? e.c(1n << BigInt(esize - 1)) : e.c(0);
        const r = a.map((x, i) => e.zext(e.lshr(e.add(kind === 'addhn' ? e.add(x, b[i]) : e.sub(x, b[i]), round), e.c(esize)), esize));
        if (f.Q) r.forEach((x, i) => e.setV(f.Rd, n + i, esize, x));
        else writeLanes(e, f.Rd, esize, r);
        return;
      }
      vint(e, { op: kind, esize, q: f.Q === 1, rd: f.Rd, rn: f.Rn, rm: f.Rm, unsigned: f.U === 1 }, () => {
        const a = kind === 'addw' || kind === 'subw' ? readLanes(e, f.Rn, esize * 2, n) : half(f.Rn);
        const b = half(f.Rm);
        const acc = readLanes(e, f.Rd, esize * 2, n);
        const r = a.map((x, i) => {
          switch (kind) {
            case 'addl': case 'addw': return e.add(x, b[i]);
            case 'subl': case 'subw': return e.sub(x, b[i]);
            case 'mull': return e.mul(x, b[i]);
            case 'mlal': return e.add(acc[i], e.mul(x, b[i]));
            default: return e.sub(acc[i], e.mul(x, b[i])); // mlsl
          }
        });
        writeLanes(e, f.Rd, esize * 2, r);
      });
    },
    dis: (f) => {
      const kind = DIFF_OPS[f.opcode];
      const q2 = f.Q ? '2' : '';
      if (kind === 'addhn' || kind === 'subhn') {
        return `${f.U ? 'r' : ''}${kind}${q2}\t${vr(f.Rd, f.size, f.Q)}, ${vr(f.Rn, f.size + 1, 1)}, ${vr(f.Rm, f.size + 1, 1)}`;
      }
      const wideN = kind === 'addw' || kind === 'subw';
      const n = wideN ? vr(f.Rn, f.size + 1, 1) : vr(f.Rn, f.size, f.Q);
      return `${f.U ? 'u' : 's'}${kind}${q2}\t${vr(f.Rd, f.size + 1, 1)}, ${n}, ${vr(f.Rm, f.size, f.Q)}`;
    },
  },
  {
    name: 'SIMD_scalar_shift_imm',
    pattern: '01 U 111110 immh:4 immb:3 opcode:5 1 Rn Rd',
    when: (f) => f.immh >= 8 && (f.opcode === 0 || (f.opcode === 10 && !f.U)),
    exec: (e, f) => {
      const immhb = (f.immh << 3) | f.immb;
      const x = e.getV(f.Rn, 0, 64);
      let r;
      if (f.opcode === 10) r = e.shl(x, e.c(immhb - 64));
      else {
        const shift = 128 - immhb;
        r = f.U ? (shift === 64 ? e.c(0) : e.lshr(x, e.c(shift))) : e.ashr(x, e.c(Math.min(shift, 63)));
      }
      writeLanes(e, f.Rd, 64, [r]);
    },
    dis: (f) => {
      const immhb = (f.immh << 3) | f.immb;
      if (f.opcode === 10) return `shl\td${f.Rd}, d${f.Rn}, #${immhb - 64}`;
      return `${f.U ? 'ushr' : 'sshr'}\td${f.Rd}, d${f.Rn}, #${128 - immhb}`;
    },
  },
  {
    name: 'SIMD_fp_int_convert',
    pattern: '0 Q U S 1110 o2 sz 10000 opcode:5 10 Rn Rd',
    // S = 1 (bit 28): the scalar form, with bit 30 set; opcode 11010/11011/11100 FCVT*, 11101 [SU]CVTF.
    when: (f) => {
      if (f.S && !f.Q) return false;
      if (!f.S && f.sz && !f.Q) return false;
      if (f.opcode === 29) return f.o2 === 0;
      if (f.opcode === 28) return f.o2 === 0;
      return f.opcode === 26 || f.opcode === 27;
    },
    exec: (e, f) => {
      const bits = f.sz ? 64 : 32;
      const n = f.S ? 1 : (f.Q ? 128 : 64) / bits;
      const a = readLanes(e, f.Rn, bits, n);
      let r;
      if (f.opcode === 29) {
        r = a.map((x) => e.helper(`${f.U ? 'u' : 's'}cvtf${bits}_64`, f.U ? x : e.sext(x, bits)));
      } else {
        const mode = f.opcode === 28 ? 'a' : 'nmpz'[f.o2 * 2 + (f.opcode & 1)];
        r = a.map((x) => e.helper(`fcvt${mode}_${f.U ? 'u' : 's'}${bits}_${bits}`, x));
      }
      writeLanes(e, f.Rd, bits, r);
    },
    dis: (f) => {
      const mn = f.opcode === 29 ? `${f.U ? 'u' : 's'}cvtf` : `fcvt${f.opcode === 28 ? 'a' : 'nmpz'[f.o2 * 2 + (f.opcode & 1)]}${f.U ? 'u' : 's'}`;
      if (f.S) return `${mn}\t${f.sz ? 'd' : 's'}${f.Rd}, ${f.sz ? 'd' : 's'}${f.Rn}`;
      const t = f.sz ? '2d' : f.Q ? '4s' : '2s';
      return `${mn}\tv${f.Rd}.${t}, v${f.Rn}.${t}`;
    },
  },
  {
    name: 'SIMD_ext',
    pattern: '0 Q 101110 00 0 Rm 0 imm4:4 0 Rn Rd',
    when: (f) => f.Q === 1 || f.imm4 < 8,
    exec: (e, f) => {
      const n = f.Q ? 16 : 8;
      const cat = [...readLanes(e, f.Rn, 8, n), ...readLanes(e, f.Rm, 8, n)];
      writeLanes(e, f.Rd, 8, cat.slice(f.imm4, f.imm4 + n));
    },
    dis: (f) => `ext\t${vr(f.Rd, 0, f.Q)}, ${vr(f.Rn, 0, f.Q)}, ${vr(f.Rm, 0, f.Q)}, #${f.imm4}`,
  },
  {
    name: 'SIMD_permute',
    pattern: '0 Q 001110 size:2 0 Rm 0 opcode:3 10 Rn Rd',
    when: (f) => f.opcode !== 0 && f.opcode !== 4 && !(f.size === 3 && !f.Q),
    exec: (e, f) => {
      const esize = 8 << f.size;
      const n = lanesOf(f.size, f.Q);
      const a = readLanes(e, f.Rn, esize, n);
      const b = readLanes(e, f.Rm, esize, n);
      const part = f.opcode >> 2;
      const r: ReturnType<typeof e.c>[] = [];
      const kind = f.opcode & 3;
      for (let i = 0; i < n; i++) {
        if (kind === 1) {
          const cat = [...a, ...b];
          r.push(cat[2 * i + part]); // UZP
        } else if (kind === 2) r.push(i % 2 === 0 ? a[i + part] : b[i - 1 + part]); // TRN
        else {
          const base = part * (n / 2);
          r.push(i % 2 === 0 ? a[base + (i >> 1)] : b[base + (i >> 1)]); // ZIP
        }
      }
      writeLanes(e, f.Rd, esize, r);
    },
    dis: (f) => {
      const mn = ['', 'uzp', 'trn', 'zip'][f.opcode & 3] + (f.opcode >> 2 ? '2' : '1');
      return `${mn}\t${vr(f.Rd, f.size, f.Q)}, ${vr(f.Rn, f.size, f.Q)}, ${vr(f.Rm, f.size, f.Q)}`;
    },
  },
  {
    name: 'SIMD_tbl',
    pattern: '0 Q 001110 000 Rm 0 len:2 op 00 Rn Rd',
    exec: (e, f) => {
      const n = f.Q ? 16 : 8;
      const table: ReturnType<typeof e.c>[] = [];
      for (let r = 0; r <= f.len; r++) table.push(...readLanes(e, (f.Rn + r) % 32, 8, 16));
      const idx = readLanes(e, f.Rm, 8, n);
      const d = readLanes(e, f.Rd, 8, n);
      // Index out of range: 0 (TBL) or the old byte (TBX). Data-dependent, so select over every table byte.
      const out = idx.map((ix, i) => {
        let v = f.op ? d[i] : e.c(0);
        table.forEach((t, k) => {
          v = e.select(e.eq(ix, e.c(k)), t, v);
        });
        return v;
      });
      writeLanes(e, f.Rd, 8, out);
    },
    dis: (f) => {
      const t = f.Q ? '16b' : '8b';
      return `${f.op ? 'tbx' : 'tbl'}\tv${f.Rd}.${t}, ${vlist(f.Rn, f.len + 1, '.16b')}, v${f.Rm}.${t}`;
    },
  },
  {
    name: 'SIMD_scalar_dup',
    pattern: '01 0 11110000 imm5:5 0 0000 1 Rn Rd',
    when: (f) => (f.imm5 & 15) !== 0,
    exec: (e, f) => {
      const size = 31 - Math.clz32(f.imm5 & -f.imm5);
      const esize = 8 << size;
      writeLanes(e, f.Rd, esize, [e.getV(f.Rn, f.imm5 >> (size + 1), esize)]);
    },
    dis: (f) => {
      const size = 31 - Math.clz32(f.imm5 & -f.imm5);
      const t = 'bhsd'[size];
      return `mov\t${t}${f.Rd}, v${f.Rn}.${t}[${f.imm5 >> (size + 1)}]`;
    },
  },
  {
    name: 'SIMD_scalar_addp',
    pattern: '01 0 11110 11 11000 11011 10 Rn Rd',
    exec: (e, f) => {
      const r = e.add(e.getV(f.Rn, 0, 64), e.getV(f.Rn, 1, 64));
      writeLanes(e, f.Rd, 64, [r]);
    },
    dis: (f) => `addp\td${f.Rd}, v${f.Rn}.2d`,
  },
  {
    name: 'SIMD_scalar_cmp_zero',
    pattern: '01 U 11110 11 10000 opcode:5 10 Rn Rd',
    when: (f) => MISC[`${f.U}:${f.opcode}`] !== undefined && f.opcode >= 8 && f.opcode <= 10,
    exec: (e, f) => {
      const o = MISC[`${f.U}:${f.opcode}`];
      writeLanes(e, f.Rd, 64, [o.op(e, e.getV(f.Rn, 0, 64), 64)]);
    },
    dis: (f) => `${MISC[`${f.U}:${f.opcode}`].mn}\td${f.Rd}, d${f.Rn}, #0`,
  },
];
