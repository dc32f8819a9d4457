// Our own userspace under Levitate: userspace/init.c runs userspace/sh.c, which runs userspace/levbox.c's applets
// found through PATH (a directory of symlinks to the multi-call binary). The oracle is the same C sources built
// for x86-64 (X.native, tools/build-guests.sh) run by real Linux with the same script and the same environment:
// stdout and the exit status must agree. Covers fork + execve from a shell, PATH search, pipelines, redirections,
// && || !, background jobs and wait, kill, exported variables, init reaping and passing the shell's status on,
// `levbox test` (fork + exec of every conformance test in a directory), and a few hundred fork + exec in one run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEVITATE, ROOT, type Run, available, run } from '../support/tools.js';

type Kind = 'musl' | 'glibc' | 'native';
type Engine = 'aot' | 'interp';
const U = `${ROOT}userspace`;
const APPLETS = ['echo', 'cat', 'wc', 'sort', 'head', 'ls', 'true', 'false', 'sleep', 'env', 'kill', 'levbox'];
const TESTS = readdirSync(`${U}/tests`).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).sort();

const ok = available('userspace (init, sh, levbox)', {
  files: ['init', 'sh', 'levbox'].map((p) => `${U}/${p}.native`),
});

const made: string[] = [];
function tempDir(tag: string): string {
  const d = mkdtempSync(join(tmpdir(), `levitate-us-${tag}-`));
  made.push(d);
  return d;
}
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A PATH directory: every applet a symlink to levbox.<kind>, and `sh` a symlink to sh.<kind>. */
const bins = new Map<Kind, string>();
function binDir(kind: Kind): string {
  let d = bins.get(kind);
  if (d) return d;
  d = tempDir(`bin-${kind}`);
  for (const a of APPLETS) symlinkSync(`${U}/levbox.${kind}`, join(d, a));
  symlinkSync(`${U}/sh.${kind}`, join(d, 'sh'));
  bins.set(kind, d);
  return d;
}

/** A fresh working directory (the scripts `cd $W`): a subdirectory and an 88 KB file, more than a pipe holds. */
function workDir(): string {
  const d = tempDir('work');
  mkdirSync(join(d, 'sub'));
  writeFileSync(join(d, 'big.txt'), Array.from({ length: 8000 }, (_, i) => `line ${String(i).padStart(5, '0')}`).join('\n') + '\n');
  return d;
}

/** `prog args` with exactly PATH and W in the environment: natively, or under Levitate with the aarch64 builds. */
function exec(kind: Kind, engine: Engine, prog: string, args: string[], input = '', env: Record<string, string> = {}): Run {
  const vars = { PATH: binDir(kind), W: workDir(), ...env };
  const path = `${U}/${prog}.${kind}`;
  if (kind === 'native') {
    const r = spawnSync(path, args, { env: vars, input, encoding: 'utf8', timeout: 60_000 });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  }
  const flags = Object.entries(vars).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  return run('node', [LEVITATE, 'run', '--engine', engine, '--timeout', '60', '--clear-env', ...flags, path, ...args], { input });
}

/** init running sh reading the script on its stdin. */
function initSh(kind: Kind, engine: Engine, script: string): Run {
  return exec(kind, engine, 'init', [`${U}/sh.${kind}`], script);
}

/** Compares stdout and status with the native run; stderr too unless `stderr` is false. */
function same(got: Run, want: Run, what: string, stderr = true): void {
  expect(want.status, `native ${what}: ${want.stderr}`).not.toBeNull();
  expect({ stdout: got.stdout, status: got.status, ...(stderr ? { stderr: got.stderr } : {}) }, what).toEqual({
    stdout: want.stdout,
    status: want.status,
    ...(stderr ? { stderr: want.stderr } : {}),
  });
}

