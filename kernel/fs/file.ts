// Open file descriptions and the per-process descriptor table. A description is shared by dup'ed descriptors
// (and, later, by fork): they move one offset together.
import * as fs from 'node:fs';

export type FileKind = 'file' | 'dir' | 'stdio';

export class OpenFile {
  offset = 0;
  /** Directory entries not yet returned by getdents64. */
  dirents: fs.Dirent[] | null = null;
  direntPos = 0;

  constructor(
    readonly kind: FileKind,
    /** Host descriptor (for stdio: the host's own 0, 1, 2). -1 for directories opened without one. */
    readonly hostFd: number,
    /** Canonical guest path ('' for inherited stdio). */
    readonly guestPath: string,
    readonly hostPath: string,
    public flags: number,
  ) {}

  close(): void {
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
  private readonly refs = new Map<OpenFile, number>();

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
    if (this.slots.has(fd)) this.close(fd);
    this.slots.set(fd, { file, cloexec });
    this.refs.set(file, (this.refs.get(file) ?? 0) + 1);
  }

  close(fd: number): boolean {
    const s = this.slots.get(fd);
    if (!s) return false;
    this.slots.delete(fd);
    const n = (this.refs.get(s.file) ?? 1) - 1;
    if (n <= 0) {
      this.refs.delete(s.file);
      s.file.close();
    } else this.refs.set(s.file, n);
    return true;
  }

  closeAll(): void {
    for (const fd of [...this.slots.keys()]) this.close(fd);
  }
}
