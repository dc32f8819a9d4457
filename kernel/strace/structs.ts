// Guest structs as strace summarises them: `{st_mode=S_IFREG|0644, st_size=123, ...}`, `[{fd=0, events=POLLIN}]`.
// Each reader takes the process and the struct's address and gives the text, or the address itself when the memory
// cannot be read (as strace does). Nothing here throws or changes the guest.
import { AT_STATX, AT_STATX_SYNC_TYPE, O, S_IFBLK, S_IFCHR, S_IFMT, SEEK, STATX, STATX_ATTR, UTIME } from '../abi/fcntl.js';
import { POLL } from '../abi/poll.js';
import { FS_MAGIC, ST } from '../abi/statfs.js';
import { BAUD, C, CSIZE, I, L, OF, OF_DELAYS } from '../abi/termios.js';
import { RLIM_INFINITY } from '../abi/process.js';
import { F_RDLCK, F_UNLCK, F_WRLCK } from '../fs/locks.js';
import { SS_AUTODISARM, SS_DISABLE, SS_ONSTACK } from '../signal/frame.js';
import { BUS, CLD, ILL, SA, SEGV, SI, SIG, TRAP } from '../signal/signals.js';
import type { Process } from '../proc/process.js';
import { MAX_STRLEN, addr, flags, hex, mode, quote, renamed, sigset, signal, xval } from './format.js';

/** The guest bytes at `a`, or null when any of them cannot be read. */
export function bytes(p: Process, a: bigint, n: number): Uint8Array | null {
  if (a === 0n || n < 0) return null;
  try {
    return p.read(a, n);
  } catch {
    return null;
  }
}

function view(p: Process, a: bigint, n: number): DataView | null {
  const b = bytes(p, a, n);
  return b ? new DataView(b.buffer, b.byteOffset, n) : null;
}

const i64 = (v: DataView, off: number) => v.getBigInt64(off, true);
const u64 = (v: DataView, off: number) => v.getBigUint64(off, true);
const u32 = (v: DataView, off: number) => v.getUint32(off, true);
const i32 = (v: DataView, off: number) => v.getInt32(off, true);

/** A struct at `a` of `size` bytes as `show` prints it, or the address when it cannot be read. */
export function struct(p: Process, a: bigint, size: number, show: (v: DataView) => string): string {
  const v = view(p, a, size);
  return v ? show(v) : addr(a);
}

// ---- strings ----

/** A NUL-terminated string shown up to `max` bytes (`"…"...` when longer), or the address. */
export function cstring(p: Process, a: bigint, max = MAX_STRLEN): string {
  let s: Uint8Array | null = null;
  try {
    s = p.readCString(a, max + 1);
  } catch {
    s = null;
  }
  if (s && s.length <= max) return quote(s);
  const head = bytes(p, a, max);
  return head ? quote(head, true) : addr(a);
}

/** A path: shown whole (strace does not cut file names), or the address. */
export function path(p: Process, a: bigint): string {
  return cstring(p, a, 4096);
}

/** `n` bytes of a buffer, the first 32 shown; `hexAll` prints every byte as \xNN (getrandom). */
export function buffer(p: Process, a: bigint, n: number, hexAll = false): string {
  const b = bytes(p, a, Math.min(Math.max(n, 0), MAX_STRLEN));
  return b ? quote(b, n > MAX_STRLEN, hexAll) : addr(a);
}

/** argv: `["ls", "-l"]`, at most 32 strings; envp is only counted (the address, and a comment: 12 vars). */
export function argv(p: Process, a: bigint): string {
  const items: string[] = [];
  for (let i = 0; ; i++) {
    const v = view(p, a + BigInt(8 * i), 8);
    if (!v) return i === 0 ? addr(a) : `[${items.join(', ')}, ...]`;
    const s = u64(v, 0);
    if (s === 0n) return `[${items.join(', ')}]`;
    if (i >= MAX_STRLEN) return `[${items.join(', ')}, ...]`;
    items.push(cstring(p, s));
  }
}
export function envp(p: Process, a: bigint): string {
  if (a === 0n) return 'NULL';
  let n = 0;
  for (; n < 65536; n++) {
    const v = view(p, a + BigInt(8 * n), 8);
    if (!v) return addr(a);
    if (u64(v, 0) === 0n) break;
  }
  return `${addr(a)} /* ${n} var${n === 1 ? '' : 's'} */`;
}

