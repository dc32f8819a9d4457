// ELF64 little-endian AArch64 executables: ET_EXEC and static-PIE ET_DYN. Every field is range-checked
// against the file before use, so truncated or hostile files give one ElfError line, never a trace or a hang.
import { ElfError } from '../errors.js';

export const ET_EXEC = 2;
export const ET_DYN = 3;
export const EM_AARCH64 = 183;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
export const SHF_EXECINSTR = 4;
const SHT_NOBITS = 8;

export interface Segment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface Section {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  /** sh_link: for a symbol table, the index of its string table. */
  link: number;
}

export interface ElfImage {
  bytes: Uint8Array;
  type: number;
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  segments: Segment[];
  sections: Section[];
  /** PT_INTERP contents when the program wants a dynamic loader. */
  interp: string | null;
}

/** Highest address a guest image may use: everything lives below 4 GiB (D3). */
const ADDR_LIMIT = 2 ** 32;
const MAX_PHNUM = 1024;
const MAX_SHNUM = 65535;

function u64(dv: DataView, off: number, what: string): number {
  const v = dv.getBigUint64(off, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`${what} is absurd (0x${v.toString(16)})`);
  return Number(v);
}

export function parseElf(bytes: Uint8Array): ElfImage {
  if (bytes.length < 64) throw new ElfError('not an ELF file (too short)');
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError('not an ELF file (bad magic)');
  }
  if (bytes[4] !== 2) throw new ElfError('not a 64-bit ELF file');
  if (bytes[5] !== 1) throw new ElfError('not a little-endian ELF file');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = dv.getUint16(16, true);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_AARCH64) throw new ElfError(`ELF machine ${machine} is not AArch64 (183)`);
  if (type !== ET_EXEC && type !== ET_DYN) throw new ElfError(`ELF type ${type} is not an executable`);
  const entry = u64(dv, 24, 'entry point');
  const phoff = u64(dv, 32, 'program header offset');
  const shoff = u64(dv, 40, 'section header offset');
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);
  const shstrndx = dv.getUint16(62, true);
  if (phnum === 0) throw new ElfError('ELF file has no program headers');
  if (phentsize < 56) throw new ElfError(`program header size ${phentsize} is too small`);
  if (phnum > MAX_PHNUM || phoff + phnum * phentsize > bytes.length) {
    throw new ElfError('program headers lie outside the file (truncated?)');
  }
  const segments: Segment[] = [];
  let interp: string | null = null;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    const s: Segment = {
      type: dv.getUint32(o, true),
      flags: dv.getUint32(o + 4, true),
      offset: u64(dv, o + 8, 'segment offset'),
      vaddr: u64(dv, o + 16, 'segment address'),
      filesz: u64(dv, o + 32, 'segment file size'),
      memsz: u64(dv, o + 40, 'segment memory size'),
      align: u64(dv, o + 48, 'segment alignment'),
    };
    if (s.type === PT_LOAD || s.type === PT_INTERP || s.type === PT_TLS) {
      if (s.offset + s.filesz > bytes.length) throw new ElfError(`segment ${i} lies outside the file (truncated?)`);
      if (s.filesz > s.memsz && s.type === PT_LOAD) throw new ElfError(`segment ${i} has file size > memory size`);
    }
    if (s.type === PT_LOAD && s.vaddr + s.memsz > ADDR_LIMIT) {
      throw new ElfError(`segment ${i} at 0x${s.vaddr.toString(16)} does not fit below 4 GiB`);
    }
    if (s.type === PT_INTERP) {
      const raw = bytes.subarray(s.offset, s.offset + s.filesz);
      const nul = raw.indexOf(0);
      interp = new TextDecoder().decode(nul >= 0 ? raw.subarray(0, nul) : raw);
    }
    segments.push(s);
  }
  if (!segments.some((s) => s.type === PT_LOAD)) throw new ElfError('ELF file has no loadable segment');
  const sections = parseSections(bytes, dv, shoff, shentsize, shnum, shstrndx);
  return { bytes, type, entry, phoff, phentsize, phnum, segments, sections, interp };
}

/** Sections are optional at run time: a broken section table only hides section names, it is not fatal. */
function parseSections(
  bytes: Uint8Array,
  dv: DataView,
  shoff: number,
  shentsize: number,
  shnum: number,
  shstrndx: number,
): Section[] {
  if (shoff === 0 || shnum === 0 || shentsize < 64 || shnum > MAX_SHNUM) return [];
  if (shoff + shnum * shentsize > bytes.length) return [];
  const raw: Section[] = [];
  const nameOffs: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    nameOffs.push(dv.getUint32(o, true));
    const off = Number(dv.getBigUint64(o + 24, true));
    const size = Number(dv.getBigUint64(o + 32, true));
    const type = dv.getUint32(o + 4, true);
    raw.push({
      name: '',
      type,
      flags: Number(dv.getBigUint64(o + 8, true) & 0xffffffffn),
      addr: Number(dv.getBigUint64(o + 16, true)),
      offset: off,
      link: dv.getUint32(o + 40, true),
      size: type !== SHT_NOBITS && off + size > bytes.length ? Math.max(0, bytes.length - off) : size,
    });
  }
  const strtab = shstrndx < raw.length ? raw[shstrndx] : null;
  for (let i = 0; i < raw.length; i++) {
    if (!strtab || strtab.offset + nameOffs[i] >= bytes.length) continue;
    const start = strtab.offset + nameOffs[i];
    let end = start;
    while (end < bytes.length && end - start < 256 && bytes[end] !== 0) end++;
    raw[i].name = new TextDecoder().decode(bytes.subarray(start, end));
  }
  return raw;
}