const SCRIPT = `# variables and quoting
cd $W
name=world
echo "hello, $name" 'single $name' \${name}s
spaced="a  b   c"
echo $spaced "$spaced"
# external commands through PATH, pipelines, redirections
echo c a b | wc -w
levbox echo zeta alpha mid > list
echo beta >> list
echo gamma >> list
sort list
sort -r list | head -n 2
cat list | sort | wc -l
wc -l < list
wc -c list
cat < list > copy 2> copy.err
wc copy copy.err
echo to-stderr 1>&2
ls missing 2> err.txt || echo ls failed with $?
cat err.txt
ls -a
ls -l list copy
# more than a pipe's buffer through a pipeline; head exits early, cat dies of SIGPIPE
cat big.txt | sort -r | head -n 3
cat big.txt big.txt | wc -l
cat big.txt | head -n 2
echo pipeline status $?
# && || !
false && echo not-printed || echo or-branch $?
true && echo and-branch
! false && echo negated
! true || echo negated-true
levbox false; echo status $?
nosuch-command 2> nosuch.err; echo status $?
cat nosuch.err
# cd
cd sub && echo inside > f && cd .. && cat sub/f
cd nowhere 2> /dev/null || echo cd failed $?
ls sub
# background jobs and wait
sleep 0.3 && echo late > bg.txt &
echo before wait
wait
cat bg.txt
sleep 0.1 &
wait $!
echo waited $?
sleep 2 > /dev/null 2>&1 &
kill $!
wait $!
echo killed $?
levbox sleep 0.1 & levbox sleep 0.2 & wait
echo both done
# exported variables reach children through execve; plain ones do not
export G=exported
L=local
sh -c 'echo child sees [$G] [$L]'
X=prefix sh -c 'echo child sees [$X]'
echo after prefix [$X]
env -i A=1 B=2 $PATH/env
unset G
sh -c 'echo after unset [$G]'
# a script file run by a child shell
echo 'echo script args $# $1 $2' > s.sh
sh s.sh one two
exit 7
`;

