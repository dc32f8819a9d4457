// statfs(2): struct statfs (asm-generic/statfs.h, 64-bit words), the filesystem magic numbers
// (include/uapi/linux/magic.h) and the ST_* mount flags of f_flags.

export const FS_MAGIC = {
  PROC_SUPER_MAGIC: 0x9fa0,
  /** tmpfs and devtmpfs share it. */
  TMPFS_MAGIC: 0x01021994,
  /** User-mode Linux's hostfs: a host directory seen by the guest kernel, which is what ours are. */
  HOSTFS_SUPER_MAGIC: 0x00c0ffee,
  PIPEFS_MAGIC: 0x50495045,
  DEVPTS_SUPER_MAGIC: 0x1cd1,
} as const;

export const ST = {
  RDONLY: 0x1, NOSUID: 0x2, NODEV: 0x4, NOEXEC: 0x8, SYNCHRONOUS: 0x10, VALID: 0x20, MANDLOCK: 0x40,
  NOATIME: 0x400, NODIRATIME: 0x800, RELATIME: 0x1000,
} as const;

export interface StatfsInfo {
  type: number;
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  namelen: number;
  flags: number;
}

/**
 * struct statfs: f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree (8 bytes each), f_fsid (two
 * ints), f_namelen, f_frsize, f_flags, f_spare[4] — 120 bytes.
 */
export const STATFS_SIZE = 120;
export function encodeStatfs(s: StatfsInfo): Uint8Array {
  const b = new Uint8Array(STATFS_SIZE);
  const v = new DataView(b.buffer);
  const words = [s.type, s.bsize, s.blocks, s.bfree, s.bavail, s.files, s.ffree];
  words.forEach((w, i) => v.setBigUint64(i * 8, BigInt(Math.max(0, Math.floor(w))), true));
  v.setBigUint64(64, BigInt(s.namelen), true);
  v.setBigUint64(72, BigInt(s.bsize), true); // f_frsize
  v.setBigUint64(80, BigInt(s.flags), true);
  return b;
}
