// What a syscall handler sees: the calling process and the kernel services it may need.
import type { Process } from '../proc/process.js';

export interface KernelServices {
  /** Guest environment of the run (uname nodename etc.). */
  readonly hostname: string;
  /** Ends the process with an exit status. */
  exit(proc: Process, status: number): void;
}

export interface SyscallContext {
  proc: Process;
  k: KernelServices;
}

/** A result: a non-negative value, or a negative errno. May be a promise when the call blocks (reads of stdin). */
export type SysResult = bigint | number;
export type Handler = (c: SyscallContext, a: readonly bigint[]) => SysResult | Promise<SysResult>;

/** Signed view of a syscall argument (fds, dirfds, offsets). */
export function sint(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}
/** 32-bit signed argument (int parameters). */
export function int32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}
