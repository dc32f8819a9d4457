// A terminal and Linux's line discipline (N_TTY, drivers/tty/n_tty.c) over a guest-visible struct termios. The
// driver below it is whatever gives bytes and takes output (host-terminal.ts: the host's terminal in raw mode),
// so everything a cooked terminal does is done here: input processing (ISTRIP, INLCR, IGNCR, ICRNL), signals
// from VINTR/VQUIT/VSUSP, the canonical line editor (VERASE, VKILL, VWERASE, VLNEXT, VREPRINT, VEOF), VMIN/VTIME
// reads, echo (ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL) and IXON flow control. Job control (who may read or
// write, sessions, the foreground group) is syscalls/tty.ts and proc/session.ts; this object only records them.
import { I, L, saneTermios, V, VDISABLE, type Termios, type Winsize } from '../abi/termios.js';
import { SIG } from '../signal/signals.js';
import { WaitQueue } from '../proc/wait.js';

/** What the line discipline needs from the device under it and from the kernel. */
export interface TtyDriver {
  /** Bytes for the screen: guest output and echo. */
  output(data: Uint8Array): void;
  /** kill_pgrp(): `sig` to every process of group `pgrp`. */
  signalGroup(pgrp: number, sig: number): void;
  /** The input buffer is full (true) or has room again: the driver stops or resumes reading its input. */
  throttle(stop: boolean): void;
}

/** N_TTY_BUF_SIZE: the input buffer (completed lines and the line being edited). */
export const TTY_BUF_SIZE = 4096;

/** A line end in the buffer made by VEOF: it ends the line but is not returned (an empty line reads as EOF). */
const EOF_MARK = -1;

const isCntrl = (c: number): boolean => c < 0x20 || c === 0x7f;
const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const NL = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const BS = 0x08;

export class Tty {
  termios: Termios = saneTermios();
  winsize: Winsize = { rows: 24, cols: 80, xpixel: 0, ypixel: 0 };
  /** The session this is the controlling terminal of (its leader's pid); 0 for none. */
  session = 0;
  /** The foreground process group; 0 for none. */
  pgrp = 0;
  /** The device went away (host end of input): reads return 0 from now on. */
  hungUp = false;
  /** Woken when a read may complete: input arrived, a line ended, the mode changed, hangup. */
  readonly readWait = new WaitQueue();
  /** Woken when output may go on (IXON: VSTART after VSTOP). */
  readonly writeWait = new WaitQueue();
  /** Output stopped by VSTOP (IXON); echo waits with it. */
  outputStopped = false;

  /** The input buffer: completed lines (canonical mode) from the front, the line being edited after canonHead. */
  private buf: number[] = [];
  /** Parallel to buf: true at each line end (canonical mode). */
  private eol: boolean[] = [];
  /** How much of buf is completed lines (canonical mode; in raw mode everything is readable). */
  private canonHead = 0;
  /** The previous character was VLNEXT: this one is taken literally. */
  private lnext = false;
  /** Input the buffer had no room for, processed as reads make room. */
  private backlog: Uint8Array[] = [];
  private throttled = false;
  /** Output column of the screen (for erasing tabs), and the column where the line being edited began. */
  private column = 0;
  private canonColumn = 0;
  /** Echo held back while output is stopped. */
  private heldEcho: number[] = [];

  constructor(private readonly driver: TtyDriver) {}

  private get lflag(): number {
    return this.termios.lflag;
  }
  private get icanon(): boolean {
    return (this.termios.lflag & L.ICANON) !== 0;
  }
  private cc(v: number): number {
    return this.termios.cc[v];
  }
  /** `c` is control character `v` and that character is not disabled. */
  private is(c: number, v: number): boolean {
    const x = this.termios.cc[v];
    return x !== VDISABLE && c === x;
  }
  private continuation(c: number): boolean {
    return (this.termios.iflag & I.IUTF8) !== 0 && (c & 0xc0) === 0x80;
  }

  // ---------------------------------------------------------------- input from the device

  /** Bytes typed at the terminal. */
  receive(data: Uint8Array): void {
    if (this.backlog.length) this.backlog.push(data.slice());
    else this.consume(data);
  }

  /** The device is gone: readers see end of file. */
  hangup(): void {
    this.hungUp = true;
    this.readWait.wake();
  }

