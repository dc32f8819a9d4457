// Bad input: a malformed ELF gives one clear line and status 126 from the CLI; 10,000 seeded mutations of a
// real image never crash, hang or escape as anything but ElfError, and those that load start cleanly.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../translator/elf/elf.js';
import { ElfError } from '../../translator/errors.js';
import { ROOT, levitate } from '../support/tools.js';
import { rng } from '../diff/generate.js';
import { Interpreter } from '../../runtime/cpu/interp.js';
import { Vfs } from '../../kernel/fs/vfs.js';
import { execImage } from '../../kernel/proc/exec.js';
import { Process, Task } from '../../kernel/proc/process.js';

const hello = new Uint8Array(readFileSync(`${ROOT}samples/hello/hello.musl`));

describe('malformed ELF files', () => {
  it('the CLI reports one line and exits 126', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levitate-elf-'));
    const cases: Record<string, Uint8Array> = {
      empty: new Uint8Array(0),
      text: new TextEncoder().encode('#!/bin/sh\necho hi\n'),
      truncated: hello.slice(0, 100),
      x86: (() => {
        const b = hello.slice();
        b[18] = 62;
        return b;
      })(),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const p = join(dir, name);
      writeFileSync(p, bytes, { mode: 0o755 });
      const r = levitate(['run', p]);
      expect(r.status, name).toBe(126);
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(r.stderr, name).toMatch(/^levitate: /);
      expect(r.stderr, name).not.toMatch(/\n\s+at /);
    }
  });

  it('10,000 seeded mutations: only ElfError, never another exception', { timeout: 120_000 }, () => {
    const next = rng(0x1e71a7e);
    const root = new Vfs(tmpdir());
    let rejected = 0;
    let parsed = 0;
    for (let i = 0; i < 10_000; i++) {
      const b = hello.slice(0, i % 10 === 0 ? next() % hello.length : hello.length);
      const flips = 1 + (next() % 8);
      for (let k = 0; k < flips; k++) {
        // Bias mutations towards the headers, where the interesting fields are.
        const at = next() % 4 === 0 ? next() % Math.max(1, b.length) : next() % Math.min(b.length || 1, 512);
        if (b.length) b[at] = next() & 0xff;
      }
      try {
        parseElf(b);
        parsed++;
        // Load the first few hundred that parse and run them briefly: the loader and CPU must cope too.
        if (parsed <= 300) {
          const proc = new Process(1, root);
          const task = new Task(1, proc);
          execImage(proc, task, b, { argv: ['m'], envp: [], path: '/m' });
          const exit = new Interpreter(task.cpu, proc.mem).run(2000);
          expect(['svc', 'fault', 'undefined', 'brk', 'fuel']).toContain(exit.kind);
          proc.mm.drop(); // its memory back to the pool
        }
      } catch (err) {
        if (!(err instanceof ElfError)) throw new Error(`mutation ${i}: ${(err as Error).stack}`);
        rejected++;
      }
    }
    console.log(`mutated ELF files: ${rejected} rejected with one line, ${parsed} parsed`);
    expect(rejected + parsed).toBe(10_000);
    expect(rejected).toBeGreaterThan(100);
  });
});
