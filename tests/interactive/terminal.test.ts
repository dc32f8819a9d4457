// The terminal through a real pseudo-terminal: Levitate runs in a tmux pane (a private tmux server), keys are
// typed with send-keys and the screen is read with capture-pane, polling until the expected text shows (never
// timing anything). Covers `levitate boot` of the default rootfs (our init + sh: a command, Ctrl-C of a
// foreground job, the terminal restored at exit) and of the busybox rootfs (busybox init, a login ash with job
// control), busybox ash with its line editing and job control (Ctrl-Z, jobs, fg, bg, Ctrl-C), stty, a resize
// (TIOCGWINSZ, SIGWINCH), a run killed from outside or by a crash after the guest set raw mode, and a run whose
// stdin is a pipe, which must leave the terminal alone.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, TEST_CACHE, available } from '../support/tools.js';

const BUSYBOX_ROOT = `${ROOT}.cache/rootfs/busybox-arm64`;
const SOCKET = `levitate-test-${process.pid}`;
/** Generous: a cold translation of busybox takes a while, and CI machines are slow. */
const WAIT_MS = Number(process.env.LEVITATE_TTY_WAIT_MS) || 120_000;
/** Each test waits for several screens in turn. */
const TEST_MS = 600_000;

const hasTmux = available('interactive terminal (tmux)', { cmds: ['tmux'] });
const hasBusybox = hasTmux && available('interactive terminal (busybox rootfs: bash tools/busybox-rootfs.sh)', { files: [`${BUSYBOX_ROOT}/bin/busybox`] });

