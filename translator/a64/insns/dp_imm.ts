// Data processing with immediates: ADD/SUB (imm), logical (imm), MOVZ/MOVN/MOVK, ADR/ADRP, bitfield, EXTR.
import type { EncodingSpec } from '../encoding.js';
import { hex, readRegSP, rsp, rz, sextField, target, u64, writeReg, writeRegSP } from './common.js';

export const dataProcessingImm: EncodingSpec[] = [
  {
    name: 'ADD_imm',
    pattern: 'sf op S 100010 sh imm12 Rn Rd',
    exec: (e, f) => {
      const a = readRegSP(e, f.Rn, f.sf);
      const imm = e.c(f.imm12 << (f.sh ? 12 : 0));
      const bits = f.sf ? 64 : 32;
      if (f.S) {
        const r = f.op ? e.addWithFlags(a, e.zext(e.not(imm), bits), e.c(1), bits) : e.addWithFlags(a, imm, e.c(0), bits);
        writeReg(e, f.Rd, f.sf, r);
      } else {
        writeRegSP(e, f.Rd, f.sf, f.op ? e.sub(a, imm) : e.add(a, imm));
      }
    },
    dis: (f) => {
      const imm = `${hex(f.imm12)}${f.sh ? ', lsl #12' : ''}`;
      if (f.S && f.Rd === 31) return `${f.op ? 'cmp' : 'cmn'}\t${rsp(f.Rn, f.sf)}, ${imm}`;
      if (!f.S && !f.op && f.imm12 === 0 && !f.sh && (f.Rd === 31 || f.Rn === 31))
        return `mov\t${rsp(f.Rd, f.sf)}, ${rsp(f.Rn, f.sf)}`;
      const mn = (f.op ? 'sub' : 'add') + (f.S ? 's' : '');
      return `${mn}\t${f.S ? rz(f.Rd, f.sf) : rsp(f.Rd, f.sf)}, ${rsp(f.Rn, f.sf)}, ${imm}`;
    },
  },
  {
    name: 'ADR',
    pattern: 'op immlo:2 10000 immhi:19 Rd',
    exec: (e, f, pc) => {
      const off = BigInt(sextField((f.immhi << 2) | f.immlo, 21));
      e.setX(f.Rd, e.c(f.op ? u64(((pc >> 12n) << 12n) + (off << 12n)) : u64(pc + off)));
    },
    dis: (f, pc) => {
      const off = BigInt(sextField((f.immhi << 2) | f.immlo, 21));
      const t = f.op ? ((pc >> 12n) << 12n) + (off << 12n) : pc + off;
      return `${f.op ? 'adrp' : 'adr'}\t${rz(f.Rd, 1)}, ${target(t)}`;
    },
  },
];
