// Process lifecycle and signals: clone/execve/exit/wait, process groups and sessions, kill and friends, the
// signal mask and frames, futexes.
import { ElfError } from '../../translator/errors.js';
import { ERESTARTNOHAND, ERRNO } from '../abi/errno.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW } from '../abi/fcntl.js';
import { FUTEX, FUTEX_CMD_MASK } from '../abi/futex.js';
import { P, RUSAGE, WAIT } from '../abi/process.js';
import { execImage, prepareExec } from '../proc/exec.js';
import { sigbit, takeSignal, type Process, type SigInfo } from '../proc/process.js';
import { WaitQueue, block } from '../proc/wait.js';
import { SS_AUTODISARM, SS_DISABLE, SS_ONSTACK, altStackFlags, encodeSiginfo, restoreFrame } from '../signal/frame.js';
import { CLD, NSIG, SI, SIG, SIG_DFL, SIG_HOW, W, handlerOf, ignored } from '../signal/signals.js';
import { encodeRusage, encodeTms, ticks } from '../abi/structs.js';
import { readTimeout } from './time.js';
import { int32, sint, type Handler, type SyscallContext } from './types.js';

const UNBLOCKABLE = sigbit(SIG.SIGKILL) | sigbit(SIG.SIGSTOP);

// ---- creation, exec, exit ----

const clone: Handler = ({ task, k }, a) => k.clone(task, Number(a[0] & 0xffff_ffffn), a[1], a[2], a[3], a[4]);

function doExec(c: SyscallContext, dirfd: number, pathAddr: bigint, argvAddr: bigint, envpAddr: bigint, flags: number) {
  const { proc, task, k } = c;
  const req = prepareExec(c, dirfd, pathAddr, argvAddr, envpAddr, flags);
  if (typeof req === 'number') return req;
  try {
    execImage(proc, task, req.bytes, { argv: req.argv, envp: req.envp, path: req.path, name: req.name, identity: req.identity });
  } catch (err) {
    if (!(err instanceof ElfError)) throw err;
    k.log(`levitate: ${req.path}: ${err.message}`);
    return -ERRNO.ENOEXEC;
  }
  k.execDone(task);
  return 0;
}

const execve: Handler = (c, a) => doExec(c, AT_FDCWD, a[0], a[1], a[2], 0);
const execveat: Handler = (c, a) => {
  const flags = int32(a[4]);
  if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) return -ERRNO.EINVAL;
  return doExec(c, int32(a[0]), a[1], a[2], a[3], flags);
};

const exit: Handler = ({ task, k }, a) => {
  k.exitThread(task, int32(a[0]) & 0xff);
  return 0;
};
const exit_group: Handler = ({ proc, k }, a) => {
  k.exitProcess(proc, W.exited(int32(a[0]) & 0xff));
  return 0;
};

// ---- wait ----

const { WNOHANG, WSTOPPED: WUNTRACED, WEXITED, WCONTINUED, WNOWAIT } = WAIT;

interface Found {
  child: Process;
  status: number;
  /** What waitid reports. */
  code: number;
  value: number;
}

/** The first child matching `select` with something to report; -ECHILD when none matches at all. */
function findChild(proc: Process, select: (c: Process) => boolean, options: number, consume: boolean): Found | number | null {
  let any = false;
  for (const child of proc.children) {
    if (!select(child)) continue;
    any = true;
    if (child.state === 'zombie' && options & WEXITED) {
      const s = child.waitStatus;
      const sig = s & 0x7f;
      return { child, status: s, code: sig ? (s & 0x80 ? CLD.DUMPED : CLD.KILLED) : CLD.EXITED, value: sig || (s >> 8) & 0xff };
    }
    if (child.report === 'stopped' && options & WUNTRACED) {
      if (consume) child.report = null;
      return { child, status: W.stopped(child.stopSignal), code: CLD.STOPPED, value: child.stopSignal };
    }
    if (child.report === 'continued' && options & WCONTINUED) {
      if (consume) child.report = null;
      return { child, status: W.continued, code: CLD.CONTINUED, value: SIG.SIGCONT };
    }
  }
  return any ? null : -ERRNO.ECHILD;
}

