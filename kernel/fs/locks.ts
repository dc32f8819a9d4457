// POSIX record locks (fcntl F_GETLK, F_SETLK, F_SETLKW): advisory byte ranges owned by a process, kept per file
// (host device and inode), so guest processes exclude one another as on Linux. A process's locks on a file go
// when it closes any descriptor of that file, and all of them when it exits. Host processes do not see them.
import { WaitQueue } from '../proc/wait.js';

export const F_RDLCK = 0;
export const F_WRLCK = 1;
export const F_UNLCK = 2;
/** The end of a lock that runs to the end of the file (l_len 0), and beyond. */
export const LOCK_EOF = 2n ** 63n - 1n;

export interface RecordLock {
  pid: number;
  type: number;
  /** First and last byte, inclusive. */
  start: bigint;
  end: bigint;
}

export class RecordLocks {
  private readonly files = new Map<unknown, RecordLock[]>();
  /** Woken whenever a lock is released: F_SETLKW waits here. */
  readonly released = new WaitQueue();

  /** A lock of another process that a `type` lock by `pid` on [start, end] would conflict with. */
  conflict(file: unknown, pid: number, type: number, start: bigint, end: bigint): RecordLock | null {
    for (const l of this.files.get(file) ?? []) {
      if (l.pid !== pid && l.start <= end && start <= l.end && (type === F_WRLCK || l.type === F_WRLCK)) return l;
    }
    return null;
  }

  /** Sets (or, with F_UNLCK, clears) `pid`'s lock on [start, end]: what it held there before is replaced. */
  set(file: unknown, pid: number, type: number, start: bigint, end: bigint): void {
    const next: RecordLock[] = [];
    let freed = false;
    for (const l of this.files.get(file) ?? []) {
      if (l.pid !== pid || l.end < start || end < l.start) {
        next.push(l);
        continue;
      }
      freed = true;
      if (l.start < start) next.push({ ...l, end: start - 1n });
      if (l.end > end) next.push({ ...l, start: end + 1n });
    }
    if (type !== F_UNLCK) next.push({ pid, type, start, end });
    // Adjacent ranges of one owner and type merge, as F_GETLK reports them on Linux.
    next.sort((a, b) => a.pid - b.pid || a.type - b.type || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const merged: RecordLock[] = [];
    for (const l of next) {
      const last = merged[merged.length - 1];
      if (last && last.pid === l.pid && last.type === l.type && last.end + 1n >= l.start) {
        if (l.end > last.end) last.end = l.end;
      } else merged.push({ ...l });
    }
    if (merged.length) this.files.set(file, merged);
    else this.files.delete(file);
    if (freed) this.released.wake();
  }

  /** Drops `pid`'s locks on `file`, or on every file. */
  release(pid: number, file?: unknown): void {
    let freed = false;
    for (const [f, locks] of this.files) {
      if (file !== undefined && f !== file) continue;
      const kept = locks.filter((l) => l.pid !== pid);
      if (kept.length === locks.length) continue;
      freed = true;
      if (kept.length) this.files.set(f, kept);
      else this.files.delete(f);
    }
    if (freed) this.released.wake();
  }
}
