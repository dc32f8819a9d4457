// What the CPU raises to the kernel (ARCHITECTURE.md §1). The runtime never decides what a syscall means.

export type Access = 'read' | 'write' | 'exec';

export type Exit =
  /** SVC #imm executed; pc already points past it. */
  | { kind: 'svc'; imm: number }
  /** A memory access the address space does not allow; pc is the faulting instruction. */
  | { kind: 'fault'; addr: bigint; access: Access; reason: 'unmapped' | 'protection' | 'alignment' }
  /** An encoding we do not execute (unallocated, UDF, or an extension we do not advertise). */
  | { kind: 'undefined'; word: number }
  /** BRK #imm; pc is the BRK. */
  | { kind: 'brk'; imm: number }
  /** A syscall handed control to the kernel (it blocks, or the task exec'd or ended); pc is after the SVC. */
  | { kind: 'kernel' }
  /** The time slice (fuel) ran out; the task can go on later. */
  | { kind: 'fuel' };
