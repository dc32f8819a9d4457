// ppoll and pselect6 (arm64 has no poll/select): readiness of pipes, the terminal, the host's stdin, files. A
// task with nothing ready parks on the wait queues of everything it watches, with a host timer for the timeout.
import { ERESTARTNOHAND, ERRNO } from '../abi/errno.js';
import { POLL } from '../abi/poll.js';
import type { OpenFile } from '../fs/file.js';
import { sigbit, type Task } from '../proc/process.js';
import { block, type WaitQueue } from '../proc/wait.js';
import { SIG } from '../signal/signals.js';
import { readTimeout } from './time.js';
import { int32, type Handler, type SyscallContext, type SysResult } from './types.js';

/** The poll(2) events that hold for `f` now, and the queues that announce a change. */
function readiness(c: SyscallContext, f: OpenFile): { events: number; queues: WaitQueue[] } {
  const IN = POLL.IN | POLL.RDNORM;
  const OUT = POLL.OUT | POLL.WRNORM;
  if (f.pipe) {
    const p = f.pipe;
    if (f.end === 'r') return { events: (p.size > 0 ? IN : 0) | (p.writers === 0 ? POLL.HUP : 0), queues: [p.readable] };
    return { events: p.readers === 0 ? POLL.ERR : p.room > 0 ? OUT : 0, queues: [p.writable] };
  }
  if (f.tty) {
    // The line discipline decides: in canonical mode only a whole line (or end of file) is readable.
    const t = f.tty;
    return { events: (t.readable(true) ? IN : 0) | (t.outputStopped ? 0 : OUT) | (t.hungUp ? POLL.HUP : 0), queues: [t.readWait, t.writeWait] };
  }
  if (f.kind === 'stdio' && f.hostFd === 0) {
    const input = c.k.stdin;
    if (!input.readable) input.want();
    return { events: input.readable ? IN : 0, queues: [input.ready] };
  }
  return { events: IN | OUT, queues: [] };
}

/** Sets the temporary mask of ppoll/pselect6; the returned function settles it when the call ends. */
function withMask(task: Task, mask: bigint | null, r: SysResult | Promise<SysResult>): SysResult | Promise<SysResult> {
  if (mask === null) return r;
  const settle = (v: SysResult): SysResult => {
    // Interrupted: signal delivery restores the old mask after the handler. Otherwise restore it now.
    if (v !== ERESTARTNOHAND && task.savedMask !== null) {
      task.sigmask = task.savedMask;
      task.savedMask = null;
    }
    return v;
  };
  return r instanceof Promise ? r.then(settle) : settle(r);
}

function applyMask(c: SyscallContext, addr: bigint, size: number): bigint | null | number {
  if (addr === 0n) return null;
  if (size !== 8) return -ERRNO.EINVAL;
  const m = c.proc.readU64(addr);
  if (m === null) return -ERRNO.EFAULT;
  c.task.savedMask = c.task.sigmask;
  c.task.sigmask = m & ~(sigbit(SIG.SIGKILL) | sigbit(SIG.SIGSTOP));
  return m;
}

/**
 * Waits until `check(false)` finds something ready, a signal interrupts (ERESTARTNOHAND: poll is not restarted
 * after a handler) or the timeout passes (then `check(true)` reports what is ready, usually nothing).
 */
function waitReady(
  task: Task,
  mask: bigint | null,
  check: (final: boolean) => number | null,
  queues: Set<WaitQueue>,
  timeout: bigint | null,
): SysResult | Promise<SysResult> {
  return withMask(
    task,
    mask,
    block(task, () => check(false), [...queues], {
      interrupted: ERESTARTNOHAND,
      ...(timeout === null ? {} : { timeoutMs: Number(timeout / 1_000_000n), onTimeout: () => check(true) ?? 0 }),
    }),
  );
}

