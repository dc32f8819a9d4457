// What the kernel runs a task with: an engine executes guest code until it must exit to the kernel (D10).
// Both engines serve syscalls through `onSvc` (true: go on; false: the kernel takes over) and report Exits.
import { Interpreter } from '../cpu/interp.js';
import type { CpuState } from '../cpu/state.js';
import type { AddressSpace } from '../memory/address-space.js';
import type { Exit } from './exit.js';

export interface Engine {
  /** Runs about `fuel` guest instructions at most. */
  run(fuel: number): Exit;
  /** Guest instructions run translated and interpreted so far. */
  readonly stats: { translated: number; interpreted: number; lazy: number };
  /** The engine is done with: what it holds may serve a later engine. */
  dispose?(): void;
  /**
   * Inside a syscall, makes the task's CpuState whole. An engine may hand the kernel only X0–X8, SP and PC for a
   * syscall (what handlers read); one that reads or replaces the other registers asks for them first.
   */
  syncFull?(): void;
}

/** The interpreter as an engine: every instruction through the EvalEmitter. */
export class InterpEngine implements Engine {
  readonly stats = { translated: 0, interpreted: 0, lazy: 0 };
  private readonly interp: Interpreter;
  constructor(
    readonly cpu: CpuState,
    mem: AddressSpace,
    private readonly onSvc: (imm: number) => boolean,
  ) {
    this.interp = new Interpreter(cpu, mem);
  }
  run(fuel: number): Exit {
    let left = fuel;
    while (left > 0) {
      const before = this.cpu.retired;
      const exit = this.interp.run(left);
      const ran = this.cpu.retired - before;
      this.stats.interpreted += ran;
      left -= ran;
      if (exit.kind !== 'svc') return exit;
      if (!this.onSvc(exit.imm)) return { kind: 'kernel' };
    }
    return { kind: 'fuel' };
  }
}
