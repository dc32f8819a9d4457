import type { EncodingSpec } from '../encoding.js';

export const system: EncodingSpec[] = [];
