import v8 from 'node:v8';
// What the host's WebAssembly offers beyond the baseline the translator always uses.
//
// Fused multiply-add: Arm's FMADD/FMLA round once. Wasm's only multiply-add is relaxed SIMD's `f64x2/f32x4
// .relaxed_madd`, which an engine may compute fused or not; V8 fuses it where the CPU has FMA (x86 FMA3, every
// arm64). We run one case whose fused and unfused answers differ: translations use the instruction only where
// it fused, and the cache key records the answer (a module translated with it never runs on a host without).

/** (f64, f64, f64) -> f64: lane 0 of f64x2.relaxed_madd(splat a, splat b, splat c). */
const PROBE = Buffer.from(
  '0061736d0100000001080160037c7c7c017c0302010007070103666d6100000a160114002000fd142001fd142002fd14fd8702fd21000b',
  'hex',
);

let fused: boolean | null = null;

/** True when relaxed_madd is available and computes a·b + c with one rounding. */
export function hostFusedMadd(): boolean {
  if (fused !== null) return fused;
  // Node 20's V8 has relaxed SIMD behind a flag (on by default from V8 11.4); it must be set before the first
  // module that uses it is compiled, and it stays set for the process.
  if (!WebAssembly.validate(PROBE)) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  try {
    const fma = new WebAssembly.Instance(new WebAssembly.Module(PROBE)).exports.fma as (a: number, b: number, c: number) => number;
    const x = 1 + 2 ** -30; // x·x = 1 + 2^-29 + 2^-60: the last term survives only a fused multiply-add
    fused = fma(x, x, -(x * x)) === 2 ** -60;
  } catch {
    fused = false;
  }
  return fused;
}
