// `levitate boot`: the embedded default rootfs (init, sh and levbox from userspace/) and the busybox rootfs of
// tools/busybox-rootfs.sh (busybox init reading its inittab, a login ash, poweroff through reboot(2)), driven by a
// session on standard input. The interactive side, through a pseudo-terminal, is tests/interactive/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, available, levitate } from '../support/tools.js';

const BUSYBOX_ROOT = `${ROOT}.cache/rootfs/busybox-arm64`;

describe('levitate boot: the default rootfs', () => {
  it('boots init and sh, runs a session from stdin and ends with the shell status', () => {
    const r = levitate(['boot'], {
      input: [
        'echo pid $$',
        'ls /',
        'ls /bin',
        'cat /proc/1/cmdline',
        'echo',
        'cat /proc/mounts',
        'echo kept > /tmp/f',
        'cat /tmp/f',
        'echo no > /etc/f',
        'exit 7',
      ].join('\n'),
    });
    expect(r.stderr).toBe('sh: cannot create /etc/f: Read-only file system\n');
    expect(r.status).toBe(7);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe('pid 2');
    expect(r.stdout).toContain('bin\ndev\netc\nproc\nroot\nsbin\ntmp\nusr\n');
    expect(r.stdout).toContain('cat\necho\nenv\nfalse\nhead\nkill\nlevbox\nls\nsh\nsleep\nsort\ntrue\nwc\n');
    expect(r.stdout).toContain('/sbin/init\0\n');
    expect(r.stdout).toMatch(/^\S+ \/ hostfs ro[ ,]/m);
    expect(r.stdout).toMatch(/^tmpfs \/tmp tmpfs rw[ ,]/m);
    expect(r.stdout).toMatch(/^tmpfs \/root tmpfs rw[ ,]/m);
    expect(r.stdout).toContain('kept\n');
  });

  it('runs the kernel conformance tests inside the booted system (levbox test)', () => {
    const r = levitate(['boot'], { input: 'levbox test\n' });
    expect(r.stdout, r.stderr).toMatch(/^(\d+) passed, 0 failed$/m);
    const passed = Number(/^(\d+) passed/m.exec(r.stdout)![1]);
    const tests = readdirSync(`${ROOT}userspace/tests`).filter((f) => f.endsWith('.musl'));
    expect(passed).toBe(tests.length);
    expect(r.status).toBe(0);
  });

  it('keeps nothing between boots: tmpfs starts empty', () => {
    const first = levitate(['boot'], { input: 'echo a > /tmp/mark; echo b > /root/mark; ls /tmp /root\n' });
    expect(first.stdout).toContain('mark');
    const second = levitate(['boot'], { input: 'ls /tmp /root; echo end\n' });
    expect(second.stdout).not.toContain('mark');
    expect(second.stdout).toContain('end');
  });

  it('boots --root DIR read-write, with /tmp as tmpfs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levitate-bootroot-'));
    try {
      execFileSync('cp', ['-a', `${ROOT}userspace/init.musl`, join(dir, 'init')]);
      execFileSync('mkdir', ['-p', join(dir, 'sbin'), join(dir, 'bin'), join(dir, 'tmp')]);
      execFileSync('mv', [join(dir, 'init'), join(dir, 'sbin/init')]);
      execFileSync('cp', [`${ROOT}userspace/sh.musl`, join(dir, 'bin/sh')]);
      execFileSync('cp', [`${ROOT}userspace/levbox.musl`, join(dir, 'bin/echo')]);
      const r = levitate(['boot', '--root', dir], { input: 'echo written > /note\necho gone > /tmp/note\n' });
      expect(r.status, r.stderr).toBe(0);
      expect(execFileSync('cat', [join(dir, 'note')], { encoding: 'utf8' })).toBe('written\n');
      expect(existsSync(join(dir, 'tmp/note'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong when the root has no /sbin/init', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levitate-bootroot-'));
    try {
      const r = levitate(['boot', '--root', dir]);
      expect(r.status).toBe(127);
      expect(r.stderr).toBe(`levitate: /sbin/init: no such file in ${dir}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const bb = available('busybox boot', { files: [`${ROOT}.cache/debian/busybox-arm64/bin/busybox`] });

describe.runIf(bb)('levitate boot: the busybox rootfs', () => {
  beforeAll(() => {
    execFileSync('bash', [`${ROOT}tools/busybox-rootfs.sh`], { stdio: ['ignore', 'inherit', 'inherit'] });
  });

  it('busybox init runs its inittab: a login ash on the console, then poweroff -f through reboot(2)', () => {
    const r = levitate(['boot', '--root', BUSYBOX_ROOT], {
      input: ['echo pid $$ parent $PPID', 'ps -o pid,comm', 'mount', 'hostname', 'cd /tmp && echo hi > f && cat /tmp/f', 'exit 3'].join('\n'),
    });
    // The shell's status does not matter to init: the system powers off cleanly.
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^pid (\d+) parent 1$/m);
    expect(out).toMatch(/^\s+1 init$/m);
    expect(out).toMatch(/^tmpfs on \/tmp type tmpfs \(rw/m);
    expect(out).toMatch(/^proc on \/proc type proc /m);
    expect(out).toContain('\nlevitate\n');
    expect(out).toContain('\nhi\n');
  });

  it('poweroff -f and reboot -f from the shell stop the whole system at once', () => {
    for (const cmd of ['poweroff -f', 'reboot -f', 'halt -f']) {
      const r = levitate(['boot', '--root', BUSYBOX_ROOT], { input: `sleep 100 &\necho started\n${cmd}\necho not reached\n` });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('started\n');
    }
  });
});
