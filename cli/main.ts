// `levitate` command line: parses arguments and prints; the work happens in kernel/ and translator/.
import * as fs from 'node:fs';
import v8 from 'node:v8';
import { Command, CommanderError } from 'commander';
import { disassemble } from '../translator/a64/disasm.js';
import { coverageOf, tableSummary } from '../translator/a64/coverage.js';
import { parseElf, SHF_EXECINSTR } from '../translator/elf/elf.js';
import { LevitateError } from '../translator/errors.js';
import { runProgram, signalDescription } from '../kernel/kernel.js';
import { parseMountOption, parseTmpfsOption } from '../kernel/fs/vfs.js';
import { SIG } from '../kernel/signal/signals.js';
import { clearCache, compiledImage, defaultCacheDir, listCache, moduleBytes } from '../runtime/engine/cache.js';
import { CodeImage, discover } from '../translator/discover/discover.js';
import { PIE_BASE } from '../kernel/proc/exec.js';
import { loadBias } from '../runtime/loader/image.js';
import { runBench, SECTIONS, type Section } from './bench.js';
import { defaultRootfs } from './default-rootfs.js';
import type { MountSpec } from '../kernel/kernel.js';

// V8 compiles a module's functions when they are first called instead of all of them when the module is made:
// a run of busybox or SQLite calls a few hundred of their thousands (SQLite's bench: 2.85 s -> 2.16 s).
v8.setFlagsFromString('--wasm-lazy-compilation');

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** --mount and --tmpfs in the order given: a mount point may lie inside an earlier mount. */
const runMounts: MountSpec[] = [];
const addMount = (parse: (v: string) => MountSpec) => (v: string): MountSpec[] => {
  runMounts.push(parse(v));
  return runMounts;
};

function readElf(path: string) {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(path));
  } catch {
    throw new LevitateError(`${path}: cannot read file`, 127);
  }
  try {
    return parseElf(bytes);
  } catch (err) {
    if (err instanceof LevitateError) throw new (err.constructor as typeof LevitateError)(`${path}: ${err.message}`, err.status);
    throw err;
  }
}

/** Words of every executable section (or segment when there is no section table), with their addresses. */
function* codeWords(path: string): Generator<[number, number]> {
  const img = readElf(path);
  const dv = new DataView(img.bytes.buffer, img.bytes.byteOffset, img.bytes.byteLength);
  const secs = img.sections.filter((s) => s.flags & SHF_EXECINSTR && s.type !== 8);
  for (const s of secs) {
    for (let o = 0; o + 4 <= s.size; o += 4) yield [s.addr + o, dv.getUint32(s.offset + o, true)];
  }
}

const program = new Command();
/** The package's version, as `levitate --version` prints it. */
const VERSION = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
program.name('levitate').description('Run AArch64 Linux programs on Node.js').version(VERSION).enablePositionalOptions().exitOverride();

