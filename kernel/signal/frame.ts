// The Linux arm64 signal frame (arch/arm64/kernel/signal.c): what a handler finds on its stack and what
// rt_sigreturn reads back. Layout of struct rt_sigframe:
//   siginfo (128 bytes) | ucontext: uc_flags, uc_link, uc_stack, uc_sigmask (+120 bytes of padding), then at 176
//   the sigcontext: fault_address, x0–x30, sp, pc, pstate, and 4096 bytes of records: the fpsimd_context
//   (magic 0x46508001, size 528: fpsr, fpcr, v0–v31) and a zero terminator.
// Above the frame sits a frame record {x29, x30}, so a debugger can unwind through the handler.
import type { SigInfo, Task } from '../proc/process.js';
import { SIGRETURN_TRAMPOLINE } from '../proc/exec.js';
import { SA, type SigAction } from './signals.js';

const SIGINFO = 0;
const UC = 128;
const UC_STACK = UC + 16;
const UC_SIGMASK = UC + 40;
const MC = UC + 176;
const MC_REGS = MC + 8;
const MC_SP = MC + 256;
const MC_PC = MC + 264;
const MC_PSTATE = MC + 272;
const MC_RESERVED = MC + 288;
export const FRAME_SIZE = MC_RESERVED + 4096;
const FPSIMD_MAGIC = 0x46508001;
const FPSIMD_SIZE = 528;

export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
export const SS_AUTODISARM = 0x80000000;

/** siginfo_t as the handler sees it (the union's layout for kill, SIGCHLD and faults). */
export function encodeSiginfo(info: SigInfo): Uint8Array {
  const b = new Uint8Array(128);
  const v = new DataView(b.buffer);
  v.setInt32(0, info.signo, true);
  v.setInt32(8, info.code, true);
  if (info.addr !== undefined) v.setBigUint64(16, info.addr, true);
  else {
    v.setInt32(16, info.pid ?? 0, true);
    v.setInt32(20, info.uid ?? 0, true);
    if (info.status !== undefined) v.setInt32(24, info.status, true);
  }
  return b;
}

function onAltStack(task: Task, sp: bigint): boolean {
  const a = task.altStack;
  return (a.flags & SS_DISABLE) === 0 && sp > a.sp && sp <= a.sp + a.size;
}

/** sigaltstack's view of the current state: SS_ONSTACK while running on it. */
export function altStackFlags(task: Task): number {
  if (task.altStack.flags & SS_DISABLE) return SS_DISABLE;
  return onAltStack(task, task.cpu.sp) ? SS_ONSTACK : 0;
}

/**
 * Builds the frame for `sig` and points the task at its handler. `oldMask` is the mask sigreturn restores.
 * Returns false when the frame cannot be written (the stack is bad): the caller kills the process with SIGSEGV.
 */
export function setupFrame(task: Task, sig: number, info: SigInfo, act: SigAction, oldMask: bigint): boolean {
  const cpu = task.cpu;
  const proc = task.proc;
  let sp = cpu.sp;
  const alt = task.altStack;
  if (act.flags & SA.ONSTACK && (alt.flags & SS_DISABLE) === 0 && !onAltStack(task, sp)) sp = alt.sp + alt.size;
  const record = (sp - 16n) & ~15n;
  const frame = (record - BigInt(FRAME_SIZE)) & ~15n;

  const b = new Uint8Array(FRAME_SIZE);
  const v = new DataView(b.buffer);
  b.set(encodeSiginfo(info), SIGINFO);
  v.setBigUint64(UC_STACK, alt.sp, true);
  v.setInt32(UC_STACK + 8, altStackFlags(task), true);
  v.setBigUint64(UC_STACK + 16, alt.size, true);
  v.setBigUint64(UC_SIGMASK, oldMask, true);
  if (info.addr !== undefined) v.setBigUint64(MC, info.addr, true);
  for (let i = 0; i < 31; i++) v.setBigUint64(MC_REGS + 8 * i, cpu.x[i], true);
  v.setBigUint64(MC_SP, cpu.sp, true);
  v.setBigUint64(MC_PC, cpu.pc, true);
  v.setBigUint64(MC_PSTATE, BigInt(cpu.nzcv >>> 0), true);
  v.setUint32(MC_RESERVED, FPSIMD_MAGIC, true);
  v.setUint32(MC_RESERVED + 4, FPSIMD_SIZE, true);
  v.setUint32(MC_RESERVED + 8, cpu.fpsr >>> 0, true);
  v.setUint32(MC_RESERVED + 12, cpu.fpcr >>> 0, true);
  b.set(cpu.vbytes, MC_RESERVED + 16);
  // The terminator record (magic 0, size 0) is already zero.
  const rec = new Uint8Array(16);
  new DataView(rec.buffer).setBigUint64(0, cpu.x[29], true);
  new DataView(rec.buffer).setBigUint64(8, cpu.x[30], true);
  if (!proc.write(frame, b) || !proc.write(record, rec)) return false;
  proc.mem.noteStack(Number(frame));

  cpu.x[0] = BigInt(sig);
  cpu.x[1] = frame + BigInt(SIGINFO);
  cpu.x[2] = frame + BigInt(UC);
  cpu.x[29] = record;
  cpu.x[30] = act.flags & SA.RESTORER ? act.restorer : BigInt(SIGRETURN_TRAMPOLINE);
  cpu.sp = frame;
  cpu.pc = act.handler;
  return true;
}

/** rt_sigreturn: restores registers and mask from the frame at sp. False when the frame is unreadable. */
export function restoreFrame(task: Task): { mask: bigint } | null {
  const cpu = task.cpu;
  const b = task.proc.read(cpu.sp, FRAME_SIZE);
  if (!b) return null;
  const v = new DataView(b.buffer);
  for (let i = 0; i < 31; i++) cpu.x[i] = v.getBigUint64(MC_REGS + 8 * i, true);
  cpu.sp = v.getBigUint64(MC_SP, true);
  cpu.pc = v.getBigUint64(MC_PC, true);
  cpu.nzcv = Number(v.getBigUint64(MC_PSTATE, true) & 0xf000_0000n) >>> 0;
  // Walk the records for the fpsimd one (a handler may have rearranged nothing else we keep).
  for (let at = MC_RESERVED; at + 8 <= MC_RESERVED + 4096; ) {
    const magic = v.getUint32(at, true);
    const size = v.getUint32(at + 4, true);
    if (magic === 0 || size < 8) break;
    if (magic === FPSIMD_MAGIC && size >= FPSIMD_SIZE) {
      cpu.fpsr = v.getUint32(at + 8, true);
      cpu.fpcr = v.getUint32(at + 12, true);
      cpu.vbytes.set(b.subarray(at + 16, at + 16 + 512));
    }
    at += size;
  }
  return { mask: v.getBigUint64(UC_SIGMASK, true) };
}
