// strace-style lines for --strace: `openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3`,
// `= -1 ENOENT (No such file or directory)`.
import { errnoName, errnoText } from './abi/errno.js';
import { AT_FDCWD, O } from './abi/fcntl.js';
import { syscallName } from './abi/syscalls.js';
import type { Process } from './proc/process.js';

type Arg = 'fd' | 'dirfd' | 'str' | 'buf' | 'int' | 'hex' | 'oflags' | 'oct' | 'ptr';

const SPEC: Record<string, Arg[]> = {
  openat: ['dirfd', 'str', 'oflags', 'oct'],
  close: ['fd'],
  read: ['fd', 'ptr', 'int'],
  write: ['fd', 'buf', 'int'],
  readv: ['fd', 'ptr', 'int'],
  writev: ['fd', 'ptr', 'int'],
  pread64: ['fd', 'ptr', 'int', 'int'],
  pwrite64: ['fd', 'buf', 'int', 'int'],
  lseek: ['fd', 'int', 'int'],
  fstat: ['fd', 'ptr'],
  newfstatat: ['dirfd', 'str', 'ptr', 'hex'],
  statx: ['dirfd', 'str', 'hex', 'hex', 'ptr'],
  getdents64: ['fd', 'ptr', 'int'],
  readlinkat: ['dirfd', 'str', 'ptr', 'int'],
  faccessat: ['dirfd', 'str', 'oct'],
  faccessat2: ['dirfd', 'str', 'oct', 'hex'],
  chdir: ['str'],
  getcwd: ['ptr', 'int'],
  dup: ['fd'],
  dup3: ['fd', 'fd', 'oflags'],
  fcntl: ['fd', 'int', 'hex'],
  ioctl: ['fd', 'hex', 'ptr'],
  brk: ['ptr'],
  mmap: ['ptr', 'int', 'hex', 'hex', 'fd', 'hex'],
  munmap: ['ptr', 'int'],
  mprotect: ['ptr', 'int', 'hex'],
  mremap: ['ptr', 'int', 'int', 'hex'],
  madvise: ['ptr', 'int', 'int'],
  exit: ['int'],
  exit_group: ['int'],
  set_tid_address: ['ptr'],
  clock_gettime: ['int', 'ptr'],
  nanosleep: ['ptr', 'ptr'],
  rt_sigaction: ['int', 'ptr', 'ptr', 'int'],
  rt_sigprocmask: ['int', 'ptr', 'ptr', 'int'],
  prlimit64: ['int', 'int', 'ptr', 'ptr'],
  getrandom: ['ptr', 'int', 'hex'],
  uname: ['ptr'],
  mkdirat: ['dirfd', 'str', 'oct'],
  unlinkat: ['dirfd', 'str', 'hex'],
  symlinkat: ['str', 'dirfd', 'str'],
  linkat: ['dirfd', 'str', 'dirfd', 'str', 'hex'],
  renameat: ['dirfd', 'str', 'dirfd', 'str'],
  renameat2: ['dirfd', 'str', 'dirfd', 'str', 'hex'],
  fchmodat: ['dirfd', 'str', 'oct'],
  fchmod: ['fd', 'oct'],
  ftruncate: ['fd', 'int'],
  truncate: ['str', 'int'],
  fsync: ['fd'],
  fchdir: ['fd'],
  umask: ['oct'],
  clock_nanosleep: ['int', 'hex', 'ptr', 'ptr'],
  gettimeofday: ['ptr', 'ptr'],
  sysinfo: ['ptr'],
  set_robust_list: ['ptr', 'int'],
  sigaltstack: ['ptr', 'ptr'],
  getpid: [], gettid: [], getppid: [], getuid: [], geteuid: [], getgid: [], getegid: [],
};

function quote(s: string, max = 32): string {
  const cut = s.length > max;
  const body = [...s.slice(0, max)]
    .map((ch) => {
      const c = ch.charCodeAt(0);
      if (ch === '"' || ch === '\\') return '\\' + ch;
      if (ch === '\n') return '\\n';
      if (ch === '\t') return '\\t';
      if (c < 32 || c === 127) return '\\' + c.toString(8);
      return ch;
    })
    .join('');
  return `"${body}"${cut ? '...' : ''}`;
}

function oflags(v: number): string {
  const names: string[] = [['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'][v & 3]];
  for (const [k, bit] of Object.entries(O)) {
    if (k === 'RDONLY' || k === 'WRONLY' || k === 'RDWR' || k === 'ACCMODE') continue;
    if (v & bit) names.push('O_' + k);
  }
  return names.join('|');
}

function fmt(p: Process, kind: Arg, v: bigint, next: bigint | undefined): string {
  const i = Number(BigInt.asIntN(64, v));
  switch (kind) {
    case 'fd':
      return String(Number(BigInt.asIntN(32, v)));
    case 'dirfd':
      return Number(BigInt.asIntN(32, v)) === AT_FDCWD ? 'AT_FDCWD' : String(Number(BigInt.asIntN(32, v)));
    case 'str': {
      const s = p.readString(v);
      return s === null ? `0x${v.toString(16)}` : quote(s, 256);
    }
    case 'buf': {
      const n = Math.min(Number(next ?? 0n), 32);
      const b = p.read(v, n);
      if (!b) return `0x${v.toString(16)}`;
      return quote(new TextDecoder().decode(b), 32) + (Number(next ?? 0n) > 32 ? '...' : '');
    }
    case 'int':
      return String(i);
    case 'oflags':
      return oflags(Number(v & 0xffffffffn));
    case 'oct':
      return '0' + (v & 0o7777n).toString(8);
    case 'ptr':
      return v === 0n ? 'NULL' : `0x${v.toString(16)}`;
    default:
      return `0x${v.toString(16)}`;
  }
}

export function straceCall(p: Process, nr: number, args: readonly bigint[]): string {
  const name = syscallName(nr);
  const spec = SPEC[name];
  const shown = spec ? spec.map((k, i) => fmt(p, k, args[i], args[i + 1])) : args.slice(0, 6).map((a) => `0x${a.toString(16)}`);
  return `${name}(${shown.join(', ')})`;
}

export function straceResult(ret: bigint | number, nr: number): string {
  const v = typeof ret === 'bigint' ? ret : BigInt(ret);
  if (v < 0n && v >= -4095n) {
    const e = Number(-v);
    const unimpl = e === 38 ? ' (Function not implemented)' : ` (${errnoText(e)})`;
    return ` = -1 ${errnoName(e)}${unimpl}`;
  }
  const name = syscallName(nr);
  const hexy = name === 'mmap' || name === 'brk' || name === 'mremap';
  return ` = ${hexy ? '0x' + v.toString(16) : v.toString()}`;
}
