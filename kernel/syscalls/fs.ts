// File syscalls: open/close/read/write and friends, stat family, directories, links, descriptors, ioctl.
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { ERRNO, errnoFromHost } from '../abi/errno.js';
import {
  AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW, DT, F, FALLOC_FL, FD_CLOEXEC, O, S_IFIFO, S_IFMT, S_IFREG,
  SEEK_CUR, SEEK_END, SEEK_SET, UTIME,
} from '../abi/fcntl.js';
import { encodeStat, encodeStatx } from '../abi/structs.js';
import { ERESTARTSYS } from '../abi/errno.js';
import { DEVICES, devDir, devMissing, devTarget, deviceStats, lexicalPath, type DevTarget } from '../fs/dev.js';
import { OpenFile } from '../fs/file.js';
import { F_RDLCK, F_UNLCK, F_WRLCK, LOCK_EOF } from '../fs/locks.js';
import { PIPE_BUF, Pipe } from '../fs/pipe.js';
import { pipeIno, procDirents, procFileStats, procOpen, procRead, procResolve, procStats, type ProcNode } from '../fs/procfs.js';
import { block } from '../proc/wait.js';
import type { Mount, Resolved } from '../fs/vfs.js';
import type { Process } from '../proc/process.js';
import { ioctl } from './ioctl.js';
import { ttyOpen, ttyRead, ttyWrite } from './tty.js';
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

/** What a path argument names: a device or descriptor alias under /dev, a /proc node (or the /dev directory), or a file of a host-backed mount. */
export type Target = Resolved | { dev: Exclude<NonNullable<DevTarget>, { dir: true }>; guest: string } | { node: ProcNode };

/** Links followed from /proc or /dev back into the VFS, at most (then ELOOP). */
const MAX_REDIRECTS = 40;

/**
 * Looks a path argument up through the mount table: the VFS walks the host-backed mounts; where the walk enters
 * /proc or /dev, procfs.ts and dev.ts take over, and a link that leads out again goes back to the VFS. `create`:
 * the caller would create a missing name, which the kernel's trees refuse (EACCES).
 */
export function lookup(c: SyscallContext, dirfd: number, path: string, follow: boolean, create = false): Target | number {
  const { proc, k } = c;
  let base = path.startsWith('/') ? '/' : baseDir(proc, dirfd);
  if (typeof base === 'number') return base;
  for (let hops = 0; hops <= MAX_REDIRECTS; hops++) {
    const r = proc.vfs.resolve(path, base, follow);
    if (typeof r === 'number' || r.mount.host !== null) return r;
    if (r.mount.fstype === 'proc') {
      const n = procResolve(k, proc, r.guest, follow);
      if (typeof n === 'number') return n === -ERRNO.ENOENT && create ? -ERRNO.EACCES : n;
      if (!('redirect' in n)) return { node: n };
      path = n.redirect;
    } else {
      const guest = lexicalPath(r.guest, '/');
      const t = devTarget(guest);
      if (t && 'dir' in t) return { node: devDir(guest as '/dev' | '/dev/fd', () => proc.fds.fds(), k.started) };
      if (t) return { dev: t, guest };
      if (guest === '/dev' || guest.startsWith('/dev/')) {
        const e = devMissing(guest);
        return e === -ERRNO.ENOENT && create ? -ERRNO.EACCES : e;
      }
      path = guest; // a `..` led out of /dev
    }
    base = '/';
  }
  return -ERRNO.ELOOP;
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
function openDev(c: SyscallContext, t: NonNullable<DevTarget>, guest: string, flags: number): number {
  const { proc } = c;
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
    const f = ttyOpen(c, t.tty, guest, flags);
    if (typeof f === 'number') return f;
    if (f) return alloc(proc, f, cloexec);
    if (!tty.isatty(0)) return -ERRNO.ENXIO;
    return alloc(proc, new OpenFile('stdio', 0, guest, '', flags), cloexec);
  }
  return -ERRNO.EISDIR;
}

