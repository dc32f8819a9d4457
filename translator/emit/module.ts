// A whole image → one WebAssembly module (D5): a function per discovered guest function and a dispatcher that
// finds the translation of a guest address by binary search over the entries, compiled into the dispatcher as a
// tree of compares ending in direct tail calls. Everything the code touches is imported (the address space's
// memory, the SVC gateway, the pure helpers) or owned per instance (the state globals), so the same compiled
// module serves every process running the image, and a new instance (a fork, an exec) costs little: there is no
// table to fill. Functions translated while running form modules of their own that import the image's
// dispatcher and the state globals, and export their function.
import binaryen from 'binaryen';
import { globalGet } from './names.js';
import type { CodeImage, CodeSource, Discovery, GuestFunction } from '../discover/discover.js';
import { functionName, liftFunction, type ModuleContext } from '../lift/lift.js';
import { FLAGS, nzcvOf } from '../lift/wasm-emitter.js';
import { GUEST_BASE } from './abi.js';
import { hostFusedMadd } from './host.js';
import {
  EXIT,
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
  X_GLOBALS,
} from './abi.js';

export interface ModuleOptions {
  /** Binaryen optimisation level (0–3). */
  optimize: number;
  /**
   * The module defines the state globals and exports them (the image's module); otherwise it imports them (code
   * translated while running). V8 reaches a module's own globals with one load, imported mutable ones with two.
   */
  ownState?: boolean;
  /** Called after each function is lifted: (done, total). */
  progress?: (done: number, total: number) => void;
}

export interface TranslatedModule {
  wasm: Uint8Array;
  /** Guest addresses with a translation in the module, ascending. */
  entries: number[];
  /** The image's code range (what IC IVAU inside it invalidates). */
  codeStart: number;
  codeEnd: number;
  /** Helpers the module imports (by name, without prefix). */
  helpers: string[];
  functions: number;
  /** Basic blocks of those functions, and the instructions they lift. */
  blocks: number;
  instructions: number;
}

export const FEATURES =
  binaryen.Features.MVP |
  binaryen.Features.MutableGlobals |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.SIMD128 |
  binaryen.Features.BulkMemory |
  binaryen.Features.SignExt |
  binaryen.Features.TailCall |
  binaryen.Features.ReferenceTypes;

const WASM_PAGES = (2 ** 32 - GUEST_BASE) / 65536;

/** Declares every import but the helpers (added once their names are known). */
function addImports(m: binaryen.Module, ownState: boolean): void {
  const global = (name: string, type: binaryen.Type) => {
    if (ownState) {
      m.addGlobal(name, type, true, type === binaryen.i64 ? m.i64.const(0, 0) : m.i32.const(0));
      m.addGlobalExport(name, name);
    } else m.addGlobalImport(name, IMPORT_MODULE, name, type, true);
  };
  m.setMemory(WASM_PAGES, WASM_PAGES, null, [], false, false, 'memory');
  m.addMemoryImport('memory', IMPORT_MODULE, 'memory');
  for (const g of X_GLOBALS) global(g, binaryen.i64);
  for (const [lo, hi] of V_GLOBALS) {
    global(lo, binaryen.i64);
    global(hi, binaryen.i64);
  }
  for (const g of I64_GLOBALS) global(g, binaryen.i64);
  for (const g of I32_GLOBALS) global(g, binaryen.i32);
  m.addFunctionImport(IMPORT_SVC, IMPORT_MODULE, IMPORT_SVC, binaryen.i32, binaryen.i32);
  m.addFunctionImport(IMPORT_SYSREG, IMPORT_MODULE, IMPORT_SYSREG, binaryen.i32, binaryen.i64);
  m.addFunctionImport(IMPORT_ICIVAU, IMPORT_MODULE, IMPORT_ICIVAU, binaryen.i64, binaryen.none);
  if (ownState) m.addFunctionImport(IMPORT_LAZY, IMPORT_MODULE, IMPORT_LAZY, binaryen.createType([binaryen.i32, binaryen.i32]), binaryen.i32);
}

/**
 * dispatch(depth): tail-calls the translation of the guest address in `pc`, found by binary search over the
 * module's entries (unrolled into compares), else asks the engine for a translation made while running (the
 * `lazy` import), which returns DISPATCH when there is none: the engine then finds or interprets it. The
 * CODE_OFF global, set when the image's code was changed (IC IVAU), sends every dispatch to the engine.
 */
function addDispatch(m: binaryen.Module, name: string, entries: number[]): void {
  const i32 = binaryen.i32;
  const i64 = binaryen.i64;
  const depth = () => m.local.get(0, i32);
  const pc = () => m.local.get(1, i32);
  const miss = () => m.return_call(IMPORT_LAZY, [pc(), depth()], i32);
  const tree = (lo: number, hi: number): binaryen.ExpressionRef => {
    if (hi - lo <= 4) {
      const leaves = entries.slice(lo, hi).map((e) =>
        m.if(m.i32.eq(pc(), m.i32.const(e | 0)), m.return_call(functionName(e), [pc(), depth()], i32)),
      );
      // Each leaf ends in its own call of `lazy`: a single one after the tree would merge thousands of paths
      // with pc and depth live, and TurboFan's register allocator is quadratic in that (busybox: +0.4 s).
      return m.block(null, [...leaves, miss()]);
    }
    const mid = (lo + hi) >> 1;
    return m.if(m.i32.lt_u(pc(), m.i32.const(entries[mid] | 0)), tree(lo, mid), tree(mid, hi));
  };
  m.addGlobal(CODE_OFF, i32, true, m.i32.const(0));
  m.addGlobalExport(CODE_OFF, CODE_OFF);
  const body = m.block(null, [
    m.if(globalGet(m, CODE_OFF, i32), m.return(m.i32.const(EXIT.DISPATCH))),
    m.if(m.i64.ne(m.i64.shr_u(globalGet(m, 'pc', i64), m.i64.const(32, 0)), m.i64.const(0, 0)), m.return(m.i32.const(EXIT.DISPATCH))),
    m.local.set(1, m.i32.wrap(globalGet(m, 'pc', i64))),
    entries.length ? tree(0, entries.length) : miss(),
  ]);
  m.addFunction(name, i32, i32, [i32], body);
  m.addFunctionExport(name, name);
}