function selector(proc: Process, pid: number): (c: Process) => boolean {
  if (pid > 0) return (c) => c.pid === pid;
  if (pid === 0) return (c) => c.pgid === proc.pgid;
  if (pid === -1) return () => true;
  return (c) => c.pgid === -pid;
}

/** What wait4/waitid report of a reaped child: its CPU time and that of the children it reaped. */
function rusage(child: Process): Uint8Array {
  const c = child.cpu;
  return encodeRusage(c.user + c.childUser, c.system + c.childSystem);
}

const getrusage: Handler = ({ proc }, a) => {
  const who = int32(a[0]);
  const c = proc.cpu;
  let b: Uint8Array;
  if (who === RUSAGE.SELF || who === RUSAGE.THREAD) b = encodeRusage(c.user, c.system);
  else if (who === RUSAGE.CHILDREN) b = encodeRusage(c.childUser, c.childSystem);
  else return -ERRNO.EINVAL;
  return proc.write(a[1], b) ? 0 : -ERRNO.EFAULT;
};

/** times(2): the four CPU times in clock ticks; returns the ticks since this system started. */
const times: Handler = ({ proc, k }, a) => {
  const c = proc.cpu;
  if (a[0] !== 0n && !proc.write(a[0], encodeTms([c.user, c.system, c.childUser, c.childSystem]))) return -ERRNO.EFAULT;
  return ticks(Date.now() - k.started);
};

const wait4: Handler = ({ proc, task, k }, a) => {
  const pid = int32(a[0]);
  const options = int32(a[2]);
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | 0xe000_0000)) return -ERRNO.EINVAL;
  const select = selector(proc, pid);
  return block(
    task,
    () => {
      const f = findChild(proc, select, options | WEXITED, true);
      if (f === null) return options & WNOHANG ? 0 : null;
      if (typeof f === 'number') return f;
      if (a[1] !== 0n && !proc.writeU32(a[1], f.status)) return -ERRNO.EFAULT;
      if (a[3] !== 0n && !proc.write(a[3], rusage(f.child))) return -ERRNO.EFAULT;
      if (f.child.state === 'zombie') k.reap(f.child);
      return f.child.pid;
    },
    [proc.childEvents],
  );
};

const waitid: Handler = ({ proc, task, k }, a) => {
  const type = int32(a[0]);
  const id = int32(a[1]);
  const options = int32(a[3]);
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) return -ERRNO.EINVAL;
  let select: (c: Process) => boolean;
  if (type === P.ALL) select = () => true;
  else if (type === P.PID) select = (c) => c.pid === id;
  else if (type === P.PGID) select = (c) => c.pgid === (id === 0 ? proc.pgid : id);
  else return -ERRNO.EINVAL;
  return block(
    task,
    () => {
      const f = findChild(proc, select, options, !(options & WNOWAIT));
      if (f === null) {
        if (!(options & WNOHANG)) return null;
        if (a[2] !== 0n && !proc.write(a[2], new Uint8Array(128))) return -ERRNO.EFAULT;
        return 0;
      }
      if (typeof f === 'number') return f;
      const info: SigInfo = { signo: SIG.SIGCHLD, code: f.code, pid: f.child.pid, uid: 0, status: f.value };
      if (a[2] !== 0n && !proc.write(a[2], encodeSiginfo(info))) return -ERRNO.EFAULT;
      if (a[4] !== 0n && !proc.write(a[4], rusage(f.child))) return -ERRNO.EFAULT;
      if (f.child.state === 'zombie' && !(options & WNOWAIT)) k.reap(f.child);
      return 0;
    },
    [proc.childEvents],
  );
};

// ---- identity, groups, sessions ----

const setpgid: Handler = ({ proc, k }, a) => {
  const pid = int32(a[0]) || proc.pid;
  const pgid = int32(a[1]) || pid;
  if (pgid < 0) return -ERRNO.EINVAL;
  const target = k.procs.get(pid);
  if (!target || (target !== proc && target.parent !== proc)) return -ERRNO.ESRCH;
  if (target.sid === target.pid || target.sid !== proc.sid) return -ERRNO.EPERM;
  if (pgid !== pid && ![...k.procs.values()].some((p) => p.pgid === pgid && p.sid === proc.sid)) return -ERRNO.EPERM;
  target.pgid = pgid;
  return 0;
};

