// Values of the system registers EL0 may read. Identification registers read as Linux shows them to user space
// (sanitised; our CPU advertises ARMv8.0 with FP and AdvSIMD only), modelled on a Cortex-A57.
import type { SysReg } from '../../translator/a64/emitter.js';
import type { CpuState } from './state.js';

/** Generic timer frequency: 62.5 MHz, as qemu-aarch64 reports. */
export const CNTFRQ = 62_500_000n;
const start = process.hrtime.bigint();

export function sysRegRead(cpu: CpuState, r: SysReg): bigint {
  switch (r) {
    case 'TPIDR_EL0':
      return cpu.tpidr;
    case 'TPIDRRO_EL0':
      return 0n;
    case 'FPCR':
      return BigInt(cpu.fpcr >>> 0);
    case 'FPSR':
      return BigInt(cpu.fpsr >>> 0);
    case 'CTR_EL0':
      return 0x8444c004n; // 64-byte lines, VIPT I-cache, as the A57
    case 'DCZID_EL0':
      return 4n; // DC ZVA allowed, 2^4 words = 64 bytes
    case 'MIDR_EL1':
      return 0x411fd070n;
    case 'MPIDR_EL1':
      return 0x80000000n;
    case 'REVIDR_EL1':
      return 0n;
    case 'CNTFRQ_EL0':
      return CNTFRQ;
    case 'CNTVCT_EL0':
      return ((process.hrtime.bigint() - start) * CNTFRQ) / 1_000_000_000n;
    case 'ID_AA64PFR0_EL1':
      return 0x11n; // EL0 and EL1 in AArch64; FP and AdvSIMD implemented (fields 0)
    case 'ID_AA64ISAR0_EL1':
    case 'ID_AA64ISAR1_EL1':
    case 'ID_AA64MMFR0_EL1':
    case 'ID_AA64ZFR0_EL1':
      return 0n;
  }
}
