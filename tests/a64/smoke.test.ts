import { describe, expect, it } from 'vitest';
import { AddressSpace, PROT_EXEC, PROT_READ } from '../../runtime/memory/address-space.js';
import { CpuState } from '../../runtime/cpu/state.js';
import { Interpreter } from '../../runtime/cpu/interp.js';
import { disassemble } from '../../translator/a64/disasm.js';

function runWords(words: number[]) {
  const mem = new AddressSpace();
  mem.map(0x10000, 0x1000, PROT_READ | PROT_EXEC, 'code');
  words.forEach((w, i) => mem.write(0x10000 + i * 4, new Uint8Array(Uint32Array.of(w).buffer)));
  const cpu = new CpuState();
  cpu.pc = 0x10000n;
  const exit = new Interpreter(cpu, mem).run(100);
  return { cpu, exit };
}

describe('interpreter smoke', () => {
  it('add immediate, flags and svc', () => {
    // add x0, x0, #0x10 ; subs w1, w0, #0x10 ; svc #0
    const { cpu, exit } = runWords([0x91004000, 0x71004001, 0xd4000001]);
    expect(exit).toEqual({ kind: 'svc', imm: 0 });
    expect(cpu.x[0]).toBe(16n);
    expect(cpu.x[1]).toBe(0n);
    expect(cpu.nzcv >>> 28).toBe(0b0110);
    expect(cpu.pc).toBe(0x1000cn);
  });
  it('fetching from a null pc faults', () => {
    const { exit } = runWords([0xd61f0000]); // br x0 (x0 = 0)
    expect(exit).toMatchObject({ kind: 'fault', addr: 0n, access: 'exec' });
  });
  it('disassembles in objdump syntax', () => {
    expect(disassemble(0x91004000, 0n)).toBe('add\tx0, x0, #0x10');
    expect(disassemble(0x910003e0, 0n)).toBe('mov\tx0, sp');
    expect(disassemble(0xd65f03c0, 0n)).toBe('ret');
  });
});