function lookup(k: SyscallContext['k'], proc: Process, pid: number): Process | undefined {
  return pid === 0 ? proc : k.procs.get(pid);
}

const getpgid: Handler = ({ proc, k }, a) => lookup(k, proc, int32(a[0]))?.pgid ?? -ERRNO.ESRCH;
const getsid: Handler = ({ proc, k }, a) => lookup(k, proc, int32(a[0]))?.sid ?? -ERRNO.ESRCH;
const setsid: Handler = ({ proc, k }) => {
  if ([...k.procs.values()].some((p) => p.pgid === proc.pid)) return -ERRNO.EPERM;
  proc.sid = proc.pid;
  proc.pgid = proc.pid;
  proc.tty = null; // a new session starts without a controlling terminal
  return proc.pid;
};

// ---- sending signals ----

const kill: Handler = ({ proc, k }, a) => {
  const pid = int32(a[0]);
  const sig = int32(a[1]);
  if (sig < 0 || sig > NSIG) return -ERRNO.EINVAL;
  const info: SigInfo = { signo: sig, code: SI.USER, pid: proc.pid, uid: 0 };
  let targets: Process[];
  if (pid > 0) {
    const t = k.procs.get(pid) ?? k.findTask(pid)?.proc;
    targets = t ? [t] : [];
  } else if (pid === -1) targets = [...k.procs.values()].filter((p) => p.pid !== 1 && p !== proc);
  else {
    const g = pid === 0 ? proc.pgid : -pid;
    targets = [...k.procs.values()].filter((p) => p.pgid === g);
  }
  if (targets.length === 0) return -ERRNO.ESRCH;
  for (const t of targets) if (!initIgnores(proc, t, sig)) k.sendSignal(t, sig, info);
  return 0;
};

/**
 * Linux's init (SIGNAL_UNKILLABLE) does not get signals from other processes that it has left at their default
 * action, SIGKILL included, unless it blocks them. Signals from the terminal and from init itself still act
 * (unlike Linux): `levitate run prog` makes prog pid 1, and Ctrl-C or raise() must work on it as they would
 * outside.
 */
function initIgnores(sender: Process, target: Process, sig: number): boolean {
  if (target.pid !== 1 || sender === target || sig === 0) return false;
  if (handlerOf(target.sigactions, sig) !== SIG_DFL) return false;
  return !target.threads.some((t) => t.state !== 'dead' && t.sigmask & sigbit(sig));
}

function threadKill(c: SyscallContext, tgid: number, tid: number, sig: number): number {
  const { proc, k } = c;
  if (sig < 0 || sig > NSIG || tid <= 0) return -ERRNO.EINVAL;
  const t = k.findTask(tid);
  if (!t || (tgid > 0 && t.proc.pid !== tgid)) return -ERRNO.ESRCH;
  k.sendSignal(t.proc, sig, { signo: sig, code: SI.TKILL, pid: proc.pid, uid: 0 }, t);
  return 0;
}
const tgkill: Handler = (c, a) => threadKill(c, int32(a[0]), int32(a[1]), int32(a[2]));
const tkill: Handler = (c, a) => threadKill(c, -1, int32(a[0]), int32(a[1]));

// ---- dispositions and masks ----

const rt_sigaction: Handler = ({ proc }, a) => {
  const sig = int32(a[0]);
  if (sig < 1 || sig > NSIG || Number(a[3]) !== 8) return -ERRNO.EINVAL;
  if (a[2] !== 0n && !proc.write(a[2], proc.sigactions.subarray(sig * 32, sig * 32 + 32))) return -ERRNO.EFAULT;
  if (a[1] !== 0n) {
    if (sig === SIG.SIGKILL || sig === SIG.SIGSTOP) return -ERRNO.EINVAL;
    const act = proc.read(a[1], 32);
    if (!act) return -ERRNO.EFAULT;
    proc.sigactions.set(act, sig * 32);
    // SIGKILL and SIGSTOP cannot be blocked, so Linux keeps them out of the stored mask too.
    const mask = new DataView(proc.sigactions.buffer, proc.sigactions.byteOffset + sig * 32 + 24, 8);
    mask.setBigUint64(0, mask.getBigUint64(0, true) & ~UNBLOCKABLE, true);
    // Setting a signal to be ignored discards it where it is pending (POSIX).
    if (ignored(proc.sigactions, sig)) {
      proc.pending &= ~sigbit(sig);
      for (const t of proc.threads) t.pending &= ~sigbit(sig);
    }
  }
  return 0;
};

