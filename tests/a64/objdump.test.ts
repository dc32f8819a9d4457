// Decoding vs objdump: every instruction objdump decodes in our fixtures and Debian's busybox-static; mnemonic
// and operands must agree for at least 99% of them. Prints the figure and the first disagreements.
import { describe, expect, it } from 'vitest';
import { BUSYBOX, ROOT, available } from '../support/tools.js';
import { compareWithObjdump, report } from './objdump-compare.js';

const targets = [
  `${ROOT}samples/hello/hello.musl`,
  `${ROOT}samples/hello/hello.glibc`,
  `${ROOT}userspace/tests/syscall-abi.glibc`,
  BUSYBOX,
];

describe('disassembly agrees with aarch64-linux-gnu-objdump', () => {
  const ok = available('objdump agreement', { cmds: ['aarch64-linux-gnu-objdump'], files: targets });
  for (const t of targets) {
    it.runIf(ok)(`${t.slice(ROOT.length)}: at least 99% agreement`, () => {
      const a = compareWithObjdump(t, 15);
      console.log(report(t.slice(ROOT.length), a));
      expect(a.total).toBeGreaterThan(1000);
      expect(a.agree / a.total).toBeGreaterThanOrEqual(0.99);
    }, 120_000);
  }
});
