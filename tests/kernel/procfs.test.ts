// /proc (kernel/fs/procfs.ts) as Debian's arm64 busybox sees it in the arm64 rootfs: ps, free, uptime, mount,
// /proc/self/{cmdline,environ,fd,exe,maps,stat,status} and the system files. Where Linux's output is
// deterministic it is compared as is; otherwise the shape is checked field by field.
import { execFileSync } from 'node:child_process';
import { totalmem } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUSYBOX, ROOT, available, levitate, splitSections } from '../support/tools.js';

const ARM64 = `${ROOT}.cache/rootfs/busybox-arm64`;
const ok = available('procfs', { files: [BUSYBOX] });

/** `busybox ash -c script` in the arm64 rootfs with a known environment. */
function ash(script: string) {
  return levitate(['run', '--root', ARM64, '--clear-env', '--env', 'PATH=/bin:/sbin:/usr/bin:/usr/sbin', '--env', 'FOO=bar', '/bin/busybox', 'ash', '-c', script]);
}

/** One run, its output cut at `=== name` lines: one guest start for many checks. */
function sections(script: string): Record<string, string> {
  const r = ash(script);
  expect(r.status, r.stderr).toBe(0);
  return splitSections(r.stdout);
}

describe.runIf(ok)('/proc under busybox', () => {
  let s: Record<string, string> = {};
  beforeAll(() => {
    execFileSync('bash', [`${ROOT}tools/busybox-rootfs.sh`], { stdio: ['ignore', 'inherit', 'inherit'] });
    s = sections([
      'echo "=== cmdline"; cat /proc/self/cmdline | tr "\\0" " "; echo',
      'echo "=== environ"; tr "\\0" "\\n" < /proc/self/environ',
      'echo "=== fd"; ls -l /proc/self/fd 2>/dev/null',
      'echo "=== fdpipe"; ls -l /proc/self/fd 2>/dev/null | cat',
      'echo "=== links"; readlink /proc/self/exe; readlink /proc/$$/cwd; cd /tmp; readlink /proc/self/cwd; [ "$(readlink /proc/self)" -gt $$ ] && echo self-ok',
      'echo "=== maps"; cat /proc/self/maps',
      'echo "=== stat"; cat /proc/self/stat; cat /proc/$$/stat',
      'echo "=== status"; cat /proc/self/status',
      'echo "=== free"; free',
      'echo "=== uptime"; uptime; cat /proc/uptime',
      'echo "=== mount"; mount',
      'echo "=== system"; cat /proc/version /proc/filesystems /proc/loadavg',
      'echo "=== cpuinfo"; cat /proc/cpuinfo',
      'echo "=== meminfo"; cat /proc/meminfo',
      'echo "=== ls"; ls /proc; ls -ld /proc /proc/self /proc/1 /proc/1/exe /proc/version | cut -c1-10',
      'echo "=== comm"; cat /proc/self/comm; cat /proc/$$/comm',
      'echo "=== task"; ls /proc/self/task | grep -c .; cat /proc/$$/task/1/comm; ls /proc/1/task/1',
      'echo "=== sys"; ls /proc/sys /proc/sys/kernel; cat /proc/sys/kernel/osrelease /proc/sys/kernel/ostype',
      'echo "=== cpu"; i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; cut -d" " -f14-17 /proc/$$/stat; times',
      'echo "=== errors"; echo x 2>&1 > /proc/version; cat /proc/99999/stat 2>&1; touch /proc/new 2>&1; cat /proc/1/nothing 2>&1; true',
    ].join('\n'));
  }, 300_000);

  it('ps lists the processes with their pids and commands', () => {
    // Once the child has exec'd sleep (its cmdline says so) ps runs.
    const script = 'sleep 1 & echo "bg=$!"; until grep -q sleep /proc/$!/cmdline; do usleep 10000; done; ps; ps -o pid,ppid,stat,comm; wait';
    const r = ash(script);
    expect(r.status, r.stderr).toBe(0);
    const bg = Number(/^bg=(\d+)$/m.exec(r.stdout)![1]);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('PID   USER     COMMAND');
    const rows = lines.map((l) => /^\s*(\d+) (\S+)\s+(.*)$/.exec(l)).filter((m) => m !== null);
    expect(rows.find((m) => m[1] === '1')?.[3]).toBe(`/bin/busybox ash -c ${script}`);
    expect(rows.find((m) => Number(m[1]) === bg)?.[3]).toBe('sleep 1');
    expect(rows.every((m) => m[2] === 'root' || /^\d+$/.test(m[2]))).toBe(true);
    // -o: the sleeping child of pid 1, and ps itself running.
    expect(r.stdout).toMatch(new RegExp(`^\\s*${bg}\\s+1 S\\s+sleep$`, 'm'));
    expect(r.stdout).toMatch(/^\s*1\s+0 S\s+busybox$/m);
    // ps runs in a forked busybox that names itself with prctl(PR_SET_NAME), as native busybox shows it.
    expect(r.stdout).toMatch(/^\s*\d+\s+1 R\s+ps$/m);
  });

  it('/proc/self/cmdline and environ hold argv and envp', () => {
    expect(s.cmdline).toBe('cat /proc/self/cmdline \n');
    expect(s.environ.split('\n')).toEqual(expect.arrayContaining(['FOO=bar', 'PATH=/bin:/sbin:/usr/bin:/usr/sbin']));
  });

  it('ls -l /proc/self/fd shows 0, 1, 2 as links', () => {
    // The host's stdio from spawnSync is socket pairs (as Linux would show them); 2 is the guest's /dev/null.
    for (const fd of [0, 1]) expect(s.fd).toMatch(new RegExp(`^lrwxrwxrwx .* ${fd} -> (pipe|socket):\\[\\d+\\]$`, 'm'));
    expect(s.fd).toMatch(/^lrwxrwxrwx .* 2 -> \/dev\/null$/m);
    // The guest's own pipe to cat, as stdout.
    expect(s.fdpipe).toMatch(/^lrwxrwxrwx .* 1 -> pipe:\[\d+\]$/m);
  });

  it('readlink: exe, cwd, self', () => {
    expect(s.links).toBe('/bin/busybox\n/\n/tmp\nself-ok\n');
  });

  it('/proc/self/maps: the executable, [stack], [vdso], in Linux format', () => {
    const lines = s.maps.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(/^[0-9a-f]{8,}-[0-9a-f]{8,} [r-][w-][x-]p [0-9a-f]{8} 00:00 \d+ ( {20,}\S.*)?$/);
    expect(lines.some((l) => / r-xp .* \/bin\/busybox$/.test(l))).toBe(true);
    expect(lines.some((l) => / rw-p .* \[stack\]$/.test(l))).toBe(true);
    expect(lines.some((l) => / r-xp .* \[vdso\]$/.test(l))).toBe(true);
    // Linux's column: the name starts at character 74.
    const stack = lines.find((l) => l.endsWith('[stack]'))!;
    expect(stack.indexOf('[stack]')).toBe(73);
  });

  it('/proc/[pid]/stat: 52 fields in order', () => {
    const [self, shell] = s.stat.trimEnd().split('\n').map((l) => {
      const m = /^(\d+) \((.*)\) (.*)$/.exec(l)!;
      return [m[1], m[2], ...m[3].split(' ')];
    });
    expect(self.length).toBe(52);
    expect(shell.length).toBe(52);
    // pid (comm) state ppid pgrp session ... num_threads (20th) ... exit_signal (38th)
    expect(self.slice(1, 4)).toEqual(['cat', 'R', '1']);
    expect(shell.slice(0, 6)).toEqual(['1', 'busybox', 'S', '0', '1', '1']);
    expect(self[19]).toBe('1');
    expect(self[37]).toBe('17');
    expect(Number(self[22])).toBeGreaterThan(0); // vsize
  });

  it('/proc/self/status', () => {
    const f = Object.fromEntries(s.status.trimEnd().split('\n').map((l) => l.split(':\t')));
    expect(f).toMatchObject({ Name: 'cat', State: 'R (running)', PPid: '1', Uid: '0\t0\t0\t0', Threads: '1' });
    expect(f.Pid).toBe(f.Tgid);
    expect(f.VmRSS).toMatch(/^ +\d+ kB$/);
    expect(parseInt(f.VmRSS)).toBeLessThanOrEqual(parseInt(f.VmSize));
  });

  it('comm: the last component of the path exec was given', () => {
    expect(s.comm).toBe('cat\nbusybox\n');
  });

  it('task/: one directory per thread, with comm, stat and status', () => {
    expect(s.task).toBe('1\nbusybox\ncomm\nstat\nstatus\n');
  });

  it('/proc/sys/kernel: the release and the type', () => {
    expect(s.sys).toBe('/proc/sys:\nfs\nkernel\nvm\n\n/proc/sys/kernel:\nhostname\nngroups_max\nosrelease\nostype\npid_max\nversion\n6.1.0-levitate\nLinux\n');
  });

  it('CPU time: a busy shell has user time in /proc/[pid]/stat, and times agrees', () => {
    const [stat, shellTimes, childTimes] = s.cpu.trimEnd().split('\n');
    const [utime, stime, cutime, cstime] = stat.split(' ').map(Number);
    expect(utime).toBeGreaterThan(0);
    for (const t of [stime, cutime, cstime]) expect(t).toBeGreaterThanOrEqual(0);
    const secs = (x: string) => x.split(' ').map((t) => /^(\d+)m(\d+\.\d+)s$/.exec(t)!).map((m) => 60 * Number(m[1]) + Number(m[2]));
    const [user] = secs(shellTimes);
    expect(user).toBeGreaterThanOrEqual(utime / 100);
    // cut (a reaped child) has run by then: the children's line counts it.
    expect(secs(childTimes).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(0);
  });

  it('free prints the host memory', () => {
    const mem = /^Mem:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(s.free)!;
    const [total, used, free] = mem.slice(1, 4).map(Number);
    expect(total).toBe(Math.floor(totalmem() / 1024));
    expect(used + free).toBeLessThanOrEqual(total);
    expect(s.free).toMatch(/^Swap:\s+0\s+0\s+0$/m);
  });

  it('uptime parses; /proc/uptime counts from the kernel start', () => {
    const [line, proc] = s.uptime.trimEnd().split('\n');
    expect(line).toMatch(/^ \d\d:\d\d:\d\d up .* load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d$/);
    const [up, idle] = proc.split(' ').map(Number);
    expect(up).toBeGreaterThan(0);
    expect(up).toBeLessThan(300);
    expect(idle).toBeGreaterThanOrEqual(0);
  });

  it('mount shows /, /proc and /dev', () => {
    expect(s.mount).toBe(
      'hostfs on / type hostfs (rw,relatime)\nproc on /proc type proc (rw,nosuid,nodev,noexec,relatime)\n' +
        'devtmpfs on /dev type devtmpfs (rw,nosuid,relatime,mode=755)\n',
    );
  });

  it('version, filesystems, loadavg, cpuinfo, meminfo', () => {
    const lines = s.system.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Linux version 6\.1\.0-levitate .*Levitate/);
    expect(lines.slice(1, -1)).toContain('nodev\tproc');
    expect(lines.at(-1)).toMatch(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d [1-9]\d*\/[1-9]\d* [1-9]\d*$/);
    expect(s.cpuinfo).toMatch(/^processor\t: 0\nBogoMIPS\t: [\d.]+\nFeatures\t: fp asimd\n/);
    expect(s.cpuinfo).toContain('CPU implementer\t: 0x41\n');
    for (const k of ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapTotal', 'SwapFree']) {
      expect(s.meminfo).toMatch(new RegExp(`^${k}: +\\d+ kB$`, 'm'));
    }
  });

  it('ls: pids, self and the files, with Linux modes', () => {
    const [list, modes] = [s.ls.split('\n').slice(0, -6), s.ls.trimEnd().split('\n').slice(-5)];
    expect(list).toEqual(expect.arrayContaining(['1', 'self', 'cpuinfo', 'meminfo', 'uptime', 'loadavg', 'mounts', 'version']));
    // ls sorts: /proc /proc/1 /proc/1/exe /proc/self /proc/version
    expect(modes).toEqual(['dr-xr-xr-x', 'dr-xr-xr-x', 'lrwxrwxrwx', 'lrwxrwxrwx', '-r--r--r--']);
  });

  it('read-only, and ENOENT for what is not there', () => {
    expect(s.errors).toBe(
      "ash: can't create /proc/version: Permission denied\n" +
        "cat: can't open '/proc/99999/stat': No such file or directory\n" +
        'touch: /proc/new: Permission denied\n' +
        "cat: can't open '/proc/1/nothing': No such file or directory\n",
    );
  });

  it("is the kernel's /proc whatever the root: never the host's", () => {
    const r = levitate(['run', BUSYBOX, 'cat', '/proc/version', '/proc/self/cmdline']);
    expect(r.stdout).toBe(`${s.system.split('\n')[0]}\n${BUSYBOX}\0cat\0/proc/version\0/proc/self/cmdline\0`);
  });
});
