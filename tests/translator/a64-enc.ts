// A small AArch64 assembler for generated test programs: encoders for the integer instructions the whole-function
// generator needs (tests/diff/asm.ts has only the harness's fixed prologue/epilogue words), and chunks of code with
// labels resolved when the chunks are laid out. Checked against GNU as/objdump and our disassembler in
// random-functions.test.ts.

export type Reg = number; // 0–30; 31 is XZR or SP depending on the instruction

const u = (w: number) => w >>> 0;
const sfBit = (sf: 0 | 1) => (sf ? 0x8000_0000 : 0);

export const COND = { eq: 0, ne: 1, hs: 2, lo: 3, mi: 4, pl: 5, vs: 6, vc: 7, hi: 8, ls: 9, ge: 10, lt: 11, gt: 12, le: 13, al: 14 } as const;
export type Shift = 0 | 1 | 2 | 3; // lsl lsr asr ror
/** Extend options of ADD (extended register) and register-offset loads. */
export const EXT = { uxtb: 0, uxth: 1, uxtw: 2, uxtx: 3, sxtb: 4, sxth: 5, sxtw: 6, sxtx: 7 } as const;

/** Fields of a logical immediate whose value is a run of `len` ones rotated right by `rot` in `esize`-bit elements. */
export function bitmask(esize: number, len: number, rot: number): { N: number; immr: number; imms: number } {
  if (len < 1 || len >= esize || rot < 0 || rot >= esize) throw new Error(`bad bitmask ${esize}/${len}/${rot}`);
  return { N: esize === 64 ? 1 : 0, immr: rot, imms: ((~(esize - 1) << 1) & 0x3f) | (len - 1) };
}
/** The value of such a logical immediate (for width `bits`). */
export function bitmaskValue(esize: number, len: number, rot: number, bits: 32 | 64): bigint {
  const mask = (1n << BigInt(esize)) - 1n;
  let elt = (1n << BigInt(len)) - 1n;
  elt = ((elt >> BigInt(rot)) | (elt << BigInt(esize - rot))) & mask;
  let v = 0n;
  for (let i = 0; i < bits; i += esize) v |= elt << BigInt(i);
  return v;
}

