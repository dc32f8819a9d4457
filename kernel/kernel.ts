// The kernel (D10): one thread of Node runs every guest task. The scheduler takes a runnable task, delivers its
// pending signals, runs its engine for a time slice (fuel) or until it exits to the kernel, and handles what the
// CPU raised. A syscall that must wait parks its task on wait queues (proc/wait.ts); when nothing can run the
// loop awaits host events — no busy waiting. Processes are created the Linux way: clone/fork/vfork, execve,
// wait4 (D9).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { disassemble } from '../translator/a64/disasm.js';
import { InternalError, LevitateError } from '../translator/errors.js';
import { AotEngine, type CompiledImage } from '../runtime/engine/aot.js';
import { compiledImage, loadTranslator, type CacheOutcome, type Translator } from '../runtime/engine/cache.js';
import { InterpEngine } from '../runtime/engine/engine.js';
import type { Exit } from '../runtime/engine/exit.js';
import { PROT_READ } from '../runtime/memory/address-space.js';
import { ERESTARTNOHAND, ERESTARTSYS, ERRNO, errnoFromHost } from './abi/errno.js';
import { SYS, syscallName } from './abi/syscalls.js';
import { O } from './abi/fcntl.js';
import { CLONE } from './abi/process.js';
import { OpenFile } from './fs/file.js';
import type { HostTerminal } from './fs/host-terminal.js';
import { HostInput } from './fs/host-input.js';
import { RecordLocks } from './fs/locks.js';
import { Vfs, type MountSpec } from './fs/vfs.js';
import { execImage, fileIdentity, retired } from './proc/exec.js';
import { Mm, Process, Task, sigbit, takeSignal, type SigInfo } from './proc/process.js';
import { isOrphanedPgrp, openTerminal, sessionLeaderExit } from './proc/session.js';
import { setupFrame } from './signal/frame.js';
import {
  BUS, CLD, ILL, NSIG, SA, SEGV, SI, SIG, SIG_DFL, SIG_IGN, TRAP, W, actionOf, defaultAction, ignored, setHandler,
  signalDescription,
} from './signal/signals.js';
import { straceEnd, straceEnter, straceExit, straceHead, straceSignal, straceTail, straceUnfinished, type StraceCall } from './strace/strace.js';
import { HANDLERS } from './syscalls/table.js';
import type { SysResult } from './syscalls/types.js';

export type { MountSpec };

export interface RunOptions {
  /** Host directory that is the guest's `/`. */
  root: string;
  /** The root mount is read-only (EROFS for every write). */
  rootReadonly?: boolean;
  /** Mounts over the root, made in order (a mount point must be a directory of the tree as mounted so far). */
  mounts?: MountSpec[];
  /** Host path of the program. */
  program: string;
  /** `program` is a path in the guest's tree only, never a host path (boot's /sbin/init). */
  programInRoot?: boolean;
  /** The first process's working directory in the guest (default: the host's cwd when it lies inside the root, else /). */
  cwd?: string;
  argv: string[];
  env: string[];
  strace?: boolean;
  stats?: boolean;
  /** Seconds; 0 or undefined for none. */
  timeout?: number;
  /** `aot` (default): translated code; `interp`: the interpreter. */
  engine?: 'aot' | 'interp';
  /** Translation cache directory; null or undefined keeps translations in memory only. */
  cacheDir?: string | null;
  /** Binaryen optimisation level for translations. */
  optimize?: number;
  /** Translation progress, for a progress bar. */
  progress?: (done: number, total: number) => void;
  /** Where diagnostics go (strace, crash reports, stats). */
  log?: (line: string) => void;
}

export interface RunStats {
  instructions: number;
  seconds: number;
  /** Calls of each syscall, and the host time its handlers took (not the time a blocked caller waited). */
  syscalls: Map<string, { count: number; seconds: number }>;
  /** Instructions run by translated code, by the interpreter, and functions translated while running. */
  translated: number;
  interpreted: number;
  lazy: number;
  /** Instances of translated modules the aot engines made, and took over from earlier engines. */
  instances: { made: number; reused: number };
  /** Seconds spent loading the translator because code had to be translated while running; null if it was not. */
  translatorLoad: number | null;
  /** How the first image's translation was found (aot engine only). */
  cache: { outcome: CacheOutcome; seconds: number; key: string; functions: number; blocks: number; instructions: number } | null;
  /** Processes created (the first one included) and images exec'd. */
  processes: number;
  execs: number;
  /** How each loaded image (the first and every exec'd one) found its translation. */
  images: Record<CacheOutcome | 'kernel', number>;
}

export interface RunResult {
  /** Shell-style status: the exit code, or 128 + signal. */
  status: number;
  signal: number | null;
  stats: RunStats;
}

/**
 * Instructions per time slice: about 20-50 ms of guest time for either engine. Translated code pays for every
 * slice with a state sync of ~100 globals, so its slices are longer.
 */
const FUEL = { interp: 200_000, aot: 20_000_000 } as const;

/** The longest the scheduler runs guest slices without letting Node's event loop turn (ms). */
const HOST_TURN_MS = 10;

/** The most processes alive at once (fork answers EAGAIN beyond). */
export const MAX_PROCESSES = 512;

