// read, write, ioctl and open on the terminal (fs/tty.ts), with Linux's job-control rules
// (drivers/tty/tty_jobctrl.c, n_tty.c, tty_io.c): a background group that reads gets SIGTTIN, one that writes
// under TOSTOP or changes the terminal gets SIGTTOU, EIO when it cannot be stopped; the session leader acquires
// the terminal by opening it or with TIOCSCTTY; tcsetpgrp chooses the foreground group.
import { ERESTARTSYS, ERRNO } from '../abi/errno.js';
import { O } from '../abi/fcntl.js';
import {
  L, TCFLSH_ARG, TCXONC_ARG, TERMIOS2_SIZE, TERMIOS_SIZE, TIOC, V, WINSIZE_SIZE, decodeTermios, decodeWinsize, encodeTermios,
  encodeWinsize,
} from '../abi/termios.js';
import { OpenFile } from '../fs/file.js';
import type { Tty } from '../fs/tty.js';
import { sigbit } from '../proc/process.js';
import { disassociateCtty, isOrphanedPgrp, killPgrp, sessionClearTty, setCtty } from '../proc/session.js';
import { block } from '../proc/wait.js';
import { SIG, SIG_IGN, actionOf } from '../signal/signals.js';
import type { SyscallContext, SysResult } from './types.js';

/**
 * __tty_check_change(): may the caller use `tty` now? Only a process whose controlling terminal it is, in a
 * group other than the foreground one, is concerned. Then: `sig` blocked or ignored lets it through (SIGTTOU) or
 * fails with EIO (SIGTTIN); an orphaned group gets EIO; otherwise its whole group gets `sig` and the call
 * restarts once the group is continued (ERESTARTSYS). 0 when the caller may go on.
 */
function checkChange(c: SyscallContext, tty: Tty, sig: number): number {
  const { proc, task, k } = c;
  if (proc.tty !== tty || !tty.pgrp || proc.pgid === tty.pgrp) return 0;
  if (task.sigmask & sigbit(sig) || actionOf(proc.sigactions, sig).handler === SIG_IGN) return sig === SIG.SIGTTIN ? -ERRNO.EIO : 0;
  if (isOrphanedPgrp(k, proc.pgid)) return -ERRNO.EIO;
  killPgrp(k, proc.pgid, sig);
  return ERESTARTSYS;
}

/** read(2) of the terminal: one line at most in canonical mode, VMIN/VTIME rules otherwise. */
export function ttyRead(c: SyscallContext, f: OpenFile, addr: bigint, len: number): SysResult | Promise<SysResult> {
  const tty = f.tty!;
  const jc = checkChange(c, tty, SIG.SIGTTIN);
  if (jc) return jc;
  if (len === 0) return 0;
  const { proc, task } = c;
  const nonblock = (f.flags & O.NONBLOCK) !== 0;
  if (tty.termios.lflag & L.ICANON) {
    return block(
      task,
      () => {
        const b = tty.take(len);
        if (b === null) return nonblock ? -ERRNO.EAGAIN : null;
        return proc.write(addr, b) ? b.length : -ERRNO.EFAULT;
      },
      [tty.readWait],
    );
  }
  return rawRead(c, tty, addr, len, nonblock);
}

/**
 * Non-canonical read (n_tty_read): VMIN bytes (at most `len`) end it; VTIME (tenths of a second) is the time
 * to wait for any byte when VMIN is 0, and the time allowed between bytes once one came when VMIN is not.
 */
