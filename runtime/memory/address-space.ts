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

/**
 * Bytes that hold a file's contents as loaded and unchanged since: at guest address a, byte (a + delta) of the
 * file whose identity is `src`. They may outlive their mapping: a memory goes back to the pool with them, and the
 * next exec or fork of the same file finds its text already in place instead of copying it again.
 */
export interface Extent {
  start: number;
  end: number;
  src: string;
  delta: number;
}

/** A memory between two owners: zero except for file contents left by the last one (`residue`). */
interface Pooled {
  memory: WebAssembly.Memory;
  perms: Uint8Array;
  residue: Extent[];
  kept: object[];
}

const PAGES = SPACE_SIZE / PAGE_SIZE;

export class AddressSpace {
  readonly memory: WebAssembly.Memory;
  /** Linear views: index = guest address - GUEST_BASE. Prefer the guest-addressed methods below. */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  private readonly words: Int32Array;
  /** Permission bits (PROT_*) per page; 0 = not accessible. */
  readonly perms: Uint8Array;
  /** Sorted, non-overlapping. */
  vmas: Vma[] = [];
  /**
   * What is known of the contents (the memory's invariant): bytes outside every VMA are zero, except in `clean`
   * extents; inside VMAs, clean extents lie only in pages without PROT_WRITE (but for the loader's moment between
   * load and protect), and everything else may hold data.
   */
  private clean: Extent[];
  /**
   * The lowest address of the `[stack]` area the guest may have written: the lowest stack pointer it ever had
   * (translated code, the interpreter and the kernel's signal frames lower it; see noteStack). Below it the area
   * is still zero, so fork and release look at the few pages above it rather than at all 8 MiB.
   */
  stackLow = SPACE_SIZE;
  /**
   * What engines built over this memory (instances of translated modules: instantiating a big one costs more
   * than the rest of a fork or exec) and left for later engines: `kept` holds all of them, `spare` those no
   * engine uses now. They go to the pool with the memory, all spare again for its next owner.
   */
  readonly kept: object[];
  readonly spare: object[];

