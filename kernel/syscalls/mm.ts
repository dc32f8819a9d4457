// Memory syscalls: brk, mmap (anonymous and private file mappings), munmap, mprotect, mremap, madvise.
import * as fs from 'node:fs';
import { PAGE_SIZE, pageRound } from '../../runtime/memory/address-space.js';
import { ERRNO } from '../abi/errno.js';
import { MADV, MAP, MREMAP_FIXED, MREMAP_MAYMOVE, PROT } from '../abi/fcntl.js';
import type { Process } from '../proc/process.js';
import { int32, sint, type Handler } from './types.js';

const SPACE_END = 0x1_0000_0000;

const brk: Handler = ({ proc }, a) => {
  const L = proc.layout;
  const want = Number(a[0] > BigInt(SPACE_END) ? BigInt(SPACE_END) : a[0]);
  if (want < L.brkStart || want > L.brkLimit) return L.brk;
  const oldEnd = pageRound(L.brk);
  const newEnd = pageRound(want);
  if (newEnd > oldEnd) {
    if (!isFree(proc, oldEnd, newEnd)) return L.brk;
    proc.mem.map(oldEnd, newEnd - oldEnd, PROT.READ | PROT.WRITE, '[heap]');
  } else if (newEnd < oldEnd) proc.mem.unmap(newEnd, oldEnd - newEnd);
  L.brk = want;
  return want;
};

function isFree(p: Process, start: number, end: number): boolean {
  return !p.mem.vmas.some((v) => v.start < end && v.end > start);
}

/** Finds room for `len` bytes in the top-down mmap area. */
function place(p: Process, len: number): number {
  return p.mem.findFreeTopDown(len, p.layout.mmapTop, p.layout.brkLimit);
}

const mmap: Handler = ({ proc }, a) => {
  const hint = a[0];
  const len = Number(a[1] > BigInt(SPACE_END) ? BigInt(SPACE_END) : a[1]);
  const prot = int32(a[2]);
  const flags = int32(a[3]);
  const fd = int32(a[4]);
  const off = sint(a[5]);
  if (len === 0 || off % PAGE_SIZE !== 0 || off < 0) return -ERRNO.EINVAL;
  if (!(flags & (MAP.PRIVATE | MAP.SHARED))) return -ERRNO.EINVAL;
  const size = pageRound(len);
  let addr: number;
  if (flags & (MAP.FIXED | MAP.FIXED_NOREPLACE)) {
    if (hint % BigInt(PAGE_SIZE) !== 0n || hint + BigInt(size) > BigInt(SPACE_END) || hint < 0x10000n) {
      return hint % BigInt(PAGE_SIZE) !== 0n ? -ERRNO.EINVAL : -ERRNO.ENOMEM;
    }
    addr = Number(hint);
    if (flags & MAP.FIXED_NOREPLACE && !isFree(proc, addr, addr + size)) return -ERRNO.EEXIST;
  } else {
    const h = Number(hint & ~BigInt(PAGE_SIZE - 1));
    addr = hint !== 0n && hint + BigInt(size) <= BigInt(proc.layout.mmapTop) && h >= proc.layout.brkLimit && isFree(proc, h, h + size)
      ? h
      : place(proc, size);
    if (addr < 0) return -ERRNO.ENOMEM;
  }
  let data: Uint8Array | null = null;
  let name = '';
  if (!(flags & MAP.ANONYMOUS)) {
    const f = proc.fds.get(fd);
    if (!f) return -ERRNO.EBADF;
    if (f.kind !== 'file') return -ERRNO.ENODEV;
    data = new Uint8Array(size);
    const n = fs.readSync(f.hostFd, data, 0, size, off);
    data = data.subarray(0, n);
    name = f.guestPath;
  }
  proc.mem.map(addr, size, prot & 7, name);
  if (data) proc.mem.write(addr, data);
  return addr;
};

const munmap: Handler = ({ proc }, a) => {
  if (a[0] % BigInt(PAGE_SIZE) !== 0n || a[1] === 0n) return -ERRNO.EINVAL;
  if (a[0] + a[1] > BigInt(SPACE_END)) return -ERRNO.EINVAL;
  proc.mem.unmap(Number(a[0]), Number(a[1]));
  return 0;
};

const mprotect: Handler = ({ proc }, a) => {
  if (a[0] % BigInt(PAGE_SIZE) !== 0n) return -ERRNO.EINVAL;
  if (a[0] + a[1] > BigInt(SPACE_END)) return -ERRNO.ENOMEM;
  if (a[1] === 0n) return 0;
  return proc.mem.protect(Number(a[0]), Number(a[1]), int32(a[2]) & 7) ? 0 : -ERRNO.ENOMEM;
};

const mremap: Handler = ({ proc }, a) => {
  const old = Number(a[0]);
  const oldSize = pageRound(Number(a[1]));
  const newSize = pageRound(Number(a[2] > BigInt(SPACE_END) ? BigInt(SPACE_END) : a[2]));
  const flags = int32(a[3]);
  if (old % PAGE_SIZE || newSize === 0 || flags & MREMAP_FIXED) return -ERRNO.EINVAL;
  const vma = proc.mem.vmas.find((v) => v.start <= old && old < v.end);
  if (!vma || !proc.mem.isMapped(old, old + oldSize)) return -ERRNO.EFAULT;
  if (newSize <= oldSize) {
    if (newSize < oldSize) proc.mem.unmap(old + newSize, oldSize - newSize);
    return old;
  }
  if (isFree(proc, old + oldSize, old + newSize) && old + newSize <= proc.layout.mmapTop) {
    proc.mem.map(old + oldSize, newSize - oldSize, vma.prot, vma.name);
    return old;
  }
  if (!(flags & MREMAP_MAYMOVE)) return -ERRNO.ENOMEM;
  const to = place(proc, newSize);
  if (to < 0) return -ERRNO.ENOMEM;
  const copy = proc.mem.read(old, oldSize);
  proc.mem.map(to, newSize, vma.prot, vma.name);
  proc.mem.write(to, copy);
  proc.mem.unmap(old, oldSize);
  return to;
};

const madvise: Handler = ({ proc }, a) => {
  if (a[0] % BigInt(PAGE_SIZE) !== 0n) return -ERRNO.EINVAL;
  // Private anonymous memory reads back as zero after MADV_DONTNEED.
  if (int32(a[2]) === MADV.DONTNEED && a[0] + a[1] <= BigInt(SPACE_END)) {
    const s = Number(a[0]);
    const e = s + pageRound(Number(a[1]));
    for (const v of proc.mem.vmas) {
      if (v.end <= s || v.start >= e || v.name !== '') continue;
      proc.mem.discard(Math.max(s, v.start), Math.min(e, v.end));
    }
  }
  return 0;
};

export const mmSyscalls: Record<string, Handler> = { brk, mmap, munmap, mprotect, mremap, madvise };
