// Loads and stores of general and SIMD&FP registers: immediate (scaled, unscaled, pre/post-indexed,
// unprivileged), register offset, PC-relative literal, pairs, exclusives and acquire/release.
// Every memory access happens before any register is written, so a fault leaves the registers as they were.
import type { Emitter, MemSize } from '../emitter.js';
import type { EncodingSpec, Fields } from '../encoding.js';
import { rsp, rz, sextField, target } from './common.js';

/** What one load/store moves: bytes, into which register file, with what extension. */
interface Access {
  bytes: 1 | 2 | 4 | 8 | 16;
  load: boolean;
  /** General register destination width (32/64); 0 for SIMD&FP registers. */
  regBits: 0 | 32 | 64;
  signed: boolean;
  prefetch: boolean;
  /** Mnemonic of the plain (scaled immediate) form. */
  mn: string;
}

const ACCESS = new Map<number, Access | null>();
/** Decodes size:V:opc of the single-register forms (memoised: semantics run once per executed instruction). */
function accessOf(size: number, v: number, opc: number): Access | null {
  const key = (size << 3) | (v << 2) | opc;
  let a = ACCESS.get(key);
  if (a === undefined) {
    a = decodeAccess(size, v, opc);
    ACCESS.set(key, a);
  }
  return a;
}

/** size:V:opc → what moves; null when unallocated. */
function decodeAccess(size: number, v: number, opc: number): Access | null {
  if (v) {
    if (opc >= 2 && size !== 0) return null;
    const bytes = (opc >= 2 ? 16 : 1 << size) as Access['bytes'];
    return { bytes, load: (opc & 1) === 1, regBits: 0, signed: false, prefetch: false, mn: opc & 1 ? 'ldr' : 'str' };
  }
  const bytes = (1 << size) as Access['bytes'];
  const suffix = ['b', 'h', '', ''][size];
  if (opc === 0) return { bytes, load: false, regBits: size === 3 ? 64 : 32, signed: false, prefetch: false, mn: 'str' + suffix };
  if (opc === 1) return { bytes, load: true, regBits: size === 3 ? 64 : 32, signed: false, prefetch: false, mn: 'ldr' + suffix };
  if (opc === 2) {
    if (size === 3) return { bytes, load: false, regBits: 0, signed: false, prefetch: true, mn: 'prfm' };
    return { bytes, load: true, regBits: 64, signed: true, prefetch: false, mn: 'ldrs' + (size === 2 ? 'w' : suffix) };
  }
  if (size >= 2) return null;
  return { bytes, load: true, regBits: 32, signed: true, prefetch: false, mn: 'ldrs' + suffix };
}

const FPREG = ['b', 'h', 's', 'd', 'q'];

/** Name of the transfer register. */
function treg(a: Access, t: number): string {
  if (a.regBits === 0) return `${FPREG[Math.log2(a.bytes)]}${t}`;
  return rz(t, a.regBits === 64 ? 1 : 0);
}

const PRF_TYPE = ['pld', 'pli', 'pst'];
function prfop(t: number): string {
  const type = t >> 3;
  const tgt = (t >> 1) & 3;
  if (type === 3 || tgt === 3) return `#0x${t.toString(16).padStart(2, '0')}`;
  return `${PRF_TYPE[type]}l${tgt + 1}${t & 1 ? 'strm' : 'keep'}`;
}

/** Performs the memory side: a load returns the value(s) to write later; a store reads Rt and writes memory. */
function memory<V, B>(e: Emitter<V, B>, a: Access, t: number, addr: V): (() => void) | null {
  if (a.prefetch) return null;
  if (a.regBits === 0) {
    if (a.load) {
      if (a.bytes === 16) {
        if (e.load128) return e.load128(addr, t);
        const lo = e.load(addr, 8);
        const hi = e.load(e.add(addr, e.c(8)), 8);
        return () => {
          e.setV(t, 0, 64, lo);
          e.setV(t, 1, 64, hi);
        };
      }
      const v = e.load(addr, a.bytes as MemSize);
      return () => {
        e.setV(t, 0, 64, v);
        e.setV(t, 1, 64, e.c(0));
      };
    }
    if (a.bytes === 16 && e.store128) e.store128(addr, t);
    else if (a.bytes === 16) {
      const lo = e.getV(t, 0, 64);
      const hi = e.getV(t, 1, 64);
      e.store(addr, lo, 8);
      e.store(e.add(addr, e.c(8)), hi, 8);
    } else e.store(addr, e.getV(t, 0, a.bytes * 8), a.bytes as MemSize);
    return null;
  }
  if (a.load) {
    let v = e.load(addr, a.bytes as MemSize, a.signed);
    if (a.regBits === 32) v = e.zext(v, 32);
    return () => e.setX(t, v);
  }
  e.store(addr, e.getX(t), a.bytes as MemSize);
  return null;
}

