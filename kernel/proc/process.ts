// Processes and tasks (D9). A Process is a thread group: address space, descriptors, directory, signal
// dispositions, its place in the process tree. A Task is one thread of it: CPU state, the engine running it,
// its signal mask and pending signals. fork makes a new Process with one Task; a thread is a new Task in the
// same Process; CLONE_VM without CLONE_THREAD (vfork, posix_spawn) shares the Mm between two Processes.
import { AddressSpace, GUEST_BASE, PROT_READ, PROT_WRITE } from '../../runtime/memory/address-space.js';
import { CpuState } from '../../runtime/cpu/state.js';
import type { Engine } from '../../runtime/engine/engine.js';
import type { CompiledImage } from '../../runtime/engine/aot.js';
import { FdTable } from '../fs/file.js';
import type { ElfImage } from '../../translator/elf/elf.js';
import type { Vfs } from '../fs/vfs.js';
import type { Tty } from '../fs/tty.js';
import { SI } from '../signal/signals.js';
import { WaitQueue, type Interruptible } from './wait.js';

export interface Layout {
  /** Start and current end of the program break area. */
  brkStart: number;
  brk: number;
  /** The top-down mmap area lies below this address and above brkLimit. */
  mmapTop: number;
  brkLimit: number;
  stackTop: number;
}

/** An address space and what exec put into it. */
export class Mm {
  layout: Layout = { brkStart: 0, brk: 0, mmapTop: 0, brkLimit: 0, stackTop: 0 };
  /** The running image as loaded: what the translator translates. */
  image: { elf: ElfImage; bias: number } | null = null;
  /** Guest path of the running image (/proc/self/exe). */
  exe = '';
  /** The command name, at most 15 bytes (/proc/[pid]/comm, prctl PR_SET_NAME). */
  comm = '';
  /** argv and envp as exec gave them, each string NUL-terminated (/proc/[pid]/cmdline, environ). */
  cmdline = new Uint8Array(0);
  environ = new Uint8Array(0);
  /** See ExecArgs.identity. */
  identity = '';
  /** The image's translation once an engine needed it; fork's children share it. */
  compiled: CompiledImage | null = null;
  /** Processes using this address space (vfork and CLONE_VM children share their parent's). */
  users = 1;
  constructor(readonly mem: AddressSpace = new AddressSpace()) {}

  /** One user fewer; the last one hands the memory back for reuse. */
  drop(): void {
    if (--this.users === 0) this.mem.release();
  }
}

/** What a process has before its first exec or fork gives it an address space. */
const NO_MM = new Mm(new AddressSpace(new WebAssembly.Memory({ initial: 0 })));
NO_MM.users = Infinity; // never released

/** What a signal carries into the handler's siginfo. */
export interface SigInfo {
  signo: number;
  code: number;
  /** si_pid/si_uid for signals sent by a process; si_status for SIGCHLD. */
  pid?: number;
  uid?: number;
  status?: number;
  /** si_addr for faults. */
  addr?: bigint;
}

/** A signal set as a 64-bit mask: bit (sig - 1). */
export function sigbit(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}

/**
 * Takes the lowest-numbered pending signal of `set` for `task`: its own before its process's. Null when none.
 */
export function takeSignal(task: Task, set: bigint): { sig: number; info: SigInfo } | null {
  for (const src of [task, task.proc]) {
    const ready = src.pending & set;
    if (ready === 0n) continue;
    let sig = 1;
    while (!(ready & sigbit(sig))) sig++;
    src.pending &= ~sigbit(sig);
    const info = src.pendingInfo.get(sig) ?? { signo: sig, code: SI.KERNEL };
    src.pendingInfo.delete(sig);
    return { sig, info };
  }
  return null;
}

export class Task {
  cpu = new CpuState();
  engine: Engine | null = null;
  sigmask = 0n;
  /** Signals sent to this thread (tgkill, faults). */
  pending = 0n;
  readonly pendingInfo = new Map<number, SigInfo>();
  /** The mask to restore when the handler sigsuspend woke for returns. */
  savedMask: bigint | null = null;
  clearChildTid = 0n;
  altStack = { sp: 0n, size: 0n, flags: 2 /* SS_DISABLE */ };
  /** Set while the task waits in a syscall: a signal interrupts it through this. */
  parked: Interruptible | null = null;
  /** X0 at the last syscall's entry, for restarting it after a signal. */
  origX0 = 0n;
  /** ERESTARTSYS/ERESTARTNOHAND when the last syscall was interrupted; signal delivery settles it. */
  restartCode = 0;
  state: 'runnable' | 'blocked' | 'stopped' | 'dead' = 'runnable';
  /** Woken whenever a signal is sent to the task or its process (rt_sigtimedwait waits here). */
  readonly signalled = new WaitQueue();

  constructor(
    readonly tid: number,
    public proc: Process,
  ) {}

