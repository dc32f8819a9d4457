// A minimal static AArch64 ELF writer for test programs: one RX text segment, one RW data segment.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEXT_BASE = 0x400000;

export function writeElf(text: Uint32Array, data: Uint8Array, dataBase: number): Uint8Array {
  const EH = 64;
  const PH = 56;
  const textOff = 0x1000;
  const textSize = text.length * 4;
  const dataOff = textOff + Math.ceil(textSize / 0x1000) * 0x1000;
  const out = new Uint8Array(dataOff + data.length);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 183, true); // EM_AARCH64
  v.setUint32(20, 1, true);
  v.setBigUint64(24, BigInt(TEXT_BASE), true);
  v.setBigUint64(32, BigInt(EH), true);
  v.setUint16(52, EH, true);
  v.setUint16(54, PH, true);
  v.setUint16(56, 2, true);
  v.setUint16(58, 64, true);
  const ph = (i: number, flags: number, off: number, addr: number, size: number) => {
    const o = EH + i * PH;
    v.setUint32(o, 1, true); // PT_LOAD
    v.setUint32(o + 4, flags, true);
    v.setBigUint64(o + 8, BigInt(off), true);
    v.setBigUint64(o + 16, BigInt(addr), true);
    v.setBigUint64(o + 24, BigInt(addr), true);
    v.setBigUint64(o + 32, BigInt(size), true);
    v.setBigUint64(o + 40, BigInt(size), true);
    v.setBigUint64(o + 48, 0x1000n, true);
  };
  ph(0, 5, textOff, TEXT_BASE, textSize);
  ph(1, 6, dataOff, dataBase, data.length);
  new Uint32Array(out.buffer, textOff, text.length).set(text);
  out.set(data, dataOff);
  return out;
}

/** An executable file of these instruction words (and 16 bytes of data) in a fresh temp directory; its path. */
export function writeProgramFile(words: number[]): string {
  const p = join(mkdtempSync(join(tmpdir(), 'levitate-prog-')), 'prog');
  writeFileSync(p, writeElf(Uint32Array.from(words), new Uint8Array(16), 0x1000000), { mode: 0o755 });
  return p;
}
