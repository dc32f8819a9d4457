// The guest's file namespace: a mount table over host directories and the kernel's own trees. `/` is a host
// directory (--root), /proc and /dev are the kernel's (procfs.ts, dev.ts), and --mount/--tmpfs add host-backed
// mounts. The walk is done here component by component, symlinks included, in guest terms: the mount covering
// the current guest path decides the host path, `..` is lexical on guest components (it crosses back over mount
// points and never rises above /), and a symlink on any host-backed mount is read in the guest's namespace
// (absolute targets restart at the guest's /). No path, `..` or symlink reaches a host file outside the mounts.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { LevitateError } from '../../translator/errors.js';
import { ERRNO, errnoText } from '../abi/errno.js';
import { makeTmpfsDir, removeTmpfsDir } from './tmpfs.js';

const MAX_SYMLINKS = 40;
const PATH_MAX = 4096;
const NAME_MAX = 255;
/** st_dev values (major 0, as Linux's anonymous devices): /proc's and /dev's as procfs.ts and dev.ts say, then one per host-backed mount. */
const PROC_DEV = 0x16;
const DEVTMPFS_DEV = 5;
const FIRST_HOST_DEV = 0xa0;

/** What `run --mount`/`--tmpfs` (and a future `boot`) ask for, besides the root. */
export type MountSpec =
  | { kind: 'host'; source: string; target: string; readonly: boolean }
  | { kind: 'tmpfs'; target: string };

export type FsType = 'hostfs' | 'tmpfs' | 'proc' | 'devtmpfs';

export interface Mount {
  /** Canonical guest path of the mount point. */
  readonly target: string;
  readonly fstype: FsType;
  /** The device column of /proc/mounts. */
  readonly device: string;
  /** Host directory holding the files; null for the kernel's own trees (/proc, /dev), which fs.ts looks up. */
  readonly host: string | null;
  readonly readonly: boolean;
  /** Options after rw/ro, as /proc/mounts lists them. */
  readonly options: readonly string[];
  /**
   * st_dev of the mount's files, one per mount as on Linux (df PATH and find -xdev tell mounts apart by it), and
   * the host st_dev it stands for (files of another host filesystem below `host` keep their own).
   */
  readonly dev: number;
  readonly hostDev: number;
}

export interface Resolved {
  /**
   * Canonical guest path, always absolute. When the walk enters a mount without a host directory (/proc, /dev)
   * it stops there: this is then the path still to be looked up in that tree (it may hold `..`) and `host` is ''.
   */
  guest: string;
  host: string;
  mount: Mount;
}

export interface VfsOptions {
  rootReadonly?: boolean;
  mounts?: readonly MountSpec[];
}

export class Vfs {
  /** In mount order; a later mount hides what an earlier one shows under its mount point. */
  readonly mounts: Mount[] = [];

  /** `root`: the host directory that is the guest's `/`. Throws LevitateError for a bad root or mount. */
  constructor(root: string, opts: VfsOptions = {}) {
    let rootDir: string;
    try {
      rootDir = fs.realpathSync(root);
      if (!fs.statSync(rootDir).isDirectory()) throw new Error('not a directory');
    } catch {
      throw new LevitateError(`root directory '${root}' does not exist`);
    }
    this.addHost('/', 'hostfs', rootDir, opts.rootReadonly ?? false);
    // The st_dev procfs.ts and dev.ts give their files.
    const kernelTree = { host: null, readonly: false, hostDev: -1 };
    this.mounts.push({ ...kernelTree, target: '/proc', fstype: 'proc', device: 'proc', options: ['nosuid', 'nodev', 'noexec', 'relatime'], dev: PROC_DEV });
    this.mounts.push({ ...kernelTree, target: '/dev', fstype: 'devtmpfs', device: 'devtmpfs', options: ['nosuid', 'relatime', 'mode=755'], dev: DEVTMPFS_DEV });
    try {
      for (const spec of opts.mounts ?? []) this.mount(spec);
    } catch (err) {
      this.release();
      throw err;
    }
  }

  /** The host directory that is the guest's `/`. */
  get rootDir(): string {
    return this.mounts[0].host!;
  }

  private mount(spec: MountSpec): void {
    const what = spec.kind === 'host' ? `--mount ${spec.source}:${spec.target}` : `--tmpfs ${spec.target}`;
    if (!spec.target.startsWith('/')) throw new LevitateError(`${what}: the mount point must be an absolute guest path`);
    let source = '';
    if (spec.kind === 'host') {
      try {
        source = fs.realpathSync(spec.source);
      } catch {
        throw new LevitateError(`${what}: host directory '${spec.source}' does not exist`);
      }
      if (!fs.statSync(source).isDirectory()) throw new LevitateError(`${what}: '${spec.source}' is not a directory`);
    }
    // Like Linux: the mount point must be a directory of the tree as mounted so far.
    const r = this.resolve(spec.target, '/', true);
    if (typeof r === 'number') throw new LevitateError(`${what}: mount point ${spec.target}: ${errnoText(-r)}`);
    if (r.mount.host === null) throw new LevitateError(`${what}: cannot mount inside the kernel's ${r.mount.target}`);
    if (r.guest === '/') throw new LevitateError(`${what}: cannot mount over /; use --root`);
    let isDir = false;
    try {
      isDir = fs.statSync(r.host).isDirectory();
    } catch {
      throw new LevitateError(`${what}: mount point ${spec.target}: ${errnoText(ERRNO.ENOENT)}`);
    }
    if (!isDir) throw new LevitateError(`${what}: mount point ${spec.target}: ${errnoText(ERRNO.ENOTDIR)}`);
    if (spec.kind === 'host') this.addHost(r.guest, 'hostfs', source, spec.readonly);
    else this.addHost(r.guest, 'tmpfs', makeTmpfsDir(), false);
  }