export class Kernel {
  /** The UTS name: the host's until the guest sets its own (sethostname). */
  hostname = os.hostname();
  /** The file namespace: the root, /proc, /dev and the mounts. */
  readonly vfs: Vfs;
  readonly stdin = new HostInput(0);
  /** The host's terminal when stdin is one: the first controlling terminal (fs/tty.ts, proc/session.ts). */
  terminal: HostTerminal | null = null;
  readonly log: (line: string) => void;
  readonly procs = new Map<number, Process>();
  /** fcntl record locks of every process. */
  readonly locks = new RecordLocks();
  readonly stats: RunStats = {
    instructions: 0, seconds: 0, syscalls: new Map(), translated: 0, interpreted: 0, lazy: 0, instances: { made: 0, reused: 0 }, translatorLoad: null, cache: null, processes: 0, execs: 0,
    images: { memory: 0, disk: 0, translated: 0, rebuilt: 0, kernel: 0 },
  };
  /** The next pid to try (the last one given is nextPid - 1: /proc/loadavg). */
  nextPid = 1;
  /** When the kernel started (Date.now()): /proc/uptime, process start times. */
  readonly started = Date.now();
  private runQueue: Task[] = [];
  private wake: (() => void) | null = null;
  /** The first process: its end ends the run; orphans are reparented to it. */
  private init: Process | null = null;
  private result: RunResult | null = null;
  /** Loaded by the scheduler when an engine asks for it (code that must be translated while running). */
  private translatorWanted = false;
  private translator: Translator | null = null;
  /** Translations by host file identity: an exec of a file seen before skips hashing it. */
  private readonly byIdentity = new Map<string, CompiledImage>();
  /** Why a task's pending fault signal was raised, printed if it kills the process. */
  private readonly faultNote = new Map<Task, string>();

  constructor(readonly opts: RunOptions) {
    const line = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
    // Any line first ends an --strace line left open by a call that blocked (strace's ` <unfinished ...>`).
    this.log = (l: string) => {
      this.closeStraceLine();
      line(l);
    };
    this.straceWrite = opts.log ? null : (text: string) => process.stderr.write(text);
    this.vfs = new Vfs(opts.root, { rootReadonly: opts.rootReadonly, mounts: opts.mounts });
  }

  // ---------------------------------------------------------------- the run

  async run(): Promise<RunResult> {
    const opts = this.opts;
    const { host: hostProg, guest: guestProg } = this.locate(opts.program);
    if (!fs.existsSync(hostProg)) throw new LevitateError(`${opts.program}: no such file`, 127);
    if (guestProg === null) throw new LevitateError(`${opts.program}: lies outside the root directory ${this.vfs.rootDir} and its mounts`);
    if (fs.statSync(hostProg).isDirectory()) throw new LevitateError(`${opts.program}: is a directory`, 126);

    const proc = this.newProcess(null);
    const task = this.newTask(proc);
    proc.cwd = opts.cwd ?? this.vfs.guestOf(process.cwd()) ?? '/';
    for (const fd of [0, 1, 2]) proc.fds.install(fd, new OpenFile('stdio', fd, '', '', fd === 0 ? O.RDONLY : O.WRONLY), false);
    execImage(proc, task, new Uint8Array(fs.readFileSync(hostProg)), {
      argv: opts.argv, envp: opts.env, path: guestProg, name: opts.program, identity: fileIdentity(fs.statSync(hostProg)),
    });
    this.init = proc;
    this.terminal = openTerminal(this, proc);

    const started = performance.now();
    const deadline = opts.timeout ? started + opts.timeout * 1000 : Infinity;
    let timer: NodeJS.Timeout | null = null;
    if (deadline !== Infinity) {
      // The deadline also ends a guest that sleeps or waits forever.
      timer = setTimeout(() => {
        if (this.result) return;
        this.log(`levitate: --timeout of ${opts.timeout} s reached; killing the guest`);
        this.killProcess(proc, SIG.SIGKILL);
      }, opts.timeout! * 1000);
    }
    try {
      await this.schedule(deadline);
    } finally {
      if (timer) clearTimeout(timer);
      this.terminal?.restore();
    }
    for (const t of this.allTasks()) this.retire(t);
    this.stats.seconds = (performance.now() - started) / 1000;
    if (opts.stats) this.printStats();
    return this.result!;
  }

  /**
   * The host file of the program to run. An absolute path names a file of the guest's tree first (as under
   * chroot: `--root R /bin/sh` runs R/bin/sh; `--mount D:/opt /opt/prog` runs D/prog); otherwise, and when that
   * names nothing, it is a host path, which must lie inside the root or a mount.
   */
  private locate(program: string): { host: string; guest: string | null } {
    const r = program.startsWith('/') ? this.vfs.resolve(program, '/', true) : null;
    if (r && typeof r !== 'number' && r.host && fs.existsSync(r.host) && fs.statSync(r.host).isFile()) return r;
    if (this.opts.programInRoot) throw new LevitateError(`${program}: no such file in ${this.vfs.rootDir}`, 127);
    const host = nodePath.resolve(program);
    return { host, guest: fs.existsSync(host) ? this.vfs.guestOf(fs.realpathSync(host)) : null };
  }

  private *allTasks(): Generator<Task> {
    for (const p of this.procs.values()) yield* p.threads;
  }

