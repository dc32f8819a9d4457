// File syscalls: open/close/read/write and friends, stat family, directories, links, descriptors, ioctl.
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { ERRNO, errnoFromHost } from '../abi/errno.js';
import {
  AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW, DT, F, FD_CLOEXEC, FIONREAD, O, S_IFIFO, SEEK_CUR, SEEK_END, SEEK_SET, TCGETS,
  TCSETS, TIOCGPGRP, TIOCGWINSZ,
} from '../abi/fcntl.js';
import { defaultTermios, encodeStat, encodeStatx, encodeWinsize } from '../abi/structs.js';
import { ERESTARTSYS } from '../abi/errno.js';
import { DEVICES, devTarget, deviceStats, lexicalPath, type DevTarget } from '../fs/dev.js';
import { OpenFile } from '../fs/file.js';
import { F_RDLCK, F_UNLCK, F_WRLCK, LOCK_EOF } from '../fs/locks.js';
import { PIPE_BUF, Pipe } from '../fs/pipe.js';
import { pipeIno, procDirents, procFileStats, procLookup, procOpen, procRead, procStats } from '../fs/procfs.js';
import { block } from '../proc/wait.js';
import type { Resolved } from '../fs/path.js';
import type { Process } from '../proc/process.js';
import { int32, sint, type Handler, type SyscallContext, type SysResult } from './types.js';

const MAX_IO = 0x7fff_f000; // Linux caps one read/write at this

/** Directory a *at syscall's relative path starts from: cwd, or the path of an open directory. */
function baseDir(p: Process, dirfd: number): string | number {
  if (dirfd === AT_FDCWD) return p.cwd;
  const f = p.fds.get(dirfd);
  if (!f) return -ERRNO.EBADF;
  if (f.kind !== 'dir') return -ERRNO.ENOTDIR;
  return f.guestPath;
}

export function resolveAt(p: Process, dirfd: number, path: string, follow: boolean): Resolved | number {
  const base = path.startsWith('/') ? '/' : baseDir(p, dirfd);
  if (typeof base === 'number') return base;
  return p.root.resolve(path, base, follow);
}

function hostFlags(flags: number): number {
  const c = fs.constants;
  let h = flags & O.ACCMODE;
  if (flags & O.CREAT) h |= c.O_CREAT;
  if (flags & O.EXCL) h |= c.O_EXCL;
  if (flags & O.TRUNC) h |= c.O_TRUNC;
  if (flags & O.APPEND) h |= c.O_APPEND;
  if (flags & O.DIRECTORY) h |= c.O_DIRECTORY;
  if (flags & O.NOFOLLOW) h |= c.O_NOFOLLOW;
  if (flags & O.NOCTTY) h |= c.O_NOCTTY;
  return h;
}

/** open of a /dev name: a device, a new reference to a descriptor (stdin, fd/N), the terminal. */
function openDev(proc: Process, t: NonNullable<DevTarget>, guest: string, flags: number): number {
  const cloexec = (flags & O.CLOEXEC) !== 0;
  if ('device' in t) {
    const f = new OpenFile('dev', -1, guest, '', flags);
    f.device = t.device;
    return alloc(proc, f, cloexec);
  }
  if ('fd' in t) {
    const f = proc.fds.get(t.fd);
    if (!f) return -ERRNO.ENOENT;
    const fd = proc.fds.alloc(f, cloexec);
    return fd < 0 ? -ERRNO.EMFILE : fd;
  }
  if ('tty' in t) {
    if (!tty.isatty(0)) return -ERRNO.ENXIO;
    return alloc(proc, new OpenFile('stdio', 0, guest, '', flags), cloexec);
  }
  return -ERRNO.EISDIR;
}

/** The /dev name a path argument refers to, if any. */
function devOf(proc: Process, dirfd: number, path: string): { t: NonNullable<DevTarget>; guest: string } | null {
  const base = path.startsWith('/') ? '/' : baseDir(proc, dirfd);
  if (typeof base === 'number') return null;
  const guest = lexicalPath(path, base);
  const t = devTarget(guest);
  return t && !('dir' in t) ? { t, guest } : null;
}

/** What a path argument names under /proc (procfs.ts); null when it is not under /proc. */
function procOf({ proc, k }: SyscallContext, dirfd: number, path: string, follow: boolean) {
  const base = path.startsWith('/') ? '/' : baseDir(proc, dirfd);
  return typeof base === 'number' ? null : procLookup(k, proc, lexicalPath(path, base), follow);
}

