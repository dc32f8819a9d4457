// The Linux generic syscall table as AArch64 uses it (asm-generic/unistd.h): number → name. A number missing
// here is one Linux does not define (1000 and 1001 among them) and answers ENOSYS like any unimplemented one.

const NAMES: Record<number, string> = {
  0: 'io_setup', 1: 'io_destroy', 2: 'io_submit', 3: 'io_cancel', 4: 'io_getevents', 5: 'setxattr', 6: 'lsetxattr',
  7: 'fsetxattr', 8: 'getxattr', 9: 'lgetxattr', 10: 'fgetxattr', 11: 'listxattr', 12: 'llistxattr',
  13: 'flistxattr', 14: 'removexattr', 15: 'lremovexattr', 16: 'fremovexattr', 17: 'getcwd', 18: 'lookup_dcookie',
  19: 'eventfd2', 20: 'epoll_create1', 21: 'epoll_ctl', 22: 'epoll_pwait', 23: 'dup', 24: 'dup3', 25: 'fcntl',
  26: 'inotify_init1', 27: 'inotify_add_watch', 28: 'inotify_rm_watch', 29: 'ioctl', 30: 'ioprio_set',
  31: 'ioprio_get', 32: 'flock', 33: 'mknodat', 34: 'mkdirat', 35: 'unlinkat', 36: 'symlinkat', 37: 'linkat',
  38: 'renameat', 39: 'umount2', 40: 'mount', 41: 'pivot_root', 42: 'nfsservctl', 43: 'statfs', 44: 'fstatfs',
  45: 'truncate', 46: 'ftruncate', 47: 'fallocate', 48: 'faccessat', 49: 'chdir', 50: 'fchdir', 51: 'chroot',
  52: 'fchmod', 53: 'fchmodat', 54: 'fchownat', 55: 'fchown', 56: 'openat', 57: 'close', 58: 'vhangup',
  59: 'pipe2', 60: 'quotactl', 61: 'getdents64', 62: 'lseek', 63: 'read', 64: 'write', 65: 'readv', 66: 'writev',
  67: 'pread64', 68: 'pwrite64', 69: 'preadv', 70: 'pwritev', 71: 'sendfile', 72: 'pselect6', 73: 'ppoll',
  74: 'signalfd4', 75: 'vmsplice', 76: 'splice', 77: 'tee', 78: 'readlinkat', 79: 'newfstatat', 80: 'fstat',
  81: 'sync', 82: 'fsync', 83: 'fdatasync', 84: 'sync_file_range', 85: 'timerfd_create', 86: 'timerfd_settime',
  87: 'timerfd_gettime', 88: 'utimensat', 89: 'acct', 90: 'capget', 91: 'capset', 92: 'personality', 93: 'exit',
  94: 'exit_group', 95: 'waitid', 96: 'set_tid_address', 97: 'unshare', 98: 'futex', 99: 'set_robust_list',
  100: 'get_robust_list', 101: 'nanosleep', 102: 'getitimer', 103: 'setitimer', 104: 'kexec_load',
  105: 'init_module', 106: 'delete_module', 107: 'timer_create', 108: 'timer_gettime', 109: 'timer_getoverrun',
  110: 'timer_settime', 111: 'timer_delete', 112: 'clock_settime', 113: 'clock_gettime', 114: 'clock_getres',
  115: 'clock_nanosleep', 116: 'syslog', 117: 'ptrace', 118: 'sched_setparam', 119: 'sched_setscheduler',
  120: 'sched_getscheduler', 121: 'sched_getparam', 122: 'sched_setaffinity', 123: 'sched_getaffinity',
  124: 'sched_yield', 125: 'sched_get_priority_max', 126: 'sched_get_priority_min', 127: 'sched_rr_get_interval',
  128: 'restart_syscall', 129: 'kill', 130: 'tkill', 131: 'tgkill', 132: 'sigaltstack', 133: 'rt_sigsuspend',
  134: 'rt_sigaction', 135: 'rt_sigprocmask', 136: 'rt_sigpending', 137: 'rt_sigtimedwait', 138: 'rt_sigqueueinfo',
  139: 'rt_sigreturn', 140: 'setpriority', 141: 'getpriority', 142: 'reboot', 143: 'setregid', 144: 'setgid',
  145: 'setreuid', 146: 'setuid', 147: 'setresuid', 148: 'getresuid', 149: 'setresgid', 150: 'getresgid',
  151: 'setfsuid', 152: 'setfsgid', 153: 'times', 154: 'setpgid', 155: 'getpgid', 156: 'getsid', 157: 'setsid',
  158: 'getgroups', 159: 'setgroups', 160: 'uname', 161: 'sethostname', 162: 'setdomainname', 163: 'getrlimit',
  164: 'setrlimit', 165: 'getrusage', 166: 'umask', 167: 'prctl', 168: 'getcpu', 169: 'gettimeofday',
  170: 'settimeofday', 171: 'adjtimex', 172: 'getpid', 173: 'getppid', 174: 'getuid', 175: 'geteuid',
  176: 'getgid', 177: 'getegid', 178: 'gettid', 179: 'sysinfo', 180: 'mq_open', 181: 'mq_unlink',
  182: 'mq_timedsend', 183: 'mq_timedreceive', 184: 'mq_notify', 185: 'mq_getsetattr', 186: 'msgget', 187: 'msgctl',
  188: 'msgrcv', 189: 'msgsnd', 190: 'semget', 191: 'semctl', 192: 'semtimedop', 193: 'semop', 194: 'shmget',
  195: 'shmctl', 196: 'shmat', 197: 'shmdt', 198: 'socket', 199: 'socketpair', 200: 'bind', 201: 'listen',
  202: 'accept', 203: 'connect', 204: 'getsockname', 205: 'getpeername', 206: 'sendto', 207: 'recvfrom',
  208: 'setsockopt', 209: 'getsockopt', 210: 'shutdown', 211: 'sendmsg', 212: 'recvmsg', 213: 'readahead',
  214: 'brk', 215: 'munmap', 216: 'mremap', 217: 'add_key', 218: 'request_key', 219: 'keyctl', 220: 'clone',
  221: 'execve', 222: 'mmap', 223: 'fadvise64', 224: 'swapon', 225: 'swapoff', 226: 'mprotect', 227: 'msync',
  228: 'mlock', 229: 'munlock', 230: 'mlockall', 231: 'munlockall', 232: 'mincore', 233: 'madvise',
  234: 'remap_file_pages', 235: 'mbind', 236: 'get_mempolicy', 237: 'set_mempolicy', 238: 'migrate_pages',
  239: 'move_pages', 240: 'rt_tgsigqueueinfo', 241: 'perf_event_open', 242: 'accept4', 243: 'recvmmsg',
  260: 'wait4', 261: 'prlimit64', 262: 'fanotify_init', 263: 'fanotify_mark', 264: 'name_to_handle_at',
  265: 'open_by_handle_at', 266: 'clock_adjtime', 267: 'syncfs', 268: 'setns', 269: 'sendmmsg',
  270: 'process_vm_readv', 271: 'process_vm_writev', 272: 'kcmp', 273: 'finit_module', 274: 'sched_setattr',
  275: 'sched_getattr', 276: 'renameat2', 277: 'seccomp', 278: 'getrandom', 279: 'memfd_create', 280: 'bpf',
  281: 'execveat', 282: 'userfaultfd', 283: 'membarrier', 284: 'mlock2', 285: 'copy_file_range', 286: 'preadv2',
  287: 'pwritev2', 288: 'pkey_mprotect', 289: 'pkey_alloc', 290: 'pkey_free', 291: 'statx', 292: 'io_pgetevents',
  293: 'rseq', 294: 'kexec_file_load', 424: 'pidfd_send_signal', 425: 'io_uring_setup', 426: 'io_uring_enter',
  427: 'io_uring_register', 428: 'open_tree', 429: 'move_mount', 430: 'fsopen', 431: 'fsconfig', 432: 'fsmount',
  433: 'fspick', 434: 'pidfd_open', 435: 'clone3', 436: 'close_range', 437: 'openat2', 438: 'pidfd_getfd',
  439: 'faccessat2', 440: 'process_madvise', 441: 'epoll_pwait2', 442: 'mount_setattr', 443: 'quotactl_fd',
  444: 'landlock_create_ruleset', 445: 'landlock_add_rule', 446: 'landlock_restrict_self', 447: 'memfd_secret',
  448: 'process_mrelease', 449: 'futex_waitv', 450: 'set_mempolicy_home_node',
};

