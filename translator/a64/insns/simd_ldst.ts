import type { EncodingSpec } from '../encoding.js';

export const simdLoadsStores: EncodingSpec[] = [];