function base<V, B>(e: Emitter<V, B>, n: number): V {
  return n === 31 ? e.getSP() : e.getX(n);
}
function setBase<V, B>(e: Emitter<V, B>, n: number, v: V): void {
  if (n === 31) e.setSP(v);
  else e.setX(n, v);
}

/** One single-register transfer at base + offset, with optional writeback (pre: address = new base). */
function single<V, B>(e: Emitter<V, B>, a: Access, f: Fields, offset: V, mode: 'offset' | 'pre' | 'post'): void {
  const b = base(e, f.Rn);
  const updated = e.add(b, offset);
  const addr = mode === 'post' ? b : updated;
  const finish = memory(e, a, f.Rt, addr);
  finish?.();
  if (mode !== 'offset') setBase(e, f.Rn, updated);
}

function offsetText(off: number): string {
  return off ? `, #${off}` : '';
}

const M_UNSCALED: Record<string, string> = {};
function renamed(mn: string, kind: 'unscaled' | 'unpriv'): string {
  const key = kind + mn;
  let r = M_UNSCALED[key];
  if (r === undefined) {
    if (mn === 'prfm') r = kind === 'unscaled' ? 'prfum' : '';
    else r = mn.replace(/^(ldr|str)/, (m) => (kind === 'unscaled' ? (m === 'ldr' ? 'ldur' : 'stur') : m === 'ldr' ? 'ldtr' : 'sttr'));
    M_UNSCALED[key] = r;
  }
  return r;
}

const EXT_NAMES: Record<number, string> = { 2: 'uxtw', 3: 'lsl', 6: 'sxtw', 7: 'sxtx' };

// ---- pairs ----
interface PairAccess {
  bytes: 4 | 8 | 16;
  fp: boolean;
  signed: boolean;
}
const PAIRS = new Map<number, Access | null>();
/** The Access of one register of a pair (memoised). */
function pairAccess(opc: number, v: number, l: number): Access | null {
  const key = (opc << 2) | (v << 1) | l;
  let a = PAIRS.get(key);
  if (a === undefined) {
    const p = pairOf(opc, v, l);
    a = p && { bytes: p.bytes, load: l === 1, regBits: p.fp ? 0 : p.bytes === 8 || p.signed ? 64 : 32, signed: p.signed, prefetch: false, mn: '' };
    PAIRS.set(key, a);
  }
  return a;
}

function pairOf(opc: number, v: number, l: number): PairAccess | null {
  if (v) return opc === 3 ? null : { bytes: (4 << opc) as PairAccess['bytes'], fp: true, signed: false };
  if (opc === 0) return { bytes: 4, fp: false, signed: false };
  if (opc === 1) return l ? { bytes: 4, fp: false, signed: true } : null;
  if (opc === 2) return { bytes: 8, fp: false, signed: false };
  return null;
}

function pairReg(p: PairAccess, r: number): string {
  if (p.fp) return `${FPREG[Math.log2(p.bytes)]}${r}`;
  return rz(r, p.bytes === 8 || p.signed ? 1 : 0);
}

function pairExec<V, B>(e: Emitter<V, B>, f: Fields, p: PairAccess, mode: 'offset' | 'pre' | 'post'): void {
  const a = pairAccess(f.opc, f.V, f.L) as Access;
  const b = base(e, f.Rn);
  const updated = e.add(b, e.c(sextField(f.imm7, 7) * p.bytes));
  const addr = mode === 'post' ? b : updated;
  const f1 = memory(e, a, f.Rt, addr);
  const f2 = memory(e, a, f.Rt2, e.add(addr, e.c(p.bytes)));
  f1?.();
  f2?.();
  if (mode !== 'offset') setBase(e, f.Rn, updated);
}

