// --strace prints what strace 6 prints. Debian's arm64 busybox under levitate is compared with real strace on the
// amd64 busybox natively, call by call (the two libcs differ in which syscalls they make, and amd64's passes
// SA_RESTORER); calls only one side makes are checked against the exact line strace prints for them. Then what
// is ours alone: bad pointers print as hex.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flags, quote, sigset } from '../../kernel/strace/format.js';
import { A } from '../diff/asm.js';
import { writeProgramFile } from '../diff/elf-writer.js';
import { BUSYBOX, LEVITATE, ROOT, available, levitate, run } from '../support/tools.js';

const BUSYBOX_AMD64 = `${ROOT}.cache/debian/busybox-amd64/bin/busybox`;
const ok = available('strace format', { files: [BUSYBOX] });
const oracle = available('strace oracle', { cmds: ['strace'], files: [BUSYBOX, BUSYBOX_AMD64] });
const hasScript = ok && available('strace on a terminal (script, from util-linux)', { cmds: ['script'] });

/** A directory both runs see at the same path (the guest's root is the host's). */
const dir = mkdtempSync(join(tmpdir(), 'levitate-strace-'));
writeFileSync(join(dir, 'f'), 'hello\nworld\n');
symlinkSync('f', join(dir, 'l'));
mkdirSync(join(dir, 'sub'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * strace's lines as one list: each `<unfinished ...>` joined to its `<... name resumed>` rest (what strace prints
 * when nothing comes between), `[pid N]` prefixes and the padding before ` = ` dropped, addresses made equal.
 */
function lines(stderr: string): string[] {
  const out: string[] = [];
  const open = new Map<string, number>();
  for (const raw of stderr.split('\n')) {
    const body = raw.replace(/^\[pid +\d+\] /, '');
    const unfinished = /^(([a-z0-9_]+)\(.*) <unfinished \.\.\.>$/.exec(body);
    const resumed = /^<\.\.\. ([a-z0-9_]+) resumed>(.*)$/.exec(body);
    if (unfinished) {
      open.set(unfinished[2], out.length);
      out.push(unfinished[1]);
    } else if (resumed && open.has(resumed[1])) {
      const i = open.get(resumed[1])!;
      out[i] += resumed[2];
      open.delete(resumed[1]);
    } else out.push(body);
  }
  return out.map((l) => l.replace(/\) {2,}= /, ') = ').replace(/0x[0-9a-f]{5,}/g, '0xADDR'));
}

function traced(args: string[]): string[] {
  const r = levitate(['run', '--strace', BUSYBOX, ...args]);
  expect(r.status, r.stderr).toBe(0);
  return lines(r.stderr);
}
/** strace's own lines for the amd64 busybox, one file per process (-ff) so no line is cut by another's. */
function native(args: string[]): string[] {
  const out = mkdtempSync(join(tmpdir(), 'levitate-strace-native-'));
  try {
    const r = run('strace', ['-ff', '-o', join(out, 'trace'), BUSYBOX_AMD64, ...args]);
    expect(r.status, r.stderr).toBe(0);
    const text = readdirSync(out).sort().map((f) => readFileSync(join(out, f), 'utf8')).join('');
    // amd64's libc sets SA_RESTORER on every action; arm64's has no restorer to give.
    return lines(text).map((l) => l.replace(/SA_RESTORER\|?/g, '').replace(/sa_flags=,/g, 'sa_flags=0,').replace(/, sa_restorer=0xADDR/g, ''));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The lines of both runs that match `pattern`, for the same applet. */
function both(args: string[], pattern: RegExp): [string[], string[]] {
  return [traced(args).filter((l) => pattern.test(l)), native(args).filter((l) => pattern.test(l))];
}

describe('--strace lines match strace on the same busybox applet', () => {
  it.runIf(oracle)('stat: newfstatat with strace\'s abbreviated struct stat (st_size, or st_rdev for a device)', () => {
    const [ours, theirs] = both(['stat', join(dir, 'f'), '/dev/null', join(dir, 'sub')], /^newfstatat\(AT_FDCWD/);
    expect(ours).toEqual(theirs);
    expect(ours).toContain(`newfstatat(AT_FDCWD, "${dir}/f", {st_mode=S_IFREG|0644, st_size=12, ...}, AT_SYMLINK_NOFOLLOW) = 0`);
    expect(ours).toContain('newfstatat(AT_FDCWD, "/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_SYMLINK_NOFOLLOW) = 0');
  });

  it.runIf(oracle)('head: openat flags, read shows the data it read (at exit)', () => {
    const [ours, theirs] = both(['head', '-n', '1', join(dir, 'f')], /^(openat|read|close)\(/);
    expect(ours).toEqual(theirs);
    expect(ours).toContain(`openat(AT_FDCWD, "${dir}/f", O_RDONLY) = 3`);
    expect(ours).toContain('read(3, "hello\\nworld\\n", 4096) = 12');
  });

  it.runIf(oracle)('ls: ioctls failing on pipes, the directory open, getdents64 counting its entries', () => {
    const [ours, theirs] = both(['ls', dir], /^(ioctl|openat|getdents64|newfstatat\(AT_FDCWD)/);
    expect(ours).toEqual(theirs);
    expect(ours).toContain('ioctl(0, TIOCGWINSZ, 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)');
    expect(ours).toContain('ioctl(1, TCGETS, 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)');
    expect(ours).toContain(`openat(AT_FDCWD, "${dir}", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3`);
    expect(ours.find((l) => l.startsWith('getdents64'))).toMatch(/^getdents64\(3, 0xADDR \/\* 5 entries \*\/, 32768\) = \d+$/);
  });

  it.runIf(oracle)('sleep: clock_nanosleep\'s timespec at entry, the remainder pointer at exit', () => {
    const [ours, theirs] = both(['sleep', '0.1'], /^clock_nanosleep/);
    expect(ours).toEqual(theirs);
    expect(ours).toEqual(['clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=100000000}, 0xADDR) = 0']);
  });

  it.runIf(oracle)('touch, uname: utimensat\'s UTIME_NOW pair, the abbreviated utsname', () => {
    let [ours, theirs] = both(['touch', join(dir, 'f')], /^utimensat/);
    expect(ours).toEqual(theirs);
    expect(ours).toEqual([`utimensat(AT_FDCWD, "${dir}/f", [UTIME_NOW, UTIME_NOW], 0) = 0`]);
    [ours, theirs] = both(['uname', '-n'], /^uname/);
    expect(ours).toEqual(theirs);
  });

  it.runIf(oracle)('sh: rt_sigaction old and new actions, pipe2, wait4 statuses (exit 3, killed by SIGINT)', () => {
    const script = 'true | true; sh -c "exit 3"; sh -c "kill -INT \\$\\$"; true';
    const [ours, theirs] = both(['sh', '-c', script], /^(rt_sigaction\(SIG(INT|QUIT|TERM)|pipe2|wait4\(-1, \[)/);
    // Children run in a different order here and there, and whether the blocking wait4 or the SIGCHLD handler's
    // WNOHANG one reaps a child is a matter of timing: the same lines, in any order and number, options aside.
    const pids = (ls: string[]) =>
      [...new Set(ls.map((l) => l.replace(/= \d+$/, '= PID').replace(/\], (0|WNOHANG), NULL\)/, '], OPTIONS, NULL)')))].sort();
    expect(pids(ours)).toEqual(pids(theirs));
    expect(ours).toContain('rt_sigaction(SIGINT, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0');
    expect(ours).toContain('rt_sigaction(SIGQUIT, {sa_handler=SIG_IGN, sa_mask=~[RTMIN RT_1], sa_flags=0}, NULL, 8) = 0');
    expect(ours).toContain('pipe2([3, 4], 0) = 0');
    expect(ours).toContainEqual(expect.stringMatching(/^wait4\(-1, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 3\}\], (0|WNOHANG), NULL\) = \d+$/));
    expect(ours).toContainEqual(expect.stringMatching(/^wait4\(-1, \[\{WIFSIGNALED\(s\) && WTERMSIG\(s\) == SIGINT\}\], (0|WNOHANG), NULL\) = \d+$/));
  });
});

describe('--strace lines as strace prints them', () => {
  it.runIf(ok)('cat: sendfile ENOSYS, then mmap with decoded prot and flags', () => {
    const r = levitate(['run', '--strace', BUSYBOX, 'cat'], { input: 'x' });
    expect(r.stderr).toContain('sendfile(1, 0, NULL, 16777216)          = -1 ENOSYS (Function not implemented)\n');
    expect(r.stderr).toMatch(/\nmmap\(NULL, 65536, PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_ANONYMOUS, -1, 0\) = 0x[0-9a-f]+\n/);
  });

  it.runIf(ok)('ppoll: the fds and their events at entry, what happened to them in the result', () => {
    const r = levitate(['run', '--strace', BUSYBOX, 'sh', '-c', 'read -t 5 x'], { input: 'hi\n' });
    expect(lines(r.stderr)).toContainEqual(expect.stringMatching(
      /^ppoll\(\[\{fd=0, events=POLLIN\}\], 1, \{tv_sec=\d, tv_nsec=\d+\}, NULL, 0\) = 1 \(\[\{fd=0, revents=POLLIN\}\], left \{tv_sec=\d, tv_nsec=\d+\}\)$/));
  });

  it.runIf(ok)('the result goes to column 40; a short line is padded, a long one is not', () => {
    const r = levitate(['run', '--strace', BUSYBOX, 'true']);
    expect(r.stderr).toMatch(/^brk\(NULL\) {31}= 0x[0-9a-f]+$/m);
    expect(r.stderr).toContain('prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0\n');
    expect(r.stderr).toMatch(/^exit_group\(0\) {27}= \?\n\+\+\+ exited with 0 \+\+\+\n$/m);
  });

  it.runIf(ok)('a read that waits is one line when nothing comes between, as strace prints it', () => {
    const r = run('sh', ['-c', `(sleep 0.5; echo hi) | node ${LEVITATE} run --strace ${BUSYBOX} cat 2>&1 >/dev/null`]);
    expect(r.stdout).toContain('\nread(0, "hi\\n", 65536)                  = 3\n');
    expect(r.stdout).not.toContain('unfinished');
  });
  it.runIf(oracle)('…the same line real strace prints for the amd64 busybox', () => {
    const r = run('sh', ['-c', `(sleep 0.5; echo hi) | strace ${BUSYBOX_AMD64} cat 2>&1 >/dev/null`]);
    expect(r.stdout).toContain('\nread(0, "hi\\n", 65536)                  = 3\n');
  });
  it.runIf(ok)('a waiting call cut by another task\'s line: `read(0,  <unfinished ...>`, later `<... read resumed>`', () => {
    const r = levitate(['run', '--strace', BUSYBOX, 'sh', '-c', '(sleep 0.3; echo hi) | cat >/dev/null']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^\[pid +(\d+)\] read\(0,  <unfinished \.\.\.>$/m);
    expect(r.stderr).toMatch(/^\[pid +\d+\] <\.\.\. read resumed>"hi\\n", 65536\) = 3$/m);
  });

  it.runIf(ok)('[pid N] leads the lines while more than one task lives; signals and ends get strace\'s --- and +++ lines', () => {
    const r = levitate(['run', '--strace', BUSYBOX, 'sh', '-c', 'sh -c "kill -INT \\$\\$"; exit 3']);
    expect(r.status).toBe(3);
    const err = r.stderr;
    expect(err.split('\n')[0]).not.toMatch(/^\[pid/);
    expect(err).toMatch(/^\[pid +(\d+)\] --- SIGINT \{si_signo=SIGINT, si_code=SI_USER, si_pid=\1, si_uid=0\} ---$/m);
    expect(err).toMatch(/^\[pid +\d+\] \+\+\+ killed by SIGINT \+\+\+$/m);
    expect(err).toMatch(/^--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=\d+, si_uid=0, si_status=SIGINT, si_utime=0, si_stime=0\} ---$/m);
    expect(err).toMatch(/\n\+\+\+ exited with 3 \+\+\+\n$/);
  });

  it.runIf(ok && hasScript)('on a terminal: TCGETS decoded as strace 6 does, TIOCGWINSZ\'s winsize', () => {
    const r = run('script', ['-qc', `node ${LEVITATE} run --strace ${BUSYBOX} stty size`, '/dev/null']);
    const out = r.stdout.replace(/\r\n/g, '\n');
    expect(out).toMatch(/^ioctl\(0, TIOCGWINSZ, \{ws_row=\d+, ws_col=\d+, ws_xpixel=0, ws_ypixel=0\}\) = 0$/m);
    expect(out).toMatch(/^ioctl\(0, TCGETS, \{c_iflag=[A-Z0-9|]*, c_oflag=NL0\|CR0\|TAB0\|BS0\|VT0\|FF0\|OPOST\|ONLCR, c_cflag=B38400\|CS8\|CREAD[A-Z|]*, c_lflag=ISIG\|ICANON\|ECHO\|[A-Z|]+, \.\.\.\}\) = 0$/m);
  });

  it.runIf(ok)('stat -f: statfs in full; readlink: the link text at exit', () => {
    let r = levitate(['run', '--strace', BUSYBOX, 'stat', '-f', dir]);
    expect(r.stderr).toMatch(new RegExp(`statfs\\("${dir}", \\{f_type=[A-Z0-9_]+, f_bsize=\\d+, f_blocks=\\d+, f_bfree=\\d+, f_bavail=\\d+, ` +
      'f_files=\\d+, f_ffree=\\d+, f_fsid=\\{val=\\[\\w+, \\w+\\]\\}, f_namelen=\\d+, f_frsize=\\d+, f_flags=ST_[A-Z_|]+\\}\\) = 0'));
    r = levitate(['run', '--strace', BUSYBOX, 'readlink', join(dir, 'l')]);
    expect(r.stderr).toContain(`readlinkat(AT_FDCWD, "${dir}/l", "f", 80) = 1\n`);
  });
});

/** A guest of raw syscalls: each entry sets x0–x5 and x8, then `svc #0`. */
function program(calls: { nr: number; args: number[] }[]): string {
  const words: number[] = [];
  for (const { nr, args } of calls) {
    args.forEach((v, r) => words.push(v < 0 ? (0x92800000 | ((~v & 0xffff) << 5) | r) >>> 0 : A.movz(r, v, 0))); // movn for negatives
    words.push(A.movz(8, nr, 0), A.svc0());
  }
  words.push(A.movz(0, 0, 0), A.movz(8, 94, 0), A.svc0());
  return writeProgramFile(words);
}

describe('--strace never trusts a guest pointer', () => {
  it('bad pointers print as hex and the calls fail with EFAULT; an unknown syscall shows six hex arguments', () => {
    const r = levitate(['run', '--strace', program([
      { nr: 1000, args: [1, 2, 3, 4, 5, 6] },
      { nr: 79, args: [-100, 0x10, 0x10, 0] }, // newfstatat(AT_FDCWD, 0x10, 0x10, 0)
      { nr: 64, args: [1, 0x10, 5] }, // write
      { nr: 134, args: [2, 0x10, 0, 8] }, // rt_sigaction(SIGINT, 0x10, NULL, 8)
      { nr: 135, args: [0, 0x10, 0x20, 8] }, // rt_sigprocmask(SIG_BLOCK, 0x10, 0x20, 8)
      { nr: 59, args: [0x10, 0] }, // pipe2
    ])]);
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n').slice(0, 6)).toEqual([
      // What strace 6.1 prints for syscall(1000, 1, 2, 3, 4, 5, 6) on x86-64, where 1000 is unknown too.
      'syscall_0x3e8(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)',
      'newfstatat(AT_FDCWD, 0x10, 0x10, 0)     = -1 EFAULT (Bad address)',
      'write(1, 0x10, 5)                       = -1 EFAULT (Bad address)',
      'rt_sigaction(SIGINT, 0x10, NULL, 8)     = -1 EFAULT (Bad address)',
      'rt_sigprocmask(SIG_BLOCK, 0x10, 0x20, 8) = -1 EFAULT (Bad address)',
      'pipe2(0x10, 0)                          = -1 EFAULT (Bad address)',
    ]);
  });
});

describe('strace\'s printing rules', () => {
  it('octal escapes are as short as the next byte allows; bytes past 32 become `...`', () => {
    expect(quote(Uint8Array.from([1, 0x38, 1, 0x37, 0x80, 0x22, 0x5c, 0x0a]))).toBe('"\\18\\0017\\200\\"\\\\\\n"');
    expect(quote(new TextEncoder().encode('abc'), true)).toBe('"abc"...');
    expect(quote(Uint8Array.from([0xab, 0x01]), false, true)).toBe('"\\xab\\x01"');
  });
  it('a signal set with two thirds or more of its signals prints inverted', () => {
    expect(sigset(0n)).toBe('[]');
    expect(sigset((1n << 1n) | (1n << 14n))).toBe('[INT TERM]');
    expect(sigset(~((1n << 31n) | (1n << 32n)))).toBe('~[RTMIN RT_1]');
    expect(sigset(~0n)).toBe('~[]');
  });
  it('flags print in table order with unknown bits in hex; nothing known prints the comment', () => {
    const T = { A: 1, B: 2, AB: 3, C: 8 };
    expect(flags(0, T)).toBe('0');
    expect(flags(11, T)).toBe('A|B|C');
    expect(flags(0x19, T, 'X_')).toBe('X_A|X_C|0x10');
    expect(flags(0x40, T, '', 'X_???')).toBe('0x40 /* X_??? */');
  });
});
