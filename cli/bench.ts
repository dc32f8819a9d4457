// `levitate bench` (and `npm run bench`; ARCHITECTURE.md §5). Sections:
//   programs   each program of samples/bench/ under levitate aot, levitate interp, qemu-aarch64, the native x86-64
//              build and (when clang can target wasm32-wasi) the same C compiled straight to Wasm; then
//              translation figures for Debian's busybox (cold translation, warm start-up)
//   processes  fork+exec+wait cycles from busybox ash, `echo x | cat`, `levbox test`
//   ports      the Lua and SQLite sample ports against their native builds and qemu-aarch64
//   boot       `levitate boot` of the default rootfs to its shell and back (warm cache)
// Medians of several runs, ratios within this run; a table on stdout, a JSON record and an SVG chart in the
// output directory. It drives `bin/levitate.js` as a user would, one process per run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BENCH = join(ROOT, 'samples/bench');
const LEVITATE = join(ROOT, 'bin/levitate.js');
const BUSYBOX = join(ROOT, '.cache/debian/busybox-arm64/bin/busybox');
let RUNS = 3;
/** Where the wasm32-wasi builds of the benchmark programs go. */
const WASM_DIR = join(ROOT, '.cache/bench');
/** Work per benchmark (its argv[1]); the interpreter gets 1/INTERP_DIVISOR of it and is scaled back. */
const SCALE: Record<string, number> = { crc32: 1200, fib: 3000, matmul: 600, memstream: 1200, strings: 3000, interp: 300, hashmap: 1200, sort: 300 };
const INTERP_DIVISOR = 300;

interface Timing {
  seconds: number;
  stdout: string;
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function loud(msg: string): void {
  console.log(`\n!!!!!!!! ${msg}\n`);
}

/** Median wall time of RUNS runs; throws when a run fails. */
function time(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, runs = RUNS): Timing {
  const ts: number[] = [];
  let stdout = '';
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    ts.push(dt);
    stdout = r.stdout;
  }
  ts.sort((a, b) => a - b);
  return { seconds: ts[Math.floor(ts.length / 2)], stdout };
}

const geomean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / Math.max(1, xs.length));
const fmt = (x: number | undefined, d = 2) => (x === undefined || !isFinite(x) ? '—' : x.toFixed(d));

function buildWasm(name: string): string | null {
  const clang = ['clang-14', 'clang'].find(has);
  if (!clang) return null;
  mkdirSync(WASM_DIR, { recursive: true });
  const out = join(WASM_DIR, `${name}.wasm`);
  const r = spawnSync(clang, ['--target=wasm32-wasi', '-O2', join(BENCH, `${name}.c`), '-o', out]);
  return r.status === 0 ? out : null;
}

export const SECTIONS = ['programs', 'processes', 'ports', 'boot'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  sections: Section[];
  /** Runs per measurement (the median is kept). */
  runs: number;
  /** Directory of the JSON record and the SVG chart. */
  out: string;
}

/** Runs the chosen sections; returns the paths of the JSON record and the chart. */
export function runBench(o: BenchOptions): { json: string; svg: string } {
  RUNS = o.runs;
  mkdirSync(o.out, { recursive: true });
  // A cache of its own, warmed first: steady-state runs measure translated code, not translation.
  const cache = mkdtempSync(join(tmpdir(), 'levitate-bench-'));
  const env = { ...process.env, LEVITATE_CACHE_DIR: cache };
  const record: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, runs: RUNS };
  const rows: Row[] = [];
  try {
    if (o.sections.includes('programs')) Object.assign(record, programsBench(env, rows));
    if (o.sections.includes('processes')) record.processes = processBench(env);
    if (o.sections.includes('ports')) record.ports = portsBench(env, rows);
    if (o.sections.includes('boot')) record.boot = bootBench(env);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = join(o.out, `bench-${stamp}.json`);
  writeFileSync(json, JSON.stringify({ ...record, rows }, null, 2));
  const svg = join(o.out, `bench-${stamp}.svg`);
  writeFileSync(svg, chart(rows));
  console.log(`\nrecord: ${json}\nchart:  ${svg}`);
  return { json, svg };
}

/** One bar group of the chart: seconds per engine (qemu is the reference). */
type Row = Record<string, Record<string, number | string>>;