const openat: Handler = (c, a) => {
  const { proc } = c;
  let path = proc.readString(a[1]);
  if (path === null) return -ERRNO.EFAULT;
  const flags = int32(a[2]);
  const dev = devOf(proc, int32(a[0]), path);
  if (dev) return openDev(proc, dev.t, dev.guest, flags);
  const pn = procOf(c, int32(a[0]), path, !(flags & O.NOFOLLOW));
  if (typeof pn === 'number') return pn === -ERRNO.ENOENT && flags & O.CREAT ? -ERRNO.EACCES : pn;
  if (pn && 'redirect' in pn) path = pn.redirect;
  else if (pn) {
    const f = procOpen(pn, flags);
    if (typeof f === 'number') return f;
    if (f.refs > 0) return proc.fds.alloc(f, (flags & O.CLOEXEC) !== 0); // a description an fd link reaches
    return alloc(proc, f, (flags & O.CLOEXEC) !== 0);
  }
  const r = resolveAt(proc, int32(a[0]), path, !(flags & O.NOFOLLOW));
  if (typeof r === 'number') return r;
  let st: fs.Stats | null = null;
  try {
    st = fs.statSync(r.host);
  } catch {
    st = null;
  }
  const cloexec = (flags & O.CLOEXEC) !== 0;
  if (st?.isDirectory()) {
    if ((flags & O.ACCMODE) !== O.RDONLY) return -ERRNO.EISDIR;
    const f = new OpenFile('dir', -1, r.guest, r.host, flags);
    return alloc(proc, f, cloexec);
  }
  if (flags & O.DIRECTORY && st) return -ERRNO.ENOTDIR;
  try {
    const fd = fs.openSync(r.host, hostFlags(flags), int32(a[3]) & ~proc.umask & 0o7777);
    return alloc(proc, new OpenFile('file', fd, r.guest, r.host, flags), cloexec);
  } catch (err) {
    return -errnoFromHost(err);
  }
};

function alloc(proc: Process, f: OpenFile, cloexec: boolean): number {
  const fd = proc.fds.alloc(f, cloexec);
  if (fd < 0) {
    f.close();
    return -ERRNO.EMFILE;
  }
  return fd;
}

const close: Handler = ({ proc, k }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  // Closing any descriptor of a file drops the process's record locks on it (POSIX).
  k.locks.release(proc.pid, lockKey(f));
  proc.fds.close(int32(a[0]));
  return 0;
};

/**
 * Reads up to `len` bytes from a description into guest memory at `addr`; returns the count or -errno. Pipes and
 * the host's stdin may wait (the task parks; a signal interrupts).
 */
function readInto(c: SyscallContext, f: OpenFile, addr: bigint, len: number, pos: number | null): SysResult | Promise<SysResult> {
  if (f.kind === 'dir') return -ERRNO.EISDIR;
  if ((f.flags & O.ACCMODE) === O.WRONLY) return -ERRNO.EBADF;
  const n = Math.min(len, MAX_IO, 1 << 20);
  const nonblock = (f.flags & O.NONBLOCK) !== 0;
  const deliver = (b: Uint8Array): number => (c.proc.write(addr, b) ? b.length : -ERRNO.EFAULT);
  if (f.kind === 'dev') return deliver(DEVICES[f.device].read(n));
  const pr = procRead(f, n, pos);
  if (pr) return deliver(pr);
  if (f.pipe) {
    const p = f.pipe;
    if (pos !== null) return -ERRNO.ESPIPE;
    return block(
      c.task,
      () => {
        if (n === 0) return 0;
        if (p.size > 0) return deliver(p.take(n));
        if (p.writers === 0) return 0;
        return nonblock ? -ERRNO.EAGAIN : null;
      },
      [p.readable],
    );
  }
  if (f.kind === 'stdio') {
    if (f.hostFd !== 0) return -ERRNO.EBADF;
    const input = c.k.stdin;
    return block(
      c.task,
      () => {
        if (n === 0) return 0;
        const r = input.take(n);
        if (r === null) return nonblock ? -ERRNO.EAGAIN : null;
        if (typeof r === 'string') return -errnoFromHost({ code: r });
        return deliver(r);
      },
      [input.ready],
    );
  }
  const buf = new Uint8Array(n);
  try {
    const got = fs.readSync(f.hostFd, buf, 0, buf.length, pos ?? f.offset);
    if (pos === null) f.offset += got;
    return deliver(buf.subarray(0, got));
  } catch (err) {
    return -errnoFromHost(err);
  }
}