// ---- numbers behind pointers ----

/** An int behind a pointer: `[42]`. */
export function intAt(p: Process, a: bigint): string {
  return struct(p, a, 4, (v) => `[${i32(v, 0)}]`);
}

/** An fd pair (pipe2): `[3, 4]`. */
export function fdPair(p: Process, a: bigint): string {
  return struct(p, a, 8, (v) => `[${i32(v, 0)}, ${i32(v, 4)}]`);
}

// ---- time ----

export function timespec(p: Process, a: bigint): string {
  return struct(p, a, 16, (v) => `{tv_sec=${i64(v, 0)}, tv_nsec=${i64(v, 8)}}`);
}
export function timeval(p: Process, a: bigint): string {
  return struct(p, a, 16, (v) => `{tv_sec=${i64(v, 0)}, tv_usec=${i64(v, 8)}}`);
}
export function timezone(p: Process, a: bigint): string {
  return struct(p, a, 8, (v) => `{tz_minuteswest=${i32(v, 0)}, tz_dsttime=${i32(v, 4)}}`);
}
export function itimerval(p: Process, a: bigint): string {
  return struct(p, a, 32, (v) =>
    `{it_interval={tv_sec=${i64(v, 0)}, tv_usec=${i64(v, 8)}}, it_value={tv_sec=${i64(v, 16)}, tv_usec=${i64(v, 24)}}}`);
}

/** utimensat's two times: `[UTIME_NOW, UTIME_OMIT]`, or each time with its date in a comment. */
export function utimes(p: Process, a: bigint): string {
  return struct(p, a, 32, (v) => {
    const one = (off: number) => {
      const nsec = i64(v, off + 8);
      if (nsec === BigInt(UTIME.NOW)) return 'UTIME_NOW';
      if (nsec === BigInt(UTIME.OMIT)) return 'UTIME_OMIT';
      return `{tv_sec=${i64(v, off)}, tv_nsec=${nsec}} /* ${isoTime(i64(v, off), nsec)} */`;
    };
    return `[${one(0)}, ${one(16)}]`;
  });
}

/** strace's comment on a timestamp: local time as 2024-05-01T12:00:00.000000123+0000. */
function isoTime(sec: bigint, nsec: bigint): string {
  const d = new Date(Number(sec) * 1000);
  const off = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + off * 60000);
  const two = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const zone = `${off < 0 ? '-' : '+'}${two(Math.trunc(off / 60))}${two(off % 60)}`;
  const frac = nsec > 0n ? '.' + nsec.toString().padStart(9, '0') : '';
  return local.toISOString().slice(0, 19) + frac + zone;
}

/** struct rusage, abbreviated to the two times. */
export function rusage(p: Process, a: bigint): string {
  return struct(p, a, 144, (v) =>
    `{ru_utime={tv_sec=${i64(v, 0)}, tv_usec=${i64(v, 8)}}, ru_stime={tv_sec=${i64(v, 16)}, tv_usec=${i64(v, 24)}}, ...}`);
}
export function tms(p: Process, a: bigint): string {
  return struct(p, a, 32, (v) =>
    `{tms_utime=${i64(v, 0)}, tms_stime=${i64(v, 8)}, tms_cutime=${i64(v, 16)}, tms_cstime=${i64(v, 24)}}`);
}

// ---- files ----

/** glibc's major()/minor() of a 64-bit dev_t, as strace's makedev(…) shows them. */
export function makedev(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `makedev(${hex(major)}, ${hex(minor)})`;
}

const isDevice = (m: number) => (m & S_IFMT) === S_IFCHR || (m & S_IFMT) === S_IFBLK;

