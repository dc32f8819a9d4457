// strace-style lines for --strace: `openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3`,
// `= -1 ENOENT (No such file or directory)`.
import { ERESTARTNOHAND, ERESTARTSYS, errnoName, errnoText } from './abi/errno.js';
import { signalName } from './signal/signals.js';
import { AT_FDCWD, O } from './abi/fcntl.js';
import { syscallName } from './abi/syscalls.js';
import type { Process } from './proc/process.js';

type Arg = 'fd' | 'dirfd' | 'str' | 'buf' | 'int' | 'i32' | 'hex' | 'oflags' | 'oct' | 'ptr' | 'sig' | 'argv' | 'clone';

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
  exit: ['i32'],
  exit_group: ['i32'],
  set_tid_address: ['ptr'],
  clock_gettime: ['int', 'ptr'],
  nanosleep: ['ptr', 'ptr'],
  rt_sigprocmask: ['int', 'ptr', 'ptr', 'int'],
  prlimit64: ['i32', 'i32', 'ptr', 'ptr'],
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
  reboot: ['hex', 'hex', 'hex', 'ptr'],
  sethostname: ['buf', 'int'],
  set_robust_list: ['ptr', 'int'],
  sigaltstack: ['ptr', 'ptr'],
  getpid: [], gettid: [], getppid: [], getuid: [], geteuid: [], getgid: [], getegid: [],
  clone: ['clone', 'ptr', 'ptr', 'ptr', 'ptr'],
  execve: ['str', 'argv', 'ptr'],
  execveat: ['dirfd', 'str', 'argv', 'ptr', 'hex'],
  wait4: ['i32', 'ptr', 'hex', 'ptr'],
  waitid: ['i32', 'i32', 'ptr', 'hex', 'ptr'],
  kill: ['i32', 'sig'],
  tkill: ['i32', 'sig'],
  tgkill: ['i32', 'i32', 'sig'],
  rt_sigaction: ['sig', 'ptr', 'ptr', 'int'],
  rt_sigsuspend: ['ptr', 'int'],
  rt_sigtimedwait: ['ptr', 'ptr', 'ptr', 'int'],
  rt_sigpending: ['ptr', 'int'],
  rt_sigreturn: [],
  pipe2: ['ptr', 'hex'],
  ppoll: ['ptr', 'int', 'ptr', 'ptr', 'int'],
  pselect6: ['int', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'],
  futex: ['ptr', 'int', 'int', 'ptr'],
  setpgid: ['i32', 'i32'],
  getpgid: ['i32'],
  getsid: ['i32'],
  setsid: [],
  utimensat: ['dirfd', 'str', 'ptr', 'hex'],
  setitimer: ['int', 'ptr', 'ptr'],
};

const CLONE_FLAGS: [number, string][] = [
  [0x100, 'CLONE_VM'], [0x200, 'CLONE_FS'], [0x400, 'CLONE_FILES'], [0x800, 'CLONE_SIGHAND'], [0x4000, 'CLONE_VFORK'],
  [0x8000, 'CLONE_PARENT'], [0x10000, 'CLONE_THREAD'], [0x40000, 'CLONE_SYSVSEM'], [0x80000, 'CLONE_SETTLS'],
  [0x100000, 'CLONE_PARENT_SETTID'], [0x200000, 'CLONE_CHILD_CLEARTID'], [0x400000, 'CLONE_DETACHED'],
  [0x1000000, 'CLONE_CHILD_SETTID'],
];

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
    case 'i32': // C int and pid_t arguments: only the low 32 bits count
      return String(Number(BigInt.asIntN(32, v)));
    case 'oflags':
      return oflags(Number(v & 0xffffffffn));
    case 'oct':
      return '0' + (v & 0o7777n).toString(8);
    case 'ptr':
      return v === 0n ? 'NULL' : `0x${v.toString(16)}`;
    case 'sig':
      return i > 0 && i <= 64 ? signalName(i) : String(i);
    case 'argv': {
      const items: string[] = [];
      for (let k = 0; k < 16; k++) {
        const ptr = p.readU64(v + BigInt(8 * k));
        if (ptr === null) return `0x${v.toString(16)}`;
        if (ptr === 0n) return `[${items.join(', ')}]`;
        items.push(quote(p.readString(ptr) ?? '?', 64));
      }
      return `[${items.join(', ')}, ...]`;
    }
    case 'clone': {
      const f = Number(v & 0xffffffffn);
      const names = CLONE_FLAGS.filter(([bit]) => f & bit).map(([, n]) => n);
      if (f & 0xff) names.push(signalName(f & 0xff));
      return `flags=${names.join('|') || '0'}`;
    }
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
  if (v === BigInt(ERESTARTSYS)) return ' = ? ERESTARTSYS (To be restarted if SA_RESTART is set)';
  if (v === BigInt(ERESTARTNOHAND)) return ' = ? ERESTARTNOHAND (To be restarted if no handler)';
  if (v < 0n && v >= -4095n) {
    const e = Number(-v);
    const unimpl = e === 38 ? ' (Function not implemented)' : ` (${errnoText(e)})`;
    return ` = -1 ${errnoName(e)}${unimpl}`;
  }
  const name = syscallName(nr);
  const hexy = name === 'mmap' || name === 'brk' || name === 'mremap';
  return ` = ${hexy ? '0x' + v.toString(16) : v.toString()}`;
}
