// One guest address space: a WebAssembly.Memory holding guest virtual addresses at a constant offset (D3:
// linear = guest - GUEST_BASE), the list of mapped areas (VMAs) and a permission byte per 4 KiB page.
// Nothing is mapped below GUEST_BASE (Linux's mmap_min_addr), and the memory is exactly 4 GiB - GUEST_BASE long,
// so in translated code an access to a small address (a null pointer) wraps to a linear offset past the end and
// traps, with no check of its own. The kernel decides the layout; this class only keeps it consistent.

import { GUEST_BASE } from '../../translator/emit/abi.js';

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
/** The whole 32-bit guest range: V8 reserves it lazily, so an untouched page costs no host memory. */
export const SPACE_SIZE = 2 ** 32;
/** The lowest mappable guest address, at linear offset 0 (translated code computes with it too). */
export { GUEST_BASE };
const WASM_PAGES = (SPACE_SIZE - GUEST_BASE) / 65536;

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
  /** Linear views: index = guest address - GUEST_BASE. Prefer the guest-addressed methods below. */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Permission bits (PROT_*) per page; 0 = not accessible. */
  readonly perms = new Uint8Array(SPACE_SIZE / PAGE_SIZE);
  /** Sorted, non-overlapping. */
  vmas: Vma[] = [];

  constructor(memory?: WebAssembly.Memory) {
    this.memory = memory ?? POOL.pop() ?? new WebAssembly.Memory({ initial: WASM_PAGES, maximum: WASM_PAGES });
    this.bytes = new Uint8Array(this.memory.buffer);
    this.view = new DataView(this.memory.buffer);
  }

  /** Maps [start, start+len) (page-aligned) with `prot`, replacing anything there; the pages read as zero. */
  map(start: number, len: number, prot: number, name: string): void {
    const end = start + pageRound(len);
    if (start % PAGE_SIZE || start < GUEST_BASE || end > SPACE_SIZE || end <= start) {
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
      this.zero(Math.max(v.start, start), Math.min(v.end, end));
      if (v.start < start) out.push({ ...v, end: start });
      if (v.end > end) out.push({ ...v, start: end });
    }
    this.vmas = out;
    this.perms.fill(0, start / PAGE_SIZE, end / PAGE_SIZE);
  }

  // ---- guest-addressed access (no permission checks: callers check with `allows`) ----
  /** A copy of [addr, addr+len). */
  read(addr: number, len: number): Uint8Array {
    return this.bytes.slice(addr - GUEST_BASE, addr - GUEST_BASE + len);
  }
  /** A live view of [addr, addr+len). */
  sub(addr: number, len: number): Uint8Array {
    return this.bytes.subarray(addr - GUEST_BASE, addr - GUEST_BASE + len);
  }
  write(addr: number, data: Uint8Array): void {
    this.bytes.set(data, addr - GUEST_BASE);
  }
  zero(start: number, end: number): void {
    this.bytes.fill(0, start - GUEST_BASE, end - GUEST_BASE);
  }
  u32(addr: number): number {
    return this.view.getUint32(addr - GUEST_BASE, true);
  }
  setU64(addr: number, v: bigint): void {
    this.view.setBigUint64(addr - GUEST_BASE, v, true);
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
    if (addr < GUEST_BASE || addr + size > SPACE_SIZE) return false;
    const first = Math.floor(addr / PAGE_SIZE);
    const last = Math.floor((addr + size - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) if (!(this.perms[p] & prot)) return false;
    return true;
  }

  /** Calls `run(start, end)` for each run of pages in mapped areas that are not all zero. */
  private usedRuns(run: (start: number, end: number) => void, skip?: { start: number; end: number }): void {
    const words = new Int32Array(this.memory.buffer);
    for (const v of this.vmas) {
      let from = -1;
      for (let a = v.start; a <= v.end; a += PAGE_SIZE) {
        let used = false;
        if (a < v.end && !(skip && a >= skip.start && a < skip.end)) {
          const w = (a - GUEST_BASE) >> 2;
          for (let i = w, e = w + PAGE_SIZE / 4; i < e; i++) {
            if (words[i] !== 0) {
              used = true;
              break;
            }
          }
        }
        if (used && from < 0) from = a;
        else if (!used && from >= 0) {
          run(from, a);
          from = -1;
        }
      }
    }
  }

  /**
   * A child's copy for fork: a memory holding only the mapped ranges of this one, and of those only the pages that
   * are not all zero (the child's memory reads zero elsewhere already): an 8 MiB stack the program used 20 KiB of
   * costs the child 20 KiB. `dead` is a range whose contents do not matter (the stack below the forking thread's
   * stack pointer).
   */
  fork(dead?: { start: number; end: number }): AddressSpace {
    const child = new AddressSpace();
    const dst = child.bytes;
    const src = this.bytes;
    this.usedRuns((start, end) => dst.set(src.subarray(start - GUEST_BASE, end - GUEST_BASE), start - GUEST_BASE), dead);
    child.vmas = this.vmas.map((v) => ({ ...v }));
    child.perms.set(this.perms);
    return child;
  }

  /**
   * The address space is gone (its process exec'd or exited): its memory, zeroed, goes back to a pool for the
   * next one. A new 4 GiB WebAssembly.Memory makes V8 run a full garbage collection (external memory pressure),
   * which costs a fork or exec in a big heap a hundred milliseconds. Nothing may use this object afterwards.
   */
  release(): void {
    if (POOL.length >= POOL_SIZE) return;
    this.usedRuns((start, end) => this.zero(start, end));
    this.vmas = [];
    POOL.push(this.memory);
  }
}

/** Zeroed memories ready for reuse. */
const POOL: WebAssembly.Memory[] = [];
const POOL_SIZE = 8;

export function pageRound(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}
