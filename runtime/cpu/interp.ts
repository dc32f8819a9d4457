// The interpreter: fetch, decode (cached by instruction word: decoding is a pure function of the word), run the
// row's semantics against the EvalEmitter. It is the reference engine and the fallback for translated code.
import { decodeCached, type Decoded } from '../../translator/a64/decoder.js';
import { GUEST_BASE, PROT_EXEC, type AddressSpace } from '../memory/address-space.js';
import type { Exit } from '../engine/exit.js';
import { EvalEmitter, GuestFault } from './eval-emitter.js';
import type { CpuState } from './state.js';

/** What the interpreter remembers about one code address: the word it decoded there (code may change). */
interface Slot {
  word: number;
  d: Decoded | null;
}

export class Interpreter {
  readonly e: EvalEmitter;
  /** Decoded instructions by code page and word index: array lookups are cheaper than hashing every word. */
  private readonly pages = new Map<number, (Slot | undefined)[]>();
  private lastPageNo = -1;
  private lastPage: (Slot | undefined)[] = [];

  constructor(
    readonly cpu: CpuState,
    mem: AddressSpace,
  ) {
    this.e = new EvalEmitter(cpu, mem);
  }

  get mem(): AddressSpace {
    return this.e.mem;
  }
  set mem(m: AddressSpace) {
    this.e.mem = m;
  }

  /**
   * Runs at most `fuel` instructions; returns why it stopped. cpu.pc names the next instruction to run.
   * `stopAt` ends the run (as 'fuel') before an instruction it accepts, after at least one instruction.
   */
  run(fuel: number, stopAt?: (pc: bigint) => boolean): Exit {
    const cpu = this.cpu;
    const e = this.e;
    const mem = e.mem;
    mem.noteStack(Number(cpu.sp));
    const perms = mem.perms;
    const view = mem.view;
    const pages = this.pages;
    for (let i = 0; i < fuel; i++) {
      const pc = cpu.pc;
      const pn = Number(pc); // exact below 2^53; anything that large fails the range check anyway
      if (pn >= 0x1_0000_0000 || (pn & 3) !== 0 || !(perms[pn >>> 12] & PROT_EXEC)) {
        return { kind: 'fault', addr: pc, access: 'exec', reason: (pn & 3) !== 0 ? 'alignment' : 'unmapped' };
      }
      const word = view.getUint32(pn - GUEST_BASE, true);
      let page = this.lastPage;
      if (pn >>> 12 !== this.lastPageNo) {
        this.lastPageNo = pn >>> 12;
        page = pages.get(this.lastPageNo) ?? new Array<Slot | undefined>(1024).fill(undefined);
        pages.set(this.lastPageNo, page);
        this.lastPage = page;
      }
      let slot = page[(pn >>> 2) & 1023];
      if (slot === undefined || slot.word !== word) {
        slot = { word, d: decodeCached(word) };
        page[(pn >>> 2) & 1023] = slot;
      }
      const d = slot.d;
      if (d === null || !d.enc.exec || (d.enc.ext !== undefined && d.enc.ext !== 'base')) {
        return { kind: 'undefined', word };
      }
      e.next = pc + 4n;
      e.exit = null;
      try {
        d.enc.exec(e, d.f, pc);
      } catch (err) {
        if (err instanceof GuestFault) return { kind: 'fault', addr: err.addr, access: err.access, reason: err.reason };
        throw err;
      }
      const x = e.exit as Exit | null;
      if (x !== null) {
        if (x.kind === 'svc') {
          cpu.pc = e.next;
          cpu.retired++;
        } else if (x.kind === 'undefined') return { kind: 'undefined', word };
        return x;
      }
      cpu.pc = e.next;
      cpu.retired++;
      if (stopAt && e.next !== pc + 4n && stopAt(e.next)) return { kind: 'fuel' };
    }
    return { kind: 'fuel' };
  }
}
