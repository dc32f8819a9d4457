// A syscall as --strace's argument decoders see it: the process, the raw arguments, and once it has returned,
// the result.
import type { Process } from '../proc/process.js';

/** One call as the kinds see it. `ret` (signed) is known only when the call has returned. */
export interface Call {
  readonly p: Process;
  readonly args: readonly bigint[];
  /** How many arguments the spec lists: the last one is the sigset size of the calls that take one. */
  readonly nargs: number;
  /** The stack pointer at the call (rt_sigreturn finds its frame there). */
  readonly sp: bigint;
  ret?: bigint;
}

/** An argument as C's int (the low 32 bits, signed) or unsigned int. */
export const int = (v: bigint): number => Number(BigInt.asIntN(32, v));
export const u32 = (v: bigint): number => Number(v & 0xffffffffn);
/** The call has returned, and not with an error: its output arguments hold something. */
export const ok = (c: Call): boolean => c.ret !== undefined && !(c.ret < 0n && c.ret >= -4095n);