  private async schedule(deadline: number): Promise<void> {
    let turned = performance.now();
    while (!this.result) {
      for (const mm of retired.splice(0)) mm.drop();
      const task = this.runQueue.shift();
      if (!task) {
        // Nothing can run: wait for a host event (input, a timer, a child's output). If Node finds nothing left
        // that could ever wake a task, every process waits on another: say so and end the run.
        const deadlock = () => {
          this.log('levitate: deadlock: every task waits and nothing can wake one; killing the guest');
          if (this.init) this.killProcess(this.init, SIG.SIGKILL);
        };
        process.once('beforeExit', deadlock);
        await new Promise<void>((resolve) => (this.wake = resolve));
        process.removeListener('beforeExit', deadlock);
        this.wake = null;
        turned = performance.now();
        continue;
      }
      if (task.state !== 'runnable') continue;
      if (task.proc.stopped) {
        task.state = 'stopped';
        continue;
      }
      this.deliverSignals(task);
      if (task.state !== 'runnable') continue;
      if (!task.engine) await this.attachEngine(task);
      if (task.state !== 'runnable' || !task.engine) continue;
      const exit = this.runSlice(task);
      if (task.engine instanceof AotEngine && task.engine.wantsTranslator && !task.engine.translator) this.translatorWanted = true;
      if (this.translatorWanted) {
        this.translatorWanted = false;
        const t0 = performance.now();
        this.translator = await loadTranslator();
        this.stats.translatorLoad = (performance.now() - t0) / 1000;
        for (const x of this.allTasks()) if (x.engine instanceof AotEngine) x.engine.translator = this.translator;
      }
      this.afterSlice(task, exit);
      if (performance.now() - turned > HOST_TURN_MS) {
        // However busy the guest, host events get in: terminal input (Ctrl-C), timers, signals sent to Node.
        await new Promise<void>((resolve) => setImmediate(resolve));
        turned = performance.now();
      }
      if (performance.now() > deadline && !this.result && this.init) {
        this.log(`levitate: --timeout of ${this.opts.timeout} s reached; killing the guest`);
        this.killProcess(this.init, SIG.SIGKILL);
      }
    }
  }

  private runSlice(task: Task): Exit {
    const engine = task.engine!;
    const t0 = performance.now();
    try {
      return engine.run(engine instanceof AotEngine ? FUEL.aot : FUEL.interp);
    } catch (err) {
      if (err instanceof LevitateError) throw err;
      // A bug of ours while executing guest code: say where, so it can be reported and reproduced.
      const pc = task.cpu.pc;
      const mem = task.proc.mem;
      const word = pc < 0x1_0000_0000n && mem.allows(Number(pc), 4, PROT_READ) ? mem.u32(Number(pc)) : 0;
      throw new InternalError(
        `internal error at pc 0x${pc.toString(16)}: 0x${word.toString(16).padStart(8, '0')} (${disassemble(word, pc).replace('\t', ' ')}): ${(err as Error).message}`,
      );
    } finally {
      // The slice's syscalls have moved their own time to cpu.system (syscall()).
      task.proc.cpu.user += performance.now() - t0;
    }
  }

  private afterSlice(task: Task, exit: Exit): void {
    if (task.state === 'runnable' && exit.kind !== 'kernel' && exit.kind !== 'fuel' && exit.kind !== 'svc') this.cpuException(task, exit);
    if (task.state === 'runnable') this.runQueue.push(task);
  }

  /** A CPU exception becomes a signal to the task that raised it (force_sig: blocked or ignored, it still acts). */
  private cpuException(task: Task, exit: Exit): void {
    const pc = task.cpu.pc;
    const pcText = `pc 0x${pc.toString(16)}`;
    let info: SigInfo;
    let note = '';
    if (exit.kind === 'fault') {
      const sig = exit.reason === 'alignment' ? SIG.SIGBUS : SIG.SIGSEGV;
      const code = exit.reason === 'alignment' ? BUS.ADRALN : exit.reason === 'protection' ? SEGV.ACCERR : SEGV.MAPERR;
      info = { signo: sig, code, addr: exit.addr };
      if (this.opts.strace) note = `${signalDescription(sig)}: ${exit.access} of 0x${exit.addr.toString(16)} (${exit.reason}) at ${pcText}`;
    } else if (exit.kind === 'undefined') {
      const word = exit.word >>> 0;
      info = { signo: SIG.SIGILL, code: ILL.ILLOPC, addr: pc };
      note = `unimplemented or undefined instruction at ${pcText}: 0x${word.toString(16).padStart(8, '0')} (${disassemble(word, pc).replace('\t', ' ')})`;
    } else if (exit.kind === 'brk') {
      info = { signo: SIG.SIGTRAP, code: TRAP.BRKPT, addr: pc };
      if (this.opts.strace) note = `brk #0x${exit.imm.toString(16)} at ${pcText}`;
    } else return;
    const sig = info.signo;
    const h = actionOf(task.proc.sigactions, sig).handler;
    if (h === SIG_IGN || task.sigmask & sigbit(sig)) {
      setHandler(task.proc.sigactions, sig, SIG_DFL);
      task.sigmask &= ~sigbit(sig);
    }
    if (note) this.faultNote.set(task, note);
    task.pending |= sigbit(sig);
    task.pendingInfo.set(sig, info);
  }

  // ---------------------------------------------------------------- engines

