// statfs/fstatfs: what the mount a path or descriptor lies on says of itself (kernel/fs/vfs.ts): its type's
// magic number, its flags (ST_RDONLY for a read-only mount) and, for host-backed mounts, the host's sizes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as tty from 'node:tty';
import { ERRNO, errnoFromHost } from '../abi/errno.js';
import { AT_FDCWD } from '../abi/fcntl.js';
import { FS_MAGIC, ST, encodeStatfs, type StatfsInfo } from '../abi/statfs.js';
import type { FsType, Mount } from '../fs/vfs.js';
import { lookup } from './fs.js';
import { int32, type Handler } from './types.js';

const MAGIC: Record<FsType, number> = {
  hostfs: FS_MAGIC.HOSTFS_SUPER_MAGIC, tmpfs: FS_MAGIC.TMPFS_MAGIC, proc: FS_MAGIC.PROC_SUPER_MAGIC, devtmpfs: FS_MAGIC.TMPFS_MAGIC,
};
const OPTION_FLAGS: Record<string, number> = { nosuid: ST.NOSUID, nodev: ST.NODEV, noexec: ST.NOEXEC, noatime: ST.NOATIME, relatime: ST.RELATIME };
const NAME_MAX = 255;
const PAGE = 4096;

function blank(type: number, flags: number): StatfsInfo {
  return { type, bsize: PAGE, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, namelen: NAME_MAX, flags };
}

/** What statfs says of a mount. */
export function mountStatfs(m: Mount): StatfsInfo {
  let flags = ST.VALID | (m.readonly ? ST.RDONLY : 0);
  for (const o of m.options) flags |= OPTION_FLAGS[o] ?? 0;
  const info = blank(MAGIC[m.fstype], flags);
  if (m.host !== null) {
    // The files live on the host's filesystem: its sizes are the honest ones (a tmpfs's too).
    const s = fs.statfsSync(m.host);
    Object.assign(info, { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree });
  } else if (m.fstype === 'devtmpfs') {
    // As Linux sizes it: half the memory, none of it used.
    const pages = Math.floor(os.totalmem() / 2 / PAGE);
    Object.assign(info, { blocks: pages, bfree: pages, bavail: pages, files: pages / 2, ffree: pages / 2 - 16 });
  }
  return info;
}

const statfs: Handler = (c, a) => {
  const path = c.proc.readString(a[0]);
  if (path === null) return -ERRNO.EFAULT;
  const r = lookup(c, AT_FDCWD, path, true);
  if (typeof r === 'number') return r;
  let mount: Mount;
  if ('mount' in r) {
    try {
      fs.statSync(r.host);
    } catch (err) {
      return -errnoFromHost(err);
    }
    mount = r.mount;
  } else {
    mount = c.proc.vfs.mountOf('dev' in r ? r.guest : r.node.path);
  }
  return c.proc.write(a[1], encodeStatfs(mountStatfs(mount))) ? 0 : -ERRNO.EFAULT;
};

const fstatfs: Handler = ({ proc }, a) => {
  const f = proc.fds.get(int32(a[0]));
  if (!f) return -ERRNO.EBADF;
  let info: StatfsInfo;
  if (f.guestPath) info = mountStatfs(proc.vfs.mountOf(f.guestPath));
  else if (!f.pipe && f.kind === 'stdio' && tty.isatty(f.hostFd)) info = blank(FS_MAGIC.DEVPTS_SUPER_MAGIC, ST.VALID);
  else info = blank(FS_MAGIC.PIPEFS_MAGIC, ST.VALID); // pipes, and the host's stdio pipes and sockets
  return proc.write(a[1], encodeStatfs(info)) ? 0 : -ERRNO.EFAULT;
};

export const statfsSyscalls: Record<string, Handler> = { statfs, fstatfs };
