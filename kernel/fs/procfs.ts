// /proc, read-only and made from the kernel's own state (never the host's /proc, whatever --root is):
// /proc/self, /proc/[pid]/{exe,cwd,root,fd/,cmdline,environ,stat,status,maps,mounts} and cpuinfo, meminfo, uptime,
// loadavg, mounts, filesystems, version. /proc is a mount of the VFS (vfs.ts) with no host directory: fs.ts asks
// procResolve() about paths under it, as it asks dev.ts about /dev; an open file's text is made when it is opened
// (one snapshot, like the first read of Linux's seq_file).
import type { Dirent, Stats } from 'node:fs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as tty from 'node:tty';
import { ERRNO } from '../abi/errno.js';
import { DT, O, S_IFDIR, S_IFLNK, S_IFREG } from '../abi/fcntl.js';
import { ticks, UTS } from '../abi/structs.js';
import type { Kernel } from '../kernel.js';
import type { Process } from '../proc/process.js';
import { actionOf, SIG_DFL, SIG_IGN } from '../signal/signals.js';
import { OpenFile } from './file.js';
import { mountsText } from './vfs.js';

const MAX_SYMLINKS = 40;

export type ProcNode = { path: string; time: number } & (
  | { type: 'dir'; entries: () => [string, number][] }
  | { type: 'file'; mode: number; text: () => string | Uint8Array }
  /** `file`: the description a followed /proc/[pid]/fd/N link reaches (a pipe, a device, the host's stdio). */
  | { type: 'link'; target: string; file?: OpenFile }
);

/**
 * What a path under /proc names, walked component by component: the links it passes through (self, [pid]/exe,
 * cwd, root, fd/N of a file or directory) are followed like symlinks, so a `..` after one is taken from where it
 * leads (/proc/self/root/.. is /). `path`: absolute, may hold `..`. Where the walk leaves /proc, the rest of the
 * path comes back as a redirect, for the VFS to resolve.
 */
export function procResolve(k: Kernel, self: Process, path: string, follow: boolean): ProcNode | { redirect: string } | number {
  const queue = path.split('/').filter((c) => c !== '' && c !== '.');
  const stack: string[] = [];
  let links = 0;
  while (queue.length > 0) {
    const comp = queue.shift() as string;
    if (comp === '..') stack.pop();
    else stack.push(comp);
    if (stack[0] !== 'proc') return { redirect: '/' + [...stack, ...queue].join('/') };
    if (queue.length === 0 || comp === '..') continue;
    const n = procLookup(k, self, '/' + stack.join('/'), false);
    if (n === null || typeof n === 'number') return n ?? -ERRNO.ENOENT;
    if ('redirect' in n) return { redirect: [n.redirect, ...queue].join('/') };
    // fd/N of a pipe or device is no directory; of a directory (/proc's and /dev's too) it leads to its path.
    if (n.type === 'link' && (!n.file || n.file.kind === 'dir')) {
      if (++links > MAX_SYMLINKS) return -ERRNO.ELOOP;
      stack.pop();
      if (n.target.startsWith('/')) stack.length = 0;
      queue.unshift(...n.target.split('/').filter((c) => c !== '' && c !== '.'));
    } else if (n.type !== 'dir') {
      return -ERRNO.ENOTDIR;
    }
  }
  return procLookup(k, self, '/' + stack.join('/'), follow) ?? { redirect: '/' + stack.join('/') };
}

/**
 * What a lexical guest path under /proc names: a node; `redirect`, a guest path to resolve as usual (a followed
 * exe or cwd link, or a path through one); -errno; null when the path is not under /proc. `follow`: whether a
 * final symlink is followed.
 */
