// The process ABI (include/uapi/linux/sched.h, wait.h, prctl.h, resource.h, reboot.h, random.h): clone flags,
// wait options, prctl options, resource limits, reboot's magic numbers and commands, getrandom's flags.

export const CLONE = {
  VM: 0x100, FS: 0x200, FILES: 0x400, SIGHAND: 0x800, PIDFD: 0x1000, PTRACE: 0x2000, VFORK: 0x4000, PARENT: 0x8000,
  THREAD: 0x10000, NEWNS: 0x20000, SYSVSEM: 0x40000, SETTLS: 0x80000, PARENT_SETTID: 0x100000,
  CHILD_CLEARTID: 0x200000, DETACHED: 0x400000, UNTRACED: 0x800000, CHILD_SETTID: 0x1000000, NEWCGROUP: 0x2000000,
  NEWUTS: 0x4000000, NEWIPC: 0x8000000, NEWUSER: 0x10000000, NEWPID: 0x20000000, NEWNET: 0x40000000, IO: 0x80000000,
} as const;
/** The low byte of clone's flags: the signal the child sends its parent when it dies. */
export const CSIGNAL = 0xff;

/** wait4/waitid options (WUNTRACED is WSTOPPED's other name). */
export const WAIT = {
  WNOHANG: 1, WSTOPPED: 2, WEXITED: 4, WCONTINUED: 8, WNOWAIT: 0x1000000, __WNOTHREAD: 0x20000000,
  __WALL: 0x40000000, __WCLONE: 0x80000000,
} as const;
/** waitid's idtype. */
export const P = { ALL: 0, PID: 1, PGID: 2, PIDFD: 3 } as const;

export const PR = {
  SET_PDEATHSIG: 1, GET_PDEATHSIG: 2, GET_DUMPABLE: 3, SET_DUMPABLE: 4, GET_KEEPCAPS: 7, SET_KEEPCAPS: 8,
  SET_NAME: 15, GET_NAME: 16, GET_SECCOMP: 21, SET_SECCOMP: 22, CAPBSET_READ: 23, CAPBSET_DROP: 24,
  GET_SECUREBITS: 27, SET_SECUREBITS: 28, SET_TIMERSLACK: 29, GET_TIMERSLACK: 30, SET_MM: 35,
  SET_CHILD_SUBREAPER: 36, GET_CHILD_SUBREAPER: 37, SET_NO_NEW_PRIVS: 38, GET_NO_NEW_PRIVS: 39, GET_TID_ADDRESS: 40,
  SET_THP_DISABLE: 41, GET_THP_DISABLE: 42, CAP_AMBIENT: 47, SVE_SET_VL: 50, SVE_GET_VL: 51,
  SET_TAGGED_ADDR_CTRL: 55, GET_TAGGED_ADDR_CTRL: 56, SET_VMA: 0x53564d41, SET_PTRACER: 0x59616d61,
} as const;

export const RLIMIT = {
  CPU: 0, FSIZE: 1, DATA: 2, STACK: 3, CORE: 4, RSS: 5, NPROC: 6, NOFILE: 7, MEMLOCK: 8, AS: 9, LOCKS: 10,
  SIGPENDING: 11, MSGQUEUE: 12, NICE: 13, RTPRIO: 14, RTTIME: 15,
} as const;
export const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;
export const RUSAGE = { SELF: 0, CHILDREN: -1, THREAD: 1 } as const;

export const LINUX_REBOOT_MAGIC = {
  MAGIC1: 0xfee1dead, MAGIC2: 672274793, MAGIC2A: 85072278, MAGIC2B: 369367448, MAGIC2C: 537993216,
} as const;
export const LINUX_REBOOT_CMD = {
  RESTART: 0x01234567, HALT: 0xcdef0123, CAD_ON: 0x89abcdef, CAD_OFF: 0, POWER_OFF: 0x4321fedc, RESTART2: 0xa1b2c3d4,
  SW_SUSPEND: 0xd000fce2, KEXEC: 0x45584543,
} as const;

export const GRND = { NONBLOCK: 1, RANDOM: 2, INSECURE: 4 } as const;
