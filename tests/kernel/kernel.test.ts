// Kernel behaviour seen from the command line: CPU exceptions become signals with a shell's status and a clear
// report; the root jail holds against `..` and symlinks; --strace shows calls and errno names.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { A } from '../diff/asm.js';
import { writeProgramFile } from '../diff/elf-writer.js';
import { BUSYBOX, LEVITATE, ROOT, available, levitate, run } from '../support/tools.js';


describe('command line', () => {
  it('--version prints the package version', () => {
    const r = levitate(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version}\n`);
  });
});

describe('CPU exceptions', () => {
  it('an instruction of an extension we do not advertise (LSE ldadd) dies of SIGILL with PC, encoding, disassembly', () => {
    const r = levitate(['run', writeProgramFile([0xf8200020])]); // ldadd x0, x0, [x1]
    expect(r.status).toBe(132);
    expect(r.stderr).toContain('pc 0x400000');
    expect(r.stderr).toContain('0xf8200020');
    expect(r.stderr).toContain('ldadd');
    expect(r.stderr).toContain('Illegal instruction');
  });
  it('a load through a null pointer dies of SIGSEGV (status 139)', () => {
    const r = levitate(['run', writeProgramFile([A.movz(0, 0, 0), A.ldrX(1, 0, 0)])]);
    expect(r.status).toBe(139);
    expect(r.stderr).toContain('Segmentation fault');
  });
  it('BRK gives SIGTRAP (status 133)', () => {
    const r = levitate(['run', writeProgramFile([0xd4200000])]);
    expect(r.status).toBe(133);
  });
  it('syscalls 1000 and 1001 answer ENOSYS, shown by --strace', () => {
    const r = levitate(['run', '--strace', writeProgramFile([
      A.movz(8, 1000, 0), A.svc0(), A.movz(8, 1001, 0), A.svc0(), A.movz(0, 7, 0), A.movz(8, 94, 0), A.svc0(),
    ])]);
    expect(r.status).toBe(7);
    expect(r.stderr).toMatch(/syscall_0x3e8\(.*\) += -1 ENOSYS \(Function not implemented\)/);
    expect(r.stderr).toMatch(/syscall_0x3e9\(.*\) = -1 ENOSYS/);
    expect(r.stderr).toMatch(/exit_group\(7\) += \?/);
  });
  it('--timeout ends a guest that loops forever', () => {
    const r = levitate(['run', '--timeout', '0.5', writeProgramFile([0x14000000])]); // b .
    expect(r.status).toBe(137);
  });
});

describe('environment', () => {
  const hello = `${ROOT}samples/hello/hello.musl`;
  it('passes the host environment by default, as qemu-user does', () => {
    expect(levitate(['run', hello]).stdout).toContain(`HOME is ${process.env.HOME}`);
  });
  it('--clear-env and --env set exactly what the guest sees', () => {
    expect(levitate(['run', '--clear-env', hello]).stdout).toContain('HOME is (unset)');
    expect(levitate(['run', '--clear-env', '--env', 'HOME=/guest', hello]).stdout).toContain('HOME is /guest');
    expect(levitate(['run', '--env', 'HOME=/over', hello]).stdout).toContain('HOME is /over');
  });
});

describe('pipes', () => {
  const ok = available('SIGPIPE (busybox)', { files: [BUSYBOX] });
  it.runIf(ok)('writing to a pipe whose reader is gone ends the guest with SIGPIPE (141), silently', () => {
    const r = run('bash', ['-c', `node ${LEVITATE} run ${BUSYBOX} seq 1 1000000 | head -n 1; echo "status \${PIPESTATUS[0]}"`]);
    expect(r.stdout).toBe('1\nstatus 141\n');
    expect(r.stderr).toBe('');
  });
});

describe('root jail', () => {
  const ok = available('root jail (busybox)', { files: [BUSYBOX] });
  it('with --root, an absolute program path names a file of the guest tree (as under chroot)', () => {
    const root = mkdtempSync(join(tmpdir(), 'levitate-root-'));
    mkdirSync(join(root, 'bin'));
    copyFileSync(`${ROOT}samples/hello/hello.musl`, join(root, 'bin/hello'));
    const r = levitate(['run', '--root', root, '/bin/hello']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Hello from Levitate!');
    expect(levitate(['run', '--root', root, join(root, 'bin/hello')]).status).toBe(0); // a host path inside it
    expect(levitate(['run', '--root', root, '/bin/missing']).status).toBe(127);
  });
  it.runIf(ok)('`..`, absolute and relative symlinks and loops stay inside --root', () => {
    const root = mkdtempSync(join(tmpdir(), 'levitate-root-'));
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'etc'));
    copyFileSync(BUSYBOX, join(root, 'bin/busybox'));
    writeFileSync(join(root, 'etc/inside'), 'inside the root\n');
    symlinkSync('/', join(root, 'escape'));
    symlinkSync('../../../../../../..', join(root, 'up'));
    symlinkSync('/loop2', join(root, 'loop1'));
    symlinkSync('/loop1', join(root, 'loop2'));
    const bb = join(root, 'bin/busybox');
    const cat = (path: string) => levitate(['run', '--root', root, bb, 'cat', path], { cwd: root });
    expect(cat('/etc/inside').stdout).toBe('inside the root\n');
    expect(cat('/escape/etc/inside').stdout).toBe('inside the root\n');
    expect(cat('/up/etc/inside').stdout).toBe('inside the root\n');
    expect(cat('../../../../etc/inside').stdout).toBe('inside the root\n');
    const host = cat('/escape/../../../etc/hostname');
    expect(host.status).toBe(1);
    expect(host.stderr).toContain('No such file or directory');
    expect(cat('/loop1').stderr).toContain('Too many levels of symbolic links');
    const ls = levitate(['run', '--root', root, bb, 'ls', '/up/'], { cwd: root });
    expect(ls.stdout.split(/\s+/).sort().filter(Boolean)).toEqual(['bin', 'escape', 'etc', 'loop1', 'loop2', 'up']);
  });
  it('a program outside the root is refused with one line', () => {
    const root = mkdtempSync(join(tmpdir(), 'levitate-root-'));
    const r = levitate(['run', '--root', root, `${ROOT}samples/hello/hello.musl`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^levitate: .*outside the root/);
  });
});

describe('processes', () => {
  const ok = available('process kernel tests', { files: [BUSYBOX] });
  it.runIf(ok)('--strace follows children: clone flags, [pid N] prefixes, execve with its argv', () => {
    const r = levitate(['run', '--strace', BUSYBOX, 'sh', '-c', 'true | cat']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/clone\(child_stack=NULL, flags=CLONE_CHILD_CLEARTID\|CLONE_CHILD_SETTID\|SIGCHLD, child_tidptr=0x[0-9a-f]+\) = \d+/);
    expect(r.stderr).toMatch(/\[pid +\d+\] execve\("\/proc\/self\/exe", \["cat"\], 0x[0-9a-f]+ \/\* \d+ vars \*\/\) += 0/);
    expect(r.stderr).toMatch(/wait4\(-1, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 0\}\], 0, NULL\) = \d+/);
  });
  it.runIf(ok)("ppoll waits on the host's stdin: input that comes late is read, none within the timeout is not", () => {
    const late = run('sh', ['-c', `(sleep 0.3; echo hi) | node ${LEVITATE} run ${BUSYBOX} sh -c 'read -t 5 x; echo "got $x $?"'`]);
    expect(late.stdout).toBe('got hi 0\n');
    const none = run('sh', ['-c', `(sleep 2; echo late) | node ${LEVITATE} run ${BUSYBOX} sh -c 'read -t 0.2 x; echo "got [$x] $?"'`]);
    expect(none.stdout).toBe('got [] 1\n');
  });
  it('a second exec of the same image does not translate it again', () => {
    const hello = `${ROOT}samples/hello/hello.musl`;
    const r = levitate(['run', '--stats', '--no-cache', `${ROOT}userspace/sh.musl`, '-c', `${hello} > /dev/null; ${hello} > /dev/null`]);
    expect(r.status).toBe(0);
    // sh and hello are translated once each; the second hello finds its translation in memory.
    expect(r.stderr).toContain('3 processes, 2 execs; images: 2 translated, 0 from the disk cache, 1 already in memory');
  });
  it('engines take over module instances: no more are made than engines ran at once', () => {
    const made = (stderr: string) => /module instances \(one per engine\): (\d+) made, (\d+) taken over/.exec(stderr)?.slice(1).map(Number) ?? [];
    // 4 worker threads at once, then 102 more one after another (the test's own checks must pass too).
    const threads = levitate(['run', '--stats', `${ROOT}userspace/tests/threads.musl`]);
    expect(threads.status).toBe(0);
    const [t, tReused] = made(threads.stderr);
    expect(t).toBeLessThanOrEqual(5);
    expect(t + tReused).toBe(107);
    // Ten fork+exec cycles of one image: the pool's memories come back with their instances.
    const sh = levitate(['run', '--stats', `${ROOT}userspace/sh.musl`, '-c', Array(10).fill(`${ROOT}userspace/levbox.musl true`).join('; ')]);
    expect(sh.status).toBe(0);
    const [s, sReused] = made(sh.stderr);
    expect(s).toBeLessThanOrEqual(4);
    expect(s + sReused).toBeGreaterThanOrEqual(21);
  });
  it.runIf(ok)('fork past the process limit answers EAGAIN, and nothing else changes', () => {
    const r = levitate(['run', BUSYBOX, 'sh', '-c', 'i=0; while [ $i -lt 600 ]; do sleep 5 & i=$((i+1)); done']);
    expect(r.stderr).toContain("can't fork: Resource temporarily unavailable");
  });
  it('a run whose every task waits for something that cannot come ends with a deadlock report', () => {
    // pipe2(fds, 0) then read(fds[0], sp, 1): the process holds the only writer itself.
    const r = levitate(['run', writeProgramFile([
      0xd10043ff, 0x910003e0, A.movz(1, 0, 0), A.movz(8, 59, 0), A.svc0(), 0xb94003e0, 0x910003e1, A.movz(2, 1, 0), A.movz(8, 63, 0), A.svc0(),
    ])]);
    expect(r.stderr).toContain('deadlock');
    expect(r.status).toBe(137);
  });
});

describe('scheduler', () => {
  const ok = available('scheduler test', { files: [BUSYBOX] });
  it.runIf(ok)('a guest sleeping in nanosleep costs no CPU: nothing busy-waits (D10)', async () => {
    const { runProgram } = await import(`${ROOT}dist/kernel/kernel.js`);
    const opts = { root: '/', program: BUSYBOX, env: [], engine: 'interp', cacheDir: null, log: () => {} };
    await runProgram({ ...opts, argv: ['busybox', 'true'] }); // warm: modules loaded, code decoded
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await runProgram({ ...opts, argv: ['busybox', 'sleep', '1.5'] });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    expect(r.status).toBe(0);
    expect(wall).toBeGreaterThanOrEqual(1.45);
    // Start-up costs some CPU; a loop polling for the timer would cost the whole 1.5 s.
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(wall / 2);
  });
});
