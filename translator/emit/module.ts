// A whole image → one WebAssembly module (D5): a function per discovered guest function, a dispatcher, and
// element segments that put each function entry into the engine's code table at (entry - tableBase) / 4.
// Everything the code touches is imported: the address space's memory, the state globals, the table, the SVC
// gateway and the pure helpers. The same compiled module therefore serves every process running the image.
import binaryen from 'binaryen';
import { globalGet, globalSet, tableGet } from './names.js';
import type { CodeImage, CodeSource, Discovery, GuestFunction } from '../discover/discover.js';
import { FUNC_PARAMS, functionName, liftFunction, type ModuleContext } from '../lift/lift.js';
import { FLAGS, nzcvOf } from '../lift/wasm-emitter.js';
import { GUEST_BASE } from './abi.js';
import {
  EXIT,
  HELPER_PREFIX,
  I32_GLOBALS,
  I64_GLOBALS,
  IMPORT_ICIVAU,
  IMPORT_MODULE,
  IMPORT_SVC,
  IMPORT_SYSREG,
  TABLE_NAME,
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
  /** Guest address of table slot 0 and the number of slots. */
  tableBase: number;
  tableSize: number;
  /** Helpers the module imports (by name, without prefix). */
  helpers: string[];
  functions: number;
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
function addImports(m: binaryen.Module, tableSize: number, ownState: boolean): void {
  const global = (name: string, type: binaryen.Type) => {
    if (ownState) {
      m.addGlobal(name, type, true, type === binaryen.i64 ? m.i64.const(0, 0) : m.i32.const(0));
      m.addGlobalExport(name, name);
    } else m.addGlobalImport(name, IMPORT_MODULE, name, type, true);
  };
  m.setMemory(WASM_PAGES, WASM_PAGES, null, [], false, false, 'memory');
  m.addMemoryImport('memory', IMPORT_MODULE, 'memory');
  m.addTable(TABLE_NAME, tableSize, tableSize);
  m.addTableImport(TABLE_NAME, IMPORT_MODULE, TABLE_NAME);
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
}

/**
 * dispatch(depth): tail-calls the translation of the guest address in `pc` when the table has one, else
 * returns DISPATCH for the engine to find or interpret it.
 */
function addDispatch(m: binaryen.Module, name: string, tableBase: number, tableSize: number): void {
  const i32 = binaryen.i32;
  const i64 = binaryen.i64;
  const off = m.i64.sub(globalGet(m, 'pc', i64), m.i64.const(tableBase | 0, Math.floor(tableBase / 2 ** 32)));
  const idx = 1; // local: slot index
  const body = m.block(null, [
    m.local.set(2, off),
    m.if(
      m.i32.or(
        m.i64.ge_u(m.local.get(2, i64), m.i64.const(tableSize * 4, 0)),
        m.i32.wrap(m.i64.and(m.local.get(2, i64), m.i64.const(3, 0))),
      ),
      m.return(m.i32.const(EXIT.DISPATCH)),
    ),
    m.local.set(idx, m.i32.wrap(m.i64.shr_u(m.local.get(2, i64), m.i64.const(2, 0)))),
    m.if(m.ref.is_null(tableGet(m, TABLE_NAME, m.local.get(idx, i32), binaryen.funcref)), m.return(m.i32.const(EXIT.DISPATCH))),
    m.return_call_indirect(
      TABLE_NAME,
      m.local.get(idx, i32),
      [m.i32.wrap(globalGet(m, 'pc', i64)), m.local.get(0, i32)],
      FUNC_PARAMS(),
      i32,
    ),
  ]);
  m.addFunction(name, binaryen.i32, i32, [i32, i64], body);
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
  const tableBase = img.codeStart;
  const tableSize = Math.ceil((img.codeEnd - tableBase) / 4);
  let functions = disc.functions;
  // Debugging aid: LEVITATE_BISECT=lo,hi[;lo,hi…] translates only functions lo..hi-1 (by entry order); the rest
  // run in the interpreter. Halving the ranges finds the functions whose translation differs from the interpreter.
  const bisect = process.env.LEVITATE_BISECT?.split(';').map((r) => r.split(',').map(Number));
  if (bisect) {
    const sorted = [...functions].sort((a, b) => a.entry - b.entry);
    functions = bisect.flatMap(([lo, hi]) => sorted.slice(lo, hi));
  }
  return buildModule(img, functions, tableBase, tableSize, { ...opts, ownState: true });
}

export function buildModule(
  img: CodeSource,
  functions: readonly GuestFunction[],
  tableBase: number,
  tableSize: number,
  opts: ModuleOptions,
): TranslatedModule {
  const m = new binaryen.Module();
  try {
    m.setFeatures(FEATURES);
    addImports(m, tableSize, opts.ownState ?? false);
    const names = new Map<number, string>();
    for (const f of functions) names.set(f.entry, functionName(f.entry));
    const ctx: ModuleContext = { nameOf: (a) => names.get(a) ?? null, dispatch: 'dispatch', flags: 'nzcv' };
    addDispatch(m, ctx.dispatch, tableBase, tableSize);
    addFlags(m, ctx.flags);
    const helpers = new Map<string, number>();
    let instructions = 0;
    functions.forEach((f, i) => {
      for (const [h, n] of liftFunction(m, img, f, ctx)) helpers.set(h, n);
      instructions += f.size;
      opts.progress?.(i + 1, functions.length);
    });
    for (const [h, n] of helpers) {
      m.addFunctionImport(HELPER_PREFIX + h, IMPORT_MODULE, HELPER_PREFIX + h, binaryen.createType(new Array(n).fill(binaryen.i64)), binaryen.i64);
    }
    // Table slots: each function at its entry.
    const slots = new Map<number, string>();
    for (const f of functions) {
      const slot = (f.entry - tableBase) / 4;
      if (slot >= 0 && slot < tableSize && !slots.has(slot)) slots.set(slot, functionName(f.entry));
    }
    for (const [slot, name] of slots) m.addActiveElementSegment(TABLE_NAME, `e${slot}`, [name], m.i32.const(slot));
    // Binaryen's validator costs as much as lifting; V8 validates the module anyway when it compiles it.
    // LEVITATE_VALIDATE=1 runs it too, for Binaryen's clearer messages when working on the lifter.
    if (process.env.LEVITATE_VALIDATE && !m.validate()) throw new Error('translated module does not validate');
    binaryen.setOptimizeLevel(opts.optimize);
    binaryen.setShrinkLevel(0);
    if (opts.optimize > 0) m.optimize();
    const wasm = m.emitBinary();
    return { wasm, tableBase, tableSize, helpers: [...helpers.keys()], functions: functions.length, instructions };
  } finally {
    m.dispose();
  }
}
