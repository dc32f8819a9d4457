// Jump tables discovery must recognise (translator/discover/discover.ts, jumpTable()), in code GCC -O2 built from
// samples/jumptable/jumptable.c: a switch whose table address was spilled to the stack (as in SQLite's
// sqlite3VdbeExec) and a computed-goto interpreter whose table holds absolute addresses and has no bound (as in
// Lua's luaV_execute). Unrecognised, each such BR leaves its function through the dispatcher and its targets
// become functions translated while running. (The program's output is checked against a native build and
// qemu-aarch64 in tests/programs/.)
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../translator/a64/disasm.js';
import { CodeImage, discover } from '../../translator/discover/discover.js';
import { parseElf, type ElfImage } from '../../translator/elf/elf.js';
import { ROOT, levitate } from '../support/tools.js';

const dir = `${ROOT}samples/jumptable`;

/** The function symbols of an image: name → [start, end). */
function functionSymbols(elf: ElfImage): Map<string, [number, number]> {
  const dv = new DataView(elf.bytes.buffer, elf.bytes.byteOffset, elf.bytes.byteLength);
  const out = new Map<string, [number, number]>();
  for (const s of elf.sections) {
    if (s.type !== 2 /* SHT_SYMTAB */) continue;
    const strtab = elf.sections[s.link];
    for (let o = s.offset; o + 24 <= s.offset + s.size; o += 24) {
      if ((dv.getUint8(o + 4) & 0xf) !== 2 /* STT_FUNC */) continue;
      let name = '';
      for (let p = strtab.offset + dv.getUint32(o, true); elf.bytes[p] !== 0; p++) name += String.fromCharCode(elf.bytes[p]);
      const value = Number(dv.getBigUint64(o + 8, true));
      out.set(name, [value, value + Number(dv.getBigUint64(o + 16, true))]);
    }
  }
  return out;
}

describe.each(['musl', 'glibc'])('jump tables GCC emits (%s)', (libc) => {
  const path = `${dir}/jumptable.${libc}`;
  const elf = parseElf(new Uint8Array(readFileSync(path)));
  const img = new CodeImage(elf, 0);
  const d = discover(img);
  const syms = functionSymbols(elf);
  /** Every BR in the named function (GCC may rename it: vm_switch.constprop.0), with its disassembly before it. */
  const brsIn = (name: string) => {
    const [, range] = [...syms].find(([n]) => n === name || n.startsWith(`${name}.`)) ?? [name, null];
    expect(range, `no symbol ${name}`).not.toBeNull();
    const out: { at: number; before: string[] }[] = [];
    for (let a = range![0]; a < range![1]; a += 4) {
      if (!disassemble(img.word(a)!, BigInt(a)).startsWith('br\t')) continue;
      out.push({ at: a, before: [16, 12, 8, 4].map((k) => disassemble(img.word(a - k)!, BigInt(a - k))) });
    }
    return out;
  };
  /** The candidates discovery found for the BR at `at` (in any function that holds it), deduplicated. */
  const cases = (at: number) => {
    const found = new Set<number>();
    for (const f of d.functions) for (const t of f.switches.get(at) ?? []) found.add(t);
    return found;
  };

  it('recognises a switch whose table address was spilled to a stack slot', () => {
    const brs = brsIn('vm_switch');
    expect(brs).toHaveLength(1);
    // The fixture still has the shape: `ldr x0, [sp, #N]; ldrh w1, [x0, w1, uxtw #1]; adr; add; br`.
    expect(brs[0].before[0]).toMatch(/^ldr\tx\d+, \[sp, #\d+\]$/);
    expect(brs[0].before[1]).toMatch(/^ldrh\t/);
    // Cases 0..59 and the default: 61 labels, some of which GCC merges.
    expect(cases(brs[0].at).size).toBeGreaterThanOrEqual(50);
  });

  it('recognises every dispatch of a computed-goto interpreter (absolute addresses, no bound)', () => {
    const brs = brsIn('vm_goto');
    // GCC copies `goto *tab[*ip++ & 15]` into each handler.
    expect(brs.length).toBeGreaterThanOrEqual(8);
    const [start, end] = [...syms].find(([n]) => n === 'vm_goto')![1];
    for (const br of brs) {
      expect(br.before.some((t) => /^ldr\tx\d+, \[x\d+, x\d+, lsl #3\]$/.test(t)), `BR at ${br.at.toString(16)}`).toBe(true);
      const c = cases(br.at);
      // The table's 16 labels, and nothing past its end.
      expect(c.size, `BR at ${br.at.toString(16)}`).toBe(16);
      for (const t of c) expect(t >= start && t < end).toBe(true);
    }
  });

  it('levitate inspect reports the tables it recognised', () => {
    const r = levitate(['inspect', path]);
    const m = /jump tables recognised: (\d+) \((\d+) targets\)/.exec(r.stdout);
    expect(Number(m?.[1])).toBe(d.functions.reduce((a, f) => a + f.switches.size, 0));
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(16); // the spilled switch and the 15 computed gotos
    expect(Number(m?.[2])).toBeGreaterThanOrEqual(50 + 15 * 16);
  });
  it('runs them translated ahead of time, with the right output', () => {
    const cache = mkdtempSync(join(tmpdir(), 'levitate-jumptable-cache-'));
    const r = levitate(['run', '--stats', '--cache-dir', cache, path]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^checksum a63aaa7263a70746$/m);
    // Functions translated while running are kept in the cache directory as <image key>-<entry in hex>.lwasm
    // (runtime/engine/aot.ts). Some are expected — loop headers where a time slice ran out, in printf, say — but
    // none inside the two interpreters: with the BRs unrecognised every case label was one (73 in all for musl).
    const entries = readdirSync(cache).flatMap((f) => {
      const m = /-([0-9a-f]+)\.lwasm$/.exec(f);
      return m ? [parseInt(m[1], 16)] : [];
    });
    const count = Number(/ (\d+) functions translated while running/.exec(r.stderr)?.[1]);
    // --stats also counts each syscall and the host time its handler took.
    expect(r.stderr).toMatch(/syscalls \(count, host time in handlers\): .*\bexit_group 1 [\d.]+ ms/);
    expect(entries.length).toBe(count);
    for (const name of ['vm_switch', 'vm_goto']) {
      const [start, end] = [...syms].find(([n]) => n === name || n.startsWith(`${name}.`))![1];
      expect(entries.filter((e) => e >= start && e < end).map((e) => e.toString(16)), name).toEqual([]);
    }
  }, 300_000);
});
