// Loading an image into a fresh address space and building the initial stack exactly as Linux does:
// argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL; strings and AT_RANDOM bytes above them.
import { ElfError } from '../../translator/errors.js';
import { AddressSpace, GUEST_BASE, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../runtime/memory/address-space.js';
import { loadImage } from '../../runtime/loader/image.js';
import { CpuState } from '../../runtime/cpu/state.js';
import { AT, HWCAP_ASIMD, HWCAP_FP } from '../abi/auxv.js';
import { USER_HZ } from '../abi/structs.js';
import * as fs from 'node:fs';
import { ERRNO } from '../abi/errno.js';
import { AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW } from '../abi/fcntl.js';
import { lookup } from '../syscalls/fs.js';
import type { SyscallContext } from '../syscalls/types.js';
import { Mm, type Process, type Task } from './process.js';
import { randomBytes } from './random.js';

/** Addresses below this are never mapped, so null pointers (and small offsets from them) fault. */
const NULL_GUARD = 0x10000;
/** Where a static-PIE image is placed. */
export const PIE_BASE = 0x4000_0000;
/** Top of the initial stack; the last 64 KiB of the 4 GiB space stay unmapped. */
export const STACK_TOP = 0xffff_0000;
export const STACK_SIZE = 8 * 1024 * 1024;
/** Room between the stack and the mmap area (the stack's guard gap). */
const STACK_GAP = 64 * 1024 * 1024;
/** Address range kept for brk above the image; mmap allocates top-down and stops above it. */
const HEAP_RESERVE = 512 * 1024 * 1024;

export interface ExecArgs {
  /** Strings as bytes (what execve passes) or text (what the command line gives). */
  argv: (string | Uint8Array)[];
  envp: (string | Uint8Array)[];
  /** Guest path of the program (AT_EXECFN, /proc/self/exe). */
  path: string;
  /** The command name (/proc/[pid]/comm): the last component of the path execve was given; default, of `path`. */
  name?: string;
  /** The host file's identity (device, inode, size, mtime): the same file finds its translation without hashing. */
  identity?: string;
}

/**
 * Address spaces exec and exit left behind. The kernel drops them once no engine can be running on them (the
 * exec'ing task's old code is still on the stack when execImage returns).
 */
export const retired: Mm[] = [];

/** Where the signal return trampoline lives (Linux puts it in the vDSO): `mov x8, #139; svc #0`. */
export const SIGRETURN_TRAMPOLINE = STACK_TOP;

/**
 * Replaces the task's process image with `bytes`: a new Mm and fresh registers. Throws ElfError for images we
 * cannot run, before anything of the old image is touched.
 */
export function execImage(proc: Process, task: Task, bytes: Uint8Array, args: ExecArgs): void {
  // A memory that held this file before keeps its text: exec need not copy it again.
  const mm = new Mm(new AddressSpace(args.identity ? [args.identity] : []));
  const mem = mm.mem;
  let loaded: ReturnType<typeof loadImage>;
  try {
    loaded = loadImage(mem, bytes, args.path, {
      pieBase: PIE_BASE,
      floor: NULL_GUARD,
      limit: STACK_TOP - STACK_SIZE - STACK_GAP,
      identity: args.identity,
    });
    if (loaded.img.interp !== null) {
      throw new ElfError(`dynamically linked (wants ${loaded.img.interp}); only static executables run for now`);
    }
  } catch (err) {
    mm.drop();
    throw err;
  }
  const { img, end, entry, phdr, bias } = loaded;
  const cpu = new CpuState();

  // Stack: mapped whole (untouched pages cost nothing), growing down from STACK_TOP.
  mem.map(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE, '[stack]');
  const enc = new TextEncoder();
  let sp = STACK_TOP;
  const putBytes = (b: Uint8Array): number => {
    sp -= b.length;
    mem.write(sp, b);
    return sp;
  };
  const putString = (s: string | Uint8Array): number => {
    const b = typeof s === 'string' ? enc.encode(s) : s;
    sp -= 1; // the NUL (the stack reads as zero)
    return putBytes(b);
  };
  const execfn = putString(args.path);
  const platform = putString('aarch64');
  const envPtrs = args.envp.map(putString);
  const argPtrs = args.argv.map(putString);
  sp -= sp % 16; // not `&= ~15`: addresses above 2 GiB do not fit an int32
  const random = putBytes(randomBytes(16));

  const auxv: [number, number][] = [
    [AT.PHDR, phdr],
    [AT.PHENT, img.phentsize],
    [AT.PHNUM, img.phnum],
    [AT.PAGESZ, PAGE_SIZE],
    [AT.BASE, 0],
    [AT.FLAGS, 0],
    [AT.ENTRY, entry],
    [AT.UID, 0],
    [AT.EUID, 0],
    [AT.GID, 0],
    [AT.EGID, 0],
    [AT.SECURE, 0],
    [AT.RANDOM, random],
    [AT.HWCAP, HWCAP_FP | HWCAP_ASIMD],
    [AT.HWCAP2, 0],
    [AT.CLKTCK, USER_HZ],
    [AT.EXECFN, execfn],
    [AT.PLATFORM, platform],
    [AT.NULL, 0],
  ];
  const words = [args.argv.length, ...argPtrs, 0, ...envPtrs, 0, ...auxv.flat()];
  sp -= words.length * 8;
  sp -= sp % 16; // not `&= ~15`: addresses above 2 GiB do not fit an int32
  words.forEach((w, i) => mem.setU64(sp + i * 8, BigInt(w)));

  cpu.sp = BigInt(sp);
  mem.noteStack(sp);
  cpu.pc = BigInt(entry);

  mem.map(SIGRETURN_TRAMPOLINE, PAGE_SIZE, PROT_READ | PROT_EXEC, '[vdso]');
  mem.view.setUint32(SIGRETURN_TRAMPOLINE - GUEST_BASE, 0xd2801168, true); // mov x8, #139 (rt_sigreturn)
  mem.view.setUint32(SIGRETURN_TRAMPOLINE + 4 - GUEST_BASE, 0xd4000001, true); // svc #0

  mm.exe = args.path;
  mm.comm = (args.name ?? args.path).split('/').pop()!.slice(0, 15);
  mm.image = { elf: img, bias };
  mm.identity = args.identity ?? '';
  const strings = (l: (string | Uint8Array)[]) => Buffer.concat(l.flatMap((x) => [typeof x === 'string' ? enc.encode(x) : x, new Uint8Array(1)]));
  mm.cmdline = strings(args.argv);
  mm.environ = strings(args.envp);
  const old = proc.mm;
  proc.mm = mm;
  retired.push(old);
  task.cpu = cpu;
  const brkStart = end;
  mm.layout = {
    brkStart,
    brk: brkStart,
    brkLimit: Math.min(brkStart + HEAP_RESERVE, STACK_TOP - STACK_SIZE - STACK_GAP),
    mmapTop: STACK_TOP - STACK_SIZE - STACK_GAP,
    stackTop: STACK_TOP,
  };
}

/** Linux's limits on execve's strings: one string, and all of argv and envp together (a quarter of the stack). */
const MAX_ARG_STRLEN = 32 * PAGE_SIZE;
const MAX_ARG_TOTAL = STACK_SIZE / 4;
const PATH_MAX = 4096;
/** Interpreters of interpreters (`#!` naming a script) go this deep at most. */
const MAX_SCRIPT_DEPTH = 4;
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

/** Images exec'd lately, by file identity: a shell running the same programs again reads them once. */
const recentFiles = new Map<string, Uint8Array>();

export interface ExecRequest {
  bytes: Uint8Array;
  identity: string;
  argv: Uint8Array[];
  envp: Uint8Array[];
  /** Guest path of the image finally loaded. */
  path: string;
  /** The last component of the path execve was given (a script's, not its interpreter's). */
  name: string;
}

/** Reads a NULL-terminated array of string pointers; -errno on a bad pointer or when too big. */
function readStrings(proc: Process, addr: bigint, budget: { left: number }): Uint8Array[] | number {
  const out: Uint8Array[] = [];
  if (addr === 0n) return out;
  for (let i = 0; ; i++) {
    const p = proc.readU64(addr + BigInt(8 * i));
    if (p === null) return -ERRNO.EFAULT;
    if (p === 0n) return out;
    const s = proc.readCString(p, MAX_ARG_STRLEN);
    if (s === null) return proc.read(p, 1) === null ? -ERRNO.EFAULT : -ERRNO.E2BIG;
    budget.left -= s.length + 1 + 8;
    if (budget.left < 0) return -ERRNO.E2BIG;
    out.push(s);
  }
}

/**
 * Everything execve checks before the point of no return: the path (ENAMETOOLONG, ENOENT, ELOOP, ENOTDIR,
 * EACCES for a directory or a file without execute permission), argv and envp (EFAULT, E2BIG), `#!` scripts
 * (their interpreter becomes the program; ENOEXEC when the line names none) and the ELF magic (ENOEXEC).
 */
export function prepareExec(c: SyscallContext, dirfd: number, pathAddr: bigint, argvAddr: bigint, envpAddr: bigint, flags: number): ExecRequest | number {
  const { proc } = c;
  const raw = proc.readCString(pathAddr, PATH_MAX);
  if (raw === null) return proc.read(pathAddr, 1) === null ? -ERRNO.EFAULT : -ERRNO.ENAMETOOLONG;
  let path = new TextDecoder().decode(raw);
  const name = path === '' ? String(dirfd) : path.split('/').pop()!; // fexecve: Linux names it by the descriptor
  const budget = { left: MAX_ARG_TOTAL };
  const argv = readStrings(proc, argvAddr, budget);
  if (typeof argv === 'number') return argv;
  const envp = readStrings(proc, envpAddr, budget);
  if (typeof envp === 'number') return envp;
  let follow = !(flags & AT_SYMLINK_NOFOLLOW);
  let at = dirfd;
  for (let depth = 0; ; depth++) {
    let guest: string;
    let host: string;
    if (path === '' && flags & AT_EMPTY_PATH) {
      const f = proc.fds.get(dirfd);
      if (!f) return -ERRNO.EBADF;
      if (f.kind !== 'file') return -ERRNO.EACCES;
      guest = f.guestPath;
      host = f.hostPath;
    } else if (path === '/proc/self/exe') {
      guest = proc.exe;
      host = proc.vfs.hostOf(guest);
    } else {
      if (path === '') return -ERRNO.ENOENT;
      const r = lookup(c, at, path, follow);
      if (typeof r === 'number') return r;
      if (!('mount' in r)) return -ERRNO.EACCES; // a device or a /proc node is no program
      guest = r.guest;
      host = r.host;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(host);
    } catch {
      return -ERRNO.ENOENT;
    }
    if (!st.isFile() || (st.mode & 0o111) === 0) return -ERRNO.EACCES;
    const identity = fileIdentity(st);
    let bytes = recentFiles.get(identity);
    if (!bytes) {
      try {
        bytes = new Uint8Array(fs.readFileSync(host));
      } catch {
        return -ERRNO.EACCES;
      }
      recentFiles.set(identity, bytes);
      if (recentFiles.size > 16) recentFiles.delete(recentFiles.keys().next().value!);
    }
    if (bytes[0] === 0x23 && bytes[1] === 0x21) {
      // `#!interpreter [one argument]`: the first line, at most 256 bytes, as Linux reads it.
      if (depth >= MAX_SCRIPT_DEPTH) return -ERRNO.ELOOP;
      let end = bytes.indexOf(10);
      if (end < 0 || end > 256) end = Math.min(bytes.length, 256);
      const line = new TextDecoder().decode(bytes.subarray(2, end)).replace(/[ \t]+$/, '').replace(/^[ \t]+/, '');
      const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (!m) return -ERRNO.ENOEXEC;
      const enc = new TextEncoder();
      const script = enc.encode(path === '' ? guest : path);
      argv.splice(0, Math.min(argv.length, 1), ...[enc.encode(m[1]), ...(m[2] ? [enc.encode(m[2])] : []), script]);
      path = m[1];
      at = -100; // AT_FDCWD: the interpreter is looked up like any path
      follow = true;
      flags = 0;
      continue;
    }
    if (bytes.length < 4 || ELF_MAGIC.some((b, i) => bytes[i] !== b)) return -ERRNO.ENOEXEC;
    return { bytes, argv, envp, path: guest, name, identity };
  }
}

/** What identifies a host file's contents well enough to reuse its translation: device, inode, size, mtime. */
export function fileIdentity(st: fs.Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
}
