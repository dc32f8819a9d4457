import type { SysReg } from '../a64/emitter.js';
// The contract between translated modules and the engine that runs them (D4, D5, D6): the imported state
// globals, the exit codes a translated function returns, the imported functions, and the function type.
//
// Every translated function has type (entry: i32, depth: i32) -> i32. `entry` is the guest address it is
// entered at (its start or a loop header); `depth` counts nested guest calls on the Wasm stack. It returns an
// exit code; the `pc` global holds where guest execution continues.

/** Guest address of linear offset 0 in every address space's memory (D3; see runtime/memory). */
export const GUEST_BASE = 0x10000;

/** Module name of every import. */
export const IMPORT_MODULE = 'levitate';

/** Imported mutable globals that hold the guest state while translated code runs. */
export const X_GLOBALS = Array.from({ length: 31 }, (_, i) => `x${i}`);
export const V_GLOBALS = Array.from({ length: 32 }, (_, i) => [`v${i}lo`, `v${i}hi`] as const);
/** i64 globals besides X and V. `spLow` is the lowest stack pointer translated code set (AddressSpace.stackLow). */
export const I64_GLOBALS = ['sp', 'pc', 'tpidr', 'exclAddr', 'faultAddr', 'nzcvA', 'nzcvB', 'spLow'] as const;
/**
 * i32 globals. `fuel` counts guest instructions left in the slice; `exclSize` is 0 when the monitor is clear.
 * The flags are kept lazily, as translated code keeps them: NZCV is `nzcv` when `nzcvK` is FLAGS.EAGER, else
 * what the operation of kind `nzcvK` on `nzcvA` and `nzcvB` sets (see nzcvValue) — a function that returns
 * after a compare stores three values instead of computing four flags nobody may read.
 */
export const I32_GLOBALS = ['nzcv', 'nzcvK', 'fpcr', 'fpsr', 'fuel', 'exclSize'] as const;

/** Kinds of lazy flags: the operation whose result sets NZCV. */
export const FLAGS = { EAGER: 0, SUB32: 1, SUB64: 2, ADD32: 3, ADD64: 4, LOGIC32: 5, LOGIC64: 6 } as const;

/** NZCV (bits 31:28) of lazy flags, for the engine. */
export function nzcvValue(kind: number, a: bigint, b: bigint, eager: number): number {
  if (kind === FLAGS.EAGER) return eager >>> 0;
  const w = kind === FLAGS.SUB32 || kind === FLAGS.ADD32 || kind === FLAGS.LOGIC32 ? 32 : 64;
  const x = BigInt.asUintN(w, a);
  const y = BigInt.asUintN(w, b);
  const top = 1n << BigInt(w - 1);
  const nz = (r: bigint) => ((r & top ? 8 : 0) | (r === 0n ? 4 : 0)) << 28;
  if (kind === FLAGS.LOGIC32 || kind === FLAGS.LOGIC64) return nz(x) >>> 0;
  const sub = kind === FLAGS.SUB32 || kind === FLAGS.SUB64;
  const r = BigInt.asUintN(w, sub ? x - y : x + y);
  const c = sub ? x >= y : r < x;
  const v = sub ? ((x ^ y) & (x ^ r) & top) !== 0n : (~(x ^ y) & (x ^ r) & top) !== 0n;
  return (nz(r) | (c ? 1 << 29 : 0) | (v ? 1 << 28 : 0)) >>> 0;
}

export const EXIT = {
  /** A RET: pc = the return target. Callers on the Wasm stack continue when it is their return address. */
  RET: 0,
  /** pc has no translation reachable from here: the engine finds one or interprets. */
  DISPATCH: 1,
  /** The kernel needs control (a syscall that blocks, exits, execs…); pc is after the SVC. */
  KERNEL: 2,
  /** Fuel ran out; pc is where to resume. */
  FUEL: 3,
  /** pc is an undefined or unsupported instruction (SIGILL). */
  UNDEF: 4,
  /** pc is a BRK (SIGTRAP). */
  BRK: 5,
  /** Misaligned exclusive access at pc; faultAddr holds the address (SIGBUS). */
  ALIGN_READ: 6,
  ALIGN_WRITE: 7,
} as const;

/** Imported functions: the SVC gateway, system register reads, IC IVAU, and the pure helpers by name. */
export const IMPORT_SVC = 'svc'; // (imm: i32) -> i32: 0 = continue (X0 holds the result), else unwind with KERNEL
export const IMPORT_SYSREG = 'sysreg'; // (id: i32) -> i64, id indexes SYSREG_IDS
export const IMPORT_ICIVAU = 'icivau'; // (addr: i64) -> void
/** (pc: i32, depth: i32) -> i32: runs the translation made while running for pc, else returns DISPATCH. */
export const IMPORT_LAZY = 'lazy';
export const HELPER_PREFIX = 'h_';

/** The image module's dispatcher, (depth: i32) -> i32; modules translated while running import it. */
export const DISPATCH_NAME = 'dispatch';
/** Global (i32) of the image module: nonzero once its code changed, so dispatch leaves every jump to the engine. */
export const CODE_OFF = 'codeOff';
/** What a module translated while running exports its function as. */
export const LAZY_EXPORT = 'f';

/** Nested guest calls deeper than this leave the Wasm stack and go on from the engine's loop. */
export const MAX_DEPTH = 200;

/** Bump when translated code changes meaning: part of every cache key (D8). */
export const TRANSLATOR_VERSION = 3;

/** System registers that are not state: read through the `sysreg` import by index. */
export const SYSREG_IDS: readonly SysReg[] = [
  'TPIDRRO_EL0',
  'CTR_EL0',
  'DCZID_EL0',
  'MIDR_EL1',
  'MPIDR_EL1',
  'REVIDR_EL1',
  'CNTVCT_EL0',
  'CNTFRQ_EL0',
  'ID_AA64PFR0_EL1',
  'ID_AA64ISAR0_EL1',
  'ID_AA64ISAR1_EL1',
  'ID_AA64MMFR0_EL1',
  'ID_AA64ZFR0_EL1',
];
