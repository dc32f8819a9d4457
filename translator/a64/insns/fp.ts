// Scalar floating point: arithmetic, compare, select, conversions, FMOV forms, fused multiply-add.
// Values are bit patterns; the arithmetic lives in helpers/fp.ts. Half precision arithmetic (ftype 11) is
// FEAT_FP16, which we do not advertise.
import type { Emitter } from '../emitter.js';
import type { EncodingSpec, Fields } from '../encoding.js';
import { COND, fpImm8Bits, fpImm8Text, rz } from './common.js';

const T = ['s', 'd', '', 'h'];
const fr = (n: number, ftype: number) => `${T[ftype]}${n}`;
const sz = (ftype: number) => (ftype === 1 ? 64 : 32);

function getF<V, B>(e: Emitter<V, B>, n: number, ftype: number): V {
  return e.getV(n, 0, sz(ftype));
}
/** Writes a scalar result: the rest of the 128-bit register becomes zero. */
function setF<V, B>(e: Emitter<V, B>, n: number, ftype: number, v: V): void {
  e.setV(n, 1, 64, e.c(0));
  e.setV(n, 0, 64, ftype === 1 ? v : e.zext(v, 32));
}

const DP2 = ['fmul', 'fdiv', 'fadd', 'fsub', 'fmax', 'fmin', 'fmaxnm', 'fminnm', 'fnmul'];
const RINT: Record<number, string> = { 0: 'n', 1: 'p', 2: 'm', 3: 'z', 4: 'a', 6: 'x', 7: 'i' };

const base = (f: Fields) => f.ftype === 0 || f.ftype === 1;

