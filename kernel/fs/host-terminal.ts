// The host's terminal as the guest's: when Levitate's stdin is a terminal, it goes to raw mode for the run and
// every byte typed goes to a Tty (tty.ts), whose line discipline does what the host's would have done — so the
// guest can have raw mode, and Ctrl-C or Ctrl-Z act on the guest's foreground process group, not on Node.
// The host terminal is restored however the run ends: normally, by an exception, at process exit, or when Node
// receives SIGTERM, SIGHUP, SIGINT or SIGQUIT (restore, then die of the same signal: host-exit.ts). kill -9
// cannot be caught: `stty sane` (or `reset`) repairs the terminal then.
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import type { Winsize } from '../abi/termios.js';
import { atHostExit } from '../host-exit.js';
import { SIG } from '../signal/signals.js';
import { Tty } from './tty.js';

/** What the kernel does for the terminal: signal a process group. */
export interface TerminalHooks {
  signalGroup(pgrp: number, sig: number): void;
}

type Listener = (...a: unknown[]) => void;

export class HostTerminal {
  readonly tty: Tty;
  private readonly input = process.stdin as tty.ReadStream;
  private readonly outFd: number;
  /** The device (st_rdev) of the terminal: another host descriptor on the same device is the same terminal. */
  private readonly rdev: number;
  private restored = false;
  private readonly listeners: [NodeJS.EventEmitter, string, Listener][] = [];
  /** Takes restore() off the work done when Node ends. */
  private readonly unhook: () => void;

  /**
   * The host terminal on stdin, or null when stdin is not a terminal or Levitate runs in the background of a
   * shell's job control (raw mode would stop it with SIGTTOU): nothing changes then.
   */
  static open(hooks: TerminalHooks): HostTerminal | null {
    if (!tty.isatty(0) || typeof (process.stdin as tty.ReadStream).setRawMode !== 'function' || !inForeground()) return null;
    return new HostTerminal(hooks);
  }

  private constructor(hooks: TerminalHooks) {
    this.rdev = fs.fstatSync(0).rdev;
    this.outFd = [1, 2].find((fd) => this.isTerminal(fd)) ?? 0;
    this.tty = new Tty({
      output: (data) => this.output(data),
      signalGroup: (pgrp, sig) => hooks.signalGroup(pgrp, sig),
      throttle: (stop) => (stop ? this.input.pause() : this.input.resume()),
    });
    this.tty.setWinsize(this.hostSize());

    this.input.setRawMode(true);
    this.on(this.input, 'data', (d: Buffer) => this.tty.receive(new Uint8Array(d.buffer, d.byteOffset, d.length)));
    this.on(this.input, 'end', () => this.tty.hangup());
    this.on(this.input, 'error', () => this.tty.hangup());
    this.input.resume();
    const screen = this.screen();
    if (screen) {
      this.on(screen, 'resize', () => {
        if (this.tty.setWinsize(this.hostSize()) && this.tty.pgrp) hooks.signalGroup(this.tty.pgrp, SIG.SIGWINCH);
      });
    }
    this.unhook = atHostExit(() => this.restore());
    // Continued after something outside stopped Node: the shell that resumed us may have reset the terminal.
    this.on(process, 'SIGCONT', () => {
      if (this.restored) return;
      this.input.setRawMode(false);
      this.input.setRawMode(true);
    });
  }

  /** Host descriptor `fd` is this terminal. */
  isTerminal(fd: number): boolean {
    try {
      return tty.isatty(fd) && fs.fstatSync(fd).rdev === this.rdev;
    } catch {
      return false;
    }
  }

  /** Cooked mode again, input no longer read, handlers gone. Idempotent. */
  restore(): void {
    if (this.restored) return;
    this.restored = true;
    try {
      this.input.setRawMode(false);
    } catch {
      // the terminal is gone (hung up): nothing to restore
    }
    for (const [emitter, event, fn] of this.listeners) emitter.removeListener(event, fn);
    this.listeners.length = 0;
    this.unhook();
    this.input.pause();
  }

  private on<A extends unknown[]>(emitter: NodeJS.EventEmitter, event: string, fn: (...a: A) => void): void {
    const l = fn as unknown as Listener;
    emitter.on(event, l);
    this.listeners.push([emitter, event, l]);
  }

  /** The tty.WriteStream on this terminal, which knows its size and announces resizes. */
  private screen(): tty.WriteStream | null {
    if (this.isTerminal(1)) return process.stdout as tty.WriteStream;
    if (this.isTerminal(2)) return process.stderr as tty.WriteStream;
    return null;
  }

  private hostSize(): Winsize {
    const s = this.screen();
    return { rows: s?.rows || 24, cols: s?.columns || 80, xpixel: 0, ypixel: 0 };
  }

  /** Everything for the screen, synchronously (nothing is lost when the run ends right after). */
  private output(data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      try {
        done += fs.writeSync(this.outFd, data, done, data.length - done);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN') return; // the terminal is gone: output has nowhere to go
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
  }
}

/** Node's process group is its terminal's foreground group (Linux: /proc/self/stat; elsewhere assumed). */
function inForeground(): boolean {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // pid (comm) state ppid pgrp session tty_nr tpgid ...: comm may hold spaces and parentheses.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(f[2]);
    const tpgid = Number(f[5]);
    return tpgid <= 0 || tpgid === pgrp;
  } catch {
    return true;
  }
}