  private async attachEngine(task: Task): Promise<void> {
    const mm = task.proc.mm;
    if (this.opts.engine === 'interp' || !mm.image) {
      task.engine = new InterpEngine(task.cpu, mm.mem, (imm) => this.syscall(task, imm));
      return;
    }
    let compiled = mm.compiled ?? (mm.identity ? this.byIdentity.get(mm.identity) : undefined);
    if (compiled && !mm.compiled) this.stats.images.kernel++;
    if (!compiled) {
      const c = await compiledImage(mm.image.elf, mm.image.bias, { dir: this.opts.cacheDir ?? null, optimize: this.opts.optimize ?? 0, progress: this.opts.progress });
      this.stats.cache ??= { outcome: c.outcome, seconds: c.seconds, key: c.key, ...c.image.summary };
      this.stats.images[c.outcome]++;
      compiled = c.image;
      if (mm.identity) this.byIdentity.set(mm.identity, compiled);
      // A translation just made loaded the translator: engines can translate on the spot from now on.
      if (c.outcome === 'translated' || c.outcome === 'rebuilt') this.translator ??= await loadTranslator();
    }
    if (task.proc.mm === mm) mm.compiled = compiled;
    if (task.state === 'runnable' && task.proc.mm === mm) task.engine = this.aotEngine(task, compiled);
  }

  private aotEngine(task: Task, compiled: CompiledImage): AotEngine {
    const e = new AotEngine(task.cpu, task.proc.mem, compiled, (imm) => this.syscall(task, imm));
    this.stats.instances[e.reused ? 'reused' : 'made']++;
    e.translator = this.translator;
    return e;
  }

  /** A task's engine goes (exit, exec): its counts join the run's. */
  private retire(task: Task): void {
    const e = task.engine;
    if (!e) return;
    this.stats.translated += e.stats.translated;
    this.stats.interpreted += e.stats.interpreted;
    this.stats.lazy += e.stats.lazy;
    this.stats.instructions += e.stats.translated + e.stats.interpreted;
    e.dispose?.();
    task.engine = null;
  }

  // ---------------------------------------------------------------- tasks and processes

  private newProcess(parent: Process | null): Process {
    const p = new Process(this.allocPid(), this.vfs);
    this.nextPid++;
    this.procs.set(p.pid, p);
    this.stats.processes++;
    if (parent) {
      p.parent = parent;
      parent.children.add(p);
    }
    return p;
  }

  private newTask(proc: Process, tid = proc.pid): Task {
    const t = new Task(tid, proc);
    proc.threads.push(t);
    this.runQueue.push(t);
    return t;
  }

  private allocPid(): number {
    while (this.procs.has(this.nextPid) || [...this.procs.values()].some((p) => p.threads.some((t) => t.tid === this.nextPid))) this.nextPid++;
    return this.nextPid;
  }

  /** A parked or stopped task can run again. */
  makeRunnable(task: Task): void {
    if (task.state === 'dead') return;
    if (task.state !== 'runnable') {
      task.state = 'runnable';
      this.runQueue.push(task);
    }
    this.wake?.();
  }

  findTask(tid: number): Task | undefined {
    for (const p of this.procs.values()) for (const t of p.threads) if (t.tid === tid && t.state !== 'dead') return t;
    return undefined;
  }

  /** clone(2): a process (fork, vfork, posix_spawn's CLONE_VM|CLONE_VFORK) or a thread. */
  clone(task: Task, flags: number, newSp: bigint, parentTid: bigint, tls: bigint, childTid: bigint): SysResult | Promise<SysResult> {
    const parent = task.proc;
    if (flags & CLONE.THREAD && (!(flags & CLONE.VM) || !(flags & CLONE.SIGHAND))) return -ERRNO.EINVAL;
    if (flags & CLONE.SIGHAND && !(flags & CLONE.VM)) return -ERRNO.EINVAL;
    const cpu = task.cpu.clone();
    cpu.x[0] = 0n;
    if (newSp !== 0n) cpu.sp = newSp;
    if (flags & CLONE.SETTLS) cpu.tpidr = tls;
    let child: Task;
    if (flags & CLONE.THREAD) {
      child = this.newTask(parent, this.allocPid());
      this.nextPid++;
    } else {
      if (this.procs.size >= MAX_PROCESSES) return -ERRNO.EAGAIN;
      const p = this.newProcess(flags & CLONE.PARENT && parent.parent ? parent.parent : parent);
      if (flags & CLONE.VM) {
        p.mm = parent.mm;
        p.mm.users++;
      } else {
        let mem;
        try {
          // The stack below the forking thread's stack pointer is dead: the child need not copy it.
          mem = parent.mem.fork(Number(task.cpu.sp));
        } catch (err) {
          if (!(err instanceof RangeError)) throw err;
          // The host could not give us another address space.
          this.procs.delete(p.pid);
          p.parent?.children.delete(p);
          return -ERRNO.ENOMEM;
        }
        const mm = new Mm(mem);
        mm.layout = { ...parent.mm.layout };
        mm.image = parent.mm.image;
        mm.exe = parent.mm.exe;
        mm.comm = parent.mm.comm;
        mm.cmdline = parent.mm.cmdline;
        mm.environ = parent.mm.environ;
        mm.compiled = parent.mm.compiled;
        p.mm = mm;
      }
      p.fds = flags & CLONE.FILES ? parent.fds : parent.fds.clone();
      p.cwd = parent.cwd;
      p.umask = parent.umask;
      p.sigactions = flags & CLONE.SIGHAND ? parent.sigactions : parent.sigactions.slice();
      p.pgid = parent.pgid;
      p.sid = parent.sid;
      p.tty = parent.tty;
      p.exitSignal = flags & 0xff;
      child = this.newTask(p);
    }
    child.cpu = cpu;
    child.sigmask = task.sigmask;
    child.altStack = flags & CLONE.VM && !(flags & CLONE.VFORK) ? { sp: 0n, size: 0n, flags: 2 } : { ...task.altStack };
    // The child's engine: the same compiled image over its own memory (or the shared one), its own registers.
    const compiled = child.proc.mm.compiled;
    if (task.engine instanceof AotEngine && compiled) child.engine = this.aotEngine(child, compiled);
    const tid = BigInt(child.tid);
    if (flags & CLONE.PARENT_SETTID) parent.writeU32(parentTid, child.tid);
    if (flags & CLONE.CHILD_SETTID) child.proc.writeU32(childTid, Number(tid));
    if (flags & CLONE.CHILD_CLEARTID) child.clearChildTid = childTid;
    this.wake?.();
    if (flags & CLONE.VFORK) {
      return new Promise<SysResult>((resolve) => {
        child.proc.vforkDone = () => resolve(child.tid);
      });
    }
    return child.tid;
  }