export function procLookup(k: Kernel, self: Process, guest: string, follow: boolean): ProcNode | { redirect: string } | number | null {
  if (guest !== '/proc' && !guest.startsWith('/proc/')) return null;
  const [first, ...rest] = guest.split('/').slice(2);
  if (first === undefined) return { type: 'dir', path: '/proc', time: k.started, entries: () => rootEntries(k) };
  if (first === 'self') {
    if (rest.length || follow) return procLookup(k, self, ['/proc', self.pid, ...rest].join('/'), follow);
    return { type: 'link', path: guest, time: k.started, target: String(self.pid) };
  }
  if (first === 'sys') return sysctlNode(k, guest, rest);
  const sys = SYSTEM[first];
  if (sys) return rest.length ? -ERRNO.ENOTDIR : { type: 'file', path: guest, time: k.started, mode: 0o444, text: () => sys(k) };
  const p = /^[1-9]\d*$/.test(first) ? k.procs.get(Number(first)) : undefined;
  if (!p) return -ERRNO.ENOENT;
  const dir = `/proc/${p.pid}`;
  const [name, ...more] = rest;
  if (name === undefined) return { type: 'dir', path: dir, time: p.started, entries: () => PID_ENTRIES };
  let link: ProcNode & { type: 'link' };
  if (name === 'exe' || name === 'cwd' || name === 'root') {
    // The root is the guest's /: a process sees nothing above it, whatever host directory backs it.
    const target = name === 'exe' ? p.exe : name === 'cwd' ? p.cwd : '/';
    if (more.length) return redirect(k, self, `${target === '/' ? '' : target}/${more.join('/')}`, follow);
    link = { type: 'link', path: guest, time: p.started, target };
  } else if (name === 'task') {
    // One directory per thread, named by its tid, with the thread's view of stat, status and comm.
    const tids = () => (p.threads.length ? p.threads.map((t) => t.tid) : [p.pid]);
    if (more.length === 0) return { type: 'dir', path: guest, time: p.started, entries: () => tids().map((t) => [String(t), DT.DIR]) };
    const tid = Number(more[0]);
    if (!/^[1-9]\d*$/.test(more[0]) || !tids().includes(tid)) return -ERRNO.ENOENT;
    if (more.length === 1) return { type: 'dir', path: guest, time: p.started, entries: () => TASK_FILES.map((f) => [f, DT.REG]) };
    if (more.length > 2 || !TASK_FILES.includes(more[1])) return more.length > 2 ? -ERRNO.ENOTDIR : -ERRNO.ENOENT;
    const gen = PID_FILES[more[1]];
    return { type: 'file', path: guest, time: p.started, mode: 0o444, text: () => threadView(gen(k, p), p.pid, tid) };
  } else if (name === 'fd') {
    if (more.length === 0) {
      return { type: 'dir', path: guest, time: p.started, entries: () => p.fds.fds().map((n) => [String(n), DT.LNK]) };
    }
    const f = /^\d+$/.test(more[0]) ? p.fds.get(Number(more[0])) : undefined;
    if (!f) return -ERRNO.ENOENT;
    const target = fdTarget(f);
    if (more.length > 1) return f.kind === 'dir' ? redirect(k, self, `${target}/${more.slice(1).join('/')}`, follow) : -ERRNO.ENOTDIR;
    // Followed, a host file or any directory is opened anew; anything else is the description itself (as /dev/fd/N).
    link = { type: 'link', path: guest, time: p.started, target, file: f.hostPath ? undefined : f };
  } else {
    const gen = PID_FILES[name];
    if (!gen) return -ERRNO.ENOENT;
    if (more.length) return -ERRNO.ENOTDIR;
    return { type: 'file', path: guest, time: p.started, mode: name === 'environ' ? 0o400 : 0o444, text: () => gen(k, p) };
  }
  return follow && (!link.file || link.file.kind === 'dir') ? redirect(k, self, link.target, follow) : link;
}

/** A path reached through a link: looked up again when under /proc, otherwise resolved as usual. */
function redirect(k: Kernel, self: Process, path: string, follow: boolean): ReturnType<typeof procLookup> {
  return procLookup(k, self, path, follow) ?? { redirect: path };
}

/** Opens a node read-only: EACCES for any write. */
export function procOpen(node: ProcNode, flags: number): OpenFile | number {
  if ((flags & O.ACCMODE) !== O.RDONLY || flags & (O.CREAT | O.TRUNC)) return -ERRNO.EACCES;
  if (node.type === 'link') return flags & O.NOFOLLOW || !node.file ? -ERRNO.ELOOP : node.file; // O_NOFOLLOW on a link
  if (node.type === 'file' && flags & O.DIRECTORY) return -ERRNO.ENOTDIR;
  const f = new OpenFile(node.type, -1, node.path, '', flags);
  opened.set(f, { node, data: node.type === 'file' ? bytes(node.text()) : null });
  return f;
}

const opened = new WeakMap<OpenFile, { node: ProcNode; data: Uint8Array | null }>();

/** read of an open /proc file: its bytes from the offset (null for anything else). */
export function procRead(f: OpenFile, n: number, pos: number | null): Uint8Array | null {
  const data = opened.get(f)?.data;
  if (!data) return null;
  const b = data.subarray(pos ?? f.offset, (pos ?? f.offset) + n);
  if (pos === null) f.offset += b.length;
  return b;
}