const rt_sigprocmask: Handler = ({ proc, task }, a) => {
  if (Number(a[3]) !== 8) return -ERRNO.EINVAL;
  const how = int32(a[0]);
  let set: bigint | null = null;
  if (a[1] !== 0n) {
    set = proc.readU64(a[1]);
    if (set === null) return -ERRNO.EFAULT;
    if (how !== SIG_HOW.SIG_BLOCK && how !== SIG_HOW.SIG_UNBLOCK && how !== SIG_HOW.SIG_SETMASK) return -ERRNO.EINVAL;
  }
  if (a[2] !== 0n && !proc.writeU64(a[2], task.sigmask)) return -ERRNO.EFAULT;
  if (set !== null) {
    if (how === SIG_HOW.SIG_BLOCK) task.sigmask |= set;
    else if (how === SIG_HOW.SIG_UNBLOCK) task.sigmask &= ~set;
    else task.sigmask = set;
    task.sigmask &= ~UNBLOCKABLE;
  }
  return 0;
};

const rt_sigpending: Handler = ({ proc, task }, a) => {
  if (Number(a[1]) > 8) return -ERRNO.EINVAL;
  return proc.writeU64(a[0], (task.pending | proc.pending) & task.sigmask) ? 0 : -ERRNO.EFAULT;
};

const rt_sigsuspend: Handler = ({ proc, task }, a) => {
  if (Number(a[1]) !== 8) return -ERRNO.EINVAL;
  const mask = proc.readU64(a[0]);
  if (mask === null) return -ERRNO.EFAULT;
  task.savedMask = task.sigmask;
  task.sigmask = mask & ~UNBLOCKABLE;
  return block(task, () => null, [], { interrupted: ERESTARTNOHAND });
};

const rt_sigtimedwait: Handler = ({ proc, task }, a) => {
  if (Number(a[3]) !== 8) return -ERRNO.EINVAL;
  const set = proc.readU64(a[0]);
  if (set === null) return -ERRNO.EFAULT;
  const want = set & ~UNBLOCKABLE;
  const timeout = a[2] === 0n ? null : readTimeout(proc, a[2]);
  if (typeof timeout === 'number') return timeout;
  const take = (): number | null => {
    const d = takeSignal(task, want);
    if (!d) return null;
    if (a[1] !== 0n && !proc.write(a[1], encodeSiginfo(d.info))) return -ERRNO.EFAULT;
    return d.sig;
  };
  const now = take();
  if (now !== null) return now;
  if (timeout === 0n) return -ERRNO.EAGAIN;
  // Signals of the set are blocked: they do not interrupt the wait but satisfy it.
  return block(task, take, [task.signalled], {
    interrupted: ERESTARTNOHAND,
    ...(timeout !== null ? { timeoutMs: Number(timeout / 1_000_000n), onTimeout: () => -ERRNO.EAGAIN } : {}),
  });
};

const rt_sigreturn: Handler = ({ proc, task, k }) => {
  const r = restoreFrame(task);
  if (!r) {
    k.killProcess(proc, SIG.SIGSEGV, true);
    return 0;
  }
  task.sigmask = r.mask & ~UNBLOCKABLE;
  return task.cpu.x[0];
};

