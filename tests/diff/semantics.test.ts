// Semantics vs qemu-aarch64, risu-style: >= 20,000 random instructions per group drawn from the table, zero
// mismatches in final X, SP, NZCV, V, FPSR (integer groups) and the memory window. `npm run diff` runs more.
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../translator/a64/disasm.js';
import { LEVITATE, available } from '../support/tools.js';
import { A } from './asm.js';
import { GROUPS, rowsOf } from './generate.js';
import { formatMismatch, runDiff } from './harness.js';

const COUNT = 20_000;
const LEN = 20;

describe('the harness itself', () => {
  it('encodes its prologue/epilogue instructions as intended', () => {
    expect(disassemble(A.ldrQ(3, 30, 512 + 48), 0n)).toBe('ldr\tq3, [x30, #560]');
    expect(disassemble(A.msrTPIDR(0), 0n)).toBe('msr\ttpidr_el0, x0');
    expect(disassemble(A.movToSP(0), 0n)).toBe('mov\tsp, x0');
    expect(disassemble(A.mrsFPSR(1), 0n)).toBe('mrs\tx1, fpsr');
  });
});

for (const engine of ['interp', 'aot'] as const) {
  describe(`semantics: ${engine} vs qemu-aarch64 (random sequences per group)`, () => {
    const ok = available('semantics vs qemu-aarch64', { cmds: ['qemu-aarch64'] });
    for (const group of GROUPS) {
      it.runIf(ok)(`${group}: ${COUNT} instructions, zero mismatches`, () => {
        const rows = group === 'branch' ? rowsOf('alu') : rowsOf(group);
        expect(rows.length, `${group}: the table has no rows for this group`).toBeGreaterThan(0);
        const r = runDiff({ group, seed: 20261124, cases: COUNT / LEN, len: LEN, levitate: LEVITATE, engine });
        console.log(`${engine} ${group}: ${r.instructions} instructions from ${rows.length} rows, ${r.mismatches.length} mismatching cases`);
        for (const m of r.mismatches.slice(0, 3)) console.log(formatMismatch(m));
        expect(r.failure).toBe('');
        expect(r.mismatches).toHaveLength(0);
        expect(r.instructions).toBeGreaterThanOrEqual(COUNT);
      }, 600_000);
    }
  });
}
