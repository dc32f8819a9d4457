// The decoder: the table's rows bucketed by instruction bits 31..21 and tried most specific first, so adding a
// row never needs a second hand-written decoder (D1).
import { extractFields, type Encoding, type Fields } from './encoding.js';
import { TABLE } from './table.js';

export interface Decoded {
  enc: Encoding;
  f: Fields;
}

const BUCKET_SHIFT = 21;
const BUCKETS = 1 << (32 - BUCKET_SHIFT);

function buildBuckets(table: readonly Encoding[]): Encoding[][] {
  const buckets: Encoding[][] = Array.from({ length: BUCKETS }, () => []);
  const sorted = [...table].sort((a, b) => b.fixed - a.fixed);
  for (const enc of sorted) {
    const m = enc.mask >>> BUCKET_SHIFT;
    const v = enc.value >>> BUCKET_SHIFT;
    for (let k = 0; k < BUCKETS; k++) if ((k & m) === v) buckets[k].push(enc);
  }
  return buckets;
}

const buckets = buildBuckets(TABLE);

/** Decodes one instruction word; null when no row of the table matches (unallocated or not yet described). */
export function decode(word: number): Decoded | null {
  word >>>= 0;
  for (const enc of buckets[word >>> BUCKET_SHIFT]) {
    if (((word & enc.mask) >>> 0) !== enc.value) continue;
    const f = extractFields(enc, word);
    if (enc.when && !enc.when(f)) continue;
    return { enc, f };
  }
  return null;
}

const cache = new Map<number, Decoded | null>();

/** `decode`, memoised by instruction word (decoding depends on the word alone): the engines and the translator
 * meet the same few thousand words again and again. */
export function decodeCached(word: number): Decoded | null {
  let d = cache.get(word);
  if (d === undefined) {
    d = decode(word);
    cache.set(word, d);
  }
  return d;
}
