import type { EncodingSpec } from '../encoding.js';

export const loadsStores: EncodingSpec[] = [];
