// The host's standard input, shared by every guest process that has it open. Reads go through a buffer filled by
// one background host read at a time, so a guest can poll it and a signal can interrupt a reader (D10: the
// waiting task is parked, nothing spins).
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { WaitQueue } from '../proc/wait.js';

export class HostInput {
  private chunks: Uint8Array[] = [];
  private reading = false;
  /** End of input seen (a terminal's ^D is consumed by the read that reports it). */
  private eof = false;
  /** A host error other than EOF, as a Node error code. */
  private error: string | null = null;
  readonly ready = new WaitQueue();
  private readonly isTty: boolean;

  constructor(readonly fd: number) {
    this.isTty = tty.isatty(fd);
  }

  /** Data, EOF or an error is waiting: a read would not block. */
  get readable(): boolean {
    return this.chunks.length > 0 || this.eof || this.error !== null;
  }

  /** Starts a host read unless one is running or input is already waiting. */
  want(): void {
    if (this.reading || this.readable) return;
    this.reading = true;
    const buf = new Uint8Array(65536);
    fs.read(this.fd, buf, 0, buf.length, null, (err, n) => {
      this.reading = false;
      if (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
        if (code === 'EAGAIN') {
          // Our stdin is non-blocking (another program set it so): try again shortly.
          setTimeout(() => this.want(), 10);
          return;
        }
        if (code === 'EOF') this.eof = true;
        else this.error = code;
      } else if (n === 0) this.eof = true;
      else this.chunks.push(buf.subarray(0, n));
      this.ready.wake();
    });
  }

  /** What a read of up to `n` bytes returns now: bytes (empty at EOF), an error code, or null to wait. */
  take(n: number): Uint8Array | string | null {
    if (this.chunks.length) {
      const c = this.chunks[0];
      if (c.length <= n) {
        this.chunks.shift();
        return c;
      }
      this.chunks[0] = c.subarray(n);
      return c.subarray(0, n);
    }
    if (this.error !== null) return this.error;
    if (this.eof) {
      if (this.isTty) this.eof = false;
      return new Uint8Array(0);
    }
    this.want();
    return null;
  }
}
