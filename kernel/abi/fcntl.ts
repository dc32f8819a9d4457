// open(2)/fcntl(2)/stat(2) constants as AArch64 Linux defines them (note: O_DIRECTORY and O_NOFOLLOW differ
// from x86-64), and the AT_* flags of the *at syscalls.
export const O = {
  RDONLY: 0, WRONLY: 1, RDWR: 2, ACCMODE: 3,
  // The rest in the order strace prints them (O_SYNC includes O_DSYNC's bit, O_TMPFILE O_DIRECTORY's).
  CREAT: 0o100, EXCL: 0o200, NOCTTY: 0o400, TRUNC: 0o1000, APPEND: 0o2000, NONBLOCK: 0o4000, SYNC: 0o4010000,
  DSYNC: 0o10000, DIRECT: 0o200000, LARGEFILE: 0o400000, NOFOLLOW: 0o100000, NOATIME: 0o1000000,
  CLOEXEC: 0o2000000, PATH: 0o10000000, TMPFILE: 0o20040000, DIRECTORY: 0o40000, FASYNC: 0o20000,
} as const;

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_EACCESS = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_EMPTY_PATH = 0x1000;
/** The AT_* flags of the *at syscalls by name (AT_EACCESS is faccessat's reading of AT_REMOVEDIR's bit). */
export const AT = {
  SYMLINK_NOFOLLOW: AT_SYMLINK_NOFOLLOW, REMOVEDIR: AT_REMOVEDIR, SYMLINK_FOLLOW: AT_SYMLINK_FOLLOW, NO_AUTOMOUNT: 0x800,
  EMPTY_PATH: AT_EMPTY_PATH, RECURSIVE: 0x8000,
} as const;
/** statx's sync type, in the AT_STATX_SYNC_TYPE bits of its flags. */
export const AT_STATX = { SYNC_AS_STAT: 0, FORCE_SYNC: 0x2000, DONT_SYNC: 0x4000 } as const;
export const AT_STATX_SYNC_TYPE = 0x6000;
/** statx's mask bits (STATX_ALL and STATX_BASIC_STATS first: strace prints the widest name that fits). */
export const STATX = {
  ALL: 0xfff, BASIC_STATS: 0x7ff, TYPE: 0x1, MODE: 0x2, NLINK: 0x4, UID: 0x8, GID: 0x10, ATIME: 0x20, MTIME: 0x40,
  CTIME: 0x80, INO: 0x100, SIZE: 0x200, BLOCKS: 0x400, BTIME: 0x800, MNT_ID: 0x1000, DIOALIGN: 0x2000,
} as const;
/** statx's stx_attributes bits. */
export const STATX_ATTR = {
  COMPRESSED: 0x4, IMMUTABLE: 0x10, APPEND: 0x20, NODUMP: 0x40, ENCRYPTED: 0x800, AUTOMOUNT: 0x1000,
  MOUNT_ROOT: 0x2000, VERITY: 0x100000, DAX: 0x200000,
} as const;
/** faccessat's modes (F_OK is 0). */
export const ACCESS = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 } as const;
/** utimensat's special tv_nsec values. */
export const UTIME = { NOW: (1 << 30) - 1, OMIT: (1 << 30) - 2 } as const;
/** renameat2's flags. */
export const RENAME = { NOREPLACE: 1, EXCHANGE: 2, WHITEOUT: 4 } as const;
/** fallocate's modes. */
export const FALLOC_FL = {
  KEEP_SIZE: 1, PUNCH_HOLE: 2, NO_HIDE_STALE: 4, COLLAPSE_RANGE: 8, ZERO_RANGE: 0x10, INSERT_RANGE: 0x20,
  UNSHARE_RANGE: 0x40,
} as const;
/** flock(2) operations. */
export const LOCK = { SH: 1, EX: 2, NB: 4, UN: 8 } as const;

export const F = {
  DUPFD: 0, GETFD: 1, SETFD: 2, GETFL: 3, SETFL: 4, GETLK: 5, SETLK: 6, SETLKW: 7, SETOWN: 8, GETOWN: 9, SETSIG: 10,
  GETSIG: 11, SETOWN_EX: 15, GETOWN_EX: 16, OFD_GETLK: 36, OFD_SETLK: 37, OFD_SETLKW: 38, SETLEASE: 1024,
  GETLEASE: 1025, NOTIFY: 1026, DUPFD_CLOEXEC: 1030, SETPIPE_SZ: 1031, GETPIPE_SZ: 1032, ADD_SEALS: 1033,
  GET_SEALS: 1034,
} as const;
export const FD_CLOEXEC = 1;

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const S_IFBLK = 0o060000;
export const S_IFSOCK = 0o140000;
/** The file types by name, and the set-id and sticky bits, as strace spells a mode. */
export const S_IFMT_NAMES = {
  S_IFREG, S_IFSOCK, S_IFLNK, S_IFBLK, S_IFDIR, S_IFCHR, S_IFIFO,
} as const;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;
export const SEEK = { SET: SEEK_SET, CUR: SEEK_CUR, END: SEEK_END, DATA: 3, HOLE: 4 } as const;

export const DT = { UNKNOWN: 0, FIFO: 1, CHR: 2, DIR: 4, BLK: 6, REG: 8, LNK: 10, SOCK: 12 } as const;

// mmap(2), mremap(2) and madvise(2).
export const PROT = { READ: 1, WRITE: 2, EXEC: 4, SEM: 8, GROWSDOWN: 0x01000000, GROWSUP: 0x02000000 } as const;
/** MAP_SHARED, MAP_PRIVATE and MAP_SHARED_VALIDATE are the values of the MAP_TYPE field; the rest are flags. */
export const MAP = {
  SHARED: 1, PRIVATE: 2, SHARED_VALIDATE: 3, TYPE: 0xf, FIXED: 0x10, ANONYMOUS: 0x20, NORESERVE: 0x4000,
  POPULATE: 0x8000, NONBLOCK: 0x10000, GROWSDOWN: 0x100, DENYWRITE: 0x800, EXECUTABLE: 0x1000, LOCKED: 0x2000,
  STACK: 0x20000, HUGETLB: 0x40000, SYNC: 0x80000, FIXED_NOREPLACE: 0x100000,
} as const;
export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;
export const MREMAP = { MAYMOVE: MREMAP_MAYMOVE, FIXED: MREMAP_FIXED, DONTUNMAP: 4 } as const;
export const MADV = {
  NORMAL: 0, RANDOM: 1, SEQUENTIAL: 2, WILLNEED: 3, DONTNEED: 4, FREE: 8, REMOVE: 9, DONTFORK: 10, DOFORK: 11,
  MERGEABLE: 12, UNMERGEABLE: 13, HUGEPAGE: 14, NOHUGEPAGE: 15, DONTDUMP: 16, DODUMP: 17, WIPEONFORK: 18,
  KEEPONFORK: 19, COLD: 20, PAGEOUT: 21, POPULATE_READ: 22, POPULATE_WRITE: 23, DONTNEED_LOCKED: 24, HWPOISON: 100,
  SOFT_OFFLINE: 101,
} as const;