export const E = {
  // Data processing, immediate.
  addImm: (sf: 0 | 1, op: 0 | 1, S: 0 | 1, rd: Reg, rn: Reg, imm12: number, sh: 0 | 1 = 0) =>
    u(sfBit(sf) | (op << 30) | (S << 29) | 0x11000000 | (sh << 22) | ((imm12 & 0xfff) << 10) | (rn << 5) | rd),
  logicImm: (sf: 0 | 1, opc: number, rd: Reg, rn: Reg, m: { N: number; immr: number; imms: number }) =>
    u(sfBit(sf) | (opc << 29) | 0x12000000 | (m.N << 22) | (m.immr << 16) | (m.imms << 10) | (rn << 5) | rd),
  /** AND rd, rn, #(width ones at lsb) (64-bit). */
  andBits: (rd: Reg, rn: Reg, lsb: number, width: number) => E.logicImm(1, 0, rd, rn, bitmask(64, width, (64 - lsb) % 64)),
  /** AND wd, wn, #(width ones at lsb) (32-bit). */
  andBitsW: (rd: Reg, rn: Reg, lsb: number, width: number) => E.logicImm(0, 0, rd, rn, bitmask(32, width, (32 - lsb) % 32)),
  movWide: (sf: 0 | 1, opc: 0 | 2 | 3, rd: Reg, imm16: number, hw: number) =>
    u(sfBit(sf) | (opc << 29) | 0x12800000 | (hw << 21) | ((imm16 & 0xffff) << 5) | rd),
  movz: (rd: Reg, imm16: number, hw = 0) => E.movWide(1, 2, rd, imm16, hw),
  movk: (rd: Reg, imm16: number, hw = 0) => E.movWide(1, 3, rd, imm16, hw),
  bfm: (sf: 0 | 1, opc: 0 | 1 | 2, rd: Reg, rn: Reg, immr: number, imms: number) =>
    u(sfBit(sf) | (opc << 29) | 0x13000000 | (sf << 22) | (immr << 16) | (imms << 10) | (rn << 5) | rd),
  extr: (sf: 0 | 1, rd: Reg, rn: Reg, rm: Reg, lsb: number) =>
    u(sfBit(sf) | 0x13800000 | (sf << 22) | (rm << 16) | (lsb << 10) | (rn << 5) | rd),
  adr: (rd: Reg, off: number) => u(0x10000000 | ((off & 3) << 29) | (((off >> 2) & 0x7ffff) << 5) | rd),
  adrp: (rd: Reg, pages: number) => u(0x90000000 | ((pages & 3) << 29) | (((pages >> 2) & 0x7ffff) << 5) | rd),

  // Data processing, register.
  addShift: (sf: 0 | 1, op: 0 | 1, S: 0 | 1, rd: Reg, rn: Reg, rm: Reg, shift: 0 | 1 | 2 = 0, amt = 0) =>
    u(sfBit(sf) | (op << 30) | (S << 29) | 0x0b000000 | (shift << 22) | (rm << 16) | (amt << 10) | (rn << 5) | rd),
  addExt: (sf: 0 | 1, op: 0 | 1, S: 0 | 1, rd: Reg, rn: Reg, rm: Reg, option: number, imm3: number) =>
    u(sfBit(sf) | (op << 30) | (S << 29) | 0x0b200000 | (rm << 16) | (option << 13) | (imm3 << 10) | (rn << 5) | rd),
  logicShift: (sf: 0 | 1, opc: number, N: 0 | 1, rd: Reg, rn: Reg, rm: Reg, shift: Shift = 0, amt = 0) =>
    u(sfBit(sf) | (opc << 29) | 0x0a000000 | (shift << 22) | (N << 21) | (rm << 16) | (amt << 10) | (rn << 5) | rd),
  movReg: (rd: Reg, rm: Reg) => E.logicShift(1, 1, 0, rd, 31, rm),
  adcSbc: (sf: 0 | 1, op: 0 | 1, S: 0 | 1, rd: Reg, rn: Reg, rm: Reg) =>
    u(sfBit(sf) | (op << 30) | (S << 29) | 0x1a000000 | (rm << 16) | (rn << 5) | rd),
  csel: (sf: 0 | 1, op: 0 | 1, o2: 0 | 1, rd: Reg, rn: Reg, rm: Reg, cond: number) =>
    u(sfBit(sf) | (op << 30) | 0x1a800000 | (rm << 16) | (cond << 12) | (o2 << 10) | (rn << 5) | rd),
  /** CCMP (op=1) / CCMN (op=0), register or immediate (imm5 when `imm`). */
  ccmp: (sf: 0 | 1, op: 0 | 1, rn: Reg, rmOrImm: number, imm: boolean, nzcv: number, cond: number) =>
    u(sfBit(sf) | (op << 30) | 0x3a400000 | (rmOrImm << 16) | (cond << 12) | (imm ? 0x800 : 0) | (rn << 5) | nzcv),
  madd: (sf: 0 | 1, o0: 0 | 1, rd: Reg, rn: Reg, rm: Reg, ra: Reg) =>
    u(sfBit(sf) | 0x1b000000 | (rm << 16) | (o0 << 15) | (ra << 10) | (rn << 5) | rd),
  mulh: (unsigned: boolean, rd: Reg, rn: Reg, rm: Reg) => u((unsigned ? 0x9bc07c00 : 0x9b407c00) | (rm << 16) | (rn << 5) | rd),
  /** opcode: 2 udiv, 3 sdiv, 8 lslv, 9 lsrv, 10 asrv, 11 rorv. */
  dp2: (sf: 0 | 1, opcode: number, rd: Reg, rn: Reg, rm: Reg) =>
    u(sfBit(sf) | 0x1ac00000 | (rm << 16) | (opcode << 10) | (rn << 5) | rd),
  /** opcode: 0 rbit, 1 rev16, 2 rev32/rev(w), 3 rev(x), 4 clz, 5 cls. */
  dp1: (sf: 0 | 1, opcode: number, rd: Reg, rn: Reg) => u(sfBit(sf) | 0x5ac00000 | (opcode << 10) | (rn << 5) | rd),
  mrsNzcv: (rt: Reg) => u(0xd53b4200 | rt),
  msrNzcv: (rt: Reg) => u(0xd51b4200 | rt),

  // Loads and stores. size: 0 b, 1 h, 2 w, 3 x; opc: 0 store, 1 load, 2 signed load to X, 3 signed load to W.
  ldstUimm: (size: number, opc: number, rt: Reg, rn: Reg, off: number) =>
    u((size << 30) | 0x39000000 | (opc << 22) | ((off >> size) << 10) | (rn << 5) | rt),
  ldstReg: (size: number, opc: number, rt: Reg, rn: Reg, rm: Reg, option: number, S: 0 | 1) =>
    u((size << 30) | 0x38200800 | (opc << 22) | (rm << 16) | (option << 13) | (S << 12) | (rn << 5) | rt),
  /** Pre-index (pre) or post-index, 9-bit signed byte offset. */
  ldstIdx: (size: number, opc: number, rt: Reg, rn: Reg, off: number, pre: boolean) =>
    u((size << 30) | 0x38000000 | (opc << 22) | ((off & 0x1ff) << 12) | (pre ? 0xc00 : 0x400) | (rn << 5) | rt),
  /** STP/LDP of X registers. mode: 1 post-index, 2 signed offset, 3 pre-index. */
  ldp: (L: 0 | 1, mode: 1 | 2 | 3, rt: Reg, rt2: Reg, rn: Reg, off: number) =>
    u(0xa8000000 | (mode << 23) | (L << 22) | (((off / 8) & 0x7f) << 15) | (rt2 << 10) | (rn << 5) | rt),

  // Branches (offsets in bytes).
  b: (off: number) => u(0x14000000 | ((off >> 2) & 0x3ffffff)),
  bl: (off: number) => u(0x94000000 | ((off >> 2) & 0x3ffffff)),
  bcond: (cond: number, off: number) => u(0x54000000 | (((off >> 2) & 0x7ffff) << 5) | cond),
  cbz: (sf: 0 | 1, nz: 0 | 1, rt: Reg, off: number) => u(sfBit(sf) | 0x34000000 | (nz << 24) | (((off >> 2) & 0x7ffff) << 5) | rt),
  tbz: (nz: 0 | 1, rt: Reg, bit: number, off: number) =>
    u(((bit >> 5) << 31) | 0x36000000 | (nz << 24) | ((bit & 31) << 19) | (((off >> 2) & 0x3fff) << 5) | rt),
  br: (rn: Reg) => u(0xd61f0000 | (rn << 5)),
  blr: (rn: Reg) => u(0xd63f0000 | (rn << 5)),
  ret: (rn: Reg = 30) => u(0xd65f0000 | (rn << 5)),
  svc: (imm = 0) => u(0xd4000001 | (imm << 5)),
};

