// Clocks and sleeping. Sleeps park the process on a host timer: no busy waiting (D10).
import { ERRNO } from '../abi/errno.js';
import { encodeTimespec } from '../abi/structs.js';
import type { Process } from '../proc/process.js';
import { int32, type Handler } from './types.js';

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_PROCESS_CPUTIME_ID = 2;
const CLOCK_THREAD_CPUTIME_ID = 3;
const CLOCK_BOOTTIME = 7;
const t0 = process.hrtime.bigint();

function nowNs(clock: number): bigint | null {
  switch (clock) {
    case CLOCK_REALTIME:
    case 5: // CLOCK_REALTIME_COARSE
    case 8: // CLOCK_REALTIME_ALARM
      return BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    case CLOCK_MONOTONIC:
    case 4: // CLOCK_MONOTONIC_RAW
    case 6: // CLOCK_MONOTONIC_COARSE
    case CLOCK_BOOTTIME:
      return process.hrtime.bigint();
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
      return process.hrtime.bigint() - t0;
    default:
      return null;
  }
}

const clock_gettime: Handler = ({ proc }, a) => {
  const ns = nowNs(int32(a[0]));
  if (ns === null) return -ERRNO.EINVAL;
  return proc.write(a[1], encodeTimespec(ns / 1_000_000_000n, ns % 1_000_000_000n)) ? 0 : -ERRNO.EFAULT;
};

const clock_getres: Handler = ({ proc }, a) => {
  if (nowNs(int32(a[0])) === null) return -ERRNO.EINVAL;
  if (a[1] === 0n) return 0;
  return proc.write(a[1], encodeTimespec(0n, 1n)) ? 0 : -ERRNO.EFAULT;
};

const gettimeofday: Handler = ({ proc }, a) => {
  if (a[0] === 0n) return 0;
  const ns = nowNs(CLOCK_REALTIME) as bigint;
  return proc.write(a[0], encodeTimespec(ns / 1_000_000_000n, (ns % 1_000_000_000n) / 1000n)) ? 0 : -ERRNO.EFAULT;
};

function readTimespec(p: Process, addr: bigint): bigint | number {
  const b = p.read(addr, 16);
  if (!b) return -ERRNO.EFAULT;
  const v = new DataView(b.buffer);
  const sec = v.getBigInt64(0, true);
  const nsec = v.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -ERRNO.EINVAL;
  return sec * 1_000_000_000n + nsec;
}

function sleepNs(ns: bigint): Promise<number> {
  return new Promise((resolve) => setTimeout(() => resolve(0), Number(ns / 1_000_000n)));
}

const nanosleep: Handler = ({ proc }, a) => {
  const ns = readTimespec(proc, a[0]);
  if (typeof ns === 'number') return ns;
  return sleepNs(ns);
};

const TIMER_ABSTIME = 1;
const clock_nanosleep: Handler = ({ proc }, a) => {
  const clock = int32(a[0]);
  const now = nowNs(clock);
  if (now === null) return -ERRNO.EINVAL;
  const ns = readTimespec(proc, a[2]);
  if (typeof ns === 'number') return -ns > 0 ? ns : ns;
  const wait = int32(a[1]) & TIMER_ABSTIME ? ns - now : ns;
  return sleepNs(wait > 0n ? wait : 0n);
};

const times: Handler = ({ proc }, a) => {
  const ticks = (process.hrtime.bigint() - t0) / 10_000_000n;
  if (a[0] !== 0n) {
    const b = new Uint8Array(32);
    new DataView(b.buffer).setBigInt64(0, ticks, true);
    if (!proc.write(a[0], b)) return -ERRNO.EFAULT;
  }
  return ticks;
};

const getrusage: Handler = ({ proc }, a) => {
  const b = new Uint8Array(144);
  const us = (process.hrtime.bigint() - t0) / 1000n;
  const v = new DataView(b.buffer);
  v.setBigInt64(0, us / 1_000_000n, true);
  v.setBigInt64(8, us % 1_000_000n, true);
  return proc.write(a[1], b) ? 0 : -ERRNO.EFAULT;
};

export const timeSyscalls: Record<string, Handler> = {
  clock_gettime, clock_getres, gettimeofday, nanosleep, clock_nanosleep, times, getrusage,
};
