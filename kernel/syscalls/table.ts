// The syscall table: Linux name → handler. Anything not here answers ENOSYS (and --strace shows it).
import { SYS } from '../abi/syscalls.js';
import { fsSyscalls } from './fs.js';
import { mmSyscalls } from './mm.js';
import { pollSyscalls } from './poll.js';
import { procSyscalls } from './proc.js';
import { processSyscalls } from './process.js';
import { statfsSyscalls } from './statfs.js';
import { timeSyscalls } from './time.js';
import type { Handler } from './types.js';

const families = [fsSyscalls, mmSyscalls, procSyscalls, processSyscalls, pollSyscalls, timeSyscalls, statfsSyscalls];
const byName: Record<string, Handler> = {};
for (const family of families) {
  for (const [name, h] of Object.entries(family)) {
    if (name in byName) throw new Error(`syscall table: '${name}' has two handlers`);
    byName[name] = h;
  }
}

export const HANDLERS: ReadonlyMap<number, Handler> = new Map(
  Object.entries(byName).map(([name, h]) => {
    const nr = SYS[name];
    if (nr === undefined) throw new Error(`syscall table: '${name}' is not a Linux AArch64 syscall`);
    return [nr, h];
  }),
);
