// Loading an image into a fresh address space and building the initial stack exactly as Linux does:
// argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL; strings and AT_RANDOM bytes above them.
import { randomBytes } from 'node:crypto';
import { ElfError } from '../../translator/errors.js';
import { AddressSpace, PAGE_SIZE, PROT_READ, PROT_WRITE } from '../../runtime/memory/address-space.js';
import { loadImage } from '../../runtime/loader/image.js';
import { CpuState } from '../../runtime/cpu/state.js';
import { AT, HWCAP_ASIMD, HWCAP_FP } from '../abi/auxv.js';
import type { Process } from './process.js';

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
  argv: string[];
  envp: string[];
  /** Guest path of the program (AT_EXECFN, /proc/self/exe). */
  path: string;
}

/** Replaces the process image with `bytes`. Throws ElfError for images we cannot run. */
export function execImage(proc: Process, bytes: Uint8Array, args: ExecArgs): void {
  const mem = new AddressSpace();
  const { img, end, entry, phdr, bias } = loadImage(mem, bytes, args.path, {
    pieBase: PIE_BASE,
    floor: NULL_GUARD,
    limit: STACK_TOP - STACK_SIZE - STACK_GAP,
  });
  if (img.interp !== null) {
    throw new ElfError(`dynamically linked (wants ${img.interp}); only static executables run for now`);
  }
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
  const putString = (s: string): number => putBytes(enc.encode(s + '\0'));
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
    [AT.CLKTCK, 100],
    [AT.EXECFN, execfn],
    [AT.PLATFORM, platform],
    [AT.NULL, 0],
  ];
  const words = [args.argv.length, ...argPtrs, 0, ...envPtrs, 0, ...auxv.flat()];
  sp -= words.length * 8;
  sp -= sp % 16; // not `&= ~15`: addresses above 2 GiB do not fit an int32
  words.forEach((w, i) => mem.setU64(sp + i * 8, BigInt(w)));

  cpu.sp = BigInt(sp);
  cpu.pc = BigInt(entry);

  proc.mem = mem;
  proc.cpu = cpu;
  proc.exe = args.path;
  proc.image = { elf: img, bias };
  const brkStart = end;
  proc.layout = {
    brkStart,
    brk: brkStart,
    brkLimit: Math.min(brkStart + HEAP_RESERVE, STACK_TOP - STACK_SIZE - STACK_GAP),
    mmapTop: STACK_TOP - STACK_SIZE - STACK_GAP,
    stackTop: STACK_TOP,
  };
}
