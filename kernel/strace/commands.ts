// The calls whose arguments mean what a command says: ioctl (by request), fcntl (by command), futex (by
// operation), prctl (by option), clone (by flags). Each decoder prints the arguments after the command as strace
// does, which may be none.
import { F, FD_CLOEXEC } from '../abi/fcntl.js';
import { FUTEX, FUTEX_BITSET_MATCH_ANY, FUTEX_CLOCK_REALTIME, FUTEX_CMD_MASK, FUTEX_PRIVATE_FLAG } from '../abi/futex.js';
import { CLONE, CSIGNAL, PR } from '../abi/process.js';
import { TCFLSH_ARG, TCXONC_ARG, TIOC } from '../abi/termios.js';
import { F_RDLCK, F_UNLCK, F_WRLCK } from '../fs/locks.js';
import type { Process } from '../proc/process.js';
import { int, ok, u32, type Call } from './call.js';
import { addr, flags, hex, renamed, signal, xval } from './format.js';
import * as S from './structs.js';

// ---- ioctl ----

type IoctlArg = 'termios' | 'termiosOut' | 'winsize' | 'winsizeOut' | 'int' | 'intOut' | 'none' | 'd' | 'tcxonc' | 'tcflsh';

/** How strace shows the argument of each terminal ioctl (its term_ioctl); others print in hex. */
const IOCTL_ARG: Record<number, IoctlArg> = {
  [TIOC.TCGETS]: 'termiosOut', [TIOC.TCSETS]: 'termios', [TIOC.TCSETSW]: 'termios', [TIOC.TCSETSF]: 'termios',
  [TIOC.TIOCGWINSZ]: 'winsizeOut', [TIOC.TIOCSWINSZ]: 'winsize',
  [TIOC.TIOCGPGRP]: 'intOut', [TIOC.TIOCGSID]: 'intOut', [TIOC.TIOCGETD]: 'intOut', [TIOC.FIONREAD]: 'intOut',
  [TIOC.TIOCOUTQ]: 'intOut', [TIOC.TIOCGPTN]: 'intOut',
  [TIOC.TIOCSPGRP]: 'int', [TIOC.TIOCSETD]: 'int', [TIOC.FIONBIO]: 'int', [TIOC.FIOASYNC]: 'int', [TIOC.TIOCSPTLCK]: 'int',
  [TIOC.TCSBRK]: 'd', [TIOC.TCSBRKP]: 'd', [TIOC.TIOCSCTTY]: 'd', [TIOC.TCXONC]: 'tcxonc', [TIOC.TCFLSH]: 'tcflsh',
  [TIOC.TIOCNOTTY]: 'none', [TIOC.TIOCEXCL]: 'none', [TIOC.TIOCNXCL]: 'none', [TIOC.FIOCLEX]: 'none',
  [TIOC.FIONCLEX]: 'none', [TIOC.TIOCSBRK]: 'none', [TIOC.TIOCCBRK]: 'none', [TIOC.TIOCVHANGUP]: 'none',
};

/** strace names an ioctl by its number, so the OSS sequencer's 'T' ioctls share TCSETS*'s names. */
const IOCTL_ALIASES: Record<number, string> = {
  [TIOC.TCSETS]: 'SNDCTL_TMR_START or TCSETS', [TIOC.TCSETSW]: 'SNDCTL_TMR_STOP or TCSETSW',
  [TIOC.TCSETSF]: 'SNDCTL_TMR_CONTINUE or TCSETSF',
};
const IOC_DIR = ['_IOC_NONE', '_IOC_WRITE', '_IOC_READ', '_IOC_READ|_IOC_WRITE'];

/** TCGETS, or for a request we have no name for its _IOC(direction, type, number, size) fields. */
export function ioctlName(req: number): string {
  const alias = IOCTL_ALIASES[req];
  if (alias) return alias;
  const name = Object.entries(TIOC).find(([, v]) => v === req)?.[0];
  if (name) return name;
  return `_IOC(${IOC_DIR[req >>> 30]}, ${hex((req >>> 8) & 0xff)}, ${hex(req & 0xff)}, ${hex((req >>> 16) & 0x3fff)})`;
}

