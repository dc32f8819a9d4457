// Seeded random instruction sequences per group, drawn FROM THE TABLE (so coverage grows with it), constrained
// to forms whose result is architecturally defined and that stay inside the test's memory window:
//   X27 holds a small index (register-offset loads), X28 the window base; SP points into the window too.
import { decode } from '../../translator/a64/decoder.js';
import type { Encoding, Fields } from '../../translator/a64/encoding.js';
import { TABLE } from '../../translator/a64/table.js';

export type Group = 'alu' | 'bitfield' | 'muldiv' | 'condsel' | 'ldst' | 'branch' | 'fp' | 'simd' | 'system';
export const GROUPS: Group[] = ['alu', 'bitfield', 'muldiv', 'condsel', 'ldst', 'branch', 'fp', 'simd', 'system'];

/** The groups: integer ALU and flags, shifts and bitfields, multiply/divide, conditional select and
 * compare, loads/stores, branches, scalar FP, AdvSIMD, system. By table group or by row name. */
const GROUP_ROWS: Record<Group, { groups?: string[]; names?: string[] }> = {
  alu: { names: ['ADD_imm', 'LOGIC_imm', 'MOVE_wide', 'ADR', 'ADDSUB_shift', 'ADDSUB_ext', 'ADC_SBC', 'LOGIC_shift', 'CLZ_CLS', 'DP_1src'] },
  bitfield: { names: ['BITFIELD', 'EXTR', 'SHIFTV'] },
  muldiv: { names: ['MADD', 'MADDL', 'MULH', 'DIV'] },
  condsel: { names: ['CSEL', 'CCMP', 'ADDSUB_shift'] },
  ldst: { groups: ['ldst', 'simd_ldst'] },
  branch: { groups: [] },
  fp: { groups: ['fp'] },
  simd: { groups: ['simd'] },
  system: { groups: ['system'] },
};

/** Rows not drawn at random: they leave the sequence, trap, read host-dependent state, or need alignment. */
const EXCLUDED = new Set([
  'SVC', 'BRK', 'HLT', 'UDF', 'HVC_SMC', 'BR', 'BLR', 'RET', 'BRANCH_pauth', 'SYS', 'MRS_MSR', 'LDR_literal',
]);

/**
 * Exclusive and acquire/release accesses need natural alignment: exclusives use X26 and LDAR/STLR X25, aligned
 * bases nothing else moves or stores to (a plain store to a marked address may or may not clear the monitor:
 * IMPLEMENTATION DEFINED, and qemu compares values). Within one case all exclusives have one size, since a
 * store-exclusive of another size than its load-exclusive is CONSTRAINED UNPREDICTABLE.
 */
const ALIGNED = new Set(['LDST_exclusive', 'LDST_exclusive_pair', 'LDST_ordered']);
function exclusiveKind(name: string, f: Fields): string {
  return name === 'LDST_exclusive_pair' ? `p${f.sz}` : `s${f.size}`;
}