  private addHost(target: string, fstype: 'hostfs' | 'tmpfs', host: string, readonly: boolean): void {
    const options = fstype === 'tmpfs' ? ['nosuid', 'nodev', 'relatime'] : ['relatime'];
    const dev = FIRST_HOST_DEV + this.mounts.length;
    this.mounts.push({ target, fstype, device: fstype, host, readonly, options, dev, hostDev: fs.statSync(host).dev });
  }

  /** Removes the host directories backing tmpfs mounts. The table is unusable afterwards. */
  release(): void {
    for (const m of this.mounts) if (m.fstype === 'tmpfs' && m.host) removeTmpfsDir(m.host);
  }

  /** The mount a canonical guest path lies in: the most recent one covering it. */
  mountOf(guest: string): Mount {
    for (let i = this.mounts.length - 1; i > 0; i--) {
      const t = this.mounts[i].target;
      if (guest === t || (guest.startsWith(t) && guest[t.length] === '/')) return this.mounts[i];
    }
    return this.mounts[0];
  }

  /** Host path of a canonical guest path ('' inside /proc and /dev). */
  hostOf(guest: string): string {
    return hostIn(this.mountOf(guest), guest);
  }

  /**
   * Guest path of a host path, or null when no mount shows it: outside every host-backed mount, or hidden by a
   * mount made over it.
   */
  guestOf(host: string): string | null {
    const abs = nodePath.resolve(host);
    for (let i = this.mounts.length - 1; i >= 0; i--) {
      const m = this.mounts[i];
      if (m.host === null) continue;
      const rel = nodePath.relative(m.host, abs);
      if (rel.startsWith('..') || nodePath.isAbsolute(rel)) continue;
      const guest = nodePath.posix.join(m.target, ...rel.split(nodePath.sep).filter(Boolean));
      if (this.mountOf(guest) === m) return guest;
    }
    return null;
  }

  /**
   * Resolves `path` (absolute, or relative to the guest directory `base`) to a guest and host path; returns a
   * negative errno on failure. `followLast` decides whether a symlink in the last component is followed.
   */
  resolve(path: string, base: string, followLast: boolean): Resolved | number {
    if (path.length === 0) return -ERRNO.ENOENT;
    if (path.length >= PATH_MAX) return -ERRNO.ENAMETOOLONG;
    const stack: string[] = path.startsWith('/') ? [] : base.split('/').filter(Boolean);
    const queue = components(path);
    let links = 0;
    while (queue.length > 0) {
      const comp = queue.shift() as string;
      if (comp === '..') {
        stack.pop();
        continue;
      }
      if (comp.length > NAME_MAX) return -ERRNO.ENAMETOOLONG;
      stack.push(comp);
      const guest = '/' + stack.join('/');
      const mount = this.mountOf(guest);
      if (mount.host === null) return { guest: '/' + [...stack, ...queue].join('/'), host: '', mount };
      const last = queue.length === 0;
      if (last && !followLast) break;
      const host = hostIn(mount, guest);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(host);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (last && code === 'ENOENT') break; // may be created
        if (code === 'ENOTDIR') return -ERRNO.ENOTDIR;
        if (code === 'EACCES') return -ERRNO.EACCES;
        return -ERRNO.ENOENT;
      }
      if (st.isSymbolicLink()) {
        if (++links > MAX_SYMLINKS) return -ERRNO.ELOOP;
        const target = fs.readlinkSync(host);
        stack.pop();
        if (target.startsWith('/')) stack.length = 0;
        queue.unshift(...components(target));
        continue;
      }
      if (!last && !st.isDirectory()) return -ERRNO.ENOTDIR;
    }
    const guest = '/' + stack.join('/');
    const mount = this.mountOf(guest);
    return { guest, host: hostIn(mount, guest), mount };
  }
}

function hostIn(m: Mount, guest: string): string {
  if (m.host === null) return '';
  const rest = guest.slice(m.target === '/' ? 1 : m.target.length + 1);
  return rest ? nodePath.join(m.host, rest) : m.host;
}

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/** The options column of /proc/mounts. */
export function mountOptions(m: Mount): string {
  return [m.readonly ? 'ro' : 'rw', ...m.options].join(',');
}

/** /proc/mounts: `device target fstype options 0 0`, with Linux's octal escapes for blanks and backslashes. */
export function mountsText(vfs: Vfs): string {
  const esc = (s: string) => s.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  return vfs.mounts.map((m) => `${esc(m.device)} ${esc(m.target)} ${m.fstype} ${mountOptions(m)} 0 0\n`).join('');
}

/**
 * Parses `HOSTDIR:GUESTDIR[:ro|:rw]` (the --mount option). The host directory may itself hold colons: the guest
 * directory is the last field that starts with '/'.
 */
export function parseMountOption(text: string): MountSpec {
  const fields = text.split(':');
  let readonly = false;
  const lastField = fields[fields.length - 1];
  if (fields.length >= 3 && (lastField === 'ro' || lastField === 'rw')) {
    readonly = lastField === 'ro';
    fields.pop();
  }
  const target = fields.pop() ?? '';
  const source = fields.join(':');
  if (fields.length === 0 || source === '' || !target.startsWith('/')) {
    throw new LevitateError(`--mount ${text}: expected HOSTDIR:GUESTDIR[:ro] with an absolute GUESTDIR`);
  }
  return { kind: 'host', source, target, readonly };
}

/** Parses a --tmpfs GUESTDIR option. */
export function parseTmpfsOption(text: string): MountSpec {
  if (!text.startsWith('/')) throw new LevitateError(`--tmpfs ${text}: expected an absolute guest directory`);
  return { kind: 'tmpfs', target: text };
}