  /** Processes `data` as far as the buffer has room; the rest waits in the backlog. */
  private consume(data: Uint8Array): void {
    let i = 0;
    for (; i < data.length; i++) {
      if (this.full()) break;
      this.receiveChar(data[i]);
    }
    if (i < data.length) {
      this.backlog.unshift(data.slice(i));
      if (!this.throttled) {
        this.throttled = true;
        this.driver.throttle(true);
      }
    }
    this.flushEcho();
  }

  /** No room for more input: raw mode holds TTY_BUF_SIZE bytes, canonical mode as much in completed lines. */
  private full(): boolean {
    return this.icanon ? this.canonHead >= TTY_BUF_SIZE - 1 : this.buf.length >= TTY_BUF_SIZE;
  }

  /** Reads made room: take more of the backlog. */
  private unthrottle(): void {
    while (this.backlog.length && !this.full()) this.consume(this.backlog.shift()!);
    if (this.throttled && this.backlog.length === 0) {
      this.throttled = false;
      this.driver.throttle(false);
    }
  }

  private receiveChar(ch: number): void {
    const t = this.termios;
    let c = t.iflag & I.ISTRIP ? ch & 0x7f : ch;
    if (this.lnext) {
      this.lnext = false;
      this.ordinary(c, false);
      return;
    }
    if (t.iflag & I.IXON) {
      if (this.is(c, V.VSTART)) {
        this.startOutput();
        return;
      }
      if (this.is(c, V.VSTOP)) {
        this.outputStopped = true;
        return;
      }
    }
    if (t.lflag & L.ISIG) {
      const sig = this.is(c, V.VINTR) ? SIG.SIGINT : this.is(c, V.VQUIT) ? SIG.SIGQUIT : this.is(c, V.VSUSP) ? SIG.SIGTSTP : 0;
      if (sig) {
        this.signalChar(sig, c);
        return;
      }
    }
    if (this.outputStopped && t.iflag & I.IXON && t.iflag & I.IXANY) this.startOutput();
    let special = false;
    if (c === CR) {
      if (t.iflag & I.IGNCR) return;
      if (t.iflag & I.ICRNL) {
        c = NL;
        special = true;
      }
    } else if (c === NL && t.iflag & I.INLCR) c = CR;
    if (this.icanon) {
      if (this.is(c, V.VERASE) || this.is(c, V.VKILL) || (this.is(c, V.VWERASE) && t.lflag & L.IEXTEN)) {
        this.eraser(c);
        return;
      }
      if (this.is(c, V.VLNEXT) && t.lflag & L.IEXTEN) {
        this.lnext = true;
        if (t.lflag & L.ECHO && t.lflag & L.ECHOCTL) this.echoRaw(0x5e, BS); // "^" then back over it
        return;
      }
      if (this.is(c, V.VREPRINT) && t.lflag & L.ECHO && t.lflag & L.IEXTEN) {
        this.echoChar(c);
        this.echoRaw(NL);
        for (let i = this.canonHead; i < this.buf.length; i++) this.echoChar(this.buf[i]);
        return;
      }
      if (c === NL) {
        if (t.lflag & (L.ECHO | L.ECHONL)) this.echoRaw(NL);
        this.endLine(c);
        return;
      }
      if (this.is(c, V.VEOF)) {
        this.endLine(EOF_MARK);
        return;
      }
      if (this.is(c, V.VEOL) || (this.is(c, V.VEOL2) && t.lflag & L.IEXTEN)) {
        if (t.lflag & L.ECHO) {
          if (this.canonHead === this.buf.length) this.canonColumn = this.column;
          this.echoChar(c);
        }
        this.endLine(c);
        return;
      }
    }
    this.ordinary(c, special || c === NL);
  }

  /** A character that is data. `rawNewline`: a newline that went through input processing echoes as one. */
  private ordinary(c: number, rawNewline: boolean): void {
    if (this.icanon && this.buf.length >= TTY_BUF_SIZE - 1) return; // the line is full: only its end is taken
    if (this.lflag & L.ECHO) {
      if (c === NL && rawNewline) this.echoRaw(NL);
      else {
        if (this.canonHead === this.buf.length) this.canonColumn = this.column;
        this.echoChar(c);
      }
    }
    this.buf.push(c);
    this.eol.push(false);
    if (!this.icanon) this.readWait.wake();
  }

  /** The line being edited is complete (ended by `c`: newline, VEOL, VEOL2, or VEOF's mark). */
  private endLine(c: number): void {
    this.buf.push(c);
    this.eol.push(true);
    this.canonHead = this.buf.length;
    this.readWait.wake();
  }