export function ioctlArg(c: Call, i: number): string | null {
  const a = c.args[i];
  switch (IOCTL_ARG[u32(c.args[1])]) {
    case 'termios': return a === 0n ? 'NULL' : S.termios(c.p, a);
    case 'termiosOut': return ok(c) ? S.termios(c.p, a) : addr(a);
    case 'winsize': return a === 0n ? 'NULL' : S.winsize(c.p, a);
    case 'winsizeOut': return ok(c) ? S.winsize(c.p, a) : addr(a);
    case 'int': return a === 0n ? 'NULL' : S.intAt(c.p, a);
    case 'intOut': return ok(c) ? S.intAt(c.p, a) : addr(a);
    case 'd': return String(int(a));
    case 'tcxonc': return xval(u32(a), TCXONC_ARG, '', 'TC???');
    case 'tcflsh': return xval(u32(a), TCFLSH_ARG, '', 'TC???');
    case 'none': return null;
    default: return hex(a);
  }
}

/** The requests that fill their argument print it at exit. */
export function ioctlArgAtExit(c: Call): boolean {
  const how = IOCTL_ARG[u32(c.args[1])];
  return how === 'termiosOut' || how === 'winsizeOut' || how === 'intOut';
}

// ---- fcntl ----

const LOCK_TYPES = { F_RDLCK, F_WRLCK, F_UNLCK } as const;

export function fcntlArg(c: Call, i: number): string | null {
  const a = c.args[i];
  switch (int(c.args[1])) {
    case F.SETFD: return flags(u32(a), { FD_CLOEXEC }, '', 'FD_???');
    case F.SETFL: return S.openFlags(u32(a));
    case F.SETLK: case F.SETLKW: case F.OFD_SETLK: case F.OFD_SETLKW: return S.flock(c.p, a, false);
    case F.GETLK: case F.OFD_GETLK: return ok(c) ? S.flock(c.p, a, true) : addr(a);
    case F.DUPFD: case F.DUPFD_CLOEXEC: case F.SETOWN: case F.SETPIPE_SZ: return String(int(a));
    case F.SETSIG: return signal(int(a));
    case F.SETLEASE: return xval(int(a), LOCK_TYPES, '', 'F_???');
    case F.GETFD: case F.GETFL: case F.GETOWN: case F.GETSIG: case F.GETLEASE: case F.GETPIPE_SZ: case F.GET_SEALS:
      return null;
    default: return hex(a);
  }
}

export const fcntlArgAtExit = (c: Call): boolean => int(c.args[1]) === F.GETLK || int(c.args[1]) === F.OFD_GETLK;

/** What the F_GET* commands return, explained: `0x802 (flags O_RDWR|O_NONBLOCK)`. */
export function fcntlResult(c: Call): string {
  const v = Number(c.ret);
  switch (int(c.args[1])) {
    case F.GETFL: return `${hex(v)} (flags ${S.openFlags(v)})`;
    case F.GETFD: return v === 0 ? '0' : `${hex(v)} (flags ${flags(v, { FD_CLOEXEC })})`;
    case F.GETLEASE: return xval(v, LOCK_TYPES);
    default: return String(v);
  }
}

// ---- futex ----

const PRIVATE_NAMES = renamed(FUTEX, '', '_PRIVATE');

/** FUTEX_WAIT_PRIVATE, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME. */
export function futexOp(op: number): string {
  const name = xval(op & FUTEX_CMD_MASK, op & FUTEX_PRIVATE_FLAG ? PRIVATE_NAMES : FUTEX, 'FUTEX_', 'FUTEX_???');
  return op & FUTEX_CLOCK_REALTIME ? `${name}|FUTEX_CLOCK_REALTIME` : name;
}

/** futex's arguments after the operation, as many as it uses (strace's futex.c). */
export function futexArgs(c: Call): string | null {
  const [, , val, timeout, uaddr2, val3] = c.args;
  const ts = () => (timeout === 0n ? 'NULL' : S.timespec(c.p, timeout));
  const bitset = () => (u32(val3) === FUTEX_BITSET_MATCH_ANY ? 'FUTEX_BITSET_MATCH_ANY' : hex(u32(val3)));
  switch (u32(c.args[1]) & FUTEX_CMD_MASK) {
    case FUTEX.WAIT: return `${u32(val)}, ${ts()}`;
    case FUTEX.WAIT_BITSET: return `${u32(val)}, ${ts()}, ${bitset()}`;
    case FUTEX.WAKE: return `${u32(val)}`;
    case FUTEX.WAKE_BITSET: return `${u32(val)}, ${bitset()}`;
    case FUTEX.REQUEUE: return `${u32(val)}, ${u32(timeout)}, ${addr(uaddr2)}`;
    case FUTEX.CMP_REQUEUE: case FUTEX.CMP_REQUEUE_PI: return `${u32(val)}, ${u32(timeout)}, ${addr(uaddr2)}, ${u32(val3)}`;
    case FUTEX.LOCK_PI: case FUTEX.LOCK_PI2: return ts();
    case FUTEX.UNLOCK_PI: case FUTEX.TRYLOCK_PI: return null;
    default: return `${u32(val)}, ${hex(timeout)}, ${addr(uaddr2)}, ${hex(u32(val3))}`;
  }
}

