import type { EncodingSpec } from '../encoding.js';

export const dataProcessingReg: EncodingSpec[] = [];
