import type { Helper } from './index.js';

export const simdHelpers: Record<string, Helper> = {};