/** A code label: bound to a position in a chunk; its address is known once the chunk is placed. */
export class Label {
  chunk: Chunk | null = null;
  pos = -1;
  constructor(readonly name = '') {}
  get addr(): number {
    if (!this.chunk || this.chunk.base < 0) throw new Error(`label ${this.name} not placed`);
    return this.chunk.base + this.pos * 4;
  }
}

type Item = number | ((pc: number) => number);

/** A run of instructions placed at one address; words that refer to labels are computed at layout. */
export class Chunk {
  readonly items: Item[] = [];
  base = -1;
  constructor(readonly name = '') {}
  get length(): number {
    return this.items.length;
  }
  emit(...ws: Item[]): void {
    this.items.push(...ws);
  }
  bind(l: Label): void {
    l.chunk = this;
    l.pos = this.items.length;
  }
  label(name = ''): Label {
    const l = new Label(name);
    this.bind(l);
    return l;
  }
  // PC-relative forms.
  b(l: Label): void {
    this.emit((pc) => E.b(l.addr - pc));
  }
  bl(l: Label): void {
    this.emit((pc) => E.bl(l.addr - pc));
  }
  bcond(cond: number, l: Label): void {
    this.emit((pc) => E.bcond(cond, l.addr - pc));
  }
  cbz(sf: 0 | 1, nz: 0 | 1, rt: Reg, l: Label): void {
    this.emit((pc) => E.cbz(sf, nz, rt, l.addr - pc));
  }
  tbz(nz: 0 | 1, rt: Reg, bit: number, l: Label): void {
    this.emit((pc) => E.tbz(nz, rt, bit, l.addr - pc));
  }
  /** ADR rd, target (a label or an absolute address). */
  adr(rd: Reg, t: Label | (() => number)): void {
    this.emit((pc) => E.adr(rd, (t instanceof Label ? t.addr : t()) - pc));
  }
  /** ADRP rd, target; ADD rd, rd, #:lo12:target. */
  adrpAdd(rd: Reg, t: Label | (() => number)): void {
    const a = () => (t instanceof Label ? t.addr : t());
    this.emit((pc) => E.adrp(rd, Math.floor(a() / 4096) - Math.floor(pc / 4096)));
    this.emit(() => E.addImm(1, 0, 0, rd, rd, a() & 0xfff));
  }
  /** MOVZ/MOVK of a 32-bit constant. */
  mov32(rd: Reg, v: number): void {
    this.emit(E.movz(rd, v & 0xffff, 0), E.movk(rd, (v >>> 16) & 0xffff, 1));
  }
}

/** Places chunks one after another from `base` and returns the words. */
export function link(chunks: Chunk[], base: number): Uint32Array {
  let at = base;
  for (const c of chunks) {
    c.base = at;
    at += c.length * 4;
  }
  const out = new Uint32Array((at - base) / 4);
  let i = 0;
  for (const c of chunks) {
    c.items.forEach((it, k) => {
      out[i++] = typeof it === 'number' ? it : it(c.base + k * 4);
    });
  }
  return out;
}
