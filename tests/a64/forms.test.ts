// Disassembly of forms that the reference binaries rarely or never contain: assembled by aarch64-linux-gnu-as,
// disassembled by objdump (the oracle) and by us; every line must agree.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../translator/a64/disasm.js';
import { available } from '../support/tools.js';
import { normalise } from './objdump-compare.js';

const FORMS = `
ld3 {v3.4s, v4.4s, v5.4s}, [sp]
ld4 {v28.8b, v29.8b, v30.8b, v31.8b}, [x2], x3
st2 {v0.2d, v1.2d}, [x0]
ld1 {v0.s}[3], [x1]
st1 {v2.b}[15], [x3], #1
ld2 {v4.h, v5.h}[5], [x0], x7
ld1r {v0.4s}, [x0]
ld4r {v0.8b, v1.8b, v2.8b, v3.8b}, [x9], #4
st4 {v0.d, v1.d, v2.d, v3.d}[1], [x0]
fmla v3.2d, v4.2d, v5.2d
fmla v0.4s, v1.4s, v31.s[3]
fmla d0, d1, v2.d[1]
mla v0.8h, v1.8h, v15.h[7]
uhadd v0.16b, v1.16b, v2.16b
ushl v0.2d, v1.2d, v2.2d
sli v0.4s, v1.4s, #7
usra v0.2d, v1.2d, #63
fcmgt v1.4s, v2.4s, v3.4s
faddp v0.2d, v1.2d, v2.2d
fabd v0.4s, v1.4s, v2.4s
fsqrt v0.2s, v1.2s
tbl v0.16b, {v1.16b, v2.16b, v3.16b}, v4.16b
tbx v0.8b, {v31.16b, v0.16b}, v4.8b
addhn2 v0.16b, v1.8h, v2.8h
rsubhn v0.4h, v1.4s, v2.4s
umlal2 v0.4s, v1.8h, v2.8h
smull v0.2d, v1.2s, v2.2s
usubw v0.8h, v1.8h, v2.8b
ushr d1, d0, #32
fcvtzs v0.4s, v1.4s
ucvtf d0, d1
fcvtms x0, d1
fcvtau w1, s2
scvtf s0, x9
scvtf d0, w0, #2
scvtf s1, x2, #64
ucvtf d3, x4, #1
ucvtf s5, w6, #32
fcvtzs w0, d1, #32
fcvtzs x7, s8, #17
fcvtzu x0, d31, #64
fcvtzu w9, s10, #1
scvtf h0, w1, #3
fcvtzu x2, h3, #40
fmov d0, #-1.250000000000000000e-01
fmov v1.d[1], x2
fmadd s0, s1, s2, s3
fnmsub d0, d1, d2, d3
fccmpe d0, d1, #0x4, ne
frintx d0, d1
fcvt s0, d1
bfi x0, x1, #8, #16
bfxil w0, w1, #3, #4
sbfiz x0, x1, #2, #10
ubfx w0, w1, #5, #3
extr x0, x1, x2, #7
ror w0, w1, #9
movn w0, #0x1234, lsl #16
movk x0, #0xbeef, lsl #48
mov x0, #0xffff0000ffff0000
tst w0, #0xff
ccmn x0, #0x1f, #0x9, le
csinv w0, w1, w2, mi
cneg x0, x1, vs
cls w0, w1
rev16 x0, x1
rorv x0, x1, x2
umnegl x0, w1, w2
ngcs w0, w1
add x0, sp, w1, uxtw #2
cmp x0, w1, sxtw
ldrsb w0, [x1, #-3]!
ldrsh x0, [x1], #2
ldursw x0, [x1, #-4]
ldtrb w0, [x1, #5]
ldr x0, [x1, w2, sxtw #3]
strb w0, [x1, x2, lsl #0]
prfm pstl2strm, [x0, #64]
ldpsw x0, x1, [x2, #-8]
stnp q0, q1, [x2, #64]
ldaxp x0, x1, [x2]
stlxrh w3, w4, [x5]
ldar w0, [sp]
ldaddal x0, x1, [x2]
stsetl w0, [x1]
casb w0, w1, [x2]
tbnz x3, #40, .+8
dmb ishld
isb
dsb sy
clrex
bti jc
paciasp
hint #0x65
mrs x0, tpidr_el0
msr fpcr, x1
mrs x2, cntvct_el0
dc zva, x0
ic ivau, x1
`;

describe('rare forms: disassembly agrees with objdump', () => {
  const ok = available('forms vs objdump', { cmds: ['aarch64-linux-gnu-as', 'aarch64-linux-gnu-objdump'] });
  it.runIf(ok)(`${FORMS.trim().split('\n').length} assembled forms`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'levitate-forms-'));
    writeFileSync(join(dir, 'f.s'), FORMS);
    execFileSync('aarch64-linux-gnu-as', ['-march=armv8.1-a+fp16', join(dir, 'f.s'), '-o', join(dir, 'f.o')]);
    const dump = execFileSync('aarch64-linux-gnu-objdump', ['-d', join(dir, 'f.o')], { encoding: 'utf8' });
    const bad: string[] = [];
    let n = 0;
    for (const line of dump.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(line);
      if (!m) continue;
      n++;
      const theirs = normalise(m[3]);
      const ours = normalise(disassemble(parseInt(m[2], 16), BigInt('0x' + m[1])));
      if (ours !== theirs) bad.push(`${m[2]}: objdump '${theirs}' ours '${ours}'`);
    }
    expect(n).toBe(FORMS.trim().split('\n').length);
    expect(bad).toEqual([]);
  });
});
