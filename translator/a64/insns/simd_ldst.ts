// AdvSIMD structure loads and stores: LD1/ST1 of 1–4 consecutive registers (no interleaving), with
// optional post-index by the transfer size or a register. LD2–LD4 (interleaved) are not described yet.
import type { Emitter } from '../emitter.js';
import type { EncodingSpec, Fields } from '../encoding.js';
import { rsp } from './common.js';

const ARR = ['8b', '16b', '4h', '8h', '2s', '4s', '1d', '2d'];
/** opcode → register count for LD1/ST1 (multiple structures). */
const LD1_REGS: Record<number, number> = { 7: 1, 10: 2, 6: 3, 2: 4 };

function ld1st1<V, B>(e: Emitter<V, B>, f: Fields, post: boolean): void {
  const regs = LD1_REGS[f.opcode];
  const bytes = f.Q ? 16 : 8;
  const base = f.Rn === 31 ? e.getSP() : e.getX(f.Rn);
  if (f.L) {
    const vals: V[][] = [];
    for (let r = 0; r < regs; r++) {
      const lo = e.load(e.add(base, e.c(r * bytes)), 8);
      const hi = f.Q ? e.load(e.add(base, e.c(r * bytes + 8)), 8) : e.c(0);
      vals.push([lo, hi]);
    }
    vals.forEach(([lo, hi], r) => {
      e.setV((f.Rt + r) % 32, 0, 64, lo);
      e.setV((f.Rt + r) % 32, 1, 64, hi);
    });
  } else {
    for (let r = 0; r < regs; r++) {
      const t = (f.Rt + r) % 32;
      e.store(e.add(base, e.c(r * bytes)), e.getV(t, 0, 64), 8);
      if (f.Q) e.store(e.add(base, e.c(r * bytes + 8)), e.getV(t, 1, 64), 8);
    }
  }
  if (post) {
    const inc = f.Rm === 31 ? e.c(regs * bytes) : e.getX(f.Rm);
    const nb = e.add(base, inc);
    if (f.Rn === 31) e.setSP(nb);
    else e.setX(f.Rn, nb);
  }
}

function regList(f: Fields): string {
  const t = ARR[f.size * 2 + f.Q];
  return Array.from({ length: LD1_REGS[f.opcode] }, (_, r) => `v${(f.Rt + r) % 32}.${t}`).join(', ');
}

export const simdLoadsStores: EncodingSpec[] = [
  {
    name: 'LD1_ST1_multi',
    pattern: '0 Q 0011000 L 000000 opcode:4 size:2 Rn Rt',
    when: (f) => LD1_REGS[f.opcode] !== undefined,
    exec: (e, f) => ld1st1(e, f, false),
    dis: (f) => `${f.L ? 'ld1' : 'st1'}\t{${regList(f)}}, [${rsp(f.Rn, 1)}]`,
  },
  {
    name: 'LD1_ST1_multi_post',
    pattern: '0 Q 0011001 L 0 Rm opcode:4 size:2 Rn Rt',
    when: (f) => LD1_REGS[f.opcode] !== undefined,
    exec: (e, f) => ld1st1(e, f, true),
    dis: (f) => {
      const inc = f.Rm === 31 ? `#${LD1_REGS[f.opcode] * (f.Q ? 16 : 8)}` : `x${f.Rm}`;
      return `${f.L ? 'ld1' : 'st1'}\t{${regList(f)}}, [${rsp(f.Rn, 1)}], ${inc}`;
    },
  },
];
