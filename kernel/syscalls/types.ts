// What a syscall handler sees: the calling task, its process and the kernel.
import type { Kernel } from '../kernel.js';
import type { Process, Task } from '../proc/process.js';

export interface SyscallContext {
  proc: Process;
  task: Task;
  k: Kernel;
}

/**
 * A result: a non-negative value, or a negative errno. A promise when the call waits (proc/wait.ts); it may then
 * resolve to ERESTARTSYS/ERESTARTNOHAND when a signal interrupted it.
 */
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
