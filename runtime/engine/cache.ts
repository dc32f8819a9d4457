// The translation cache (D8): translations are content-addressed by hash(image bytes, load bias, translator
// version, options). A compiled WebAssembly.Module stays in memory for the kernel's life, shared by every process
// running the image; its bytes go to disk (default $XDG_CACHE_HOME/levitate, else ~/.cache/levitate) so the next
// run costs a read and a compile. A file that fails its checksum is rebuilt, never run.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodeImage, discover } from '../../translator/discover/discover.js';
import { TRANSLATOR_VERSION } from '../../translator/emit/abi.js';
import { hostFusedMadd } from '../../translator/emit/host.js';
import type { ElfImage } from '../../translator/elf/elf.js';
import type { CompiledImage } from './aot.js';

/** The translator proper (Binaryen and the lifter): loaded on demand, it costs about half a second to load. */
export type Translator = typeof import('../../translator/emit/module.js');
let translatorLoad: Promise<Translator> | null = null;
export function loadTranslator(): Promise<Translator> {
  translatorLoad ??= import('../../translator/emit/module.js');
  return translatorLoad;
}

export interface CacheOptions {
  /** Directory for translated modules; null keeps them in memory only. */
  dir: string | null;
  /** Binaryen optimisation level. */
  optimize: number;
  /** Told about translation progress (a terminal shows a bar). */
  progress?: (done: number, total: number) => void;
}

export type CacheOutcome = 'memory' | 'disk' | 'translated' | 'rebuilt';

export interface CacheResult {
  image: CompiledImage;
  outcome: CacheOutcome;
  /** Seconds spent translating (0 on a hit). */
  seconds: number;
  key: string;
}

const MAGIC = 'LEVITATE-WASM\n';
const memory = new Map<string, CompiledImage>();

export function defaultCacheDir(): string {
  const env = process.env.LEVITATE_CACHE_DIR;
  if (env) return env;
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'levitate');
}

let fingerprint: string | null = null;
/**
 * A digest of the translator's own code: any change to it (a new release, a local edit) makes old translations
 * miss instead of running stale code. Reading the ~60 files costs a few milliseconds once per kernel.
 */
function translatorFingerprint(): string {
  if (fingerprint !== null) return fingerprint;
  const root = fileURLToPath(new URL('../../translator/', import.meta.url));
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.js')) h.update(name).update(fs.readFileSync(p));
    }
  };
  try {
    walk(root);
  } catch {
    // Translator files unreadable (bundled?): the version number alone keys the cache.
  }
  fingerprint = h.digest('hex').slice(0, 16);
  return fingerprint;
}

export function cacheKey(bytes: Uint8Array, bias: number, optimize: number): string {
  const h = createHash('sha256');
  h.update(bytes);
  h.update(`\0bias=${bias};v=${TRANSLATOR_VERSION};O=${optimize};fma=${hostFusedMadd() ? 1 : 0};t=${translatorFingerprint()}`);
  return h.digest('hex').slice(0, 32);
}

export interface Header {
  key: string;
  entries: number[];
  codeStart: number;
  codeEnd: number;
  helpers: string[];
  functions: number;
  blocks: number;
  instructions: number;
}

