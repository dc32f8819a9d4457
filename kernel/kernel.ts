// The kernel's run loop for one static process (D10): run the CPU until it exits to the kernel, serve the
// syscall (awaiting host I/O when it must), turn CPU exceptions into signals. Multiple processes, fork and exec
// arrive with the process-model issue; this loop is where their scheduler goes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { disassemble } from '../translator/a64/disasm.js';
import { InternalError, LevitateError } from '../translator/errors.js';
import { Interpreter } from '../runtime/cpu/interp.js';
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
import type { KernelServices } from './syscalls/types.js';

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
  /** Where diagnostics go (strace, crash reports, stats). */
  log?: (line: string) => void;
}

export interface RunStats {
  instructions: number;
  seconds: number;
  syscalls: Map<string, number>;
}

export interface RunResult {
  /** Shell-style status: the exit code, or 128 + signal. */
  status: number;
  signal: number | null;
  stats: RunStats;
}

/** Instructions per time slice. */
const FUEL = 200_000;

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
  const stats: RunStats = { instructions: 0, seconds: 0, syscalls: new Map() };
  const started = performance.now();
  const deadline = opts.timeout ? started + opts.timeout * 1000 : Infinity;
  const interp = new Interpreter(proc.cpu, proc.mem);
  const die = (sig: number, detail: string) => {
    signal = sig;
    if (detail) log(`levitate: ${detail}`);
  };

  while (status === null && signal === null) {
    let exit: Exit;
    try {
      exit = interp.run(FUEL);
    } catch (err) {
      // A bug of ours while executing guest code: say where, so it can be reported and reproduced.
      const pc = proc.cpu.pc;
      const word = pc < 0x1_0000_0000n && proc.mem.allows(Number(pc), 4, PROT_READ) ? proc.mem.view.getUint32(Number(pc), true) : 0;
      throw new InternalError(
        `internal error at pc 0x${pc.toString(16)}: 0x${word.toString(16).padStart(8, '0')} (${disassemble(word, pc).replace('\t', ' ')}): ${(err as Error).message}`,
      );
    }
    if (exit.kind === 'fuel') {
      if (performance.now() > deadline) {
        log(`levitate: --timeout of ${opts.timeout} s reached; killing the guest`);
        signal = SIG.SIGKILL;
        break;
      }
      continue;
    }
    if (exit.kind === 'svc') {
      const cpu = proc.cpu;
      const nr = Number(cpu.x[8]);
      const args = [cpu.x[0], cpu.x[1], cpu.x[2], cpu.x[3], cpu.x[4], cpu.x[5]];
      const name = syscallName(nr);
      stats.syscalls.set(name, (stats.syscalls.get(name) ?? 0) + 1);
      const h = HANDLERS.get(nr);
      const call = opts.strace ? straceCall(proc, nr, args) : '';
      let ret: bigint | number;
      try {
        const r = h ? h({ proc, k: services }, args) : -ERRNO.ENOSYS;
        ret = r instanceof Promise ? await r : r;
      } catch (err) {
        // A host error a handler did not expect (the file vanished, a device refused): the guest sees errno.
        if (typeof (err as { code?: unknown }).code !== 'string') throw err;
        ret = -errnoFromHost(err);
      }
      if (opts.strace) log(status !== null ? `${call} = ?` : call + straceResult(ret, nr));
      cpu.x[0] = BigInt.asUintN(64, BigInt(ret));
      // Writing to a pipe nobody reads raises SIGPIPE; its default action ends the process (status 141).
      // Handlers are not delivered yet (process-model issue): a caught or ignored SIGPIPE leaves just EPIPE.
      if (ret === -ERRNO.EPIPE && handlerOf(proc.sigactions, SIG.SIGPIPE) === SIG_DFL && !(proc.sigmask & (1n << BigInt(SIG.SIGPIPE - 1)))) {
        signal = SIG.SIGPIPE;
      }
      continue;
    }
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
  stats.seconds = (performance.now() - started) / 1000;
  proc.fds.closeAll();
  if (opts.stats) {
    const mips = stats.instructions / stats.seconds / 1e6;
    log(`levitate: ${stats.instructions} instructions in ${stats.seconds.toFixed(3)} s (${mips.toFixed(1)} M/s, interpreter)`);
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