describe.runIf(ok)('userspace: init, sh and levbox (oracle: the same sources built natively)', () => {
  describe('init running sh on a script read from stdin', () => {
    const want = () => initSh('native', 'aot', SCRIPT);
    let native: Run | undefined;
    const oracle = () => (native ??= want());
    it('the oracle runs the whole script', () => {
      const w = oracle();
      expect(w.status).toBe(7);
      expect(w.stdout).toContain('hello, world single $name worlds\n');
      expect(w.stdout).toContain('killed 143\n');
      expect(w.stdout).toContain('or-branch 1\n'); // $? inside an and-or list
      expect(w.stdout).toContain('script args 2 one two\n');
      expect(w.stderr).toBe('to-stderr\n');
    });
    for (const [kind, engine] of [['musl', 'aot'], ['musl', 'interp'], ['glibc', 'aot']] as const) {
      it(`${kind}, ${engine}`, () => same(initSh(kind, engine, SCRIPT), oracle(), `${kind} ${engine}`));
    }
  });

  describe('exit statuses through init', () => {
    const cases: [string, string, number, RegExp | string][] = [
      ['exit 3', 'echo before\nexit 3\necho after\n', 3, ''],
      ['the status of the last command', 'levbox false\n', 1, ''],
      ['the shell killed by SIGTERM', 'echo dying\nkill -TERM $$\necho survived\n', 143, ''],
      ['the shell killed by SIGKILL', 'kill -9 $$\n', 137, ''],
      ['a missing command', 'nosuch-command arg\n', 127, /^sh: nosuch-command: not found\n$/],
      ['a syntax error', 'echo ok\necho a |\n', 2, /^sh: syntax error/],
    ];
    for (const engine of ['aot', 'interp'] as const) {
      for (const [what, script, status, stderr] of cases) {
        it(`${what} → ${status} (${engine})`, () => {
          const want = initSh('native', 'aot', script);
          expect(want.status).toBe(status);
          const got = initSh('musl', engine, script);
          same(got, want, what);
          if (stderr) expect(got.stderr).toMatch(stderr);
        });
      }
    }
    it('init reports a shell it cannot run with 127', () => {
      const got = exec('musl', 'aot', 'init', ['/nonexistent/sh']);
      expect(got.status).toBe(127);
      expect(got.stderr).toBe('init: cannot run /nonexistent/sh: ENOENT\n');
    });
  });

  describe('levbox test DIR: fork + exec of every conformance test', () => {
    /** A directory of symlinks, each name → target. */
    function testDir(links: Record<string, string>): string {
      const d = tempDir('tests');
      for (const [name, target] of Object.entries(links)) symlinkSync(target, join(d, name));
      return d;
    }
    const musl = (names: string[]) => testDir(Object.fromEntries(names.map((t) => [t, `${U}/tests/${t}.musl`])));
    const levbox = (dir: string, engine: Engine) => exec('musl', engine, 'levbox', ['test', dir]);

    it('every userspace/tests/*.musl passes (aot)', () => {
      expect(TESTS.length).toBeGreaterThanOrEqual(8);
      const r = levbox(musl(TESTS), 'aot');
      expect(r.stdout).toBe([...TESTS.map((t) => `PASS ${t}`), `${TESTS.length} passed, 0 failed`, ''].join('\n'));
      expect(r.status).toBe(0);
    });
    it('fresh-memory, pipe and wait pass (interp)', () => {
      const r = levbox(musl(['fresh-memory', 'pipe', 'wait']), 'interp');
      expect(r.stdout).toBe('PASS fresh-memory\nPASS pipe\nPASS wait\n3 passed, 0 failed\n');
      expect(r.status).toBe(0);
    });
    for (const engine of ['aot', 'interp'] as const) {
      it(`a failing program: FAIL and status 1, the same as natively (${engine})`, () => {
        const links = (kind: Kind) => testDir({ false: `${U}/levbox.${kind}`, true: `${U}/levbox.${kind}` });
        const want = exec('native', 'aot', 'levbox', ['test', links('native')]);
        expect(want.stdout).toBe('FAIL false (exit 1)\nPASS true\n1 passed, 1 failed\n');
        expect(want.status).toBe(1);
        same(exec('musl', engine, 'levbox', ['test', links('musl')]), want, 'levbox test');
      });
    }
  });

  describe('one-liners: sh -c with levbox on PATH', () => {
    /** Light enough for the interpreter too. */
    const lines = [
      'echo b a c | levbox wc -w',
      'levbox echo c b a | sort; echo x | sort -r',
      'cd $W; echo 3 > n; echo 10 >> n; echo 2 >> n; sort -n n | head -n 2; sort n',
      'echo one; false || echo two && echo three; ! echo four',
      'echo $0 $# $1 $2 "$@"',
      'env -i FOO=bar $PATH/env; env -i $PATH/env Q=1 $PATH/env',
      'cd $W; ls; ls -l big.txt; levbox ls -1 sub big.txt',
      'levbox kill -l | head -n 3; kill -0 $$ && echo alive',
      'echo out; echo err >&2; exit 42',
      'cat /nonexistent; echo $?; head -n x /dev/null; echo $?',
      'levbox; levbox nosuch; echo $?',
    ];
    /** Pipelines of 88 KB (aot only). */
    const heavy = [
      'cd $W && cat big.txt | sort -r | sort | head -n 1 | wc -c',
      'cat $W/big.txt | cat | cat | cat | wc -l',
      'cat $W/big.txt $W/big.txt | head -n 1; echo $?',
    ];
    const args = ['name', 'arg one', 'two'];
    for (const engine of ['aot', 'interp'] as const) {
      it(`the same as natively (${engine})`, () => {
        for (const line of engine === 'aot' ? [...lines, ...heavy] : lines) {
          const want = exec('native', 'aot', 'sh', ['-c', line, ...args]);
          same(exec('musl', engine, 'sh', ['-c', line, ...args]), want, line);
        }
      }, 60_000);
    }
  });

  // musl's strtod (decfloat) converts "0.3" with SCVTF (scalar, fixed-point) `scvtf d0, w0, #2` = 0x1e42f800,
  // which Levitate's decoder lacks (both engines: SIGILL, status 132). glibc's strtod does not use it.
  describe('fractional seconds: `levbox sleep 0.3` (musl strtod: scvtf d0, w0, #2 must be decoded)', () => {
    for (const engine of ['aot', 'interp'] as const) {
      it(`the same as natively (${engine})`, () => {
        const line = 'levbox sleep 0.3; echo slept $?';
        const want = exec('native', 'aot', 'sh', ['-c', line]);
        expect(want.stdout).toBe('slept 0\n');
        same(exec('musl', engine, 'sh', ['-c', line]), want, line);
      });
    }
  });

  it('200 fork + execs from one shell (aot)', () => {
    const n = 201;
    const script = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `echo line ${i}` : i % 3 === 1 ? 'true' : 'levbox true && : ok')).join('\n') + '\necho done\n';
    const want = initSh('native', 'aot', script);
    expect(want.stdout.split('\n').length).toBe(n / 3 + 2);
    const got = initSh('musl', 'aot', script);
    same(got, want, `${n} commands`);
  });
});
