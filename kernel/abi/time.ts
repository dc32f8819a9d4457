// Clocks and timers (include/uapi/linux/time.h): the clock ids of clock_gettime and clock_nanosleep, its flag,
// and the interval timers of setitimer.

export const CLOCK = {
  REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME_ID: 2, THREAD_CPUTIME_ID: 3, MONOTONIC_RAW: 4, REALTIME_COARSE: 5,
  MONOTONIC_COARSE: 6, BOOTTIME: 7, REALTIME_ALARM: 8, BOOTTIME_ALARM: 9, SGI_CYCLE: 10, TAI: 11,
} as const;

export const TIMER_ABSTIME = 1;

export const ITIMER = { REAL: 0, VIRTUAL: 1, PROF: 2 } as const;