/** struct stat, abbreviated: `{st_mode=S_IFREG|0644, st_size=123, ...}` (st_rdev for devices). */
export function stat(p: Process, a: bigint): string {
  return struct(p, a, 128, (v) => {
    const m = u32(v, 16);
    const size = isDevice(m) ? `st_rdev=${makedev(u64(v, 32))}` : `st_size=${i64(v, 48)}`;
    return `{st_mode=${mode(m)}, ${size}, ...}`;
  });
}

/** struct statx, abbreviated: mask, attributes, mode, size. */
export function statx(p: Process, a: bigint): string {
  return struct(p, a, 256, (v) => {
    const mask = flags(u32(v, 0), STATX, 'STATX_', 'STATX_???');
    const attrs = flags(Number(u64(v, 8) & 0xffffffffn), STATX_ATTR, 'STATX_ATTR_', 'STATX_ATTR_???');
    const m = mode(v.getUint16(28, true));
    return `{stx_mask=${mask}, stx_attributes=${attrs}, stx_mode=${m}, stx_size=${u64(v, 40)}, ...}`;
  });
}

/** statx's flags: the sync type (AT_STATX_SYNC_AS_STAT is 0), then the AT_* flags. */
export function statxFlags(f: number, at: Readonly<Record<string, number>>): string {
  const sync = xval(f & AT_STATX_SYNC_TYPE, AT_STATX, 'AT_STATX_', 'AT_STATX_???');
  const rest = f & ~AT_STATX_SYNC_TYPE;
  return rest ? `${sync}|${flags(rest, at, 'AT_')}` : sync;
}

/** struct statfs in full, as strace prints it. */
export function statfs(p: Process, a: bigint): string {
  return struct(p, a, 120, (v) => {
    const n = (off: number) => u64(v, off).toString();
    const type = xval(Number(u64(v, 0)), FS_MAGIC, '', undefined);
    return `{f_type=${type}, f_bsize=${n(8)}, f_blocks=${n(16)}, f_bfree=${n(24)}, f_bavail=${n(32)}, f_files=${n(40)}, ` +
      `f_ffree=${n(48)}, f_fsid={val=[${hex(u32(v, 56))}, ${hex(u32(v, 60))}]}, f_namelen=${n(64)}, f_frsize=${n(72)}, ` +
      `f_flags=${flags(Number(u64(v, 80)), ST, 'ST_')}}`;
  });
}

/** getdents64's buffer: only how many entries the call returned (strace's abbreviation). */
export function dirents(p: Process, a: bigint, len: number): string {
  const b = bytes(p, a, len);
  if (!b) return addr(a);
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  let n = 0;
  for (let off = 0; off + 19 <= len; n++) {
    const reclen = v.getUint16(off + 16, true);
    if (reclen === 0) break;
    off += reclen;
  }
  return `${addr(a)} /* ${n} entries */`;
}

/** struct flock: `{l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=0}` (l_pid too for F_GETLK). */
export function flock(p: Process, a: bigint, withPid: boolean): string {
  return struct(p, a, 32, (v) => {
    const type = xval(v.getInt16(0, true), { F_RDLCK, F_WRLCK, F_UNLCK }, '', 'F_???');
    const whence = xval(v.getInt16(2, true), SEEK, 'SEEK_', 'SEEK_???');
    const pid = withPid ? `, l_pid=${i32(v, 24)}` : '';
    return `{l_type=${type}, l_whence=${whence}, l_start=${i64(v, 8)}, l_len=${i64(v, 16)}${pid}}`;
  });
}

/** An iovec array: `[{iov_base="abc", iov_len=3}]`, showing at most `data` bytes in all (what the call moved). */
export function iovecs(p: Process, a: bigint, count: number, data: number): string {
  if (count <= 0) return count === 0 ? '[]' : addr(a);
  const items: string[] = [];
  let left = data;
  for (let i = 0; i < count; i++) {
    if (i >= MAX_STRLEN) {
      items.push('...');
      break;
    }
    const v = view(p, a + BigInt(16 * i), 16);
    if (!v) return i === 0 ? addr(a) : `[${items.join(', ')}, ...]`;
    const base = u64(v, 0);
    const len = Number(u64(v, 8));
    const shown = Math.max(0, Math.min(len, left));
    left -= shown;
    items.push(`{iov_base=${shown > 0 || len === 0 ? buffer(p, base, shown) : addr(base)}, iov_len=${len}}`);
  }
  return `[${items.join(', ')}]`;
}

