// The translation cache (D8): a second run hits, a changed binary misses, a damaged file is rebuilt — never run;
// functions translated while running are kept too.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, levitate } from '../support/tools.js';

const hello = `${ROOT}samples/hello/hello.musl`;
const cacheLine = (stderr: string) => /translation cache (.*) [0-9a-f]{32}/.exec(stderr)?.[1] ?? `(no cache line in: ${stderr})`;

describe('translation cache', () => {
  it('a second run hits the disk cache; a damaged file is rebuilt; a changed binary misses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levitate-cache-'));
    const run = (prog: string) => levitate(['run', '--stats', '--cache-dir', dir, prog]);
    const first = run(hello);
    expect(first.stdout).toContain('Hello from Levitate!');
    expect(cacheLine(first.stderr)).toMatch(/^miss \(translated/);
    expect(cacheLine(run(hello).stderr)).toMatch(/^hit \(disk, /);

    const [file] = readdirSync(dir).filter((f) => f.endsWith('.lwasm'));
    const bytes = readFileSync(join(dir, file));
    bytes[bytes.length >> 1] ^= 0xff; // one flipped byte in the middle of the module
    writeFileSync(join(dir, file), bytes);
    const again = run(hello);
    expect(cacheLine(again.stderr)).toMatch(/^miss \(rebuilt/);
    expect(again.stdout).toContain('Hello from Levitate!');
    expect(cacheLine(run(hello).stderr)).toMatch(/^hit \(disk, /);

    // The same program with one byte of its data changed is another image.
    const copy = join(dir, 'hello-copy');
    copyFileSync(hello, copy);
    const img = readFileSync(copy);
    const at = img.indexOf(Buffer.from('Hello from Levitate!'));
    img[at] = 'J'.charCodeAt(0);
    writeFileSync(copy, img, { mode: 0o755 });
    const changed = run(copy);
    expect(cacheLine(changed.stderr)).toMatch(/^miss/);
    expect(changed.stdout).toContain('Jello from Levitate!');
  });

  it('functions translated while running are kept on disk, so a later run need not load the translator', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levitate-cache-'));
    const run = () => levitate(['run', '--stats', '--cache-dir', dir, `${ROOT}userspace/levbox.musl`, 'echo', 'hi']);
    const lazyFiles = () => readdirSync(dir).filter((f) => /-[0-9a-f]+\.lwasm$/.test(f)).sort();
    const loads = (stderr: string) => /the translator loaded for them/.test(stderr);
    run();
    const kept = lazyFiles();
    expect(kept.length).toBeGreaterThan(0); // code discovery leaves a few of levbox's functions to run time
    // The image's module is on disk but its functions translated while running are not: the translator is
    // loaded once more, and everything that waited for it is translated and kept — also what ran on in the
    // interpreter meanwhile and never came back.
    for (const f of kept) rmSync(join(dir, f));
    const again = run();
    expect(again.stdout).toBe('hi\n');
    expect(loads(again.stderr)).toBe(true);
    expect(lazyFiles()).toEqual(kept);
    const third = run();
    expect(loads(third.stderr)).toBe(false);
    expect(third.stderr).toMatch(/translation cache hit \(disk/);
  });

  it('code each process runs once is translated after a few processes, not interpreted in every one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levitate-cache-'));
    const interpreted = (n: number) => {
      const script = Array(n).fill(`${ROOT}userspace/levbox.musl true`).join('; ');
      const r = levitate(['run', '--stats', '--cache-dir', dir, `${ROOT}userspace/sh.musl`, '-c', script]);
      expect(r.status).toBe(0);
      return Number(/ (\d+) interpreted/.exec(r.stderr)?.[1]);
    };
    interpreted(6); // warms the cache: what the first processes fell back on is translated and kept
    const six = interpreted(6);
    const many = interpreted(24);
    // Counted per process, each levbox would interpret its start-up code again (about 90 instructions).
    expect(many).toBeLessThan(six * 1.5);
  });

  it('--stats shows most instructions ran translated', () => {
    const r = levitate(['run', '--stats', '--no-cache', hello]);
    const pct = Number(/([\d.]+)% translated/.exec(r.stderr)?.[1]);
    expect(pct).toBeGreaterThan(90);
  });
});
