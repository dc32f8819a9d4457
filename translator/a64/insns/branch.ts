// Branches, exception generation: B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR/BLR/RET, SVC, BRK, UDF.
import type { EncodingSpec } from '../encoding.js';
import { COND, readReg, rz, sextField, target } from './common.js';

export const branches: EncodingSpec[] = [
  {
    name: 'B',
    pattern: '000101 imm26',
    exec: (e, f, pc) => e.branch(pc + BigInt(sextField(f.imm26, 26) * 4)),
    dis: (f, pc) => `b\t${target(pc + BigInt(sextField(f.imm26, 26) * 4))}`,
  },
  {
    name: 'BL',
    pattern: '100101 imm26',
    exec: (e, f, pc) => {
      e.setX(30, e.c(pc + 4n));
      e.branch(pc + BigInt(sextField(f.imm26, 26) * 4), 'call');
    },
    dis: (f, pc) => `bl\t${target(pc + BigInt(sextField(f.imm26, 26) * 4))}`,
  },
  {
    name: 'B_cond',
    pattern: '0101010 0 imm19 0 cond:4',
    exec: (e, f, pc) => e.branchIf(e.cond(f.cond), pc + BigInt(sextField(f.imm19, 19) * 4)),
    dis: (f, pc) => `b.${COND[f.cond]}\t${target(pc + BigInt(sextField(f.imm19, 19) * 4))}`,
  },
  {
    name: 'CBZ',
    pattern: 'sf 011010 op imm19 Rt',
    exec: (e, f, pc) => {
      const v = readReg(e, f.Rt, f.sf);
      const t = f.op ? e.ne(v, e.c(0)) : e.eq(v, e.c(0));
      e.branchIf(t, pc + BigInt(sextField(f.imm19, 19) * 4));
    },
    dis: (f, pc) => `${f.op ? 'cbnz' : 'cbz'}\t${rz(f.Rt, f.sf)}, ${target(pc + BigInt(sextField(f.imm19, 19) * 4))}`,
  },
  {
    name: 'TBZ',
    pattern: 'b5 011011 op b40:5 imm14:14 Rt',
    exec: (e, f, pc) => {
      const bit = (f.b5 << 5) | f.b40;
      const set = e.ne(e.and(e.getX(f.Rt), e.c(1n << BigInt(bit))), e.c(0));
      e.branchIf(f.op ? set : e.bnot(set), pc + BigInt(sextField(f.imm14, 14) * 4));
    },
    dis: (f, pc) =>
      `${f.op ? 'tbnz' : 'tbz'}\t${rz(f.Rt, f.b5)}, #${(f.b5 << 5) | f.b40}, ${target(pc + BigInt(sextField(f.imm14, 14) * 4))}`,
  },
  {
    name: 'BR',
    pattern: '1101011 0000 11111 000000 Rn 00000',
    exec: (e, f) => e.branchReg(e.getX(f.Rn), 'jump'),
    dis: (f) => `br\tx${f.Rn === 31 ? 'zr' : f.Rn}`,
  },
  {
    name: 'BLR',
    pattern: '1101011 0001 11111 000000 Rn 00000',
    exec: (e, f, pc) => {
      const t = e.getX(f.Rn); // read before X30 is written: BLR X30 branches to the old value
      e.setX(30, e.c(pc + 4n));
      e.branchReg(t, 'call');
    },
    dis: (f) => `blr\tx${f.Rn === 31 ? 'zr' : f.Rn}`,
  },
  {
    name: 'RET',
    pattern: '1101011 0010 11111 000000 Rn 00000',
    exec: (e, f) => e.branchReg(e.getX(f.Rn), 'ret'),
    dis: (f) => (f.Rn === 30 ? 'ret' : `ret\tx${f.Rn === 31 ? 'zr' : f.Rn}`),
  },
  {
    name: 'SVC',
    pattern: '11010100 000 imm16 000 01',
    exec: (e, f) => e.svc(f.imm16),
    dis: (f) => `svc\t#0x${f.imm16.toString(16)}`,
  },
  {
    name: 'BRK',
    pattern: '11010100 001 imm16 000 00',
    exec: (e, f) => e.brk(f.imm16),
    dis: (f) => `brk\t#0x${f.imm16.toString(16)}`,
  },
  {
    name: 'HLT',
    pattern: '11010100 010 imm16 000 00',
    exec: (e) => e.undefined(),
    dis: (f) => `hlt\t#0x${f.imm16.toString(16)}`,
  },
  {
    name: 'HVC_SMC',
    pattern: '11010100 000 imm16 000 op:2',
    when: (f) => f.op === 2 || f.op === 3,
    exec: (e) => e.undefined(), // not available at EL0
    dis: (f) => `${f.op === 2 ? 'hvc' : 'smc'}\t#0x${f.imm16.toString(16)}`,
  },
  {
    name: 'BRANCH_pauth',
    pattern: '1101011 opc:4 11111 00001 M Rn Rm',
    ext: 'pauth',
    when: (f) => f.opc <= 2 || f.opc === 8 || f.opc === 9,
    dis: (f) => {
      const key = f.M ? 'b' : 'a';
      const base = ['br', 'blr', 'ret'][f.opc & 3];
      if (f.opc === 2) return `reta${key}`;
      if (f.opc < 2) return `${base}a${key}z\tx${f.Rn}`;
      return `${base}a${key}\tx${f.Rn}, ${f.Rm === 31 ? 'sp' : 'x' + f.Rm}`;
    },
  },
  {
    name: 'UDF',
    pattern: '0000000000000000 imm16',
    exec: (e) => e.undefined(),
    dis: (f) => `udf\t#${f.imm16}`,
  },
];
