// What --strace shows of each syscall: a list of argument kinds per syscall (SYSCALLS), what each kind prints
// (KINDS; those marked `exit` print when the call returns, as strace does for output arguments), and how a
// successful result is shown when it is not a plain number (RESULTS).
import {
  ACCESS, AT, AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, F, FALLOC_FL, LOCK, MADV, MAP, MREMAP, O, PROT, RENAME,
  S_IFBLK, S_IFCHR, S_IFMT, SEEK, STATX,
} from '../abi/fcntl.js';
import { CLONE, GRND, LINUX_REBOOT_CMD, LINUX_REBOOT_MAGIC, P, PR, RLIMIT, RUSAGE, WAIT } from '../abi/process.js';
import { CLOCK, ITIMER, TIMER_ABSTIME } from '../abi/time.js';
import type { Process } from '../proc/process.js';
import { SIG_HOW } from '../signal/signals.js';
import { int, ok, u32, type Call } from './call.js';
import * as cmd from './commands.js';
import { addr, flags, hex, mode, oct, signal, xval, type Names } from './format.js';
import * as S from './structs.js';

interface Kind {
  /** An output argument: printed when the call returns (strace prints the line at exit). */
  readonly exit?: boolean | ((c: Call) => boolean);
  /** The argument's text; null leaves it out (openat's mode without O_CREAT). */
  readonly show: (c: Call, i: number) => string | null;
  /** For an in-out argument: what the call made of it, added at exit (sendfile's ` => [13]`). */
  readonly then?: (c: Call, i: number) => string;
}

/** An output argument decoded only on success; the pointer otherwise (strace's umove_or_printaddr at exit). */
function out(show: (c: Call, a: bigint) => string): Kind {
  return { exit: true, show: (c, i) => (ok(c) && c.args[i] !== 0n ? show(c, c.args[i]) : addr(c.args[i])) };
}
/** An input struct: NULL, or decoded. */
function input(show: (p: Process, a: bigint) => string): Kind {
  return { show: (c, i) => (c.args[i] === 0n ? 'NULL' : show(c.p, c.args[i])) };
}
function named(names: Names, prefix: string, unknown: string, asFlags = false): Kind {
  return { show: (c, i) => (asFlags ? flags : xval)(u32(c.args[i]), names, prefix, unknown) };
}

/** The open flags that can create a file: O_CREAT and O_TMPFILE's own bit (it includes O_DIRECTORY's). */
const CREATES = O.CREAT | (O.TMPFILE & ~O.DIRECTORY);

/** Where rt_sigreturn finds the mask it restores: the rt_sigframe at sp, its uc.uc_sigmask 168 bytes in. */
const UC_SIGMASK = 168;

/** mmap's MAP_TYPE field and its flags. */
const MAP_TYPES = { SHARED: MAP.SHARED, PRIVATE: MAP.PRIVATE, SHARED_VALIDATE: MAP.SHARED_VALIDATE };
const MAP_FLAGS = Object.fromEntries(Object.entries(MAP).filter(([k]) => !(k in MAP_TYPES) && k !== 'TYPE'));

/** faccessat2's flags (AT_EACCESS is AT_REMOVEDIR's bit read another way). */
const FACCESSAT_FLAGS = { SYMLINK_NOFOLLOW: AT_SYMLINK_NOFOLLOW, EACCESS: AT_EACCESS, EMPTY_PATH: AT_EMPTY_PATH };

/** A signal cut the call short (ERESTARTSYS … ERESTART_RESTARTBLOCK, which only a tracer sees). */
const restarted = (c: Call) => c.ret !== undefined && c.ret <= -512n && c.ret >= -516n;

/** sendfile's offset: `[3]`. */
const loff = (p: Process, a: bigint) => S.struct(p, a, 8, (v) => `[${v.getBigInt64(0, true)}]`);