/** Number by name, for the handler table. */
export const SYS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(NAMES).map(([n, name]) => [name, Number(n)]),
);

/** The syscall's name; strace's `syscall_0x3e8` for a number Linux does not define. */
export function syscallName(nr: number): string {
  return NAMES[nr] ?? `syscall_0x${nr.toString(16)}`;
}

/** How many arguments each syscall takes (strace's syscallent): --strace shows that many of a call it does not decode. */
const ARG_COUNTS: Record<number, string> = {
  0: 'vhangup sync sched_yield restart_syscall rt_sigreturn setsid getpid getppid getuid geteuid getgid getegid gettid ' +
    'munlockall',
  1: 'io_destroy epoll_create1 dup inotify_init1 chdir fchdir chroot close fsync fdatasync acct personality exit ' +
    'exit_group set_tid_address unshare timer_getoverrun timer_delete sched_getscheduler sched_get_priority_max ' +
    'sched_get_priority_min setgid setuid setfsuid setfsgid times getpgid getsid uname umask adjtimex sysinfo mq_unlink ' +
    'shmdt brk swapoff mlockall syncfs pkey_free userfaultfd memfd_secret',
  2: 'io_setup removexattr lremovexattr fremovexattr getcwd eventfd2 inotify_rm_watch ioprio_get flock umount2 ' +
    'pivot_root statfs fstatfs truncate ftruncate fchmod pipe2 fstat timerfd_create timerfd_gettime capget capset ' +
    'set_robust_list nanosleep getitimer delete_module timer_gettime clock_settime clock_gettime clock_getres ' +
    'sched_setparam sched_getparam sched_rr_get_interval kill tkill sigaltstack rt_sigsuspend rt_sigpending ' +
    'getpriority setregid setreuid setpgid getgroups setgroups sethostname setdomainname getrlimit setrlimit getrusage ' +
    'gettimeofday settimeofday mq_notify msgget listen shutdown munmap swapon mlock munlock fanotify_init clock_adjtime ' +
    'setns memfd_create pkey_alloc io_uring_setup fsopen pidfd_open clone3 landlock_restrict_self process_mrelease',
  3: 'io_submit io_cancel listxattr llistxattr flistxattr lookup_dcookie dup3 fcntl inotify_add_watch ioctl ioprio_set ' +
    'mkdirat unlinkat symlinkat nfsservctl faccessat fchmodat fchown getdents64 lseek read write readv writev ' +
    'get_robust_list setitimer init_module timer_create syslog sched_setscheduler sched_setaffinity sched_getaffinity ' +
    'tgkill rt_sigqueueinfo setpriority setresuid getresuid setresgid getresgid getcpu mq_getsetattr msgctl semget ' +
    'semop shmget shmctl shmat socket bind accept connect getsockname getpeername sendmsg recvmsg readahead execve ' +
    'mprotect msync mincore madvise set_mempolicy open_by_handle_at finit_module sched_setattr seccomp getrandom bpf ' +
    'membarrier mlock2 open_tree fsmount fspick close_range pidfd_getfd landlock_create_ruleset',
  4: 'getxattr lgetxattr fgetxattr epoll_ctl mknodat renameat fallocate openat quotactl pread64 pwrite64 preadv ' +
    'pwritev sendfile signalfd4 vmsplice tee readlinkat newfstatat sync_file_range timerfd_settime utimensat ' +
    'kexec_load timer_settime clock_nanosleep ptrace rt_sigaction rt_sigprocmask rt_sigtimedwait reboot mq_open msgsnd ' +
    'semctl semtimedop socketpair request_key fadvise64 migrate_pages rt_tgsigqueueinfo accept4 wait4 prlimit64 ' +
    'sendmmsg sched_getattr pkey_mprotect rseq pidfd_send_signal io_uring_register openat2 faccessat2 quotactl_fd ' +
    'landlock_add_rule set_mempolicy_home_node',
  5: 'io_getevents setxattr lsetxattr fsetxattr linkat mount fchownat ppoll waitid prctl mq_timedsend mq_timedreceive ' +
    'msgrcv setsockopt getsockopt mremap add_key keyctl clone remap_file_pages get_mempolicy perf_event_open recvmmsg ' +
    'fanotify_mark name_to_handle_at kcmp renameat2 execveat statx kexec_file_load move_mount fsconfig process_madvise ' +
    'mount_setattr futex_waitv',
  6: 'epoll_pwait pselect6 splice futex sendto recvfrom mmap mbind move_pages process_vm_readv process_vm_writev ' +
    'copy_file_range preadv2 pwritev2 io_pgetevents io_uring_enter epoll_pwait2',
};
const ARGS_OF: Record<string, number> = Object.fromEntries(
  Object.entries(ARG_COUNTS).flatMap(([n, names]) => names.split(' ').map((name) => [name, Number(n)])),
);

/** The syscall's argument count; 6 for a number Linux does not define. */
export function syscallArgCount(nr: number): number {
  return ARGS_OF[syscallName(nr)] ?? 6;
}
