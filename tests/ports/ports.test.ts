// Sample ports (samples/ports/): real programs built from their Debian sources by tools/fetch-sources.sh and
// samples/ports/build.sh, run on our workloads under Levitate and natively. The native x86-64 build of the same
// source is the oracle: stdout (as bytes), stderr, exit status and the files a run leaves must all agree. Each
// run gets a fresh empty directory as its cwd, holding its inputs and a link `./<prog>` to the binary, so argv[0]
// and paths in messages are the same on both sides.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEVITATE, ROOT, TEST_CACHE } from '../support/tools.js';

const BUILT = `${ROOT}.cache/ports`;
const SAMPLES = `${ROOT}samples/ports`;
const UPSTREAM = `${ROOT}.cache/sources`;

interface Case {
  name: string;
  port: string;
  prog: string;
  args: string[];
  /** Files copied into the cwd (host paths), and files written there (name and bytes). */
  inputs?: string[];
  make?: Record<string, Buffer>;
  /** Standard input: bytes, a host file, or text. */
  stdin?: string | Buffer;
  /** A second run of the program in the same directory, with these arguments. */
  then?: string[];
  engines: ('aot' | 'interp')[];
  /** The upstream's own expectation of stdout (checked against the native run too). */
  want?: string;
}

/** Input for the compressors: our workloads, repeated into ~270 KB of text. */
const corpus = (): Buffer =>
  Buffer.from(
    Array.from({ length: 20 }, (_, i) => `${i}\n${readFileSync(`${SAMPLES}/sqlite/workload.sql`, 'utf8')}${readFileSync(`${SAMPLES}/lua/workload.lua`, 'utf8')}`).join(''),
  );

const CASES: Case[] = [
  { name: 'zlib example (upstream test)', port: 'zlib', prog: 'example', args: [], engines: ['aot', 'interp'] },
  { name: 'zlib roundtrip.c', port: 'zlib', prog: 'roundtrip', args: [], engines: ['aot'] },
  { name: 'minigzip -9 to stdout', port: 'zlib', prog: 'minigzip', args: ['-9'], stdin: corpus(), engines: ['aot'] },
  {
    name: 'minigzip data.txt, then -d data.txt.gz', port: 'zlib', prog: 'minigzip', args: ['data.txt'], make: { 'data.txt': corpus() },
    then: ['-d', 'data.txt.gz'], engines: ['aot'],
  },
  { name: 'lua workload.lua', port: 'lua', prog: 'lua', args: ['workload.lua'], inputs: [`${SAMPLES}/lua/workload.lua`], engines: ['aot'] },
  { name: 'lua error.lua', port: 'lua', prog: 'lua', args: ['error.lua'], inputs: [`${SAMPLES}/lua/error.lua`], engines: ['aot', 'interp'] },
  {
    name: 'sqlite3 workload.sql', port: 'sqlite', prog: 'sqlite3', args: ['-init', '/dev/null', '-batch', 'ports.db'],
    stdin: readFileSync(`${SAMPLES}/sqlite/workload.sql`), engines: ['aot'],
  },
  {
    name: 'sqlite3 small query', port: 'sqlite', prog: 'sqlite3', args: ['-init', '/dev/null', '-batch', ':memory:'],
    stdin: "create table t(a, b); insert into t values (1, 2.5), (2, 'x'); select a, b, a * b, printf('%.3f', b) from t; select sqlite_version();\n",
    engines: ['aot', 'interp'],
  },
  { name: 'bzip2 roundtrip.c', port: 'bzip2', prog: 'roundtrip', args: [], engines: ['aot'] },
  ...[1, 2, 3].flatMap((i): Case[] => [
    {
      name: `bzip2 -${i} sample${i} (upstream test)`, port: 'bzip2', prog: 'bzip2', args: [`-${i}`],
      stdin: `${UPSTREAM}/bzip2/sample${i}.ref`, engines: ['aot'], want: `${UPSTREAM}/bzip2/sample${i}.bz2`,
    },
    {
      name: `bzip2 -d${i === 3 ? 's' : ''} sample${i} (upstream test)`, port: 'bzip2', prog: 'bzip2', args: [i === 3 ? '-ds' : '-d'],
      stdin: `${UPSTREAM}/bzip2/sample${i}.bz2`, engines: ['aot'], want: `${UPSTREAM}/bzip2/sample${i}.ref`,
    },
  ]),
];

