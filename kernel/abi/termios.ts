// The terminal ABI of Linux's generic architectures (asm-generic/termbits.h, ioctls.h), as AArch64 has it: the
// kernel's struct termios and termios2, the flag bits of its four words, the c_cc indices, the tty ioctls.

/** c_iflag bits. */
export const I = {
  IGNBRK: 0o1, BRKINT: 0o2, IGNPAR: 0o4, PARMRK: 0o10, INPCK: 0o20, ISTRIP: 0o40, INLCR: 0o100, IGNCR: 0o200,
  ICRNL: 0o400, IUCLC: 0o1000, IXON: 0o2000, IXANY: 0o4000, IXOFF: 0o10000, IMAXBEL: 0o20000, IUTF8: 0o40000,
} as const;

/** c_oflag bits. */
export const OF = {
  OPOST: 0o1, OLCUC: 0o2, ONLCR: 0o4, OCRNL: 0o10, ONOCR: 0o20, ONLRET: 0o40, OFILL: 0o100, OFDEL: 0o200,
  TABDLY: 0o14000, XTABS: 0o14000,
} as const;

/** c_oflag's delay fields: name, mask; the value is a number (NL0–NL1, CR0–CR3, TAB0–TAB3, …). */
export const OF_DELAYS: readonly (readonly [string, number])[] = [
  ['NL', 0o400], ['CR', 0o3000], ['TAB', 0o14000], ['BS', 0o20000], ['VT', 0o40000], ['FF', 0o100000],
];

/** c_cflag bits. */
export const C = {
  CBAUD: 0o10017, B38400: 0o17, CSIZE: 0o60, CS8: 0o60, CSTOPB: 0o100, CREAD: 0o200, PARENB: 0o400, PARODD: 0o1000,
  HUPCL: 0o2000, CLOCAL: 0o4000, CIBAUD: 0o2003600000, CMSPAR: 0o10000000000, CRTSCTS: 0o20000000000,
} as const;
/** The character sizes of c_cflag's CSIZE field. */
export const CSIZE = { CS5: 0, CS6: 0o20, CS7: 0o40, CS8: 0o60 } as const;

/** c_lflag bits (in the order strace prints them). */
export const L = {
  ISIG: 0o1, ICANON: 0o2, XCASE: 0o4, ECHO: 0o10, ECHOE: 0o20, ECHOK: 0o40, ECHONL: 0o100, NOFLSH: 0o200,
  IEXTEN: 0o100000, ECHOCTL: 0o1000, ECHOPRT: 0o2000, ECHOKE: 0o4000, FLUSHO: 0o10000, PENDIN: 0o40000,
  TOSTOP: 0o400, EXTPROC: 0o200000,
} as const;

/** The speeds of c_cflag's CBAUD field by name (BOTHER: the speed is in c_ispeed/c_ospeed). */
export const BAUD = {
  B0: 0, B50: 1, B75: 2, B110: 3, B134: 4, B150: 5, B200: 6, B300: 7, B600: 8, B1200: 9, B1800: 10, B2400: 11,
  B4800: 12, B9600: 13, B19200: 14, B38400: 15, BOTHER: 0o10000, B57600: 0o10001, B115200: 0o10002,
  B230400: 0o10003, B460800: 0o10004, B500000: 0o10005, B576000: 0o10006, B921600: 0o10007, B1000000: 0o10010,
  B1152000: 0o10011, B1500000: 0o10012, B2000000: 0o10013, B2500000: 0o10014, B3000000: 0o10015,
  B3500000: 0o10016, B4000000: 0o10017,
} as const;

/** Indices into c_cc. A control character of 0 (_POSIX_VDISABLE) is disabled. */
export const V = {
  VINTR: 0, VQUIT: 1, VERASE: 2, VKILL: 3, VEOF: 4, VTIME: 5, VMIN: 6, VSWTC: 7, VSTART: 8, VSTOP: 9, VSUSP: 10,
  VEOL: 11, VREPRINT: 12, VDISCARD: 13, VWERASE: 14, VLNEXT: 15, VEOL2: 16,
} as const;
export const NCCS = 19;
export const VDISABLE = 0;

/** The ioctls of a terminal (the 'T' group). */
export const TIOC = {
  TCGETS: 0x5401, TCSETS: 0x5402, TCSETSW: 0x5403, TCSETSF: 0x5404, TCSBRK: 0x5409, TCXONC: 0x540a, TCFLSH: 0x540b,
  TIOCEXCL: 0x540c, TIOCNXCL: 0x540d, TIOCSCTTY: 0x540e, TIOCGPGRP: 0x540f, TIOCSPGRP: 0x5410, TIOCOUTQ: 0x5411,
  TIOCSTI: 0x5412, TIOCGWINSZ: 0x5413, TIOCSWINSZ: 0x5414, FIONREAD: 0x541b, FIONBIO: 0x5421, TIOCNOTTY: 0x5422,
  TIOCGETD: 0x5424, TCSBRKP: 0x5425, TIOCGSID: 0x5429, FIONCLEX: 0x5450, FIOCLEX: 0x5451,
  // Others Linux defines, named for --strace.
  TCGETA: 0x5405, TCSETA: 0x5406, TCSETAW: 0x5407, TCSETAF: 0x5408, TIOCMGET: 0x5415, TIOCMBIS: 0x5416,
  TIOCMBIC: 0x5417, TIOCMSET: 0x5418, TIOCGSOFTCAR: 0x5419, TIOCSSOFTCAR: 0x541a, TIOCLINUX: 0x541c, TIOCCONS: 0x541d,
  TIOCGSERIAL: 0x541e, TIOCSSERIAL: 0x541f, TIOCPKT: 0x5420, TIOCSETD: 0x5423, TIOCSBRK: 0x5427, TIOCCBRK: 0x5428,
  TIOCVHANGUP: 0x5437, FIOASYNC: 0x5452, TIOCGLCKTRMIOS: 0x5456, TIOCSLCKTRMIOS: 0x5457, FIOQSIZE: 0x5460,
  TIOCGPTN: 0x80045430, TIOCSPTLCK: 0x40045431, TIOCGDEV: 0x80045432, TIOCGPKT: 0x80045438, TIOCGPTLCK: 0x80045439,
  TIOCGEXCL: 0x80045440, TIOCGPTPEER: 0x5441,
  // _IOR/_IOW('T', 0x2a..0x2d, struct termios2): termios with the two speeds, 44 bytes.
  TCGETS2: 0x802c542a, TCSETS2: 0x402c542b, TCSETSW2: 0x402c542c, TCSETSF2: 0x402c542d,
} as const;

