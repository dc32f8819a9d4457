// Pure helper functions that semantics call through `Emitter.helper(name, …)`: one implementation shared by the
// interpreter (called directly) and translated code (imported into the Wasm module). Arguments and result are
// unsigned 64-bit bigints; `env` carries FPCR (rounding mode, DN, FZ) and accumulates FPSR exception flags.
import { fpHelpers } from './fp.js';
import { simdHelpers } from './simd.js';

export interface HelperEnv {
  fpcr: number;
  fpsr: number;
}

export type Helper = (env: HelperEnv, ...args: bigint[]) => bigint;

export const HELPERS: Readonly<Record<string, Helper>> = { ...fpHelpers, ...simdHelpers };