const openat: Handler = (c, a) => {
  const { proc } = c;
  const path = proc.readString(a[1]);
  if (path === null) return -ERRNO.EFAULT;
  const flags = int32(a[2]);
  const r = lookup(c, int32(a[0]), path, !(flags & O.NOFOLLOW), (flags & O.CREAT) !== 0);
  if (typeof r === 'number') return r;
  if ('dev' in r) return openDev(c, r.dev, r.guest, flags);
  if ('node' in r) {
    const f = procOpen(r.node, flags);
    if (typeof f === 'number') return f;
    if (f.refs > 0) return proc.fds.alloc(f, (flags & O.CLOEXEC) !== 0); // a description an fd link reaches
    return alloc(proc, f, (flags & O.CLOEXEC) !== 0);
  }
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
  // A read-only mount refuses what would write: write access, truncation, creating a name that is not there.
  if (r.mount.readonly && ((flags & O.ACCMODE) !== O.RDONLY || flags & O.TRUNC || (flags & O.CREAT && !st))) return -ERRNO.EROFS;
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
  if (f.tty) return pos !== null ? -ERRNO.ESPIPE : ttyRead(c, f, addr, Math.min(len, MAX_IO));
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
  if (f.tty) return pos !== null ? -ERRNO.ESPIPE : ttyWrite(c, f, data);
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
  if (f.tty) return deviceStats('console');
  return fs.fstatSync(f.hostFd);
}

/**
 * A stat as the guest sees it: st_dev names the mount the file lies on (df PATH and find -xdev tell mounts apart
 * by it); a file of another host filesystem below a host-backed mount keeps the host's.
 */
function onMount(p: Process, st: fs.Stats, guest: string): fs.Stats {
  if (!guest) return st;
  const m = p.vfs.mountOf(guest);
  if (m.host === null || st.dev === m.hostDev) st.dev = m.dev;
  return st;
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
    return proc.write(a[1], encodeStat(onMount(proc, statOf(f), f.guestPath))) ? 0 : -ERRNO.EFAULT;
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
    if (dirfd !== AT_FDCWD) {
      const f = p.fds.get(dirfd);
      if (!f) return -ERRNO.EBADF;
      if (f.pipe) return pipeStat(f);
      return onMount(p, statOf(f), f.guestPath);
    }
    path = '.';
  }
  const follow = !(flags & AT_SYMLINK_NOFOLLOW);
  const r = lookup(c, dirfd, path, follow);
  if (typeof r === 'number') return r;
  if ('dev' in r) {
    if ('fd' in r.dev) {
      const f = p.fds.get(r.dev.fd);
      if (!f) return -ERRNO.ENOENT;
      return f.pipe ? pipeStat(f) : onMount(p, statOf(f), f.guestPath);
    }
    return deviceStats('device' in r.dev ? r.dev.device : r.dev.tty);
  }
  if ('node' in r) {
    const n = r.node;
    if (n.type === 'link' && n.file && follow) return n.file.pipe ? pipeStat(n.file) : onMount(p, statOf(n.file), n.file.guestPath);
    return onMount(p, procStats(n), n.path);
  }
  try {
    return onMount(p, fs.lstatSync(r.host), r.guest);
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
  const path = proc.readString(a[1]);
  if (path === null) return -ERRNO.EFAULT;
  const r = lookup(c, int32(a[0]), path, false);
  if (typeof r === 'number') return r;
  if (!('mount' in r)) {
    let target: string | null = null;
    // /dev/stdin, stdout, stderr are links to /proc/self/fd/N, as udev makes them.
    if ('dev' in r && 'fd' in r.dev && !r.guest.startsWith('/dev/fd/')) target = `/proc/self/fd/${r.dev.fd}`;
    else if ('node' in r && r.node.type === 'link') target = r.node.target;
    if (target === null) return -ERRNO.EINVAL;
    const b = new TextEncoder().encode(target).subarray(0, int32(a[3]));
    return proc.write(a[2], b) ? b.length : -ERRNO.EFAULT;
  }
  try {
    const target = new TextEncoder().encode(fs.readlinkSync(r.host)).subarray(0, int32(a[3]));
    return proc.write(a[2], target) ? target.length : -ERRNO.EFAULT;
  } catch (err) {
    return -errnoFromHost(err);
  }
};

