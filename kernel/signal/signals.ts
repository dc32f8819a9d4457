// Signal numbers (asm-generic/signal.h) and how a shell reports a death by each.
export const SIG = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10,
  SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20,
} as const;

const DESCRIPTION: Record<number, string> = {
  1: 'Hangup', 2: 'Interrupt', 3: 'Quit', 4: 'Illegal instruction', 5: 'Trace/breakpoint trap', 6: 'Aborted',
  7: 'Bus error', 8: 'Floating point exception', 9: 'Killed', 10: 'User defined signal 1', 11: 'Segmentation fault',
  12: 'User defined signal 2', 13: 'Broken pipe', 14: 'Alarm clock', 15: 'Terminated',
};

export function signalDescription(sig: number): string {
  return DESCRIPTION[sig] ?? `Signal ${sig}`;
}

/** sa_handler values of struct sigaction. */
export const SIG_DFL = 0n;
export const SIG_IGN = 1n;

/** The handler word (sa_handler) the process installed for `sig` with rt_sigaction. */
export function handlerOf(sigactions: Uint8Array, sig: number): bigint {
  return new DataView(sigactions.buffer, sigactions.byteOffset + sig * 32, 8).getBigUint64(0, true);
}
