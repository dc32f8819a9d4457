// The shape of one row of THE instruction table (ARCHITECTURE.md D1). A row holds the bit pattern with named
// fields, the semantics (written once against the Emitter, D2) and the disassembly in objdump's syntax.
import type { Emitter } from './emitter.js';

/** Decoded fields of one instruction, by the names the pattern gives them (`Rd`, `imm12`, `sf`, …). */
export type Fields = Readonly<Record<string, number>>;

/** Instruction semantics. Fields are constants here, in both backends; `pc` is the instruction's address. */
export type Exec = <V, B>(e: Emitter<V, B>, f: Fields, pc: bigint) => void;

/** objdump-style text: mnemonic, a tab, operands (`add\tx0, x1, #0x10`). */
export type Disasm = (f: Fields, pc: bigint) => string;

/** Architecture extensions we decode for disassembly but do not advertise in AT_HWCAP: executing them is SIGILL. */
export type Extension = 'base' | 'lse' | 'sve' | 'mte' | 'crc' | 'crypto' | 'fp16' | 'pauth' | 'other';

export interface EncodingSpec {
  /** ISA name as the Arm manual spells it, with a form suffix: `ADD_imm`, `LDR_reg`. */
  name: string;
  /**
   * 32 bits, most significant first, as space-separated tokens: literal bits (`0`, `1`, `x` = ignored) or
   * fields `name` / `name:width`. Width defaults: 5 for register names (`Rd`, `Rt2`…), the digits of `immNN`,
   * else 1. Example: `sf 0 0 100010 sh imm12 Rn Rd`.
   */
  pattern: string;
  /** Extra condition on the fields; false means "not this encoding" and matching goes on (unallocated forms). */
  when?: (f: Fields) => boolean;
  exec?: Exec;
  dis: Disasm;
  /** Defaults to 'base'. Rows of other extensions disassemble but raise SIGILL when executed. */
  ext?: Extension;
}

export interface FieldSpec {
  name: string;
  lo: number;
  width: number;
}

export interface Encoding extends EncodingSpec {
  mask: number;
  value: number;
  fields: readonly FieldSpec[];
  /** Number of fixed bits: more specific rows win over more general ones. */
  fixed: number;
  /** The insns/ group the row comes from (coverage reports). */
  group?: string;
}

function defaultWidth(name: string): number {
  if (/^R[a-z]\d?$/.test(name)) return 5;
  const m = /^s?imm(\d+)$/.exec(name);
  if (m) return Number(m[1]);
  return 1;
}

/** Parses a pattern; any mistake (not 32 bits, a field named twice) throws at table-build time, never later. */
export function compileEncoding(spec: EncodingSpec): Encoding {
  let bit = 32;
  let mask = 0;
  let value = 0;
  const fields: FieldSpec[] = [];
  for (const tok of spec.pattern.trim().split(/\s+/)) {
    if (/^[01x]+$/.test(tok)) {
      for (const ch of tok) {
        bit--;
        if (ch !== 'x') {
          mask |= 1 << bit;
          if (ch === '1') value |= 1 << bit;
        }
      }
      continue;
    }
    const m = /^([A-Za-z][A-Za-z0-9_]*)(?::(\d+))?$/.exec(tok);
    if (!m) throw new Error(`${spec.name}: bad pattern token '${tok}'`);
    const width = m[2] ? Number(m[2]) : defaultWidth(m[1]);
    bit -= width;
    if (fields.some((f) => f.name === m[1])) throw new Error(`${spec.name}: field '${m[1]}' named twice`);
    fields.push({ name: m[1], lo: bit, width });
  }
  if (bit !== 0) throw new Error(`${spec.name}: pattern has ${32 - bit} bits, not 32`);
  mask >>>= 0;
  value >>>= 0;
  let fixed = 0;
  for (let i = 0; i < 32; i++) if ((mask >>> i) & 1) fixed++;
  return { ...spec, mask, value, fields, fixed };
}

export function extractFields(enc: Encoding, word: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of enc.fields) out[f.name] = (word >>> f.lo) & (f.width === 32 ? 0xffffffff : (1 << f.width) - 1);
  return out;
}
