// The risu-style semantic oracle: random sequences run under qemu-aarch64 (-cpu cortex-a57: ARMv8.0 with FP
// and AdvSIMD, what we advertise) and under Levitate's interpreter; the final X, SP, NZCV, V, FPSR and the
// memory window of every case are compared. Many cases share one ELF, so one process runs thousands of
// instructions.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disassemble } from '../../translator/a64/disasm.js';
import { A, movAddr } from './asm.js';
import { writeElf, TEXT_BASE } from './elf-writer.js';
import { rng, sequence, type Group } from './generate.js';

const DATA_BASE = 0x1000000;
const STATE = 1024; // X0–X30, SP, NZCV, FPCR, FPSR at 8-byte slots; V0–V31 from offset 512
const OFF = { SP: 31 * 8, NZCV: 32 * 8, FPCR: 33 * 8, FPSR: 34 * 8, V: 512 } as const;

export interface Options {
  group: Group;
  seed: number;
  cases: number;
  len: number;
  levitate: string;
  /** Levitate engine to compare (default interp). */
  engine?: 'aot' | 'interp';
}

export interface Mismatch {
  index: number;
  words: number[];
  diffs: string[];
}

export interface Result {
  instructions: number;
  mismatches: Mismatch[];
  /** Non-empty when a run failed as a whole (crash, signal). */
  failure: string;
}

function windowSize(group: Group): number {
  // Loads/stores: X28 and SP bases reach up to ~72 KiB; X25 (LDAR/STLR) and X26 (exclusives) sit beyond.
  return group === 'ldst' ? 96 * 1024 : 256;
}

const SPECIAL64 = [0n, 0x8000_0000_0000_0000n, 0x7ff0_0000_0000_0000n, 0xfff0_0000_0000_0000n, 0x7ff8_0000_0000_0001n,
  0x7ff4_0000_0000_0000n, 0x0000_0000_0000_0001n, 0x3ff0_0000_0000_0000n, 0xbff8_0000_0000_0000n, 0x4330_0000_0000_0000n];
const SPECIAL32 = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00001, 0x7fa00000, 1, 0x3f800000, 0xbfc00000, 0x4b000000];

function randomX(next: () => number): bigint {
  const r = next() % 8;
  if (r === 0) return BigInt(next() % 256);
  if (r === 1) return 0xffff_ffff_ffff_ffffn - BigInt(next() % 4);
  if (r === 2) return BigInt(next()) << 32n;
  if (r === 3) return 0x8000_0000_0000_0000n | BigInt(next() % 16);
  return (BigInt(next()) << 32n) | BigInt(next());
}

function randomV(next: () => number, fp: boolean): [bigint, bigint] {
  if (!fp) return [(BigInt(next()) << 32n) | BigInt(next()), (BigInt(next()) << 32n) | BigInt(next())];
  const half = (): bigint => {
    const r = next() % 6;
    if (r === 0) return SPECIAL64[next() % SPECIAL64.length];
    if (r === 1) return (BigInt(SPECIAL32[next() % SPECIAL32.length]) << 32n) | BigInt(SPECIAL32[next() % SPECIAL32.length]);
    if (r === 2) {
      // A double of moderate magnitude: exponent near 1023.
      return (BigInt(next() & 0x8000_0000) << 32n) | (BigInt(1023 - 40 + (next() % 80)) << 52n) | (BigInt(next() & 0xfffff) << 32n) | BigInt(next());
    }
    if (r === 3) {
      const f = () => BigInt(((next() & 0x8000_0000) | ((127 - 20 + (next() % 40)) << 23) | (next() & 0x7fffff)) >>> 0);
      return (f() << 32n) | f();
    }
    return (BigInt(next()) << 32n) | BigInt(next());
  };
  return [half(), half()];
}