function rawRead(c: SyscallContext, tty: Tty, addr: bigint, len: number, nonblock: boolean): SysResult | Promise<SysResult> {
  const { proc, task } = c;
  const min = tty.termios.cc[V.VMIN];
  const time = tty.termios.cc[V.VTIME] * 100;
  const minimum = min ? Math.min(min, len) : 1;
  let got = 0;
  let fault = false;
  const pull = (): void => {
    if (got >= len) return;
    const b = tty.take(len - got);
    if (!b || b.length === 0) return;
    if (proc.write(addr + BigInt(got), b)) got += b.length;
    else fault = true;
  };
  pull();
  if (fault) return -ERRNO.EFAULT;
  if (got >= minimum || tty.hungUp || (min === 0 && time === 0)) return got;
  if (nonblock) return got || -ERRNO.EAGAIN;
  return (async (): Promise<SysResult> => {
    for (;;) {
      const before = got;
      let timedOut = false;
      let interrupted = false;
      // VMIN 0: one wait of VTIME for anything. VMIN > 0: no limit for the first byte, VTIME between the next.
      const timeoutMs = min === 0 ? time : time > 0 && got > 0 ? time : undefined;
      const r = await block(task, () => {
        pull();
        if (fault) return -ERRNO.EFAULT;
        return got > before || tty.hungUp ? got : null;
      }, [tty.readWait], {
        interrupted: () => {
          interrupted = true;
          return got > 0 ? got : ERESTARTSYS;
        },
        ...(timeoutMs === undefined ? {} : { timeoutMs, onTimeout: () => ((timedOut = true), got) }),
      });
      if (timedOut || interrupted || Number(r) < 0) return r;
      if (got >= minimum || tty.hungUp || min === 0) return got;
    }
  })();
}

/** write(2) to the terminal: under TOSTOP a background group is stopped first; VSTOP holds output. */
export function ttyWrite(c: SyscallContext, f: OpenFile, data: Uint8Array): SysResult | Promise<SysResult> {
  const tty = f.tty!;
  if (tty.termios.lflag & L.TOSTOP) {
    const jc = checkChange(c, tty, SIG.SIGTTOU);
    if (jc) return jc;
  }
  if (data.length === 0) return 0;
  const nonblock = (f.flags & O.NONBLOCK) !== 0;
  return block(c.task, () => (tty.write(data) ? data.length : nonblock ? -ERRNO.EAGAIN : null), [tty.writeWait]);
}

/**
 * open of /dev/tty (the caller's controlling terminal: ENXIO without one) or /dev/console (the terminal; a
 * session leader without a terminal acquires it unless O_NOCTTY). Null when there is no terminal model (the
 * host's stdin is not a terminal): the caller keeps its old behaviour.
 */
export function ttyOpen(c: SyscallContext, which: 'tty' | 'console', guest: string, flags: number): OpenFile | number | null {
  const { proc, k } = c;
  const tty = k.terminal?.tty;
  if (!tty) return null;
  if (which === 'tty' && !proc.tty) return -ERRNO.ENXIO;
  const target = which === 'tty' ? proc.tty! : tty;
  if (which === 'console' && !(flags & O.NOCTTY) && proc.sid === proc.pid && !proc.tty && mayTake(tty, false)) {
    if (tty.session) sessionClearTty(k, tty.session);
    setCtty(proc, target);
  }
  const f = new OpenFile('stdio', 0, guest, '', flags);
  f.tty = target;
  return f;
}

/**
 * A session leader without a terminal may make `tty` its own: when no session has it, when it steals (TIOCSCTTY
 * with arg 1, allowed to root), and — our pragmatic rule — from the first process's session, which holds the
 * host terminal from the start, where Linux's init would have none.
 */
function mayTake(tty: Tty, steal: boolean): boolean {
  return tty.session === 0 || steal || tty.session === 1;
}