const MINSIGSTKSZ = 5120n;
const sigaltstack: Handler = ({ proc, task }, a) => {
  const old = { ...task.altStack };
  const oldFlags = altStackFlags(task);
  if (a[0] !== 0n) {
    const b = proc.read(a[0], 24);
    if (!b) return -ERRNO.EFAULT;
    if (oldFlags & SS_ONSTACK) return -ERRNO.EPERM;
    const v = new DataView(b.buffer);
    const sp = v.getBigUint64(0, true);
    const flags = v.getInt32(8, true);
    const size = v.getBigUint64(16, true);
    if (flags & ~(SS_DISABLE | SS_AUTODISARM)) return -ERRNO.EINVAL;
    if (flags & SS_DISABLE) task.altStack = { sp: 0n, size: 0n, flags: SS_DISABLE };
    else {
      if (size < MINSIGSTKSZ) return -ERRNO.ENOMEM;
      task.altStack = { sp, size, flags: 0 };
    }
  }
  if (a[1] !== 0n) {
    const b = new Uint8Array(24);
    const v = new DataView(b.buffer);
    v.setBigUint64(0, old.sp, true);
    v.setInt32(8, oldFlags, true);
    v.setBigUint64(16, old.size, true);
    if (!proc.write(a[1], b)) return -ERRNO.EFAULT;
  }
  return 0;
};

// ---- futexes ----

const futex: Handler = ({ proc, task, k }, a) => {
  const op = int32(a[1]) & FUTEX_CMD_MASK;
  const uaddr = a[0];
  const val = int32(a[2]);
  if (uaddr % 4n !== 0n) return -ERRNO.EINVAL;
  switch (op) {
    case FUTEX.WAIT:
    case FUTEX.WAIT_BITSET: {
      const cur = proc.readU32(uaddr);
      if (cur === null) return -ERRNO.EFAULT;
      if ((cur | 0) !== val) return -ERRNO.EAGAIN;
      let timeoutMs: number | undefined;
      if (a[3] !== 0n) {
        const t = readTimeout(proc, a[3]);
        if (typeof t === 'number') return t;
        // WAIT_BITSET takes an absolute time on CLOCK_MONOTONIC (or REALTIME with the flag).
        if (op === FUTEX.WAIT_BITSET) {
          const now = int32(a[1]) & 256 ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
          timeoutMs = Math.max(0, Number((t - now) / 1_000_000n));
        } else timeoutMs = Number(t / 1_000_000n);
      }
      const q = new WaitQueue();
      let woken = false;
      const waiters = k.futexWaiters(proc, uaddr);
      const w = () => {
        woken = true;
        q.wake();
      };
      waiters.add(w);
      return block(task, () => (woken ? 0 : null), [q], {
        cleanup: () => waiters.delete(w),
        ...(timeoutMs !== undefined ? { timeoutMs, onTimeout: () => -ERRNO.ETIMEDOUT } : {}),
      });
    }
    case FUTEX.WAKE:
    case FUTEX.WAKE_BITSET:
      return k.futexWake(proc, uaddr, Math.max(val, 0));
    case FUTEX.REQUEUE:
    case FUTEX.CMP_REQUEUE: {
      if (op === FUTEX.CMP_REQUEUE) {
        const cur = proc.readU32(a[0]);
        if (cur === null) return -ERRNO.EFAULT;
        if ((cur | 0) !== int32(a[5])) return -ERRNO.EAGAIN;
      }
      const woken = k.futexWake(proc, uaddr, Math.max(val, 0));
      const from = k.futexWaiters(proc, uaddr);
      const to = k.futexWaiters(proc, a[4]);
      let moved = 0;
      for (const w of [...from]) {
        if (moved >= sint(a[3])) break;
        from.delete(w);
        to.add(w);
        moved++;
      }
      return woken + moved;
    }
    default:
      return -ERRNO.ENOSYS;
  }
};

export const processSyscalls: Record<string, Handler> = {
  clone, execve, execveat, exit, exit_group, wait4, waitid, getrusage, times, setpgid, getpgid, getsid, setsid, kill, tgkill, tkill,
  rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend, rt_sigtimedwait, rt_sigreturn, sigaltstack, futex,
  getpid: ({ proc }) => proc.pid,
  gettid: ({ task }) => task.tid,
  getppid: ({ proc }) => proc.ppid,
  set_tid_address: ({ task }, a) => {
    task.clearChildTid = a[0];
    return task.tid;
  },
};