/** nzcv(kind, a, b, eager): the NZCV value of lazy flags (see FLAGS in the WasmEmitter). */
function addFlags(m: binaryen.Module, name: string): void {
  const i32 = binaryen.i32;
  const i64 = binaryen.i64;
  let body: binaryen.ExpressionRef = m.local.get(3, i32); // EAGER
  for (const kind of Object.values(FLAGS).filter((k) => k !== FLAGS.EAGER)) {
    body = m.if(
      m.i32.eq(m.local.get(0, i32), m.i32.const(kind)),
      nzcvOf(m, kind, () => m.local.get(1, i64), () => m.local.get(2, i64)),
      body,
    );
  }
  m.addFunction(name, binaryen.createType([i32, i64, i64, i32]), i32, [], body);
}

/** Translates the functions of an image into one module. */
export function translateImage(img: CodeImage, disc: Discovery, opts: ModuleOptions): TranslatedModule {
  let functions = disc.functions;
  // Debugging aid: LEVITATE_BISECT=lo,hi[;lo,hi…] translates only functions lo..hi-1 (by entry order); the rest
  // run in the interpreter. Halving the ranges finds the functions whose translation differs from the interpreter.
  // Use it with --no-cache (the variable is not part of the cache key); the engine translates nothing while
  // running when it is set. A bug may need several functions translated at once: calls between translated
  // functions stay inside Wasm, a call to an untranslated one leaves to the engine.
  const bisect = process.env.LEVITATE_BISECT?.split(';').map((r) => r.split(',').map(Number));
  if (bisect) {
    const sorted = [...functions].sort((a, b) => a.entry - b.entry);
    functions = bisect.flatMap(([lo, hi]) => sorted.slice(lo, hi));
  }
  return { ...buildModule(img, functions, { ...opts, ownState: true }), codeStart: img.codeStart, codeEnd: img.codeEnd };
}

/**
 * The module of `functions`. The image's module (ownState) owns the state globals and the dispatcher; a module of
 * code translated while running imports both and exports its one function as LAZY_EXPORT.
 */
export function buildModule(
  img: CodeSource,
  functions: readonly GuestFunction[],
  opts: ModuleOptions,
): Omit<TranslatedModule, 'codeStart' | 'codeEnd'> {
  const m = new binaryen.Module();
  try {
    m.setFeatures(hostFusedMadd() ? FEATURES | binaryen.Features.RelaxedSIMD : FEATURES);
    const own = opts.ownState ?? false;
    addImports(m, own);
    const names = new Map<number, string>();
    for (const f of functions) names.set(f.entry, functionName(f.entry));
    const entries = [...names.keys()].sort((a, b) => a - b);
    const ctx: ModuleContext = { nameOf: (a) => names.get(a) ?? null, dispatch: DISPATCH_NAME, flags: 'nzcv' };
    if (own) addDispatch(m, DISPATCH_NAME, entries);
    else m.addFunctionImport(DISPATCH_NAME, IMPORT_MODULE, DISPATCH_NAME, binaryen.i32, binaryen.i32);
    addFlags(m, ctx.flags);
    const helpers = new Map<string, number>();
    let instructions = 0;
    let blocks = 0;
    functions.forEach((f, i) => {
      for (const [h, n] of liftFunction(m, img, f, ctx)) helpers.set(h, n);
      instructions += f.size;
      blocks += f.blocks.length;
      opts.progress?.(i + 1, functions.length);
    });
    for (const [h, n] of helpers) {
      m.addFunctionImport(HELPER_PREFIX + h, IMPORT_MODULE, HELPER_PREFIX + h, binaryen.createType(new Array(n).fill(binaryen.i64)), binaryen.i64);
    }
    if (!own && functions.length === 1) m.addFunctionExport(functionName(functions[0].entry), LAZY_EXPORT);
    // Binaryen's validator costs as much as lifting; V8 validates the module anyway when it compiles it.
    // LEVITATE_VALIDATE=1 runs it too, for Binaryen's clearer messages when working on the lifter.
    if (process.env.LEVITATE_VALIDATE && !m.validate()) throw new Error('translated module does not validate');
    binaryen.setOptimizeLevel(opts.optimize);
    binaryen.setShrinkLevel(0);
    if (opts.optimize > 0) m.optimize();
    const wasm = m.emitBinary();
    return { wasm, entries, helpers: [...helpers.keys()], functions: functions.length, blocks, instructions };
  } finally {
    m.dispose();
  }
}
