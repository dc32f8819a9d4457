// The AOT engine (D4–D7): runs an image's translated module over a process's memory. Guest state lives in
// WebAssembly globals while translated code runs and in CpuState while the kernel or the interpreter looks at it;
// `pull`/`push` move it across. Addresses the module has no translation for run in the interpreter, and code
// that keeps falling back there is translated on the spot.
import { HELPERS, type HelperEnv } from '../../translator/a64/helpers/index.js';
import { CodeImage, buildFunction, type CodeSource } from '../../translator/discover/discover.js';
import { ProbeEmitter } from '../../translator/discover/probe.js';
import {
  EXIT,
  FLAGS,
  HELPER_PREFIX,
  I32_GLOBALS,
  I64_GLOBALS,
  IMPORT_ICIVAU,
  IMPORT_LAZY,
  IMPORT_MODULE,
  IMPORT_SVC,
  IMPORT_SYSREG,
  CODE_OFF,
  DISPATCH_NAME,
  LAZY_EXPORT,
  V_GLOBALS,
  SYSREG_IDS,
  X_GLOBALS,
  nzcvValue,
} from '../../translator/emit/abi.js';
import { Interpreter } from '../cpu/interp.js';
import type { CpuState } from '../cpu/state.js';
import { sysRegRead } from '../cpu/sysregs.js';
import { PROT_EXEC, PROT_READ, type AddressSpace } from '../memory/address-space.js';
import type { Exit } from './exit.js';
import { readCached, writeCached, type Translator } from './cache.js';

/** A compiled image: what every process running it shares (D8). */
export interface CompiledImage {
  module: WebAssembly.Module;
  /** Guest addresses the module has a translation for. */
  entries: Set<number>;
  /** The image's code range: translation while running happens only inside it. */
  codeStart: number;
  codeEnd: number;
  helpers: string[];
  /** Loaded image bytes, to translate code that discovery missed. */
  code: CodeImage;
  /** Cache key of the image and the cache directory: functions translated while running are kept there too. */
  key: string;
  cacheDir: string | null;
  /** Functions translated while running, by entry: later engines of the image (a fork, an exec) reuse them. */
  lazy: Map<number, WebAssembly.Module>;
  /**
   * Fallbacks to the interpreter so far, by address, counted over every process of the image: code discovery
   * missed that each process runs once (start-up code, say) is translated after the second process, not
   * interpreted in every one.
   */
  misses: Map<number, number>;
  /** What the ahead-of-time translation holds (for --stats). */
  summary: { functions: number; blocks: number; instructions: number };
}

export interface EngineStats {
  /** Guest instructions run by translated code and by the interpreter. */
  translated: number;
  interpreted: number;
  /** Functions translated while running (code discovery missed). */
  lazy: number;
}

/** Fallbacks at one address before it is translated on the spot. */
const LAZY_THRESHOLD = 2;
/** How many translations made while running may nest through the dispatcher before it unwinds (see lazyCall). */
const LAZY_NESTING = 32;

/** Guest code read from the process's memory: executable pages only. */
class MemoryCode implements CodeSource {
  constructor(private readonly mem: AddressSpace) {}
  isCode(addr: number): boolean {
    return addr % 4 === 0 && this.mem.allows(addr, 4, PROT_EXEC);
  }
  word(addr: number): number | null {
    return this.isCode(addr) ? this.mem.u32(addr) : null;
  }
  data(addr: number, bytes: 1 | 2 | 4): number | null {
    if (!this.mem.allows(addr, bytes, PROT_READ)) return null;
    const b = this.mem.read(addr, bytes);
    return bytes === 1 ? b[0] : bytes === 2 ? b[0] | (b[1] << 8) : (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }
}

type Globals = Record<string, WebAssembly.Global>;

/**
 * An image's module instantiated over one memory, with the functions translated while running instantiated
 * beside it. Its imports call whichever engine uses it now, so when the memory passes to another process (the
 * pool of memories, see AddressSpace.kept) the next engine of the same image takes it as it is: a fork or exec
 * of busybox then skips instantiating a module of thousands of functions.
 */
class Instantiation {
  /** The engine running on it; set by each engine that takes it. */
  engine!: AotEngine;
  readonly g: Globals = {};
  /** X0–X30, and V0–V31 as lo, hi pairs: push and pull go through them in order. */
  readonly xg: WebAssembly.Global[];
  readonly vg: WebAssembly.Global[];
  readonly dispatch: (depth: number) => number;
  readonly codeOff: WebAssembly.Global;
  readonly imports: WebAssembly.Imports;
  /** Functions translated while running, instantiated here, by entry. */
  readonly lazyFns = new Map<number, (entry: number, depth: number) => number>();
  private readonly env: HelperEnv = { fpcr: 0, fpsr: 0 };
  /** The code changed under it (IC IVAU): its table is off and its functions forgotten, so nobody reuses it. */
  spoiled = false;