export const floatingPoint: EncodingSpec[] = [
  {
    name: 'FP_dp2',
    pattern: '000 11110 ftype:2 1 Rm opcode:4 10 Rn Rd',
    when: (f) => f.opcode <= 8 && f.ftype !== 2,
    exec: (e, f) => {
      if (!base(f)) return e.undefined();
      const r = e.helper(`${DP2[f.opcode]}${sz(f.ftype)}`, getF(e, f.Rn, f.ftype), getF(e, f.Rm, f.ftype));
      setF(e, f.Rd, f.ftype, r);
    },
    dis: (f) => `${DP2[f.opcode]}\t${fr(f.Rd, f.ftype)}, ${fr(f.Rn, f.ftype)}, ${fr(f.Rm, f.ftype)}`,
  },
  {
    name: 'FP_dp1',
    pattern: '000 11110 ftype:2 1 0000 opc:2 10000 Rn Rd',
    when: (f) => f.ftype !== 2,
    exec: (e, f) => {
      if (!base(f)) return e.undefined();
      const bits = sz(f.ftype);
      const v = getF(e, f.Rn, f.ftype);
      const signBit = e.c(1n << BigInt(bits - 1));
      let r;
      if (f.opc === 0) r = v;
      else if (f.opc === 1) r = e.and(v, e.not(signBit));
      else if (f.opc === 2) r = e.xor(v, signBit);
      else r = e.helper(`fsqrt${bits}`, v);
      setF(e, f.Rd, f.ftype, r);
    },
    dis: (f) => `${['fmov', 'fabs', 'fneg', 'fsqrt'][f.opc]}\t${fr(f.Rd, f.ftype)}, ${fr(f.Rn, f.ftype)}`,
  },
  {
    name: 'FCVT_precision',
    pattern: '000 11110 ftype:2 1 0001 opc:2 10000 Rn Rd',
    when: (f) => f.ftype !== 2 && f.opc !== 2 && f.opc !== f.ftype,
    exec: (e, f) => {
      // Half precision conversions are base ARMv8.0 (only half-precision arithmetic is FEAT_FP16).
      const width = [32, 64, 0, 16];
      const v = e.getV(f.Rn, 0, width[f.ftype]);
      const r = e.helper(`fcvt_${T[f.opc]}_${T[f.ftype]}`, v);
      e.setV(f.Rd, 1, 64, e.c(0));
      e.setV(f.Rd, 0, 64, e.zext(r, width[f.opc]));
    },
    dis: (f) => `fcvt\t${fr(f.Rd, f.opc)}, ${fr(f.Rn, f.ftype)}`,
  },
  {
    name: 'FRINT',
    pattern: '000 11110 ftype:2 1 001 rmode:3 10000 Rn Rd',
    when: (f) => f.ftype !== 2 && RINT[f.rmode] !== undefined,
    exec: (e, f) => {
      const mode = RINT[f.rmode];
      if (!base(f)) return e.undefined();
      setF(e, f.Rd, f.ftype, e.helper(`frint${mode}${sz(f.ftype)}`, getF(e, f.Rn, f.ftype)));
    },
    dis: (f) => `frint${RINT[f.rmode]}\t${fr(f.Rd, f.ftype)}, ${fr(f.Rn, f.ftype)}`,
  },
  {
    name: 'FCMP',
    pattern: '000 11110 ftype:2 1 Rm 00 1000 Rn opc:2 000',
    when: (f) => f.ftype !== 2,
    exec: (e, f) => {
      if (!base(f)) return e.undefined();
      const b = f.opc & 1 ? e.c(0) : getF(e, f.Rm, f.ftype);
      e.setNZCV(e.helper(`${f.opc & 2 ? 'fcmpe' : 'fcmp'}${sz(f.ftype)}`, getF(e, f.Rn, f.ftype), b));
    },
    dis: (f) => `${f.opc & 2 ? 'fcmpe' : 'fcmp'}\t${fr(f.Rn, f.ftype)}, ${f.opc & 1 ? '#0.0' : fr(f.Rm, f.ftype)}`,
  },
  {
    name: 'FCCMP',
    pattern: '000 11110 ftype:2 1 Rm cond:4 01 Rn op nzcv:4',
    when: (f) => f.ftype !== 2,
    exec: (e, f) => {
      if (!base(f)) return e.undefined();
      // The compare (and its FPSR flags) happens only when the condition holds: the helper decides.
      const args = [getF(e, f.Rn, f.ftype), getF(e, f.Rm, f.ftype), e.fromBool(e.cond(f.cond)), e.c(f.nzcv << 28)];
      e.setNZCV(e.helper(`${f.op ? 'fccmpe' : 'fccmp'}${sz(f.ftype)}`, ...args));
    },
    dis: (f) => `${f.op ? 'fccmpe' : 'fccmp'}\t${fr(f.Rn, f.ftype)}, ${fr(f.Rm, f.ftype)}, #0x${f.nzcv.toString(16)}, ${COND[f.cond]}`,
  },
  {
    name: 'FCSEL',
    pattern: '000 11110 ftype:2 1 Rm cond:4 11 Rn Rd',
    when: (f) => f.ftype !== 2,
    exec: (e, f) => {
      if (!base(f)) return e.undefined();
      setF(e, f.Rd, f.ftype, e.select(e.cond(f.cond), getF(e, f.Rn, f.ftype), getF(e, f.Rm, f.ftype)));
    },
    dis: (f) => `fcsel\t${fr(f.Rd, f.ftype)}, ${fr(f.Rn, f.ftype)}, ${fr(f.Rm, f.ftype)}, ${COND[f.cond]}`,
  },
  {
    name: 'FMOV_imm',
    pattern: '000 11110 ftype:2 1 imm8:8 100 00000 Rd',
    when: (f) => f.ftype !== 2,
    exec: (e, f) => {
      if (!base(f)) return e.undefined();
      setF(e, f.Rd, f.ftype, e.c(fpImm8Bits(f.imm8, f.ftype === 1 ? 64 : 32)));
    },
    dis: (f) => `fmov\t${fr(f.Rd, f.ftype)}, #${fpImm8Text(f.imm8)}`,
  },
  {
    name: 'FP_int',
    pattern: 'sf 0 0 11110 ftype:2 1 rmode:2 opcode:3 000000 Rn Rd',
    when: (f) => {
      if (f.opcode >= 6) {
        // FMOV between general and FP registers (sizes must match; D[1] form for the top half).
        if (f.rmode === 0) return (f.sf === 0 && f.ftype === 0) || (f.sf === 1 && f.ftype === 1);
        return f.rmode === 1 && f.sf === 1 && f.ftype === 2;
      }
      if (f.ftype === 2) return false;
      if (f.opcode === 2 || f.opcode === 3) return f.rmode === 0;
      return f.opcode <= 1 || (f.opcode >= 4 && f.opcode <= 5 && f.rmode === 0);
    },
    exec: (e, f) => {
      if (f.opcode === 6) {
        const v = f.ftype === 2 ? e.getV(f.Rn, 1, 64) : e.getV(f.Rn, 0, f.sf ? 64 : 32);
        e.setX(f.Rd, v);
        return;
      }
      if (f.opcode === 7) {
        const x = e.getX(f.Rn);
        if (f.ftype === 2) e.setV(f.Rd, 1, 64, x);
        else setF(e, f.Rd, f.ftype, f.sf ? x : e.zext(x, 32));
        return;
      }
      if (!base(f)) return e.undefined();
      const bits = sz(f.ftype);
      if (f.opcode === 2 || f.opcode === 3) {
        const x = e.getX(f.Rn);
        const src = f.sf ? x : f.opcode === 2 ? e.sext(x, 32) : e.zext(x, 32);
        setF(e, f.Rd, f.ftype, e.helper(`${f.opcode === 2 ? 's' : 'u'}cvtf${bits}_64`, src));
        return;
      }
      const round = f.opcode >= 4 ? 'a' : ['n', 'p', 'm', 'z'][f.rmode];
      const kind = `${f.opcode & 1 ? 'u' : 's'}${f.sf ? 64 : 32}`;
      e.setX(f.Rd, e.helper(`fcvt${round}_${kind}_${bits}`, getF(e, f.Rn, f.ftype)));
    },
    dis: (f) => {
      if (f.opcode === 6) return `fmov\t${rz(f.Rd, f.sf)}, ${f.ftype === 2 ? `v${f.Rn}.d[1]` : fr(f.Rn, f.ftype)}`;
      if (f.opcode === 7) return `fmov\t${f.ftype === 2 ? `v${f.Rd}.d[1]` : fr(f.Rd, f.ftype)}, ${rz(f.Rn, f.sf)}`;
      if (f.opcode === 2 || f.opcode === 3) return `${f.opcode === 2 ? 'scvtf' : 'ucvtf'}\t${fr(f.Rd, f.ftype)}, ${rz(f.Rn, f.sf)}`;
      const r = f.opcode >= 4 ? 'a' : 'npmz'[f.rmode];
      return `fcvt${r}${f.opcode & 1 ? 'u' : 's'}\t${rz(f.Rd, f.sf)}, ${fr(f.Rn, f.ftype)}`;
    },
  },
  {
    // Conversion between floating-point and fixed-point: SCVTF/UCVTF (rmode 00, opcode 010/011) and
    // FCVTZS/FCVTZU (rmode 11, opcode 000/001), fbits = 64 - scale. A 32-bit register allows at most 32
    // fraction bits (scale < 32 is UNALLOCATED); half precision (ftype 11) is FEAT_FP16 and stays undefined.
    name: 'FP_fixed',
    pattern: 'sf 0 0 11110 ftype:2 0 rmode:2 opcode:3 scale:6 Rn Rd',
    when: (f) => {
      if (f.ftype === 2) return false;
      if (f.sf === 0 && f.scale < 32) return false;
      return (f.rmode === 0 && (f.opcode === 2 || f.opcode === 3)) || (f.rmode === 3 && f.opcode <= 1);
    },
    exec: (e, f) => {
      if (!base(f)) return e.undefined();
      const bits = sz(f.ftype);
      const fbits = e.c(64 - f.scale);
      if (f.rmode === 0) {
        const x = e.getX(f.Rn);
        const src = f.sf ? x : f.opcode === 2 ? e.sext(x, 32) : e.zext(x, 32);
        setF(e, f.Rd, f.ftype, e.helper(`${f.opcode === 2 ? 's' : 'u'}cvtf${bits}_fix`, src, fbits));
        return;
      }
      const kind = `${f.opcode & 1 ? 'u' : 's'}${f.sf ? 64 : 32}`;
      e.setX(f.Rd, e.helper(`fcvtz_${kind}_${bits}_fix`, getF(e, f.Rn, f.ftype), fbits));
    },
    dis: (f) => {
      const fb = 64 - f.scale;
      if (f.rmode === 0) return `${f.opcode === 2 ? 'scvtf' : 'ucvtf'}\t${fr(f.Rd, f.ftype)}, ${rz(f.Rn, f.sf)}, #${fb}`;
      return `fcvtz${f.opcode & 1 ? 'u' : 's'}\t${rz(f.Rd, f.sf)}, ${fr(f.Rn, f.ftype)}, #${fb}`;
    },
  },
  {
    name: 'FMADD',
    pattern: '000 11111 ftype:2 o1 Rm o0 Ra Rn Rd',
    when: (f) => f.ftype !== 2,
    exec: (e, f) => {
      if (!base(f)) return e.undefined();
      const bits = sz(f.ftype);
      const sign = e.c(1n << BigInt(bits - 1));
      let n = getF(e, f.Rn, f.ftype);
      let a = getF(e, f.Ra, f.ftype);
      // FMSUB: -(n*m)+a; FNMADD: -(n*m)-a; FNMSUB: n*m-a — by negating operands, which is exact.
      if (f.o0 !== f.o1) n = e.xor(n, sign);
      if (f.o1) a = e.xor(a, sign);
      setF(e, f.Rd, f.ftype, e.helper(`fmadd${bits}`, n, getF(e, f.Rm, f.ftype), a));
    },
    dis: (f) => {
      const mn = ['fmadd', 'fmsub', 'fnmadd', 'fnmsub'][f.o1 * 2 + f.o0];
      return `${mn}\t${fr(f.Rd, f.ftype)}, ${fr(f.Rn, f.ftype)}, ${fr(f.Rm, f.ftype)}, ${fr(f.Ra, f.ftype)}`;
    },
  },
];