function programsBench(env: NodeJS.ProcessEnv, rows: Row[]): Record<string, unknown> {
  const names = readdirSync(BENCH).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).sort();
  if (names.some((n) => !existsSync(join(BENCH, `${n}.musl`)))) {
    const r = spawnSync('bash', [join(ROOT, 'tools/build-guests.sh')], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building the benchmark programs failed');
  }
  const qemu = has('qemu-aarch64');
  if (!qemu) loud('SKIPPED qemu-aarch64 column: qemu-user is not installed (apt-get install qemu-user)');
  const wasmOk = buildWasm(names[0]) !== null;
  if (!wasmOk) loud('SKIPPED direct-wasm column: no clang with a wasm32-wasi sysroot (apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)');
  const table: string[] = [];
  const ratios = { aotQemu: [] as number[], aotNative: [] as number[], interpAot: [] as number[], aotWasm: [] as number[] };
  console.log(`benchmarks: ${names.join(', ')} — median of ${RUNS} runs each\n`);
  console.log('program     native    qemu     aot   interp*   wasm  | aot/qemu aot/native interp/aot aot/wasm  translated');
  for (const n of names) {
    const s = SCALE[n] ?? 10;
    const bin = join(BENCH, `${n}.musl`);
    spawnSync('node', [LEVITATE, 'translate', bin], { env });
    const aot = time('node', [LEVITATE, 'run', bin, String(s)], env);
    const stats = spawnSync('node', [LEVITATE, 'run', '--stats', bin, String(s)], { env, encoding: 'utf8' });
    const translatedPct = /([\d.]+)% translated/.exec(stats.stderr)?.[1] ?? '?';
    const native = existsSync(join(BENCH, `${n}.native`)) ? time(join(BENCH, `${n}.native`), [String(s)]) : null;
    const q = qemu ? time('qemu-aarch64', [bin, String(s)]) : null;
    // One run: the interpreter is two to three orders of magnitude slower, noise does not matter there.
    const interpRaw = time('node', [LEVITATE, 'run', '--engine', 'interp', bin, String(Math.max(1, Math.round(s / INTERP_DIVISOR)))], env, 1);
    const interp = (interpRaw.seconds * s) / Math.max(1, Math.round(s / INTERP_DIVISOR));
    let wasm: Timing | null = null;
    if (wasmOk) {
      const w = buildWasm(n);
      if (w) wasm = time('node', ['--experimental-wasi-unstable-preview1', join(ROOT, 'dist/tools/run-wasi.js'), w, String(s)]);
    }
    for (const [what, t] of [['native', native], ['qemu', q], ['wasm', wasm]] as const) {
      if (t && t.stdout !== aot.stdout) throw new Error(`${n}: aot printed ${JSON.stringify(aot.stdout)} but ${what} printed ${JSON.stringify(t.stdout)}`);
    }
    const r = {
      aotQemu: q ? aot.seconds / q.seconds : NaN,
      aotNative: native ? aot.seconds / native.seconds : NaN,
      interpAot: interp / aot.seconds,
      aotWasm: wasm ? aot.seconds / wasm.seconds : NaN,
    };
    for (const k of Object.keys(ratios) as (keyof typeof ratios)[]) if (isFinite(r[k])) ratios[k].push(r[k]);
    rows.push({ [n]: { scale: s, native: native?.seconds ?? NaN, qemu: q?.seconds ?? NaN, aot: aot.seconds, interp, wasm: wasm?.seconds ?? NaN, translatedPct, output: aot.stdout.trim() } });
    const line = `${n.padEnd(10)} ${fmt(native?.seconds).padStart(7)} ${fmt(q?.seconds).padStart(7)} ${fmt(aot.seconds).padStart(7)} ${fmt(interp, 1).padStart(8)} ${fmt(wasm?.seconds).padStart(6)}  | ${fmt(r.aotQemu).padStart(8)} ${fmt(r.aotNative).padStart(10)} ${fmt(r.interpAot, 1).padStart(10)} ${fmt(r.aotWasm).padStart(8)}  ${translatedPct}%`;
    console.log(line);
    table.push(line);
  }
  const summary = {
    aotQemuGeomean: geomean(ratios.aotQemu),
    aotQemuMax: Math.max(...ratios.aotQemu),
    aotNativeGeomean: geomean(ratios.aotNative),
    interpAotGeomean: geomean(ratios.interpAot),
    aotWasmGeomean: ratios.aotWasm.length ? geomean(ratios.aotWasm) : NaN,
  };
  console.log(
    `\ngeometric means: aot/qemu ${fmt(summary.aotQemuGeomean)} (max ${fmt(summary.aotQemuMax)}), aot/native ${fmt(summary.aotNativeGeomean)}, interp/aot ${fmt(summary.interpAotGeomean, 1)}, aot/wasm ${fmt(summary.aotWasmGeomean)}`,
  );
  console.log(`* interp ran 1/${INTERP_DIVISOR} of the work once; its time is scaled back up.`);

  // Translation: busybox cold and warm, against Node's own start-up floor.
  const translation: Record<string, number | string> = {};
  if (existsSync(BUSYBOX)) {
    const cold = mkdtempSync(join(tmpdir(), 'levitate-cold-'));
    const t0 = process.hrtime.bigint();
    const tr = spawnSync('node', [LEVITATE, 'translate', BUSYBOX], { env: { ...process.env, LEVITATE_CACHE_DIR: cold }, encoding: 'utf8' });
    const coldSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const insp = spawnSync('node', [LEVITATE, 'inspect', BUSYBOX], { encoding: 'utf8' }).stdout;
    const lifted = Number(/instructions lifted: (\d+)/.exec(insp)?.[1] ?? 0);
    const warm = time('node', [LEVITATE, 'run', BUSYBOX, 'true'], { ...process.env, LEVITATE_CACHE_DIR: cold });
    const qemuTrue = qemu ? time('qemu-aarch64', [BUSYBOX, 'true']) : null;
    const floor = time('node', ['-e', '0']);
    rmSync(cold, { recursive: true, force: true });
    Object.assign(translation, {
      busyboxColdSeconds: coldSeconds,
      busyboxInstructionsLifted: lifted,
      instructionsPerSecond: lifted / coldSeconds,
      warmBusyboxTrueSeconds: warm.seconds,
      qemuBusyboxTrueSeconds: qemuTrue?.seconds ?? NaN,
      nodeStartSeconds: floor.seconds,
      ok: tr.status === 0 ? 'yes' : tr.stderr,
    });
    console.log(
      `\nbusybox-static: cold translation ${fmt(coldSeconds)} s (${lifted} instructions, ${Math.round(lifted / coldSeconds)}/s); warm \`busybox true\` ${fmt(warm.seconds, 3)} s (qemu ${fmt(qemuTrue?.seconds, 3)} s, node -e 0 ${fmt(floor.seconds, 3)} s)`,
    );
  } else loud('SKIPPED busybox translation figures: run tools/fetch-debian.sh');
  return { summary, translation };
}