/** File layout: MAGIC, header JSON, '\n', wasm bytes, sha256 of all that (32 bytes). */
function encode(h: Header, wasm: Uint8Array): Buffer {
  const head = Buffer.from(MAGIC + JSON.stringify(h) + '\n');
  const body = Buffer.concat([head, wasm]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

function decode(file: Buffer, key: string): { h: Header; wasm: Uint8Array } | null {
  if (file.length < MAGIC.length + 32 || file.subarray(0, MAGIC.length).toString() !== MAGIC) return null;
  const body = file.subarray(0, file.length - 32);
  if (!createHash('sha256').update(body).digest().equals(file.subarray(file.length - 32))) return null;
  const nl = body.indexOf(10, MAGIC.length);
  if (nl < 0) return null;
  try {
    const h = JSON.parse(body.subarray(MAGIC.length, nl).toString()) as Header;
    if (h.key !== key) return null;
    return { h, wasm: new Uint8Array(body.subarray(nl + 1)) };
  } catch {
    return null;
  }
}

/** The compiled translation of an image: from memory, from disk, or translated now. */
export async function compiledImage(elf: ElfImage, bias: number, opts: CacheOptions): Promise<CacheResult> {
  const key = cacheKey(elf.bytes, bias, opts.optimize);
  const code = new CodeImage(elf, bias);
  const hit = memory.get(key);
  if (hit) return { image: hit, outcome: 'memory', seconds: 0, key };
  const file = opts.dir ? path.join(opts.dir, `${key}.lwasm`) : null;
  let corrupt = false;
  if (file && fs.existsSync(file)) {
    const loading = performance.now();
    const d = decode(fs.readFileSync(file), key);
    if (d) {
      const image: CompiledImage = {
        module: new WebAssembly.Module(d.wasm as Uint8Array<ArrayBuffer>), entries: new Set(d.h.entries), codeStart: d.h.codeStart, codeEnd: d.h.codeEnd,
        helpers: d.h.helpers, code, key, cacheDir: opts.dir, lazy: new Map(), misses: new Map(),
        summary: { functions: d.h.functions, blocks: d.h.blocks, instructions: d.h.instructions },
      };
      memory.set(key, image);
      return { image, outcome: 'disk', seconds: (performance.now() - loading) / 1000, key };
    }
    corrupt = true;
  }
  const { translateImage } = await loadTranslator();
  const started = performance.now();
  const t = translateImage(code, discover(code), { optimize: opts.optimize, progress: opts.progress });
  const image: CompiledImage = {
    module: new WebAssembly.Module(t.wasm as Uint8Array<ArrayBuffer>), entries: new Set(t.entries), codeStart: t.codeStart, codeEnd: t.codeEnd,
    helpers: t.helpers, code, key, cacheDir: opts.dir, lazy: new Map(), misses: new Map(),
    summary: { functions: t.functions, blocks: t.blocks, instructions: t.instructions },
  };
  const seconds = (performance.now() - started) / 1000;
  memory.set(key, image);
  if (opts.dir) writeCached(opts.dir, key, { entries: t.entries, codeStart: t.codeStart, codeEnd: t.codeEnd, helpers: t.helpers, functions: t.functions, blocks: t.blocks, instructions: t.instructions }, t.wasm);
  return { image, outcome: corrupt ? 'rebuilt' : 'translated', seconds, key };
}

/** Cached translations on disk: file name, size, modification time. */
export function listCache(dir: string): { name: string; bytes: number; mtime: Date }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.lwasm'))
    .map((n) => {
      const st = fs.statSync(path.join(dir, n));
      return { name: n, bytes: st.size, mtime: st.mtime };
    });
}

export function clearCache(dir: string): number {
  const files = listCache(dir);
  for (const f of files) fs.rmSync(path.join(dir, f.name), { force: true });
  memory.clear();
  return files.length;
}

/** The WebAssembly bytes of a cached translation. */
export function moduleBytes(dir: string, key: string): Uint8Array {
  const d = decode(fs.readFileSync(path.join(dir, `${key}.lwasm`)), key);
  if (!d) throw new Error(`cached translation ${key} is damaged`);
  return d.wasm;
}

/** A cached module's bytes, or null when absent or damaged. */
export function readCached(dir: string, key: string): Uint8Array | null {
  const file = path.join(dir, `${key}.lwasm`);
  if (!fs.existsSync(file)) return null;
  return decode(fs.readFileSync(file), key)?.wasm ?? null;
}

/** Stores a module atomically; a read-only or full cache directory costs the next run a translation, nothing more. */
export function writeCached(dir: string, key: string, h: Omit<Header, 'key'>, wasm: Uint8Array): void {
  const file = path.join(dir, `${key}.lwasm`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, encode({ key, ...h }, wasm));
    fs.renameSync(tmp, file);
  } catch {
    // see above
  }
}
