// The kernel's run loop for one static process (D10): run the CPU until it exits to the kernel, serve the
// syscall (awaiting host I/O when it must), turn CPU exceptions into signals. Multiple processes, fork and exec
// arrive with the process-model issue; this loop is where their scheduler goes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { disassemble } from '../translator/a64/disasm.js';
import { InternalError, LevitateError } from '../translator/errors.js';
import { AotEngine } from '../runtime/engine/aot.js';
import { compiledImage, loadTranslator, type CacheOutcome } from '../runtime/engine/cache.js';
import { InterpEngine, type Engine } from '../runtime/engine/engine.js';
import type { Exit } from '../runtime/engine/exit.js';
import { PROT_READ } from '../runtime/memory/address-space.js';
import { ERRNO, errnoFromHost } from './abi/errno.js';
import { syscallName } from './abi/syscalls.js';
import { O } from './abi/fcntl.js';
import { OpenFile } from './fs/file.js';
import { HostRoot } from './fs/path.js';
import { execImage } from './proc/exec.js';
import { Process } from './proc/process.js';
import { SIG, SIG_DFL, handlerOf, signalDescription } from './signal/signals.js';
import { straceCall, straceResult } from './strace.js';
import { HANDLERS } from './syscalls/table.js';
import type { KernelServices, SysResult } from './syscalls/types.js';

export interface RunOptions {
  /** Host directory that is the guest's `/`. */
  root: string;
  /** Host path of the program. */
  program: string;
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
  syscalls: Map<string, number>;
  /** Instructions run by translated code, by the interpreter, and functions translated while running. */
  translated: number;
  interpreted: number;
  lazy: number;
  /** How the translation was found (aot engine only). */
  cache: { outcome: CacheOutcome; seconds: number; key: string } | null;
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

export async function runProgram(opts: RunOptions): Promise<RunResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  let root: HostRoot;
  try {
    root = new HostRoot(opts.root);
  } catch {
    throw new LevitateError(`root directory '${opts.root}' does not exist`);
  }
  const hostProg = nodePath.resolve(opts.program);
  if (!fs.existsSync(hostProg)) throw new LevitateError(`${opts.program}: no such file`, 127);
  const guestProg = root.guestOf(fs.realpathSync(hostProg));
  if (guestProg === null) throw new LevitateError(`${opts.program}: lies outside the root directory ${root.root}`);
  const st = fs.statSync(hostProg);
  if (st.isDirectory()) throw new LevitateError(`${opts.program}: is a directory`, 126);

  const proc = new Process(1, root);
  proc.cwd = root.guestOf(process.cwd()) ?? '/';
  for (const fd of [0, 1, 2]) proc.fds.install(fd, new OpenFile('stdio', fd, '', '', fd === 0 ? O.RDONLY : O.WRONLY), false);
  execImage(proc, new Uint8Array(fs.readFileSync(hostProg)), { argv: opts.argv, envp: opts.env, path: guestProg });

  let status: number | null = null;
  let signal: number | null = null;
  const services: KernelServices = {
    hostname: os.hostname(),
    exit: (_p, code) => {
      status = code;
    },
  };
  const stats: RunStats = { instructions: 0, seconds: 0, syscalls: new Map(), translated: 0, interpreted: 0, lazy: 0, cache: null };
  const started = performance.now();
  const deadline = opts.timeout ? started + opts.timeout * 1000 : Infinity;
  const die = (sig: number, detail: string) => {
    signal = sig;
    if (detail) log(`levitate: ${detail}`);
  };

  /** A syscall that blocks completes here, before the task runs again (D10). */
  let pending: Promise<void> | null = null;
  /** Serves the syscall in cpu; true when the task can go straight on (only X0 changed). */
  const serve = (_imm: number): boolean => {
    const cpu = proc.cpu;
    const nr = Number(cpu.x[8]);
    const args = [cpu.x[0], cpu.x[1], cpu.x[2], cpu.x[3], cpu.x[4], cpu.x[5]];
    const name = syscallName(nr);
    stats.syscalls.set(name, (stats.syscalls.get(name) ?? 0) + 1);
    const h = HANDLERS.get(nr);
    const call = opts.strace ? straceCall(proc, nr, args) : '';
    const finish = (ret: bigint | number) => {
      if (opts.strace) log(status !== null ? `${call} = ?` : call + straceResult(ret, nr));
      cpu.x[0] = BigInt.asUintN(64, BigInt(ret));
      // Writing to a pipe nobody reads raises SIGPIPE; its default action ends the process (status 141).
      // Handlers are not delivered yet (process-model issue): a caught or ignored SIGPIPE leaves just EPIPE.
      if (ret === -ERRNO.EPIPE && handlerOf(proc.sigactions, SIG.SIGPIPE) === SIG_DFL && !(proc.sigmask & (1n << BigInt(SIG.SIGPIPE - 1)))) {
        signal = SIG.SIGPIPE;
      }
    };
    // A host error a handler did not expect (the file vanished, a device refused): the guest sees errno.
    const hostError = (err: unknown): number => {
      if (typeof (err as { code?: unknown }).code !== 'string') throw err;
      return -errnoFromHost(err);
    };
    let r: SysResult | Promise<SysResult>;
    try {
      r = h ? h({ proc, k: services }, args) : -ERRNO.ENOSYS;
    } catch (err) {
      r = hostError(err);
    }
    if (r instanceof Promise) {
      pending = r.then(finish, (err) => finish(hostError(err)));
      return false;
    }
    finish(r);
    return status === null && signal === null;
  };

