// DecodeBitMasks of the Arm ARM: the logical-immediate and bitfield "wmask" from N:immr:imms.

/** The logical immediate for N:immr:imms at `datasize` bits, or null when the encoding is reserved. */
export function decodeBitMask(n: number, imms: number, immr: number, datasize: 32 | 64): bigint | null {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return null;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return null;
  if (datasize === 32 && n) return null;
  const levels = (1 << len) - 1;
  if ((imms & levels) === levels) return null;
  const s = imms & levels;
  const r = immr & levels;
  const esize = 1 << len;
  const emask = esize === 64 ? 0xffff_ffff_ffff_ffffn : (1n << BigInt(esize)) - 1n;
  const welem = (1n << BigInt(s + 1)) - 1n;
  const rot = r === 0 ? welem : ((welem >> BigInt(r)) | (welem << BigInt(esize - r))) & emask;
  let out = 0n;
  for (let i = 0; i < datasize; i += esize) out |= rot << BigInt(i);
  return out;
}

/** MoveWidePreferred: whether `mov` of this bitmask immediate would rather be shown as MOVZ/MOVN. */
export function moveWidePreferred(sf: number, n: number, imms: number, immr: number): boolean {
  const width = sf ? 64 : 32;
  if (sf === 1 && n !== 1) return false;
  if (sf === 0 && !(n === 0 && (imms & 0x20) === 0)) return false;
  if (imms < 16) return (-immr & 15) <= 15 - imms;
  if (imms >= width - 15) return (immr & 15) <= imms - (width - 15);
  return false;
}