/**
 * Process creation (issue: fork/exec/wait): the cost of one cycle of (a) ash running /bin/true (fork + exec +
 * exit + wait) and (b) `echo x | cat` in a loop, as (time of N cycles - time of 0) / N, under Levitate (aot, the
 * busybox rootfs) and Debian's native x86-64 busybox; (c) `levbox test` over our conformance tests. Against
 * them: what qemu-user pays per exec (`qemu-aarch64 busybox true`, which binfmt_misc would run for every exec).
 */
function processBench(env: NodeJS.ProcessEnv): Record<string, number> {
  const arm = join(ROOT, '.cache/rootfs/busybox-arm64');
  const amd = join(ROOT, '.cache/rootfs/busybox-amd64');
  if (spawnSync('bash', [join(ROOT, 'tools/busybox-rootfs.sh')], { stdio: 'ignore' }).status !== 0 || !existsSync(`${arm}/bin/busybox`)) {
    loud('SKIPPED process benchmarks: tools/busybox-rootfs.sh failed (run tools/fetch-debian.sh)');
    return {};
  }
  // As the issue states them: 1,000 cycles of /bin/true and 500 of a pipeline (fewer would measure warm-up).
  const loops = { trueN: 1000, pipeN: 500 };
  const script = (n: number, body: string) => `i=0; while [ $i -lt ${n} ]; do ${body}; i=$((i+1)); done`;
  const guest = (n: number, body: string) =>
    time('node', [LEVITATE, 'run', '--root', arm, `${arm}/bin/busybox`, 'ash', '-c', script(n, body)], env).seconds;
  const native = (n: number, body: string) =>
    time(`${amd}/bin/busybox`, ['ash', '-c', script(n, body)], { PATH: `${amd}/bin:${amd}/usr/bin` }).seconds;
  const perCycle = (f: (n: number, body: string) => number, n: number, body: string) => (f(n, body) - f(0, body)) / n;
  const out: Record<string, number> = {
    aotTrueMs: 1000 * perCycle(guest, loops.trueN, '/bin/true'),
    nativeTrueMs: 1000 * perCycle(native, loops.trueN * 5, '/bin/true'),
    aotPipeMs: 1000 * perCycle(guest, loops.pipeN, 'echo x | cat >/dev/null'),
    nativePipeMs: 1000 * perCycle(native, loops.pipeN * 5, 'echo x | cat >/dev/null'),
  };
  if (has('qemu-aarch64')) out.qemuExecMs = 1000 * time('qemu-aarch64', [`${arm}/bin/busybox`, 'true'], process.env, 9).seconds;
  const tests = mkdtempSync(join(tmpdir(), 'levitate-levbox-'));
  try {
    for (const t of readdirSync(join(ROOT, 'userspace/tests')).filter((f) => f.endsWith('.musl'))) {
      symlinkSync(join(ROOT, 'userspace/tests', t), join(tests, t.slice(0, -5)));
    }
    out.aotLevboxTestS = time('node', [LEVITATE, 'run', join(ROOT, 'userspace/levbox.musl'), 'test', tests], env).seconds;
  } finally {
    rmSync(tests, { recursive: true, force: true });
  }
  if (existsSync(join(ROOT, 'userspace/levbox.native'))) {
    const nat = mkdtempSync(join(tmpdir(), 'levitate-levbox-'));
    for (const t of readdirSync(join(ROOT, 'userspace/tests')).filter((f) => f.endsWith('.native'))) {
      symlinkSync(join(ROOT, 'userspace/tests', t), join(nat, t.slice(0, -7)));
    }
    out.nativeLevboxTestS = time(join(ROOT, 'userspace/levbox.native'), ['test', nat]).seconds;
    rmSync(nat, { recursive: true, force: true });
  }
  console.log(
    `\nprocesses: fork+exec+exit+wait of /bin/true from ash ${fmt(out.aotTrueMs, 1)} ms (native busybox ${fmt(out.nativeTrueMs, 2)} ms; ` +
      `qemu-aarch64 start-up per exec ${fmt(out.qemuExecMs, 1)} ms); \`echo x | cat\` ${fmt(out.aotPipeMs, 1)} ms (native ${fmt(out.nativePipeMs, 2)} ms); ` +
      `levbox test ${fmt(out.aotLevboxTestS)} s (native ${fmt(out.nativeLevboxTestS)} s)`,
  );
  return out;
}

