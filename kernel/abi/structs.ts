// Layouts of the structs the kernel writes into guest memory (AArch64 generic ABI), as byte offsets by name.
import type { Stats } from 'node:fs';

/** struct stat (asm-generic/stat.h): 128 bytes. */
export const STAT_SIZE = 128;
export function encodeStat(st: Stats): Uint8Array {
  const b = new Uint8Array(STAT_SIZE);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, BigInt(st.dev), true);
  v.setBigUint64(8, BigInt(st.ino), true);
  v.setUint32(16, st.mode, true);
  v.setUint32(20, st.nlink, true);
  v.setUint32(24, st.uid, true);
  v.setUint32(28, st.gid, true);
  v.setBigUint64(32, BigInt(st.rdev), true);
  v.setBigInt64(48, BigInt(st.size), true);
  v.setInt32(56, st.blksize, true);
  v.setBigInt64(64, BigInt(st.blocks), true);
  const times = [st.atimeMs, st.mtimeMs, st.ctimeMs];
  times.forEach((ms, i) => {
    const sec = Math.floor(ms / 1000);
    v.setBigInt64(72 + i * 16, BigInt(sec), true);
    v.setBigUint64(80 + i * 16, BigInt(Math.round((ms - sec * 1000) * 1e6) % 1_000_000_000), true);
  });
  return b;
}

/** struct statx: 256 bytes. */
export const STATX_SIZE = 256;
export const STATX_BASIC_STATS = 0x7ff;
export function encodeStatx(st: Stats): Uint8Array {
  const b = new Uint8Array(STATX_SIZE);
  const v = new DataView(b.buffer);
  v.setUint32(0, STATX_BASIC_STATS, true);
  v.setUint32(4, st.blksize, true);
  v.setUint32(16, st.nlink, true);
  v.setUint32(20, st.uid, true);
  v.setUint32(24, st.gid, true);
  v.setUint16(28, st.mode & 0xffff, true);
  v.setBigUint64(32, BigInt(st.ino), true);
  v.setBigUint64(40, BigInt(st.size), true);
  v.setBigUint64(48, BigInt(st.blocks), true);
  const ts = (off: number, ms: number) => {
    const sec = Math.floor(ms / 1000);
    v.setBigInt64(off, BigInt(sec), true);
    v.setUint32(off + 8, Math.round((ms - sec * 1000) * 1e6) % 1_000_000_000, true);
  };
  ts(64, st.atimeMs);
  ts(80, st.birthtimeMs);
  ts(96, st.ctimeMs);
  ts(112, st.mtimeMs);
  v.setUint32(128, Math.floor(st.rdev / 256) & 0xfff, true);
  v.setUint32(132, st.rdev & 0xff, true);
  v.setUint32(136, Math.floor(st.dev / 256) & 0xfff, true);
  v.setUint32(140, st.dev & 0xff, true);
  return b;
}

/** struct utsname: six 65-byte strings. */
/** What uname(2), /proc/version and /proc/sys/kernel say this kernel is. */
export const UTS = { sysname: 'Linux', release: '6.1.0-levitate', version: '#1 SMP Levitate', machine: 'aarch64' } as const;

export function encodeUtsname(fields: string[]): Uint8Array {
  const b = new Uint8Array(65 * 6);
  fields.forEach((s, i) => b.set(new TextEncoder().encode(s).subarray(0, 64), i * 65));
  return b;
}

/** struct timespec / timeval: two 64-bit fields. */
export function encodeTimespec(sec: bigint, frac: bigint): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, sec, true);
  v.setBigInt64(8, frac, true);
  return b;
}

/** struct rusage (144 bytes): ru_utime and ru_stime as timevals, then 14 longs left 0 (maxrss, faults…). */
export function encodeRusage(userMs: number, systemMs: number): Uint8Array {
  const b = new Uint8Array(144);
  const v = new DataView(b.buffer);
  [userMs, systemMs].forEach((ms, i) => {
    const us = Math.max(0, Math.round(ms * 1000));
    v.setBigInt64(16 * i, BigInt(Math.floor(us / 1e6)), true);
    v.setBigInt64(16 * i + 8, BigInt(us % 1e6), true);
  });
  return b;
}

/** Clock ticks of times(2) and /proc/[pid]/stat (USER_HZ). */
export const USER_HZ = 100;
export const ticks = (ms: number): number => Math.max(0, Math.floor((ms * USER_HZ) / 1000));

/** struct tms: tms_utime, tms_stime, tms_cutime, tms_cstime in clock ticks. */
export function encodeTms(ms: readonly number[]): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  ms.forEach((t, i) => v.setBigInt64(8 * i, BigInt(ticks(t)), true));
  return b;
}
