// Random bytes for the guest (getrandom, AT_RANDOM). Each call into the host's generator costs tens of
// microseconds, more than the bytes: small requests are served from a pool filled 4 KiB at a time. Bytes
// handed out are never handed out again.
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
/** Requests above this go to the host directly. */
const SMALL = 256;
const pool = new Uint8Array(POOL_SIZE);
let used = POOL_SIZE;

/** `n` fresh random bytes. */
export function randomBytes(n: number): Uint8Array {
  if (n > SMALL) return randomFillSync(new Uint8Array(n));
  if (used + n > POOL_SIZE) {
    randomFillSync(pool);
    used = 0;
  }
  const out = pool.slice(used, used + n);
  used += n;
  return out;
}
