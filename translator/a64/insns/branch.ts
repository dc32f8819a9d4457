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
    name: 'UDF',
    pattern: '0000000000000000 imm16',
    exec: (e) => e.undefined(),
    dis: (f) => `udf\t#${f.imm16}`,
  },
];
