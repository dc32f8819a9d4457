// Lane helpers for AdvSIMD semantics.
import type { Helper } from './index.js';

export const simdHelpers: Record<string, Helper> = {
  /** Population count of a 64-bit value. */
  popcount: (_env, v) => {
    let n = 0n;
    while (v) {
      v &= v - 1n;
      n++;
    }
    return n;
  },
};
