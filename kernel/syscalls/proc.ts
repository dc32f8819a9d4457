// Process identity, exit, limits, signals' bookkeeping (delivery comes with the process-model issue), uname,
// randomness and system information.
import { randomFillSync } from 'node:crypto';
import * as os from 'node:os';
import { ERRNO } from '../abi/errno.js';
import { encodeUtsname } from '../abi/structs.js';
import { int32, type Handler } from './types.js';

const exit: Handler = ({ proc, k }, a) => {
  k.exit(proc, int32(a[0]) & 0xff);
  return 0;
};

const ids: Record<string, Handler> = {
  getpid: ({ proc }) => proc.pid,
  gettid: ({ proc }) => proc.pid,
  getppid: () => 0,
  getuid: () => 0,
  geteuid: () => 0,
  getgid: () => 0,
  getegid: () => 0,
  getpgid: ({ proc }) => proc.pid,
  getsid: ({ proc }) => proc.pid,
};

const set_tid_address: Handler = ({ proc }, a) => {
  proc.clearChildTid = a[0];
  return proc.pid;
};

const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;
const RLIMITS: Record<number, [bigint, bigint]> = {
  3: [8n * 1024n * 1024n, RLIM_INFINITY], // RLIMIT_STACK
  7: [1024n, 1024n], // RLIMIT_NOFILE
};

const prlimit64: Handler = ({ proc }, a) => {
  const pid = int32(a[0]);
  if (pid !== 0 && pid !== proc.pid) return -ERRNO.ESRCH;
  const res = int32(a[1]);
  if (res < 0 || res > 15) return -ERRNO.EINVAL;
  if (a[3] !== 0n) {
    const [cur, max] = RLIMITS[res] ?? [RLIM_INFINITY, RLIM_INFINITY];
    if (!proc.writeU64(a[3], cur) || !proc.writeU64(a[3] + 8n, max)) return -ERRNO.EFAULT;
  }
  return 0;
};

const getrlimit: Handler = (c, a) => prlimit64(c, [0n, a[0], 0n, a[1]]);

const uname: Handler = ({ proc, k }, a) => {
  const u = encodeUtsname(['Linux', k.hostname, '6.1.0-levitate', '#1 SMP Levitate', 'aarch64', '(none)']);
  return proc.write(a[0], u) ? 0 : -ERRNO.EFAULT;
};

const getrandom: Handler = ({ proc }, a) => {
  const n = Math.min(Number(a[1]), 1 << 25);
  const b = new Uint8Array(n);
  randomFillSync(b);
  return proc.write(a[0], b) ? n : -ERRNO.EFAULT;
};

const sysinfo: Handler = ({ proc }, a) => {
  const b = new Uint8Array(112);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(Math.floor(os.uptime())), true);
  os.loadavg().forEach((l, i) => v.setBigUint64(8 + i * 8, BigInt(Math.round(l * 65536)), true));
  v.setBigUint64(32, BigInt(os.totalmem()), true);
  v.setBigUint64(40, BigInt(os.freemem()), true);
  v.setUint16(80, 1, true);
  v.setUint32(104, 1, true);
  return proc.write(a[0], b) ? 0 : -ERRNO.EFAULT;
};

const NSIG = 64;
const SIGKILL = 9;
const SIGSTOP = 19;
const rt_sigaction: Handler = ({ proc }, a) => {
  const sig = int32(a[0]);
  if (sig < 1 || sig > NSIG || Number(a[3]) !== 8) return -ERRNO.EINVAL;
  if (a[2] !== 0n && !proc.write(a[2], proc.sigactions.subarray(sig * 32, sig * 32 + 32))) return -ERRNO.EFAULT;
  if (a[1] !== 0n) {
    if (sig === SIGKILL || sig === SIGSTOP) return -ERRNO.EINVAL;
    const act = proc.read(a[1], 32);
    if (!act) return -ERRNO.EFAULT;
    proc.sigactions.set(act, sig * 32);
  }
  return 0;
};

const UNBLOCKABLE = (1n << BigInt(SIGKILL - 1)) | (1n << BigInt(SIGSTOP - 1));
const rt_sigprocmask: Handler = ({ proc }, a) => {
  if (Number(a[3]) !== 8) return -ERRNO.EINVAL;
  const how = int32(a[0]);
  if (a[2] !== 0n && !proc.writeU64(a[2], proc.sigmask)) return -ERRNO.EFAULT;
  if (a[1] !== 0n) {
    const set = proc.readU64(a[1]);
    if (set === null) return -ERRNO.EFAULT;
    if (how === 0) proc.sigmask |= set;
    else if (how === 1) proc.sigmask &= ~set;
    else if (how === 2) proc.sigmask = set;
    else return -ERRNO.EINVAL;
    proc.sigmask &= ~UNBLOCKABLE;
  }
  return 0;
};

const sigaltstack: Handler = ({ proc }, a) => {
  if (a[1] !== 0n) {
    // An empty, disabled stack: ss_sp = 0, ss_flags = SS_DISABLE (2), ss_size = 0.
    const b = new Uint8Array(24);
    b[8] = 2;
    if (!proc.write(a[1], b)) return -ERRNO.EFAULT;
  }
  return 0;
};

export const procSyscalls: Record<string, Handler> = {
  exit,
  exit_group: exit,
  ...ids,
  set_tid_address,
  set_robust_list: () => 0,
  rseq: () => -ERRNO.ENOSYS,
  prlimit64,
  getrlimit,
  uname,
  getrandom,
  sysinfo,
  rt_sigaction,
  rt_sigprocmask,
  sigaltstack,
  sched_yield: () => 0,
  sched_getaffinity: ({ proc }, a) => {
    const n = Math.min(Number(a[1]), 128);
    if (n < 8) return -ERRNO.EINVAL;
    const b = new Uint8Array(n);
    b[0] = 1;
    return proc.write(a[2], b) ? n : -ERRNO.EFAULT;
  },
  getcpu: () => 0,
  prctl: () => -ERRNO.EINVAL,
};