const KINDS = {
  // ---- numbers ----
  int: { show: (c, i) => String(int(c.args[i])) },
  long: { show: (c, i) => BigInt.asIntN(64, c.args[i]).toString() },
  ulong: { show: (c, i) => c.args[i].toString() },
  hex: { show: (c, i) => hex(c.args[i]) },
  ptr: { show: (c, i) => addr(c.args[i]) },
  fd: { show: (c, i) => String(int(c.args[i])) },
  dirfd: { show: (c, i) => (int(c.args[i]) === AT_FDCWD ? 'AT_FDCWD' : String(int(c.args[i]))) },
  uid: { show: (c, i) => (u32(c.args[i]) === 0xffffffff ? '-1' : String(u32(c.args[i]))) },
  oct: { show: (c, i) => oct(u32(c.args[i])) },
  // ---- strings and buffers ----
  path: { show: (c, i) => S.path(c.p, c.args[i]) },
  str: { show: (c, i) => S.cstring(c.p, c.args[i]) },
  /** A buffer the call reads, its length the next argument (write). */
  wbuf: { show: (c, i) => S.buffer(c.p, c.args[i], Number(c.args[i + 1])) },
  /** A buffer the call fills, as long as the call says (read, readlinkat). */
  rbuf: out((c, a) => S.buffer(c.p, a, Number(c.ret))),
  randbuf: out((c, a) => S.buffer(c.p, a, Number(c.ret), true)),
  cwd: out((c, a) => S.path(c.p, a)),
  argv: { show: (c, i) => S.argv(c.p, c.args[i]) },
  envp: { show: (c, i) => S.envp(c.p, c.args[i]) },
  iov: { show: (c, i) => S.iovecs(c.p, c.args[i], int(c.args[i + 1]), Infinity) },
  iovOut: out((c, a) => S.iovecs(c.p, a, int(c.args[2]), Number(c.ret))),
  // ---- files ----
  oflags: { show: (c, i) => S.openFlags(u32(c.args[i])) },
  /** openat's mode, which strace shows only when the call can create a file. */
  openmode: { show: (c, i) => (u32(c.args[2]) & CREATES ? oct(u32(c.args[i])) : null) },
  fdflags: { show: (c, i) => flags(u32(c.args[i]), S.OPEN_FLAGS, 'O_') },
  atflags: named(AT, 'AT_', 'AT_???', true),
  accessmode: { show: (c, i) => flags(u32(c.args[i]), ACCESS, '', '?_OK') },
  accessflags: named(FACCESSAT_FLAGS, 'AT_', 'AT_???', true),
  statxflags: { show: (c, i) => S.statxFlags(u32(c.args[i]), AT) },
  statxmask: named(STATX, 'STATX_', 'STATX_???', true),
  mode: { show: (c, i) => mode(u32(c.args[i])) },
  /** mknodat's device, shown for character and block devices only. */
  dev: {
    show: (c, i) => {
      const type = u32(c.args[2]) & S_IFMT;
      if (type !== S_IFCHR && type !== S_IFBLK) return null;
      return S.makedev(c.args[i]);
    },
  },
  whence: named(SEEK, 'SEEK_', 'SEEK_???'),
  renameflags: named(RENAME, 'RENAME_', 'RENAME_???', true),
  fallocmode: named(FALLOC_FL, 'FALLOC_FL_', 'FALLOC_FL_???', true),
  lockop: named(LOCK, 'LOCK_', 'LOCK_???', true),
  fcntlcmd: named(F, 'F_', 'F_???'),
  fcntlarg: { exit: cmd.fcntlArgAtExit, show: cmd.fcntlArg },
  ioctlreq: { show: (c, i) => cmd.ioctlName(u32(c.args[i])) },
  ioctlarg: { exit: cmd.ioctlArgAtExit, show: cmd.ioctlArg },
  stat: out((c, a) => S.stat(c.p, a)),
  statx: out((c, a) => S.statx(c.p, a)),
  statfs: out((c, a) => S.statfs(c.p, a)),
  dirents: out((c, a) => S.dirents(c.p, a, Number(c.ret))),
  pipefds: out((c, a) => S.fdPair(c.p, a)),
  utimes: input(S.utimes),
  loff: { ...input(loff), then: (c, i) => (ok(c) && c.args[i] !== 0n ? ` => ${loff(c.p, c.args[i])}` : '') },
  // ---- memory ----
  prot: { show: (c, i) => (u32(c.args[i]) === 0 ? 'PROT_NONE' : flags(u32(c.args[i]), PROT, 'PROT_', 'PROT_???')) },
  mmapflags: {
    show: (c, i) => {
      const f = u32(c.args[i]);
      const type = xval(f & MAP.TYPE, MAP_TYPES, 'MAP_', 'MAP_???');
      return f & ~MAP.TYPE ? `${type}|${flags(f & ~MAP.TYPE, MAP_FLAGS, 'MAP_')}` : type;
    },
  },
  mremapflags: named(MREMAP, 'MREMAP_', 'MREMAP_???', true),
  /** mremap's new address, there only with MREMAP_FIXED. */
  mremapaddr: { show: (c, i) => (u32(c.args[3]) & MREMAP.FIXED ? addr(c.args[i]) : null) },
  madv: named(MADV, 'MADV_', 'MADV_???'),
  // ---- processes ----
  pid: { show: (c, i) => String(int(c.args[i])) },
  sig: { show: (c, i) => signal(int(c.args[i])) },
  /** wait4's status and rusage: there only when a child was reaped (not for WNOHANG's 0). */
  wstatus: { exit: true, show: (c, i) => (ok(c) && c.ret! > 0n ? S.waitStatus(c.p, c.args[i]) : addr(c.args[i])) },
  waitopts: named(WAIT, '', 'W???', true),
  waitrusage: { exit: true, show: (c, i) => (ok(c) && c.ret! > 0n ? S.rusage(c.p, c.args[i]) : addr(c.args[i])) },
  idtype: named(P, 'P_', 'P_???'),
  siginfo: out((c, a) => S.siginfo(c.p, a)),
  rusage: out((c, a) => S.rusage(c.p, a)),
  rusagewho: { show: (c, i) => xval(int(c.args[i]), RUSAGE, 'RUSAGE_', 'RUSAGE_???') },
  tms: out((c, a) => S.tms(c.p, a)),
  rlimitres: named(RLIMIT, 'RLIMIT_', 'RLIMIT_???'),
  rlimit: input(S.rlimit),
  rlimitOut: out((c, a) => S.rlimit(c.p, a)),
  intOut: out((c, a) => S.intAt(c.p, a)),
  clonestack: { show: (c) => `child_stack=${addr(c.args[1])}` },
  cloneflags: { show: (c) => `flags=${cmd.cloneFlags(c.args[0])}` },
  cloneptid: {
    exit: true,
    show: (c) => {
      if (!(u32(c.args[0]) & CLONE.PARENT_SETTID)) return null;
      return `parent_tid=${ok(c) ? S.intAt(c.p, c.args[2]) : addr(c.args[2])}`;
    },
  },
  clonetls: { exit: true, show: (c) => (u32(c.args[0]) & CLONE.SETTLS ? `tls=${addr(c.args[3])}` : null) },
  clonectid: {
    exit: true,
    show: (c) => (u32(c.args[0]) & (CLONE.CHILD_SETTID | CLONE.CHILD_CLEARTID) ? `child_tidptr=${addr(c.args[4])}` : null),
  },
  cloneargs: { show: (c, i) => cmd.cloneArgs(c.p, c.args[i], Number(c.args[i + 1])) },
  unshareflags: named(CLONE, 'CLONE_', 'CLONE_???', true),
  prctlop: named(PR, 'PR_', 'PR_???'),
  prctlargs: { exit: cmd.prctlArgsAtExit, show: cmd.prctlArgs },
  rebootmagic1: named({ MAGIC1: LINUX_REBOOT_MAGIC.MAGIC1 }, 'LINUX_REBOOT_', 'LINUX_REBOOT_MAGIC_???'),
  rebootmagic2: named(LINUX_REBOOT_MAGIC, 'LINUX_REBOOT_', 'LINUX_REBOOT_MAGIC_???'),
  rebootcmd: named(LINUX_REBOOT_CMD, 'LINUX_REBOOT_CMD_', 'LINUX_REBOOT_CMD_???'),
  rebootarg: { show: (c, i) => (u32(c.args[2]) === LINUX_REBOOT_CMD.RESTART2 ? S.cstring(c.p, c.args[i]) : null) },
  grnd: named(GRND, 'GRND_', 'GRND_???', true),
  cpuset: out((c, a) => S.cpuset(c.p, a, Number(c.ret))),
  uts: out((c, a) => S.utsname(c.p, a)),
  sysinfo: out((c, a) => S.sysinfo(c.p, a)),
  // ---- time ----
  clockid: named(CLOCK, 'CLOCK_', 'CLOCK_???'),
  timerflags: named({ TIMER_ABSTIME }, '', 'TIMER_???', true),
  itimer: named(ITIMER, 'ITIMER_', 'ITIMER_???'),
  timespec: input(S.timespec),
  timespecOut: out((c, a) => S.timespec(c.p, a)),
  /** nanosleep's remaining time: meaningful only when a signal cut the sleep short. */
  rem: { exit: true, show: (c, i) => (restarted(c) ? S.timespec(c.p, c.args[i]) : addr(c.args[i])) },
  timevalOut: out((c, a) => S.timeval(c.p, a)),
  timezoneOut: out((c, a) => S.timezone(c.p, a)),
  itimerval: input(S.itimerval),
  itimervalOut: out((c, a) => S.itimerval(c.p, a)),
  // ---- signals ----
  sighow: named(SIG_HOW, '', 'SIG_???'),
  sigset: { show: (c, i) => S.sigsetAt(c.p, c.args[i], Number(c.args[c.nargs - 1])) },
  sigsetOut: out((c, a) => S.sigsetAt(c.p, a, Number(c.args[c.nargs - 1]))),
  sigaction: input(S.sigaction),
  sigactionOut: out((c, a) => S.sigaction(c.p, a)),
  stack: input(S.stack),
  stackOut: out((c, a) => S.stack(c.p, a)),
  sigreturn: { show: (c) => `{mask=${S.sigsetAt(c.p, c.sp + BigInt(UC_SIGMASK), 8)}}` },
  // ---- poll and select ----
  pollfds: { show: (c, i) => (c.args[i] === 0n ? 'NULL' : S.pollfds(c.p, c.args[i], u32(c.args[1]), false)) },
  fdset: { show: (c, i) => S.fdset(c.p, c.args[i], int(c.args[0])) },
  pselectsig: input((p, a) => S.struct(p, a, 16, (v) => {
    const set = v.getBigUint64(0, true);
    const size = Number(v.getBigUint64(8, true));
    return `{sigmask=${S.sigsetAt(p, set, size)}, sigsetsize=${size}}`;
  })),
  futexop: { show: (c, i) => cmd.futexOp(u32(c.args[i])) },
  futexargs: { show: cmd.futexArgs },
  rseqflags: named({ RSEQ_FLAG_UNREGISTER: 1 }, '', 'RSEQ_FLAG_???', true),
  closerangeflags: named({ CLOSE_RANGE_UNSHARE: 2, CLOSE_RANGE_CLOEXEC: 4 }, '', 'CLOSE_RANGE_???', true),
} satisfies Record<string, Kind>;