export function rng(seed: number): () => number {
  let s = (seed >>> 0) ^ 0x9e3779b9 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

export function rowsOf(group: Group): Encoding[] {
  const g = GROUP_ROWS[group];
  const inGroup = (r: Encoding) => (g.groups?.includes(r.group ?? '') ?? false) || (g.names?.includes(r.name) ?? false);
  return TABLE.filter((r) => inGroup(r) && r.exec && (r.ext ?? 'base') === 'base' && !EXCLUDED.has(r.name));
}

/** Every integer data-processing row: what the branch group mixes in to set flags and registers. */
function integerRows(): Encoding[] {
  return TABLE.filter((r) => (r.group === 'dp_imm' || r.group === 'dp_reg') && r.exec && (r.ext ?? 'base') === 'base');
}

const WRITES_SP = (name: string, f: Fields) =>
  (name === 'ADD_imm' && !f.S && f.Rd === 31) ||
  (name === 'ADDSUB_ext' && !f.S && f.Rd === 31) ||
  (name === 'LOGIC_imm' && f.opc !== 3 && f.Rd === 31);

/** Constraints for loads/stores: base X28 or SP, index X27, no overlap that makes the result UNPREDICTABLE. */
function ldstOk(name: string, f: Fields): boolean {
  const reserved = (r: number) => r >= 25 && r <= 28;
  if (ALIGNED.has(name)) {
    if (f.Rn !== (name === 'LDST_ordered' ? 25 : 26)) return false;
    if (name !== 'LDST_exclusive_pair' && f.Rt2 !== 31) return false; // should-be-one field
    if (f.L && name !== 'LDST_exclusive_pair' && name !== 'LDST_exclusive' && f.Rs !== 31) return false;
    if (name === 'LDST_ordered' && !f.o0) return false; // LDLAR/STLLR are ARMv8.1
    if (f.L && name !== 'LDST_ordered' && f.Rs !== 31) return false;
    for (const r of ['Rt', 'Rt2']) if (reserved(f[r]) && !(r === 'Rt2' && name !== 'LDST_exclusive_pair')) return false;
    if (!f.L && name !== 'LDST_ordered' && (reserved(f.Rs) || f.Rs === f.Rt || f.Rs === f.Rt2 || f.Rs === 31)) return false;
    if (name === 'LDST_exclusive_pair' && f.L && f.Rt === f.Rt2) return false;
    return true;
  }
  if (f.Rn !== 28 && f.Rn !== 31) return false;
  if ('Rm' in f && f.Rm !== 27 && f.Rm !== 31) return false;
  for (const r of ['Rt', 'Rt2', 'Rs']) if (r in f && (reserved(f[r]) || f[r] === f.Rn)) return false;
  if ('Rt2' in f && f.Rt2 === f.Rt) return false;
  return true;
}

/** Half-precision arithmetic is FEAT_FP16, which neither we nor qemu's cortex-a57 have: left out. */
function fpOk(name: string, f: Fields): boolean {
  if (name === 'FCVT_precision') return true; // conversions to and from half precision are ARMv8.0
  if (f.ftype === 3 || f.ftype === 2) return name === 'FP_int' && f.ftype === 2;
  return true;
}

function pick(rows: Encoding[], next: () => number, ok: (e: Encoding, f: Fields) => boolean): number {
  for (;;) {
    const row = rows[next() % rows.length];
    for (let tries = 0; tries < 64; tries++) {
      const word = (row.value | (next() & ~row.mask)) >>> 0;
      const d = decode(word);
      if (!d || !rows.includes(d.enc)) continue;
      if (WRITES_SP(d.enc.name, d.f) || !fpOk(d.enc.name, d.f) || !ok(d.enc, d.f)) continue;
      return word;
    }
  }
}

/** Branch forms that jump forward by `n` instructions (1 = the next one). */
function forwardBranch(next: () => number, n: number): number {
  const off = n & 0x7ffff;
  switch (next() % 5) {
    case 0:
      return (0x14000000 | n) >>> 0; // B
    case 1:
      return (0x94000000 | n) >>> 0; // BL
    case 2:
      return (0x54000000 | (off << 5) | (next() % 15)) >>> 0; // B.cond (not NV)
    case 3:
      return ((next() & 0x80000000) | 0x34000000 | ((next() & 0x01000000)) | (off << 5) | (next() % 31)) >>> 0; // CBZ/CBNZ
    default: {
      const bit = next() % 64;
      return (((bit >> 5) << 31) | 0x36000000 | (next() & 0x01000000) | ((bit & 31) << 19) | ((n & 0x3fff) << 5) | (next() % 31)) >>> 0; // TBZ/TBNZ
    }
  }
}

/** `len` instruction words for one test case. */
export function sequence(group: Group, next: () => number, len: number): number[] {
  const out: number[] = [];
  if (group === 'branch') {
    const alu = integerRows();
    for (let i = 0; i < len; i++) {
      if (next() % 2) out.push(forwardBranch(next, 1 + (next() % (len - i))));
      else out.push(pick(alu, next, () => true));
    }
    return out;
  }
  if (group === 'system') {
    const rows = rowsOf('system');
    for (let i = 0; i < len; i++) {
      const r = next() % 4;
      const rt = next() % 27;
      // MRS/MSR of NZCV and FPSR: the registers a program may set and read back.
      if (r === 0) out.push((0xd53b4200 | rt) >>> 0);
      else if (r === 1) out.push((0xd51b4200 | rt) >>> 0);
      else out.push(pick(rows, next, () => true));
    }
    return out;
  }
  const rows = rowsOf(group);
  let kind = '';
  const ok = (e: Encoding, f: Fields): boolean => {
    if (group !== 'ldst') return true;
    if (!ldstOk(e.name, f)) return false;
    if (e.name !== 'LDST_exclusive' && e.name !== 'LDST_exclusive_pair') return true;
    const k = exclusiveKind(e.name, f);
    if (kind && k !== kind) return false;
    kind = k;
    return true;
  };
  for (let i = 0; i < len; i++) out.push(pick(rows, next, ok));
  return out;
}