  /** The point of no return of execve: the image is loaded; the rest of the process follows Linux's rules. */
  execDone(task: Task): void {
    const proc = task.proc;
    // Other threads go (de_thread); the exec'ing one takes the process's pid.
    for (const t of [...proc.threads]) if (t !== task) this.endTask(t);
    proc.threads.length = 0;
    proc.threads.push(task);
    proc.fds.closeOnExec();
    // Caught signals return to their default; ignored ones stay ignored; flags, restorer and mask are cleared
    // (flush_signal_handlers). The table is the process's own now.
    const acts = proc.sigactions.slice();
    for (let s = 1; s <= NSIG; s++) {
      if (actionOf(acts, s).handler !== SIG_IGN) setHandler(acts, s, SIG_DFL);
      acts.fill(0, s * 32 + 8, s * 32 + 32);
    }
    proc.sigactions = acts;
    task.altStack = { sp: 0n, size: 0n, flags: 2 };
    task.clearChildTid = 0n;
    this.retire(task);
    this.stats.execs++;
    const done = proc.vforkDone;
    proc.vforkDone = null;
    done?.();
  }

  private endTask(t: Task): void {
    if (t.state === 'dead') return;
    t.state = 'dead';
    this.retire(t);
    const parked = t.parked;
    t.parked = null;
    parked?.interrupt();
  }

  /** exit(2): one thread ends; the last one takes the process with it. */
  exitThread(task: Task, code: number): void {
    const proc = task.proc;
    if (proc.threads.filter((t) => t.state !== 'dead').length <= 1) {
      this.exitProcess(proc, W.exited(code));
      return;
    }
    this.endTask(task);
    if (task.clearChildTid !== 0n) {
      proc.writeU32(task.clearChildTid, 0);
      this.futexWake(proc, task.clearChildTid, 1);
    }
  }

  /**
   * reboot(2)'s halt, power-off and restart: the machine stops. Every process ends at once (as after Linux's
   * `reboot -f`; a polite shutdown is init's job before it calls reboot) and the run ends with status 0.
   */
  powerOff(): void {
    if (this.result) return;
    for (const p of this.procs.values()) for (const t of [...p.threads]) this.endTask(t);
    this.result = { status: 0, signal: null, stats: this.stats };
    this.wake?.();
  }

  /** The process ends with a wait status: threads stop, descriptors close, the parent is told. */
  exitProcess(proc: Process, status: number): void {
    if (proc.state === 'zombie') return;
    if (this.opts.strace) this.straceEvent(this.straceLead(proc.pid, (t) => t.proc === proc) + straceEnd(status));
    for (const t of proc.threads) {
      if (t.clearChildTid !== 0n && proc.threads.length > 1) proc.writeU32(t.clearChildTid, 0);
      this.endTask(t);
    }
    proc.fds.closeAll();
    this.locks.release(proc.pid);
    retired.push(proc.mm);
    proc.state = 'zombie';
    proc.waitStatus = status;
    proc.stopped = false;
    const done = proc.vforkDone;
    proc.vforkDone = null;
    done?.();
    if (proc === this.init) {
      // The first process ends the run (like a container's init): whatever else runs is killed.
      for (const p of this.procs.values()) if (p !== proc) for (const t of p.threads) this.endTask(t);
      const sig = status & 0x7f;
      this.result = sig ? { status: 128 + sig, signal: sig, stats: this.stats } : { status: (status >> 8) & 0xff, signal: null, stats: this.stats };
      this.wake?.();
      return;
    }
    sessionLeaderExit(this, proc);
    // Orphans go to the first process.
    for (const c of proc.children) {
      c.parent = this.init;
      this.init?.children.add(c);
      if (c.state === 'zombie') this.init?.childEvents.wake();
    }
    proc.children.clear();
    const parent = proc.parent;
    if (!parent) return;
    const act = actionOf(parent.sigactions, SIG.SIGCHLD);
    if (proc.exitSignal === SIG.SIGCHLD && (act.handler === SIG_IGN || act.flags & SA.NOCLDWAIT)) {
      this.reap(proc); // nobody will wait: no zombie
    } else if (proc.exitSignal) {
      const sig = status & 0x7f;
      this.sendSignal(parent, proc.exitSignal, {
        signo: proc.exitSignal, code: sig ? (status & 0x80 ? CLD.DUMPED : CLD.KILLED) : CLD.EXITED, pid: proc.pid, uid: 0,
        status: sig ? sig : (status >> 8) & 0xff,
      });
    }
    parent.childEvents.wake();
  }