/** Writes `data` to a description; a pipe may wait for room (writes up to PIPE_BUF bytes are atomic). */
function writeFile(c: SyscallContext, f: OpenFile, data: Uint8Array, pos: number | null): SysResult | Promise<SysResult> {
  if (f.kind === 'dir') return -ERRNO.EISDIR;
  if ((f.flags & O.ACCMODE) === O.RDONLY && f.kind !== 'stdio') return -ERRNO.EBADF;
  if (f.kind === 'dev') return DEVICES[f.device].write(data);
  if (f.pipe) {
    const p = f.pipe;
    if (pos !== null) return -ERRNO.ESPIPE;
    const nonblock = (f.flags & O.NONBLOCK) !== 0;
    let done = 0;
    return block(
      c.task,
      () => {
        if (p.readers === 0) return done > 0 ? done : -ERRNO.EPIPE;
        if (data.length === 0) return 0;
        if (data.length <= PIPE_BUF) {
          if (p.room >= data.length) return p.put(data);
        } else {
          done += p.put(data.subarray(done));
          if (done === data.length) return done;
        }
        if (nonblock) return done > 0 ? done : -ERRNO.EAGAIN;
        return null;
      },
      [p.writable],
      { interrupted: () => (done > 0 ? done : ERESTARTSYS) },
    );
  }
  try {
    if (f.kind === 'stdio') {
      let done = 0;
      while (done < data.length) {
        try {
          done += fs.writeSync(f.hostFd, data, done, data.length - done);
        } catch (err) {
          // A host pipe in non-blocking mode: wait for the reader rather than lose output.
          if ((err as { code?: string }).code !== 'EAGAIN') throw err;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        }
      }
      return done;
    }
    const append = (f.flags & O.APPEND) !== 0 && pos === null;
    const at = append ? fs.fstatSync(f.hostFd).size : (pos ?? f.offset);
    const n = fs.writeSync(f.hostFd, data, 0, data.length, at);
    if (pos === null) f.offset = at + n;
    return n;
  } catch (err) {
    const e = errnoFromHost(err);
    return -e;
  }
}

function doRead(c: SyscallContext, fd: number, addr: bigint, len: number, pos: number | null) {
  const f = c.proc.fds.get(fd);
  if (!f) return -ERRNO.EBADF;
  if (len < 0) return -ERRNO.EINVAL;
  return readInto(c, f, addr, len, pos);
}

function doWrite(c: SyscallContext, fd: number, addr: bigint, len: number, pos: number | null) {
  const f = c.proc.fds.get(fd);
  if (!f) return -ERRNO.EBADF;
  const data = c.proc.read(addr, Math.min(len, MAX_IO));
  if (!data) return -ERRNO.EFAULT;
  return writeFile(c, f, data, pos);
}

const read: Handler = (c, a) => doRead(c, int32(a[0]), a[1], sint(a[2]), null);
const write: Handler = (c, a) => doWrite(c, int32(a[0]), a[1], sint(a[2]), null);
const pread64: Handler = (c, a) => (sint(a[3]) < 0 ? -ERRNO.EINVAL : doRead(c, int32(a[0]), a[1], sint(a[2]), sint(a[3])));
const pwrite64: Handler = (c, a) => (sint(a[3]) < 0 ? -ERRNO.EINVAL : doWrite(c, int32(a[0]), a[1], sint(a[2]), sint(a[3])));

function iovecs(p: Process, addr: bigint, count: number): [bigint, number][] | number {
  if (count < 0 || count > 1024) return -ERRNO.EINVAL;
  const raw = p.read(addr, count * 16);
  if (!raw) return -ERRNO.EFAULT;
  const dv = new DataView(raw.buffer);
  const out: [bigint, number][] = [];
  for (let i = 0; i < count; i++) out.push([dv.getBigUint64(i * 16, true), Number(dv.getBigUint64(i * 16 + 8, true))]);
  return out;
}

const readv: Handler = async (c, a) => {
  const v = iovecs(c.proc, a[1], int32(a[2]));
  if (typeof v === 'number') return v;
  let total = 0;
  for (const [base, len] of v) {
    if (len === 0) continue;
    const n = Number(await doRead(c, int32(a[0]), base, len, null));
    if (n < 0) return total > 0 ? total : n;
    total += n;
    if (n < len) break;
  }
  return total;
};

const writev: Handler = (c, a) => {
  const v = iovecs(c.proc, a[1], int32(a[2]));
  if (typeof v === 'number') return v;
  // Gather first so one host write carries the whole vector (stdio lines stay whole).
  const parts: Uint8Array[] = [];
  for (const [base, len] of v) {
    const d = c.proc.read(base, len);
    if (!d) return -ERRNO.EFAULT;
    parts.push(d);
  }
  const f = c.proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return writeFile(c, f, all, null);
};