const dir = mkdtempSync(join(tmpdir(), 'levitate-tty-'));
afterAll(() => {
  if (hasTmux) {
    try {
      const socket = tmux('display-message', '-p', '#{socket_path}').trim();
      tmux('kill-server');
      rmSync(socket, { force: true });
    } catch {
      // no server left
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One tmux session of 80×24 whose pane runs `script` under sh, then stays (so the screen can still be read). */
class Pane {
  constructor(readonly name: string) {}

  static start(name: string, script: string): Pane {
    const cmd = `cd ${sq(ROOT)} && export LEVITATE_CACHE_DIR=${sq(TEST_CACHE)}; ${script}; exec sleep 3600`;
    tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', `sh -c ${sq(cmd)}`);
    return new Pane(name);
  }

  /** Literal text. */
  type(text: string): void {
    tmux('send-keys', '-t', this.name, '-l', text);
  }
  /** Named keys: Enter, C-c, C-z, BSpace. */
  keys(...keys: string[]): void {
    tmux('send-keys', '-t', this.name, ...keys);
  }
  line(text: string): void {
    this.type(text);
    this.keys('Enter');
  }
  /** The screen and its history, wrapped lines joined. */
  screen(): string {
    return tmux('capture-pane', '-p', '-J', '-S', '-2000', '-t', this.name);
  }
  resize(cols: number, rows: number): void {
    tmux('resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows));
  }

  /** Polls the screen until `re` matches; `nudge` runs between polls (a key to repeat until it takes effect). */
  async until(re: RegExp, nudge?: () => void): Promise<RegExpMatchArray> {
    const end = Date.now() + WAIT_MS;
    let last = 0;
    for (;;) {
      const s = this.screen();
      const m = s.match(re);
      if (m) return m;
      if (Date.now() > end) throw new Error(`timed out waiting for ${re} on the screen:\n${s}`);
      if (nudge && Date.now() - last > 2000) {
        nudge();
        last = Date.now();
      }
      await sleep(100);
    }
  }
}

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

/** The terminal is cooked again: `stty -a` (written by the pane's shell after the run) has icanon and echo on. */
function expectSane(file: string): void {
  const words = readFileSync(file, 'utf8').split(/[\s;]+/);
  expect(words).toContain('icanon');
  expect(words).toContain('echo');
  expect(words).toContain('isig');
  expect(words).toContain('icrnl');
}

describe.runIf(hasTmux)('terminal: levitate boot of the default rootfs (our init and sh)', () => {
  it('echo, Ctrl-C of a foreground sleep (the shell goes on), exit powers off and restores the terminal', async () => {
    const stty = join(dir, 'stty-init.txt');
    const p = Pane.start('init', `node bin/levitate.js boot; echo "EXIT=$?"; stty -a > ${sq(stty)}`);
    await p.until(/^\$ $/m);
    p.line('echo hello');
    await p.until(/^hello$/m);
    p.line('sleep 300');
    await p.until(/^\$ sleep 300$/m);
    // Ctrl-C until it reaches the sleep (it may come before the shell has forked it): a new prompt follows.
    // (The patterns end at the prompt: one more Ctrl-C may land there before the poll sees it.)
    await p.until(/^\$ sleep 300\n(\^C)+\n\$ /m, () => p.keys('C-c'));
    p.line('echo after');
    await p.until(/^after$/m);
    // Ctrl-C at the prompt drops what was typed.
    p.type('echo dropped');
    p.keys('C-c');
    await p.until(/^\$ echo dropped\^C\n\$ $/m);
    p.line('exit');
    await p.until(/^EXIT=0$/m);
    await waitForFile(stty);
    expectSane(stty);
  }, TEST_MS);
});

describe.runIf(hasBusybox)('terminal: levitate boot of the busybox rootfs', () => {
  it("busybox init's login ash gets the terminal: job control works, exit powers off", async () => {
    const stty = join(dir, 'stty-bbboot.txt');
    const p = Pane.start('bbboot', `node bin/levitate.js boot --root .cache/rootfs/busybox-arm64; echo "EXIT=$?"; stty -a > ${sq(stty)}`);
    await p.until(/^\S* # $/m);
    p.line('hostname; echo H1');
    await p.until(/^levitate\nH1$/m);
    p.line('sleep 300');
    await p.until(/# sleep 300$/m);
    await p.until(/\[1\]\+\s+Stopped\s+sleep 300/, () => p.keys('C-z'));
    p.line('fg');
    await p.until(/# fg\nsleep 300$/m);
    await p.until(/^sleep 300\n(\^C)+\n?\S* # /m, () => p.keys('C-c'));
    p.line('echo status $?');
    await p.until(/^status 130$/m);
    p.line('exit');
    await p.until(/^EXIT=0$/m);
    await waitForFile(stty);
    expectSane(stty);
  }, TEST_MS);
});

describe.runIf(hasBusybox)('terminal: busybox ash', () => {
  it('line editing, job control (Ctrl-Z, jobs, fg, Ctrl-C, bg, SIGTTIN, TOSTOP), Ctrl-C of a busy loop, stty, a resize, SIGWINCH', async () => {
    const stty = join(dir, 'stty-ash.txt');
    const p = Pane.start('ash', `node bin/levitate.js run --root .cache/rootfs/busybox-arm64 /bin/busybox sh -i; echo "EXIT=$?"; stty -a > ${sq(stty)}`);
    await p.until(/^\/ # $/m);
    // Line editing: a backspace takes back the X.
    p.type('echo abX');
    p.keys('BSpace');
    p.line('c');
    await p.until(/^abc$/m);

    // Ctrl-Z stops the foreground job, jobs lists it, fg resumes it, Ctrl-C ends it.
    p.line('sleep 300');
    await p.until(/^\/ # sleep 300$/m);
    await p.until(/\[1\]\+\s+Stopped\s+sleep 300/, () => p.keys('C-z'));
    p.line('jobs; echo J1');
    await p.until(/\[1\]\+\s+Stopped\s+sleep 300\nJ1$/m);
    p.line('fg');
    await p.until(/^\/ # fg\nsleep 300$/m);
    await p.until(/^sleep 300\n(\^C)+\n?\/ # /m, () => p.keys('C-c'));
    p.line('echo status $?');
    await p.until(/^status 130$/m);

    // A guest busy computing still sees Ctrl-C: the kernel lets terminal input in between time slices.
    p.line('while :; do :; done');
    await p.until(/^\/ # while :; do :; done$/m);
    await p.until(/^\/ # while :; do :; done\n(\^C)+\n?\/ # /m, () => p.keys('C-c'));

    // bg: a stopped job runs on in the background.
    p.line('sleep 301');
    await p.until(/^\/ # sleep 301$/m);
    await p.until(/\[1\]\+\s+Stopped\s+sleep 301/, () => p.keys('C-z'));
    p.line('bg');
    await p.until(/^\[1\] sleep 301$/m);
    p.line('jobs; echo J2');
    await p.until(/\[1\]\+\s+Running\s+sleep 301\nJ2$/m);
    p.line('kill %1; wait; echo K1');
    await p.until(/^K1$/m);

    // A background job reading the terminal is stopped by SIGTTIN; under TOSTOP, one writing to it by SIGTTOU.
    p.line('cat &');
    await p.until(/\[1\]\+\s+Stopped \(tty input\)\s+cat$/m, () => p.keys('Enter'));
    p.line('stty tostop; (sleep 1; echo bgout) &');
    await p.until(/\[2\]\+\s+Stopped \(tty output\)\s+\(sleep 1; echo bgout\)$/m, () => p.line('jobs'));
    p.line('kill -9 %1 %2; stty -tostop; echo K2');
    await p.until(/^K2$/m);

    // The terminal's size and settings; a resize changes the size and sends SIGWINCH.
    p.line('stty size; echo S1');
    await p.until(/^24 80\nS1$/m);
    p.line('stty -a; echo S2');
    await p.until(/rows 24; columns 80;[^]*\bicanon\b[^]*\nS2$/m);
    // The foreground job (a shell that traps SIGWINCH) is told of the resize; the size has changed.
    p.line(`sh -c 'trap "echo got WINCH; exit 0" WINCH; echo READY; while :; do sleep 1; done'`);
    await p.until(/^READY$/m);
    p.resize(100, 30);
    await p.until(/^got WINCH\n\/ # $/m);
    p.line('stty size; echo S3');
    await p.until(/^30 100\nS3$/m);

    p.line('exit');
    await p.until(/^EXIT=0$/m);
    await waitForFile(stty);
    expectSane(stty);
  }, TEST_MS);

  it('a run killed from outside after the guest set raw mode leaves the terminal sane', async () => {
    const stty = join(dir, 'stty-killed.txt');
    const pidFile = join(dir, 'node.pid');
    const p = Pane.start(
      'killed',
      `sh -c 'echo $$ > ${pidFile}; exec node bin/levitate.js run --root .cache/rootfs/busybox-arm64 /bin/busybox sh -i'; echo "EXIT=$?"; stty -a > ${sq(stty)}`,
    );
    await p.until(/^\/ # $/m);
    p.line('stty raw -echo; echo RAW');
    await p.until(/^RAW/m);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
    await p.until(/^EXIT=143$/m);
    await waitForFile(stty);
    expectSane(stty);
  }, TEST_MS);

  it('a guest that sets raw mode and dies of a signal leaves the terminal sane', async () => {
    const stty = join(dir, 'stty-crash.txt');
    const p = Pane.start('crash', `node bin/levitate.js run --root .cache/rootfs/busybox-arm64 /bin/busybox sh -i; echo "EXIT=$?"; stty -a > ${sq(stty)}`);
    await p.until(/^\/ # $/m);
    p.line('stty raw -echo -isig; kill -SEGV $$');
    await p.until(/^EXIT=139$/m);
    await waitForFile(stty);
    expectSane(stty);
  }, TEST_MS);

  it('with stdin a pipe the terminal is left alone (no raw mode; the guest sees no terminal on stdin)', async () => {
    const before = join(dir, 'stty-before.txt');
    const after = join(dir, 'stty-after.txt');
    const p = Pane.start(
      'pipe',
      `stty -g > ${sq(before)}; echo 'echo piped; stty raw; echo status $?' | node bin/levitate.js run --root .cache/rootfs/busybox-arm64 /bin/busybox sh; stty -g > ${sq(after)}; echo DONE`,
    );
    await p.until(/^DONE$/m);
    const s = p.screen();
    expect(s).toMatch(/^piped$/m);
    expect(s).toMatch(/^stty: standard input: Inappropriate ioctl for device\nstatus 1$/m);
    expect(readFileSync(after, 'utf8')).toBe(readFileSync(before, 'utf8'));
  }, TEST_MS);
});

describe.runIf(hasBusybox)('terminal: Levitate as a background job', () => {
  it('does not take the terminal (raw mode there would stop it with SIGTTOU): it runs to its end', async () => {
    const p = Pane.start(
      'background',
      `set -m; node bin/levitate.js run --root .cache/rootfs/busybox-arm64 /bin/busybox sh -c 'sleep 1; echo in the background' & wait; echo DONE`,
    );
    await p.until(/^DONE$/m);
    expect(p.screen()).toMatch(/^in the background\nDONE$/m);
  }, TEST_MS);
});

async function waitForFile(file: string): Promise<void> {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    try {
      if (readFileSync(file, 'utf8').includes('icanon')) return;
    } catch {
      // not written yet
    }
    if (Date.now() > end) throw new Error(`${file} never written`);
    await sleep(100);
  }
}
