// Scalar floating-point helpers by name, over bit patterns: thin adapters onto softfloat.ts, which computes
// exactly and rounds once in FPCR's mode, raising FPSR flags with Arm's NaN rules.
import type { Helper } from './index.js';
import * as sf from './softfloat.js';

const FMT = { 64: sf.F64, 32: sf.F32 } as const;
const helpers: Record<string, Helper> = {};

for (const bits of [32, 64] as const) {
  const f = FMT[bits];
  helpers[`fadd${bits}`] = (env, a, b) => sf.add(f, env, a, b);
  helpers[`fsub${bits}`] = (env, a, b) => sf.add(f, env, a, b, true);
  helpers[`fmul${bits}`] = (env, a, b) => sf.mul(f, env, a, b);
  // FNMUL negates after NaN processing (FPNeg(FPMul(...))): a NaN result flips sign too.
  helpers[`fnmul${bits}`] = (env, a, b) => sf.mul(f, env, a, b) ^ f.sign;
  helpers[`fdiv${bits}`] = (env, a, b) => sf.div(f, env, a, b);
  helpers[`fmax${bits}`] = (env, a, b) => sf.minMax(f, env, a, b, true, false);
  helpers[`fmin${bits}`] = (env, a, b) => sf.minMax(f, env, a, b, false, false);
  helpers[`fmaxnm${bits}`] = (env, a, b) => sf.minMax(f, env, a, b, true, true);
  helpers[`fminnm${bits}`] = (env, a, b) => sf.minMax(f, env, a, b, false, true);
  helpers[`fsqrt${bits}`] = (env, a) => sf.sqrt(f, env, a);
  helpers[`fmadd${bits}`] = (env, n, m, a) => sf.mulAdd(f, env, n, m, a);
  helpers[`fcmp${bits}`] = (env, a, b) => sf.compare(f, env, a, b, false);
  helpers[`fcmpe${bits}`] = (env, a, b) => sf.compare(f, env, a, b, true);
  // FCCMP(E): (a, b, condition holds 0/1, NZCV to use otherwise).
  helpers[`fccmp${bits}`] = (env, a, b, pass, nzcv) => (pass ? sf.compare(f, env, a, b, false) : nzcv);
  helpers[`fccmpe${bits}`] = (env, a, b, pass, nzcv) => (pass ? sf.compare(f, env, a, b, true) : nzcv);
  // Vector compares: 1 when the relation holds (FCMEQ is quiet; FCMGE/FCMGT signal on any NaN).
  const rel = (env: Parameters<Helper>[0], a: bigint, b: bigint, signalling: boolean, ok: (nzcv: bigint) => boolean) =>
    ok(sf.compare(f, env, a, b, signalling) >> 28n) ? 1n : 0n;
  helpers[`fcmeq${bits}`] = (env, a, b) => rel(env, a, b, false, (c) => c === 0x6n);
  helpers[`fcmge${bits}`] = (env, a, b) => rel(env, a, b, true, (c) => c === 0x6n || c === 0x2n);
  helpers[`fcmgt${bits}`] = (env, a, b) => rel(env, a, b, true, (c) => c === 0x2n);
  helpers[`scvtf${bits}_64`] = (env, v) => sf.fromInt(f, env, v, true);
  helpers[`ucvtf${bits}_64`] = (env, v) => sf.fromInt(f, env, v, false);
  // Fixed-point forms: (integer, fbits 1..64); FCVTZ[SU] (fixed-point) always rounds toward zero.
  helpers[`scvtf${bits}_fix`] = (env, v, fbits) => sf.fromInt(f, env, v, true, Number(fbits));
  helpers[`ucvtf${bits}_fix`] = (env, v, fbits) => sf.fromInt(f, env, v, false, Number(fbits));
  for (const kind of ['s32', 'u32', 's64', 'u64']) {
    const out = Number(kind.slice(1)) as 32 | 64;
    helpers[`fcvtz_${kind}_${bits}_fix`] = (env, a, fbits) => sf.toInt(f, env, a, sf.RZ, kind[0] === 's', out, Number(fbits));
  }
  const modes: Record<string, number | 'a'> = { n: sf.RN, p: sf.RP, m: sf.RM, z: sf.RZ, a: 'a' };
  for (const [r, mode] of Object.entries(modes)) {
    helpers[`frint${r}${bits}`] = (env, a) => sf.roundInt(f, env, a, mode, false);
    for (const kind of ['s32', 'u32', 's64', 'u64']) {
      const out = Number(kind.slice(1)) as 32 | 64;
      helpers[`fcvt${r}_${kind}_${bits}`] = (env, a) => sf.toInt(f, env, a, mode, kind[0] === 's', out);
    }
  }
  helpers[`frintx${bits}`] = (env, a) => sf.roundInt(f, env, a, sf.rmodeOf(env), true);
  helpers[`frinti${bits}`] = (env, a) => sf.roundInt(f, env, a, sf.rmodeOf(env), false);
}
// FCVT between precisions: fcvt_<to>_<from>, with h = binary16, s = binary32, d = binary64.
const BY_LETTER = { h: sf.F16, s: sf.F32, d: sf.F64 } as const;
for (const to of ['h', 's', 'd'] as const) {
  for (const from of ['h', 's', 'd'] as const) {
    if (to !== from) helpers[`fcvt_${to}_${from}`] = (env, a) => sf.convert(BY_LETTER[from], BY_LETTER[to], env, a);
  }
}

export const fpHelpers: Record<string, Helper> = helpers;
