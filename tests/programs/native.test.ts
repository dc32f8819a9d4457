// Kernel conformance: the portable C test built natively for x86-64 gives the expected output of the same
// source built for AArch64 (musl and glibc) and run under Levitate.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, available, levitate, run } from '../support/tools.js';

const native = `${ROOT}userspace/tests/syscall-abi.native`;
const ok = available('native conformance', { files: [native] });

describe('userspace/tests/syscall-abi: same output as real Linux', () => {
  for (const libc of ['musl', 'glibc']) {
    it.runIf(ok && existsSync(native))(`${libc}: undefined syscall numbers (1000, 1001) answer ENOSYS`, () => {
      const want = run(native, []);
      const got = levitate(['run', `${ROOT}userspace/tests/syscall-abi.${libc}`]);
      expect(got.stdout).toBe(want.stdout);
      expect(got.stdout).toContain('syscall(1000) = -1 errno=ENOSYS');
      expect(got.status).toBe(0);
    });
  }
});
