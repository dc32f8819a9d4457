// Open file descriptions and the per-process descriptor table. A description is shared by dup'ed descriptors
// and by the copies fork makes: they move one offset together, and it closes when the last reference goes.
import * as fs from 'node:fs';
import type { Pipe } from './pipe.js';
import type { Tty } from './tty.js';

export type FileKind = 'file' | 'dir' | 'stdio' | 'pipe' | 'dev';

export class OpenFile {
  offset = 0;
  /** Directory entries not yet returned by getdents64. */
  dirents: fs.Dirent[] | null = null;
  direntPos = 0;
  /** Descriptors (in any process) that refer to this description. */
  refs = 0;
  /** For kind 'pipe': the pipe and which end this is. */
  pipe: Pipe | null = null;
  end: 'r' | 'w' = 'r';
  /** For kind 'dev': the device's name under /dev. */
  device = '';
  /** The terminal this description is (an inherited stdio descriptor on it, /dev/tty, /dev/console). */
  tty: Tty | null = null;

  constructor(
    readonly kind: FileKind,
    /** Host descriptor (for stdio: the host's own 0, 1, 2). -1 for directories opened without one, and pipes. */
    readonly hostFd: number,
    /** Canonical guest path ('' for inherited stdio and pipes). */
    readonly guestPath: string,
    readonly hostPath: string,
    public flags: number,
  ) {}

  static pipeEnd(pipe: Pipe, end: 'r' | 'w', flags: number): OpenFile {
    const f = new OpenFile('pipe', -1, '', '', flags);
    f.pipe = pipe;
    f.end = end;
    if (end === 'r') pipe.readers++;
    else pipe.writers++;
    return f;
  }

  close(): void {
    if (this.pipe) {
      this.pipe.closeEnd(this.end);
      return;
    }
    if (this.kind !== 'stdio' && this.hostFd >= 0) {
      try {
        fs.closeSync(this.hostFd);
      } catch {
        // already gone: nothing the guest can do about it
      }
    }
  }
}

interface Slot {
  file: OpenFile;
  cloexec: boolean;
}

export const MAX_FDS = 1024;

export class FdTable {
  private readonly slots = new Map<number, Slot>();

  get(fd: number): OpenFile | undefined {
    return this.slots.get(fd)?.file;
  }
  cloexec(fd: number): boolean {
    return this.slots.get(fd)?.cloexec ?? false;
  }
  setCloexec(fd: number, on: boolean): void {
    const s = this.slots.get(fd);
    if (s) s.cloexec = on;
  }
  /** Open descriptors, ascending. */
  fds(): number[] {
    return [...this.slots.keys()].sort((a, b) => a - b);
  }

  /** Lowest free descriptor >= min; -1 when the table is full. */
  alloc(file: OpenFile, cloexec: boolean, min = 0): number {
    for (let fd = min; fd < MAX_FDS; fd++) {
      if (!this.slots.has(fd)) {
        this.install(fd, file, cloexec);
        return fd;
      }
    }
    return -1;
  }

  /** Puts `file` at `fd`, closing what was there. */
  install(fd: number, file: OpenFile, cloexec: boolean): void {
    file.refs++;
    if (this.slots.has(fd)) this.close(fd);
    this.slots.set(fd, { file, cloexec });
  }

  close(fd: number): boolean {
    const s = this.slots.get(fd);
    if (!s) return false;
    this.slots.delete(fd);
    if (--s.file.refs <= 0) s.file.close();
    return true;
  }

  /** fork's copy: the same descriptions under the same numbers. */
  clone(): FdTable {
    const t = new FdTable();
    for (const [fd, s] of this.slots) t.install(fd, s.file, s.cloexec);
    return t;
  }

  /** exec: descriptors marked close-on-exec go. */
  closeOnExec(): void {
    for (const [fd, s] of [...this.slots]) if (s.cloexec) this.close(fd);
  }

  closeAll(): void {
    for (const fd of [...this.slots.keys()]) this.close(fd);
  }
}
