// Data processing with registers: add/sub (shifted, extended, with carry), logical (shifted), conditional
// compare and select, 1-source (RBIT, REV*, CLZ, CLS), 2-source (division, variable shifts), 3-source (MADD…).
import type { Emitter } from '../emitter.js';
import type { EncodingSpec, Fields } from '../encoding.js';
import { COND, EXTEND, SHIFT, hex, readReg, readRegSP, rsp, rz, writeReg, writeRegSP } from './common.js';

/** Rm shifted by imm6 as the shifted-register forms do (shift 3 = ROR only for logical ops). */
function shiftedRm<V, B>(e: Emitter<V, B>, f: Fields): V {
  const v = readReg(e, f.Rm, f.sf);
  if (f.imm6 === 0) return v;
  const n = e.c(f.imm6);
  switch (f.shift) {
    case 0:
      return f.sf ? e.shl(v, n) : e.zext(e.shl(v, n), 32);
    case 1:
      return e.lshr(v, n);
    case 2:
      return f.sf ? e.ashr(v, n) : e.zext(e.ashr(e.sext(v, 32), n), 32);
    default:
      return f.sf ? e.ror(v, n) : e.zext(e.or(e.lshr(v, n), e.shl(v, e.c(32 - f.imm6))), 32);
  }
}

function shiftText(f: Fields): string {
  return f.imm6 === 0 && f.shift === 0 ? '' : `, ${SHIFT[f.shift]} #${f.imm6}`;
}

/** Rm extended (UXTB…SXTX) and shifted left by imm3, as the extended-register forms do. */
function extendedRm<V, B>(e: Emitter<V, B>, f: Fields): V {
  const v = e.getX(f.Rm);
  const sizes = [8, 16, 32, 64];
  const bits = sizes[f.option & 3];
  const ext = bits === 64 ? v : f.option & 4 ? e.sext(v, bits) : e.zext(v, bits);
  return f.imm3 ? e.shl(ext, e.c(f.imm3)) : ext;
}

function addSub<V, B>(e: Emitter<V, B>, f: Fields, a: V, b: V, rdSP: boolean): void {
  const bits = f.sf ? 64 : 32;
  if (f.S) {
    const r = f.op ? e.addWithFlags(a, e.zext(e.not(b), bits), e.c(1), bits) : e.addWithFlags(a, b, e.c(0), bits);
    writeReg(e, f.Rd, f.sf, r);
  } else {
    const r = f.op ? e.sub(a, b) : e.add(a, b);
    if (rdSP) writeRegSP(e, f.Rd, f.sf, r);
    else writeReg(e, f.Rd, f.sf, r);
  }
}

function condInv(cond: number): string {
  return COND[cond ^ 1];
}

