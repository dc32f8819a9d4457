// Data processing with immediates: ADD/SUB (imm), logical (imm), MOVZ/MOVN/MOVK, ADR/ADRP, bitfield, EXTR.
import type { EncodingSpec } from '../encoding.js';
import { hex, readReg, readRegSP, rsp, rz, sextField, target, u64, writeReg, writeRegSP } from './common.js';
import { decodeBitMask, moveWidePreferred } from './bitmask.js';

const LOGIC = ['and', 'orr', 'eor', 'ands'];

function bitfieldWidth(sf: number): number {
  return sf ? 64 : 32;
}

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
  {
    name: 'LOGIC_imm',
    pattern: 'sf opc:2 100100 N immr:6 imms:6 Rn Rd',
    when: (f) => decodeBitMask(f.N, f.imms, f.immr, f.sf ? 64 : 32) !== null,
    exec: (e, f) => {
      const bits = f.sf ? 64 : 32;
      const imm = e.c(decodeBitMask(f.N, f.imms, f.immr, bits) as bigint);
      const a = readReg(e, f.Rn, f.sf);
      if (f.opc === 0) writeRegSP(e, f.Rd, f.sf, e.and(a, imm));
      else if (f.opc === 1) writeRegSP(e, f.Rd, f.sf, e.or(a, imm));
      else if (f.opc === 2) writeRegSP(e, f.Rd, f.sf, e.xor(a, imm));
      else {
        const r = e.and(a, imm);
        e.logicFlags(r, bits);
        writeReg(e, f.Rd, f.sf, r);
      }
    },
    dis: (f) => {
      const imm = hex(decodeBitMask(f.N, f.imms, f.immr, f.sf ? 64 : 32) as bigint);
      if (f.opc === 3 && f.Rd === 31) return `tst\t${rz(f.Rn, f.sf)}, ${imm}`;
      if (f.opc === 1 && f.Rn === 31 && !moveWidePreferred(f.sf, f.N, f.imms, f.immr))
        return `mov\t${rsp(f.Rd, f.sf)}, ${imm}`;
      const rd = f.opc === 3 ? rz(f.Rd, f.sf) : rsp(f.Rd, f.sf);
      return `${LOGIC[f.opc]}\t${rd}, ${rz(f.Rn, f.sf)}, ${imm}`;
    },
  },
  {
    name: 'MOVE_wide',
    pattern: 'sf opc:2 100101 hw:2 imm16 Rd',
    when: (f) => f.opc !== 1 && (f.sf === 1 || f.hw < 2),
    exec: (e, f) => {
      const shift = f.hw * 16;
      const imm = BigInt(f.imm16) << BigInt(shift);
      if (f.opc === 0) writeReg(e, f.Rd, f.sf, e.not(e.c(imm)));
      else if (f.opc === 2) writeReg(e, f.Rd, f.sf, e.c(imm));
      else {
        const old = readReg(e, f.Rd, f.sf);
        writeReg(e, f.Rd, f.sf, e.or(e.and(old, e.c(~(0xffffn << BigInt(shift)))), e.c(imm)));
      }
    },
    dis: (f) => {
      const shift = f.hw * 16;
      const mask = f.sf ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn;
      const imm = BigInt(f.imm16) << BigInt(shift);
      const lsl = shift ? `, lsl #${shift}` : '';
      if (f.opc === 3) return `movk\t${rz(f.Rd, f.sf)}, #0x${f.imm16.toString(16)}${lsl}`;
      if (f.opc === 2) {
        if (f.imm16 === 0 && f.hw !== 0) return `movz\t${rz(f.Rd, f.sf)}, #0x0${lsl}`;
        return `mov\t${rz(f.Rd, f.sf)}, ${hex(imm)}`;
      }
      if ((f.imm16 === 0 && f.hw !== 0) || (!f.sf && f.imm16 === 0xffff))
        return `movn\t${rz(f.Rd, f.sf)}, #0x${f.imm16.toString(16)}${lsl}`;
      return `mov\t${rz(f.Rd, f.sf)}, ${hex(~imm & mask)}`;
    },
  },
  {
    name: 'BITFIELD',
    pattern: 'sf opc:2 100110 N immr:6 imms:6 Rn Rd',
    when: (f) => f.opc !== 3 && f.N === f.sf && (f.sf === 1 || (f.immr < 32 && f.imms < 32)),
    exec: (e, f) => {
      const size = bitfieldWidth(f.sf);
      const src = readReg(e, f.Rn, f.sf);
      const r = f.immr;
      const s = f.imms;
      const mask = (1n << BigInt(size)) - 1n;
      // Rotate right by r within `size` bits, then keep bits [s:0] (s >= r) or place them at size - r (s < r).
      if (f.opc === 1) {
        // BFM: insert into the old Rd.
        const dst = readReg(e, f.Rd, f.sf);
        const width = s >= r ? s - r + 1 : s + 1;
        const lsb = s >= r ? 0 : size - r;
        const fmask = ((1n << BigInt(width)) - 1n) << BigInt(lsb);
        const bits = s >= r ? e.zext(e.lshr(src, e.c(r)), width) : e.shl(e.zext(src, width), e.c(lsb));
        writeReg(e, f.Rd, f.sf, e.or(e.and(dst, e.c(~fmask & mask)), bits));
        return;
      }
      let out;
      if (s >= r) {
        const width = s - r + 1;
        const shifted = e.lshr(src, e.c(r));
        out = f.opc === 0 ? e.sext(shifted, width) : e.zext(shifted, width);
      } else {
        const width = s + 1;
        const field = f.opc === 0 ? e.sext(src, width) : e.zext(src, width);
        out = e.shl(field, e.c(size - r));
      }
      writeReg(e, f.Rd, f.sf, out);
    },
    dis: (f) => {
      const size = bitfieldWidth(f.sf);
      const rd = rz(f.Rd, f.sf);
      const rn = rz(f.Rn, f.sf);
      const r = f.immr;
      const s = f.imms;
      if (f.opc === 0) {
        if (s === size - 1) return `asr\t${rd}, ${rn}, #${r}`;
        if (r === 0 && s === 7) return `sxtb\t${rd}, ${rz(f.Rn, 0)}`;
        if (r === 0 && s === 15) return `sxth\t${rd}, ${rz(f.Rn, 0)}`;
        if (r === 0 && s === 31 && f.sf) return `sxtw\t${rd}, ${rz(f.Rn, 0)}`;
        if (s < r) return `sbfiz\t${rd}, ${rn}, #${size - r}, #${s + 1}`;
        return `sbfx\t${rd}, ${rn}, #${r}, #${s - r + 1}`;
      }
      if (f.opc === 2) {
        if (s !== size - 1 && s + 1 === r) return `lsl\t${rd}, ${rn}, #${size - 1 - s}`;
        if (s === size - 1) return `lsr\t${rd}, ${rn}, #${r}`;
        if (r === 0 && s === 7 && !f.sf) return `uxtb\t${rd}, ${rn}`;
        if (r === 0 && s === 15 && !f.sf) return `uxth\t${rd}, ${rn}`;
        if (s < r) return `ubfiz\t${rd}, ${rn}, #${size - r}, #${s + 1}`;
        return `ubfx\t${rd}, ${rn}, #${r}, #${s - r + 1}`;
      }
      if (s < r) {
        if (f.Rn === 31) return `bfc\t${rd}, #${size - r}, #${s + 1}`;
        return `bfi\t${rd}, ${rn}, #${size - r}, #${s + 1}`;
      }
      return `bfxil\t${rd}, ${rn}, #${r}, #${s - r + 1}`;
    },
  },
  {
    name: 'EXTR',
    pattern: 'sf 00 100111 N 0 Rm imms:6 Rn Rd',
    when: (f) => f.N === f.sf && (f.sf === 1 || f.imms < 32),
    exec: (e, f) => {
      const size = f.sf ? 64 : 32;
      const hi = readReg(e, f.Rn, f.sf);
      const lo = readReg(e, f.Rm, f.sf);
      const lsb = f.imms;
      const r = lsb === 0 ? lo : e.or(e.lshr(lo, e.c(lsb)), e.shl(hi, e.c(size - lsb)));
      writeReg(e, f.Rd, f.sf, r);
    },
    dis: (f) =>
      f.Rn === f.Rm
        ? `ror\t${rz(f.Rd, f.sf)}, ${rz(f.Rn, f.sf)}, #${f.imms}`
        : `extr\t${rz(f.Rd, f.sf)}, ${rz(f.Rn, f.sf)}, ${rz(f.Rm, f.sf)}, #${f.imms}`,
  },
];