const lseek: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  if (f.kind === 'stdio' || f.pipe) return -ERRNO.ESPIPE;
  if (f.kind === 'dev') return 0;
  const off = sint(a[1]);
  const whence = int32(a[2]);
  let at: number;
  if (whence === SEEK_SET) at = off;
  else if (whence === SEEK_CUR) at = f.offset + off;
  else if (whence === SEEK_END) at = (f.kind === 'dir' ? 0 : statOf(f).size) + off;
  else return -ERRNO.EINVAL;
  if (at < 0) return -ERRNO.EINVAL;
  f.offset = at;
  if (f.kind === 'dir' && at === 0) {
    f.dirents = null;
    f.direntPos = 0;
  }
  return at;
};

function statOf(f: OpenFile): fs.Stats {
  const ps = procFileStats(f);
  if (ps) return ps;
  if (f.kind === 'dir') return fs.statSync(f.hostPath);
  if (f.kind === 'dev') return deviceStats(f.device);
  return fs.fstatSync(f.hostFd);
}

/** What fstat says of a pipe: a FIFO owned by root, mode 0600, its buffered bytes as size. */
function pipeStat(f: OpenFile): Uint8Array {
  const b = new Uint8Array(128);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, 0xcn, true); // st_dev: pipefs
  v.setBigUint64(8, BigInt(pipeIno(f)), true);
  v.setUint32(16, S_IFIFO | 0o600, true);
  v.setUint32(20, 1, true); // st_nlink
  v.setUint32(56, PIPE_BUF, true); // st_blksize
  return b;
}

const fstat: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  if (f.pipe) return proc.write(a[1], pipeStat(f)) ? 0 : -ERRNO.EFAULT;
  try {
    return proc.write(a[1], encodeStat(statOf(f))) ? 0 : -ERRNO.EFAULT;
  } catch (err) {
    return -errnoFromHost(err);
  }
};

/** stat of (dirfd, path, flags) for newfstatat and statx. */
function statAt(c: SyscallContext, dirfd: number, pathAddr: bigint, flags: number): fs.Stats | Uint8Array | number {
  const p = c.proc;
  let path = p.readString(pathAddr);
  if (path === null) return -ERRNO.EFAULT;
  if (path === '' && flags & AT_EMPTY_PATH) {
    if (dirfd === AT_FDCWD) return fs.statSync(p.root.hostOf(p.cwd));
    const f = p.fds.get(dirfd);
    if (!f) return -ERRNO.EBADF;
    if (f.pipe) return pipeStat(f);
    return statOf(f);
  }
  const dev = devOf(p, dirfd, path);
  if (dev) {
    if ('device' in dev.t) return deviceStats(dev.t.device);
    if ('fd' in dev.t) {
      const f = p.fds.get(dev.t.fd);
      if (!f) return -ERRNO.ENOENT;
      return f.pipe ? pipeStat(f) : statOf(f);
    }
  }
  const pn = procOf(c, dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW));
  if (typeof pn === 'number') return pn;
  if (pn && 'redirect' in pn) path = pn.redirect;
  else if (pn?.type === 'link' && pn.file && !(flags & AT_SYMLINK_NOFOLLOW)) return pn.file.pipe ? pipeStat(pn.file) : statOf(pn.file);
  else if (pn) return procStats(pn);
  const r = resolveAt(p, dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW));
  if (typeof r === 'number') return r;
  try {
    return fs.lstatSync(r.host);
  } catch (err) {
    return -errnoFromHost(err);
  }
}

const newfstatat: Handler = (c, a) => {
  const { proc } = c;
  const st = statAt(c, int32(a[0]), a[1], int32(a[3]));
  if (typeof st === 'number') return st;
  return proc.write(a[2], st instanceof Uint8Array ? st : encodeStat(st)) ? 0 : -ERRNO.EFAULT;
};

const statx: Handler = (c, a) => {
  const { proc } = c;
  const st = statAt(c, int32(a[0]), a[1], int32(a[2]));
  if (typeof st === 'number') return st;
  if (st instanceof Uint8Array) return -ERRNO.ENOSYS; // statx of a pipe: callers fall back to fstat
  return proc.write(a[4], encodeStatx(st)) ? 0 : -ERRNO.EFAULT;
};

function dtype(d: fs.Dirent): number {
  if (d.isDirectory()) return DT.DIR;
  if (d.isFile()) return DT.REG;
  if (d.isSymbolicLink()) return DT.LNK;
  if (d.isFIFO()) return DT.FIFO;
  if (d.isCharacterDevice()) return DT.CHR;
  if (d.isBlockDevice()) return DT.BLK;
  if (d.isSocket()) return DT.SOCK;
  return DT.UNKNOWN;
}

