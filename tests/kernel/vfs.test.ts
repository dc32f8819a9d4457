// The mount table (kernel/fs/vfs.ts) as Debian's arm64 busybox sees it over its rootfs: --mount and --tmpfs,
// jail escapes through `..`, symlinks and /proc links, EROFS on read-only mounts, EXDEV across mounts, a tmpfs's
// life on the host, and what /proc/mounts, mount, df and stat -f say. The unit tests at the end need no busybox.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRNO } from '../../kernel/abi/errno.js';
import { FS_MAGIC, ST, STATFS_SIZE, encodeStatfs } from '../../kernel/abi/statfs.js';
import { Vfs, mountsText, parseMountOption, parseTmpfsOption, type Resolved } from '../../kernel/fs/vfs.js';
import { mountStatfs } from '../../kernel/syscalls/statfs.js';
import { LevitateError } from '../../translator/errors.js';
import { BUSYBOX, LEVITATE, ROOT, TEST_CACHE, available, levitate, splitSections } from '../support/tools.js';

const ARM64 = `${ROOT}.cache/rootfs/busybox-arm64`;
const ok = available('vfs', { files: [BUSYBOX] });

/** `busybox ash -c script` in the arm64 rootfs; `opts` (mounts, --strace) come before the program. */
function ash(opts: string[], script: string) {
  return levitate(['run', '--root', ARM64, ...opts, '--clear-env', '--env', 'PATH=/bin:/sbin:/usr/bin:/usr/sbin', '/bin/busybox', 'ash', '-c', script]);
}

/** One run, its output cut at `=== name` lines. */
function sections(opts: string[], script: string): Record<string, string> {
  const r = ash(opts, script);
  expect(r.status, r.stderr).toBe(0);
  return splitSections(r.stdout);
}

/** Host directories made for a test, removed at the end. */
const made: string[] = [];
function hostDir(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `levitate-vfs-${name}-`));
  made.push(d);
  return d;
}
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** Entries of a backing directory of this test's tmpfs mounts (TMPDIR points the kernel there). */
const tmpfsDirs = (tmp: string) => readdirSync(tmp).filter((n) => n.startsWith('levitate-tmpfs-'));