  reap(child: Process): void {
    const c = child.cpu;
    if (child.parent) {
      child.parent.cpu.childUser += c.user + c.childUser;
      child.parent.cpu.childSystem += c.system + c.childSystem;
    }
    child.parent?.children.delete(child);
    this.procs.delete(child.pid);
  }

  killProcess(proc: Process, sig: number, core = false): void {
    const task = proc.threads.find((t) => this.faultNote.has(t));
    if (task) {
      this.log(`levitate: ${this.faultNote.get(task)}`);
      this.faultNote.delete(task);
    }
    this.exitProcess(proc, W.signaled(sig, core));
  }

  // ---------------------------------------------------------------- signals

  /** Sends `sig` to a process (kill) or, with `task`, to one thread (tgkill, faults). */
  sendSignal(proc: Process, sig: number, info: SigInfo, task?: Task): void {
    if (proc.state === 'zombie' || sig === 0) return;
    if (sig === SIG.SIGKILL) {
      this.killProcess(proc, sig);
      return;
    }
    const stopSet = sigbit(SIG.SIGSTOP) | sigbit(SIG.SIGTSTP) | sigbit(SIG.SIGTTIN) | sigbit(SIG.SIGTTOU);
    if (sig === SIG.SIGCONT) {
      proc.pending &= ~stopSet;
      for (const t of proc.threads) t.pending &= ~stopSet;
      if (proc.stopped) {
        proc.stopped = false;
        proc.report = 'continued';
        for (const t of proc.threads) if (t.state === 'stopped') this.makeRunnable(t);
        this.notifyParent(proc, CLD.CONTINUED, SIG.SIGCONT);
      }
    } else if (defaultAction(sig) === 'stop') {
      proc.pending &= ~sigbit(SIG.SIGCONT);
      for (const t of proc.threads) t.pending &= ~sigbit(SIG.SIGCONT);
    }
    const blockedEverywhere = task ? (task.sigmask & sigbit(sig)) !== 0n : proc.threads.every((t) => (t.sigmask & sigbit(sig)) !== 0n);
    if (ignored(proc.sigactions, sig) && !blockedEverywhere) return;
    const target = task ?? proc;
    if (sig < 32 && target.pending & sigbit(sig)) return; // standard signals do not queue
    target.pending |= sigbit(sig);
    target.pendingInfo.set(sig, info);
    for (const t of task ? [task] : proc.threads) t.signalled.wake();
    // Wake a thread that can take it: parked ones are interrupted.
    for (const t of task ? [task] : proc.threads) {
      if (t.state === 'dead' || t.sigmask & sigbit(sig)) continue;
      const parked = t.parked;
      if (parked) {
        t.parked = null;
        parked.interrupt();
      } else if (t.state === 'runnable') this.wake?.();
      if (!task) break;
    }
  }

  private notifyParent(proc: Process, code: number, sig: number): void {
    const parent = proc.parent;
    if (!parent) return;
    parent.childEvents.wake();
    const act = actionOf(parent.sigactions, SIG.SIGCHLD);
    if (act.flags & SA.NOCLDSTOP) return;
    this.sendSignal(parent, SIG.SIGCHLD, { signo: SIG.SIGCHLD, code, pid: proc.pid, uid: 0, status: sig });
  }

  /**
   * Before a task runs: a syscall a signal interrupted becomes EINTR or restarts, and pending signals act —
   * handlers get a frame, default actions end, stop or ignore.
   */
  private deliverSignals(task: Task): void {
    const proc = task.proc;
    const cpu = task.cpu;
    let restart = task.restartCode;
    task.restartCode = 0;
    for (;;) {
      const d = takeSignal(task, ~task.sigmask);
      if (!d) break;
      const { sig, info } = d;
      if (this.opts.strace) this.log(this.straceLead(task.tid, (t) => t === task) + straceSignal(info));
      const act = actionOf(proc.sigactions, sig);
      if (act.handler === SIG_IGN) continue;
      if (act.handler === SIG_DFL) {
        const what = defaultAction(sig);
        if (what === 'ignore' || what === 'cont') continue;
        if (what === 'stop') {
          // Nobody would continue an orphaned group: its stops other than SIGSTOP are discarded (POSIX).
          if (sig !== SIG.SIGSTOP && isOrphanedPgrp(this, proc.pgid)) continue;
          proc.stopped = true;
          proc.report = 'stopped';
          proc.stopSignal = sig;
          task.state = 'stopped';
          task.restartCode = restart;
          this.notifyParent(proc, CLD.STOPPED, sig);
          return;
        }
        this.killProcess(proc, sig, what === 'core');
        return;
      }
      // A handler runs: the interrupted syscall returns EINTR unless SA_RESTART asks to restart it.
      if (restart) {
        if (restart === ERESTARTSYS && act.flags & SA.RESTART) {
          cpu.pc -= 4n;
          cpu.x[0] = task.origX0;
        } else cpu.x[0] = BigInt.asUintN(64, BigInt(-ERRNO.EINTR));
        restart = 0;
      }
      const oldMask = task.savedMask ?? task.sigmask;
      task.savedMask = null;
      if (!setupFrame(task, sig, info, act, oldMask)) {
        this.killProcess(proc, SIG.SIGSEGV, true);
        return;
      }
      task.sigmask |= act.mask | (act.flags & SA.NODEFER ? 0n : sigbit(sig));
      task.sigmask &= ~(sigbit(SIG.SIGKILL) | sigbit(SIG.SIGSTOP));
      if (act.flags & SA.RESETHAND) setHandler(proc.sigactions, sig, SIG_DFL);
    }
    if (restart) {
      // No handler ran: the syscall starts again as if nothing happened.
      cpu.pc -= 4n;
      cpu.x[0] = task.origX0;
      if (task.savedMask !== null) {
        task.sigmask = task.savedMask;
        task.savedMask = null;
      }
    }
  }

