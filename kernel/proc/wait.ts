// Blocking without busy waiting (D10): a syscall that cannot complete parks its task on wait queues and returns
// a promise; whatever changes the condition (a pipe write, a child's exit, a timer) wakes the queue, and the
// waiter checks again. A signal interrupts the wait: the syscall then returns ERESTARTSYS (or the value the
// caller chose), and signal delivery turns that into EINTR or a restart.
import { ERESTARTSYS } from '../abi/errno.js';
import type { Task } from './process.js';

interface Waiter {
  /** Checks the condition again; completes the wait when it holds. */
  wake(): void;
}

export class WaitQueue {
  private readonly waiters = new Set<Waiter>();
  add(w: Waiter): void {
    this.waiters.add(w);
  }
  remove(w: Waiter): void {
    this.waiters.delete(w);
  }
  /** Every waiter checks its condition again. */
  wake(): void {
    for (const w of [...this.waiters]) w.wake();
  }
  get size(): number {
    return this.waiters.size;
  }
}

/** A parked task's way out when a signal arrives. */
export interface Interruptible {
  interrupt(): void;
}

export interface BlockOptions {
  /** Milliseconds until `onTimeout` completes the wait; undefined for none. */
  timeoutMs?: number;
  onTimeout?: () => number | bigint;
  /** What the wait returns when a signal interrupts it (default ERESTARTSYS). */
  interrupted?: number | (() => number);
  /** Runs once when the wait ends, however it ends. */
  cleanup?: () => void;
}

/**
 * Waits until `check` returns a result (not null), re-checking whenever one of `queues` is woken. Returns the
 * result at once when the condition already holds, else a promise.
 */
export function block(
  task: Task,
  check: () => number | bigint | null,
  queues: WaitQueue[],
  opts: BlockOptions = {},
): number | bigint | Promise<number | bigint> {
  const now = check();
  if (now !== null) return now;
  const interrupted = (): number => (typeof opts.interrupted === 'function' ? opts.interrupted() : (opts.interrupted ?? ERESTARTSYS));
  if (task.signalPending()) {
    opts.cleanup?.();
    return interrupted();
  }
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    let done = false;
    const finish = (r: number | bigint) => {
      if (done) return;
      done = true;
      for (const q of queues) q.remove(waiter);
      if (timer) clearTimeout(timer);
      if (task.parked === parked) task.parked = null;
      opts.cleanup?.();
      resolve(r);
    };
    const waiter: Waiter = {
      wake: () => {
        const r = check();
        if (r !== null) finish(r);
      },
    };
    const parked: Interruptible = { interrupt: () => finish(interrupted()) };
    for (const q of queues) q.add(waiter);
    task.parked = parked;
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => finish(opts.onTimeout ? opts.onTimeout() : 0), Math.max(0, opts.timeoutMs));
    }
  });
}