program
  .command('run')
  .description('run a static AArch64 Linux executable')
  .option('--engine <engine>', 'aot (translated to WebAssembly, cached) or interp (the interpreter)', 'aot')
  .option('--root <dir>', "host directory that is the guest's /", '/')
  .option('--mount <HOSTDIR:GUESTDIR[:ro]>', 'mount a host directory at a guest directory, read-only with :ro (repeatable)', addMount(parseMountOption))
  .option('--tmpfs <GUESTDIR>', 'mount an empty tmpfs at a guest directory, gone at exit (repeatable)', addMount(parseTmpfsOption))
  .option('--env <K=V>', 'set a guest environment variable (repeatable; the host environment is passed too)', collect, [])
  .option('--clear-env', 'start from an empty environment instead of the host one')
  .option('--strace', 'print each syscall to stderr, strace style')
  .option('--stats', 'print instruction, translation and syscall counts at exit')
  .option('--timeout <seconds>', 'kill the guest after this many seconds', parseFloat)
  .option('--cache-dir <dir>', 'translation cache directory (default $LEVITATE_CACHE_DIR, else $XDG_CACHE_HOME/levitate)')
  .option('--no-cache', 'keep translations in memory only')
  .argument('<prog>', 'program: with --root, an absolute path in the guest tree (or a host path inside the root)')
  .argument('[args...]', 'its arguments')
  .passThroughOptions()
  .action(async (prog: string, args: string[], o: RunFlags) => {
    if (o.engine !== 'interp' && o.engine !== 'aot') throw new LevitateError(`--engine ${o.engine}: expected aot or interp`, 2);
    const env = guestEnv(o.clearEnv ? [] : hostEnv(), o.env);
    const r = await runProgram({
      root: o.root,
      mounts: runMounts,
      program: prog,
      argv: [prog, ...args],
      env,
      strace: o.strace,
      stats: o.stats,
      timeout: o.timeout,
      engine: o.engine,
      cacheDir: o.cache === false ? null : (o.cacheDir ?? defaultCacheDir()),
      progress: progressBar('translating'),
    });
    // Like a shell, say nothing of a SIGPIPE death (how pipelines end) or of SIGINT's (the user typed Ctrl-C).
    if (r.signal !== null && r.signal !== SIG.SIGPIPE && r.signal !== SIG.SIGINT) process.stderr.write(`${signalDescription(r.signal)}\n`);
    // Exit now: a read of the host's stdin may still be pending, and must not keep us waiting for input.
    process.exit(r.status);
  });

interface RunFlags {
  engine: string;
  root: string;
  env: string[];
  clearEnv?: boolean;
  strace?: boolean;
  stats?: boolean;
  timeout?: number;
  cacheDir?: string;
  cache?: boolean;
}

/** A one-line progress bar on a terminal (stderr), nothing elsewhere. */
function progressBar(what: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((100 * done) / Math.max(1, total));
    if (pct === last && done !== total) return;
    last = pct;
    const width = 30;
    const fill = Math.round((width * done) / Math.max(1, total));
    process.stderr.write(`\r${what} [${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${pct}% (${done}/${total} functions)`);
    if (done === total) process.stderr.write('\r\x1b[K');
  };
}

/** The host's environment, as qemu-user passes it. */
function hostEnv(): string[] {
  return Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`);
}

/** `base` with each K=V of `set` added or replacing the variable of the same name. */
function guestEnv(base: string[], set: string[]): string[] {
  const out = new Map(base.map((kv) => [kv.split('=')[0], kv]));
  for (const kv of set) {
    if (!kv.includes('=')) throw new LevitateError(`--env ${kv}: expected NAME=VALUE`);
    out.set(kv.split('=')[0], kv);
  }
  return [...out.values()];
}

program
  .command('translate')
  .description('translate an image ahead of time into the cache (or into a file with -o)')
  .argument('<elf>')
  .option('-o, --output <file>', 'also write the WebAssembly module here')
  .option('--cache-dir <dir>', 'translation cache directory')
  .action(async (path: string, o: { output?: string; cacheDir?: string }) => {
    const elf = readElf(path);
    if (elf.interp !== null) throw new LevitateError(`${path}: dynamically linked; only static executables are translated`, 126);
    const bias = loadBias(elf, PIE_BASE);
    const dir = o.cacheDir ?? defaultCacheDir();
    const r = await compiledImage(elf, bias, { dir, optimize: 0, progress: progressBar('translating') });
    const what = r.outcome === 'memory' || r.outcome === 'disk' ? 'already in the cache' : `translated in ${r.seconds.toFixed(2)} s`;
    console.log(`${path}: ${what} (${r.key}, ${dir})`);
    if (o.output) fs.writeFileSync(o.output, moduleBytes(dir, r.key));
  });

program
  .command('inspect')
  .description('what code discovery finds in an image: functions, coverage, what was left out')
  .argument('<elf>')
  .action((path: string) => {
    const elf = readElf(path);
    const bias = loadBias(elf, PIE_BASE);
    const img = new CodeImage(elf, bias);
    const d = discover(img);
    const covered = d.total - d.uncovered;
    console.log(`${path}: ${d.functions.length} functions; ${covered} of ${d.total} instruction words covered (${((100 * covered) / Math.max(1, d.total)).toFixed(1)}%)`);
    console.log(`entries by source: ${Object.entries(d.seeds).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    const lifted = d.functions.reduce((a, f) => a + f.size, 0);
    console.log(`instructions lifted: ${lifted} (${(lifted / Math.max(1, covered)).toFixed(2)}× covered: code shared by functions is lifted in each)`);
    const switches = d.functions.flatMap((f) => [...f.switches.values()]);
    const blocks = d.functions.reduce((a, f) => a + f.blocks.length, 0);
    console.log(`basic blocks: ${blocks}; jump tables recognised: ${switches.length} (${switches.reduce((a, c) => a + c.length, 0)} targets)`);
    console.log(`left out: ${d.uncovered} words (data in text, padding, and code reached only through pointers discovery did not see; it runs through the interpreter and lazy translation)`);
  });

