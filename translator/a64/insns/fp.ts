import type { EncodingSpec } from '../encoding.js';

export const floatingPoint: EncodingSpec[] = [];
