// Signal numbers (asm-generic/signal.h), their default actions (signal(7)), the kernel's struct sigaction as
// rt_sigaction stores it, and how a shell reports a death by each.
export const SIG = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10,
  SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSTKFLT: 16, SIGCHLD: 17, SIGCONT: 18,
  SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26,
  SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31,
} as const;

export const NSIG = 64;

const DESCRIPTION: Record<number, string> = {
  1: 'Hangup', 2: 'Interrupt', 3: 'Quit', 4: 'Illegal instruction', 5: 'Trace/breakpoint trap', 6: 'Aborted',
  7: 'Bus error', 8: 'Floating point exception', 9: 'Killed', 10: 'User defined signal 1', 11: 'Segmentation fault',
  12: 'User defined signal 2', 13: 'Broken pipe', 14: 'Alarm clock', 15: 'Terminated', 24: 'CPU time limit exceeded',
  25: 'File size limit exceeded', 26: 'Virtual timer expired', 27: 'Profiling timer expired', 31: 'Bad system call',
};

export function signalDescription(sig: number): string {
  return DESCRIPTION[sig] ?? `Signal ${sig}`;
}

const NAME_OF: Record<number, string> = Object.fromEntries(Object.entries(SIG).map(([k, v]) => [v, k]));
export function signalName(sig: number): string {
  return NAME_OF[sig] ?? (sig >= 32 && sig <= NSIG ? `SIGRT_${sig - 32}` : `${sig}`);
}

export type DefaultAction = 'term' | 'core' | 'ignore' | 'stop' | 'cont';
export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case SIG.SIGQUIT: case SIG.SIGILL: case SIG.SIGTRAP: case SIG.SIGABRT: case SIG.SIGBUS: case SIG.SIGFPE:
    case SIG.SIGSEGV: case SIG.SIGXCPU: case SIG.SIGXFSZ: case SIG.SIGSYS:
      return 'core';
    case SIG.SIGCHLD: case SIG.SIGURG: case SIG.SIGWINCH:
      return 'ignore';
    case SIG.SIGSTOP: case SIG.SIGTSTP: case SIG.SIGTTIN: case SIG.SIGTTOU:
      return 'stop';
    case SIG.SIGCONT:
      return 'cont';
    default:
      return 'term';
  }
}

/** sa_handler values of struct sigaction. */
export const SIG_DFL = 0n;
export const SIG_IGN = 1n;

export const SA = {
  NOCLDSTOP: 1, NOCLDWAIT: 2, SIGINFO: 4, RESTORER: 0x04000000, ONSTACK: 0x08000000, RESTART: 0x10000000,
  INTERRUPT: 0x20000000, NODEFER: 0x40000000, RESETHAND: 0x80000000,
} as const;

/** rt_sigprocmask's how. */
export const SIG_HOW = { SIG_BLOCK: 0, SIG_UNBLOCK: 1, SIG_SETMASK: 2 } as const;

/** si_code values. */
export const SI = { USER: 0, KERNEL: 0x80, QUEUE: -1, TIMER: -2, MESGQ: -3, ASYNCIO: -4, TKILL: -6 } as const;
export const CLD = { EXITED: 1, KILLED: 2, DUMPED: 3, TRAPPED: 4, STOPPED: 5, CONTINUED: 6 } as const;
export const SEGV = { MAPERR: 1, ACCERR: 2 } as const;
export const BUS = { ADRALN: 1 } as const;
export const ILL = { ILLOPC: 1 } as const;
export const TRAP = { BRKPT: 1 } as const;

/** The kernel's struct sigaction (arm64): handler, flags, restorer, mask; 32 bytes per signal. */
export interface SigAction {
  handler: bigint;
  flags: number;
  restorer: bigint;
  mask: bigint;
}

export function actionOf(sigactions: Uint8Array, sig: number): SigAction {
  const v = new DataView(sigactions.buffer, sigactions.byteOffset + sig * 32, 32);
  return {
    handler: v.getBigUint64(0, true),
    flags: Number(v.getBigUint64(8, true) & 0xffff_ffffn),
    restorer: v.getBigUint64(16, true),
    mask: v.getBigUint64(24, true),
  };
}

export function setHandler(sigactions: Uint8Array, sig: number, handler: bigint): void {
  const v = new DataView(sigactions.buffer, sigactions.byteOffset + sig * 32, 32);
  v.setBigUint64(0, handler, true);
  if (handler === SIG_DFL) v.setBigUint64(8, 0n, true);
}

/** The handler word (sa_handler) the process installed for `sig` with rt_sigaction. */
export function handlerOf(sigactions: Uint8Array, sig: number): bigint {
  return new DataView(sigactions.buffer, sigactions.byteOffset + sig * 32, 8).getBigUint64(0, true);
}

/** True when delivering `sig` would do nothing at all (ignored, explicitly or by default). */
export function ignored(sigactions: Uint8Array, sig: number): boolean {
  const h = handlerOf(sigactions, sig);
  return h === SIG_IGN || (h === SIG_DFL && defaultAction(sig) === 'ignore');
}

/** wait(2) status words. */
export const W = {
  exited: (code: number) => (code & 0xff) << 8,
  signaled: (sig: number, core: boolean) => sig | (core ? 0x80 : 0),
  stopped: (sig: number) => (sig << 8) | 0x7f,
  continued: 0xffff,
};