// ---- signals ----

/** A sigset_t behind a pointer, when `size` is the kernel's (8 bytes); the address otherwise. */
export function sigsetAt(p: Process, a: bigint, size: number): string {
  if (a === 0n) return 'NULL';
  if (size !== 8) return addr(a);
  return struct(p, a, 8, (v) => sigset(u64(v, 0)));
}

/** The kernel's struct sigaction: handler, mask, flags, and the restorer when SA_RESTORER says there is one. */
export function sigaction(p: Process, a: bigint): string {
  return struct(p, a, 32, (v) => {
    const h = u64(v, 0);
    const handler = h === 0n ? 'SIG_DFL' : h === 1n ? 'SIG_IGN' : h === 0xffff_ffff_ffff_ffffn ? 'SIG_ERR' : addr(h);
    const f = Number(u64(v, 8) & 0xffffffffn);
    const restorer = f & SA.RESTORER ? `, sa_restorer=${addr(u64(v, 16))}` : '';
    return `{sa_handler=${handler}, sa_mask=${sigset(u64(v, 24))}, sa_flags=${flags(f, SA_NAMES, '', 'SA_???')}${restorer}}`;
  });
}
/** SA_* in the order strace prints them. */
const SA_NAMES = renamed({
  RESTORER: SA.RESTORER, ONSTACK: SA.ONSTACK, RESTART: SA.RESTART, INTERRUPT: SA.INTERRUPT, NODEFER: SA.NODEFER,
  RESETHAND: SA.RESETHAND, SIGINFO: SA.SIGINFO, NOCLDSTOP: SA.NOCLDSTOP, NOCLDWAIT: SA.NOCLDWAIT,
}, 'SA_');

/** stack_t: `{ss_sp=0x…, ss_flags=0, ss_size=8192}`. */
export function stack(p: Process, a: bigint): string {
  return struct(p, a, 24, (v) => {
    const f = flags(i32(v, 8), { SS_ONSTACK, SS_DISABLE, SS_AUTODISARM }, '', 'SS_???');
    return `{ss_sp=${addr(u64(v, 0))}, ss_flags=${f}, ss_size=${u64(v, 16)}}`;
  });
}

/** A wait status: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`, `[{WIFSIGNALED(s) && WTERMSIG(s) == SIGINT}]`. */
export function waitStatus(p: Process, a: bigint): string {
  return struct(p, a, 4, (v) => {
    const s = i32(v, 0);
    const sig = s & 0x7f;
    if ((s & 0xff) === 0x7f) return `[{WIFSTOPPED(s) && WSTOPSIG(s) == ${signal((s >> 8) & 0xff)}}]`;
    if (sig !== 0 && sig !== 0x7f) {
      return `[{WIFSIGNALED(s) && WTERMSIG(s) == ${signal(sig)}${s & 0x80 ? ' && WCOREDUMP(s)' : ''}}]`;
    }
    if (sig === 0) return `[{WIFEXITED(s) && WEXITSTATUS(s) == ${(s >> 8) & 0xff}}]`;
    return s === 0xffff ? '[{WIFCONTINUED(s)}]' : `[${hex(s >>> 0)}]`;
  });
}

const SI_CODES = renamed(SI, 'SI_');
/** The si_code names of the signals whose codes are their own (positive ones; negative are SI_*). */
const CODES_OF: Record<number, Readonly<Record<string, number>>> = {
  [SIG.SIGCHLD]: renamed(CLD, 'CLD_'), [SIG.SIGSEGV]: renamed(SEGV, 'SEGV_'), [SIG.SIGBUS]: renamed(BUS, 'BUS_'),
  [SIG.SIGILL]: renamed(ILL, 'ILL_'), [SIG.SIGTRAP]: renamed(TRAP, 'TRAP_'),
};
const FAULTS: number[] = [SIG.SIGSEGV, SIG.SIGBUS, SIG.SIGILL, SIG.SIGTRAP, SIG.SIGFPE];

