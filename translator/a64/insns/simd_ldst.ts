// AdvSIMD structure loads and stores: LD1–LD4/ST1–ST4 of multiple structures (interleaved), of single lanes,
// and LD1R–LD4R (load and replicate), each with optional post-index by the transfer size or a register.
// All memory is read before any register is written, so a fault leaves the registers as they were.
import type { Emitter } from '../emitter.js';
import type { EncodingSpec, Fields } from '../encoding.js';
import { rsp, vlist } from './common.js';

const ARR = ['8b', '16b', '4h', '8h', '2s', '4s', '1d', '2d'];
/** opcode → [registers, structure elements] for the multiple-structure forms. */
const MULTI: Record<number, [number, number]> = { 0: [4, 4], 2: [4, 1], 4: [3, 3], 6: [3, 1], 7: [1, 1], 8: [2, 2], 10: [2, 1] };

function baseOf<V, B>(e: Emitter<V, B>, n: number): V {
  return n === 31 ? e.getSP() : e.getX(n);
}

function postIndex<V, B>(e: Emitter<V, B>, f: Fields, base: V, bytes: number): void {
  const nb = e.add(base, f.Rm === 31 ? e.c(bytes) : e.getX(f.Rm));
  if (f.Rn === 31) e.setSP(nb);
  else e.setX(f.Rn, nb);
}

function multi<V, B>(e: Emitter<V, B>, f: Fields, post: boolean): void {
  const [regs, selem] = MULTI[f.opcode];
  const esize = 8 << f.size;
  const ebytes = esize / 8;
  const elems = (f.Q ? 128 : 64) / esize;
  const base = baseOf(e, f.Rn);
  let off = 0;
  const loaded: [number, number, V][] = [];
  for (let r = 0; r < regs / selem; r++) {
    for (let el = 0; el < elems; el++) {
      for (let s = 0; s < selem; s++) {
        const t = (f.Rt + r + s) % 32;
        const addr = e.add(base, e.c(off));
        if (f.L) loaded.push([t, el, e.load(addr, ebytes as 1 | 2 | 4 | 8)]);
        else e.store(addr, e.getV(t, el, esize), ebytes as 1 | 2 | 4 | 8);
        off += ebytes;
      }
    }
  }
  if (f.L) {
    const touched = new Set(loaded.map(([t]) => t));
    if (!f.Q) for (const t of touched) e.setV(t, 1, 64, e.c(0));
    for (const [t, el, v] of loaded) e.setV(t, el, esize, v);
  }
  if (post) postIndex(e, f, base, off);
}

function multiList(f: Fields): string {
  const [regs] = MULTI[f.opcode];
  return vlist(f.Rt, regs, `.${ARR[f.size * 2 + f.Q]}`);
}

/** Decodes a single-structure form: element size in bits and lane index, or null when reserved. */
function lane(f: Fields): { esize: number; index: number; replicate: boolean } | null {
  const kind = f.opcode >> 1;
  if (kind === 3) return f.L && !f.S ? { esize: 8 << f.size, index: 0, replicate: true } : null;
  if (kind === 0) return { esize: 8, index: (f.Q << 3) | (f.S << 2) | f.size, replicate: false };
  if (kind === 1) return f.size & 1 ? null : { esize: 16, index: (f.Q << 2) | (f.S << 1) | (f.size >> 1), replicate: false };
  if (f.size === 0) return { esize: 32, index: (f.Q << 1) | f.S, replicate: false };
  if (f.size === 1 && !f.S) return { esize: 64, index: f.Q, replicate: false };
  return null;
}

function single<V, B>(e: Emitter<V, B>, f: Fields, post: boolean): void {
  const l = lane(f) as NonNullable<ReturnType<typeof lane>>;
  const selem = ((f.opcode & 1) << 1 | f.R) + 1;
  const ebytes = (l.esize / 8) as 1 | 2 | 4 | 8;
  const base = baseOf(e, f.Rn);
  const vals: V[] = [];
  for (let s = 0; s < selem; s++) {
    const addr = e.add(base, e.c(s * ebytes));
    if (f.L) vals.push(e.load(addr, ebytes));
    else e.store(addr, e.getV((f.Rt + s) % 32, l.index, l.esize), ebytes);
  }
  vals.forEach((v, s) => {
    const t = (f.Rt + s) % 32;
    if (!l.replicate) return e.setV(t, l.index, l.esize, v);
    const n = (f.Q ? 128 : 64) / l.esize;
    for (let i = 0; i < n; i++) e.setV(t, i, l.esize, v);
    if (!f.Q) e.setV(t, 1, 64, e.c(0));
  });
  if (post) postIndex(e, f, base, selem * ebytes);
}

function singleText(f: Fields, post: boolean): string {
  const l = lane(f) as NonNullable<ReturnType<typeof lane>>;
  const selem = ((f.opcode & 1) << 1 | f.R) + 1;
  const mn = `${f.L ? 'ld' : 'st'}${selem}${l.replicate ? 'r' : ''}`;
  const suffix = l.replicate ? `.${ARR[f.size * 2 + f.Q]}` : `.${'bhsd'[Math.log2(l.esize / 8)]}`;
  const list = l.replicate ? vlist(f.Rt, selem, suffix) : `${vlist(f.Rt, selem, suffix)}[${l.index}]`;
  const inc = f.Rm === 31 ? `#${selem * (l.esize / 8)}` : `x${f.Rm}`;
  return `${mn}\t${list}, [${rsp(f.Rn, 1)}]${post ? `, ${inc}` : ''}`;
}

const multiOk = (f: Fields) => MULTI[f.opcode] !== undefined && !(f.size === 3 && !f.Q && MULTI[f.opcode][1] > 1);

export const simdLoadsStores: EncodingSpec[] = [
  {
    name: 'LDST_multi',
    pattern: '0 Q 0011000 L 000000 opcode:4 size:2 Rn Rt',
    when: multiOk,
    exec: (e, f) => multi(e, f, false),
    dis: (f) => `${f.L ? 'ld' : 'st'}${MULTI[f.opcode][1]}\t${multiList(f)}, [${rsp(f.Rn, 1)}]`,
  },
  {
    name: 'LDST_multi_post',
    pattern: '0 Q 0011001 L 0 Rm opcode:4 size:2 Rn Rt',
    when: multiOk,
    exec: (e, f) => multi(e, f, true),
    dis: (f) => {
      const [regs, selem] = MULTI[f.opcode];
      const inc = f.Rm === 31 ? `#${regs * (f.Q ? 16 : 8)}` : `x${f.Rm}`;
      return `${f.L ? 'ld' : 'st'}${selem}\t${multiList(f)}, [${rsp(f.Rn, 1)}], ${inc}`;
    },
  },
  {
    name: 'LDST_single',
    pattern: '0 Q 0011010 L R 00000 opcode:3 S size:2 Rn Rt',
    when: (f) => lane(f) !== null,
    exec: (e, f) => single(e, { ...f, Rm: 31 }, false),
    dis: (f) => singleText({ ...f, Rm: 31 }, false),
  },
  {
    name: 'LDST_single_post',
    pattern: '0 Q 0011011 L R Rm opcode:3 S size:2 Rn Rt',
    when: (f) => lane(f) !== null,
    exec: (e, f) => single(e, f, true),
    dis: (f) => singleText(f, true),
  },
];
