// Work that must be done however Node ends: the host terminal put back in cooked mode, tmpfs directories removed.
// It runs at 'exit' (a normal end, process.exit, an uncaught exception) and on the signals that would otherwise
// end Node at once (SIGINT, SIGTERM, SIGHUP, SIGQUIT); after those, Node dies of the same signal, so whatever ran
// us sees 128+N and why — unless something else in this process listens for that signal too (Levitate used as a
// library), which then decides. kill -9 cannot be caught.
import { SIG } from './signal/signals.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

const work = new Set<() => void>();
const handlers = new Map<NodeJS.Signals, () => void>();

/** Runs `fn` once when Node ends, unless the returned function is called first. */
export function atHostExit(fn: () => void): () => void {
  if (handlers.size === 0) install();
  work.add(fn);
  return () => {
    work.delete(fn);
  };
}

function runAll(): void {
  const all = [...work];
  work.clear();
  for (const fn of all) {
    try {
      fn();
    } catch {
      // the others still run: nothing better to do on the way out
    }
  }
}

function install(): void {
  process.on('exit', runAll);
  for (const sig of SIGNALS) {
    const h = () => {
      runAll();
      if (process.listenerCount(sig) > 1) return; // someone else handles it
      for (const [s, f] of handlers) process.removeListener(s, f);
      handlers.clear();
      process.removeListener('exit', runAll);
      process.kill(process.pid, sig);
      // Should the signal not end us (blocked by the host), end as if it had.
      setImmediate(() => process.exit(128 + SIG[sig]));
    };
    handlers.set(sig, h);
    process.on(sig, h);
  }
}
