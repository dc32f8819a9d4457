// Sessions, process groups and the controlling terminal, as Linux's kernel/exit.c and drivers/tty/tty_jobctrl.c
// have them: signalling a group, orphaned groups (whose stop signals are discarded and whose terminal access
// fails with EIO), acquiring and losing a controlling terminal. Process.pgid/sid/tty hold the state; the
// terminal records its session and foreground group (fs/tty.ts).
import type { Kernel } from '../kernel.js';
import { HostTerminal } from '../fs/host-terminal.js';
import type { Tty } from '../fs/tty.js';
import { SI, SIG } from '../signal/signals.js';
import type { Process } from './process.js';

/** kill_pgrp() from the kernel (si_code SI_KERNEL): `sig` to every live process of group `pgrp`. */
export function killPgrp(k: Kernel, pgrp: number, sig: number): void {
  for (const p of [...k.procs.values()]) {
    if (p.pgid === pgrp && p.state === 'live') k.sendSignal(p, sig, { signo: sig, code: SI.KERNEL });
  }
}

/**
 * An orphaned process group (POSIX): no live member has a parent in another group of the same session, so no
 * shell is there to continue it. The run's first process has no parent: its group is orphaned unless a member
 * has one that qualifies.
 */
export function isOrphanedPgrp(k: Kernel, pgrp: number): boolean {
  for (const p of k.procs.values()) {
    if (p.pgid !== pgrp || p.state !== 'live') continue;
    const parent = p.parent;
    if (parent && parent.pgid !== pgrp && parent.sid === p.sid) return false;
  }
  return true;
}

/** __proc_set_tty(): `tty` becomes the controlling terminal of the caller's session, its group the foreground. */
export function setCtty(proc: Process, tty: Tty): void {
  tty.session = proc.sid;
  tty.pgrp = proc.pgid;
  proc.tty = tty;
}

/** session_clear_tty(): every process of session `sid` loses its controlling terminal. */
export function sessionClearTty(k: Kernel, sid: number): void {
  for (const p of k.procs.values()) if (p.sid === sid) p.tty = null;
}

/**
 * disassociate_ctty(): the session leader gives up its terminal (TIOCNOTTY) or exits. The foreground group gets
 * SIGHUP (and SIGCONT, when not on exit); the terminal has no session any more, nor does the session a terminal.
 */
export function disassociateCtty(k: Kernel, leader: Process, onExit: boolean): void {
  const tty = leader.tty;
  if (!tty || tty.session !== leader.sid) return;
  if (tty.pgrp) {
    killPgrp(k, tty.pgrp, SIG.SIGHUP);
    if (!onExit) killPgrp(k, tty.pgrp, SIG.SIGCONT);
  }
  tty.session = 0;
  tty.pgrp = 0;
  sessionClearTty(k, leader.sid);
}

/** A session leader ends: its terminal is hung up for its session (Linux does this in do_exit). */
export function sessionLeaderExit(k: Kernel, proc: Process): void {
  if (proc.sid === proc.pid && proc.tty) disassociateCtty(k, proc, true);
}

/**
 * The run starts at a terminal (the host's stdin is one): it becomes the first process's controlling terminal
 * with that process's group in the foreground, and its inherited descriptors on it are the terminal. Null, and
 * nothing changed, otherwise.
 */
export function openTerminal(k: Kernel, first: Process): HostTerminal | null {
  const term = HostTerminal.open({ signalGroup: (pgrp, sig) => killPgrp(k, pgrp, sig) });
  if (!term) return null;
  setCtty(first, term.tty);
  for (const fd of [0, 1, 2]) {
    const f = first.fds.get(fd);
    if (f && f.kind === 'stdio' && term.isTerminal(f.hostFd)) f.tty = term.tty;
  }
  return term;
}