/** getdents64 of an open /proc directory: its entries (null for anything else). */
export function procDirents(f: OpenFile): Dirent[] | null {
  const node = opened.get(f)?.node;
  if (node?.type !== 'dir') return null;
  return node.entries().map(([name, t]) => {
    const is = (want: number) => () => t === want;
    return {
      name, isDirectory: is(DT.DIR), isFile: is(DT.REG), isSymbolicLink: is(DT.LNK), isFIFO: is(-1),
      isCharacterDevice: is(-1), isBlockDevice: is(-1), isSocket: is(-1),
    } as unknown as Dirent;
  });
}

/** stat of an open /proc file or directory (null for anything else). */
export function procFileStats(f: OpenFile): Stats | null {
  const o = opened.get(f);
  return o ? procStats(o.node) : null;
}

/** stat of a node: dr-xr-xr-x directories, -r--r--r-- files of size 0, lrwxrwxrwx links; all root's. */
export function procStats(node: ProcNode): Stats {
  const mode = node.type === 'dir' ? S_IFDIR | 0o555 : node.type === 'file' ? S_IFREG | node.mode : S_IFLNK | 0o777;
  let ino = 1;
  for (const c of node.path) ino = (Math.imul(ino, 31) + c.charCodeAt(0)) >>> 0;
  return {
    dev: 0x16, ino, mode, nlink: node.type === 'dir' ? 2 : 1, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 1024, blocks: 0,
    atimeMs: node.time, mtimeMs: node.time, ctimeMs: node.time, birthtimeMs: node.time,
    isFile: () => node.type === 'file', isDirectory: () => node.type === 'dir', isSymbolicLink: () => node.type === 'link',
    isCharacterDevice: () => false, isFIFO: () => false, isSocket: () => false, isBlockDevice: () => false,
  } as unknown as Stats;
}

/** A pipe's inode number: what fstat reports and /proc/[pid]/fd shows as pipe:[N]. */
const pipeInos = new WeakMap<object, number>();
export function pipeIno(f: OpenFile): number {
  let n = pipeInos.get(f.pipe!);
  if (n === undefined) {
    n = 0x10000 + Math.floor(Math.random() * 0x7fff0000);
    pipeInos.set(f.pipe!, n);
  }
  return n;
}

/** tty_nr of a process with a controlling terminal: /dev/console's device number (5, 1). */
const CONSOLE_DEV = (5 << 8) | 1;

/** Where /proc/[pid]/fd/N points: pipe:[ino], the guest path, or for the host's stdio what it is. */
function fdTarget(f: OpenFile): string {
  if (f.pipe) return `pipe:[${pipeIno(f)}]`;
  if (f.tty) return '/dev/console'; // the terminal, however it was opened (fstat agrees: ttyname finds it)
  if (f.guestPath) return f.guestPath;
  try {
    const st = fs.fstatSync(f.hostFd);
    if (st.isFIFO()) return `pipe:[${st.ino}]`;
    if (st.isSocket()) return `socket:[${st.ino}]`;
  } catch {
    // a host descriptor that went away: name it like the others
  }
  return tty.isatty(f.hostFd) ? '/dev/tty' : `/dev/${['stdin', 'stdout', 'stderr'][f.hostFd] ?? 'null'}`;
}

function bytes(t: string | Uint8Array): Uint8Array {
  return typeof t === 'string' ? new TextEncoder().encode(t) : t;
}

const PID_ENTRIES: [string, number][] = [
  ['fd', DT.DIR], ['task', DT.DIR], ['cmdline', DT.REG], ['environ', DT.REG], ['exe', DT.LNK], ['cwd', DT.LNK], ['root', DT.LNK],
  ['maps', DT.REG], ['mounts', DT.REG], ['stat', DT.REG], ['status', DT.REG], ['comm', DT.REG],
];

function rootEntries(k: Kernel): [string, number][] {
  const pids = [...k.procs.keys()].sort((a, b) => a - b);
  return [
    ...Object.keys(SYSTEM).map((n): [string, number] => [n, DT.REG]), ['self', DT.LNK], ['sys', DT.DIR],
    ...pids.map((p): [string, number] => [String(p), DT.DIR]),
  ];
}

/** The files of /proc/[pid]/task/[tid]/. */
const TASK_FILES = ['comm', 'stat', 'status'];

