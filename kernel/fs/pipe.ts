// Pipes (pipe(7)): a 64 KiB buffer between two open file descriptions. Readers wait for data or for the last
// writer to go (EOF); writers wait for room, and get EPIPE (and SIGPIPE) once no reader is left. Writes of at
// most PIPE_BUF bytes are atomic: they wait until the whole record fits.
import { WaitQueue } from '../proc/wait.js';

export const PIPE_CAPACITY = 65536;
export const PIPE_BUF = 4096;

export class Pipe {
  private chunks: Uint8Array[] = [];
  /** Bytes buffered. */
  size = 0;
  readers = 0;
  writers = 0;
  /** Woken when data arrives or the last writer closes. */
  readonly readable = new WaitQueue();
  /** Woken when room frees up or the last reader closes. */
  readonly writable = new WaitQueue();

  get room(): number {
    return PIPE_CAPACITY - this.size;
  }

  /** Takes up to `n` buffered bytes. */
  take(n: number): Uint8Array {
    const out = new Uint8Array(Math.min(n, this.size));
    let o = 0;
    while (o < out.length) {
      const c = this.chunks[0];
      const k = Math.min(c.length, out.length - o);
      out.set(c.subarray(0, k), o);
      o += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.size -= out.length;
    if (out.length) this.writable.wake();
    return out;
  }

  /** Appends as much of `data` as fits; returns how much. */
  put(data: Uint8Array): number {
    const n = Math.min(data.length, this.room);
    if (n === 0) return 0;
    this.chunks.push(data.slice(0, n));
    this.size += n;
    this.readable.wake();
    return n;
  }

  closeEnd(end: 'r' | 'w'): void {
    if (end === 'r') {
      this.readers--;
      if (this.readers === 0) this.writable.wake();
    } else {
      this.writers--;
      if (this.writers === 0) this.readable.wake();
    }
  }
}
