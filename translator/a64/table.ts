// THE instruction table (D1): the union of the instruction groups in insns/. Decoder, disassembler, both
// execution backends and the coverage report all read it; nothing else describes an encoding.
import { compileEncoding, type Encoding, type EncodingSpec } from './encoding.js';
import { branches } from './insns/branch.js';
import { dataProcessingImm } from './insns/dp_imm.js';
import { dataProcessingReg } from './insns/dp_reg.js';
import { loadsStores } from './insns/ldst.js';
import { system } from './insns/system.js';
import { floatingPoint } from './insns/fp.js';
import { advancedSimd } from './insns/simd.js';
import { simdLoadsStores } from './insns/simd_ldst.js';

const groups: Record<string, readonly EncodingSpec[]> = {
  branch: branches,
  dp_imm: dataProcessingImm,
  dp_reg: dataProcessingReg,
  ldst: loadsStores,
  system,
  fp: floatingPoint,
  simd: advancedSimd,
  simd_ldst: simdLoadsStores,
};

export const TABLE: readonly Encoding[] = Object.entries(groups).flatMap(([group, specs]) =>
  specs.map((s) => ({ ...compileEncoding(s), group })),
);