/** A process file as one of its threads sees it: the pid field of stat, and status's Pid line, are the tid. */
function threadView(text: string | Uint8Array, pid: number, tid: number): string | Uint8Array {
  if (typeof text !== 'string' || tid === pid) return text;
  return text.replace(new RegExp(`^${pid} \\(`), `${tid} (`).replace(/^Pid:\t\d+$/m, `Pid:\t${tid}`);
}

/** /proc/sys: a few read-only sysctls programs look at (the name, the release, limits). */
const SYSCTL: Record<string, Record<string, (k: Kernel) => string>> = {
  kernel: {
    hostname: (k) => k.hostname,
    ostype: () => 'Linux',
    osrelease: () => UTS.release,
    version: () => UTS.version,
    pid_max: () => '32768',
    ngroups_max: () => '65536',
  },
  fs: { 'file-max': () => '1024', 'nr_open': () => '1024' },
  vm: { overcommit_memory: () => '0' },
};

function sysctlNode(k: Kernel, guest: string, rest: string[]): ProcNode | number {
  const [group, name, ...more] = rest;
  if (group === undefined) return { type: 'dir', path: guest, time: k.started, entries: () => Object.keys(SYSCTL).map((g) => [g, DT.DIR]) };
  const files = SYSCTL[group];
  if (!files) return -ERRNO.ENOENT;
  if (name === undefined) return { type: 'dir', path: guest, time: k.started, entries: () => Object.keys(files).map((f) => [f, DT.REG]) };
  const gen = files[name];
  if (!gen) return -ERRNO.ENOENT;
  if (more.length) return -ERRNO.ENOTDIR;
  return { type: 'file', path: guest, time: k.started, mode: 0o444, text: () => `${gen(k)}\n` };
}

// ---- /proc/[pid] files

/** The command name (Linux's comm): what exec named the program, or prctl(PR_SET_NAME) since. */
function comm(p: Process): string {
  return p.mm.comm;
}

/** State letter and name: the process's (zombie, stopped) or its main thread's. */
function state(p: Process): [string, string] {
  if (p.state === 'zombie') return ['Z', 'zombie'];
  if (p.stopped) return ['T', 'stopped'];
  return p.threads[0]?.state === 'blocked' ? ['S', 'sleeping'] : ['R', 'running'];
}

/** Sizes in bytes: all mappings, the stack, and what is resident (mappings but the stack's untouched part). */
function vm(p: Process): { size: number; stack: number; rss: number } {
  let size = 0;
  let stack = 0;
  for (const v of p.mem.vmas) {
    size += v.end - v.start;
    if (v.name === '[stack]') stack += v.end - v.start;
  }
  const sp = Number(p.threads[0]?.cpu.sp ?? 0n);
  const used = sp && sp <= p.layout.stackTop ? p.layout.stackTop - (sp - (sp % 4096)) : 0;
  return { size, stack, rss: size - stack + Math.min(used, stack) };
}

/** Signal sets of a process: ignored and caught. */
function dispositions(p: Process): [bigint, bigint] {
  let ign = 0n;
  let cgt = 0n;
  for (let s = 1; s <= 64; s++) {
    const h = actionOf(p.sigactions, s).handler;
    if (h === SIG_IGN) ign |= 1n << BigInt(s - 1);
    else if (h !== SIG_DFL) cgt |= 1n << BigInt(s - 1);
  }
  return [ign, cgt];
}