  constructor(
    readonly image: CompiledImage,
    mem: AddressSpace,
  ) {
    const imports: Record<string, WebAssembly.ImportValue> = { memory: mem.memory };
    imports[IMPORT_SVC] = (imm: number) => this.engine.svcGateway(imm);
    imports[IMPORT_SYSREG] = (id: number) => sysRegRead(this.engine.cpu, SYSREG_IDS[id]);
    imports[IMPORT_ICIVAU] = (addr: bigint) => this.engine.invalidate(Number(addr & 0xffff_ffffn), 64);
    imports[IMPORT_LAZY] = (pc: number, depth: number) => this.engine.lazyCall(pc >>> 0, depth);
    // Helpers are made when a module asks for one (instantiation reads imports by name): the dozen a program
    // uses, not all of them.
    const helpers = new Map<string, WebAssembly.ImportValue>();
    const all = new Proxy(imports, {
      get: (target, name) => {
        if (typeof name !== 'string') return undefined;
        if (name in target) return target[name];
        if (!name.startsWith(HELPER_PREFIX) || !(name.slice(HELPER_PREFIX.length) in HELPERS)) return undefined;
        let h = helpers.get(name);
        if (!h) {
          h = this.helperImport(name.slice(HELPER_PREFIX.length));
          helpers.set(name, h);
        }
        return h;
      },
    });
    // The image's module owns the state globals; modules translated later import them from it.
    const inst = new WebAssembly.Instance(image.module, { [IMPORT_MODULE]: all });
    for (const n of [...X_GLOBALS, ...V_GLOBALS.flat(), ...I64_GLOBALS, ...I32_GLOBALS]) {
      this.g[n] = inst.exports[n] as WebAssembly.Global;
    }
    this.xg = X_GLOBALS.map((n) => this.g[n]);
    this.vg = V_GLOBALS.flat().map((n) => this.g[n]);
    this.dispatch = inst.exports[DISPATCH_NAME] as (depth: number) => number;
    this.codeOff = inst.exports[CODE_OFF] as WebAssembly.Global;
    Object.assign(imports, this.g, { [DISPATCH_NAME]: this.dispatch });
    this.imports = { [IMPORT_MODULE]: all };
    mem.kept.push(this);
  }

  /** One that `mem` keeps for `image` and no engine uses, taken; else a new one. */
  static take(image: CompiledImage, mem: AddressSpace): Instantiation {
    const i = mem.spare.findIndex((x) => x instanceof Instantiation && x.image === image && !x.spoiled);
    return i >= 0 ? (mem.spare.splice(i, 1)[0] as Instantiation) : new Instantiation(image, mem);
  }

  install(pc: number, mod: WebAssembly.Module): void {
    const inst = new WebAssembly.Instance(mod, this.imports);
    this.lazyFns.set(pc, inst.exports[LAZY_EXPORT] as (entry: number, depth: number) => number);
  }

  private helperImport(name: string): (...args: bigint[]) => bigint {
    const h = HELPERS[name];
    const env = this.env;
    const g = this.g;
    // i64 crosses from Wasm to JavaScript as a signed BigInt; helpers take unsigned bit patterns.
    const u = (v: bigint) => BigInt.asUintN(64, v);
    return (...args: bigint[]) => {
      env.fpcr = g.fpcr.value as number;
      env.fpsr = g.fpsr.value as number;
      const r = h(env, ...args.map(u));
      g.fpsr.value = env.fpsr;
      return r;
    };
  }
}

export class AotEngine {
  readonly stats: EngineStats = { translated: 0, interpreted: 0, lazy: 0 };
  private readonly g: Globals;
  private readonly dispatch: (depth: number) => number;
  /** Functions translated while running, instantiated over this memory, by entry. */
  private readonly lazyFns: Map<number, (entry: number, depth: number) => number>;
  private readonly at: Instantiation;
  /** The instance was an earlier engine's (see Instantiation), not made for this one. */
  readonly reused: boolean;
  private readonly interp: Interpreter;
  /** The image's count of fallbacks (CompiledImage.misses); once its code changed, this engine's own. */
  private misses: Map<number, number>;
  /** Present once loaded (see loadTranslator); until then code without a translation is interpreted. */
  translator: Translator | null = null;
  /** Set when code had to be translated while running and the translator was not loaded: the kernel loads it. */
  wantsTranslator = false;
  /** Entries that wanted translating before the translator was loaded. */
  private readonly untranslated = new Set<number>();
  /** The image's code was changed (IC IVAU): translations on disk no longer describe it. */
  private codeChanged = false;

