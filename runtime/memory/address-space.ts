// One guest address space: a WebAssembly.Memory whose linear offsets ARE guest virtual addresses (D3, identity
// map), the list of mapped areas (VMAs) and a permission byte per 4 KiB page. Page 0 is never mapped, so null
// pointers fault. The kernel decides the layout; this class only keeps it consistent.

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
/** The whole 32-bit guest range: V8 reserves it lazily, so an untouched page costs no host memory. */
export const SPACE_SIZE = 2 ** 32;
const WASM_PAGES = SPACE_SIZE / 65536;

export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

export interface Vma {
  start: number;
  end: number;
  prot: number;
  /** What the kernel mapped here: `[stack]`, `[heap]`, a file path, '' for anonymous memory. */
  name: string;
}

export class AddressSpace {
  readonly memory: WebAssembly.Memory;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Permission bits (PROT_*) per page; 0 = not accessible. */
  readonly perms = new Uint8Array(SPACE_SIZE / PAGE_SIZE);
  /** Sorted, non-overlapping. */
  vmas: Vma[] = [];

  constructor(memory?: WebAssembly.Memory) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: WASM_PAGES, maximum: WASM_PAGES });
    this.bytes = new Uint8Array(this.memory.buffer);
    this.view = new DataView(this.memory.buffer);
  }

  /** Maps [start, start+len) (page-aligned) with `prot`, replacing anything there; the pages read as zero. */
  map(start: number, len: number, prot: number, name: string): void {
    const end = start + pageRound(len);
    if (start % PAGE_SIZE || start < PAGE_SIZE || end > SPACE_SIZE || end <= start) {
      throw new RangeError(`map: bad range 0x${start.toString(16)}+0x${len.toString(16)}`);
    }
    this.unmap(start, end - start); // leaves the range zero (see unmap)
    this.vmas.push({ start, end, prot, name });
    this.vmas.sort((a, b) => a.start - b.start);
    this.perms.fill(prot, start / PAGE_SIZE, end / PAGE_SIZE);
  }

  /**
   * Unmaps a page-aligned range; parts of VMAs outside it survive. Invariant: bytes outside every VMA are zero
   * (a fresh memory is), so unmapping zeroes what was mapped and mapping needs to touch nothing — an 8 MiB
   * stack costs no host memory until the guest uses it.
   */
  unmap(start: number, len: number): void {
    const end = start + pageRound(len);
    const out: Vma[] = [];
    for (const v of this.vmas) {
      if (v.end <= start || v.start >= end) {
        out.push(v);
        continue;
      }
      this.bytes.fill(0, Math.max(v.start, start), Math.min(v.end, end));
      if (v.start < start) out.push({ ...v, end: start });
      if (v.end > end) out.push({ ...v, start: end });
    }
    this.vmas = out;
    this.perms.fill(0, start / PAGE_SIZE, end / PAGE_SIZE);
  }

  /** Changes permissions of mapped pages in a range; false if part of the range is unmapped (ENOMEM). */
  protect(start: number, len: number, prot: number): boolean {
    const end = start + pageRound(len);
    if (!this.isMapped(start, end)) return false;
    const out: Vma[] = [];
    for (const v of this.vmas) {
      if (v.end <= start || v.start >= end) {
        out.push(v);
        continue;
      }
      if (v.start < start) out.push({ ...v, end: start });
      out.push({ ...v, start: Math.max(v.start, start), end: Math.min(v.end, end), prot });
      if (v.end > end) out.push({ ...v, start: end });
    }
    this.vmas = out;
    this.perms.fill(prot, start / PAGE_SIZE, end / PAGE_SIZE);
    return true;
  }

  /** True when every page of [start, end) belongs to some VMA. */
  isMapped(start: number, end: number): boolean {
    let at = start;
    for (const v of this.vmas) {
      if (v.end <= at) continue;
      if (v.start > at) return false;
      at = v.end;
      if (at >= end) return true;
    }
    return at >= end;
  }

  /** Lowest free page-aligned gap of `len` bytes at or above `from` and below `below`; -1 if none. */
  findFree(len: number, from: number, below: number): number {
    const size = pageRound(len);
    let at = pageRound(from);
    for (const v of this.vmas) {
      if (v.end <= at) continue;
      if (v.start >= at + size) break;
      at = v.end;
    }
    return at + size <= below ? at : -1;
  }

  /** Highest free page-aligned gap of `len` bytes ending at or below `top` and starting at or above `floor`. */
  findFreeTopDown(len: number, top: number, floor: number): number {
    const size = pageRound(len);
    let end = top - (top % PAGE_SIZE);
    for (let i = this.vmas.length - 1; i >= 0; i--) {
      const v = this.vmas[i];
      if (v.start >= end) continue;
      if (v.end <= end - size) break;
      end = v.start;
    }
    return end - size >= floor ? end - size : -1;
  }

  /** True when every byte of [addr, addr+size) allows `prot` (a PROT_* bit). */
  allows(addr: number, size: number, prot: number): boolean {
    if (addr < 0 || addr + size > SPACE_SIZE) return false;
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + size - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) if (!(this.perms[p] & prot)) return false;
    return true;
  }

  /** A child's copy for fork: a new memory holding only the mapped ranges of this one. */
  fork(): AddressSpace {
    const child = new AddressSpace();
    for (const v of this.vmas) child.bytes.set(this.bytes.subarray(v.start, v.end), v.start);
    child.vmas = this.vmas.map((v) => ({ ...v }));
    child.perms.set(this.perms);
    return child;
  }
}

export function pageRound(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}
