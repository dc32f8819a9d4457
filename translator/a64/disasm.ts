// Disassembly in objdump's syntax, driven by the same table as the decoder.
import { decode } from './decoder.js';

/** `mnemonic\toperands`, or objdump's `.inst\t0x…` line for words no row matches. */
export function disassemble(word: number, pc: bigint): string {
  const d = decode(word);
  if (!d) return `.inst\t0x${(word >>> 0).toString(16).padStart(8, '0')} ; undefined`;
  return d.enc.dis(d.f, pc);
}
