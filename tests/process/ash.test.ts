// Busybox ash workloads (tests/process/ash/*.sh): pipelines, command substitution, subshells, background jobs
// and wait, traps and signals, redirections, here-documents, exec, loops of external commands, set -e, find and
// xargs, text applets. The oracle is Debian's native x86-64 busybox of the same version, run on the host in the
// amd64 rootfs that tools/busybox-rootfs.sh builds; Levitate runs the arm64 busybox of the same Debian package
// with the arm64 rootfs as the guest's /. Same script, same environment, a fresh empty cwd on each side: stdout,
// stderr and the exit status must agree.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSYBOX, LEVITATE, ROOT, type Run, available, run } from '../support/tools.js';

const SCRIPTS = `${ROOT}tests/process/ash`;
const ARM64 = `${ROOT}.cache/rootfs/busybox-arm64`;
const AMD64 = `${ROOT}.cache/rootfs/busybox-amd64`;
const GUEST_PATH = '/bin:/sbin:/usr/bin:/usr/sbin';
const scripts = readdirSync(SCRIPTS).filter((f) => f.endsWith('.sh')).sort();
/** Light scripts (few forks) that also run under the interpreter. */
const INTERP = ['arith.sh', 'heredocs.sh', 'functions.sh'];

const ok = available('busybox ash workloads', {
  files: [BUSYBOX, `${ROOT}.cache/debian/busybox-amd64/bin/busybox`],
});

/** A fresh directory under `root`/tmp holding a copy of the script: the cwd of one run, removed afterwards. */
const made: string[] = [];
function workdir(root: string, script: string): string {
  const dir = mkdtempSync(join(root, 'tmp', `ash-${basename(script, '.sh')}-`));
  made.push(dir);
  copyFileSync(join(SCRIPTS, script), join(dir, script));
  return dir;
}

/** The oracle: native busybox ash, its applets found through the amd64 rootfs, nothing else in the environment. */
const expected = new Map<string, Run>();
function native(script: string): Run {
  const cached = expected.get(script);
  if (cached) return cached;
  const dir = workdir(AMD64, script);
  const path = ['bin', 'sbin', 'usr/bin', 'usr/sbin'].map((d) => `${AMD64}/${d}`).join(':');
  const r = spawnSync(`${AMD64}/bin/busybox`, ['ash', script], {
    cwd: dir,
    env: { PATH: path, LC_ALL: 'C' },
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  rmSync(dir, { recursive: true, force: true });
  const out = { stdout: r.stdout, stderr: r.stderr, status: r.status };
  expected.set(script, out);
  return out;
}

/**
 * Levitate: the cwd is a directory inside the arm64 rootfs's /tmp, which the guest sees as /tmp/<dir>. The
 * program is named `../../bin/busybox`, relative to that cwd: the same file whether the CLI reads it as a host
 * path or as a path in the guest.
 */
function guest(script: string, engine: 'aot' | 'interp'): Run {
  const dir = workdir(ARM64, script);
  const r = run('node', [
    LEVITATE, 'run', '--engine', engine, '--timeout', '100', '--root', ARM64, '--clear-env',
    '--env', `PATH=${GUEST_PATH}`, '--env', 'LC_ALL=C', '../../bin/busybox', 'ash', script,
  ], { cwd: dir });
  rmSync(dir, { recursive: true, force: true });
  return r;
}

function compare(script: string, engine: 'aot' | 'interp'): void {
  const want = native(script);
  // A broken oracle would make every comparison meaningless.
  expect(want.status, `native ${script}: ${want.stderr}`).not.toBeNull();
  const got = guest(script, engine);
  expect(got).toEqual(want);
}

describe.runIf(ok)('busybox ash workloads (oracle: native x86-64 busybox)', () => {
  beforeAll(() => {
    execFileSync('bash', [`${ROOT}tools/busybox-rootfs.sh`], { stdio: ['ignore', 'inherit', 'inherit'] });
  }, 120_000);
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });

  it('has the workloads', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(12);
  });
  it('the oracle writes to stderr only in the scripts meant to', () => {
    const noisy = scripts.filter((s) => native(s).stderr !== '');
    expect(noisy).toEqual(['background.sh', 'stderr.sh', 'traps.sh']);
  });

  describe('aot', () => {
    for (const s of scripts) it(s, () => compare(s, 'aot'));
  });
  describe('interp', () => {
    for (const s of INTERP) it(s, () => compare(s, 'interp'));
  });
});
