// User-facing failures (D12): one clear line, a documented exit status, never a stack trace.
// Every layer may throw it; the CLI prints `levitate: <message>` and exits with `status`.

export class LevitateError extends Error {
  constructor(
    message: string,
    /** Exit status of the CLI: 2 usage/input error, 126 cannot execute (e.g. malformed ELF), 127 not found. */
    readonly status = 2,
  ) {
    super(message);
    this.name = 'LevitateError';
  }
}

/** The image is not an AArch64 ELF we can run: exit status 126, as a shell reports "cannot execute". */
export class ElfError extends LevitateError {
  constructor(message: string) {
    super(message, 126);
    this.name = 'ElfError';
  }
}

/** A failure of Levitate itself (not of the guest or the user): status 70, with what is needed to report it. */
export class InternalError extends LevitateError {
  constructor(message: string) {
    super(`${message}\nThis is a bug in Levitate; please report it with the command line and the program.`, 70);
    this.name = 'InternalError';
  }
}
