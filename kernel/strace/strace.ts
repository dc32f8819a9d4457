// --strace lines as strace 6 prints them: `openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3`, the result at
// column 40, errno names, output arguments decoded when the call returns. A call that blocks prints `read(0, `
// at once and the rest when it returns; when another line comes between, strace's `read(0,  <unfinished ...>`
// and later `<... read resumed>"abc", 4096) = 3`. Only called when --strace is on.
import { errnoName, errnoText } from '../abi/errno.js';
import { syscallArgCount, syscallName } from '../abi/syscalls.js';
import type { Process, SigInfo } from '../proc/process.js';
import { encodeSiginfo } from '../signal/frame.js';
import { hex, signal } from './format.js';
import type { Call } from './call.js';
import { RESULTS, SYSCALLS, atExit, kind, type KindName } from './spec.js';
import { siginfoText } from './structs.js';

/** A call between entry and exit: its input arguments already printed, its output ones to come. */
export interface StraceCall extends Call {
  readonly name: string;
  /** What leads the line: strace's `[pid N] ` when more than one task is traced, decided when the line starts. */
  readonly lead: string;
  readonly kinds: readonly KindName[] | null;
  /** Each argument's text; undefined until the call returns for an output argument, null when left out. */
  readonly shown: (string | null | undefined)[];
}

/** strace's column for ` = result`. */
const RESULT_COLUMN = 40;

/** A decoder that fails prints `fallback` (the argument in hex): --strace must never take the guest down. */
function safely<T extends string | null>(f: () => T, fallback: string): T | string {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** At syscall entry: reads the input arguments now, before the call can change them. */
export function straceEnter(p: Process, nr: number, args: readonly bigint[], sp: bigint, lead: string): StraceCall {
  const name = syscallName(nr);
  const kinds = SYSCALLS[name] ?? null;
  const nargs = kinds ? kinds.length : syscallArgCount(nr);
  const call: StraceCall = { p, args, nargs, sp, name, lead, kinds, shown: [] };
  for (let i = 0; i < nargs; i++) {
    if (!kinds) call.shown.push(hex(args[i]));
    else {
      const k = kind(kinds[i]);
      call.shown.push(atExit(k, call) ? undefined : safely(() => k.show(call, i), hex(args[i])));
    }
  }
  return call;
}

/** The index of the first output argument (everything from there on prints at exit). */
function split(call: StraceCall): number {
  const i = call.shown.indexOf(undefined);
  return i < 0 ? call.shown.length : i;
}

const join = (parts: readonly (string | null | undefined)[]) => parts.filter((s): s is string => s != null).join(', ');

/** What strace prints of a call that blocks when it blocks: the line up to its output arguments. */
export function straceHead(call: StraceCall): string {
  const cut = split(call);
  const head = join(call.shown.slice(0, cut));
  const more = cut < call.shown.length && head !== '' ? ', ' : '';
  return `${call.lead}${call.name}(${head}${more}`;
}

/** The line for a call that blocks: what strace has printed when another line interrupts it. */
export function straceUnfinished(call: StraceCall): string {
  return `${straceHead(call)} <unfinished ...>`;
}

/**
 * The rest of a line straceHead began, once the call returns (ret null: the task died in it) with nothing
 * printed in between; null when the whole line would not begin with that head (an in-out argument's outcome
 * changes it), so the caller splits it after all.
 */
export function straceTail(call: StraceCall, ret: bigint | number | null): string | null {
  const head = straceHead(call);
  const whole = ret === null ? pad(`${head} <unfinished ...>) `) + '= ?' : straceExit(call, ret, call.lead, false);
  return whole.startsWith(head) ? whole.slice(head.length) : null;
}

/**
 * At syscall exit: the whole line, or after an unfinished one the `<... name resumed>` rest, led by `lead` (the
 * entry's for a whole line). `ret` is null when the task died in the call (`= ?`).
 */
export function straceExit(call: StraceCall, ret: bigint | number | null, lead: string, resumed: boolean): string {
  const cut = resumed ? split(call) : 0;
  const start = resumed ? `<... ${call.name} resumed>` : `${call.name}(`;
  if (ret === null) {
    const pending = call.shown.includes(undefined);
    const rest = resumed ? join(call.shown.slice(cut)) : join(call.shown);
    return pad(`${lead}${start}${rest}${pending ? ' <unfinished ...>' : ''}) `) + '= ?';
  }
  call.ret = BigInt.asIntN(64, BigInt(ret));
  call.kinds?.forEach((name, i) => {
    const k = kind(name);
    if (call.shown[i] === undefined) call.shown[i] = safely(() => k.show(call, i), hex(call.args[i]));
    // An in-out argument's outcome; after an unfinished line its first half is already out (a quirk we accept).
    else if (k.then && !resumed && call.shown[i] !== null) call.shown[i] += safely(() => k.then!(call, i), '');
  });
  const rest = join(call.shown.slice(cut));
  return pad(`${lead}${start}${rest}) `) + '= ' + result(call);
}

function pad(s: string): string {
  return s.length < RESULT_COLUMN ? s.padEnd(RESULT_COLUMN) : s;
}

/** The result: `-1 ENOENT (No such file or directory)`, `? ERESTARTSYS (…)`, or the value as the call shows it. */
function result(call: StraceCall): string {
  const v = call.ret!;
  if (v < 0n && v >= -4095n) {
    const e = Number(-v);
    const name = errnoName(e);
    if (name && e >= 512) return `? ${name} (${errnoText(e)})`; // what a signal interrupted, before it restarts
    return name ? `-1 ${name} (${errnoText(e)})` : `-1 ${e} (${errnoText(e)})`;
  }
  const show = RESULTS[call.name];
  if (!show) return v.toString();
  try {
    return show(call);
  } catch {
    return v.toString();
  }
}

/** A signal reaching a task: `--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, …} ---`. */
export function straceSignal(info: SigInfo): string {
  const b = encodeSiginfo(info);
  return `--- ${signal(info.signo)} ${siginfoText(new DataView(b.buffer, b.byteOffset, b.length))} ---`;
}

/** A process's end from its wait status: `+++ exited with 0 +++`, `+++ killed by SIGSEGV (core dumped) +++`. */
export function straceEnd(status: number): string {
  const sig = status & 0x7f;
  if (!sig) return `+++ exited with ${(status >> 8) & 0xff} +++`;
  return `+++ killed by ${signal(sig)}${status & 0x80 ? ' (core dumped)' : ''} +++`;
}