/** ioctl(2) on the terminal. */
export function ttyIoctl(c: SyscallContext, f: OpenFile, req: number, arg: bigint): SysResult | Promise<SysResult> {
  const { proc, k } = c;
  const tty = f.tty!;
  const put = (b: Uint8Array): number => (proc.write(arg, b) ? 0 : -ERRNO.EFAULT);
  const putInt = (v: number): number => (proc.writeU32(arg, v) ? 0 : -ERRNO.EFAULT);
  switch (req) {
    case TIOC.TCGETS:
    case TIOC.TCGETS2:
      return put(encodeTermios(tty.termios, req === TIOC.TCGETS2));
    case TIOC.TCSETS:
    case TIOC.TCSETSW:
    case TIOC.TCSETSF:
    case TIOC.TCSETS2:
    case TIOC.TCSETSW2:
    case TIOC.TCSETSF2: {
      const jc = checkChange(c, tty, SIG.SIGTTOU);
      if (jc) return jc;
      const two = req === TIOC.TCSETS2 || req === TIOC.TCSETSW2 || req === TIOC.TCSETSF2;
      const b = proc.read(arg, two ? TERMIOS2_SIZE : TERMIOS_SIZE);
      if (!b) return -ERRNO.EFAULT;
      // TCSETSW waits for output to drain: ours is written when the guest writes it.
      if (req === TIOC.TCSETSF || req === TIOC.TCSETSF2) tty.flushInput();
      tty.setTermios(decodeTermios(b));
      return 0;
    }
    case TIOC.TIOCGWINSZ:
      return put(encodeWinsize(tty.winsize));
    case TIOC.TIOCSWINSZ: {
      const b = proc.read(arg, WINSIZE_SIZE);
      if (!b) return -ERRNO.EFAULT;
      if (tty.setWinsize(decodeWinsize(b)) && tty.pgrp) killPgrp(k, tty.pgrp, SIG.SIGWINCH);
      return 0;
    }
    case TIOC.TIOCGPGRP:
      if (proc.tty !== tty) return -ERRNO.ENOTTY;
      return putInt(tty.pgrp);
    case TIOC.TIOCSPGRP: {
      const jc = checkChange(c, tty, SIG.SIGTTOU);
      if (jc === -ERRNO.EIO) return -ERRNO.ENOTTY;
      if (jc) return jc;
      const v = proc.readU32(arg);
      if (v === null) return -ERRNO.EFAULT;
      const pgrp = v | 0;
      if (pgrp < 0) return -ERRNO.EINVAL;
      if (proc.tty !== tty || tty.session !== proc.sid) return -ERRNO.ENOTTY;
      const members = [...k.procs.values()].filter((p) => p.pgid === pgrp && p.state === 'live');
      if (members.length === 0 && !k.procs.has(pgrp)) return -ERRNO.ESRCH;
      if (!members.some((p) => p.sid === proc.sid)) return -ERRNO.EPERM;
      tty.pgrp = pgrp;
      return 0;
    }
    case TIOC.TIOCGSID:
      if (proc.tty !== tty || !tty.session) return -ERRNO.ENOTTY;
      return putInt(tty.session);
    case TIOC.TIOCSCTTY: {
      if (proc.sid === proc.pid && tty.session === proc.sid) return 0;
      if (proc.sid !== proc.pid || proc.tty) return -ERRNO.EPERM;
      if (!mayTake(tty, Number(arg & 0xffffffffn) === 1)) return -ERRNO.EPERM;
      if (tty.session) sessionClearTty(k, tty.session);
      setCtty(proc, tty);
      return 0;
    }
    case TIOC.TIOCNOTTY:
      if (proc.tty !== tty) return -ERRNO.ENOTTY;
      if (proc.sid === proc.pid) disassociateCtty(k, proc, false);
      proc.tty = null;
      return 0;
    case TIOC.FIONREAD:
      return putInt(tty.inq());
    case TIOC.TIOCOUTQ:
      return putInt(0); // output is written through at once
    case TIOC.TIOCGETD:
      return putInt(0); // N_TTY
    case TIOC.TCFLSH: {
      const jc = checkChange(c, tty, SIG.SIGTTOU);
      if (jc) return jc;
      const which = Number(arg);
      if (which === TCFLSH_ARG.TCIFLUSH || which === TCFLSH_ARG.TCIOFLUSH) tty.flushInput();
      else if (which !== TCFLSH_ARG.TCOFLUSH) return -ERRNO.EINVAL;
      return 0;
    }
    case TIOC.TCXONC: {
      const jc = checkChange(c, tty, SIG.SIGTTOU);
      if (jc) return jc;
      const action = Number(arg);
      if (action === TCXONC_ARG.TCOOFF) tty.setOutputStopped(true);
      else if (action === TCXONC_ARG.TCOON) tty.setOutputStopped(false);
      else if (action !== TCXONC_ARG.TCIOFF && action !== TCXONC_ARG.TCION) return -ERRNO.EINVAL;
      return 0;
    }
    case TIOC.TCSBRK:
    case TIOC.TCSBRKP:
      return checkChange(c, tty, SIG.SIGTTOU); // tcdrain, tcsendbreak: nothing is left to drain
    case TIOC.TIOCEXCL:
    case TIOC.TIOCNXCL:
      return 0;
    default:
      return -ERRNO.ENOTTY;
  }
}