const cache = program.command('cache').description('the translation cache');
cache
  .command('ls')
  .option('--cache-dir <dir>', 'translation cache directory')
  .action((o: { cacheDir?: string }) => {
    const dir = o.cacheDir ?? defaultCacheDir();
    const files = listCache(dir);
    for (const f of files) console.log(`${f.name}\t${f.bytes}\t${f.mtime.toISOString()}`);
    console.log(`${files.length} translation(s), ${files.reduce((a, f) => a + f.bytes, 0)} bytes in ${dir}`);
  });
cache
  .command('clear')
  .option('--cache-dir <dir>', 'translation cache directory')
  .action((o: { cacheDir?: string }) => {
    const dir = o.cacheDir ?? defaultCacheDir();
    console.log(`removed ${clearCache(dir)} translation(s) from ${dir}`);
  });

program
  .command('disasm')
  .description("disassemble an ELF's executable sections (objdump -d syntax)")
  .argument('<elf>')
  .action((path: string) => {
    const out: string[] = [];
    for (const [addr, word] of codeWords(path)) {
      out.push(`  ${addr.toString(16)}:\t${word.toString(16).padStart(8, '0')} \t${disassemble(word, BigInt(addr))}`);
      if (out.length >= 4096) {
        process.stdout.write(out.join('\n') + '\n');
        out.length = 0;
      }
    }
    process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
  });

program
  .command('coverage')
  .description('how much of an ELF the instruction table decodes and executes')
  .argument('[elf]')
  .action((path?: string) => {
    const t = tableSummary();
    console.log(`table: ${t.rows} encoding rows (${t.executable} executable) — ${Object.entries(t.byGroup).map(([g, n]) => `${g} ${n}`).join(', ')}`);
    if (!path) return;
    const c = coverageOf((function* () {
      for (const [, w] of codeWords(path)) yield w;
    })());
    const pct = (n: number) => ((100 * n) / Math.max(1, c.words)).toFixed(2) + '%';
    console.log(`${path}: ${c.words} words: ${pct(c.executable)} executable, ${pct(c.extension)} other extensions (SIGILL), ${pct(c.undecoded)} undecoded`);
    for (const [w, n] of c.topUndecoded) console.log(`  undecoded 0x${w.toString(16).padStart(8, '0')} ×${n}`);
  });

