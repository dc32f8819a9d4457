// System instructions: hints (NOP, YIELD, BTI, PACIASP… — all NOPs on a CPU without those extensions),
// barriers, CLREX, MRS/MSR of the registers EL0 may use, and the cache maintenance EL0 may issue.
import type { SysReg } from '../emitter.js';
import type { EncodingSpec } from '../encoding.js';
import { rz } from './common.js';

const HINTS: Record<number, string> = {
  0: 'nop', 1: 'yield', 2: 'wfe', 3: 'wfi', 4: 'sev', 5: 'sevl', 7: 'xpaclri', 8: 'pacia1716', 10: 'pacib1716',
  12: 'autia1716', 14: 'autib1716', 16: 'esb', 17: 'psb csync', 18: 'tsb csync', 20: 'csdb', 24: 'paciaz',
  25: 'paciasp', 26: 'pacibz', 27: 'pacibsp', 28: 'autiaz', 29: 'autiasp', 30: 'autibz', 31: 'autibsp', 32: 'bti',
  34: 'bti\tc', 36: 'bti\tj', 38: 'bti\tjc',
};

const BARRIER_OPTS: Record<number, string> = {
  1: 'oshld', 2: 'oshst', 3: 'osh', 5: 'nshld', 6: 'nshst', 7: 'nsh', 9: 'ishld', 10: 'ishst', 11: 'ish', 13: 'ld',
  14: 'st', 15: 'sy',
};

/** op0:op1:CRn:CRm:op2 → register, for the system registers EL0 may read (Linux emulates the ID registers). */
const SYSREGS: Record<string, { reg: SysReg | 'NZCV'; name: string; write: boolean }> = {
  '3:3:13:0:2': { reg: 'TPIDR_EL0', name: 'tpidr_el0', write: true },
  '3:3:13:0:3': { reg: 'TPIDRRO_EL0', name: 'tpidrro_el0', write: false },
  '3:3:4:2:0': { reg: 'NZCV', name: 'nzcv', write: true },
  '3:3:4:4:0': { reg: 'FPCR', name: 'fpcr', write: true },
  '3:3:4:4:1': { reg: 'FPSR', name: 'fpsr', write: true },
  '3:3:0:0:1': { reg: 'CTR_EL0', name: 'ctr_el0', write: false },
  '3:3:0:0:7': { reg: 'DCZID_EL0', name: 'dczid_el0', write: false },
  '3:0:0:0:0': { reg: 'MIDR_EL1', name: 'midr_el1', write: false },
  '3:0:0:0:5': { reg: 'MPIDR_EL1', name: 'mpidr_el1', write: false },
  '3:0:0:0:6': { reg: 'REVIDR_EL1', name: 'revidr_el1', write: false },
  '3:3:14:0:2': { reg: 'CNTVCT_EL0', name: 'cntvct_el0', write: false },
  '3:3:14:0:0': { reg: 'CNTFRQ_EL0', name: 'cntfrq_el0', write: false },
  '3:0:0:4:0': { reg: 'ID_AA64PFR0_EL1', name: 'id_aa64pfr0_el1', write: false },
  '3:0:0:4:4': { reg: 'ID_AA64ZFR0_EL1', name: 'id_aa64zfr0_el1', write: false },
  '3:0:0:6:0': { reg: 'ID_AA64ISAR0_EL1', name: 'id_aa64isar0_el1', write: false },
  '3:0:0:6:1': { reg: 'ID_AA64ISAR1_EL1', name: 'id_aa64isar1_el1', write: false },
  '3:0:0:7:0': { reg: 'ID_AA64MMFR0_EL1', name: 'id_aa64mmfr0_el1', write: false },
};

function sysKey(o0: number, op1: number, crn: number, crm: number, op2: number): string {
  return `${2 + o0}:${op1}:${crn}:${crm}:${op2}`;
}
function sysName(o0: number, op1: number, crn: number, crm: number, op2: number): string {
  return SYSREGS[sysKey(o0, op1, crn, crm, op2)]?.name ?? `s${2 + o0}_${op1}_c${crn}_c${crm}_${op2}`;
}