/** Polls `f` until it gives a value, for at most `ms`. */
async function until<T>(f: () => T | null, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.runIf(ok)('mounts under busybox', () => {
  let rootList = '';
  let passwd = '';
  beforeAll(() => {
    execFileSync('bash', [`${ROOT}tools/busybox-rootfs.sh`], { stdio: ['ignore', 'inherit', 'inherit'] });
    rootList = readdirSync(ARM64).filter((n) => !n.startsWith('.')).sort().join('\n') + '\n';
    passwd = readFileSync(`${ARM64}/etc/passwd`, 'utf8');
  }, 300_000);

  it('jail: `..`, absolute and relative symlinks, loops and /proc/self/root all stay inside the guest root', () => {
    const s = sections(['--tmpfs', '/tmp'], [
      'echo "=== root"; ls /',
      'echo "=== dotdot"; cd /tmp && cd ../../../.. && pwd -P && ls',
      'echo "=== abs"; ln -s / /tmp/x && ls /tmp/x/..',
      'echo "=== absdeep"; ls /tmp/x/../../../..',
      'echo "=== rel"; ln -s ../../../../../../../../../.. /tmp/rel && ls /tmp/rel/',
      'echo "=== loop"; ln -s /tmp/loop2 /tmp/loop1; ln -s /tmp/loop1 /tmp/loop2; cat /tmp/loop1 2>&1; true',
      'echo "=== procroot"; readlink /proc/self/root; ls /proc/self/root/..',
      'echo "=== procrootdeep"; ls /proc/self/root/../../proc/self/root/../..',
      'echo "=== proccwd"; cd /tmp && readlink /proc/self/cwd && cd -P /proc/self/cwd/../.. && pwd -P && ls',
      'echo "=== passwd"; cat /tmp/x/../../etc/passwd /tmp/rel/etc/passwd /proc/self/root/../etc/passwd',
    ].join('\n'));
    expect(s.root).toBe(rootList);
    expect(s.dotdot).toBe('/\n' + rootList);
    for (const k of ['abs', 'absdeep', 'rel', 'procrootdeep']) expect(s[k], k).toBe(rootList);
    expect(s.loop).toBe("cat: can't open '/tmp/loop1': Too many levels of symbolic links\n");
    expect(s.procroot).toBe('/\n' + rootList);
    expect(s.proccwd).toBe('/tmp\n/\n' + rootList);
    expect(s.passwd).toBe(passwd.repeat(3));
  });

  it('a symlink on a --mount directory is read in the guest namespace, and cwd/getcwd are guest paths', () => {
    const data = hostDir('links');
    mkdirSync(join(data, 'sub'));
    symlinkSync('/', join(data, 'toroot'));
    symlinkSync('../../../../../../..', join(data, 'up'));
    symlinkSync('/etc', join(data, 'etc'));
    symlinkSync('/proc/self/root', join(data, 'pr'));
    const s = sections(['--mount', `${data}:/root`], [
      'echo "=== toroot"; ls /root/toroot/',
      'echo "=== up"; ls /root/up/',
      'echo "=== upcd"; cd -P /root/sub/../up && pwd -P',
      'echo "=== etc"; cat /root/etc/passwd',
      'echo "=== pr"; ls /root/pr/',
      'echo "=== readlink"; readlink /root/toroot; readlink /root/pr',
      'echo "=== cwd"; cd /root/sub && pwd -P && readlink /proc/self/cwd && ls -d /proc/self/cwd/../sub',
    ].join('\n'));
    for (const k of ['toroot', 'up', 'pr']) expect(s[k], k).toBe(rootList);
    expect(s.upcd).toBe('/\n');
    expect(s.etc).toBe(passwd); // the rootfs's, not the host's /etc/passwd
    expect(s.readlink).toBe('/\n/proc/self/root\n');
    expect(s.cwd).toBe('/root/sub\n/root/sub\n/proc/self/cwd/../sub\n');
  });

  it('a program and a host cwd inside a --mount directory get their guest paths', () => {
    const data = hostDir('prog');
    mkdirSync(join(data, 'sub'));
    execFileSync('cp', [BUSYBOX, join(data, 'busybox')]);
    const script = 'pwd; readlink /proc/self/exe; readlink /proc/$$/exe';
    const byGuest = levitate(['run', '--root', ARM64, '--mount', `${data}:/root`, '/root/busybox', 'sh', '-c', script], { cwd: join(data, 'sub') });
    expect(byGuest.stdout, byGuest.stderr).toBe('/root/sub\n/root/busybox\n/root/busybox\n');
    const byHost = levitate(['run', '--root', ARM64, '--mount', `${data}:/root`, '../busybox', 'sh', '-c', script], { cwd: join(data, 'sub') });
    expect(byHost.stdout, byHost.stderr).toBe('/root/sub\n/root/busybox\n/root/busybox\n');
  });

  it('rename and link across mounts give EXDEV; busybox mv then moves the file by copying', () => {
    const data = hostDir('xdev');
    const script = 'echo moved > /tmp/a; mv /tmp/a /root/b; echo "mv=$?"; cat /root/b; ls -A /tmp; ln /root/b /tmp/c; echo "ln=$?"; ' +
      'ln /root/b /root/c && mv /root/c /root/d && echo same-mount';
    const r = ash(['--strace', '--tmpfs', '/tmp', '--mount', `${data}:/root`], script);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/renameat2?\(AT_FDCWD, "\/tmp\/a", AT_FDCWD, "\/root\/b"[^)]*\) = -1 EXDEV/);
    expect(r.stderr).toMatch(/linkat\(AT_FDCWD, "\/root\/b", AT_FDCWD, "\/tmp\/c"[^)]*\) = -1 EXDEV/);
    expect(r.stderr).toContain('ln: /tmp/c: Invalid cross-device link');
    expect(r.stdout).toBe('mv=0\nmoved\nln=1\nsame-mount\n');
    expect(readdirSync(data).sort()).toEqual(['b', 'd']);
    expect(readFileSync(join(data, 'b'), 'utf8')).toBe('moved\n');
  });

  it('a read-only mount gives EROFS for every write and reads work; the host directory is untouched', () => {
    const data = hostDir('ro');
    writeFileSync(join(data, 'f'), 'read only\n');
    mkdirSync(join(data, 'sub'));
    const before = statSync(join(data, 'f'));
    const writes = [
      'touch /root/new', 'touch /root/f', 'rm /root/f', 'rmdir /root/sub', 'mkdir /root/d', 'mv /root/f /root/g',
      'chmod 600 /root/f', 'ln -s f /root/l', 'ln /root/f /root/h', 'truncate -s 0 /root/f', 'cp /etc/passwd /root/',
    ];
    const s = sections(['--mount', `${data}:/root:ro`, '--tmpfs', '/tmp'], [
      'echo "=== read"; cat /root/f; ls /root',
      `echo "=== writes"; for c in ${writes.map((w) => `"${w}"`).join(' ')}; do $c 2>&1 && echo "$c: succeeded"; done; true`,
      'echo "=== redirect"; (echo x > /root/f) 2>&1; (echo x >> /root/f) 2>&1; true',
      'echo "=== mkdirp"; mkdir -p /root/sub && echo ok',
      'echo "=== copyout"; cp /root/f /tmp/copy && cat /tmp/copy',
      'echo "=== mvout"; mv /root/f /tmp/ 2>&1; ls /tmp',
    ].join('\n'));
    expect(s.read).toBe('read only\nf\nsub\n');
    const lines = s.writes.trimEnd().split('\n');
    expect(lines).toHaveLength(writes.length);
    for (const l of lines) expect(l).toMatch(/Read-only file system$/);
    expect(s.redirect).toBe("ash: can't create /root/f: Read-only file system\n".repeat(2));
    expect(s.mkdirp).toBe('ok\n');
    expect(s.copyout).toBe('read only\n');
    // Across mounts mv copies, then cannot remove the source: the copy stays, as on Linux.
    expect(s.mvout).toBe("mv: can't remove '/root/f': Read-only file system\ncopy\nf\n");
    expect(readdirSync(data).sort()).toEqual(['f', 'sub']);
    const after = statSync(join(data, 'f'));
    expect([after.mode, after.size, after.mtimeMs]).toEqual([before.mode, before.size, before.mtimeMs]);
  });

  it('tmpfs: empty at start, private to one run, and --tmpfs /tmp hides what the root has there', () => {
    const hidden = mkdtempSync(join(ARM64, 'tmp', 'vfs-hidden-'));
    made.push(hidden);
    const plain = ash([], 'ls /tmp');
    expect(plain.stdout.split('\n')).toContain(basename(hidden));
    const first = ash(['--tmpfs', '/tmp'], 'ls -A /tmp; echo one > /tmp/one; mkdir /tmp/d; ls /tmp; ls -ld /tmp | cut -c1-10');
    expect(first.stdout, first.stderr).toBe('d\none\ndrwxrwxrwt\n');
    const second = ash(['--tmpfs', '/tmp'], 'ls -A /tmp; echo "status $?"');
    expect(second.stdout).toBe('status 0\n');
    expect(existsSync(join(ARM64, 'tmp/one'))).toBe(false);
  });

  it('tmpfs: a private host directory while the run lasts, removed when it ends', async () => {
    const tmp = hostDir('tmpdir');
    const child = spawn('node', [LEVITATE, 'run', '--root', ARM64, '--tmpfs', '/tmp', '--timeout', '100', '/bin/busybox', 'ash', '-c',
      'echo guest > /tmp/f; until [ -e /tmp/go ]; do usleep 20000; done; cat /tmp/go'], {
      env: { ...process.env, TMPDIR: tmp, LEVITATE_CACHE_DIR: TEST_CACHE },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The guest's file shows up in the backing directory (once its write is done: the shell creates it first).
    const backing = await until(() => {
      const d = tmpfsDirs(tmp);
      const f = d.length === 1 ? join(tmp, d[0], 'root/f') : '';
      return f && existsSync(f) && readFileSync(f, 'utf8') === 'guest\n' ? join(tmp, d[0]) : null;
    }, 100_000);
    expect(tmpfsDirs(tmp)).toHaveLength(1);
    expect(statSync(backing).mode & 0o777).toBe(0o700);
    writeFileSync(join(backing, 'root/go'), 'from the host\n');
    expect(await exited).toBe(0);
    expect(stdout).toBe('from the host\n');
    expect(tmpfsDirs(tmp)).toEqual([]);
  });

  it('tmpfs: removed too when the host process is killed (SIGTERM, SIGQUIT) or a mount fails', async () => {
    for (const sig of ['SIGTERM', 'SIGQUIT'] as const) {
      const tmp = hostDir(`tmpkill-${sig}`);
      const env = { ...process.env, TMPDIR: tmp, LEVITATE_CACHE_DIR: TEST_CACHE };
      const child = spawn('node', [LEVITATE, 'run', '--root', ARM64, '--tmpfs', '/tmp', '--timeout', '100', '/bin/busybox', 'ash', '-c',
        'echo guest > /tmp/f; sleep 100'], { env, stdio: 'ignore' });
      const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
      await until(() => (tmpfsDirs(tmp).some((d) => existsSync(join(tmp, d, 'root/f'))) ? true : null), 100_000);
      child.kill(sig);
      expect(await exited).toBe(sig); // cleaned up, then dead of the same signal
      expect(tmpfsDirs(tmp)).toEqual([]);
    }
    // The first tmpfs is made, the second mount point is missing: one error line, nothing left behind.
    const r = levitate(['run', '--root', ARM64, '--tmpfs', '/tmp', '--tmpfs', '/nowhere', '/bin/busybox', 'true'], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('levitate: --tmpfs /nowhere: mount point /nowhere: No such file or directory\n');
  });

  it('/proc/mounts lists every mount; mount, df and stat -f show them', () => {
    const data = hostDir('list');
    const s = sections(['--mount', `${data}:/root:ro`, '--tmpfs', '/tmp'], [
      'echo "=== mounts"; cat /proc/mounts',
      'echo "=== self"; cat /proc/self/mounts',
      'echo "=== mount"; mount',
      'echo "=== df"; df',
      'echo "=== dfpath"; df /tmp/. /root',
      'echo "=== statf"; stat -f -c "%n %T %t" / /proc /dev /tmp /root',
    ].join('\n'));
    const mounts =
      'hostfs / hostfs rw,relatime 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n' +
      'devtmpfs /dev devtmpfs rw,nosuid,relatime,mode=755 0 0\nhostfs /root hostfs ro,relatime 0 0\n' +
      'tmpfs /tmp tmpfs rw,nosuid,nodev,relatime 0 0\n';
    expect(s.mounts).toBe(mounts);
    expect(s.self).toBe(mounts);
    expect(s.mount).toBe(
      'hostfs on / type hostfs (rw,relatime)\nproc on /proc type proc (rw,nosuid,nodev,noexec,relatime)\n' +
        'devtmpfs on /dev type devtmpfs (rw,nosuid,relatime,mode=755)\nhostfs on /root type hostfs (ro,relatime)\n' +
        'tmpfs on /tmp type tmpfs (rw,nosuid,nodev,relatime)\n',
    );
    const rows = (text: string) => {
      const [head, ...lines] = text.trimEnd().split('\n');
      expect(head).toMatch(/^Filesystem\s+1K-blocks\s+Used\s+Available\s+Use% Mounted on$/);
      return lines.map((l) => {
        const m = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+% (\S+)$/.exec(l);
        expect(m, l).not.toBeNull();
        expect(Number(m![2])).toBeGreaterThan(0);
        return `${m![5]} ${m![1]}`;
      });
    };
    // /proc has no blocks: df leaves it out, as on Linux.
    expect(rows(s.df)).toEqual(['/ hostfs', '/dev devtmpfs', '/root hostfs', '/tmp tmpfs']);
    // A path is found on its own mount (st_dev differs per mount).
    expect(rows(s.dfpath)).toEqual(['/tmp tmpfs', '/root hostfs']);
    expect(s.statf).toBe('/ UNKNOWN c0ffee\n/proc proc 9fa0\n/dev tmpfs 1021994\n/tmp tmpfs 1021994\n/root UNKNOWN c0ffee\n');
  });

  it('a mount point must be an existing directory: one line, status 2', () => {
    const data = hostDir('bad');
    const cases: [string[], string][] = [
      [['--mount', `${data}:/nowhere`], `--mount ${data}:/nowhere: mount point /nowhere: No such file or directory`],
      [['--tmpfs', '/etc/passwd'], '--tmpfs /etc/passwd: mount point /etc/passwd: Not a directory'],
      [['--mount', `${data}/missing:/root`], `--mount ${data}/missing:/root: host directory '${data}/missing' does not exist`],
      [['--tmpfs', '/proc/x'], "--tmpfs /proc/x: cannot mount inside the kernel's /proc"],
      [['--mount', 'nocolon'], '--mount nocolon: expected HOSTDIR:GUESTDIR[:ro] with an absolute GUESTDIR'],
    ];
    for (const [opts, msg] of cases) {
      const r = levitate(['run', '--root', ARM64, ...opts, '/bin/busybox', 'true']);
      expect(r.status, msg).toBe(2);
      expect(r.stderr).toBe(`levitate: ${msg}\n`);
    }
  });
});

describe('Vfs: the table without a guest', () => {
  function fixture() {
    const root = mkdtempSync(join(tmpdir(), 'levitate-vfs-root-'));
    const other = mkdtempSync(join(tmpdir(), 'levitate-vfs-other-'));
    made.push(root, other);
    for (const d of ['mnt', 'mnt/hidden', 'with space', 'etc']) mkdirSync(join(root, d));
    writeFileSync(join(root, 'etc/file'), 'root file\n');
    mkdirSync(join(other, 'inner'));
    symlinkSync('/etc/file', join(other, 'abs'));
    symlinkSync('../etc', join(other, 'rel'));
    return { root, other };
  }

  it('--mount and --tmpfs options parse, colons in the host path included', () => {
    expect(parseMountOption('/a/b:/data')).toEqual({ kind: 'host', source: '/a/b', target: '/data', readonly: false });
    expect(parseMountOption('rel:/data:ro')).toEqual({ kind: 'host', source: 'rel', target: '/data', readonly: true });
    expect(parseMountOption('x:/data:rw')).toEqual({ kind: 'host', source: 'x', target: '/data', readonly: false });
    expect(parseMountOption('/c:d:/data')).toEqual({ kind: 'host', source: '/c:d', target: '/data', readonly: false });
    for (const bad of ['nocolon', ':/data', 'a:data', 'a:/data:rx']) expect(() => parseMountOption(bad), bad).toThrow(LevitateError);
    expect(parseTmpfsOption('/tmp')).toEqual({ kind: 'tmpfs', target: '/tmp' });
    expect(() => parseTmpfsOption('tmp')).toThrow(LevitateError);
  });

  it('the most recent mount covering a path decides its host file; `..` crosses back; symlinks restart at the guest /', () => {
    const { root, other } = fixture();
    const vfs = new Vfs(root, { mounts: [{ kind: 'host', source: other, target: '/mnt', readonly: true }, { kind: 'tmpfs', target: '/mnt/inner' }] });
    try {
      const r = (p: string, follow = true) => vfs.resolve(p, '/', follow) as Resolved;
      expect(r('/mnt/x').host).toBe(join(other, 'x'));
      expect(r('/mnt/x').mount.readonly).toBe(true);
      expect(r('/mnt/inner/y').mount.fstype).toBe('tmpfs');
      expect(r('/mnt/inner/../x').host).toBe(join(other, 'x'));
      expect(r('/mnt/../etc/file').host).toBe(join(root, 'etc/file'));
      expect(r('/mnt/../../../etc/file').guest).toBe('/etc/file');
      expect(r('/mnt/abs').guest).toBe('/etc/file'); // absolute: from the guest's /
      expect(r('/mnt/rel/file').guest).toBe('/etc/file'); // relative: `..` leaves the mount
      expect(r('/mnt/abs', false).host).toBe(join(other, 'abs'));
      expect(vfs.mountOf('/mntx').target).toBe('/');
      expect(vfs.mountOf('/mnt').target).toBe('/mnt');
      const proc = r('/proc/self/../x');
      expect([proc.mount.fstype, proc.host, proc.guest]).toEqual(['proc', '', '/proc/self/../x']);
      expect(vfs.resolve('/mnt/abs/x', '/', true)).toBe(-ERRNO.ENOTDIR);
      // Host paths back to guest paths: through the mount that shows them, none for what a mount hides.
      expect(vfs.guestOf(join(other, 'inner'))).toBe(null);
      expect(vfs.guestOf(join(other, 'q'))).toBe('/mnt/q');
      expect(vfs.guestOf(join(root, 'mnt/hidden'))).toBe(null);
      expect(vfs.guestOf(join(root, 'etc'))).toBe('/etc');
      expect(vfs.guestOf(tmpdir())).toBe(null);
    } finally {
      vfs.release();
    }
  });

  it('a tmpfs is an empty 1777 directory inside a private 0700 one, gone after release()', () => {
    const { root } = fixture();
    const vfs = new Vfs(root, { mounts: [{ kind: 'tmpfs', target: '/with space' }] });
    const m = vfs.mountOf('/with space/x');
    expect(m.fstype).toBe('tmpfs');
    expect(readdirSync(m.host!)).toEqual([]);
    expect(statSync(m.host!).mode & 0o7777).toBe(0o1777);
    expect(statSync(join(m.host!, '..')).mode & 0o777).toBe(0o700);
    expect(mountsText(vfs)).toContain('tmpfs /with\\040space tmpfs rw,nosuid,nodev,relatime 0 0\n');
    writeFileSync(join(m.host!, 'f'), 'x');
    vfs.release();
    expect(existsSync(join(m.host!, '..'))).toBe(false);
  });

  it('a failed mount leaves no tmpfs behind and says what is wrong', () => {
    const { root, other } = fixture();
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('levitate-tmpfs-')).length;
    const make = (target: string) => () => new Vfs(root, { mounts: [{ kind: 'tmpfs', target: '/mnt' }, { kind: 'host', source: other, target, readonly: false }] });
    expect(make('/nowhere')).toThrow(/mount point \/nowhere: No such file or directory/);
    expect(make('/etc/file')).toThrow(/mount point \/etc\/file: Not a directory/);
    expect(make('/dev/x')).toThrow(/cannot mount inside the kernel's \/dev/);
    expect(make('/')).toThrow(/cannot mount over \//);
    expect(() => new Vfs(join(root, 'missing'))).toThrow(/root directory .* does not exist/);
    // Other suites may make tmpfs mounts meanwhile: these four made none that stayed.
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('levitate-tmpfs-')).length).toBeLessThanOrEqual(before);
  });

  it('statfs: each mount its type, ST_RDONLY for a read-only one; the struct is 120 bytes, f_flags at 80', () => {
    const { root, other } = fixture();
    const vfs = new Vfs(root, { mounts: [{ kind: 'host', source: other, target: '/mnt', readonly: true }, { kind: 'tmpfs', target: '/etc' }] });
    try {
      const info = (p: string) => mountStatfs(vfs.mountOf(p));
      expect(info('/').type).toBe(FS_MAGIC.HOSTFS_SUPER_MAGIC);
      expect(info('/').flags & ST.RDONLY).toBe(0);
      expect(info('/mnt/x').flags & ST.RDONLY).toBe(ST.RDONLY);
      expect(info('/etc').type).toBe(FS_MAGIC.TMPFS_MAGIC);
      expect(info('/proc/1').type).toBe(FS_MAGIC.PROC_SUPER_MAGIC);
      expect(info('/proc/1').flags).toBe(ST.VALID | ST.NOSUID | ST.NODEV | ST.NOEXEC | ST.RELATIME);
      expect(info('/dev/null').type).toBe(FS_MAGIC.TMPFS_MAGIC);
      expect(info('/').blocks).toBeGreaterThan(0);
      const b = encodeStatfs(info('/mnt'));
      expect(b.length).toBe(STATFS_SIZE);
      const v = new DataView(b.buffer);
      expect(v.getBigUint64(0, true)).toBe(BigInt(FS_MAGIC.HOSTFS_SUPER_MAGIC));
      expect(Number(v.getBigUint64(80, true)) & ST.RDONLY).toBe(ST.RDONLY);
      expect(v.getBigUint64(64, true)).toBe(255n); // f_namelen
      // st_dev: one per mount, so df PATH and find -xdev tell them apart.
      expect(new Set(vfs.mounts.map((m) => m.dev)).size).toBe(vfs.mounts.length);
    } finally {
      vfs.release();
    }
  });
});