const getdents64: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  if (f.kind !== 'dir') return -ERRNO.ENOTDIR;
  if (!f.dirents) f.dirents = procDirents(f);
  if (!f.dirents) {
    try {
      // opendir keeps the host's own order (readdir sorts); programs like find show it, as on Linux.
      const dir = fs.opendirSync(f.hostPath);
      const list: fs.Dirent[] = [];
      try {
        for (let d = dir.readSync(); d !== null; d = dir.readSync()) list.push(d);
      } finally {
        dir.closeSync();
      }
      f.dirents = list;
    } catch (err) {
      return -errnoFromHost(err);
    }
  }
  const enc = new TextEncoder();
  const size = Math.min(int32(a[2]), 1 << 20);
  const out = new Uint8Array(Math.max(0, size));
  const dv = new DataView(out.buffer);
  let o = 0;
  // '.' and '..' come first, as from a real directory.
  const all = [{ name: '.', type: DT.DIR }, { name: '..', type: DT.DIR }, ...f.dirents.map((d) => ({ name: d.name, type: dtype(d) }))];
  while (f.direntPos < all.length) {
    const e = all[f.direntPos];
    const name = enc.encode(e.name);
    const reclen = (19 + name.length + 1 + 7) & ~7;
    if (o + reclen > out.length) {
      if (o === 0) return -ERRNO.EINVAL;
      break;
    }
    dv.setBigUint64(o, BigInt(f.direntPos + 1000), true); // d_ino: nonzero (0 means deleted)
    dv.setBigInt64(o + 8, BigInt(f.direntPos + 1), true);
    dv.setUint16(o + 16, reclen, true);
    out[o + 18] = e.type;
    out.set(name, o + 19);
    o += reclen;
    f.direntPos++;
  }
  return proc.write(a[1], out.subarray(0, o)) ? o : -ERRNO.EFAULT;
};

const readlinkat: Handler = (c, a) => {
  const { proc } = c;
  let path = proc.readString(a[1]);
  if (path === null) return -ERRNO.EFAULT;
  const pn = procOf(c, int32(a[0]), path, false);
  if (typeof pn === 'number') return pn;
  if (pn && 'redirect' in pn) path = pn.redirect;
  else if (pn) {
    if (pn.type !== 'link') return -ERRNO.EINVAL;
    const b = new TextEncoder().encode(pn.target).subarray(0, int32(a[3]));
    return proc.write(a[2], b) ? b.length : -ERRNO.EFAULT;
  }
  const r = resolveAt(proc, int32(a[0]), path, false);
  if (typeof r === 'number') return r;
  try {
    const target = new TextEncoder().encode(fs.readlinkSync(r.host)).subarray(0, int32(a[3]));
    return proc.write(a[2], target) ? target.length : -ERRNO.EFAULT;
  } catch (err) {
    return -errnoFromHost(err);
  }
};

const faccessat: Handler = (c, a) => {
  const { proc } = c;
  let path = proc.readString(a[1]);
  if (path === null) return -ERRNO.EFAULT;
  if (devOf(proc, int32(a[0]), path)) return int32(a[2]) & 1 ? -ERRNO.EACCES : 0;
  const pn = procOf(c, int32(a[0]), path, true);
  if (typeof pn === 'number') return pn;
  if (pn && 'redirect' in pn) path = pn.redirect;
  else if (pn) return int32(a[2]) & 2 || (int32(a[2]) & 1 && pn.type !== 'dir') ? -ERRNO.EACCES : 0;
  const r = resolveAt(proc, int32(a[0]), path, true);
  if (typeof r === 'number') return r;
  try {
    fs.accessSync(r.host, int32(a[2]) & 7);
    return 0;
  } catch (err) {
    return -errnoFromHost(err);
  }
};

const getcwd: Handler = ({ proc }, a) => {
  const b = new TextEncoder().encode(proc.cwd + '\0');
  if (b.length > Number(a[1])) return -ERRNO.ERANGE;
  return proc.write(a[0], b) ? b.length : -ERRNO.EFAULT;
};

const chdir: Handler = (c, a) => {
  const { proc } = c;
  let path = proc.readString(a[0]);
  if (path === null) return -ERRNO.EFAULT;
  const pn = procOf(c, AT_FDCWD, path, true);
  if (typeof pn === 'number') return pn;
  if (pn && 'redirect' in pn) path = pn.redirect;
  else if (pn) {
    if (pn.type !== 'dir') return -ERRNO.ENOTDIR;
    proc.cwd = pn.path;
    return 0;
  }
  const r = resolveAt(proc, AT_FDCWD, path, true);
  if (typeof r === 'number') return r;
  try {
    if (!fs.statSync(r.host).isDirectory()) return -ERRNO.ENOTDIR;
  } catch (err) {
    return -errnoFromHost(err);
  }
  proc.cwd = r.guest;
  return 0;
};