  let engine: Engine;
  let translatorReady: (() => Promise<void> | null) | null = null;
  if (opts.engine === 'interp' || !proc.image) {
    engine = new InterpEngine(proc.cpu, proc.mem, serve);
  } else {
    const c = await compiledImage(proc.image.elf, proc.image.bias, { dir: opts.cacheDir ?? null, optimize: opts.optimize ?? 0, progress: opts.progress });
    stats.cache = { outcome: c.outcome, seconds: c.seconds, key: c.key };
    const aot = new AotEngine(proc.cpu, proc.mem, c.image, serve);
    engine = aot;
    // Binaryen loads only when code must be translated while running and the cache does not have it yet;
    // the engine asks, and the next fuel exit waits for it.
    translatorReady = () =>
      aot.wantsTranslator
        ? loadTranslator().then((t) => {
            aot.translator = t;
          })
        : null;
  }

  while (status === null && signal === null) {
    let exit: Exit;
    try {
      exit = engine.run(engine instanceof AotEngine ? FUEL.aot : FUEL.interp);
    } catch (err) {
      // A bug of ours while executing guest code: say where, so it can be reported and reproduced.
      const pc = proc.cpu.pc;
      const word = pc < 0x1_0000_0000n && proc.mem.allows(Number(pc), 4, PROT_READ) ? proc.mem.u32(Number(pc)) : 0;
      throw new InternalError(
        `internal error at pc 0x${pc.toString(16)}: 0x${word.toString(16).padStart(8, '0')} (${disassemble(word, pc).replace('\t', ' ')}): ${(err as Error).message}`,
      );
    }
    if (pending) {
      const p: Promise<void> = pending;
      pending = null;
      await p;
    }
    if (exit.kind === 'kernel') continue;
    if (exit.kind === 'fuel') {
      const loading = translatorReady?.();
      if (loading) {
        await loading;
        translatorReady = null;
      }
      if (performance.now() > deadline) {
        log(`levitate: --timeout of ${opts.timeout} s reached; killing the guest`);
        signal = SIG.SIGKILL;
        break;
      }
      continue;
    }
    if (exit.kind === 'svc') continue; // engines serve syscalls themselves
    const pc = proc.cpu.pc;
    const pcText = `pc 0x${pc.toString(16)}`;
    if (exit.kind === 'fault') {
      const sig = exit.reason === 'alignment' ? SIG.SIGBUS : SIG.SIGSEGV;
      die(sig, opts.strace ? `${signalDescription(sig)}: ${exit.access} of 0x${exit.addr.toString(16)} (${exit.reason}) at ${pcText}` : '');
    } else if (exit.kind === 'undefined') {
      const word = exit.word >>> 0;
      die(
        SIG.SIGILL,
        `unimplemented or undefined instruction at ${pcText}: 0x${word.toString(16).padStart(8, '0')} (${disassemble(word, pc).replace('\t', ' ')})`,
      );
    } else if (exit.kind === 'brk') {
      die(SIG.SIGTRAP, opts.strace ? `brk #0x${exit.imm.toString(16)} at ${pcText}` : '');
    }
  }
  stats.instructions = proc.cpu.retired;
  stats.translated = engine.stats.translated;
  stats.interpreted = engine.stats.interpreted;
  stats.lazy = engine.stats.lazy;
  stats.seconds = (performance.now() - started) / 1000;
  proc.fds.closeAll();
  if (opts.stats) {
    const mips = stats.instructions / stats.seconds / 1e6;
    const pct = stats.instructions ? ((100 * stats.translated) / stats.instructions).toFixed(2) : '0';
    log(`levitate: ${stats.instructions} instructions in ${stats.seconds.toFixed(3)} s (${mips.toFixed(1)} M/s); ${pct}% translated, ${stats.interpreted} interpreted, ${stats.lazy} functions translated while running`);
    if (stats.cache) {
      const c = stats.cache;
      log(`levitate: translation cache ${c.outcome === 'memory' || c.outcome === 'disk' ? `hit (${c.outcome})` : `miss (${c.outcome} in ${c.seconds.toFixed(2)} s)`} ${c.key}`);
    }
    const top = [...stats.syscalls.entries()].sort((a, b) => b[1] - a[1]);
    log(`levitate: syscalls: ${top.map(([n, c]) => `${n} ${c}`).join(', ') || 'none'}`);
  }
  if (signal !== null) {
    const sig: number = signal;
    return { status: 128 + sig, signal: sig, stats };
  }
  return { status: status ?? 0, signal: null, stats };
}

export { signalDescription };