  /** A pending signal this task would take now. */
  signalPending(): boolean {
    return ((this.pending | this.proc.pending) & ~this.sigmask) !== 0n;
  }
}

export class Process {
  mm: Mm = NO_MM;
  fds = new FdTable();
  cwd = '/';
  umask = 0o022;
  /** rt_sigaction dispositions, 64 signals × 32 bytes (kernel struct sigaction). */
  sigactions = new Uint8Array(65 * 32);
  /** Signals sent to the whole process (kill). */
  pending = 0n;
  readonly pendingInfo = new Map<number, SigInfo>();
  readonly threads: Task[] = [];
  parent: Process | null = null;
  readonly children = new Set<Process>();
  pgid: number;
  sid: number;
  /** The controlling terminal (session.ts): inherited by fork, kept by exec, dropped by setsid. */
  tty: Tty | null = null;
  /** Woken when a child changes state (exits, stops, continues): wait4 sleeps here. */
  readonly childEvents = new WaitQueue();
  /** 'zombie' after the last thread exits, until the parent reaps it. */
  state: 'live' | 'zombie' = 'live';
  /** The wait status (exit code << 8, or the signal) once a zombie. */
  waitStatus = 0;
  /** A stop or continue the parent has not collected with WUNTRACED/WCONTINUED yet. */
  report: 'stopped' | 'continued' | null = null;
  stopSignal = 0;
  stopped = false;
  /** A vfork parent waits for this child to exec or exit. */
  vforkDone: (() => void) | null = null;
  /** When the process was made (Date.now()): /proc/[pid]/stat's start time. */
  readonly started = Date.now();
  /**
   * Host CPU time in milliseconds: running guest code (user) and in syscall handlers (system), and the sums of
   * the children this process has reaped (getrusage, times, wait4's rusage, /proc/[pid]/stat).
   */
  readonly cpu = { user: 0, system: 0, childUser: 0, childSystem: 0 };
  /** Exit signal sent to the parent (SIGCHLD for fork, 0 for none). */
  exitSignal = 17;

  constructor(
    readonly pid: number,
    /** The file namespace the process sees (the mount table). */
    readonly vfs: Vfs,
  ) {
    this.pgid = pid;
    this.sid = pid;
  }

  get mem(): AddressSpace {
    return this.mm.mem;
  }
  get layout(): Layout {
    return this.mm.layout;
  }
  get image(): { elf: ElfImage; bias: number } | null {
    return this.mm.image;
  }
  get exe(): string {
    return this.mm.exe;
  }
  get ppid(): number {
    return this.parent?.pid ?? 0;
  }

  // ---- guest memory access for syscalls: null means EFAULT ----
  read(addr: bigint, len: number): Uint8Array | null {
    if (len === 0) return new Uint8Array(0);
    if (addr < 0n || addr + BigInt(len) > 0x1_0000_0000n) return null;
    const a = Number(addr);
    if (!this.mem.allows(a, len, PROT_READ)) return null;
    return this.mem.read(a, len);
  }
  write(addr: bigint, data: Uint8Array): boolean {
    if (data.length === 0) return true;
    if (addr < 0n || addr + BigInt(data.length) > 0x1_0000_0000n) return false;
    const a = Number(addr);
    if (!this.mem.allows(a, data.length, PROT_WRITE)) return false;
    this.mem.write(a, data);
    return true;
  }
  /** A NUL-terminated string of at most `max` bytes; null on EFAULT or when unterminated. */
  readString(addr: bigint, max = 4096): string | null {
    const b = this.readCString(addr, max);
    return b === null ? null : new TextDecoder().decode(b);
  }
  /** The bytes of a NUL-terminated string (without the NUL); null on EFAULT or when longer than `max`. */
  readCString(addr: bigint, max = 4096): Uint8Array | null {
    if (addr <= 0n || addr >= 0x1_0000_0000n) return null;
    const a = Number(addr);
    const bytes = this.mem.bytes;
    const at = a - GUEST_BASE; // linear offset of the string
    for (let i = 0; i < max; i++) {
      if ((i & 0xfff) === 0 || ((a + i) & 0xfff) === 0) {
        if (!this.mem.allows(a + i, 1, PROT_READ)) return null;
      }
      if (bytes[at + i] === 0) return bytes.slice(at, at + i);
    }
    return null;
  }
  readU64(addr: bigint): bigint | null {
    const b = this.read(addr, 8);
    return b ? new DataView(b.buffer).getBigUint64(0, true) : null;
  }
  readU32(addr: bigint): number | null {
    const b = this.read(addr, 4);
    return b ? new DataView(b.buffer).getUint32(0, true) : null;
  }
  writeU64(addr: bigint, v: bigint): boolean {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    return this.write(addr, b);
  }
  writeU32(addr: bigint, v: number): boolean {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return this.write(addr, b);
  }
}