const fchdir: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  if (f.kind !== 'dir') return -ERRNO.ENOTDIR;
  proc.cwd = f.guestPath;
  return 0;
};

const dup: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  const fd = proc.fds.alloc(f, false);
  return fd < 0 ? -ERRNO.EMFILE : fd;
};

const dup3: Handler = ({ proc }, a) => {
  const from = int32(a[0]);
  const to = int32(a[1]);
  const flags = int32(a[2]);
  const f = proc.fds.get(from);
  if (!f) return -ERRNO.EBADF;
  if (from === to || flags & ~O.CLOEXEC) return -ERRNO.EINVAL;
  if (to < 0 || to >= 1024) return -ERRNO.EBADF;
  proc.fds.install(to, f, (flags & O.CLOEXEC) !== 0);
  return to;
};

const fcntl: Handler = (c, a) => {
  const { proc } = c;
  const fd = int32(a[0]);
  const f = proc.fds.get(fd);
  if (!f) return -ERRNO.EBADF;
  switch (int32(a[1])) {
    case F.DUPFD:
    case F.DUPFD_CLOEXEC: {
      const n = proc.fds.alloc(f, int32(a[1]) === F.DUPFD_CLOEXEC, int32(a[2]));
      return n < 0 ? -ERRNO.EMFILE : n;
    }
    case F.GETFD:
      return proc.fds.cloexec(fd) ? FD_CLOEXEC : 0;
    case F.SETFD:
      proc.fds.setCloexec(fd, (int32(a[2]) & FD_CLOEXEC) !== 0);
      return 0;
    case F.GETFL:
      return f.flags & ~O.CLOEXEC;
    case F.SETFL: {
      const settable = O.APPEND | O.NONBLOCK | O.DIRECT | O.NOATIME;
      f.flags = (f.flags & ~settable) | (int32(a[2]) & settable);
      return 0;
    }
    case F.GETLK:
    case F.SETLK:
    case F.SETLKW:
      return recordLock(c, f, int32(a[1]), a[2]);
    default:
      return -ERRNO.EINVAL;
  }
};

/** What record locks are kept by: the file (host device and inode), the pipe, the device. */
function lockKey(f: OpenFile): unknown {
  if (f.pipe) return f.pipe;
  if (f.kind === 'dev' || f.hostFd < 0) return `${f.kind}:${f.device || f.guestPath}`;
  const st = fs.fstatSync(f.hostFd, { bigint: true });
  return `${st.dev}:${st.ino}`;
}

/** fcntl F_GETLK/F_SETLK/F_SETLKW on a struct flock (type, whence: s16; start, len: s64 at 8, 16; pid: s32 at 24). */
function recordLock(c: SyscallContext, f: OpenFile, cmd: number, addr: bigint): SysResult | Promise<SysResult> {
  const raw = c.proc.read(addr, 32);
  if (!raw) return -ERRNO.EFAULT;
  const v = new DataView(raw.buffer, raw.byteOffset, 32);
  const type = v.getInt16(0, true);
  const whence = v.getInt16(2, true);
  const len = v.getBigInt64(16, true);
  let base: bigint;
  if (whence === SEEK_SET) base = 0n;
  else if (whence === SEEK_CUR) base = BigInt(f.offset);
  else if (whence === SEEK_END) base = f.hostFd >= 0 && f.kind === 'file' ? BigInt(fs.fstatSync(f.hostFd).size) : 0n;
  else return -ERRNO.EINVAL;
  let start = base + v.getBigInt64(8, true);
  let end = len === 0n ? LOCK_EOF : start + len - 1n;
  if (len < 0n) [start, end] = [start + len, start - 1n];
  if (start < 0n || (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK)) return -ERRNO.EINVAL;
  const { locks } = c.k;
  const key = lockKey(f);
  if (cmd === F.GETLK) {
    if (type === F_UNLCK) return -ERRNO.EINVAL;
    const l = locks.conflict(key, c.proc.pid, type, start, end);
    if (!l) {
      v.setInt16(0, F_UNLCK, true);
    } else {
      v.setInt16(0, l.type, true);
      v.setInt16(2, SEEK_SET, true);
      v.setBigInt64(8, l.start, true);
      v.setBigInt64(16, l.end === LOCK_EOF ? 0n : l.end - l.start + 1n, true);
      v.setInt32(24, l.pid, true);
    }
    return c.proc.write(addr, raw) ? 0 : -ERRNO.EFAULT;
  }
  const mode = f.flags & O.ACCMODE;
  if ((type === F_RDLCK && mode === O.WRONLY) || (type === F_WRLCK && mode === O.RDONLY)) return -ERRNO.EBADF;
  const attempt = (): number | null => {
    if (type !== F_UNLCK && locks.conflict(key, c.proc.pid, type, start, end)) return cmd === F.SETLK ? -ERRNO.EAGAIN : null;
    locks.set(key, c.proc.pid, type, start, end);
    return 0;
  };
  return block(c.task, attempt, [locks.released]);
}

