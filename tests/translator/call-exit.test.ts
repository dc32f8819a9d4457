// A call whose return site lies outside the calling function (it is another function's entry): after the call
// returns, the way on is an exit of the caller, and that exit must not write back registers the caller changed
// *before* the call — their locals are stale, the callee's results are in the state globals.
//
// Found in Debian's busybox: ash's calcsize() calls strlen() through the PLT at 0x4f9ffc and its return site
// 0x4fa000 is a function entry of its own (a weak seed), so the translated calcsize wrote its argument register
// back over strlen's result; copyfunc() then asked for an 18 MB block ("ash: out of memory").
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodeImage, discover } from '../../translator/discover/discover.js';
import { parseElf } from '../../translator/elf/elf.js';
import { A } from '../diff/asm.js';
import { TEXT_BASE, writeElf } from '../diff/elf-writer.js';
import { levitate } from '../support/tools.js';

const bl = (from: number, to: number) => (0x94000000 | (((to - from) / 4) & 0x3ff_ffff)) >>> 0;
const STP_FP_LR = 0xa9bf7bfd; // stp x29, x30, [sp, #-16]!
const LDP_FP_LR = 0xa8c17bfd; // ldp x29, x30, [sp], #16
const RET = 0xd65f03c0;

const F = TEXT_BASE + 0x10;
const H = TEXT_BASE + 0x1c;
const G = TEXT_BASE + 0x24;
// prettier-ignore
const text = new Uint32Array([
  /* 400000 _start */ bl(TEXT_BASE, F),           // x0 = F()
  /* 400004 */        A.movz(8, 93, 0),           // exit(x0)
  /* 400008 */        A.svc0(),
  /* 40000c */        bl(TEXT_BASE + 0xc, H),     // never runs: makes H a call target, so a function entry
  /* 400010 F */      STP_FP_LR,
  /* 400014 */        A.movz(0, 7, 0),            // x0 = 7: dirty in F's call block
  /* 400018 */        bl(TEXT_BASE + 0x18, G),    // x0 = G() = 42; returns to H, outside F
  /* 40001c H */      LDP_FP_LR,
  /* 400020 */        RET,
  /* 400024 G */      A.movz(0, 42, 0),
  /* 400028 */        RET,
]);
const elf = writeElf(text, new Uint8Array(8), 0x500000);

describe('a call returning to another function', () => {
  it('discovery makes the return site an entry of its own (the shape this test needs)', () => {
    const d = discover(new CodeImage(parseElf(elf), 0));
    const f = d.functions.find((fn) => fn.entry === F);
    expect(f).toBeDefined();
    expect(d.functions.some((fn) => fn.entry === H)).toBe(true);
    expect(f!.blocks.some((b) => b.start <= H && H < b.end)).toBe(false);
  });

  it('keeps the callee result: translated code exits with the same status as the interpreter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levitate-call-exit-'));
    const prog = join(dir, 'call-exit');
    writeFileSync(prog, elf, { mode: 0o755 });
    for (const engine of ['interp', 'aot']) {
      const r = levitate(['run', '--no-cache', '--engine', engine, prog]);
      expect(r.status, `${engine}: ${r.stderr}`).toBe(42);
    }
  });
});