program
  .command('boot')
  .description("boot a system: /sbin/init of the embedded default rootfs (userspace/'s init, sh, levbox), or of --root DIR")
  .option('--root <dir>', "host directory that is the guest's / (e.g. tools/busybox-rootfs.sh's busybox system)")
  .option('--mount <HOSTDIR:GUESTDIR[:ro]>', 'mount a host directory at a guest directory, read-only with :ro (repeatable)', addMount(parseMountOption))
  .option('--tmpfs <GUESTDIR>', 'mount an empty tmpfs at a guest directory, gone at exit (repeatable)', addMount(parseTmpfsOption))
  .option('--engine <engine>', 'aot (translated to WebAssembly, cached) or interp (the interpreter)', 'aot')
  .option('--env <K=V>', "set a variable of init's environment (repeatable)", collect, [])
  .option('--strace', 'print each syscall to stderr, strace style')
  .option('--stats', 'print instruction, translation and syscall counts at exit')
  .option('--timeout <seconds>', 'power off after this many seconds', parseFloat)
  .option('--cache-dir <dir>', 'translation cache directory (default $LEVITATE_CACHE_DIR, else $XDG_CACHE_HOME/levitate)')
  .option('--no-cache', 'keep translations in memory only')
  .action(async (o: BootFlags) => {
    if (o.engine !== 'interp' && o.engine !== 'aot') throw new LevitateError(`--engine ${o.engine}: expected aot or interp`, 2);
    const cacheDir = o.cacheDir ?? defaultCacheDir();
    // The default system is shared by every boot: read-only, with the places a session writes to as tmpfs.
    const root = o.root ?? defaultRootfs(cacheDir);
    const tmp = o.root && fs.statSync(o.root, { throwIfNoEntry: false })?.isDirectory() && fs.existsSync(`${o.root}/tmp`) ? ['/tmp'] : [];
    const mounts: MountSpec[] = [...(o.root ? tmp : ['/tmp', '/root']).map((target) => ({ kind: 'tmpfs' as const, target })), ...runMounts];
    // What Linux hands init (HOME, TERM), with the PATH and identity a login would add.
    const env = guestEnv(
      ['HOME=/root', `TERM=${process.env.TERM ?? 'linux'}`, 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'SHELL=/bin/sh', 'USER=root', 'LOGNAME=root'],
      o.env,
    );
    const r = await runProgram({
      root,
      rootReadonly: !o.root,
      mounts,
      program: '/sbin/init',
      programInRoot: true,
      argv: ['/sbin/init'],
      env,
      cwd: '/',
      strace: o.strace,
      stats: o.stats,
      timeout: o.timeout,
      engine: o.engine,
      cacheDir: o.cache === false ? null : cacheDir,
      progress: progressBar('translating'),
    });
    if (r.signal !== null) process.stderr.write(`levitate: init died: ${signalDescription(r.signal)}\n`);
    process.exit(r.status);
  });

interface BootFlags {
  root?: string;
  engine: string;
  env: string[];
  strace?: boolean;
  stats?: boolean;
  timeout?: number;
  cacheDir?: string;
  cache?: boolean;
}

program
  .command('bench')
  .description('benchmarks: aot against interp, qemu-aarch64, native and direct Wasm; a table, a JSON record and an SVG chart')
  .option('--only <sections>', `comma-separated sections of ${SECTIONS.join(', ')}`, SECTIONS.join(','))
  .option('--runs <n>', 'runs per measurement (the median is reported)', (v) => parseInt(v, 10), 3)
  .option('--out <dir>', 'directory of the JSON record and the chart', '.cache/bench')
  .action((o: { only: string; runs: number; out: string }) => {
    const sections = o.only.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = sections.filter((s) => !(SECTIONS as readonly string[]).includes(s));
    if (bad.length || sections.length === 0) throw new LevitateError(`--only ${o.only}: expected some of ${SECTIONS.join(', ')}`, 2);
    if (!(o.runs >= 1)) throw new LevitateError('--runs: expected a positive number', 2);
    runBench({ sections: sections as Section[], runs: o.runs, out: o.out });
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof LevitateError) {
    process.stderr.write(`levitate: ${err.message}\n`);
    process.exitCode = err.status;
  } else {
    const e = err as Error;
    process.stderr.write(`levitate: internal error: ${e.message}\n${e.stack ?? ''}\nPlease report this with the command line that caused it.\n`);
    process.exitCode = 70;
  }
}
