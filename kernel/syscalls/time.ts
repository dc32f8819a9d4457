// Clocks, sleeping and the real-time interval timer. Sleeps park the task on a host timer: no busy waiting (D10).
import { ERESTARTNOHAND, ERRNO } from '../abi/errno.js';
import { encodeTimespec } from '../abi/structs.js';
import { CLOCK, ITIMER, TIMER_ABSTIME } from '../abi/time.js';
import type { Process } from '../proc/process.js';
import { block } from '../proc/wait.js';
import { SI, SIG } from '../signal/signals.js';
import { int32, type Handler, type SyscallContext } from './types.js';

const t0 = process.hrtime.bigint();

function nowNs(clock: number): bigint | null {
  switch (clock) {
    case CLOCK.REALTIME:
    case CLOCK.REALTIME_COARSE:
    case CLOCK.REALTIME_ALARM:
      return BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    case CLOCK.MONOTONIC:
    case CLOCK.MONOTONIC_RAW:
    case CLOCK.MONOTONIC_COARSE:
    case CLOCK.BOOTTIME:
      return process.hrtime.bigint();
    case CLOCK.PROCESS_CPUTIME_ID:
    case CLOCK.THREAD_CPUTIME_ID:
      return process.hrtime.bigint() - t0;
    default:
      return null;
  }
}

const clock_gettime: Handler = ({ proc }, a) => {
  const ns = nowNs(int32(a[0]));
  if (ns === null) return -ERRNO.EINVAL;
  return proc.write(a[1], encodeTimespec(ns / 1_000_000_000n, ns % 1_000_000_000n)) ? 0 : -ERRNO.EFAULT;
};

const clock_getres: Handler = ({ proc }, a) => {
  if (nowNs(int32(a[0])) === null) return -ERRNO.EINVAL;
  if (a[1] === 0n) return 0;
  return proc.write(a[1], encodeTimespec(0n, 1n)) ? 0 : -ERRNO.EFAULT;
};

const gettimeofday: Handler = ({ proc }, a) => {
  if (a[0] === 0n) return 0;
  const ns = nowNs(CLOCK.REALTIME) as bigint;
  return proc.write(a[0], encodeTimespec(ns / 1_000_000_000n, (ns % 1_000_000_000n) / 1000n)) ? 0 : -ERRNO.EFAULT;
};

function readTimespec(p: Process, addr: bigint): bigint | number {
  const b = p.read(addr, 16);
  if (!b) return -ERRNO.EFAULT;
  const v = new DataView(b.buffer);
  const sec = v.getBigInt64(0, true);
  const nsec = v.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -ERRNO.EINVAL;
  return sec * 1_000_000_000n + nsec;
}

/** A timeout argument (struct timespec) in nanoseconds, or -errno. */
export function readTimeout(p: Process, addr: bigint): bigint | number {
  return readTimespec(p, addr);
}

/**
 * Sleeps `ns` on a host timer (the task is parked, nothing spins). A signal with a handler ends it early with
 * EINTR and the time left in `rem`; without one the sleep restarts.
 */
function sleep(c: SyscallContext, ns: bigint, rem: bigint): number | bigint | Promise<number | bigint> {
  const until = process.hrtime.bigint() + ns;
  return block(c.task, () => null, [], {
    timeoutMs: Number(ns / 1_000_000n),
    onTimeout: () => 0,
    interrupted: () => {
      const left = until - process.hrtime.bigint();
      if (rem !== 0n) c.proc.write(rem, encodeTimespec(left > 0n ? left / 1_000_000_000n : 0n, left > 0n ? left % 1_000_000_000n : 0n));
      return ERESTARTNOHAND;
    },
  });
}

const nanosleep: Handler = (c, a) => {
  const ns = readTimespec(c.proc, a[0]);
  if (typeof ns === 'number') return ns;
  return sleep(c, ns, a[1]);
};

const clock_nanosleep: Handler = (c, a) => {
  const clock = int32(a[0]);
  const now = nowNs(clock);
  if (now === null) return -ERRNO.EINVAL;
  const ns = readTimespec(c.proc, a[2]);
  if (typeof ns === 'number') return ns;
  const abs = (int32(a[1]) & TIMER_ABSTIME) !== 0;
  const wait = abs ? ns - now : ns;
  return sleep(c, wait > 0n ? wait : 0n, abs ? 0n : a[3]);
};

/** setitimer(ITIMER_REAL): SIGALRM after a delay, then every interval. Other timers are not kept. */
const timers = new WeakMap<Process, { timer: NodeJS.Timeout; at: bigint; interval: bigint }>();

function itimerRemaining(p: Process): [bigint, bigint] {
  const t = timers.get(p);
  if (!t) return [0n, 0n];
  const left = t.at - process.hrtime.bigint();
  return [left > 0n ? left : 1000n, t.interval];
}

function encodeItimerval(interval: bigint, value: bigint): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, interval / 1_000_000_000n, true);
  v.setBigInt64(8, (interval % 1_000_000_000n) / 1000n, true);
  v.setBigInt64(16, value / 1_000_000_000n, true);
  v.setBigInt64(24, (value % 1_000_000_000n) / 1000n, true);
  return b;
}

const setitimer: Handler = (c, a) => {
  const { proc, k } = c;
  if (int32(a[0]) !== ITIMER.REAL) return -ERRNO.EINVAL;
  const [left, interval] = itimerRemaining(proc);
  if (a[2] !== 0n && !proc.write(a[2], encodeItimerval(interval, timers.has(proc) ? left : 0n))) return -ERRNO.EFAULT;
  if (a[1] === 0n) return 0;
  const b = proc.read(a[1], 32);
  if (!b) return -ERRNO.EFAULT;
  const v = new DataView(b.buffer);
  const us = (o: number) => v.getBigInt64(o, true) * 1_000_000_000n + v.getBigInt64(o + 8, true) * 1000n;
  const every = us(0);
  const first = us(16);
  const old = timers.get(proc);
  if (old) clearTimeout(old.timer);
  timers.delete(proc);
  if (first <= 0n) return 0;
  const arm = (delay: bigint) => {
    const timer = setTimeout(() => {
      timers.delete(proc);
      if (proc.state === 'zombie') return;
      k.sendSignal(proc, SIG.SIGALRM, { signo: SIG.SIGALRM, code: SI.KERNEL });
      if (every > 0n) arm(every);
    }, Number(delay / 1_000_000n));
    timers.set(proc, { timer, at: process.hrtime.bigint() + delay, interval: every });
  };
  arm(first);
  return 0;
};

const getitimer: Handler = ({ proc }, a) => {
  if (int32(a[0]) !== ITIMER.REAL) return -ERRNO.EINVAL;
  const [left, interval] = itimerRemaining(proc);
  return proc.write(a[1], encodeItimerval(interval, left)) ? 0 : -ERRNO.EFAULT;
};

export const timeSyscalls: Record<string, Handler> = {
  clock_gettime, clock_getres, gettimeofday, nanosleep, clock_nanosleep, setitimer, getitimer,
};
