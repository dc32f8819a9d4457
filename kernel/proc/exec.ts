// Loading an image into a fresh address space and building the initial stack exactly as Linux does:
// argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL; strings and AT_RANDOM bytes above them.
import { randomBytes } from 'node:crypto';
import { parseElf, ET_DYN, PF_R, PF_W, PF_X, PT_LOAD, PT_PHDR, type ElfImage } from '../../translator/elf/elf.js';
import { ElfError } from '../../translator/errors.js';
import { AddressSpace, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageRound } from '../../runtime/memory/address-space.js';
import { CpuState } from '../../runtime/cpu/state.js';
import { AT, HWCAP_ASIMD, HWCAP_FP } from '../abi/auxv.js';
import type { Process } from './process.js';

/** Where a static-PIE image is placed. */
export const PIE_BASE = 0x4000_0000;
/** Top of the initial stack; the last 64 KiB of the 4 GiB space stay unmapped. */
export const STACK_TOP = 0xffff_0000;
export const STACK_SIZE = 8 * 1024 * 1024;
/** Room between the stack and the mmap area (the stack's guard gap). */
const STACK_GAP = 64 * 1024 * 1024;
/** Address range kept for brk above the image; mmap allocates top-down and stops above it. */
const HEAP_RESERVE = 512 * 1024 * 1024;

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/** Maps the PT_LOAD segments; returns the load bias (0 for ET_EXEC). */
function mapImage(mem: AddressSpace, img: ElfImage, name: string): { bias: number; end: number } {
  const loads = img.segments.filter((s) => s.type === PT_LOAD);
  const bias = img.type === ET_DYN ? PIE_BASE - Math.floor(Math.min(...loads.map((s) => s.vaddr)) / PAGE_SIZE) * PAGE_SIZE : 0;
  let end = 0;
  for (const s of loads) {
    const start = Math.floor((s.vaddr + bias) / PAGE_SIZE) * PAGE_SIZE;
    const stop = pageRound(s.vaddr + bias + s.memsz);
    if (start < 0x10000) throw new ElfError(`segment at 0x${(s.vaddr + bias).toString(16)} overlaps the null guard`);
    if (stop > STACK_TOP - STACK_SIZE - STACK_GAP) throw new ElfError('image does not fit below the stack');
    // Map writable first so the file bytes can be copied, then set the real permissions.
    mem.map(start, stop - start, PROT_READ | PROT_WRITE, name);
    mem.bytes.set(img.bytes.subarray(s.offset, s.offset + s.filesz), s.vaddr + bias);
    end = Math.max(end, stop);
  }
  for (const s of loads) {
    const start = Math.floor((s.vaddr + bias) / PAGE_SIZE) * PAGE_SIZE;
    mem.protect(start, pageRound(s.vaddr + bias + s.memsz) - start, protOf(s.flags));
  }
  return { bias, end };
}

export interface ExecArgs {
  argv: string[];
  envp: string[];
  /** Guest path of the program (AT_EXECFN, /proc/self/exe). */
  path: string;
}

/** Replaces the process image with `bytes`. Throws ElfError for images we cannot run. */
export function execImage(proc: Process, bytes: Uint8Array, args: ExecArgs): void {
  const img = parseElf(bytes);
  if (img.interp !== null) {
    throw new ElfError(`dynamically linked (wants ${img.interp}); only static executables run for now`);
  }
  const mem = new AddressSpace();
  const { bias, end } = mapImage(mem, img, args.path);
  const cpu = new CpuState();

  // Stack: mapped whole (untouched pages cost nothing), growing down from STACK_TOP.
  mem.map(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE, '[stack]');
  const enc = new TextEncoder();
  let sp = STACK_TOP;
  const putBytes = (b: Uint8Array): number => {
    sp -= b.length;
    mem.bytes.set(b, sp);
    return sp;
  };
  const putString = (s: string): number => putBytes(enc.encode(s + '\0'));
  const execfn = putString(args.path);
  const platform = putString('aarch64');
  const envPtrs = args.envp.map(putString);
  const argPtrs = args.argv.map(putString);
  sp -= sp % 16; // not `&= ~15`: addresses above 2 GiB do not fit an int32
  const random = putBytes(randomBytes(16));

  const phdr = img.segments.find((s) => s.type === PT_PHDR);
  const firstLoad = img.segments.find((s) => s.type === PT_LOAD && s.offset === 0);
  const phdrAddr = phdr ? phdr.vaddr + bias : (firstLoad ? firstLoad.vaddr + bias : 0) + img.phoff;
  const auxv: [number, number][] = [
    [AT.PHDR, phdrAddr],
    [AT.PHENT, img.phentsize],
    [AT.PHNUM, img.phnum],
    [AT.PAGESZ, PAGE_SIZE],
    [AT.BASE, 0],
    [AT.FLAGS, 0],
    [AT.ENTRY, img.entry + bias],
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
  words.forEach((w, i) => mem.view.setBigUint64(sp + i * 8, BigInt(w), true));

  cpu.sp = BigInt(sp);
  cpu.pc = BigInt(img.entry + bias);

  proc.mem = mem;
  proc.cpu = cpu;
  proc.exe = args.path;
  const brkStart = end;
  proc.layout = {
    brkStart,
    brk: brkStart,
    brkLimit: Math.min(brkStart + HEAP_RESERVE, STACK_TOP - STACK_SIZE - STACK_GAP),
    mmapTop: STACK_TOP - STACK_SIZE - STACK_GAP,
    stackTop: STACK_TOP,
  };
}