export const dataProcessingReg: EncodingSpec[] = [
  {
    name: 'ADDSUB_shift',
    pattern: 'sf op S 01011 shift:2 0 Rm imm6:6 Rn Rd',
    when: (f) => f.shift !== 3 && (f.sf === 1 || f.imm6 < 32),
    exec: (e, f) => addSub(e, f, readReg(e, f.Rn, f.sf), shiftedRm(e, f), false),
    dis: (f) => {
      const rm = `${rz(f.Rm, f.sf)}${shiftText(f)}`;
      if (f.S && f.Rd === 31) return `${f.op ? 'cmp' : 'cmn'}\t${rz(f.Rn, f.sf)}, ${rm}`;
      if (f.op && f.Rn === 31) return `${f.S ? 'negs' : 'neg'}\t${rz(f.Rd, f.sf)}, ${rm}`;
      return `${f.op ? 'sub' : 'add'}${f.S ? 's' : ''}\t${rz(f.Rd, f.sf)}, ${rz(f.Rn, f.sf)}, ${rm}`;
    },
  },
  {
    name: 'ADDSUB_ext',
    pattern: 'sf op S 01011 00 1 Rm option:3 imm3:3 Rn Rd',
    when: (f) => f.imm3 <= 4,
    exec: (e, f) => addSub(e, f, readRegSP(e, f.Rn, f.sf), extendedRm(e, f), true),
    dis: (f) => {
      const wide = (f.option & 3) === 3;
      const rm = rz(f.Rm, f.sf && wide ? 1 : 0);
      const lslForm = (f.Rd === 31 && !f.S) || f.Rn === 31;
      let ext: string;
      if (lslForm && f.option === (f.sf ? 3 : 2)) ext = f.imm3 ? `, lsl #${f.imm3}` : '';
      else ext = `, ${EXTEND[f.option]}${f.imm3 ? ` #${f.imm3}` : ''}`;
      if (f.S && f.Rd === 31) return `${f.op ? 'cmp' : 'cmn'}\t${rsp(f.Rn, f.sf)}, ${rm}${ext}`;
      const rd = f.S ? rz(f.Rd, f.sf) : rsp(f.Rd, f.sf);
      return `${f.op ? 'sub' : 'add'}${f.S ? 's' : ''}\t${rd}, ${rsp(f.Rn, f.sf)}, ${rm}${ext}`;
    },
  },
  {
    name: 'ADC_SBC',
    pattern: 'sf op S 11010000 Rm 000000 Rn Rd',
    exec: (e, f) => {
      const bits = f.sf ? 64 : 32;
      const a = readReg(e, f.Rn, f.sf);
      const m = readReg(e, f.Rm, f.sf);
      const b = f.op ? e.zext(e.not(m), bits) : m;
      const c = e.carry();
      if (f.S) writeReg(e, f.Rd, f.sf, e.addWithFlags(a, b, c, bits));
      else writeReg(e, f.Rd, f.sf, e.add(e.add(a, b), c));
    },
    dis: (f) => {
      const mn = (f.op ? 'sbc' : 'adc') + (f.S ? 's' : '');
      if (f.op && f.Rn === 31) return `${f.S ? 'ngcs' : 'ngc'}\t${rz(f.Rd, f.sf)}, ${rz(f.Rm, f.sf)}`;
      return `${mn}\t${rz(f.Rd, f.sf)}, ${rz(f.Rn, f.sf)}, ${rz(f.Rm, f.sf)}`;
    },
  },
  {
    name: 'LOGIC_shift',
    pattern: 'sf opc:2 01010 shift:2 N Rm imm6:6 Rn Rd',
    when: (f) => f.sf === 1 || f.imm6 < 32,
    exec: (e, f) => {
      const a = readReg(e, f.Rn, f.sf);
      let b = shiftedRm(e, f);
      if (f.N) b = f.sf ? e.not(b) : e.zext(e.not(b), 32);
      let r: ReturnType<typeof e.and>;
      if (f.opc === 1) r = e.or(a, b);
      else if (f.opc === 2) r = e.xor(a, b);
      else r = e.and(a, b);
      if (f.opc === 3) e.logicFlags(r, f.sf ? 64 : 32);
      writeReg(e, f.Rd, f.sf, r);
    },
    dis: (f) => {
      const names = f.N ? ['bic', 'orn', 'eon', 'bics'] : ['and', 'orr', 'eor', 'ands'];
      const rm = `${rz(f.Rm, f.sf)}${shiftText(f)}`;
      if (f.opc === 1 && f.Rn === 31) {
        if (!f.N && f.imm6 === 0 && f.shift === 0) return `mov\t${rz(f.Rd, f.sf)}, ${rz(f.Rm, f.sf)}`;
        if (f.N) return `mvn\t${rz(f.Rd, f.sf)}, ${rm}`;
      }
      if (f.opc === 3 && !f.N && f.Rd === 31) return `tst\t${rz(f.Rn, f.sf)}, ${rm}`;
      return `${names[f.opc]}\t${rz(f.Rd, f.sf)}, ${rz(f.Rn, f.sf)}, ${rm}`;
    },
  },
  {
    name: 'CCMP',
    pattern: 'sf op 1 11010010 Rm cond:4 imm 0 Rn 0 nzcv:4',
    exec: (e, f) => {
      const bits = f.sf ? 64 : 32;
      const a = readReg(e, f.Rn, f.sf);
      const b = f.imm ? e.c(f.Rm) : readReg(e, f.Rm, f.sf);
      const pass = e.cond(f.cond);
      const saved = e.c(f.nzcv << 28);
      if (f.op) e.addWithFlags(a, e.zext(e.not(b), bits), e.c(1), bits);
      else e.addWithFlags(a, b, e.c(0), bits);
      e.setNZCV(e.select(pass, e.getNZCV(), saved));
    },
    dis: (f) =>
      `${f.op ? 'ccmp' : 'ccmn'}\t${rz(f.Rn, f.sf)}, ${f.imm ? hex(f.Rm) : rz(f.Rm, f.sf)}, ${hex(f.nzcv)}, ${COND[f.cond]}`,
  },
  {
    name: 'CSEL',
    pattern: 'sf op 0 11010100 Rm cond:4 0 o2 Rn Rd',
    exec: (e, f) => {
      const a = readReg(e, f.Rn, f.sf);
      let b = readReg(e, f.Rm, f.sf);
      if (f.op) b = e.not(b);
      if (f.o2) b = e.add(b, e.c(1));
      writeReg(e, f.Rd, f.sf, e.select(e.cond(f.cond), a, b));
    },
    dis: (f) => {
      const rd = rz(f.Rd, f.sf);
      const rn = rz(f.Rn, f.sf);
      const rm = rz(f.Rm, f.sf);
      const same = f.Rn === f.Rm && f.cond < 14;
      if (!f.op && f.o2 && same) return f.Rn === 31 ? `cset\t${rd}, ${condInv(f.cond)}` : `cinc\t${rd}, ${rn}, ${condInv(f.cond)}`;
      if (f.op && !f.o2 && same) return f.Rn === 31 ? `csetm\t${rd}, ${condInv(f.cond)}` : `cinv\t${rd}, ${rn}, ${condInv(f.cond)}`;
      if (f.op && f.o2 && same) return `cneg\t${rd}, ${rn}, ${condInv(f.cond)}`;
      const mn = ['csel', 'csinc', 'csinv', 'csneg'][f.op * 2 + f.o2];
      return `${mn}\t${rd}, ${rn}, ${rm}, ${COND[f.cond]}`;
    },
  },
  {
    name: 'DP_1src',
    pattern: 'sf 1 0 11010110 00000 0000 opc:2 Rn Rd',
    when: (f) => !(f.sf === 0 && f.opc === 3),
    exec: (e, f) => {
      const v = readReg(e, f.Rn, f.sf);
      let r;
      if (f.opc === 0) r = f.sf ? e.rbit(v) : e.lshr(e.rbit(v), e.c(32));
      else if (f.opc === 1) {
        // REV16: swap the bytes of each halfword.
        const m = e.c(0x00ff00ff00ff00ffn);
        r = e.or(e.shl(e.and(v, m), e.c(8)), e.and(e.lshr(v, e.c(8)), m));
      } else if (f.opc === 2 && f.sf) {
        // REV32: reverse bytes within each word.
        const s = e.bswap(v);
        r = e.or(e.lshr(s, e.c(32)), e.shl(s, e.c(32)));
      } else r = f.sf ? e.bswap(v) : e.lshr(e.bswap(v), e.c(32));
      writeReg(e, f.Rd, f.sf, r);
    },
    dis: (f) => {
      const mn = f.opc === 0 ? 'rbit' : f.opc === 1 ? 'rev16' : f.opc === 2 && f.sf ? 'rev32' : 'rev';
      return `${mn}\t${rz(f.Rd, f.sf)}, ${rz(f.Rn, f.sf)}`;
    },
  },
  {
    name: 'CLZ_CLS',
    pattern: 'sf 1 0 11010110 00000 00010 op Rn Rd',
    exec: (e, f) => {
      const v = readReg(e, f.Rn, f.sf);
      const top = f.sf ? v : e.shl(v, e.c(32));
      let r;
      if (f.op) {
        // CLS: leading bits equal to the sign bit, not counting it.
        const x = e.xor(top, e.ashr(top, e.c(63)));
        // A stop bit just below the data keeps the count within size - 1.
        r = e.clz(e.or(e.shl(x, e.c(1)), e.c(f.sf ? 1 : 0x1_0000_0000)));
      } else r = f.sf ? e.clz(v) : e.sub(e.clz(v), e.c(32));
      writeReg(e, f.Rd, f.sf, r);
    },
    dis: (f) => `${f.op ? 'cls' : 'clz'}\t${rz(f.Rd, f.sf)}, ${rz(f.Rn, f.sf)}`,
  },
  {
    name: 'DIV',
    pattern: 'sf 0 0 11010110 Rm 00001 o1 Rn Rd',
    exec: (e, f) => {
      const a = readReg(e, f.Rn, f.sf);
      const b = readReg(e, f.Rm, f.sf);
      if (!f.o1) writeReg(e, f.Rd, f.sf, e.udiv(a, b));
      else if (f.sf) writeReg(e, f.Rd, f.sf, e.sdiv(a, b));
      else writeReg(e, f.Rd, f.sf, e.sdiv(e.sext(a, 32), e.sext(b, 32)));
    },
    dis: (f) => `${f.o1 ? 'sdiv' : 'udiv'}\t${rz(f.Rd, f.sf)}, ${rz(f.Rn, f.sf)}, ${rz(f.Rm, f.sf)}`,
  },
  {
    name: 'SHIFTV',
    pattern: 'sf 0 0 11010110 Rm 0010 op2:2 Rn Rd',
    exec: (e, f) => {
      const size = f.sf ? 64 : 32;
      const a = readReg(e, f.Rn, f.sf);
      const n = e.and(readReg(e, f.Rm, f.sf), e.c(size - 1));
      let r;
      if (f.op2 === 0) r = e.shl(a, n);
      else if (f.op2 === 1) r = e.lshr(a, n);
      else if (f.op2 === 2) r = f.sf ? e.ashr(a, n) : e.ashr(e.sext(a, 32), n);
      else if (f.sf) r = e.ror(a, n);
      else r = e.or(e.lshr(a, n), e.shl(a, e.and(e.sub(e.c(32), n), e.c(31))));
      writeReg(e, f.Rd, f.sf, r);
    },
    dis: (f) => `${SHIFT[f.op2]}\t${rz(f.Rd, f.sf)}, ${rz(f.Rn, f.sf)}, ${rz(f.Rm, f.sf)}`,
  },
  {
    name: 'CRC32',
    pattern: 'sf 0 0 11010110 Rm 010 C sz:2 Rn Rd',
    ext: 'crc',
    dis: (f) =>
      `crc32${f.C ? 'c' : ''}${'bhwx'[f.sz]}\t${rz(f.Rd, 0)}, ${rz(f.Rn, 0)}, ${rz(f.Rm, f.sz === 3 ? 1 : 0)}`,
  },
  {
    name: 'MADD',
    pattern: 'sf 00 11011 000 Rm o0 Ra Rn Rd',
    exec: (e, f) => {
      const p = e.mul(readReg(e, f.Rn, f.sf), readReg(e, f.Rm, f.sf));
      const a = readReg(e, f.Ra, f.sf);
      writeReg(e, f.Rd, f.sf, f.o0 ? e.sub(a, p) : e.add(a, p));
    },
    dis: (f) => {
      const ops = `${rz(f.Rd, f.sf)}, ${rz(f.Rn, f.sf)}, ${rz(f.Rm, f.sf)}`;
      if (f.Ra === 31) return `${f.o0 ? 'mneg' : 'mul'}\t${ops}`;
      return `${f.o0 ? 'msub' : 'madd'}\t${ops}, ${rz(f.Ra, f.sf)}`;
    },
  },
  {
    name: 'MADDL',
    pattern: '1 00 11011 U 01 Rm o0 Ra Rn Rd',
    exec: (e, f) => {
      const x = e.getX(f.Rn);
      const y = e.getX(f.Rm);
      const p = f.U ? e.mul(e.zext(x, 32), e.zext(y, 32)) : e.mul(e.sext(x, 32), e.sext(y, 32));
      const a = e.getX(f.Ra);
      e.setX(f.Rd, f.o0 ? e.sub(a, p) : e.add(a, p));
    },
    dis: (f) => {
      const pre = f.U ? 'u' : 's';
      const ops = `${rz(f.Rd, 1)}, ${rz(f.Rn, 0)}, ${rz(f.Rm, 0)}`;
      if (f.Ra === 31) return `${pre}${f.o0 ? 'mnegl' : 'mull'}\t${ops}`;
      return `${pre}${f.o0 ? 'msubl' : 'maddl'}\t${ops}, ${rz(f.Ra, 1)}`;
    },
  },
  {
    name: 'MULH',
    pattern: '1 00 11011 U 10 Rm 0 Ra Rn Rd',
    exec: (e, f) => {
      const x = e.getX(f.Rn);
      const y = e.getX(f.Rm);
      e.setX(f.Rd, f.U ? e.umulh(x, y) : e.smulh(x, y));
    },
    dis: (f) => `${f.U ? 'umulh' : 'smulh'}\t${rz(f.Rd, 1)}, ${rz(f.Rn, 1)}, ${rz(f.Rm, 1)}`,
  },
];

