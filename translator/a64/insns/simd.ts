import type { EncodingSpec } from '../encoding.js';

export const advancedSimd: EncodingSpec[] = [];
