// strace's way of printing values: flag sets and enumerations from a name table (its xlat), quoted strings with C
// escapes, octal modes, signal sets. Pure functions of their arguments; the guest-memory readers are in structs.ts.
import { S_IFMT, S_IFMT_NAMES, S_ISGID, S_ISUID, S_ISVTX } from '../abi/fcntl.js';
import { signalName } from '../signal/signals.js';

/** A name table: Linux names (or their suffixes, with a prefix given when printing) to values. */
export type Names = Readonly<Record<string, number>>;

/** The same names with a prefix (or suffix) added: FUTEX's WAIT as WAIT_PRIVATE, AT's EMPTY_PATH as AT_EMPTY_PATH. */
export function renamed(names: Names, prefix: string, suffix = ''): Names {
  return Object.fromEntries(Object.entries(names).map(([k, v]) => [prefix + k + suffix, v]));
}

/** C's `%#x`: 0 as "0", anything else as 0x…. */
export function hex(v: number | bigint): string {
  return v === 0 || v === 0n ? '0' : `0x${v.toString(16)}`;
}

/** A pointer: NULL or 0x…. */
export function addr(v: bigint): string {
  return v === 0n ? 'NULL' : `0x${v.toString(16)}`;
}

/** C's `%#03o` (a mode or umask): 0644, 022, 000. */
export function oct(v: number): string {
  return (v === 0 ? '0' : '0' + v.toString(8)).padStart(3, '0');
}

/**
 * strace's printflags: in table order, each name whose bits are all set (a name worth 0 only for a value of 0),
 * then the bits no name covers in hex; "0" for nothing. `unknown` is the comment for a value no name matches.
 */
export function flags(v: number, names: Names, prefix = '', unknown?: string): string {
  let rest = v >>> 0;
  const out: string[] = [];
  for (const [name, bit] of Object.entries(names)) {
    if (bit === 0 ? rest === 0 && out.length === 0 : ((rest & bit) >>> 0) === bit) {
      out.push(prefix + name);
      rest = (rest & ~bit) >>> 0;
      if (bit === 0) break;
    }
  }
  if (out.length === 0) return rest === 0 ? '0' : hex(rest) + (unknown ? ` /* ${unknown} */` : '');
  if (rest) out.push(hex(rest));
  return out.join('|');
}

/** strace's printxval: the name of exactly this value, or the value in hex with a comment (0x4d and the comment CLOCK_???). */
export function xval(v: number, names: Names, prefix = '', unknown?: string): string {
  for (const [name, value] of Object.entries(names)) if (value === v) return prefix + name;
  return hex(v >>> 0) + (unknown ? ` /* ${unknown} */` : '');
}

/** A signal number as strace prints it: SIGINT, SIGRTMIN, SIGRT_3, or the number. */
export function signal(sig: number): string {
  if (sig === 32) return 'SIGRTMIN';
  return sig > 0 && sig <= 64 ? signalName(sig) : String(sig);
}

/**
 * A sigset_t of `bytes` bytes: `[INT TERM]`, or `~[RTMIN RT_1]` listing the signals *not* in it when two thirds or
 * more of the bits are set (strace's sprintsigmask_n).
 */
export function sigset(mask: bigint, bytes = 8): string {
  const bits = Math.min(bytes, 8) * 8;
  let m = BigInt.asUintN(bits, mask);
  let count = 0;
  for (let i = 0; i < bits; i++) if ((m >> BigInt(i)) & 1n) count++;
  let prefix = '';
  if (count >= Math.floor((bits * 2) / 3)) {
    m = BigInt.asUintN(bits, ~m);
    prefix = '~';
  }
  const names: string[] = [];
  for (let i = 0; i < bits; i++) {
    if (!((m >> BigInt(i)) & 1n)) continue;
    const sig = i + 1;
    names.push(sig < 32 ? signalName(sig).slice(3) : sig === 32 ? 'RTMIN' : `RT_${sig - 32}`);
  }
  return `${prefix}[${names.join(' ')}]`;
}

/** A mode_t as strace spells it: S_IFREG|0644, S_IFDIR|S_ISVTX|0777, or just 0755 without a file type. */
export function mode(m: number): string {
  const type = m & S_IFMT;
  let out = '';
  if (type) {
    const name = Object.entries(S_IFMT_NAMES).find(([, v]) => v === type)?.[0];
    out = (name ?? oct(type)) + '|';
  }
  if (m & S_ISUID) out += 'S_ISUID|';
  if (m & S_ISGID) out += 'S_ISGID|';
  if (m & S_ISVTX) out += 'S_ISVTX|';
  return out + oct(m & 0o777);
}

/** The default -s: how many bytes of a buffer or string strace shows. */
export const MAX_STRLEN = 32;

/**
 * strace's string_quote: printable ASCII as is, C escapes for quote, backslash and \f\n\r\t\v, octal for other
 * bytes (as short as the next byte allows), or `\x` for every byte with `hex`. `more` adds the `...` of a cut.
 */
export function quote(b: Uint8Array, more = false, hexAll = false): string {
  let s = '"';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (hexAll) {
      s += '\\x' + c.toString(16).padStart(2, '0');
      continue;
    }
    switch (c) {
      case 0x22: s += '\\"'; continue;
      case 0x5c: s += '\\\\'; continue;
      case 0x0c: s += '\\f'; continue;
      case 0x0a: s += '\\n'; continue;
      case 0x0d: s += '\\r'; continue;
      case 0x09: s += '\\t'; continue;
      case 0x0b: s += '\\v'; continue;
    }
    if (c >= 0x20 && c < 0x7f) {
      s += String.fromCharCode(c);
      continue;
    }
    const next = b[i + 1];
    const digitFollows = next !== undefined && next >= 0x30 && next <= 0x37;
    s += '\\' + (digitFollows ? c.toString(8).padStart(3, '0') : c.toString(8));
  }
  return s + '"' + (more ? '...' : '');
}