  /** VINTR, VQUIT, VSUSP (isig): flush unless NOFLSH, signal the foreground group, echo the character. */
  private signalChar(sig: number, c: number): void {
    if (!(this.lflag & L.NOFLSH)) this.flushInput();
    if (this.termios.iflag & I.IXON) this.startOutput();
    if (this.pgrp) this.driver.signalGroup(this.pgrp, sig);
    if (this.lflag & L.ECHO) this.echoChar(c);
  }

  /** VERASE, VWERASE, VKILL in canonical mode (n_tty's eraser). */
  private eraser(c: number): void {
    const lf = this.lflag;
    if (this.buf.length === this.canonHead) return;
    const kind = this.is(c, V.VERASE) ? 'erase' : this.is(c, V.VWERASE) ? 'werase' : 'kill';
    if (kind === 'kill') {
      if (!(lf & L.ECHO)) {
        this.truncate(this.canonHead);
        return;
      }
      if (!(lf & L.ECHOK) || !(lf & L.ECHOKE) || !(lf & L.ECHOE)) {
        this.truncate(this.canonHead);
        this.echoChar(c);
        if (lf & L.ECHOK) this.echoRaw(NL);
        return;
      }
    }
    let seenAlnums = 0;
    while (this.buf.length > this.canonHead) {
      let head = this.buf.length;
      let ch: number;
      do {
        head--;
        ch = this.buf[head];
      } while (this.continuation(ch) && head > this.canonHead);
      if (this.continuation(ch)) break; // never erase part of a character
      if (kind === 'werase') {
        if (isAlnum(ch) || ch === 0x5f) seenAlnums++;
        else if (seenAlnums) break;
      }
      this.truncate(head);
      if (lf & L.ECHO) {
        if (kind === 'erase' && !(lf & L.ECHOE)) this.echoChar(this.cc(V.VERASE));
        else if (ch === TAB) this.eraseTab();
        else {
          if (isCntrl(ch) && lf & L.ECHOCTL) this.echoRaw(BS, 0x20, BS);
          if (!isCntrl(ch) || lf & L.ECHOCTL) this.echoRaw(BS, 0x20, BS);
        }
      }
      if (kind === 'erase') break;
    }
  }

  private truncate(len: number): void {
    this.buf.length = len;
    this.eol.length = len;
  }

  /** Back over an erased tab: as many columns as it took, counted from the previous tab or the line's start. */
  private eraseTab(): void {
    let chars = 0;
    let afterTab = false;
    for (let i = this.buf.length - 1; i >= this.canonHead; i--) {
      const ch = this.buf[i];
      if (ch === TAB) {
        afterTab = true;
        break;
      }
      if (isCntrl(ch)) {
        if (this.lflag & L.ECHOCTL) chars += 2;
      } else if (!this.continuation(ch)) chars++;
    }
    if (!afterTab) chars += this.canonColumn;
    const n = Math.min(8 - (chars & 7), this.column);
    for (let i = 0; i < n; i++) this.echoRaw(BS);
  }

  // ---------------------------------------------------------------- echo and output

  /** Echoes a character as typed: a control character as ^X under ECHOCTL (not tab, not newline). */
  private echoChar(c: number): void {
    if (this.lflag & L.ECHOCTL && isCntrl(c) && c !== TAB && c !== NL) this.echoRaw(0x5e, c ^ 0x40);
    else this.echoRaw(c);
  }

  private echoRaw(...bytes: number[]): void {
    this.heldEcho.push(...bytes);
  }

  /** Echo goes to the screen once the input that caused it is processed (held while output is stopped). */
  private flushEcho(): void {
    if (this.outputStopped || this.heldEcho.length === 0) return;
    const out = Uint8Array.from(this.heldEcho);
    this.heldEcho = [];
    this.emit(out);
  }

  /** Guest output: written now, or false while output is stopped (the writer waits on writeWait). */
  write(data: Uint8Array): boolean {
    if (this.outputStopped) return false;
    this.flushEcho();
    this.emit(data);
    return true;
  }

