// errno values (asm-generic/errno-base.h, errno.h) with their strerror text for --strace.

export const ERRNO = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EBADF: 9, ECHILD: 10,
  EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, ENOTBLK: 15, EBUSY: 16, EEXIST: 17, EXDEV: 18, ENODEV: 19,
  ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ENOTTY: 25, ETXTBSY: 26, EFBIG: 27, ENOSPC: 28,
  ESPIPE: 29, EROFS: 30, EMLINK: 31, EPIPE: 32, EDOM: 33, ERANGE: 34, EDEADLK: 35, ENAMETOOLONG: 36, ENOLCK: 37,
  ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40, ENOTSUP: 95, ETIMEDOUT: 110,
} as const;

export type ErrnoName = keyof typeof ERRNO;

const TEXT: Record<number, string> = {
  1: 'Operation not permitted', 2: 'No such file or directory', 3: 'No such process', 4: 'Interrupted system call',
  5: 'Input/output error', 7: 'Argument list too long', 8: 'Exec format error', 9: 'Bad file descriptor',
  10: 'No child processes', 11: 'Resource temporarily unavailable', 12: 'Cannot allocate memory',
  13: 'Permission denied', 14: 'Bad address', 16: 'Device or resource busy', 17: 'File exists',
  18: 'Invalid cross-device link', 19: 'No such device', 20: 'Not a directory', 21: 'Is a directory',
  22: 'Invalid argument', 24: 'Too many open files', 25: 'Inappropriate ioctl for device', 28: 'No space left on device',
  29: 'Illegal seek', 30: 'Read-only file system', 32: 'Broken pipe', 34: 'Numerical result out of range',
  36: 'File name too long', 38: 'Function not implemented', 39: 'Directory not empty',
  40: 'Too many levels of symbolic links', 95: 'Operation not supported', 110: 'Connection timed out',
};

const NAME_OF: Record<number, string> = Object.fromEntries(Object.entries(ERRNO).map(([k, v]) => [v, k]));

export function errnoName(e: number): string {
  return NAME_OF[e] ?? `E${e}`;
}
export function errnoText(e: number): string {
  return TEXT[e] ?? `Unknown error ${e}`;
}

/** Maps a Node.js system error code ('ENOENT') to its errno; EIO when unknown. */
export function errnoFromHost(err: unknown): number {
  const code = (err as { code?: string }).code;
  if (code && code in ERRNO) return ERRNO[code as ErrnoName];
  return ERRNO.EIO;
}

/**
 * Kernel-internal results (include/linux/errno.h) of a syscall a signal interrupted; signal delivery turns them
 * into EINTR or restarts the call, and the guest never sees them.
 */
export const ERESTARTSYS = -512;
/** Restart only when no handler runs (poll, sigsuspend, nanosleep-like waits). */
export const ERESTARTNOHAND = -514;