const faccessat: Handler = (c, a) => {
  const { proc } = c;
  const path = proc.readString(a[1]);
  if (path === null) return -ERRNO.EFAULT;
  const mode = int32(a[2]);
  const r = lookup(c, int32(a[0]), path, true);
  if (typeof r === 'number') return r;
  if ('dev' in r) return mode & 1 ? -ERRNO.EACCES : 0;
  if ('node' in r) return mode & 2 || (mode & 1 && r.node.type !== 'dir') ? -ERRNO.EACCES : 0;
  try {
    fs.accessSync(r.host, fs.constants.F_OK);
    // As Linux: write access to a file of a read-only mount is EROFS, whatever its permissions say.
    if (mode & 2 && r.mount.readonly) return -ERRNO.EROFS;
    fs.accessSync(r.host, mode & 7);
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
  const path = proc.readString(a[0]);
  if (path === null) return -ERRNO.EFAULT;
  const r = lookup(c, AT_FDCWD, path, true);
  if (typeof r === 'number') return r;
  if ('dev' in r) return -ERRNO.ENOTDIR;
  if ('node' in r) {
    if (r.node.type !== 'dir') return -ERRNO.ENOTDIR;
    proc.cwd = r.node.path;
    return 0;
  }
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

/** How a write at a path meets the mount table. */
interface PathWrite {
  /** The call makes the name (mkdir, mknod, symlink, link): an existing name is EEXIST before EROFS, as in Linux. */
  creates?: boolean;
  /** The call removes or replaces the name (unlink, rmdir, rename): a mount point is EBUSY. */
  removes?: boolean;
  /** rename and link stay inside one mount: EXDEV otherwise. */
  sameMountAs?: Mount;
}

/**
 * Runs a host operation that writes at a resolved path, mapping a host error to -errno. The kernel's trees
 * (/proc, /dev) refuse it (EACCES); a read-only mount gives EROFS.
 */
function onPath(c: SyscallContext, dirfd: bigint, pathAddr: bigint, follow: boolean, op: (r: Resolved) => void, w: PathWrite = {}): number {
  const path = c.proc.readString(pathAddr);
  if (path === null) return -ERRNO.EFAULT;
  const r = lookup(c, int32(dirfd), path, follow, w.creates);
  if (typeof r === 'number') return r;
  if (!('mount' in r)) return w.sameMountAs ? -ERRNO.EXDEV : -ERRNO.EACCES;
  if (w.sameMountAs && w.sameMountAs !== r.mount) return -ERRNO.EXDEV;
  if (w.removes && r.guest === r.mount.target) return -ERRNO.EBUSY;
  if (r.mount.readonly) return w.creates && lexists(r.host) ? -ERRNO.EEXIST : -ERRNO.EROFS;
  try {
    op(r);
    return 0;
  } catch (err) {
    return -errnoFromHost(err);
  }
}

function lexists(host: string): boolean {
  try {
    fs.lstatSync(host);
    return true;
  } catch {
    return false;
  }
}

/** An open file of a read-only mount. */
function onReadonlyMount(p: Process, f: OpenFile): boolean {
  return f.guestPath !== '' && p.vfs.mountOf(f.guestPath).readonly;
}

const mkdirat: Handler = (c, a) => onPath(c, a[0], a[1], false, (r) => fs.mkdirSync(r.host, int32(a[2]) & ~c.proc.umask & 0o7777), { creates: true });

const unlinkat: Handler = (c, a) =>
  onPath(c, a[0], a[1], false, (r) => (int32(a[2]) & AT_REMOVEDIR ? fs.rmdirSync(r.host) : fs.unlinkSync(r.host)), { removes: true });

/** mknod: regular files only; devices and FIFOs are not something a host directory can hold for us (EPERM). */
const mknodat: Handler = (c, a) => {
  const mode = int32(a[2]);
  const type = mode & S_IFMT;
  return onPath(c, a[0], a[1], false, (r) => {
    if (type !== 0 && type !== S_IFREG) throw Object.assign(new Error('mknod'), { code: 'EPERM' });
    fs.closeSync(fs.openSync(r.host, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, mode & ~c.proc.umask & 0o7777));
  }, { creates: true });
};

const symlinkat: Handler = (c, a) => {
  const target = c.proc.readString(a[0]);
  if (target === null) return -ERRNO.EFAULT;
  // The link's text is stored as the guest wrote it; it is resolved in the guest's namespace whenever it is followed.
  return onPath(c, a[1], a[2], false, (r) => fs.symlinkSync(target, r.host), { creates: true });
};

const linkat: Handler = (c, a) => {
  const from = c.proc.readString(a[1]);
  if (from === null) return -ERRNO.EFAULT;
  const src = lookup(c, int32(a[0]), from, (int32(a[4]) & AT_SYMLINK_FOLLOW) !== 0);
  if (typeof src === 'number') return src;
  if (!('mount' in src)) return -ERRNO.EXDEV;
  return onPath(c, a[2], a[3], false, (r) => fs.linkSync(src.host, r.host), { creates: true, sameMountAs: src.mount });
};

const renameat: Handler = (c, a) => {
  const from = c.proc.readString(a[1]);
  if (from === null) return -ERRNO.EFAULT;
  const src = lookup(c, int32(a[0]), from, false);
  if (typeof src === 'number') return src;
  if (!('mount' in src)) return -ERRNO.EXDEV;
  if (src.guest === src.mount.target) return -ERRNO.EBUSY;
  // Across mounts: EXDEV, and mv copies then removes, as on Linux.
  return onPath(c, a[2], a[3], false, (r) => fs.renameSync(src.host, r.host), { removes: true, sameMountAs: src.mount });
};

const fchmodat: Handler = (c, a) => onPath(c, a[0], a[1], true, (r) => fs.chmodSync(r.host, int32(a[2]) & 0o7777));

/** chown: what the host allows (an unprivileged host user may only keep a file's owner). */
function chownHost(host: string, uid: number, gid: number, follow: boolean): void {
  const st = follow ? fs.statSync(host) : fs.lstatSync(host);
  const u = uid === -1 ? st.uid : uid;
  const g = gid === -1 ? st.gid : gid;
  if (u === st.uid && g === st.gid) return;
  if (follow) fs.chownSync(host, u, g);
  else fs.lchownSync(host, u, g);
}

const fchownat: Handler = (c, a) => {
  const follow = !(int32(a[4]) & AT_SYMLINK_NOFOLLOW);
  return onPath(c, a[0], a[1], follow, (r) => chownHost(r.host, int32(a[2]), int32(a[3]), follow));
};

const fchown: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  if (onReadonlyMount(proc, f)) return -ERRNO.EROFS;
  if (!f.hostPath) return -ERRNO.EPERM;
  try {
    chownHost(f.hostPath, int32(a[1]), int32(a[2]), true);
    return 0;
  } catch (err) {
    return -errnoFromHost(err);
  }
};

const fchmod: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  if (onReadonlyMount(proc, f)) return -ERRNO.EROFS;
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

const truncate: Handler = (c, a) =>
  sint(a[1]) < 0 ? -ERRNO.EINVAL : onPath(c, BigInt(AT_FDCWD), a[0], true, (r) => fs.truncateSync(r.host, sint(a[1])));

/**
 * fallocate: mode 0 (and FALLOC_FL_KEEP_SIZE) reserve by extending the file; punching holes is not offered. A
 * file of a read-only mount is never open for writing, so EBADF comes first, as on Linux.
 */
const fallocate: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  const mode = int32(a[1]);
  const off = sint(a[2]);
  const len = sint(a[3]);
  if (off < 0 || len <= 0) return -ERRNO.EINVAL;
  if ((f.flags & O.ACCMODE) === O.RDONLY) return -ERRNO.EBADF;
  if (f.pipe) return -ERRNO.ESPIPE;
  if (f.kind !== 'file' || f.hostFd < 0) return -ERRNO.ENODEV;
  if (mode & ~FALLOC_FL.KEEP_SIZE) return -ERRNO.ENOTSUP;
  try {
    if (!(mode & FALLOC_FL.KEEP_SIZE) && fs.fstatSync(f.hostFd).size < off + len) fs.ftruncateSync(f.hostFd, off + len);
    return 0;
  } catch (err) {
    return -errnoFromHost(err);
  }
};

