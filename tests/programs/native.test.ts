// Kernel conformance: each portable C test in userspace/tests/ built natively for x86-64 gives the expected
// output of the same source built for AArch64 (musl and glibc) and run under Levitate.
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, available, levitate, run } from '../support/tools.js';

const dir = `${ROOT}userspace/tests`;
const tests = readdirSync(dir).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2));

describe('userspace/tests: same output as real Linux', () => {
  const ok = available('native conformance', { files: tests.map((t) => `${dir}/${t}.native`) });
  it('there are conformance tests', () => expect(tests.length).toBeGreaterThanOrEqual(2));
  for (const t of tests) {
    for (const [libc, engine] of [['musl', 'aot'], ['glibc', 'aot'], ['musl', 'interp'], ['glibc', 'interp']]) {
      it.runIf(ok && existsSync(`${dir}/${t}.native`))(`${t} (${libc}, ${engine})`, () => {
        const want = run(`${dir}/${t}.native`, []);
        const got = levitate(['run', '--engine', engine, `${dir}/${t}.${libc}`]);
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
        expect(want.stdout.length).toBeGreaterThan(0);
      });
    }
  }
});