/**
 * Sample ports (samples/ports/, built from Debian's sources by samples/ports/build.sh, on demand): a CPU-heavy Lua
 * script and SQL script (samples/ports/{lua/bench.lua,sqlite/bench.sql}) on the ports' lua and sqlite3 under
 * levitate aot (translated first), qemu-aarch64 and the native build of the same source; all must print the same.
 */
function portsBench(env: NodeJS.ProcessEnv, rows: Row[]): Record<string, number> {
  const ports = join(ROOT, '.cache/ports');
  const work = join(ROOT, 'samples/ports');
  const cases = [
    { name: 'lua', prog: 'lua/ARCH/lua', args: [join(work, 'lua/bench.lua')] },
    { name: 'sqlite', prog: 'sqlite/ARCH/sqlite3', args: ['-init', '/dev/null', '-batch', ':memory:', `.read ${join(work, 'sqlite/bench.sql')}`] },
  ];
  const bin = (c: (typeof cases)[number], arch: string) => join(ports, c.prog.replace('ARCH', arch));
  if (cases.some((c) => !existsSync(bin(c, 'arm64')) || !existsSync(bin(c, 'native')))) {
    const built = spawnSync('bash', [join(ROOT, 'tools/fetch-sources.sh'), 'lua5.4', 'sqlite3'], { stdio: 'inherit' }).status === 0 &&
      spawnSync('bash', [join(ROOT, 'samples/ports/build.sh'), 'lua', 'sqlite'], { stdio: 'inherit' }).status === 0;
    if (!built) {
      loud('SKIPPED sample port benchmarks: fetching or building them failed (bash tools/fetch-sources.sh && bash samples/ports/build.sh)');
      return {};
    }
  }
  const out: Record<string, number> = {};
  console.log('\nsample ports  native    qemu     aot  | aot/qemu aot/native');
  for (const c of cases) {
    spawnSync('node', [LEVITATE, 'translate', bin(c, 'arm64')], { env });
    const aot = time('node', [LEVITATE, 'run', bin(c, 'arm64'), ...c.args], env);
    const native = time(bin(c, 'native'), c.args);
    const q = has('qemu-aarch64') ? time('qemu-aarch64', [bin(c, 'arm64'), ...c.args]) : null;
    for (const [what, t] of [['native', native], ['qemu', q]] as const) {
      if (t && t.stdout !== aot.stdout) throw new Error(`${c.name}: aot printed ${JSON.stringify(aot.stdout)} but ${what} printed ${JSON.stringify(t.stdout)}`);
    }
    Object.assign(out, { [`${c.name}NativeS`]: native.seconds, [`${c.name}QemuS`]: q?.seconds ?? NaN, [`${c.name}AotS`]: aot.seconds });
    rows.push({ [`${c.name} (port)`]: { native: native.seconds, qemu: q?.seconds ?? NaN, aot: aot.seconds } });
    console.log(
      `${c.name.padEnd(12)} ${fmt(native.seconds).padStart(7)} ${fmt(q?.seconds).padStart(7)} ${fmt(aot.seconds).padStart(7)}  | ${fmt(q ? aot.seconds / q.seconds : NaN).padStart(8)} ${fmt(aot.seconds / native.seconds).padStart(10)}`,
    );
  }
  return out;
}