/** TCFLSH's queue selector and TCXONC's action. */
export const TCFLSH_ARG = { TCIFLUSH: 0, TCOFLUSH: 1, TCIOFLUSH: 2 } as const;
export const TCXONC_ARG = { TCOOFF: 0, TCOON: 1, TCIOFF: 2, TCION: 3 } as const;

/** struct termios as the kernel's TCGETS/TCSETS see it. */
export interface Termios {
  iflag: number;
  oflag: number;
  cflag: number;
  lflag: number;
  line: number;
  cc: Uint8Array;
}

export const TERMIOS_SIZE = 36; // four u32 flag words, c_line, c_cc[19]
export const TERMIOS2_SIZE = 44; // the same, then c_ispeed and c_ospeed (u32)

/** Linux's tty_std_termios: what a new terminal starts with (a cooked, echoing line discipline at 38400 baud). */
export function saneTermios(): Termios {
  const cc = new Uint8Array(NCCS);
  cc[V.VINTR] = 0x03; // ^C
  cc[V.VQUIT] = 0x1c; // ^\
  cc[V.VERASE] = 0x7f; // ^?
  cc[V.VKILL] = 0x15; // ^U
  cc[V.VEOF] = 0x04; // ^D
  cc[V.VTIME] = 0;
  cc[V.VMIN] = 1;
  cc[V.VSTART] = 0x11; // ^Q
  cc[V.VSTOP] = 0x13; // ^S
  cc[V.VSUSP] = 0x1a; // ^Z
  cc[V.VREPRINT] = 0x12; // ^R
  cc[V.VDISCARD] = 0x0f; // ^O
  cc[V.VWERASE] = 0x17; // ^W
  cc[V.VLNEXT] = 0x16; // ^V
  return {
    iflag: I.ICRNL | I.IXON,
    oflag: OF.OPOST | OF.ONLCR,
    cflag: C.B38400 | C.CS8 | C.CREAD | C.HUPCL,
    lflag: L.ISIG | L.ICANON | L.ECHO | L.ECHOE | L.ECHOK | L.ECHOCTL | L.ECHOKE | L.IEXTEN,
    line: 0,
    cc,
  };
}

/** The speed a c_cflag's CBAUD field encodes (B38400 and the common ones; 38400 otherwise). */
const SPEEDS: Record<number, number> = { 0o15: 9600, 0o16: 19200, 0o17: 38400, 0o10001: 57600, 0o10002: 115200 };

/** struct termios (36 bytes) or, with `two`, struct termios2 (44 bytes). */
export function encodeTermios(t: Termios, two = false): Uint8Array {
  const b = new Uint8Array(two ? TERMIOS2_SIZE : TERMIOS_SIZE);
  const v = new DataView(b.buffer);
  v.setUint32(0, t.iflag >>> 0, true);
  v.setUint32(4, t.oflag >>> 0, true);
  v.setUint32(8, t.cflag >>> 0, true);
  v.setUint32(12, t.lflag >>> 0, true);
  b[16] = t.line;
  b.set(t.cc.subarray(0, NCCS), 17);
  if (two) {
    const speed = SPEEDS[t.cflag & C.CBAUD] ?? 38400;
    v.setUint32(36, speed, true);
    v.setUint32(40, speed, true);
  }
  return b;
}

export function decodeTermios(b: Uint8Array): Termios {
  const v = new DataView(b.buffer, b.byteOffset, TERMIOS_SIZE);
  return {
    iflag: v.getUint32(0, true),
    oflag: v.getUint32(4, true),
    cflag: v.getUint32(8, true),
    lflag: v.getUint32(12, true),
    line: b[16],
    cc: b.slice(17, 17 + NCCS),
  };
}

/** struct winsize: ws_row, ws_col, ws_xpixel, ws_ypixel (u16 each). */
export interface Winsize {
  rows: number;
  cols: number;
  xpixel: number;
  ypixel: number;
}
export const WINSIZE_SIZE = 8;

export function encodeWinsize(w: Winsize): Uint8Array {
  const b = new Uint8Array(WINSIZE_SIZE);
  const v = new DataView(b.buffer);
  v.setUint16(0, w.rows, true);
  v.setUint16(2, w.cols, true);
  v.setUint16(4, w.xpixel, true);
  v.setUint16(6, w.ypixel, true);
  return b;
}

export function decodeWinsize(b: Uint8Array): Winsize {
  const v = new DataView(b.buffer, b.byteOffset, WINSIZE_SIZE);
  return { rows: v.getUint16(0, true), cols: v.getUint16(2, true), xpixel: v.getUint16(4, true), ypixel: v.getUint16(6, true) };
}