  constructor(
    readonly cpu: CpuState,
    readonly mem: AddressSpace,
    readonly image: CompiledImage,
    /** Serves the syscall in cpu; true when the guest may simply go on (only X0 changed). */
    private readonly onSvc: (imm: number) => boolean,
  ) {
    this.misses = image.misses;
    this.interp = new Interpreter(cpu, mem);
    this.interp.e.onInvalidate = (addr) => this.invalidate(Number(addr), 64);
    const made = mem.kept.length;
    this.at = Instantiation.take(image, mem);
    this.reused = mem.kept.length === made;
    this.at.engine = this;
    this.g = this.at.g;
    this.dispatch = this.at.dispatch;
    this.lazyFns = this.at.lazyFns;
  }

  /** The instance goes back to its memory for the next engine there (a thread's exit, an exec, an exit). */
  dispose(): void {
    if (!this.at.spoiled) this.mem.spare.push(this.at);
  }

  /**
   * The dispatcher's way to code translated while running (a computed jump discovery missed, a loop header):
   * the call stays on the Wasm stack, with the state in the globals, instead of unwinding to run() and pulling
   * and pushing it. A chain of such jumps nests a JavaScript frame per jump (the tail call cannot drop it), so
   * past LAZY_NESTING the dispatcher unwinds to the engine after all.
   */
  lazyCall(pc: number, depth: number): number {
    const f = this.lazyFns.get(pc);
    if (!f || this.lazyNesting >= LAZY_NESTING) return EXIT.DISPATCH;
    this.lazyNesting++;
    try {
      return f(pc | 0, depth);
    } finally {
      this.lazyNesting--;
    }
  }
  private lazyNesting = 0;

  svcGateway(imm: number): number {
    // Count what ran so far: the syscall may end the task (exit_group) and the kernel read the counts.
    this.account();
    // A syscall reads X0–X8 and changes X0: the other ~90 globals (each a BigInt to make) stay where they are
    // unless the kernel asks for them (syncFull) or takes over.
    this.pullArgs();
    this.partial = true;
    const ok = this.onSvc(imm);
    if (ok) {
      this.partial = false;
      this.g.x0.value = this.cpu.x[0];
      return 0;
    }
    this.syncFull();
    return 1;
  }

  /** Set while a syscall runs with only X0–X8, SP and PC pulled (see svcGateway). */
  private partial = false;

  /** The whole register file into cpu, for a syscall that reads or replaces it (clone, rt_sigreturn). */
  syncFull(): void {
    if (!this.partial) return;
    this.partial = false;
    this.pullRest();
  }

  /** CpuState → globals. */
  private push(): void {
    const { cpu, g } = this;
    const { xg, vg } = this.at;
    for (let i = 0; i < 31; i++) xg[i].value = cpu.x[i];
    g.sp.value = cpu.x[31];
    g.spLow.value = BigInt(Math.min(this.mem.stackLow, Number(cpu.x[31])));
    g.pc.value = cpu.pc;
    g.nzcv.value = cpu.nzcv | 0;
    g.nzcvK.value = FLAGS.EAGER;
    g.tpidr.value = cpu.tpidr;
    g.fpcr.value = cpu.fpcr | 0;
    g.fpsr.value = cpu.fpsr | 0;
    g.exclAddr.value = cpu.exclusiveAddr < 0n ? 0n : cpu.exclusiveAddr;
    g.exclSize.value = cpu.exclusiveAddr < 0n ? 0 : cpu.exclusiveSize;
    for (let i = 0; i < 64; i++) vg[i].value = cpu.v64[i];
  }

  /** Globals → CpuState. */
  private pull(): void {
    this.pullArgs();
    this.pullRest();
  }

  /** What a syscall reads: X0–X8, SP, PC (and the stack's low-water mark). */
  private pullArgs(): void {
    const { cpu, g } = this;
    const { xg } = this.at;
    // The register arrays are BigUint64Arrays: storing the signed values Wasm hands out wraps them.
    for (let i = 0; i <= 8; i++) cpu.x[i] = xg[i].value as bigint;
    cpu.x[31] = g.sp.value as bigint;
    this.mem.noteStack(Number(BigInt.asUintN(64, g.spLow.value as bigint)));
    cpu.pc = BigInt.asUintN(64, g.pc.value as bigint);
  }