function pairDis(f: Fields, p: PairAccess, mode: 'offset' | 'pre' | 'post', nt: boolean): string {
  const mn = nt ? (f.L ? 'ldnp' : 'stnp') : p.signed ? 'ldpsw' : f.L ? 'ldp' : 'stp';
  const off = sextField(f.imm7, 7) * p.bytes;
  const regs = `${pairReg(p, f.Rt)}, ${pairReg(p, f.Rt2)}`;
  const rn = rsp(f.Rn, 1);
  if (mode === 'pre') return `${mn}\t${regs}, [${rn}, #${off}]!`;
  if (mode === 'post') return `${mn}\t${regs}, [${rn}], #${off}`;
  return `${mn}\t${regs}, [${rn}${offsetText(off)}]`;
}

// ---- exclusives and ordered ----
const EXCL_SUFFIX = ['b', 'h', '', ''];

export const loadsStores: EncodingSpec[] = [
  {
    name: 'LDST_imm_unsigned',
    pattern: 'size:2 111 V 01 opc:2 imm12 Rn Rt',
    when: (f) => accessOf(f.size, f.V, f.opc) !== null,
    exec: (e, f) => {
      const a = accessOf(f.size, f.V, f.opc) as Access;
      single(e, a, f, e.c(f.imm12 * a.bytes), 'offset');
    },
    dis: (f) => {
      const a = accessOf(f.size, f.V, f.opc) as Access;
      const first = a.prefetch ? prfop(f.Rt) : treg(a, f.Rt);
      return `${a.mn}\t${first}, [${rsp(f.Rn, 1)}${offsetText(f.imm12 * a.bytes)}]`;
    },
  },
  {
    name: 'LDST_imm9',
    pattern: 'size:2 111 V 00 opc:2 0 imm9 op2:2 Rn Rt',
    when: (f) => {
      const a = accessOf(f.size, f.V, f.opc);
      if (!a) return false;
      if (a.prefetch) return f.op2 === 0; // PRFUM only
      return !(f.op2 === 2 && f.V); // no unprivileged SIMD&FP forms
    },
    exec: (e, f) => {
      const a = accessOf(f.size, f.V, f.opc) as Access;
      const off = e.c(sextField(f.imm9, 9));
      single(e, a, f, off, f.op2 === 1 ? 'post' : f.op2 === 3 ? 'pre' : 'offset');
    },
    dis: (f) => {
      const a = accessOf(f.size, f.V, f.opc) as Access;
      const off = sextField(f.imm9, 9);
      const rn = rsp(f.Rn, 1);
      const first = a.prefetch ? prfop(f.Rt) : treg(a, f.Rt);
      if (f.op2 === 0) return `${renamed(a.mn, 'unscaled')}\t${first}, [${rn}${offsetText(off)}]`;
      if (f.op2 === 2) return `${renamed(a.mn, 'unpriv')}\t${first}, [${rn}${offsetText(off)}]`;
      if (f.op2 === 1) return `${a.mn}\t${first}, [${rn}], #${off}`;
      return `${a.mn}\t${first}, [${rn}, #${off}]!`;
    },
  },
  {
    name: 'LDST_reg',
    pattern: 'size:2 111 V 00 opc:2 1 Rm option:3 S 10 Rn Rt',
    when: (f) => accessOf(f.size, f.V, f.opc) !== null && (f.option & 2) === 2,
    exec: (e, f) => {
      const a = accessOf(f.size, f.V, f.opc) as Access;
      const m = e.getX(f.Rm);
      let off = f.option === 2 ? e.zext(m, 32) : f.option === 6 ? e.sext(m, 32) : m;
      const amount = f.S ? Math.log2(a.bytes) : 0;
      if (amount) off = e.shl(off, e.c(amount));
      single(e, a, f, off, 'offset');
    },
    dis: (f) => {
      const a = accessOf(f.size, f.V, f.opc) as Access;
      const amount = f.S ? Math.log2(a.bytes) : 0;
      const rm = rz(f.Rm, f.option & 1);
      let ext: string;
      if (f.option === 3) ext = f.S ? `, lsl #${amount}` : '';
      else ext = `, ${EXT_NAMES[f.option]}${f.S ? ` #${amount}` : ''}`;
      const first = a.prefetch ? prfop(f.Rt) : treg(a, f.Rt);
      return `${a.mn}\t${first}, [${rsp(f.Rn, 1)}, ${rm}${ext}]`;
    },
  },
  {
    name: 'LDR_literal',
    pattern: 'opc:2 011 V 00 imm19 Rt',
    when: (f) => !(f.V && f.opc === 3),
    exec: (e, f, pc) => {
      const addr = e.c(pc + BigInt(sextField(f.imm19, 19) * 4));
      if (!f.V && f.opc === 3) return; // PRFM (literal)
      const a: Access = f.V
        ? { bytes: (4 << f.opc) as Access['bytes'], load: true, regBits: 0, signed: false, prefetch: false, mn: 'ldr' }
        : f.opc === 2
          ? { bytes: 4, load: true, regBits: 64, signed: true, prefetch: false, mn: 'ldrsw' }
          : { bytes: f.opc ? 8 : 4, load: true, regBits: f.opc ? 64 : 32, signed: false, prefetch: false, mn: 'ldr' };
      memory(e, a, f.Rt, addr)?.();
    },
    dis: (f, pc) => {
      const t = target(pc + BigInt(sextField(f.imm19, 19) * 4));
      if (f.V) return `ldr\t${FPREG[2 + f.opc]}${f.Rt}, ${t}`;
      if (f.opc === 3) return `prfm\t${prfop(f.Rt)}, ${t}`;
      if (f.opc === 2) return `ldrsw\t${rz(f.Rt, 1)}, ${t}`;
      return `ldr\t${rz(f.Rt, f.opc)}, ${t}`;
    },
  },
  {
    name: 'LDST_pair',
    pattern: 'opc:2 101 V mode:3 L imm7:7 Rt2 Rn Rt',
    when: (f) => f.mode <= 3 && pairOf(f.opc, f.V, f.L) !== null && !(f.mode === 0 && !f.V && f.opc === 1),
    exec: (e, f) => {
      const p = pairOf(f.opc, f.V, f.L) as PairAccess;
      pairExec(e, f, p, f.mode === 1 ? 'post' : f.mode === 3 ? 'pre' : 'offset');
    },
    dis: (f) => {
      const p = pairOf(f.opc, f.V, f.L) as PairAccess;
      return pairDis(f, p, f.mode === 1 ? 'post' : f.mode === 3 ? 'pre' : 'offset', f.mode === 0);
    },
  },
  {
    name: 'LDST_exclusive',
    pattern: 'size:2 001000 0 L 0 Rs o0 Rt2 Rn Rt',
    exec: (e, f) => {
      const bytes = (1 << f.size) as MemSize;
      const addr = base(e, f.Rn);
      if (f.L) {
        const v = e.loadExclusive(addr, bytes);
        e.setX(f.Rt, v);
      } else {
        const status = e.storeExclusive(addr, e.getX(f.Rt), bytes);
        e.setX(f.Rs, status);
      }
    },
    dis: (f) => {
      const mn = `${f.L ? 'ld' : 'st'}${f.o0 ? (f.L ? 'a' : 'l') : ''}xr${EXCL_SUFFIX[f.size]}`;
      const rt = rz(f.Rt, f.size === 3 ? 1 : 0);
      if (f.L) return `${mn}\t${rt}, [${rsp(f.Rn, 1)}]`;
      return `${mn}\t${rz(f.Rs, 0)}, ${rt}, [${rsp(f.Rn, 1)}]`;
    },
  },
  {
    name: 'LDST_exclusive_pair',
    pattern: '1 sz 001000 0 L 1 Rs o0 Rt2 Rn Rt',
    exec: (e, f) => {
      const addr = base(e, f.Rn);
      if (f.sz === 0) {
        // Two words: one 8-byte exclusive access (alignment to the pair's size is required anyway).
        if (f.L) {
          const v = e.loadExclusive(addr, 8);
          e.setX(f.Rt, e.zext(v, 32));
          e.setX(f.Rt2, e.lshr(v, e.c(32)));
        } else {
          const v = e.or(e.zext(e.getX(f.Rt), 32), e.shl(e.getX(f.Rt2), e.c(32)));
          e.setX(f.Rs, e.storeExclusive(addr, v, 8));
        }
        return;
      }
      if (f.L) {
        const lo = e.loadExclusive(addr, 8, 16);
        const hi = e.load(e.add(addr, e.c(8)), 8);
        e.setX(f.Rt, lo);
        e.setX(f.Rt2, hi);
      } else {
        const hiAddr = e.add(addr, e.c(8));
        const hi = e.getX(f.Rt2);
        e.load(hiAddr, 8); // fault on the second half before anything is stored
        const status = e.storeExclusive(addr, e.getX(f.Rt), 8, 16);
        e.store(hiAddr, e.select(e.eq(status, e.c(0)), hi, e.load(hiAddr, 8)), 8);
        e.setX(f.Rs, status);
      }
    },
    dis: (f) => {
      const mn = `${f.L ? 'ld' : 'st'}${f.o0 ? (f.L ? 'a' : 'l') : ''}xp`;
      const regs = `${rz(f.Rt, f.sz)}, ${rz(f.Rt2, f.sz)}, [${rsp(f.Rn, 1)}]`;
      return f.L ? `${mn}\t${regs}` : `${mn}\t${rz(f.Rs, 0)}, ${regs}`;
    },
  },
  {
    name: 'LDST_ordered',
    pattern: 'size:2 001000 1 L 0 Rs o0 Rt2 Rn Rt',
    exec: (e, f) => {
      if (!f.o0) return e.undefined(); // LDLAR/STLLR are ARMv8.1 (LOR)
      const bytes = (1 << f.size) as MemSize;
      const addr = base(e, f.Rn);
      if (f.L) e.setX(f.Rt, e.load(addr, bytes));
      else e.store(addr, e.getX(f.Rt), bytes);
    },
    dis: (f) => {
      const mn = `${f.L ? (f.o0 ? 'ldar' : 'ldlar') : f.o0 ? 'stlr' : 'stllr'}${EXCL_SUFFIX[f.size]}`;
      return `${mn}\t${rz(f.Rt, f.size === 3 ? 1 : 0)}, [${rsp(f.Rn, 1)}]`;
    },
  },
  // ---- LSE (ARMv8.1) atomics: described for disassembly; executing them is SIGILL since AT_HWCAP lacks ATOMICS ----
  {
    name: 'LSE_atomic',
    pattern: 'size:2 111 0 00 A R 1 Rs o3 opc:3 00 Rn Rt',
    ext: 'lse',
    when: (f) => f.o3 === 0 || f.opc === 0,
    dis: (f) => {
      const op = f.o3 ? 'swp' : ['add', 'clr', 'eor', 'set', 'smax', 'smin', 'umax', 'umin'][f.opc];
      const sfx = EXCL_SUFFIX[f.size];
      const sf = f.size === 3 ? 1 : 0;
      if (!f.o3 && f.Rt === 31 && !f.A) return `st${op}${f.R ? 'l' : ''}${sfx}\t${rz(f.Rs, sf)}, [${rsp(f.Rn, 1)}]`;
      const mn = `${f.o3 ? 'swp' : 'ld' + op}${f.A ? 'a' : ''}${f.R ? 'l' : ''}${sfx}`;
      return `${mn}\t${rz(f.Rs, sf)}, ${rz(f.Rt, sf)}, [${rsp(f.Rn, 1)}]`;
    },
  },
  {
    name: 'LSE_cas',
    pattern: 'size:2 001000 1 L 1 Rs o0 11111 Rn Rt',
    ext: 'lse',
    dis: (f) => {
      const sf = f.size === 3 ? 1 : 0;
      const mn = `cas${f.L ? 'a' : ''}${f.o0 ? 'l' : ''}${EXCL_SUFFIX[f.size]}`;
      return `${mn}\t${rz(f.Rs, sf)}, ${rz(f.Rt, sf)}, [${rsp(f.Rn, 1)}]`;
    },
  },
  {
    name: 'LSE_casp',
    pattern: '0 sz 001000 0 L 1 Rs o0 11111 Rn Rt',
    ext: 'lse',
    when: (f) => f.Rs % 2 === 0 && f.Rt % 2 === 0,
    dis: (f) => {
      const mn = `casp${f.L ? 'a' : ''}${f.o0 ? 'l' : ''}`;
      const r = (n: number) => rz(n, f.sz);
      return `${mn}\t${r(f.Rs)}, ${r(f.Rs + 1)}, ${r(f.Rt)}, ${r(f.Rt + 1)}, [${rsp(f.Rn, 1)}]`;
    },
  },
];
