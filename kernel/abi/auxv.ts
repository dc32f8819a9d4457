// Auxiliary vector tags (include/uapi/linux/auxvec.h) and the AArch64 HWCAP bits we advertise.
export const AT = {
  NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12, GID: 13, EGID: 14,
  PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, HWCAP2: 26, EXECFN: 31, MINSIGSTKSZ: 51,
} as const;

/** ARMv8.0 with FP and AdvSIMD: nothing else, so libc never picks LSE, SVE or other variants. */
export const HWCAP_FP = 1 << 0;
export const HWCAP_ASIMD = 1 << 1;
