import type { Helper } from './index.js';

export const fpHelpers: Record<string, Helper> = {};