  /** A memory from the pool (one holding the text of a file in `prefer`, if any), or `memory` itself. */
  constructor(from: WebAssembly.Memory | readonly string[] = []) {
    const p =
      from instanceof WebAssembly.Memory
        ? { memory: from, perms: new Uint8Array(PAGES), residue: [], kept: [] }
        : takePooled(from) ?? { memory: new WebAssembly.Memory({ initial: WASM_PAGES, maximum: WASM_PAGES }), perms: new Uint8Array(PAGES), residue: [], kept: [] };
    this.memory = p.memory;
    this.perms = p.perms;
    this.clean = p.residue;
    this.kept = p.kept;
    this.spare = [...p.kept];
    this.bytes = new Uint8Array(this.memory.buffer);
    this.view = new DataView(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
  }

  /**
   * Maps [start, start+len) (page-aligned) with `prot`, replacing anything there; the pages read as zero, except
   * where clean bytes already there are those of an extent in `keep` (what the caller loads next, see load).
   */
  map(start: number, len: number, prot: number, name: string, keep: readonly Extent[] = []): void {
    const end = start + pageRound(len);
    if (start % PAGE_SIZE || start < GUEST_BASE || end > SPACE_SIZE || end <= start) {
      throw new RangeError(`map: bad range 0x${start.toString(16)}+0x${len.toString(16)}`);
    }
    this.unmap(start, end - start); // leaves the range zero but for clean extents
    this.cutClean(start, end, keep);
    this.vmas.push({ start, end, prot, name });
    this.vmas.sort((a, b) => a.start - b.start);
    this.perms.fill(prot, start / PAGE_SIZE, end / PAGE_SIZE);
  }

  /**
   * Writes a file's bytes at `addr` (mapped), as the loader does: `src` names the file and `delta` is (file
   * offset - addr). When the memory holds those very bytes already (left by an earlier owner and kept by map),
   * nothing is written.
   */
  load(addr: number, data: Uint8Array, src?: { src: string; delta: number }): void {
    const end = addr + data.length;
    if (src && this.clean.some((e) => e.src === src.src && e.delta === src.delta && e.start <= addr && e.end >= end)) return;
    this.write(addr, data);
    if (src && data.length) this.clean.push({ start: addr, end, src: src.src, delta: src.delta });
  }

  /**
   * Unmaps a page-aligned range; parts of VMAs outside it survive. What was written there is zeroed (the pages
   * in use: an 8 MiB stack the program used 20 KiB of costs 20 KiB), so mapping needs to touch nothing; clean
   * file contents stay until a mapping needs the room (map).
   */
  unmap(start: number, len: number): void {
    const end = start + pageRound(len);
    const out: Vma[] = [];
    for (const v of this.vmas) {
      if (v.end <= start || v.start >= end) {
        out.push(v);
        continue;
      }
      const s = Math.max(v.start, start);
      const t = Math.min(v.end, end);
      for (const [a, b] of this.dirty(v, s, t)) this.usedRuns(a, b, (x, y) => this.zero(x, y));
      this.perms.fill(0, s / PAGE_SIZE, t / PAGE_SIZE);
      if (v.start < start) out.push({ ...v, end: start });
      if (v.end > end) out.push({ ...v, start: end });
    }
    this.vmas = out;
  }

  /** Private anonymous pages read as zero again (madvise MADV_DONTNEED). */
  discard(start: number, end: number): void {
    this.usedRuns(start, end, (x, y) => this.zero(x, y));
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
    if (this.clean.length) this.cutClean(addr, addr + data.length, null);
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

  /** The guest's stack pointer was (or is about to be) `sp`: the stack may hold data from there up. */
  noteStack(sp: number): void {
    if (sp < this.stackLow) this.stackLow = sp;
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
    // Writable pages may change: what they hold is no longer known.
    if (prot & PROT_WRITE) this.cutClean(start, end, null);
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

  /**
   * Forgets the clean extents overlapping [start, end) there; with `keep` (map), their bytes there are zeroed
   * too, except where an extent of `keep` with the same file and offset covers them. Parts outside stay.
   */
  private cutClean(start: number, end: number, keep: readonly Extent[] | null): void {
    if (!this.clean.some((e) => e.end > start && e.start < end)) return;
    const out: Extent[] = [];
    for (const e of this.clean) {
      if (e.end <= start || e.start >= end) {
        out.push(e);
        continue;
      }
      if (e.start < start) out.push({ ...e, end: start });
      if (e.end > end) out.push({ ...e, start: end });
      if (!keep) continue;
      const s = Math.max(e.start, start);
      const t = Math.min(e.end, end);
      const k = keep.find((k) => k.src === e.src && k.delta === e.delta && k.start < t && k.end > s);
      const ks = k ? Math.max(s, k.start) : t;
      const kt = k ? Math.min(t, k.end) : t;
      if (k) out.push({ ...e, start: ks, end: kt });
      if (ks > s) this.zero(s, ks);
      if (t > kt) this.zero(kt, t);
    }
    this.clean = out;
  }

  /**
   * The parts of [s, t) (inside VMA v) that may hold data: all but the clean extents, and of the stack only what
   * lies above `floor` (the stack pointer at a fork) and stackLow.
   */
  private dirty(v: Vma, s: number, t: number, floor = 0): [number, number][] {
    if (v.name === '[stack]') s = Math.max(s, Math.min(t, pageDown(Math.max(this.stackLow, floor))));
    let parts: [number, number][] = s < t ? [[s, t]] : [];
    for (const e of this.clean) {
      if (e.end <= s || e.start >= t) continue;
      const next: [number, number][] = [];
      for (const [a, b] of parts) {
        if (e.end <= a || e.start >= b) next.push([a, b]);
        else {
          if (a < e.start) next.push([a, e.start]);
          if (e.end < b) next.push([e.end, b]);
        }
      }
      parts = next;
    }
    return parts;
  }

  /** Calls `run(start, end)` for each run of pages of [s, t) that are not all zero (cut to [s, t)). */
  private usedRuns(s: number, t: number, run: (start: number, end: number) => void): void {
    const words = this.words;
    let from = -1;
    for (let a = pageDown(s); a < t; a += PAGE_SIZE) {
      let used = false;
      // `>>>`: linear offsets above 2 GiB do not fit an int32.
      for (let i = (a - GUEST_BASE) >>> 2, e = i + PAGE_SIZE / 4; i < e; i++) {
        if (words[i] !== 0) {
          used = true;
          break;
        }
      }
      if (used && from < 0) from = a;
      else if (!used && from >= 0) {
        run(Math.max(from, s), a);
        from = -1;
      }
    }
    if (from >= 0) run(Math.max(from, s), t);
  }

  /**
   * A child's copy for fork. Clean file contents come from the pool when a memory there holds them already (a
   * shell forking finds its own text in place); the rest is copied page by page, only pages in use: an 8 MiB
   * stack the program used 20 KiB of costs the child 20 KiB. `sp` is the forking thread's stack pointer: the
   * stack below it is dead, the child need not have it.
   */
  fork(sp?: number): AddressSpace {
    const child = new AddressSpace([...new Set(this.clean.map((e) => e.src))]);
    const dst = child.bytes;
    const src = this.bytes;
    const inVma = this.clean.filter((e) => this.vmas.some((v) => v.start < e.end && v.end > e.start));
    for (const v of this.vmas) {
      child.cutClean(v.start, v.end, inVma);
      child.perms.set(this.perms.subarray(v.start / PAGE_SIZE, v.end / PAGE_SIZE), v.start / PAGE_SIZE);
    }
    child.vmas = this.vmas.map((v) => ({ ...v }));
    for (const e of inVma) child.load(e.start, src.subarray(e.start - GUEST_BASE, e.end - GUEST_BASE), e);
    const floor = sp === undefined ? 0 : sp;
    for (const v of this.vmas) {
      for (const [a, b] of this.dirty(v, v.start, v.end, v.name === '[stack]' && floor >= v.start && floor <= v.end ? floor : 0)) {
        this.usedRuns(a, b, (x, y) => dst.set(src.subarray(x - GUEST_BASE, y - GUEST_BASE), x - GUEST_BASE));
      }
    }
    child.stackLow = Math.max(this.stackLow, sp !== undefined && this.inStack(sp) ? pageDown(sp) : 0);
    return child;
  }

  private inStack(addr: number): boolean {
    return this.vmas.some((v) => v.name === '[stack]' && addr >= v.start && addr <= v.end);
  }

  /**
   * The address space is gone (its process exec'd or exited): its memory goes back to a pool for the next one,
   * zero but for the clean file contents. A new 4 GiB WebAssembly.Memory makes V8 run a full garbage collection
   * (external memory pressure), which costs a fork or exec in a big heap a hundred milliseconds. Nothing may use
   * this object afterwards.
   */
  release(): void {
    if (POOL.length >= POOL_SIZE) return;
    this.unmap(GUEST_BASE, SPACE_SIZE - GUEST_BASE);
    POOL.push({ memory: this.memory, perms: this.perms, residue: this.clean, kept: this.kept });
  }
}

/** Memories ready for reuse. */
const POOL: Pooled[] = [];
const POOL_SIZE = 8;

/** The pooled memory holding most bytes of the files in `prefer`; else the last one pooled. */
function takePooled(prefer: readonly string[]): Pooled | undefined {
  let best = POOL.length - 1;
  let most = 0;
  if (prefer.length) {
    POOL.forEach((p, i) => {
      const n = p.residue.reduce((sum, e) => sum + (prefer.includes(e.src) ? e.end - e.start : 0), 0);
      if (n > most) {
        most = n;
        best = i;
      }
    });
  }
  return best < 0 ? undefined : POOL.splice(best, 1)[0];
}

function pageDown(n: number): number {
  return n - (n % PAGE_SIZE);
}

export function pageRound(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}