  // ---------------------------------------------------------------- futexes

  private readonly futexes = new Map<string, Set<() => void>>();
  private futexKey(proc: Process, addr: bigint): string {
    return `${this.memId(proc)}:${addr}`;
  }
  /** Futexes are keyed by address space and address (threads and CLONE_VM children share one). */
  private readonly memIds = new WeakMap<object, number>();
  private memCount = 0;
  private memId(proc: Process): number {
    let id = this.memIds.get(proc.mem);
    if (id === undefined) {
      id = ++this.memCount;
      this.memIds.set(proc.mem, id);
    }
    return id;
  }
  futexWaiters(proc: Process, addr: bigint): Set<() => void> {
    const k = this.futexKey(proc, addr);
    let s = this.futexes.get(k);
    if (!s) {
      s = new Set();
      this.futexes.set(k, s);
    }
    return s;
  }
  futexWake(proc: Process, addr: bigint, n: number): number {
    const k = this.futexKey(proc, addr);
    const s = this.futexes.get(k);
    if (!s) return 0;
    let woken = 0;
    for (const w of [...s]) {
      if (woken >= n) break;
      s.delete(w);
      w();
      woken++;
    }
    if (s.size === 0) this.futexes.delete(k);
    return woken;
  }

  // ---------------------------------------------------------------- syscalls

  /** Serves the syscall in the task's registers; true when the task can go straight on (only X0 changed). */
  private syscall(task: Task, _imm: number): boolean {
    const cpu = task.cpu;
    const engine = task.engine;
    const nr = Number(cpu.x[8]);
    const args = [cpu.x[0], cpu.x[1], cpu.x[2], cpu.x[3], cpu.x[4], cpu.x[5]];
    task.origX0 = cpu.x[0];
    const name = syscallName(nr);
    const counted = this.stats.syscalls.get(name) ?? { count: 0, seconds: 0 };
    this.stats.syscalls.set(name, counted);
    counted.count++;
    const t0 = performance.now();
    // clone copies the registers and rt_sigreturn replaces them: they need the whole register file.
    if (nr === SYS_CLONE || nr === RT_SIGRETURN) engine?.syncFull?.();
    const h = HANDLERS.get(nr);
    const lead = this.opts.strace ? this.straceLead(task.tid, (t) => t === task) : '';
    const call = this.opts.strace ? straceEnter(task.proc, nr, args, cpu.sp, lead) : null;
    if (call) this.straceLater = [];
    let r: SysResult | Promise<SysResult>;
    try {
      r = h ? h({ proc: task.proc, task, k: this }, args) : -ERRNO.ENOSYS;
    } catch (err) {
      r = hostError(err);
    }
    const spent = performance.now() - t0;
    counted.seconds += spent / 1000;
    task.proc.cpu.system += spent;
    task.proc.cpu.user -= spent;
    if (r instanceof Promise) {
      if (call) this.straceBlocked(call);
      this.flushStraceLater();
      task.state = 'blocked';
      r.then(
        (v) => this.finishSyscall(task, nr, v, call, true),
        (err) => this.finishSyscall(task, nr, hostError(err), call, true),
      ).catch((err) => this.fail(err));
      return false;
    }
    this.finishSyscall(task, nr, r, call, false);
    this.flushStraceLater();
    // rt_sigreturn replaced every register: the engine must reload them all.
    return nr !== RT_SIGRETURN && task.state === 'runnable' && task.engine === engine && !task.signalPending() && !task.proc.stopped && !this.result;
  }