/** Clock ticks, with the seconds they make in a comment when there are any (7 ticks: 0.07 s). */
function ticks(t: bigint): string {
  return t === 0n ? '0' : `${t} /* ${t / 100n}.${(t % 100n).toString().padStart(2, '0')} s */`;
}

/** siginfo_t as strace prints it: `{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=…, …}`; `{}` when empty. */
export function siginfoText(v: DataView): string {
  const signo = i32(v, 0);
  if (signo === 0) return '{}';
  const code = i32(v, 8);
  const own = code > 0 && code < 0x80 ? CODES_OF[signo] : undefined;
  const head = `{si_signo=${signal(signo)}, si_code=${own ? xval(code, own) : xval(code, SI_CODES, '', 'SI_???')}`;
  if (own && FAULTS.includes(signo)) return `${head}, si_addr=${addr(u64(v, 16))}}`;
  if (code === SI.KERNEL) return `${head}}`;
  const sender = `${head}, si_pid=${i32(v, 16)}, si_uid=${u32(v, 20)}`;
  if (signo !== SIG.SIGCHLD || !own) return sender + '}';
  const status = code === CLD.EXITED ? String(i32(v, 24)) : signal(i32(v, 24));
  return `${sender}, si_status=${status}, si_utime=${ticks(i64(v, 32))}, si_stime=${ticks(i64(v, 40))}}`;
}

/** siginfo_t as waitid fills it. */
export function siginfo(p: Process, a: bigint): string {
  return struct(p, a, 128, siginfoText);
}

// ---- processes and the system ----

export function utsname(p: Process, a: bigint): string {
  return struct(p, a, 65 * 2, (v) => {
    const field = (i: number) => {
      const b = new Uint8Array(v.buffer, v.byteOffset + 65 * i, 65);
      const end = b.indexOf(0);
      return quote(b.subarray(0, end < 0 ? 65 : end));
    };
    return `{sysname=${field(0)}, nodename=${field(1)}, ...}`;
  });
}

/** A limit as strace writes it: RLIM64_INFINITY, 8192*1024, 1024. */
function rlim(v: bigint): string {
  if (v === RLIM_INFINITY) return 'RLIM64_INFINITY';
  return v > 1024n && v % 1024n === 0n ? `${v / 1024n}*1024` : v.toString();
}
export function rlimit(p: Process, a: bigint): string {
  return struct(p, a, 16, (v) => `{rlim_cur=${rlim(u64(v, 0))}, rlim_max=${rlim(u64(v, 8))}}`);
}

export function sysinfo(p: Process, a: bigint): string {
  return struct(p, a, 112, (v) => {
    const n = (off: number) => u64(v, off).toString();
    return `{uptime=${i64(v, 0)}, loads=[${n(8)}, ${n(16)}, ${n(24)}], totalram=${n(32)}, freeram=${n(40)}, ` +
      `sharedram=${n(48)}, bufferram=${n(56)}, totalswap=${n(64)}, freeswap=${n(72)}, procs=${v.getUint16(80, true)}, ` +
      `totalhigh=${n(88)}, freehigh=${n(96)}, mem_unit=${u32(v, 104)}}`;
  });
}

/** A CPU mask of `len` bytes: `[0 1 2 3]`. */
export function cpuset(p: Process, a: bigint, len: number): string {
  const b = bytes(p, a, Math.min(len, 128));
  if (!b) return addr(a);
  const cpus: number[] = [];
  b.forEach((byte, i) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) cpus.push(i * 8 + bit);
  });
  return `[${cpus.join(' ')}]`;
}

// ---- poll and select ----

const POLL_NAMES = renamed(POLL, 'POLL');
const pollEvents = (e: number) => flags(e, POLL_NAMES, '', 'POLL???');

