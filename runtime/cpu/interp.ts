// The interpreter: fetch, decode (cached by instruction word: decoding is a pure function of the word), run the
// row's semantics against the EvalEmitter. It is the reference engine and the fallback for translated code.
import { decode, type Decoded } from '../../translator/a64/decoder.js';
import { PROT_EXEC, type AddressSpace } from '../memory/address-space.js';
import type { Exit } from '../engine/exit.js';
import { EvalEmitter, GuestFault } from './eval-emitter.js';
import type { CpuState } from './state.js';

const decodeCache = new Map<number, Decoded | null>();

function decodeCached(word: number): Decoded | null {
  let d = decodeCache.get(word);
  if (d === undefined) {
    d = decode(word);
    decodeCache.set(word, d);
  }
  return d;
}

export class Interpreter {
  readonly e: EvalEmitter;

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

  /** Runs at most `fuel` instructions; returns why it stopped. cpu.pc names the next instruction to run. */
  run(fuel: number): Exit {
    const cpu = this.cpu;
    const e = this.e;
    const mem = e.mem;
    const perms = mem.perms;
    const view = mem.view;
    for (let i = 0; i < fuel; i++) {
      const pc = cpu.pc;
      if (pc >= 0x1_0000_0000n || (pc & 3n) !== 0n || !(perms[Number(pc) >>> 12] & PROT_EXEC)) {
        return { kind: 'fault', addr: pc, access: 'exec', reason: (pc & 3n) !== 0n ? 'alignment' : 'unmapped' };
      }
      const word = view.getUint32(Number(pc), true);
      const d = decodeCached(word);
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
    }
    return { kind: 'fuel' };
  }
}
