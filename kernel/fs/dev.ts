// The character devices every program expects under /dev, whatever the root holds: null, zero, full, random,
// urandom, tty, console, and the fd aliases stdin/stdout/stderr and fd/N. /dev is a mount of the VFS (vfs.ts)
// with no host directory: fs.ts asks devTarget() what a path under it names.
import { randomFillSync } from 'node:crypto';
import type { Stats } from 'node:fs';
import { ERRNO } from '../abi/errno.js';
import { DT, S_IFCHR } from '../abi/fcntl.js';
import type { ProcNode } from './procfs.js';

export interface Device {
  major: number;
  minor: number;
  /** Bytes a read of up to n returns (empty: end of file). */
  read(n: number): Uint8Array;
  /** Bytes written, or -errno. */
  write(data: Uint8Array): number;
}

const zeros = (n: number) => new Uint8Array(Math.min(n, 1 << 20));
const random = (n: number) => {
  const b = new Uint8Array(Math.min(n, 1 << 20));
  randomFillSync(b);
  return b;
};

export const DEVICES: Record<string, Device> = {
  null: { major: 1, minor: 3, read: () => new Uint8Array(0), write: (d) => d.length },
  zero: { major: 1, minor: 5, read: zeros, write: (d) => d.length },
  full: { major: 1, minor: 7, read: zeros, write: () => -ERRNO.ENOSPC },
  random: { major: 1, minor: 8, read: random, write: (d) => d.length },
  urandom: { major: 1, minor: 9, read: random, write: (d) => d.length },
};

/** What a /dev path names: a device, a descriptor alias (stdin, fd/3), the terminal, or the directory itself. */
export type DevTarget = { device: string } | { fd: number } | { tty: 'tty' | 'console' } | { dir: true } | null;

export function devTarget(guest: string): DevTarget {
  if (guest === '/dev' || guest === '/dev/fd') return { dir: true };
  if (!guest.startsWith('/dev/')) return null;
  const name = guest.slice(5);
  if (name in DEVICES) return { device: name };
  if (name === 'tty' || name === 'console') return { tty: name };
  const alias = ['stdin', 'stdout', 'stderr'].indexOf(name);
  if (alias >= 0) return { fd: alias };
  const m = /^fd\/(\d+)$/.exec(name);
  if (m) return { fd: Number(m[1]) };
  return null;
}

/** The controlling terminal, /dev/tty (major 5, minor 0), and the console, /dev/console (5, 1). */
const TTY = { major: 5, minor: 0 };
const CONSOLE = { major: 5, minor: 1 };

/** /dev and /dev/fd as directories: what ls lists (fd/N: the descriptors `fds` gives). */
export function devDir(guest: '/dev' | '/dev/fd', fds: () => number[], time: number): ProcNode {
  const entries = (): [string, number][] =>
    guest === '/dev/fd'
      ? fds().map((n) => [String(n), DT.LNK])
      : [...Object.keys(DEVICES), 'tty', 'console'].map((n): [string, number] => [n, DT.CHR]).concat([
          ['stdin', DT.LNK], ['stdout', DT.LNK], ['stderr', DT.LNK], ['fd', DT.DIR],
        ]);
  return { type: 'dir', path: guest, time, entries };
}

/** Why a path under /dev names nothing: ENOTDIR when it goes through a device (/dev/null/x), else ENOENT. */
export function devMissing(guest: string): number {
  const parts = guest.split('/');
  for (let n = 3; n < parts.length; n++) {
    const t = devTarget(parts.slice(0, n).join('/'));
    if (t && !('dir' in t)) return -ERRNO.ENOTDIR;
  }
  return -ERRNO.ENOENT;
}

/** stat of a device node (a name of DEVICES, tty or console): crw-rw-rw- root root. */
export function deviceStats(name: string): Stats {
  const d = name === 'tty' ? TTY : name === 'console' ? CONSOLE : DEVICES[name];
  const now = Date.now();
  return {
    dev: 5, ino: 1000 + d.minor, mode: S_IFCHR | 0o666, nlink: 1, uid: 0, gid: 0, rdev: (d.major << 8) | d.minor, size: 0,
    blksize: 4096, blocks: 0, atimeMs: now, mtimeMs: now, ctimeMs: now, birthtimeMs: now,
    isFile: () => false, isDirectory: () => false, isCharacterDevice: () => true, isSymbolicLink: () => false,
    isFIFO: () => false, isSocket: () => false, isBlockDevice: () => false,
  } as unknown as Stats;
}

/** The guest path `path` names, lexically (enough to recognise /dev names before the host is asked). */
export function lexicalPath(path: string, cwd: string): string {
  const parts: string[] = [];
  for (const c of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  return '/' + parts.join('/');
}
