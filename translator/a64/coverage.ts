// Coverage of THE table over a body of code: which rows the words use, which words no row decodes, and which
// decode only as rows we do not execute (extensions we do not advertise). Drives `levitate coverage`.
import { decode } from './decoder.js';
import { TABLE } from './table.js';

export interface Coverage {
  words: number;
  /** Words decoded by a row we execute. */
  executable: number;
  /** Words decoded by a row of an extension we do not advertise (SIGILL if run). */
  extension: number;
  /** Words no row decodes (data in text, or a missing row). */
  undecoded: number;
  /** Uses per row name. */
  byRow: Map<string, number>;
  /** The most frequent undecoded words, as [word, count]. */
  topUndecoded: [number, number][];
}

export function tableSummary(): { rows: number; byGroup: Record<string, number>; executable: number } {
  const byGroup: Record<string, number> = {};
  let executable = 0;
  for (const r of TABLE) {
    byGroup[r.group ?? '?'] = (byGroup[r.group ?? '?'] ?? 0) + 1;
    if (r.exec && (r.ext ?? 'base') === 'base') executable++;
  }
  return { rows: TABLE.length, byGroup, executable };
}

export function coverageOf(words: Iterable<number>): Coverage {
  const byRow = new Map<string, number>();
  const undec = new Map<number, number>();
  let n = 0;
  let executable = 0;
  let extension = 0;
  for (const w of words) {
    n++;
    const d = decode(w);
    if (!d) {
      undec.set(w >>> 0, (undec.get(w >>> 0) ?? 0) + 1);
      continue;
    }
    byRow.set(d.enc.name, (byRow.get(d.enc.name) ?? 0) + 1);
    if (d.enc.exec && (d.enc.ext ?? 'base') === 'base') executable++;
    else extension++;
  }
  const topUndecoded = [...undec.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20);
  return { words: n, executable, extension, undecoded: n - executable - extension, byRow, topUndecoded };
}