export type KindName = keyof typeof KINDS;

/** The syscalls --strace decodes, their arguments in order. Any other prints its arguments in hex. */
export const SYSCALLS: Readonly<Record<string, readonly KindName[]>> = {
  // files
  openat: ['dirfd', 'path', 'oflags', 'openmode'],
  close: ['fd'],
  close_range: ['fd', 'fd', 'closerangeflags'],
  read: ['fd', 'rbuf', 'ulong'],
  write: ['fd', 'wbuf', 'ulong'],
  pread64: ['fd', 'rbuf', 'ulong', 'long'],
  pwrite64: ['fd', 'wbuf', 'ulong', 'long'],
  readv: ['fd', 'iovOut', 'int'],
  writev: ['fd', 'iov', 'int'],
  sendfile: ['fd', 'fd', 'loff', 'ulong'],
  lseek: ['fd', 'long', 'whence'],
  fstat: ['fd', 'stat'],
  newfstatat: ['dirfd', 'path', 'stat', 'atflags'],
  statx: ['dirfd', 'path', 'statxflags', 'statxmask', 'statx'],
  statfs: ['path', 'statfs'],
  fstatfs: ['fd', 'statfs'],
  getdents64: ['fd', 'dirents', 'ulong'],
  readlinkat: ['dirfd', 'path', 'rbuf', 'ulong'],
  faccessat: ['dirfd', 'path', 'accessmode'],
  faccessat2: ['dirfd', 'path', 'accessmode', 'accessflags'],
  chdir: ['path'],
  fchdir: ['fd'],
  chroot: ['path'],
  getcwd: ['cwd', 'ulong'],
  dup: ['fd'],
  dup3: ['fd', 'fd', 'fdflags'],
  pipe2: ['pipefds', 'fdflags'],
  fcntl: ['fd', 'fcntlcmd', 'fcntlarg'],
  ioctl: ['fd', 'ioctlreq', 'ioctlarg'],
  flock: ['fd', 'lockop'],
  umask: ['oct'],
  mkdirat: ['dirfd', 'path', 'oct'],
  mknodat: ['dirfd', 'path', 'mode', 'dev'],
  unlinkat: ['dirfd', 'path', 'atflags'],
  symlinkat: ['path', 'dirfd', 'path'],
  linkat: ['dirfd', 'path', 'dirfd', 'path', 'atflags'],
  renameat: ['dirfd', 'path', 'dirfd', 'path'],
  renameat2: ['dirfd', 'path', 'dirfd', 'path', 'renameflags'],
  fchmod: ['fd', 'oct'],
  fchmodat: ['dirfd', 'path', 'oct'],
  fchown: ['fd', 'uid', 'uid'],
  fchownat: ['dirfd', 'path', 'uid', 'uid', 'atflags'],
  truncate: ['path', 'long'],
  ftruncate: ['fd', 'long'],
  fallocate: ['fd', 'fallocmode', 'long', 'long'],
  fsync: ['fd'],
  fdatasync: ['fd'],
  sync: [],
  utimensat: ['dirfd', 'path', 'utimes', 'atflags'],
  // memory
  brk: ['ptr'],
  mmap: ['ptr', 'ulong', 'prot', 'mmapflags', 'fd', 'hex'],
  munmap: ['ptr', 'ulong'],
  mprotect: ['ptr', 'ulong', 'prot'],
  mremap: ['ptr', 'ulong', 'ulong', 'mremapflags', 'mremapaddr'],
  madvise: ['ptr', 'ulong', 'madv'],
  // processes
  clone: ['clonestack', 'cloneflags', 'cloneptid', 'clonetls', 'clonectid'],
  clone3: ['cloneargs', 'ulong'],
  execve: ['path', 'argv', 'envp'],
  execveat: ['dirfd', 'path', 'argv', 'envp', 'atflags'],
  exit: ['int'],
  exit_group: ['int'],
  wait4: ['pid', 'wstatus', 'waitopts', 'waitrusage'],
  waitid: ['idtype', 'pid', 'siginfo', 'waitopts', 'rusage'],
  getrusage: ['rusagewho', 'rusage'],
  times: ['tms'],
  set_tid_address: ['ptr'],
  set_robust_list: ['ptr', 'ulong'],
  rseq: ['ptr', 'hex', 'rseqflags', 'hex'],
  unshare: ['unshareflags'],
  getpid: [], getppid: [], gettid: [], getuid: [], geteuid: [], getgid: [], getegid: [], setsid: [], sched_yield: [],
  setuid: ['uid'], setgid: ['uid'],
  getresuid: ['intOut', 'intOut', 'intOut'], getresgid: ['intOut', 'intOut', 'intOut'],
  setpgid: ['pid', 'pid'],
  getpgid: ['pid'],
  getsid: ['pid'],
  kill: ['pid', 'sig'],
  tkill: ['pid', 'sig'],
  tgkill: ['pid', 'pid', 'sig'],
  prlimit64: ['pid', 'rlimitres', 'rlimit', 'rlimitOut'],
  getrlimit: ['rlimitres', 'rlimitOut'],
  setrlimit: ['rlimitres', 'rlimit'],
  prctl: ['prctlop', 'prctlargs'],
  reboot: ['rebootmagic1', 'rebootmagic2', 'rebootcmd', 'rebootarg'],
  getrandom: ['randbuf', 'ulong', 'grnd'],
  uname: ['uts'],
  sethostname: ['wbuf', 'ulong'],
  sysinfo: ['sysinfo'],
  sched_getaffinity: ['pid', 'ulong', 'cpuset'],
  getcpu: ['intOut', 'intOut', 'ptr'],
  // signals
  rt_sigaction: ['sig', 'sigaction', 'sigactionOut', 'ulong'],
  rt_sigprocmask: ['sighow', 'sigset', 'sigsetOut', 'ulong'],
  rt_sigpending: ['sigsetOut', 'ulong'],
  rt_sigsuspend: ['sigset', 'ulong'],
  rt_sigtimedwait: ['sigset', 'ptr', 'timespec', 'ulong'],
  rt_sigreturn: ['sigreturn'],
  sigaltstack: ['stack', 'stackOut'],
  // time
  clock_gettime: ['clockid', 'timespecOut'],
  clock_getres: ['clockid', 'timespecOut'],
  gettimeofday: ['timevalOut', 'timezoneOut'],
  nanosleep: ['timespec', 'rem'],
  clock_nanosleep: ['clockid', 'timerflags', 'timespec', 'rem'],
  getitimer: ['itimer', 'itimervalOut'],
  setitimer: ['itimer', 'itimerval', 'itimervalOut'],
  // waiting
  ppoll: ['pollfds', 'ulong', 'timespec', 'sigset', 'ulong'],
  pselect6: ['int', 'fdset', 'fdset', 'fdset', 'timespec', 'pselectsig'],
  futex: ['ptr', 'futexop', 'futexargs'],
};