const ppoll: Handler = (c, a) => {
  const { proc } = c;
  const n = int32(a[1]);
  if (n < 0 || n > 1024) return -ERRNO.EINVAL;
  const raw = proc.read(a[0], n * 8);
  if (!raw) return -ERRNO.EFAULT;
  const v = new DataView(raw.buffer);
  const timeout = a[2] === 0n ? null : readTimeout(proc, a[2]);
  if (typeof timeout === 'number') return timeout;
  const queues = new Set<WaitQueue>();
  const check = (final: boolean): number | null => {
    let ready = 0;
    for (let i = 0; i < n; i++) {
      const fd = v.getInt32(i * 8, true);
      const want = v.getInt16(i * 8 + 4, true);
      let got = 0;
      if (fd >= 0) {
        const f = proc.fds.get(fd);
        if (!f) got = POLL.NVAL;
        else {
          const r = readiness(c, f);
          r.queues.forEach((q) => queues.add(q));
          got = r.events & (want | POLL.ERR | POLL.HUP);
        }
      }
      v.setInt16(i * 8 + 6, got, true);
      if (got) ready++;
    }
    if (ready === 0 && !final) return null;
    return proc.write(a[0], raw) ? ready : -ERRNO.EFAULT;
  };
  const now = check(timeout === 0n);
  if (now !== null) return now;
  const mask = applyMask(c, a[3], Number(a[4]));
  if (typeof mask === 'number') return mask;
  return waitReady(c.task, mask, check, queues, timeout);
};

const pselect6: Handler = (c, a) => {
  const { proc } = c;
  const n = int32(a[0]);
  if (n < 0 || n > 1024) return -ERRNO.EINVAL;
  const bytes = Math.ceil(n / 64) * 8;
  const sets: (Uint8Array | null)[] = [];
  for (const addr of [a[1], a[2], a[3]]) {
    if (addr === 0n) sets.push(null);
    else {
      const s = proc.read(addr, bytes);
      if (!s) return -ERRNO.EFAULT;
      sets.push(s);
    }
  }
  for (let fd = 0; fd < n; fd++) {
    if (sets.some((s) => s && s[fd >> 3] & (1 << (fd & 7))) && !proc.fds.get(fd)) return -ERRNO.EBADF;
  }
  const timeout = a[4] === 0n ? null : readTimeout(proc, a[4]);
  if (typeof timeout === 'number') return timeout;
  const queues = new Set<WaitQueue>();
  const check = (final: boolean): number | null => {
    const out = sets.map((s) => (s ? new Uint8Array(s.length) : null));
    let ready = 0;
    for (let fd = 0; fd < n; fd++) {
      const bit = 1 << (fd & 7);
      const byte = fd >> 3;
      if (!sets.some((s) => s && s[byte] & bit)) continue;
      const r = readiness(c, proc.fds.get(fd)!);
      r.queues.forEach((q) => queues.add(q));
      const hit = [
        r.events & (POLL.IN | POLL.HUP | POLL.ERR),
        r.events & (POLL.OUT | POLL.ERR),
        r.events & POLL.PRI,
      ];
      for (let k = 0; k < 3; k++) {
        if (sets[k] && sets[k]![byte] & bit && hit[k]) {
          out[k]![byte] |= bit;
          ready++;
        }
      }
    }
    if (ready === 0 && !final) return null;
    for (let k = 0; k < 3; k++) if (out[k] && !proc.write([a[1], a[2], a[3]][k], out[k]!)) return -ERRNO.EFAULT;
    return ready;
  };
  const now = check(timeout === 0n);
  if (now !== null) return now;
  let mask: bigint | null | number = null;
  if (a[5] !== 0n) {
    const m = proc.read(a[5], 16);
    if (!m) return -ERRNO.EFAULT;
    const dv = new DataView(m.buffer);
    mask = applyMask(c, dv.getBigUint64(0, true), Number(dv.getBigUint64(8, true)));
    if (typeof mask === 'number') return mask;
  }
  return waitReady(c.task, mask, check, queues, timeout);
};

export const pollSyscalls: Record<string, Handler> = { ppoll, pselect6 };
