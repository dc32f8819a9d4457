// Credentials, limits, uname, randomness and system information (the process lifecycle and signals are in
// process.ts).
import * as os from 'node:os';
import { ERRNO } from '../abi/errno.js';
import { LINUX_REBOOT_CMD as CMD, LINUX_REBOOT_MAGIC as MAGIC, PR, RLIM_INFINITY, RLIMIT } from '../abi/process.js';
import { encodeUtsname, UTS } from '../abi/structs.js';
import { randomBytes } from '../proc/random.js';
import { int32, type Handler } from './types.js';

const ids: Record<string, Handler> = {
  getuid: () => 0,
  geteuid: () => 0,
  getgid: () => 0,
  getegid: () => 0,
};

const RLIMITS: Record<number, [bigint, bigint]> = {
  [RLIMIT.STACK]: [8n * 1024n * 1024n, RLIM_INFINITY],
  [RLIMIT.NOFILE]: [1024n, 1024n],
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
  const u = encodeUtsname([UTS.sysname, k.hostname, UTS.release, UTS.version, UTS.machine, '(none)']);
  return proc.write(a[0], u) ? 0 : -ERRNO.EFAULT;
};

/** sethostname(2): this system's own name from now on (the host's is never changed). */
const sethostname: Handler = ({ proc, k }, a) => {
  const n = Number(a[1]);
  if (n < 0 || n > 64) return -ERRNO.EINVAL;
  const b = proc.read(a[0], n);
  if (!b) return -ERRNO.EFAULT;
  const end = b.indexOf(0);
  k.hostname = new TextDecoder().decode(end < 0 ? b : b.subarray(0, end));
  return 0;
};

const getrandom: Handler = ({ proc }, a) => {
  const n = Math.min(Number(a[1]), 1 << 25);
  return proc.write(a[0], randomBytes(n)) ? n : -ERRNO.EFAULT;
};

const sysinfo: Handler = ({ proc, k }, a) => {
  const b = new Uint8Array(112);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(Math.floor((Date.now() - k.started) / 1000)), true); // this system's uptime, as /proc/uptime
  v.setUint16(80, Math.min(k.procs.size, 0xffff), true);
  os.loadavg().forEach((l, i) => v.setBigUint64(8 + i * 8, BigInt(Math.round(l * 65536)), true));
  v.setBigUint64(32, BigInt(os.totalmem()), true);
  v.setBigUint64(40, BigInt(os.freemem()), true);
  v.setUint32(104, 1, true);
  return proc.write(a[0], b) ? 0 : -ERRNO.EFAULT;
};

/** reboot(2): magic numbers as Linux checks them; halt, power-off and restart stop the machine (the run). */
const reboot: Handler = ({ k }, a) => {
  const [m1, m2, cmd] = [a[0], a[1], a[2]].map((v) => Number(v & 0xffffffffn));
  const magic2: number[] = [MAGIC.MAGIC2, MAGIC.MAGIC2A, MAGIC.MAGIC2B, MAGIC.MAGIC2C];
  if (m1 !== MAGIC.MAGIC1 || !magic2.includes(m2)) return -ERRNO.EINVAL;
  switch (cmd) {
    case CMD.CAD_ON:
    case CMD.CAD_OFF:
      return 0; // Ctrl-Alt-Del has no key here
    case CMD.RESTART:
    case CMD.RESTART2:
    case CMD.HALT:
    case CMD.POWER_OFF:
      k.powerOff();
      return 0;
    default:
      return -ERRNO.EINVAL;
  }
};

/** prctl(2): the thread's name (PR_SET_NAME, PR_GET_NAME: /proc/[pid]/comm); other options are EINVAL. */
const prctl: Handler = ({ proc }, a) => {
  const op = int32(a[0]);
  if (op === PR.SET_NAME) {
    const b = proc.readCString(a[1], 16);
    const name = b ?? proc.read(a[1], 16);
    if (name === null) return -ERRNO.EFAULT;
    const end = name.indexOf(0);
    proc.mm.comm = new TextDecoder().decode(end < 0 ? name.subarray(0, 15) : name.subarray(0, Math.min(end, 15)));
    return 0;
  }
  if (op === PR.GET_NAME) {
    const out = new Uint8Array(16);
    out.set(new TextEncoder().encode(proc.mm.comm).subarray(0, 15));
    return proc.write(a[1], out) ? 0 : -ERRNO.EFAULT;
  }
  return -ERRNO.EINVAL;
};

export const procSyscalls: Record<string, Handler> = {
  ...ids,
  set_robust_list: () => 0,
  rseq: () => -ERRNO.ENOSYS,
  prlimit64,
  getrlimit,
  uname,
  sethostname,
  getrandom,
  sysinfo,
  reboot,
  sched_yield: () => 0,
  sched_getaffinity: ({ proc }, a) => {
    const n = Math.min(Number(a[1]), 128);
    if (n < 8) return -ERRNO.EINVAL;
    const b = new Uint8Array(n);
    b[0] = 1;
    return proc.write(a[2], b) ? n : -ERRNO.EFAULT;
  },
  getcpu: () => 0,
  prctl,
};
