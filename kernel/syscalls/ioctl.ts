// ioctl(2): the requests every file answers (FIOCLEX, FIONCLEX, FIONBIO, as do_vfs_ioctl), FIONREAD of pipes
// and files, and the terminal's (tty.ts). Anything else is ENOTTY, as Linux says of a file that is not a terminal.
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { ERRNO } from '../abi/errno.js';
import { O } from '../abi/fcntl.js';
import { TIOC, encodeTermios, encodeWinsize, saneTermios } from '../abi/termios.js';
import type { OpenFile } from '../fs/file.js';
import { ttyIoctl } from './tty.js';
import { int32, type Handler, type SyscallContext, type SysResult } from './types.js';

export const ioctl: Handler = (c, a) => {
  const { proc } = c;
  const fd = int32(a[0]);
  const f = proc.fds.get(fd);
  if (!f) return -ERRNO.EBADF;
  const req = Number(a[1] & 0xffffffffn);
  const arg = a[2];
  switch (req) {
    case TIOC.FIOCLEX:
    case TIOC.FIONCLEX:
      proc.fds.setCloexec(fd, req === TIOC.FIOCLEX);
      return 0;
    case TIOC.FIONBIO: {
      const on = proc.readU32(arg);
      if (on === null) return -ERRNO.EFAULT;
      f.flags = on ? f.flags | O.NONBLOCK : f.flags & ~O.NONBLOCK;
      return 0;
    }
  }
  if (f.tty) return ttyIoctl(c, f, req, arg);
  if (req === TIOC.FIONREAD && f.pipe) return proc.writeU32(arg, f.pipe.size) ? 0 : -ERRNO.EFAULT;
  if (req === TIOC.FIONREAD && f.kind === 'file') {
    const left = Math.max(0, fs.fstatSync(f.hostFd).size - f.offset);
    return proc.writeU32(arg, left) ? 0 : -ERRNO.EFAULT;
  }
  if (f.kind === 'stdio' && tty.isatty(f.hostFd)) return hostTtyIoctl(c, f, req, arg);
  return -ERRNO.ENOTTY;
};

/**
 * A host terminal with no terminal model over it: stdout or stderr is one while stdin is not (the model exists
 * only for a terminal on stdin, host-terminal.ts). It reads as a cooked terminal of the host's size whose
 * settings do not change, and the caller's group in the foreground.
 */
function hostTtyIoctl({ proc }: SyscallContext, f: OpenFile, req: number, arg: bigint): SysResult {
  switch (req) {
    case TIOC.TCGETS:
      return proc.write(arg, encodeTermios(saneTermios())) ? 0 : -ERRNO.EFAULT;
    case TIOC.TCSETS:
    case TIOC.TCSETSW:
    case TIOC.TCSETSF:
      return 0;
    case TIOC.TIOCGWINSZ: {
      const s = (f.hostFd === 1 ? process.stdout : f.hostFd === 2 ? process.stderr : null) as tty.WriteStream | null;
      return proc.write(arg, encodeWinsize({ rows: s?.rows || 24, cols: s?.columns || 80, xpixel: 0, ypixel: 0 })) ? 0 : -ERRNO.EFAULT;
    }
    case TIOC.TIOCGPGRP:
      return proc.writeU32(arg, proc.pgid) ? 0 : -ERRNO.EFAULT;
    default:
      return -ERRNO.ENOTTY;
  }
}