/** Bars of time relative to qemu-aarch64 (1.0 = qemu) per program and engine. */
function chart(rows: Row[]): string {
  const engines = ['native', 'aot', 'wasm'] as const;
  const colors = { native: '#4a4', aot: '#36c', wasm: '#c83' };
  const h = 24 * rows.length * engines.length + 60;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="720" height="${h}" font-family="sans-serif" font-size="11">`];
  parts.push('<text x="10" y="16">time relative to qemu-aarch64 (shorter is faster; the line is qemu)</text>');
  const x0 = 160;
  const w = 400;
  parts.push(`<line x1="${x0 + w / 2}" y1="24" x2="${x0 + w / 2}" y2="${h - 10}" stroke="#999"/>`);
  let y = 30;
  for (const row of rows) {
    const [name, v] = Object.entries(row)[0];
    for (const e of engines) {
      const rel = (v[e] as number) / (v.qemu as number);
      if (isFinite(rel)) {
        parts.push(`<text x="10" y="${y + 12}">${name} ${e}</text>`);
        parts.push(`<rect x="${x0}" y="${y}" width="${Math.min(w, (rel * w) / 2)}" height="16" fill="${colors[e]}"/>`);
        parts.push(`<text x="${x0 + Math.min(w, (rel * w) / 2) + 4}" y="${y + 12}">${rel.toFixed(2)}</text>`);
      }
      y += 24;
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Boot (warm cache): `levitate boot` of the default rootfs with `exit` on its standard input: init starts, the
 * shell starts and reads `exit`, the system powers off. Also the busybox rootfs (busybox init and ash; its
 * inittab powers off when the shell ends) when tools/busybox-rootfs.sh has built it. Against `node -e 0`.
 */
function bootBench(env: NodeJS.ProcessEnv): Record<string, number> {
  const boot = (args: string[]) => {
    const input = 'echo ready\nexit\n';
    const once = () => spawnSync('node', [LEVITATE, 'boot', ...args], { env, input, encoding: 'utf8' });
    const warm = once(); // translates into the bench cache
    if (warm.status !== 0 || !warm.stdout.includes('ready')) throw new Error(`levitate boot ${args.join(' ')} failed (${warm.status}): ${warm.stderr}`);
    const ts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      once();
      ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    return ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)];
  };
  const out: Record<string, number> = { defaultBootS: boot([]), nodeStartS: time('node', ['-e', '0']).seconds };
  const bb = join(ROOT, '.cache/rootfs/busybox-arm64');
  if (existsSync(join(bb, 'etc/inittab'))) out.busyboxBootS = boot(['--root', bb]);
  else loud('SKIPPED busybox boot: run tools/busybox-rootfs.sh');
  console.log(
    `\nboot (warm cache, to the shell and powered off again): default rootfs ${fmt(out.defaultBootS)} s, ` +
      `busybox rootfs ${fmt(out.busyboxBootS)} s (node -e 0 ${fmt(out.nodeStartS, 3)} s)`,
  );
  return out;
}