export function kind(name: KindName): Kind {
  return KINDS[name];
}

/** Whether the argument prints at exit for this call. */
export function atExit(k: Kind, c: Call): boolean {
  return typeof k.exit === 'function' ? k.exit(c) : k.exit === true;
}

// ---- results ----

/** poll's and select's account of what happened: `([{fd=0, revents=POLLIN}], left {…})`, `(Timeout)`. */
function pollResult(c: Call): string {
  if (c.ret === 0n) return '0 (Timeout)';
  const parts = [S.pollfds(c.p, c.args[0], u32(c.args[1]), true)];
  if (c.args[2] !== 0n) parts.push(`left ${S.timespec(c.p, c.args[2])}`);
  return `${c.ret} (${parts.join(', ')})`;
}
function selectResult(c: Call): string {
  if (c.ret === 0n) return '0 (Timeout)';
  const parts: string[] = [];
  ['in', 'out', 'except'].forEach((what, k) => {
    const set = c.args[1 + k];
    if (set === 0n) return;
    const fds = S.fdset(c.p, set, int(c.args[0]));
    if (fds !== '[]') parts.push(`${what} ${fds}`);
  });
  if (c.args[4] !== 0n) parts.push(`left ${S.timespec(c.p, c.args[4])}`);
  return `${c.ret} (${parts.join(', ')})`;
}
/** How a successful result prints, for the calls where it is not a decimal number. */
export const RESULTS: Readonly<Record<string, (c: Call) => string>> = {
  mmap: (c) => hex(BigInt.asUintN(64, c.ret!)),
  mremap: (c) => hex(BigInt.asUintN(64, c.ret!)),
  brk: (c) => hex(BigInt.asUintN(64, c.ret!)),
  umask: (c) => oct(Number(c.ret)),
  fcntl: cmd.fcntlResult,
  prctl: cmd.prctlResult,
  ppoll: pollResult,
  pselect6: selectResult,
};