  /** The rest of the state: X9–X30, flags, TPIDR, FPCR/FPSR, the exclusive monitor, V0–V31. */
  private pullRest(): void {
    const { cpu, g } = this;
    const { xg, vg } = this.at;
    for (let i = 9; i < 31; i++) cpu.x[i] = xg[i].value as bigint;
    const kind = g.nzcvK.value as number;
    cpu.nzcv = kind === FLAGS.EAGER ? (g.nzcv.value as number) >>> 0 : nzcvValue(kind, g.nzcvA.value as bigint, g.nzcvB.value as bigint, 0);
    cpu.tpidr = BigInt.asUintN(64, g.tpidr.value as bigint);
    cpu.fpcr = (g.fpcr.value as number) >>> 0;
    cpu.fpsr = (g.fpsr.value as number) >>> 0;
    const size = g.exclSize.value as number;
    cpu.exclusiveAddr = size ? BigInt.asUintN(64, g.exclAddr.value as bigint) : -1n;
    cpu.exclusiveSize = size;
    for (let i = 0; i < 64; i++) cpu.v64[i] = vg[i].value as bigint;
  }

  /** True for addresses inside the image's code, where code may be translated while running. */
  private inImage(pc: bigint): boolean {
    return pc >= BigInt(this.image.codeStart) && pc < BigInt(this.image.codeEnd) && pc % 4n === 0n;
  }
  private translatedAt(pc: bigint): boolean {
    const a = Number(pc);
    return (!this.codeChanged && this.image.entries.has(a)) || this.lazyFns.has(a);
  }

  /** Runs at most about `fuel` guest instructions (translated code checks at block granularity). */
  run(fuel: number): Exit {
    const g = this.g;
    let left = fuel;
    if (this.translator && this.untranslated.size) {
      // What waited for the translator is translated now, even if control never comes back to it in this run:
      // once on disk, the next run finds it there and need not load the translator at all.
      for (const pc of this.untranslated) if (!this.translatedAt(BigInt(pc))) this.translateAt(pc);
      this.untranslated.clear();
    }
    for (;;) {
      if (left <= 0) return { kind: 'fuel' };
      if (!this.translatedAt(this.cpu.pc)) {
        // No translation here: interpret up to the next translated address, translating code that keeps coming back.
        const pc = Number(this.cpu.pc);
        const n = (this.misses.get(pc) ?? 0) + 1;
        this.misses.set(pc, n);
        if ((n >= LAZY_THRESHOLD || this.image.lazy.has(pc)) && this.inImage(this.cpu.pc) && this.translateAt(pc)) continue;
        const before = this.cpu.retired;
        // Stop at translated code, and at branch targets interpreted before (a loop inside code without a
        // translation, a return site after an interpreted call): the next miss there translates them.
        const exit = this.interp.run(Math.min(left, 10_000), (p) => this.translatedAt(p) || this.misses.has(Number(p)));
        const ran = this.cpu.retired - before;
        this.stats.interpreted += ran;
        left -= ran;
        // Code must be translated and the translator is not loaded: end the slice so the kernel loads it, rather
        // than interpret the rest of a long slice.
        if (exit.kind === 'fuel' && this.wantsTranslator && !this.translator) return exit;
        if (exit.kind === 'fuel') continue;
        if (exit.kind === 'svc') {
          if (this.onSvc(exit.imm)) continue;
          return { kind: 'kernel' };
        }
        return exit;
      }
      this.push();
      g.fuel.value = left;
      this.fuelMark = left;
      let code: number;
      const lazy = this.lazyFns.get(Number(this.cpu.pc));
      try {
        code = lazy ? lazy(Number(this.cpu.pc) | 0, 0) : this.dispatch(0);
      } catch (err) {
        this.pull();
        this.account();
        if (err instanceof WebAssembly.RuntimeError && /out of bounds/.test(err.message)) {
          // D7: a fault inside translated code is delivered with the state of the last exit.
          return { kind: 'fault', addr: 0n, access: 'read', reason: 'unmapped' };
        }
        throw err;
      }
      this.account();
      left = g.fuel.value as number;
      // After KERNEL the kernel has the state already (the gateway pulled it) and may have changed it.
      if (code !== EXIT.KERNEL) this.pull();
      switch (code) {
        case EXIT.RET:
        case EXIT.DISPATCH:
          continue;
        case EXIT.KERNEL:
          return { kind: 'kernel' };
        case EXIT.FUEL:
          // pc is a loop header: give it a function of its own now, so the loop goes on translated (and, being
          // entered anew, in V8's optimised tier once it is hot).
          if (!this.translatedAt(this.cpu.pc)) this.translateAt(Number(this.cpu.pc));
          left = Math.min(left, 0);
          continue;
        case EXIT.UNDEF:
          return { kind: 'undefined', word: this.mem.allows(Number(this.cpu.pc), 4, PROT_EXEC) ? this.mem.u32(Number(this.cpu.pc)) : 0 };
        case EXIT.BRK:
          return { kind: 'brk', imm: (this.mem.u32(Number(this.cpu.pc)) >>> 5) & 0xffff };
        case EXIT.ALIGN_READ:
        case EXIT.ALIGN_WRITE:
          return {
            kind: 'fault',
            addr: BigInt.asUintN(64, g.faultAddr.value as bigint),
            access: code === EXIT.ALIGN_READ ? 'read' : 'write',
            reason: 'alignment',
          };
        default:
          throw new Error(`translated code returned unknown exit code ${code}`);
      }
    }
  }