const binaries = [...new Set(CASES.map((c) => `${BUILT}/${c.port}/arm64/${c.prog}`))];
const missing = binaries.filter((b) => !existsSync(b) || !existsSync(b.replace('/arm64/', '/native/')));
const hint = 'run `bash tools/fetch-sources.sh && bash samples/ports/build.sh`';
if (missing.length && process.env.CI) throw new Error(`sample ports: not built (${missing.join(', ')}): ${hint} — CI must build them`);
if (missing.length) console.warn(`\n!!!!!!!! SKIPPED sample ports: ${missing.length} program(s) not built, e.g. ${missing[0]}: ${hint}\n`);

interface Outcome {
  stdout: Buffer;
  stderr: string;
  status: number | null;
  /** Files in the cwd after the run (not the program link). */
  files: Record<string, Buffer>;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function stdinOf(c: Case): Buffer {
  if (c.stdin === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(c.stdin)) return c.stdin;
  return existsSync(c.stdin) ? readFileSync(c.stdin) : Buffer.from(c.stdin);
}

/** One run of the case's program, native or under Levitate, in a fresh directory. */
function runCase(c: Case, side: 'native' | 'aot' | 'interp'): Outcome {
  const dir = mkdtempSync(join(tmpdir(), `levitate-port-${c.port}-`));
  dirs.push(dir);
  symlinkSync(`${BUILT}/${c.port}/${side === 'native' ? 'native' : 'arm64'}/${c.prog}`, join(dir, c.prog));
  for (const f of c.inputs ?? []) copyFileSync(f, join(dir, basename(f)));
  for (const [f, bytes] of Object.entries(c.make ?? {})) writeFileSync(join(dir, f), bytes);
  const exec = (args: string[]): Outcome => {
    const [cmd, argv] = side === 'native' ? [`./${c.prog}`, args] : ['node', [LEVITATE, 'run', '--engine', side, '--timeout', '200', `./${c.prog}`, ...args]];
    const r = spawnSync(cmd, argv, {
      cwd: dir, input: stdinOf(c), env: { ...process.env, LEVITATE_CACHE_DIR: TEST_CACHE }, maxBuffer: 1 << 28, timeout: 300_000,
    });
    const files: Record<string, Buffer> = {};
    for (const f of readdirSync(dir).sort()) if (f !== c.prog) files[f] = readFileSync(join(dir, f));
    return { stdout: r.stdout, stderr: r.stderr.toString(), status: r.status, files };
  };
  const first = exec(c.args);
  if (!c.then) return first;
  const second = exec(c.then);
  return { ...second, stdout: Buffer.concat([first.stdout, second.stdout]), stderr: first.stderr + second.stderr, files: { ...first.files, ...second.files } };
}

describe.runIf(missing.length === 0)('sample ports (oracle: the native build of the same source)', () => {
  const expected = new Map<string, Outcome>();
  for (const c of CASES) {
    const native = (): Outcome => {
      let o = expected.get(c.name);
      if (!o) expected.set(c.name, (o = runCase(c, 'native')));
      return o;
    };
    for (const engine of c.engines) {
      it(`${c.name} (${engine})`, () => {
        const want = native();
        // A broken oracle would make the comparison meaningless.
        expect(want.status, `native ${c.name}: ${want.stderr}`).not.toBeNull();
        expect(want.stdout.length + Object.keys(want.files).length, 'the native run did nothing').toBeGreaterThan(0);
        if (c.want) expect(want.stdout.equals(readFileSync(c.want)), 'native output differs from upstream expectation').toBe(true);
        const got = runCase(c, engine);
        expect(got.stderr).toBe(want.stderr);
        expect(got.status).toBe(want.status);
        // Text compares as text (a readable diff); binary as bytes.
        const text = (b: Buffer): string | Buffer => (b.includes(0) ? b : b.toString('latin1'));
        expect(text(got.stdout)).toEqual(text(want.stdout));
        expect(Object.keys(got.files)).toEqual(Object.keys(want.files));
        for (const f of Object.keys(want.files)) expect(got.files[f].equals(want.files[f]), `file ${f} differs`).toBe(true);
      });
    }
  }
});
