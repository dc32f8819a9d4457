// Oracles the tests need (qemu-aarch64, objdump, Debian's busybox). Missing on a developer's machine: the suite
// prints a loud SKIPPED line. Missing in CI (CI=true): the suite fails — nothing skips in CI.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUSYBOX = `${ROOT}.cache/debian/busybox-arm64/bin/busybox`;
export const LEVITATE = `${ROOT}bin/levitate.js`;

function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when every need is present; otherwise a loud line (locally) or an exception (CI). */
export function available(suite: string, needs: { cmds?: string[]; files?: string[] }): boolean {
  const missing = [...(needs.cmds ?? []).filter((c) => !has(c)), ...(needs.files ?? []).filter((f) => !existsSync(f))];
  if (missing.length === 0) return true;
  const msg = `${suite}: missing ${missing.join(', ')} (run tools/fetch-debian.sh; apt-get install gcc-aarch64-linux-gnu qemu-user)`;
  if (process.env.CI) throw new Error(`${msg} — CI must have every oracle`);
  console.warn(`\n!!!!!!!! SKIPPED ${msg}\n`);
  return false;
}

export interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Translations made by the tests stay in the project (a fresh clone starts cold, like CI). */
export const TEST_CACHE = `${ROOT}.cache/translations`;

export function run(cmd: string, args: string[], opts: { cwd?: string; input?: string } = {}): Run {
  const env = { ...process.env, LEVITATE_CACHE_DIR: TEST_CACHE };
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env, input: opts.input ?? '', encoding: 'utf8', maxBuffer: 1 << 28, timeout: 300_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

export function levitate(args: string[], opts: { cwd?: string; input?: string } = {}): Run {
  return run('node', [LEVITATE, ...args], opts);
}

/** A guest's output cut at its `=== name` lines: one guest start serves many checks. */
export function splitSections(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of stdout.split(/^=== /m).slice(1)) {
    const nl = part.indexOf('\n');
    out[part.slice(0, nl)] = part.slice(nl + 1);
  }
  return out;
}
