// Guest paths onto the host, jailed to the root directory: the walk is done here component by component,
// symlinks included (absolute targets restart at the guest root), so no path, `..` or symlink leaves the root.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { ERRNO } from '../abi/errno.js';

const MAX_SYMLINKS = 40;
const PATH_MAX = 4096;

export interface Resolved {
  /** Canonical guest path, always absolute. */
  guest: string;
  host: string;
}

export class HostRoot {
  readonly root: string;

  constructor(root: string) {
    this.root = fs.realpathSync(root);
  }

  /** Host path of a canonical guest path. */
  hostOf(guest: string): string {
    return guest === '/' ? this.root : nodePath.join(this.root, guest);
  }

  /** Guest path of a host path inside the root, or null when it lies outside. */
  guestOf(host: string): string | null {
    const rel = nodePath.relative(this.root, nodePath.resolve(host));
    if (rel.startsWith('..') || nodePath.isAbsolute(rel)) return null;
    return '/' + rel.split(nodePath.sep).filter(Boolean).join('/');
  }

  /**
   * Resolves `path` (absolute, or relative to the guest directory `base`) to a guest and host path; returns a
   * negative errno on failure. `followLast` decides whether a symlink in the last component is followed.
   */
  resolve(path: string, base: string, followLast: boolean): Resolved | number {
    if (path.length === 0) return -ERRNO.ENOENT;
    if (path.length >= PATH_MAX) return -ERRNO.ENAMETOOLONG;
    const stack: string[] = path.startsWith('/') ? [] : base.split('/').filter(Boolean);
    const queue = path.split('/').filter((c) => c !== '' && c !== '.');
    let links = 0;
    while (queue.length > 0) {
      const comp = queue.shift() as string;
      if (comp === '..') {
        stack.pop();
        continue;
      }
      if (comp.length > 255) return -ERRNO.ENAMETOOLONG;
      stack.push(comp);
      const last = queue.length === 0;
      if (last && !followLast) break;
      const host = this.hostOf('/' + stack.join('/'));
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
        queue.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
        continue;
      }
      if (!last && !st.isDirectory()) return -ERRNO.ENOTDIR;
    }
    const guest = '/' + stack.join('/');
    return { guest, host: this.hostOf(guest) };
  }
}
