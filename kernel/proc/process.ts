// A process: its address space, its one thread's CPU state, descriptors, directory, program break and the
// bookkeeping the syscalls share. (Threads and fork come with the process-model issue.)
import { AddressSpace, GUEST_BASE, PROT_READ, PROT_WRITE } from '../../runtime/memory/address-space.js';
import { CpuState } from '../../runtime/cpu/state.js';
import { FdTable } from '../fs/file.js';
import type { ElfImage } from '../../translator/elf/elf.js';
import type { HostRoot } from '../fs/path.js';

export interface Layout {
  /** Start and current end of the program break area. */
  brkStart: number;
  brk: number;
  /** The top-down mmap area lies below this address and above brkLimit. */
  mmapTop: number;
  brkLimit: number;
  stackTop: number;
}

export class Process {
  mem = new AddressSpace();
  cpu = new CpuState();
  readonly fds = new FdTable();
  cwd = '/';
  layout: Layout = { brkStart: 0, brk: 0, mmapTop: 0, brkLimit: 0, stackTop: 0 };
  /** Guest path of the running image (/proc/self/exe). */
  exe = '';
  /** The running image as loaded: what the translator translates. */
  image: { elf: ElfImage; bias: number } | null = null;
  umask = 0o022;
  /** rt_sigaction dispositions, 64 signals × 32 bytes (kernel struct sigaction), kept for the guest to read back. */
  readonly sigactions = new Uint8Array(65 * 32);
  sigmask = 0n;
  clearChildTid = 0n;
  exitStatus: number | null = null;
  /** Set when the process died of a signal. */
  termSignal: number | null = null;

  constructor(
    readonly pid: number,
    readonly root: HostRoot,
  ) {}

  // ---- guest memory access for syscalls: null means EFAULT ----
  read(addr: bigint, len: number): Uint8Array | null {
    if (len === 0) return new Uint8Array(0);
    if (addr < 0n || addr + BigInt(len) > 0x1_0000_0000n) return null;
    const a = Number(addr);
    if (!this.mem.allows(a, len, PROT_READ)) return null;
    return this.mem.read(a, len);
  }
  write(addr: bigint, data: Uint8Array): boolean {
    if (data.length === 0) return true;
    if (addr < 0n || addr + BigInt(data.length) > 0x1_0000_0000n) return false;
    const a = Number(addr);
    if (!this.mem.allows(a, data.length, PROT_WRITE)) return false;
    this.mem.write(a, data);
    return true;
  }
  /** A NUL-terminated string of at most `max` bytes; null on EFAULT or when unterminated. */
  readString(addr: bigint, max = 4096): string | null {
    if (addr <= 0n || addr >= 0x1_0000_0000n) return null;
    const a = Number(addr);
    const bytes = this.mem.bytes;
    const at = a - GUEST_BASE; // linear offset of the string
    for (let i = 0; i < max; i++) {
      if ((i & 0xfff) === 0 || ((a + i) & 0xfff) === 0) {
        if (!this.mem.allows(a + i, 1, PROT_READ)) return null;
      }
      if (bytes[at + i] === 0) return new TextDecoder().decode(bytes.subarray(at, at + i));
    }
    return null;
  }
  readU64(addr: bigint): bigint | null {
    const b = this.read(addr, 8);
    return b ? new DataView(b.buffer).getBigUint64(0, true) : null;
  }
  writeU64(addr: bigint, v: bigint): boolean {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    return this.write(addr, b);
  }
  writeU32(addr: bigint, v: number): boolean {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return this.write(addr, b);
  }
}
