// The line discipline (kernel/fs/tty.ts) on its own: bytes typed in, what a read takes, what is echoed, which
// signals go to the foreground group. The whole terminal through a real pseudo-terminal is tests/interactive/.
import { describe, expect, it } from 'vitest';
import { I, L, V } from '../../kernel/abi/termios.js';
import { Tty } from '../../kernel/fs/tty.js';

function tty() {
  const screen: number[] = [];
  const signals: [number, number][] = [];
  const t = new Tty({ output: (d) => screen.push(...d), signalGroup: (g, s) => signals.push([g, s]), throttle: () => {} });
  t.pgrp = 7;
  const type = (s: string) => t.receive(new TextEncoder().encode(s));
  const echo = () => String.fromCharCode(...screen.splice(0));
  const read = (n = 100) => {
    const b = t.take(n);
    return b === null ? null : new TextDecoder().decode(b);
  };
  const set = (f: (x: Tty['termios']) => void) => {
    const x = { ...t.termios, cc: t.termios.cc.slice() };
    f(x);
    t.setTermios(x);
  };
  return { t, type, echo, read, signals, set };
}

describe('tty: canonical mode', () => {
  it('a read returns one whole line, only once it is ended; CR becomes NL (ICRNL) and is echoed as a newline', () => {
    const { t, type, echo, read } = tty();
    type('ab');
    expect(t.readable()).toBe(false);
    expect(read()).toBeNull();
    type('c\rdef\r');
    expect(echo()).toBe('abc\ndef\n');
    expect(read()).toBe('abc\n');
    expect(read(2)).toBe('de');
    expect(read()).toBe('f\n');
    expect(read()).toBeNull();
  });

  it('VERASE, VWERASE and VKILL edit the line and rub it out on the screen (ECHOE, ECHOKE)', () => {
    const { type, echo, read } = tty();
    type('abX\x7fc\r');
    expect(read()).toBe('abc\n');
    expect(echo()).toBe('abX\b \bc\n');
    type('one two  \x17three\r');
    expect(read()).toBe('one three\n');
    type('junk\x15ok\r');
    expect(read()).toBe('ok\n');
    expect(echo()).toContain('junk\b \b\b \b\b \b\b \bok');
  });

  it('VEOF ends a line without itself; on an empty line the read returns 0 bytes (end of file)', () => {
    const { type, read } = tty();
    type('ab\x04');
    expect(read()).toBe('ab');
    type('\x04');
    expect(read()).toBe('');
    expect(read()).toBeNull();
  });

  it('VLNEXT takes the next character literally; ECHOCTL shows control characters as ^X', () => {
    const { type, echo, read } = tty();
    type('a\x16\x03b\r');
    expect(read()).toBe('a\x03b\n');
    expect(echo()).toBe('a^\b^Cb\n');
  });

  it('VREPRINT prints the line again after ^R', () => {
    const { type, echo } = tty();
    type('xy\x12');
    expect(echo()).toBe('xy^R\nxy');
  });
});

describe('tty: signals', () => {
  it('VINTR, VQUIT, VSUSP signal the foreground group, echo ^C and discard typed-ahead input', () => {
    const { type, echo, read, signals } = tty();
    type('partial\x03');
    expect(signals).toEqual([[7, 2]]);
    expect(echo()).toBe('partial^C');
    expect(read()).toBeNull();
    type('\x1c\x1a');
    expect(signals.map((s) => s[1])).toEqual([2, 3, 20]);
  });

  it('NOFLSH keeps the input; without ISIG the character is data', () => {
    const { type, read, signals, set } = tty();
    set((x) => (x.lflag |= L.NOFLSH));
    type('keep\x03\r');
    expect(read()).toBe('keep\n');
    set((x) => (x.lflag &= ~L.ISIG));
    type('\x03\r');
    expect(read()).toBe('\x03\n');
    expect(signals).toEqual([[7, 2]]);
  });
});

describe('tty: raw mode', () => {
  it('without ICANON bytes are readable at once; VMIN decides poll readiness; pending line input becomes bytes', () => {
    const { t, type, read, set } = tty();
    type('ab');
    set((x) => {
      x.lflag &= ~(L.ICANON | L.ECHO);
      x.iflag &= ~I.ICRNL;
      x.cc[V.VMIN] = 3;
    });
    expect(t.readable(true)).toBe(false);
    type('\r');
    expect(t.readable(true)).toBe(true);
    expect(read()).toBe('ab\r');
  });

  it('switching to canonical mode makes pending bytes one line', () => {
    const { type, read, set } = tty();
    set((x) => (x.lflag &= ~L.ICANON));
    type('xyz');
    set((x) => (x.lflag |= L.ICANON));
    expect(read()).toBe('xyz');
  });
});
