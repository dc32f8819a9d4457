// Binaryen.js copies the name argument of `global.get` and `global.set` (and `table.get`) onto its C stack and never
// pops it, so a module with many global accesses overflows that stack and corrupts Binaryen's memory (seen at
// ~300,000 calls with binaryen 123). These wrappers call the C API with names interned once in Binaryen's heap.
import binaryen from 'binaryen';

type Ref = binaryen.ExpressionRef;

interface Raw {
  _malloc(n: number): number;
  HEAPU8: Uint8Array;
  _BinaryenGlobalGet(m: number, name: number, type: number): Ref;
  _BinaryenGlobalSet(m: number, name: number, value: Ref): Ref;
}
const raw = binaryen as unknown as Raw;
const interned = new Map<string, number>();

function cstr(s: string): number {
  let p = interned.get(s);
  if (p === undefined) {
    const bytes = new TextEncoder().encode(s);
    p = raw._malloc(bytes.length + 1);
    raw.HEAPU8.set(bytes, p);
    raw.HEAPU8[p + bytes.length] = 0;
    interned.set(s, p);
  }
  return p;
}

const ptr = (m: binaryen.Module) => (m as unknown as { ptr: number }).ptr;

export function globalGet(m: binaryen.Module, name: string, type: binaryen.Type): Ref {
  return raw._BinaryenGlobalGet(ptr(m), cstr(name), type);
}
export function globalSet(m: binaryen.Module, name: string, value: Ref): Ref {
  return raw._BinaryenGlobalSet(ptr(m), cstr(name), value);
}