/** ppoll's fds with their events (entry), or only those with revents (exit: `[{fd=0, revents=POLLIN}]`). */
export function pollfds(p: Process, a: bigint, n: number, revents: boolean): string {
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    if (!revents && i >= MAX_STRLEN) {
      items.push('...');
      break;
    }
    const v = view(p, a + BigInt(8 * i), 8);
    if (!v) return addr(a);
    const fd = i32(v, 0);
    if (!revents) items.push(`{fd=${fd}, events=${pollEvents(v.getUint16(4, true))}}`);
    else if (v.getUint16(6, true)) items.push(`{fd=${fd}, revents=${pollEvents(v.getUint16(6, true))}}`);
  }
  return `[${items.join(', ')}]`;
}

/** An fd_set of `nfds` bits: `[0 3]`. */
export function fdset(p: Process, a: bigint, nfds: number): string {
  if (a === 0n) return 'NULL';
  const b = bytes(p, a, Math.ceil(Math.min(Math.max(nfds, 0), 1024) / 64) * 8);
  if (!b) return addr(a);
  const fds: number[] = [];
  for (let fd = 0; fd < nfds && fd < 1024; fd++) if (b[fd >> 3] & (1 << (fd & 7))) fds.push(fd);
  return `[${fds.join(' ')}]`;
}

// ---- the terminal ----

const OFLAGS = Object.fromEntries(Object.entries(OF).filter(([k]) => k !== 'TABDLY' && k !== 'XTABS'));
const CFLAGS = { CSTOPB: C.CSTOPB, CREAD: C.CREAD, PARENB: C.PARENB, PARODD: C.PARODD, HUPCL: C.HUPCL, CLOCAL: C.CLOCAL,
  CMSPAR: C.CMSPAR, CRTSCTS: C.CRTSCTS };

/** struct termios, abbreviated to its four flag words as strace 6 prints them. */
export function termios(p: Process, a: bigint): string {
  return struct(p, a, 36, (v) => {
    const [iflag, oflag, cflag, lflag] = [0, 4, 8, 12].map((off) => u32(v, off));
    const delays = OF_DELAYS.map(([name, mask]) => name + Math.round((oflag & mask) / (mask & -mask)));
    const oRest = flags(oflag & ~OF_DELAYS.reduce((m, [, d]) => m | d, 0), OFLAGS);
    const o = [...delays, ...(oRest === '0' ? [] : [oRest])].join('|');
    const cRest = flags(cflag & ~(C.CBAUD | C.CIBAUD | C.CSIZE), CFLAGS);
    const c = [xval(cflag & C.CBAUD, BAUD, '', 'B???'), xval(cflag & C.CSIZE, CSIZE), ...(cRest === '0' ? [] : [cRest])];
    const empty = (s: string) => (s === '0' ? '' : s); // strace prints an empty flag word as nothing
    const [iflags, lflags] = [empty(flags(iflag, I)), empty(flags(lflag, L))];
    return `{c_iflag=${iflags}, c_oflag=${o}, c_cflag=${c.join('|')}, c_lflag=${lflags}, ...}`;
  });
}

export function winsize(p: Process, a: bigint): string {
  return struct(p, a, 8, (v) => {
    const [row, col, x, y] = [0, 2, 4, 6].map((off) => v.getUint16(off, true));
    return `{ws_row=${row}, ws_col=${col}, ws_xpixel=${x}, ws_ypixel=${y}}`;
  });
}

/** Open flags: the access mode, then the rest (`O_RDONLY|O_CLOEXEC`). */
export function openFlags(f: number): string {
  const access = xval(f & O.ACCMODE, { O_RDONLY: O.RDONLY, O_WRONLY: O.WRONLY, O_RDWR: O.RDWR, O_ACCMODE: O.ACCMODE });
  const rest = f & ~O.ACCMODE;
  return rest ? `${access}|${flags(rest, OPEN_FLAGS, 'O_')}` : access;
}
/** O_* without the access mode, in strace's order. */
const ACCESS_MODES = ['RDONLY', 'WRONLY', 'RDWR', 'ACCMODE'];
export const OPEN_FLAGS = Object.fromEntries(Object.entries(O).filter(([k]) => !ACCESS_MODES.includes(k)));