// ---- prctl ----

const SUID_DUMP = { SUID_DUMP_DISABLE: 0, SUID_DUMP_USER: 1, SUID_DUMP_ROOT: 2 } as const;
const NO_ARGS: number[] = [
  PR.GET_DUMPABLE, PR.GET_KEEPCAPS, PR.GET_TIMERSLACK, PR.GET_NO_NEW_PRIVS, PR.GET_THP_DISABLE, PR.GET_TAGGED_ADDR_CTRL,
  PR.GET_SECUREBITS, PR.GET_CHILD_SUBREAPER,
];

/** prctl's arguments after the option: the option decides how many there are and what they are. */
export function prctlArgs(c: Call): string | null {
  const a = c.args;
  const op = int(a[0]);
  if (NO_ARGS.includes(op)) return null;
  switch (op) {
    case PR.SET_NAME: return S.cstring(c.p, a[1], 16);
    case PR.GET_NAME: return ok(c) ? S.cstring(c.p, a[1], 16) : addr(a[1]);
    case PR.SET_PDEATHSIG: return signal(int(a[1]));
    case PR.GET_PDEATHSIG: return ok(c) ? S.struct(c.p, a[1], 4, (v) => `[${signal(v.getInt32(0, true))}]`) : addr(a[1]);
    case PR.SET_DUMPABLE: return xval(u32(a[1]), SUID_DUMP, '', 'SUID_DUMP_???');
    case PR.SET_KEEPCAPS: case PR.SET_TIMERSLACK: case PR.SET_CHILD_SUBREAPER: return a[1].toString();
    case PR.SET_PTRACER: return a[1] === 0xffff_ffff_ffff_ffffn ? 'PR_SET_PTRACER_ANY' : String(int(a[1]));
    case PR.SET_NO_NEW_PRIVS: case PR.SET_THP_DISABLE: return `${a[1]}, ${a[2]}, ${a[3]}, ${a[4]}`;
    default: return [a[1], a[2], a[3], a[4]].map(hex).join(', ');
  }
}

export const prctlArgsAtExit = (c: Call): boolean => int(c.args[0]) === PR.GET_NAME || int(c.args[0]) === PR.GET_PDEATHSIG;

/** PR_GET_DUMPABLE's answer, named: `1 (SUID_DUMP_USER)`. */
export function prctlResult(c: Call): string {
  const v = c.ret!;
  return int(c.args[0]) === PR.GET_DUMPABLE ? `${v} (${xval(Number(v), SUID_DUMP, '', 'SUID_DUMP_???')})` : v.toString();
}

// ---- clone ----

/** clone's flags: the CLONE_* names, then the exit signal in the low byte. */
export function cloneFlags(f: bigint): string {
  const sig = Number(f & BigInt(CSIGNAL));
  const rest = Number(f & 0xffffff00n);
  if (!rest) return sig ? signal(sig) : '0';
  return flags(rest, CLONE, 'CLONE_', 'CLONE_???') + (sig ? `|${signal(sig)}` : '');
}

/** clone3's struct clone_args: the fields strace shows (some only with the flag that uses them). */
export function cloneArgs(p: Process, a: bigint, size: number): string {
  return S.struct(p, a, Math.min(Math.max(size, 64), 88), (v) => {
    const f = v.getBigUint64(0, true);
    const field = (off: number) => v.getBigUint64(off, true);
    const parts = [`flags=${flags(Number(f & 0xffffffffn), CLONE, 'CLONE_', 'CLONE_???')}`];
    if (f & BigInt(CLONE.PIDFD)) parts.push(`pidfd=${addr(field(8))}`);
    if (f & BigInt(CLONE.CHILD_SETTID | CLONE.CHILD_CLEARTID)) parts.push(`child_tid=${addr(field(16))}`);
    if (f & BigInt(CLONE.PARENT_SETTID)) parts.push(`parent_tid=${addr(field(24))}`);
    parts.push(`exit_signal=${signal(Number(field(32)))}`, `stack=${addr(field(40))}`, `stack_size=${hex(field(48))}`);
    if (f & BigInt(CLONE.SETTLS)) parts.push(`tls=${addr(field(56))}`);
    return `{${parts.join(', ')}}`;
  });
}
