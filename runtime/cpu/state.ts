// The architectural state of one AArch64 thread at EL0.

export class CpuState {
  /** X0–X30, and SP at index 31. */
  readonly x = new BigUint64Array(32);
  pc = 0n;
  /** NZCV in bits 31:28. */
  nzcv = 0;
  /** V0–V31, 16 bytes each, little-endian lanes. */
  readonly vbytes = new Uint8Array(32 * 16);
  readonly v64 = new BigUint64Array(this.vbytes.buffer);
  readonly vview = new DataView(this.vbytes.buffer);
  fpcr = 0;
  fpsr = 0;
  tpidr = 0n;
  /** Exclusive monitor: the address marked by the last LDXR, or -1n when clear. */
  exclusiveAddr = -1n;
  exclusiveSize = 0;
  /** Guest instructions retired (interpreter); translated code adds its own count. */
  retired = 0;

  get sp(): bigint {
    return this.x[31];
  }
  set sp(v: bigint) {
    this.x[31] = v;
  }

  /** A copy for fork: same registers, separate storage. */
  clone(): CpuState {
    const c = new CpuState();
    c.x.set(this.x);
    c.pc = this.pc;
    c.nzcv = this.nzcv;
    c.vbytes.set(this.vbytes);
    c.fpcr = this.fpcr;
    c.fpsr = this.fpsr;
    c.tpidr = this.tpidr;
    return c;
  }
}