  private finishSyscall(task: Task, nr: number, ret: SysResult, call: StraceCall | null, resumed: boolean): void {
    const tail = call && this.straceOpen === call ? straceTail(call, task.state === 'dead' ? null : ret) : null;
    if (tail !== null) {
      // Nothing was printed since the call blocked: its line goes on where the entry left it, as strace's does.
      this.straceOpen = null;
      this.straceWrite!(tail + '\n');
    } else if (call) {
      const lead = resumed ? this.straceLead(task.tid, (t) => t === task) : call.lead;
      this.log(straceExit(call, task.state === 'dead' ? null : ret, lead, resumed));
    }
    if (task.state === 'dead') return;
    if (nr === RT_SIGRETURN) {
      // The registers came from the frame, x0 included.
    } else {
      task.cpu.x[0] = BigInt.asUintN(64, BigInt(ret));
      if (ret === ERESTARTSYS || ret === ERESTARTNOHAND) task.restartCode = Number(ret);
    }
    // Writing to a pipe nobody reads raises SIGPIPE.
    if (ret === -ERRNO.EPIPE) this.sendSignal(task.proc, SIG.SIGPIPE, { signo: SIG.SIGPIPE, code: SI.KERNEL }, task);
    if (task.state === 'blocked') this.makeRunnable(task);
  }

  /** Writes to stderr without ending the line; null when lines go to opts.log, which takes whole lines only. */
  private readonly straceWrite: ((text: string) => void) | null;
  /** A call that blocked, printed up to its output arguments (straceHead), its line not ended yet. */
  private straceOpen: StraceCall | null = null;

  /** --strace for a call that blocks: its head now, the rest when it returns (or it is cut by another line). */
  private straceBlocked(call: StraceCall): void {
    if (!this.straceWrite) {
      this.log(straceUnfinished(call));
      return;
    }
    this.closeStraceLine();
    this.straceWrite(straceHead(call));
    this.straceOpen = call;
  }

  /** Another line is due: the open call's line ends as strace ends it, to be resumed later. */
  private closeStraceLine(): void {
    if (!this.straceOpen) return;
    this.straceOpen = null;
    this.straceWrite!(' <unfinished ...>\n');
  }

  /** --strace lines of what happened inside the syscall being served (a process's end): they follow its line. */
  private straceLater: string[] | null = null;

  private straceEvent(line: string): void {
    if (this.straceLater) this.straceLater.push(line);
    else this.log(line);
  }

  private flushStraceLater(): void {
    const lines = this.straceLater ?? [];
    this.straceLater = null;
    for (const l of lines) this.log(l);
  }

  /**
   * strace's `[pid N] ` before a line about task `tid`, there while tasks other than `self` (the line's own, which
   * may be dying) are alive.
   */
  private straceLead(tid: number, self: (t: Task) => boolean): string {
    for (const t of this.allTasks()) if (!self(t) && t.state !== 'dead') return `[pid ${String(tid).padStart(5)}] `;
    return '';
  }

  /** An exception of ours in a promise chain: end the run with it rather than hang. */
  private fail(err: unknown): void {
    this.result ??= { status: 70, signal: null, stats: this.stats };
    this.log(`levitate: internal error: ${(err as Error)?.stack ?? err}`);
    this.wake?.();
  }

  private printStats(): void {
    const s = this.stats;
    const log = this.log;
    const mips = s.instructions / s.seconds / 1e6;
    const pct = s.instructions ? ((100 * s.translated) / s.instructions).toFixed(2) : '0';
    const loaded = s.translatorLoad === null ? '' : ` (the translator loaded for them in ${(s.translatorLoad * 1000).toFixed(0)} ms)`;
    log(
      `levitate: ${s.instructions} instructions in ${s.seconds.toFixed(3)} s (${mips.toFixed(1)} M/s); ${pct}% translated, ` +
        `${s.interpreted} interpreted, ${s.lazy} functions translated while running${loaded}`,
    );
    if (s.processes > 1 || s.execs > 0) {
      const im = s.images;
      log(
        `levitate: ${s.processes} processes, ${s.execs} execs; images: ${im.translated + im.rebuilt} translated, ${im.disk} from the disk cache, ` +
          `${im.memory + im.kernel} already in memory`,
      );
    }
    const inst = s.instances;
    if (inst.made + inst.reused > 1) log(`levitate: module instances (one per engine): ${inst.made} made, ${inst.reused} taken over from earlier engines`);
    if (s.cache) {
      const c = s.cache;
      const how = c.outcome === 'memory' || c.outcome === 'disk' ? `hit (${c.outcome}, ${(c.seconds * 1000).toFixed(1)} ms)` : `miss (${c.outcome} in ${c.seconds.toFixed(2)} s)`;
      log(`levitate: translation cache ${how} ${c.key}: ${c.functions} functions, ${c.blocks} blocks, ${c.instructions} instructions`);
    }
    const top = [...s.syscalls.entries()].sort((a, b) => b[1].count - a[1].count);
    const ms = (t: number) => (t < 0.01 ? `${(t * 1000).toFixed(2)} ms` : `${(t * 1000).toFixed(0)} ms`);
    log(`levitate: syscalls (count, host time in handlers): ${top.map(([n, c]) => `${n} ${c.count} ${ms(c.seconds)}`).join(', ') || 'none'}`);
  }
}

const RT_SIGRETURN = SYS.rt_sigreturn;
const SYS_CLONE = SYS.clone;

/** A host error a handler did not expect (the file vanished, a device refused): the guest sees errno. */
function hostError(err: unknown): number {
  if (typeof (err as { code?: unknown }).code !== 'string') throw err;
  return -errnoFromHost(err);
}

export async function runProgram(opts: RunOptions): Promise<RunResult> {
  const k = new Kernel(opts);
  try {
    return await k.run();
  } finally {
    k.vfs.release(); // tmpfs mounts go with the kernel, however the run ended
  }
}

export { signalDescription };