/** DC/IC operations by op1:CRn:CRm:op2 (CRn = 7). */
const CACHE_OPS: Record<string, string> = {
  '3:7:4:1': 'dc\tzva', '3:7:10:1': 'dc\tcvac', '3:7:11:1': 'dc\tcvau', '3:7:14:1': 'dc\tcivac',
  '3:7:12:1': 'dc\tcvap', '3:7:13:1': 'dc\tcvadp', '3:7:5:1': 'ic\tivau', '0:7:5:0': 'ic\tiallu',
  '0:7:1:0': 'ic\tialluis', '0:7:6:1': 'dc\tivac', '0:7:6:2': 'dc\tisw', '0:7:10:2': 'dc\tcsw', '0:7:14:2': 'dc\tcisw',
};

export const system: EncodingSpec[] = [
  {
    name: 'HINT',
    pattern: '11010101000000110010 imm7:7 11111',
    exec: () => {},
    dis: (f) => HINTS[f.imm7] ?? `hint\t#0x${f.imm7.toString(16)}`,
  },
  {
    name: 'CLREX',
    pattern: '11010101000000110011 CRm:4 010 11111',
    exec: (e) => e.clearExclusive(),
    dis: (f) => (f.CRm === 15 ? 'clrex' : `clrex\t#${f.CRm}`),
  },
  {
    name: 'DSB_DMB_ISB',
    pattern: '11010101000000110011 CRm:4 1 opc:2 11111',
    when: (f) => f.opc !== 3,
    exec: () => {}, // one CPU, program order: every barrier is already satisfied
    dis: (f) => {
      if (f.opc === 2) return f.CRm === 15 ? 'isb' : `isb\t#0x${f.CRm.toString(16)}`;
      if (f.opc === 0 && f.CRm === 0) return 'ssbb';
      if (f.opc === 0 && f.CRm === 4) return 'pssbb';
      const opt = BARRIER_OPTS[f.CRm] ?? `#0x${f.CRm.toString(16)}`;
      return `${f.opc === 0 ? 'dsb' : 'dmb'}\t${opt}`;
    },
  },
  {
    name: 'SB',
    pattern: '11010101000000110011 CRm:4 111 11111',
    ext: 'other',
    dis: () => 'sb',
  },
  {
    name: 'MRS_MSR',
    pattern: '1101010100 L 1 o0 op1:3 CRn:4 CRm:4 op2:3 Rt',
    exec: (e, f) => {
      const r = SYSREGS[sysKey(f.o0, f.op1, f.CRn, f.CRm, f.op2)];
      if (!r || (!f.L && !r.write)) return e.undefined();
      if (f.L) e.setX(f.Rt, r.reg === 'NZCV' ? e.getNZCV() : e.getSys(r.reg));
      else if (r.reg === 'NZCV') e.setNZCV(e.getX(f.Rt));
      else e.setSys(r.reg, e.getX(f.Rt));
    },
    dis: (f) => {
      const name = sysName(f.o0, f.op1, f.CRn, f.CRm, f.op2);
      return f.L ? `mrs\t${rz(f.Rt, 1)}, ${name}` : `msr\t${name}, ${rz(f.Rt, 1)}`;
    },
  },
  {
    name: 'SYS',
    pattern: '1101010100 L 01 op1:3 CRn:4 CRm:4 op2:3 Rt',
    exec: (e, f) => {
      const op = f.L ? undefined : CACHE_OPS[`${f.op1}:${f.CRn}:${f.CRm}:${f.op2}`];
      if (op === 'dc\tzva') {
        // Zero the 64-byte block (DCZID_EL0 says 2^4 words) holding the address.
        const addr = e.and(e.getX(f.Rt), e.c(~63n));
        for (let i = 0; i < 64; i += 8) e.store(e.add(addr, e.c(i)), e.c(0), 8);
        return;
      }
      if (op === 'ic\tivau') return e.invalidateCode(e.getX(f.Rt));
      if (op === 'dc\tcvac' || op === 'dc\tcvau' || op === 'dc\tcivac' || op === 'dc\tcvap') {
        e.load(e.getX(f.Rt), 1); // maintenance of an unmapped address faults, as on Linux
        return;
      }
      e.undefined();
    },
    dis: (f) => {
      const op = f.L ? undefined : CACHE_OPS[`${f.op1}:${f.CRn}:${f.CRm}:${f.op2}`];
      if (op) return `${op}, ${rz(f.Rt, 1)}`;
      if (f.L) return `sysl\t${rz(f.Rt, 1)}, #${f.op1}, C${f.CRn}, C${f.CRm}, #${f.op2}`;
      return `sys\t#${f.op1}, C${f.CRn}, C${f.CRm}, #${f.op2}${f.Rt === 31 ? '' : `, ${rz(f.Rt, 1)}`}`;
    },
  },
];
