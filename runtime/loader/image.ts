// Placing an ELF image into an address space (ARCHITECTURE.md §1, runtime.loadImage): PT_LOAD segments at
// their addresses (plus a bias for static PIE), with their permissions. Where the stack goes and what the
// initial stack holds is Linux's business: kernel/proc/exec.ts.
import { parseElf, ET_DYN, PF_R, PF_W, PF_X, PT_LOAD, PT_PHDR, type ElfImage } from '../../translator/elf/elf.js';
import { ElfError } from '../../translator/errors.js';
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageRound, type AddressSpace } from '../memory/address-space.js';

export interface LoadedImage {
  img: ElfImage;
  /** Added to every link-time address (0 for ET_EXEC). */
  bias: number;
  /** First page-aligned address above the image: where the program break starts. */
  end: number;
  entry: number;
  /** Run-time address of the program headers (AT_PHDR). */
  phdr: number;
}

export interface Placement {
  /** Where a position-independent image (static PIE) starts. */
  pieBase: number;
  /** Images must end at or below this address. */
  limit: number;
  /** The lowest address an image may use (the null guard lies below). */
  floor: number;
  /**
   * The file's identity (see kernel fileIdentity), when it has one: its read-only pages are then recognised in a
   * memory that held them before, and not copied again.
   */
  identity?: string;
}

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/** Where an image lands: static PIE images are moved so their lowest page starts at pieBase. */
export function loadBias(img: ElfImage, pieBase: number): number {
  const loads = img.segments.filter((s) => s.type === PT_LOAD);
  const lowest = Math.floor(Math.min(...loads.map((s) => s.vaddr)) / PAGE_SIZE) * PAGE_SIZE;
  return img.type === ET_DYN ? pieBase - lowest : 0;
}

/** Where an image's pages go, worked out once per image (a shell execs the same few again and again). */
interface Plan {
  img: ElfImage;
  bias: number;
  end: number;
  /** Runs of pages to map (writable while loading), and runs of equal final protection. */
  maps: [number, number][];
  protects: [number, number, number][];
  phdr: number;
  /** The Placement it was made for. */
  at: string;
}
const plans = new WeakMap<Uint8Array, Plan>();

function plan(bytes: Uint8Array, at: Placement): Plan {
  const key = `${at.pieBase}:${at.limit}:${at.floor}`;
  const known = plans.get(bytes);
  if (known && known.at === key) return known;
  const img = parseElf(bytes);
  const loads = img.segments.filter((s) => s.type === PT_LOAD);
  const bias = loadBias(img, at.pieBase);
  let end = 0;
  // Segments may share a page (small binaries): each page is mapped once, with the union of permissions.
  const pageProt = new Map<number, number>();
  for (const s of loads) {
    const start = Math.floor((s.vaddr + bias) / PAGE_SIZE) * PAGE_SIZE;
    const stop = pageRound(s.vaddr + bias + s.memsz);
    if (start < at.floor) throw new ElfError(`segment at 0x${(s.vaddr + bias).toString(16)} overlaps the null guard`);
    if (stop > at.limit) throw new ElfError(`segment at 0x${(s.vaddr + bias).toString(16)} does not fit below the stack`);
    for (let p = start; p < stop; p += PAGE_SIZE) pageProt.set(p, (pageProt.get(p) ?? 0) | protOf(s.flags));
    end = Math.max(end, stop);
  }
  const pages = [...pageProt.keys()].sort((a, b) => a - b);
  const runs = (same: (a: number, b: number) => boolean): [number, number][] => {
    const out: [number, number][] = [];
    for (const p of pages) {
      const last = out[out.length - 1];
      if (last && last[1] === p && same(last[0], p)) last[1] = p + PAGE_SIZE;
      else out.push([p, p + PAGE_SIZE]);
    }
    return out;
  };
  const maps = runs(() => true);
  const protects = runs((first, p) => pageProt.get(first) === pageProt.get(p)).map(([a, b]): [number, number, number] => [a, b, pageProt.get(a) ?? 0]);
  const phdrSeg = img.segments.find((s) => s.type === PT_PHDR);
  const firstLoad = loads.find((s) => s.offset === 0);
  const phdr = phdrSeg ? phdrSeg.vaddr + bias : (firstLoad ? firstLoad.vaddr + bias : 0) + img.phoff;
  const p: Plan = { img, bias, end, maps, protects, phdr, at: key };
  plans.set(bytes, p);
  return p;
}

/** Parses and maps `bytes`. Throws ElfError for an image that cannot be placed. */
export function loadImage(mem: AddressSpace, bytes: Uint8Array, name: string, at: Placement): LoadedImage {
  const { img, bias, end, maps, protects, phdr } = plan(bytes, at);
  const loads = img.segments.filter((s) => s.type === PT_LOAD);
  const extents = at.identity
    ? loads.map((s) => ({ start: s.vaddr + bias, end: s.vaddr + bias + s.filesz, src: at.identity!, delta: s.offset - (s.vaddr + bias) }))
    : [];
  // Map the pages writable, copy the file bytes, then give each run of equal protection its own.
  for (const [a, b] of maps) mem.map(a, b - a, PROT_READ | PROT_WRITE, name, extents);
  for (const [i, s] of loads.entries()) mem.load(s.vaddr + bias, img.bytes.subarray(s.offset, s.offset + s.filesz), extents[i]);
  for (const [a, b, prot] of protects) mem.protect(a, b - a, prot);
  return { img, bias, end, entry: img.entry + bias, phdr };
}