export function build(o: Options): { elf: Uint8Array; bodies: number[][]; win: number } {
  const next = rng(o.seed);
  const win = windowSize(o.group);
  const caseData = STATE * 2 + win;
  const data = new Uint8Array(caseData * o.cases);
  const dv = new DataView(data.buffer);
  const text: number[] = [];
  const bodies: number[][] = [];
  const fp = o.group === 'fp' || o.group === 'simd';
  for (let i = 0; i < o.cases; i++) {
    const init = i * caseData;
    const dump = init + STATE;
    const window = dump + STATE;
    const winAddr = DATA_BASE + window;
    for (let b = 0; b < win; b++) data[window + b] = next() & 0xff;
    for (let r = 0; r < 31; r++) dv.setBigUint64(init + r * 8, randomX(next), true);
    dv.setBigUint64(init + 27 * 8, BigInt(next() % 256), true);
    dv.setBigUint64(init + 25 * 8, BigInt(winAddr + (win >= 65536 ? 80 * 1024 : 160)), true);
    dv.setBigUint64(init + 26 * 8, BigInt(winAddr + (win >= 65536 ? 88 * 1024 : 192)), true);
    dv.setBigUint64(init + 28 * 8, BigInt(winAddr + (win >= 65536 ? 16384 : 64)), true);
    dv.setBigUint64(init + OFF.SP, BigInt(winAddr + (win >= 65536 ? 32768 : 128)), true);
    dv.setBigUint64(init + OFF.NZCV, BigInt(next() % 16) << 28n, true);
    // FPCR: a random rounding mode (bits 23:22), sometimes DN (bit 25) and FZ (bit 24), for the FP groups.
    const fpcr = fp ? (BigInt(next() % 4) << 22n) | (next() % 4 === 0 ? 1n << 25n : 0n) | (next() % 4 === 0 ? 1n << 24n : 0n) : 0n;
    dv.setBigUint64(init + OFF.FPCR, fpcr, true);
    dv.setBigUint64(init + OFF.FPSR, 0n, true);
    for (let v = 0; v < 32; v++) {
      const [lo, hi] = randomV(next, fp);
      dv.setBigUint64(init + OFF.V + v * 16, lo, true);
      dv.setBigUint64(init + OFF.V + v * 16 + 8, hi, true);
    }
    // Prologue: registers from the init block (X30 is the base, loaded last).
    text.push(...movAddr(30, DATA_BASE + init));
    text.push(A.ldrX(0, 30, OFF.NZCV), A.msrNZCV(0), A.ldrX(0, 30, OFF.FPCR), A.msrFPCR(0));
    text.push(A.ldrX(0, 30, OFF.FPSR), A.msrFPSR(0), A.ldrX(0, 30, OFF.SP), A.movToSP(0));
    for (let v = 0; v < 32; v++) text.push(A.ldrQ(v, 30, OFF.V + v * 16));
    for (let r = 0; r < 30; r++) text.push(A.ldrX(r, 30, r * 8));
    text.push(A.ldrX(30, 30, 30 * 8));
    const body = sequence(o.group, next, o.len);
    bodies.push(body);
    text.push(...body);
    // Epilogue: X0 parks in TPIDR_EL0 so no register is needed to address the dump.
    text.push(A.msrTPIDR(0), ...movAddr(0, DATA_BASE + dump));
    for (let r = 1; r <= 30; r++) text.push(A.strX(r, 0, r * 8));
    text.push(A.mrsTPIDR(1), A.strX(1, 0, 0), A.movFromSP(1), A.strX(1, 0, OFF.SP));
    text.push(A.mrsNZCV(1), A.strX(1, 0, OFF.NZCV), A.mrsFPSR(1), A.strX(1, 0, OFF.FPSR));
    for (let v = 0; v < 32; v++) text.push(A.strQ(v, 0, OFF.V + v * 16));
    // write(1, dump, STATE + win): the state and the window after it.
    text.push(A.movz(0, 1, 0), ...movAddr(1, DATA_BASE + dump), ...movAddr(2, STATE + win), A.movz(8, 64, 0), A.svc0());
  }
  text.push(A.movz(0, 0, 0), A.movz(8, 94, 0), A.svc0());
  return { elf: writeElf(Uint32Array.from(text), data, DATA_BASE), bodies, win };
}

function describe(dump: DataView, off: number): (name: string) => bigint {
  return (name) => {
    if (name.startsWith('x')) return dump.getBigUint64(off + Number(name.slice(1)) * 8, true);
    if (name.startsWith('q')) {
      const v = Number(name.slice(1));
      return (dump.getBigUint64(off + OFF.V + v * 16 + 8, true) << 64n) | dump.getBigUint64(off + OFF.V + v * 16, true);
    }
    return dump.getBigUint64(off + OFF[name as keyof typeof OFF], true);
  };
}

export function runDiff(o: Options): Result {
  const { elf, bodies, win } = build(o);
  const dir = mkdtempSync(join(tmpdir(), 'levitate-diff-'));
  const path = join(dir, `${o.group}-${o.seed}.elf`);
  writeFileSync(path, elf, { mode: 0o755 });
  const q = spawnSync('qemu-aarch64', ['-cpu', 'cortex-a57', path], { maxBuffer: 1 << 30, timeout: 300_000 });
  const l = spawnSync('node', [o.levitate, 'run', '--engine', o.engine ?? 'interp', '--no-cache', path], { maxBuffer: 1 << 30, timeout: 600_000 });
  const per = STATE + win;
  const result: Result = { instructions: bodies.length * o.len, mismatches: [], failure: '' };
  if (q.status !== 0) result.failure = `qemu-aarch64 exited ${q.status} ${q.signal ?? ''}: ${q.stderr}`;
  if (l.status !== 0) result.failure += `levitate exited ${l.status} ${l.signal ?? ''}: ${l.stderr}`;
  const qb = new DataView(q.stdout.buffer, q.stdout.byteOffset, q.stdout.byteLength);
  const lb = new DataView(l.stdout.buffer, l.stdout.byteOffset, l.stdout.byteLength);
  const names = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'SP', 'NZCV', 'FPSR', ...Array.from({ length: 32 }, (_, i) => `q${i}`)];
  const ignore = new Set<string>();
  for (let i = 0; i < bodies.length; i++) {
    const off = i * per;
    if (off + per > q.stdout.length || off + per > l.stdout.length) {
      if (!result.failure) result.failure = `output ended before case ${i}`;
      result.mismatches.push({ index: i, words: bodies[i], diffs: ['(no output)'] });
      break;
    }
    const want = describe(qb, off);
    const got = describe(lb, off);
    const diffs: string[] = [];
    for (const n of names) {
      if (ignore.has(n)) continue;
      if (want(n) !== got(n)) diffs.push(`${n}: qemu 0x${want(n).toString(16)} levitate 0x${got(n).toString(16)}`);
    }
    for (let b = 0; b < win; b++) {
      if (q.stdout[off + STATE + b] !== l.stdout[off + STATE + b]) {
        diffs.push(`memory window byte ${b}: qemu 0x${q.stdout[off + STATE + b].toString(16)} levitate 0x${l.stdout[off + STATE + b].toString(16)}`);
        break;
      }
    }
    if (diffs.length) result.mismatches.push({ index: i, words: bodies[i], diffs });
  }
  return result;
}

export function formatMismatch(m: Mismatch): string {
  const lines = m.words.map((w, k) => `    ${k.toString().padStart(2)}: ${w.toString(16).padStart(8, '0')}  ${disassemble(w, 0n).replace('\t', ' ')}`);
  return [`  case ${m.index}:`, ...lines, ...m.diffs.slice(0, 12).map((d) => `    ${d}`)].join('\n');
}

export { TEXT_BASE };