const ioctl: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  const isTty = f.kind === 'stdio' && tty.isatty(f.hostFd);
  const req = Number(a[1] & 0xffffffffn);
  if (req === FIONREAD && f.pipe) return proc.writeU32(a[2], f.pipe.size) ? 0 : -ERRNO.EFAULT;
  if (req === FIONREAD && f.kind === 'file') {
    const left = Math.max(0, fs.fstatSync(f.hostFd).size - f.offset);
    return proc.writeU32(a[2], left) ? 0 : -ERRNO.EFAULT;
  }
  if (!isTty) return -ERRNO.ENOTTY;
  switch (req) {
    case TCGETS:
      return proc.write(a[2], defaultTermios()) ? 0 : -ERRNO.EFAULT;
    case TCSETS:
      return 0;
    case TIOCGWINSZ: {
      const s = f.hostFd === 0 ? process.stdin : f.hostFd === 1 ? process.stdout : process.stderr;
      const ws = s as unknown as { columns?: number; rows?: number };
      return proc.write(a[2], encodeWinsize(ws.rows ?? 24, ws.columns ?? 80)) ? 0 : -ERRNO.EFAULT;
    }
    case TIOCGPGRP:
      return proc.writeU32(a[2], proc.pid) ? 0 : -ERRNO.EFAULT;
    default:
      return -ERRNO.ENOTTY;
  }
};

/** Runs a host operation on a resolved path, mapping a host error to -errno. */
function onPath(p: Process, dirfd: bigint, pathAddr: bigint, follow: boolean, op: (r: Resolved) => void): number {
  const path = p.readString(pathAddr);
  if (path === null) return -ERRNO.EFAULT;
  const r = resolveAt(p, int32(dirfd), path, follow);
  if (typeof r === 'number') return r;
  if (r.guest === '/proc' || r.guest.startsWith('/proc/')) return -ERRNO.EACCES; // procfs is read-only
  try {
    op(r);
    return 0;
  } catch (err) {
    return -errnoFromHost(err);
  }
}

const mkdirat: Handler = ({ proc }, a) => onPath(proc, a[0], a[1], false, (r) => fs.mkdirSync(r.host, int32(a[2]) & ~proc.umask & 0o7777));

const unlinkat: Handler = ({ proc }, a) =>
  onPath(proc, a[0], a[1], false, (r) => (int32(a[2]) & AT_REMOVEDIR ? fs.rmdirSync(r.host) : fs.unlinkSync(r.host)));

const symlinkat: Handler = ({ proc }, a) => {
  const target = proc.readString(a[0]);
  if (target === null) return -ERRNO.EFAULT;
  // The link's text is stored as the guest wrote it; it is resolved inside the root whenever it is followed.
  return onPath(proc, a[1], a[2], false, (r) => fs.symlinkSync(target, r.host));
};

const linkat: Handler = ({ proc }, a) => {
  const from = proc.readString(a[1]);
  if (from === null) return -ERRNO.EFAULT;
  const src = resolveAt(proc, int32(a[0]), from, (int32(a[4]) & AT_SYMLINK_FOLLOW) !== 0);
  if (typeof src === 'number') return src;
  return onPath(proc, a[2], a[3], false, (r) => fs.linkSync(src.host, r.host));
};

const renameat: Handler = ({ proc }, a) => {
  const from = proc.readString(a[1]);
  if (from === null) return -ERRNO.EFAULT;
  const src = resolveAt(proc, int32(a[0]), from, false);
  if (typeof src === 'number') return src;
  return onPath(proc, a[2], a[3], false, (r) => fs.renameSync(src.host, r.host));
};

const fchmodat: Handler = ({ proc }, a) => onPath(proc, a[0], a[1], true, (r) => fs.chmodSync(r.host, int32(a[2]) & 0o7777));

const fchmod: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  try {
    if (f.kind === 'file') fs.fchmodSync(f.hostFd, int32(a[1]) & 0o7777);
    else if (f.kind === 'dir') fs.chmodSync(f.hostPath, int32(a[1]) & 0o7777);
    return 0;
  } catch (err) {
    return -errnoFromHost(err);
  }
};

const ftruncate: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  if (f.kind !== 'file' || (f.flags & O.ACCMODE) === O.RDONLY) return -ERRNO.EINVAL;
  if (sint(a[1]) < 0) return -ERRNO.EINVAL;
  try {
    fs.ftruncateSync(f.hostFd, sint(a[1]));
    return 0;
  } catch (err) {
    return -errnoFromHost(err);
  }
};