const PID_FILES: Record<string, (k: Kernel, p: Process) => string | Uint8Array> = {
  cmdline: (_k, p) => p.mm.cmdline,
  comm: (_k, p) => `${comm(p)}\n`,
  mounts: (k) => mountsText(k.vfs),
  environ: (_k, p) => p.mm.environ,
  stat: (k, p) => {
    const m = vm(p);
    const [ign, cgt] = dispositions(p);
    const startTicks = ticks(p.started - k.started);
    const l = p.layout;
    // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime
    // cstime priority nice num_threads itrealvalue starttime vsize rss rsslim startcode endcode startstack kstkesp
    // kstkeip signal blocked sigignore sigcatch wchan nswap cnswap exit_signal processor rt_priority policy
    // delayacct_blkio_ticks guest_time cguest_time start_data end_data start_brk arg_start arg_end env_start
    // env_end exit_code
    const fields = [
      state(p)[0], p.ppid, p.pgid, p.sid, p.tty ? CONSOLE_DEV : 0, p.tty?.pgrp || -1, 0x400000, 0, 0, 0, 0,
      ticks(p.cpu.user), ticks(p.cpu.system), ticks(p.cpu.childUser), ticks(p.cpu.childSystem), 20, 0, p.threads.length || 1, 0, startTicks,
      m.size, m.rss / 4096, '18446744073709551615', 0, 0, l.stackTop, 0, 0, p.pending, p.threads[0]?.sigmask ?? 0, ign, cgt,
      0, 0, 0, p.exitSignal, 0, 0, 0, 0, 0, 0, 0, 0, l.brkStart, 0, 0, 0, 0, p.state === 'zombie' ? p.waitStatus : 0,
    ];
    return `${p.pid} (${comm(p)}) ${fields.join(' ')}\n`;
  },
  status: (_k, p) => {
    const m = vm(p);
    const kb = (n: number) => `${String(Math.ceil(n / 1024)).padStart(8)} kB`;
    const hex = (n: bigint) => n.toString(16).padStart(16, '0');
    const [ign, cgt] = dispositions(p);
    const [letter, name] = state(p);
    return [
      `Name:\t${comm(p)}`, `Umask:\t${p.umask.toString(8).padStart(4, '0')}`, `State:\t${letter} (${name})`, `Tgid:\t${p.pid}`,
      `Ngid:\t0`, `Pid:\t${p.pid}`, `PPid:\t${p.ppid}`, `TracerPid:\t0`, `Uid:\t0\t0\t0\t0`, `Gid:\t0\t0\t0\t0`,
      `FDSize:\t${Math.max(64, 2 ** Math.ceil(Math.log2((p.fds.fds().at(-1) ?? 0) + 1)))}`, `Groups:\t`,
      `VmPeak:\t${kb(m.size)}`, `VmSize:\t${kb(m.size)}`, `VmHWM:\t${kb(m.rss)}`, `VmRSS:\t${kb(m.rss)}`,
      `VmStk:\t${kb(m.stack)}`, `Threads:\t${p.threads.length || 1}`, `SigPnd:\t${hex(p.threads[0]?.pending ?? 0n)}`,
      `ShdPnd:\t${hex(p.pending)}`, `SigBlk:\t${hex(p.threads[0]?.sigmask ?? 0n)}`, `SigIgn:\t${hex(ign)}`,
      `SigCgt:\t${hex(cgt)}`, '',
    ].join('\n');
  },
  maps: (_k, p) => {
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    return p.mem.vmas
      .map((v) => {
        const perms = `${v.prot & 1 ? 'r' : '-'}${v.prot & 2 ? 'w' : '-'}${v.prot & 4 ? 'x' : '-'}p`;
        const head = `${hex(v.start)}-${hex(v.end)} ${perms} 00000000 00:00 0 `;
        return (v.name ? head.padEnd(72) + ' ' + v.name : head) + '\n';
      })
      .join('');
  },
};

// ---- system files

const kb = (name: string, bytes: number) => `${(name + ':').padEnd(15)} ${String(Math.floor(bytes / 1024)).padStart(8)} kB\n`;

const SYSTEM: Record<string, (k: Kernel) => string> = {
  // One CPU: the kernel runs one guest thread at a time (sched_getaffinity says the same).
  cpuinfo: () =>
    'processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU architecture: 8\n' +
    'CPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 3\n\n',
  meminfo: () => {
    const total = os.totalmem();
    const free = os.freemem();
    return (
      kb('MemTotal', total) + kb('MemFree', free) + kb('MemAvailable', free) + kb('Buffers', 0) + kb('Cached', 0) +
      kb('SwapCached', 0) + kb('Active', total - free) + kb('Inactive', 0) + kb('SwapTotal', 0) + kb('SwapFree', 0) +
      kb('Shmem', 0) + kb('SReclaimable', 0) + kb('CommitLimit', total) + kb('Committed_AS', total - free)
    );
  },
  uptime: (k) => {
    const up = (Date.now() - k.started) / 1000;
    const cpu = process.cpuUsage();
    return `${up.toFixed(2)} ${Math.max(0, up - (cpu.user + cpu.system) / 1e6).toFixed(2)}\n`;
  },
  loadavg: (k) => {
    const tasks = [...k.procs.values()].flatMap((p) => p.threads);
    const running = tasks.filter((t) => t.state === 'runnable').length;
    return `${os.loadavg().map((l) => l.toFixed(2)).join(' ')} ${running}/${tasks.length} ${k.nextPid - 1}\n`;
  },
  mounts: (k) => mountsText(k.vfs),
  filesystems: () => 'nodev\thostfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tpipefs\n',
  version: () => `${UTS.sysname} version ${UTS.release} (levitate@levitate) (Levitate: AArch64 to WebAssembly under Node.js) ${UTS.version}\n`,
};