  private emit(data: Uint8Array): void {
    // Only what follows the last line end moves the column from 0.
    const from = Math.max(data.lastIndexOf(NL), data.lastIndexOf(CR)) + 1;
    if (from > 0) this.column = 0;
    for (let i = from; i < data.length; i++) {
      const c = data[i];
      if (c === NL || c === CR) this.column = 0;
      else if (c === TAB) this.column = (this.column | 7) + 1;
      else if (c === BS) this.column = Math.max(0, this.column - 1);
      else if (!isCntrl(c) && !this.continuation(c)) this.column++;
    }
    this.driver.output(data);
  }

  private startOutput(): void {
    if (!this.outputStopped) return;
    this.outputStopped = false;
    this.flushEcho();
    this.writeWait.wake();
  }

  /** TCXONC. */
  setOutputStopped(stop: boolean): void {
    if (stop) this.outputStopped = true;
    else this.startOutput();
  }

  // ---------------------------------------------------------------- reads

  /** Input a read would take now (input_available_p): a whole line in canonical mode; `poll` honours VMIN. */
  readable(poll = false): boolean {
    if (this.hungUp) return true;
    if (this.icanon) return this.canonHead > 0;
    const min = this.cc(V.VMIN);
    const amt = poll && this.cc(V.VTIME) === 0 && min > 0 ? min : 1;
    return this.buf.length >= amt;
  }

  /** FIONREAD: bytes a read could return (completed lines without their VEOF marks in canonical mode). */
  inq(): number {
    if (!this.icanon) return this.buf.length;
    let n = 0;
    for (let i = 0; i < this.canonHead; i++) if (this.buf[i] !== EOF_MARK) n++;
    return n;
  }

  /**
   * Takes what one read of up to `n` bytes returns now: in canonical mode at most the rest of one line (a line
   * ended by VEOF without its mark, so an empty one reads as 0 bytes); otherwise what is buffered. Null when
   * nothing is ready; an empty array for end of file.
   */
  take(n: number): Uint8Array | null {
    if (this.icanon) {
      if (this.canonHead === 0) return this.hungUp ? new Uint8Array(0) : null;
      let end = 0;
      while (end < this.canonHead - 1 && !this.eol[end]) end++;
      const data = this.buf[end] === EOF_MARK ? end : end + 1;
      const k = Math.min(n, data);
      // A read that takes the whole line also takes its VEOF mark (canon_skip_eof).
      const consumed = k === data ? end + 1 : k;
      const out = Uint8Array.from(this.buf.slice(0, k));
      this.buf.splice(0, consumed);
      this.eol.splice(0, consumed);
      this.canonHead -= consumed;
      this.unthrottle();
      return out;
    }
    if (this.buf.length === 0) return this.hungUp ? new Uint8Array(0) : null;
    const k = Math.min(n, this.buf.length);
    const out = Uint8Array.from(this.buf.splice(0, k));
    this.eol.splice(0, k);
    this.unthrottle();
    return out;
  }

  // ---------------------------------------------------------------- control

  /** TCSETS*: a new termios. Switching ICANON makes pending input one line (on) or plain bytes (off). */
  setTermios(t: Termios): void {
    const old = this.termios;
    this.termios = { ...t, cc: t.cc.slice() };
    if ((old.lflag ^ t.lflag) & L.ICANON) {
      this.eol.fill(false);
      if (!(t.lflag & L.ICANON)) {
        // Raw mode has no line ends: the marks of VEOF go.
        for (let i = this.buf.length - 1; i >= 0; i--) if (this.buf[i] === EOF_MARK) this.buf.splice(i, 1);
        this.eol.length = this.buf.length;
        this.eol.fill(false);
      }
      if (t.lflag & L.ICANON && this.buf.length) {
        this.eol[this.buf.length - 1] = true;
        this.canonHead = this.buf.length;
      } else this.canonHead = 0;
      this.lnext = false;
    }
    if (!(t.iflag & I.IXON)) this.startOutput();
    this.readWait.wake();
    this.unthrottle();
  }

  /** TCFLSH's input half, TCSETSF, and a signal character without NOFLSH: typed-ahead input is discarded. */
  flushInput(): void {
    this.truncate(0);
    this.canonHead = 0;
    this.lnext = false;
    this.backlog = [];
    this.unthrottle();
  }

  /** TIOCSWINSZ and a host resize: true when the size changed (SIGWINCH is then due). */
  setWinsize(w: Winsize): boolean {
    const o = this.winsize;
    this.winsize = { ...w };
    return o.rows !== w.rows || o.cols !== w.cols || o.xpixel !== w.xpixel || o.ypixel !== w.ypixel;
  }
}