  /** The fuel global's value when translated code was last counted. */
  private fuelMark = 0;
  /** Counts the instructions translated code ran since the last count (fuel counts down as it runs). */
  private account(): void {
    const now = this.g.fuel.value as number;
    this.stats.translated += this.fuelMark - now;
    this.cpu.retired += this.fuelMark - now;
    this.fuelMark = now;
  }

  /**
   * Translates the function starting at pc into a module of its own and installs it; false if it cannot. Such
   * functions (loop headers where fuel ran out, code discovery missed) are cached on disk beside the image's
   * module, so the next run instantiates them without loading the translator.
   */
  private translateAt(pc: number): boolean {
    const src = new MemoryCode(this.mem);
    // LEVITATE_BISECT (see translateImage): only the chosen functions run translated, none made while running.
    if (!src.isCode(pc) || process.env.LEVITATE_BISECT) return false;
    // Another process of the image translated it already: instantiate its module here too. (Each instance costs
    // time in proportion to the table, so engines take only the functions they reach.)
    const known = this.codeChanged ? undefined : this.image.lazy.get(pc);
    if (known) {
      this.install(pc, known);
      return true;
    }
    const key = `${this.image.key}-${pc.toString(16)}`;
    const dir = this.codeChanged ? null : this.image.cacheDir;
    let wasm = dir ? readCached(dir, key) : null;
    if (!wasm) {
      const tr = this.translator;
      if (!tr) {
        this.wantsTranslator = true;
        this.untranslated.add(pc);
        return false;
      }
      const fn = buildFunction(src, new ProbeEmitter(), pc, new Set([pc]));
      const t = tr.buildModule(src, [fn], { optimize: 0 });
      wasm = t.wasm;
      if (dir) writeCached(dir, key, { entries: t.entries, codeStart: 0, codeEnd: 0, helpers: t.helpers, functions: 1, blocks: t.blocks, instructions: t.instructions }, wasm);
    }
    const mod = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
    this.install(pc, mod);
    if (!this.codeChanged) this.image.lazy.set(pc, mod);
    this.stats.lazy++;
    return true;
  }

  private install(pc: number, mod: WebAssembly.Module): void {
    this.at.install(pc, mod);
  }

  /** Code in [addr, addr+len) changed: forget translations that cover it. */
  invalidate(addr: number, len: number): void {
    // Translated functions of the image may inline code from the range anywhere; the table is cleared for the
    // range, and calls between functions of the image go through their direct links, so a change inside the
    // image's own code switches the whole table off (rare: self-modifying static code).
    const inImage = addr + len > this.image.codeStart && addr < this.image.codeEnd;
    if (inImage) {
      this.at.codeOff.value = 1;
      this.codeChanged = true;
    }
    if (!this.at.spoiled) {
      this.at.spoiled = true;
      this.mem.kept.splice(this.mem.kept.indexOf(this.at), 1);
    }
    for (const pc of [...this.lazyFns.keys()]) if (inImage || (pc + 4 * 3000 > addr && pc < addr + len)) this.lazyFns.delete(pc);
    // Counts of the image's other processes stay theirs: from here on this engine counts alone.
    this.misses = new Map();
  }
}