const fsync: Handler = ({ proc }, a) => (proc.fds.get(int32(a[0])) ? 0 : -ERRNO.EBADF);

const umask: Handler = ({ proc }, a) => {
  const old = proc.umask;
  proc.umask = int32(a[0]) & 0o777;
  return old;
};

/** utimensat: times from two timespecs (UTIME_NOW, UTIME_OMIT), or now; on a path or (path NULL) a descriptor. */
const utimensat: Handler = (c, a) => {
  const { proc } = c;
  let times: [number | null, number | null] = [Date.now() / 1000, Date.now() / 1000];
  if (a[2] !== 0n) {
    const b = proc.read(a[2], 32);
    if (!b) return -ERRNO.EFAULT;
    const v = new DataView(b.buffer);
    times = [0, 16].map((o) => {
      const ns = v.getBigInt64(o + 8, true);
      if (ns === BigInt(UTIME.OMIT)) return null;
      if (ns === BigInt(UTIME.NOW)) return Date.now() / 1000;
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
      if (onReadonlyMount(proc, f)) return -ERRNO.EROFS;
      if (f.kind === 'file') apply(f.hostFd);
      else if (f.kind === 'dir') apply(f.hostPath);
      return 0;
    }
  } catch (err) {
    return -errnoFromHost(err);
  }
  const path = proc.readString(a[1]);
  if (path === null) return -ERRNO.EFAULT;
  const follow = !(int32(a[3]) & AT_SYMLINK_NOFOLLOW);
  const t = lookup(c, int32(a[0]), path, follow);
  if (typeof t !== 'number' && 'dev' in t) return 0; // device nodes keep no times here
  return onPath(c, a[0], a[1], follow, (r) => apply(r.host));
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
  fsync, fdatasync: fsync, mknodat, fchownat, fchown, fallocate,
};
