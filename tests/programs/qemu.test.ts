// Programs vs qemu-aarch64: byte-identical stdout, stderr and exit status under the interpreter.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUSYBOX, ROOT, available, levitate, run } from '../support/tools.js';

const ok = available('programs vs qemu-aarch64', { cmds: ['qemu-aarch64'], files: [BUSYBOX] });

// A test directory with fixed contents and times, so `ls -la` is the same for both runs.
const dir = mkdtempSync(join(tmpdir(), 'levitate-prog-'));
mkdirSync(join(dir, 'sub'));
const lines = Array.from({ length: 200 }, (_, i) => `line ${(i * 7919) % 200} ${'x'.repeat(i % 13)}`).join('\n') + '\n';
writeFileSync(join(dir, 'data.txt'), lines);
writeFileSync(join(dir, 'empty'), '');

const cases: [string, string[]][] = [
  ['musl hello', [`${ROOT}samples/hello/hello.musl`, 'a', 'b c']],
  ['glibc hello', [`${ROOT}samples/hello/hello.glibc`, 'one']],
  ['glibc static-pie hello', [`${ROOT}samples/hello/hello.pie`, 'pie']],
  ['syscall ABI (musl)', [`${ROOT}userspace/tests/syscall-abi.musl`]],
  ['vectorised loops (musl)', [`${ROOT}samples/vector/vector.musl`]],
  ['vectorised loops (glibc)', [`${ROOT}samples/vector/vector.glibc`]],
  ['vector floating point on edge values, FPSR (musl)', [`${ROOT}samples/fpvec/fpvec.musl`]],
  ['vector floating point on edge values, FPSR (glibc)', [`${ROOT}samples/fpvec/fpvec.glibc`]],
  ['code written at run time, IC IVAU, W^X (musl)', [`${ROOT}samples/jit/jit.musl`]],
  ['code written at run time, IC IVAU, W^X (glibc)', [`${ROOT}samples/jit/jit.glibc`]],
  ['jump tables: a spilled table address, computed goto (musl)', [`${ROOT}samples/jumptable/jumptable.musl`]],
  ['jump tables: a spilled table address, computed goto (glibc)', [`${ROOT}samples/jumptable/jumptable.glibc`]],
  ['busybox echo', [BUSYBOX, 'echo', 'hello', 'world']],
  ['busybox printf', [BUSYBOX, 'printf', '%d %s\\n', '42', 'x']],
  ['busybox seq 1000', [BUSYBOX, 'seq', '1000']],
  ['busybox sha256sum', [BUSYBOX, 'sha256sum', 'data.txt']],
  ['busybox md5sum', [BUSYBOX, 'md5sum', 'data.txt']],
  ['busybox sort', [BUSYBOX, 'sort', 'data.txt']],
  ['busybox wc', [BUSYBOX, 'wc', 'data.txt']],
  ['busybox head', [BUSYBOX, 'head', '-n', '5', 'data.txt']],
  ['busybox ls -la', [BUSYBOX, 'ls', '-la', '.']],
  ['busybox cat of a missing file', [BUSYBOX, 'cat', 'missing']],
  ['busybox find (host directory order)', [BUSYBOX, 'find', '.']],
  ['busybox awk', [BUSYBOX, 'awk', '{ n[$2] += length($0) } END { for (k in n) s += n[k]; print s, NR }', 'data.txt']],
  ['busybox sed', [BUSYBOX, 'sed', '-n', String.raw`s/line \([0-9]*\)/<\1>/p`, 'data.txt']],
  ['busybox grep -c', [BUSYBOX, 'grep', '-c', String.raw`x\{5\}`, 'data.txt']],
  ['busybox od', [BUSYBOX, 'od', '-A', 'x', '-t', 'x1z', 'data.txt']],
  ['busybox dc (floating point printing)', [BUSYBOX, 'dc', '-e', '20k 2 v p 355 113 / p']],
  ['busybox printf %f', [BUSYBOX, 'printf', '%5.2f %e %g\n', '3.14159', '6.02e23', '0.0001']],
  ['busybox seq with a fractional step', [BUSYBOX, 'seq', '1', '0.25', '3']],
  ['busybox sha512sum', [BUSYBOX, 'sha512sum', 'data.txt']],
  ['busybox gzip -c', [BUSYBOX, 'gzip', '-c', 'data.txt']],
  ['busybox base64', [BUSYBOX, 'base64', 'data.txt']],
  ['busybox factor', [BUSYBOX, 'factor', '1234567890123']],
  ['busybox date', [BUSYBOX, 'date', '-u', '-d', '@1234567890']],
];

for (const engine of ['aot', 'interp']) {
  describe(`programs: levitate --engine ${engine} matches qemu-aarch64`, () => {
    for (const [name, argv] of cases) {
      it.runIf(ok)(name, () => {
        const want = run('qemu-aarch64', argv, { cwd: dir });
        const got = levitate(['run', '--engine', engine, ...argv], { cwd: dir });
        expect(got.stderr).toBe(want.stderr);
        expect(got.stdout).toBe(want.stdout);
        expect(got.status).toBe(want.status);
      }, 300_000);
    }
  });
}
