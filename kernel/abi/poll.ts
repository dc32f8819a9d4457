// poll(2) events (include/uapi/asm-generic/poll.h).

export const POLL = {
  IN: 1, PRI: 2, OUT: 4, ERR: 8, HUP: 0x10, NVAL: 0x20, RDNORM: 0x40, RDBAND: 0x80, WRNORM: 0x100, WRBAND: 0x200,
  MSG: 0x400, REMOVE: 0x1000, RDHUP: 0x2000,
} as const;