const truncate: Handler = ({ proc }, a) =>
  sint(a[1]) < 0 ? -ERRNO.EINVAL : onPath(proc, BigInt(AT_FDCWD), a[0], true, (r) => fs.truncateSync(r.host, sint(a[1])));

const fsync: Handler = ({ proc }, a) => (proc.fds.get(int32(a[0])) ? 0 : -ERRNO.EBADF);

const umask: Handler = ({ proc }, a) => {
  const old = proc.umask;
  proc.umask = int32(a[0]) & 0o777;
  return old;
};

/** utimensat: times from two timespecs (UTIME_NOW, UTIME_OMIT), or now; on a path or (path NULL) a descriptor. */
const UTIME_NOW = (1n << 30n) - 1n;
const UTIME_OMIT = (1n << 30n) - 2n;
const utimensat: Handler = ({ proc }, a) => {
  let times: [number | null, number | null] = [Date.now() / 1000, Date.now() / 1000];
  if (a[2] !== 0n) {
    const b = proc.read(a[2], 32);
    if (!b) return -ERRNO.EFAULT;
    const v = new DataView(b.buffer);
    times = [0, 16].map((o) => {
      const ns = v.getBigInt64(o + 8, true);
      if (ns === UTIME_OMIT) return null;
      if (ns === UTIME_NOW) return Date.now() / 1000;
      if (ns < 0n || ns >= 1_000_000_000n) return NaN;
      return Number(v.getBigInt64(o, true)) + Number(ns) / 1e9;
    }) as [number | null, number | null];
    if (times.some((t) => Number.isNaN(t))) return -ERRNO.EINVAL;
  }
  const apply = (host: string | number) => {
    const st = typeof host === 'number' ? fs.fstatSync(host) : fs.statSync(host);
    const at = times[0] ?? st.atimeMs / 1000;
    const mt = times[1] ?? st.mtimeMs / 1000;
    if (typeof host === 'number') fs.futimesSync(host, at, mt);
    else fs.utimesSync(host, at, mt);
  };
  try {
    if (a[1] === 0n) {
      const f = proc.fds.get(int32(a[0]));
      if (!f) return -ERRNO.EBADF;
      if (f.kind === 'file') apply(f.hostFd);
      else if (f.kind === 'dir') apply(f.hostPath);
      return 0;
    }
  } catch (err) {
    return -errnoFromHost(err);
  }
  const path = proc.readString(a[1]);
  if (path === null) return -ERRNO.EFAULT;
  if (devOf(proc, int32(a[0]), path)) return 0;
  return onPath(proc, a[0], a[1], !(int32(a[3]) & AT_SYMLINK_NOFOLLOW), (r) => apply(r.host));
};

const pipe2: Handler = ({ proc }, a) => {
  const flags = int32(a[1]);
  if (flags & ~(O.CLOEXEC | O.NONBLOCK | O.DIRECT)) return -ERRNO.EINVAL;
  const p = new Pipe();
  const r = OpenFile.pipeEnd(p, 'r', O.RDONLY | (flags & O.NONBLOCK));
  const w = OpenFile.pipeEnd(p, 'w', O.WRONLY | (flags & O.NONBLOCK));
  const cloexec = (flags & O.CLOEXEC) !== 0;
  const rfd = proc.fds.alloc(r, cloexec);
  if (rfd < 0) {
    r.close();
    w.close();
    return -ERRNO.EMFILE;
  }
  const wfd = proc.fds.alloc(w, cloexec);
  if (wfd < 0) {
    proc.fds.close(rfd);
    w.close();
    return -ERRNO.EMFILE;
  }
  const b = new Uint8Array(8);
  new DataView(b.buffer).setInt32(0, rfd, true);
  new DataView(b.buffer).setInt32(4, wfd, true);
  if (!proc.write(a[0], b)) {
    proc.fds.close(rfd);
    proc.fds.close(wfd);
    return -ERRNO.EFAULT;
  }
  return 0;
};

export const fsSyscalls: Record<string, Handler> = {
  pipe2, utimensat,
  openat, close, read, write, readv, writev, pread64, pwrite64, lseek, fstat, newfstatat, statx, getdents64,
  readlinkat, faccessat, faccessat2: faccessat, getcwd, chdir, fchdir, dup, dup3, fcntl, ioctl, umask,
  mkdirat, unlinkat, symlinkat, linkat, renameat, renameat2: renameat, fchmodat, fchmod, ftruncate, truncate,
  fsync, fdatasync: fsync,
};
