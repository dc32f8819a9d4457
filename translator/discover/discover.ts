// Code discovery (D5): which addresses of an image start guest functions, and which basic blocks each function
// holds. Seeds: the ELF entry, symbols, .eh_frame FDEs (present even in stripped binaries), code addresses
// stored in data (.init_array, GOT, tables of function pointers), and constants code computes (ADR/ADRP+ADD) that
// land in code. From every seed we follow control flow; BL targets become functions too. What discovery misses
// still runs: the engine falls back to the interpreter and translates code that keeps falling back.
import { decodeCached } from '../a64/decoder.js';
import { PF_X, PT_LOAD, type ElfImage } from '../elf/elf.js';
import { ProbeEmitter, type Flow } from './probe.js';

/** Where instruction words come from: an image file, or a process's memory (code found while running). */
export interface CodeSource {
  isCode(addr: number): boolean;
  /** The instruction word at addr, or null outside executable code. */
  word(addr: number): number | null;
  /** `bytes` (1, 2 or 4) little-endian at addr from the image's initialised data; null when unknown. */
  data(addr: number, bytes: 1 | 2 | 4): number | null;
}

/** An image as it lies in guest memory: code words readable by address. */
export class CodeImage implements CodeSource {
  /** Executable ranges [start, end) in guest addresses. */
  readonly code: { start: number; end: number; off: number }[] = [];
  /** Non-executable file-backed ranges: where code pointers may be stored. */
  readonly dataRanges: { start: number; end: number; off: number }[] = [];
  readonly dv: DataView;

  constructor(
    readonly elf: ElfImage,
    /** Load bias (static-PIE images are placed by the kernel). */
    readonly bias: number,
  ) {
    this.dv = new DataView(elf.bytes.buffer, elf.bytes.byteOffset, elf.bytes.byteLength);
    for (const s of elf.segments) {
      if (s.type !== PT_LOAD || s.filesz === 0) continue;
      const r = { start: s.vaddr + bias, end: s.vaddr + bias + s.filesz, off: s.offset };
      (s.flags & PF_X ? this.code : this.dataRanges).push(r);
    }
  }

  get entry(): number {
    return this.elf.entry + this.bias;
  }
  /** Lowest and highest+1 executable address. */
  get codeStart(): number {
    return Math.min(...this.code.map((r) => r.start));
  }
  get codeEnd(): number {
    return Math.max(...this.code.map((r) => r.end));
  }
  isCode(addr: number): boolean {
    if (addr % 4 !== 0) return false;
    for (const r of this.code) if (addr >= r.start && addr + 4 <= r.end) return true;
    return false;
  }
  /** The instruction word at addr, or null outside the executable ranges. */
  word(addr: number): number | null {
    for (const r of this.code) if (addr >= r.start && addr + 4 <= r.end) return this.dv.getUint32(r.off + addr - r.start, true);
    return null;
  }
  data(addr: number, bytes: 1 | 2 | 4): number | null {
    for (const r of [...this.dataRanges, ...this.code]) {
      if (addr >= r.start && addr + bytes <= r.end) {
        const o = r.off + addr - r.start;
        return bytes === 1 ? this.dv.getUint8(o) : bytes === 2 ? this.dv.getUint16(o, true) : this.dv.getUint32(o, true);
      }
    }
    return null;
  }
}

export interface Block {
  start: number;
  /** Exclusive: the address after the block's last instruction. */
  end: number;
}

export interface GuestFunction {
  entry: number;
  /** Sorted by address; blocks[0] starts at the entry. */
  blocks: Block[];
  /** Instructions covered. */
  size: number;
  /** Where the function was cut (it grew too large, or jumps leave its extent): code to start other functions at. */
  cut: number[];
  /** BR instructions recognised as switch jumps: their address → the candidate targets. */
  switches: Map<number, number[]>;
}

export interface Discovery {
  functions: GuestFunction[];
  /** Where each seed kind found entries (for `levitate inspect`). */
  seeds: Record<string, number>;
  /** Instruction words in executable ranges that no function covers. */
  uncovered: number;
  /** Instructions in executable ranges. */
  total: number;
}

/**
 * Longest function we lift as one unit (V8 refuses Wasm functions above ~7.6 MB); where a function is cut, the
 * code that was left becomes functions of its own, reached through the dispatcher.
 */
const MAX_FUNCTION_INSNS = 3_000;
/** Longest basic block: a block's temporaries are locals, and V8 limits a function to 50,000 of them. */
const MAX_BLOCK_INSNS = 200;

/** Runs the probe over one instruction; returns its flow. */
function probeAt(img: CodeSource, probe: ProbeEmitter, addr: number): Flow {
  const w = img.word(addr);
  const d = w === null ? null : decodeCached(w);
  probe.begin();
  if (!d || !d.enc.exec || (d.enc.ext !== undefined && d.enc.ext !== 'base')) return { kind: 'stop' };
  d.enc.exec(probe, d.f, BigInt(addr));
  return probe.flow;
}

function symbolSeeds(img: CodeImage): number[] {
  const out: number[] = [];
  const { elf, dv } = img;
  for (const s of elf.sections) {
    if (s.type !== 2 /* SHT_SYMTAB */ || s.offset + s.size > elf.bytes.length) continue;
    for (let o = s.offset; o + 24 <= s.offset + s.size; o += 24) {
      const info = dv.getUint8(o + 4);
      const value = Number(dv.getBigUint64(o + 8, true));
      if ((info & 0xf) === 2 /* STT_FUNC */ && value) out.push(value + img.bias);
    }
  }
  return out;
}

/** Initial locations of every FDE in .eh_frame. */
function ehFrameSeeds(img: CodeImage): number[] {
  const sec = img.elf.sections.find((s) => s.name === '.eh_frame');
  if (!sec || sec.offset + sec.size > img.elf.bytes.length) return [];
  const { dv } = img;
  const out: number[] = [];
  const encodings = new Map<number, number>(); // CIE offset -> FDE pointer encoding
  const uleb = (p: { o: number }) => {
    let r = 0;
    let shift = 0;
    for (;;) {
      const b = dv.getUint8(p.o++);
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80) || shift > 49) return r;
    }
  };
  const end = sec.offset + sec.size;
  let o = sec.offset;
  try {
    while (o + 8 <= end) {
      const len = dv.getUint32(o, true);
      if (len === 0 || len === 0xffffffff) break;
      const body = o + 4;
      const next = body + len;
      if (next > end) break;
      const id = dv.getUint32(body, true);
      if (id === 0) {
        // CIE: version, augmentation, alignment factors, return register, augmentation data.
        const p = { o: body + 5 };
        let aug = '';
        while (dv.getUint8(p.o) !== 0) aug += String.fromCharCode(dv.getUint8(p.o++));
        p.o++;
        uleb(p);
        uleb(p); // data alignment (sleb; only skipped)
        if (dv.getUint8(body + 4) === 1) p.o++;
        else uleb(p);
        let enc = 0; // absptr
        if (aug[0] === 'z') {
          uleb(p);
          for (const ch of aug.slice(1)) {
            if (ch === 'R') enc = dv.getUint8(p.o++);
            else if (ch === 'L') p.o++;
            else if (ch === 'P') {
              const penc = dv.getUint8(p.o++);
              p.o += [8, 0, 2, 4, 8][penc & 7] ?? 8;
            } else if (ch !== 'S' && ch !== 'B') break;
          }
        }
        encodings.set(o, enc);
      } else {
        const cie = body - id;
        const enc = encodings.get(cie) ?? 0;
        const field = body + 4;
        let v: number;
        switch (enc & 0x0f) {
          case 0x0b:
            v = dv.getInt32(field, true);
            break;
          case 0x03:
            v = dv.getUint32(field, true);
            break;
          default:
            v = Number(dv.getBigInt64(field, true));
        }
        if ((enc & 0x70) === 0x10) v += sec.addr + (field - sec.offset); // pc-relative
        out.push(v + img.bias);
      }
      o = next;
    }
  } catch {
    // A truncated or odd .eh_frame only ends the scan: discovery has other seeds.
  }
  return out;
}

/** 8-byte little-endian words in data that hold addresses of executable code. */
function dataSeeds(img: CodeImage): number[] {
  const out: number[] = [];
  for (const r of img.dataRanges) {
    const first = r.start + ((8 - (r.start % 8)) % 8);
    for (let a = first; a + 8 <= r.end; a += 8) {
      const lo = img.dv.getUint32(r.off + a - r.start, true);
      const hi = img.dv.getUint32(r.off + a - r.start + 4, true);
      if (hi === 0 && img.isCode(lo) && decodeCached(img.word(lo)!) !== null) out.push(lo);
    }
  }
  return out;
}

/** Finds the functions of an image and their blocks. */
export function discover(img: CodeImage): Discovery {
  const probe = new ProbeEmitter();
  const entries = new Set<number>();
  const seeds: Record<string, number> = {};
  const work: number[] = [];
  /** Entries from strong evidence (entry, symbols, FDEs, calls): only they bound functions' extents. */
  const strong = new Set<number>();
  const addSeeds = (kind: string, list: number[]) => {
    if (kind !== 'data or constants') for (const a of list) if (img.isCode(a)) strong.add(a);
    let n = 0;
    for (const a of list) {
      if (!img.isCode(a) || entries.has(a)) continue;
      entries.add(a);
      work.push(a);
      n++;
    }
    seeds[kind] = (seeds[kind] ?? 0) + n;
  };
  addSeeds('entry', [img.entry]);
  addSeeds('symbols', symbolSeeds(img));
  addSeeds('eh_frame', ehFrameSeeds(img));
  // Weak seeds — code addresses found in data or computed by ADR/ADRP — are mostly labels inside functions
  // (jump tables, local targets); they count only where the code is not already part of a function.
  const weak: number[] = dataSeeds(img);

  // Phase 1: follow control flow from every entry; collect BL targets and code constants as new entries.
  const visited = new Set<number>();
  const found: { call: number[]; constant: number[] } = { call: [], constant: [] };
  while (work.length) {
    const stack = [work.pop()!];
    while (stack.length) {
      let a = stack.pop()!;
      if (visited.has(a)) continue;
      probe.reset();
      for (;;) {
        if (visited.has(a) || !img.isCode(a)) break;
        visited.add(a);
        const fl = probeAt(img, probe, a);
        for (const v of probe.written) if (v < 0x1_0000_0000n && img.isCode(Number(v))) found.constant.push(Number(v));
        if (fl.kind === 'next' || fl.kind === 'svc') {
          a += 4;
          continue;
        }
        if (fl.kind === 'branch') {
          const t = Number(fl.target);
          if (fl.branch === 'call') {
            found.call.push(t);
            probe.reset();
            a += 4;
            continue;
          }
          stack.push(t);
        } else if (fl.kind === 'cond') {
          stack.push(Number(fl.target));
          stack.push(a + 4);
        } else if (fl.kind === 'reg' && fl.branch === 'call') {
          if (fl.target !== null) found.call.push(Number(fl.target));
          probe.reset();
          a += 4;
          continue;
        }
        break;
      }
    }
    if (!work.length) {
      addSeeds('calls', found.call);
      weak.push(...found.constant);
      found.call = [];
      found.constant = [];
      if (!work.length) {
        addSeeds('data or constants', weak.filter((a) => !visited.has(a)));
        weak.length = 0;
      }
    }
  }

  // Phase 2: each entry's function: its blocks, stopping at other functions' entries (tail calls). Where a
  // function is cut for size, what was left starts new functions.
  const functions: GuestFunction[] = [];
  const covered = new Set<number>();
  const todo = [...entries].sort((x, y) => x - y);
  // Weak seeds (an ADR of a switch's base, say) often lie inside functions: they must not cut extents short.
  const sorted = [...strong].sort((x, y) => x - y);
  /** How many strong entries lie at or before e (binary search). */
  const atOrBefore = (e: number): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= e) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** The next strong entry after e: where e's extent ends. */
  const extentEnd = (e: number): number => {
    const i = atOrBefore(e);
    return i < sorted.length ? sorted[i] : Infinity;
  };
  /** The last strong entry at or before e: where the code e lies in begins (jump tables look back to it). */
  const extentStart = (e: number): number => {
    const i = atOrBefore(e);
    return i > 0 ? sorted[i - 1] : e;
  };
  while (todo.length) {
    const entry = todo.shift()!;
    const f = buildFunction(img, probe, entry, entries, extentEnd(entry), extentStart(entry));
    for (const b of f.blocks) for (let a = b.start; a < b.end; a += 4) covered.add(a);
    functions.push(f);
    for (const c of f.cut) {
      if (!entries.has(c)) {
        entries.add(c);
        todo.push(c);
        seeds['split or tail'] = (seeds['split or tail'] ?? 0) + 1;
      }
    }
  }
  let total = 0;
  for (const r of img.code) total += Math.floor((r.end - r.start) / 4);
  return { functions, seeds, uncovered: total - covered.size, total };
}

/**
 * How far back from a BR the jump-table recogniser sweeps (never before the function's start): far enough to see
 * a table address set up once in the prologue and kept in a callee-saved register or a stack slot.
 */
const SWITCH_SWEEP = 2048;
/** How far back from the table load the recogniser looks for the bound. */
const SWITCH_WINDOW = 64;
const MAX_SWITCH_CASES = 1024;
/** Most entries read from a table of absolute addresses that has no bound. */
const MAX_ADDRESS_TABLE = 4096;
/**
 * Registers the sweep forgets at a call: results (X0, X1), veneer scratch (X16, X17) and the link register. AAPCS64
 * lets a callee change all of X0–X18, but GCC knows which registers its static callees really use (-fipa-ra) and
 * keeps values — a table address, say — in the others across calls; a stale value only costs a wrong guess.
 */
const CALL_CLOBBERED = [0, 1, 16, 17, 30];

/**
 * The targets of a jump ending in the BR at brPc, or null. Two shapes, as GCC and Clang emit them at -O2:
 *
 * - a table of offsets: `cmp wI, #N ; b.hi default ; [adrp+add xT, table] ; ldr{b,h,,sw} wE, [xT, wI, …] ;
 *   adr xB, base ; add xD, xB, wE, {s,u}xt{b,h,w} #2 | add xD, xB, xE, lsl #s ; br xD` — GCC's (base: a label
 *   after the BR, entries in instructions) and Clang's (base: a label or the table itself);
 * - a table of absolute addresses (GCC's `goto *tab[op]`, labels as values): `ldr xD, [xT, xI, lsl #3] ; br xD`,
 *   with or without a bound. Without one we take consecutive entries while they are code inside the function's
 *   extent [extentStart, extentEnd).
 *
 * The table address, the base and the index register come from the probe run over the straight line of
 * instructions before the BR (address order, not control flow), starting at the function's start when it is
 * near: the table address is often set up once in the prologue and kept in a callee-saved register or spilled
 * to a stack slot, which the probe then models (ProbeEmitter.stackFrame). This is a heuristic: the lifter
 * compares the computed target with these candidates at run time, so a wrong guess only costs a trip through the
 * dispatcher, never a wrong jump.
 */
function jumpTable(img: CodeSource, probe: ProbeEmitter, brPc: number, extentStart: number, extentEnd: number): number[] | null {
  const word = (a: number) => {
    const w = img.word(a);
    return w === null ? null : decodeCached(w);
  };
  const br = word(brPc);
  if (!br || br.enc.name !== 'BR') return null;

  // The sweep: which instruction last wrote each register, and the registers (values and writers) before each
  // load and add.
  const writer = new Array<number>(32).fill(-1);
  const before = new Map<number, { regs: (bigint | null)[]; writer: number[] }>();
  probe.reset();
  probe.stackFrame();
  let bodySp = probe.regs[31]!; // the lowest SP seen: the function body's, once the prologue has run
  // The registers at the start of the current straight run (after the last branch).
  let run = { regs: probe.regs.slice(), writer: writer.slice() };
  for (let a = Math.max(brPc - 4 * SWITCH_SWEEP, extentStart, 0); a < brPc; a += 4) {
    const d = word(a);
    if (!d || !d.enc.exec || (d.enc.ext !== undefined && d.enc.ext !== 'base')) continue;
    if (d.enc.name === 'LDST_reg' || d.enc.name === 'ADDSUB_ext' || d.enc.name === 'ADDSUB_shift') before.set(a, { regs: probe.regs.slice(), writer: writer.slice() });
    probe.begin();
    d.enc.exec(probe, d.f, BigInt(a));
    for (const r of probe.wrote) writer[r] = a;
    const fl = probe.flow;
    if (fl.kind === 'next' || fl.kind === 'svc') {
      const sp = probe.regs[31];
      if (sp !== null && sp < bodySp) bodySp = sp;
      continue;
    }
    if ((fl.kind === 'branch' || fl.kind === 'reg') && fl.branch === 'call') {
      for (const r of CALL_CLOBBERED) {
        probe.regs[r] = null;
        writer[r] = -1;
      }
    } else if (fl.kind !== 'cond') {
      // What follows an unconditional jump is reached from elsewhere. After a return (or a tail call that freed
      // the frame) that is not from this run, which was an epilogue: we go on with the registers from before it.
      // That undoes the restoring of the caller's registers (the table address the body keeps in X21, say) and
      // writes on the way out (`mov w0, #1; ret` between a switch's `cmp w0, #N; b.ls` and its table load).
      // After other jumps we keep the run's registers: the code after a computed goto's BR is its targets.
      if ((fl.kind === 'reg' && fl.branch === 'ret') || probe.regs[31] !== bodySp) {
        probe.regs.splice(0, 31, ...run.regs.slice(0, 31));
        writer.splice(0, 32, ...run.writer);
      }
      probe.regs[31] = bodySp;
    }
    run = { regs: probe.regs.slice(), writer: writer.slice() };
  }
  probe.reset();

  /** The LDR (register offset) at `at` that loaded a table entry into rt: table address, index, entry size. */
  const tableLoad = (at: number, rt: number) => {
    const d = at >= 0 ? word(at) : null;
    if (!d || d.enc.name !== 'LDST_reg' || d.f.V || d.f.Rt !== rt || d.f.opc === 0 || d.f.Rn === 31) return null;
    const tab = before.get(at)?.regs[d.f.Rn] ?? null;
    if (tab === null || tab >= 0x1_0000_0000n) return null;
    return { at, tab: Number(tab), idx: d.f.Rm, size: 1 << d.f.size, opc: d.f.opc };
  };
  /**
   * The bound N of the last `cmp wIdx, #N` shortly before the load (indices 0..N reach the table). `strict`: not
   * when the sweep saw the index written after the compare (the compare may be about an older value) — for tables
   * that can do without a bound; address order is not control flow, so this also rejects some good bounds.
   */
  const boundOf = (at: number, idx: number, strict: boolean): number | null => {
    const written = strict ? (before.get(at)?.writer[idx] ?? -1) : -1;
    for (let a = at - 4; a >= at - 4 * SWITCH_WINDOW && a > written; a -= 4) {
      const d = word(a);
      if (d && d.enc.name === 'ADD_imm' && d.f.S && d.f.op && d.f.Rd === 31 && d.f.Rn === idx && !d.f.sh) return d.f.imm12;
    }
    return null;
  };
  const targets = new Set<number>();

  // A table of absolute addresses, loaded straight into the BR's register.
  const abs = tableLoad(writer[br.f.Rn], br.f.Rn);
  if (abs && abs.size === 8 && abs.opc === 1) {
    const bound = boundOf(abs.at, abs.idx, true);
    // Without a bound, the extent says where the function ends; lazily translated code does not know it.
    if (bound === null && extentEnd === Infinity) return null;
    const n = bound === null ? MAX_ADDRESS_TABLE : Math.min(bound + 1, MAX_ADDRESS_TABLE);
    for (let i = 0; i < n; i++) {
      const lo = img.data(abs.tab + 8 * i, 4);
      const hi = img.data(abs.tab + 8 * i + 4, 4);
      const ok = lo !== null && hi === 0 && img.isCode(lo);
      // A bounded table may hold odd entries (the run-time check guards them); an unbounded one ends at the
      // first entry that is not a label of this function.
      if (bound === null && !(ok && lo >= extentStart && lo < extentEnd)) break;
      if (ok) targets.add(lo);
    }
    return targets.size ? [...targets] : null;
  }

  // A table of offsets: `add xD, xBase, entry, ext/shift #s` before the BR, the entry loaded before the add.
  const at = writer[br.f.Rn];
  const add = at >= 0 ? word(at) : null;
  if (!add || add.f.op || add.f.S || !add.f.sf || add.f.Rd !== br.f.Rn) return null;
  let shift: number;
  let ext: number | null = null; // 0 uxtb, 1 uxth, 2 uxtw, 3 uxtx, 4 sxtb … 7 sxtx
  if (add.enc.name === 'ADDSUB_ext') {
    shift = add.f.imm3;
    ext = add.f.option;
  } else if (add.enc.name === 'ADDSUB_shift' && add.f.shift === 0 && add.f.imm6 <= 4) shift = add.f.imm6;
  else return null;
  const base = add.f.Rn === 31 ? null : (before.get(at)?.regs[add.f.Rn] ?? null);
  const load = tableLoad(before.get(at)?.writer[add.f.Rm] ?? -1, add.f.Rm);
  if (base === null || !load || load.size > 4) return null;
  const bound = boundOf(load.at, load.idx, false);
  if (bound === null || bound >= MAX_SWITCH_CASES) return null;
  const bits = load.size * 8;
  for (let i = 0; i <= bound; i++) {
    const raw = img.data(load.tab + i * load.size, load.size as 1 | 2 | 4);
    if (raw === null) return null;
    // The entry as the load leaves it in the register (opc 2: sign-extended to 64 bits, 3: to 32), then as the
    // add extends it.
    let v = BigInt(raw);
    if (load.opc === 2) v = BigInt.asUintN(64, BigInt.asIntN(bits, v));
    else if (load.opc === 3) v = BigInt.asUintN(32, BigInt.asIntN(bits, v));
    if (ext !== null) {
      const w = [8, 16, 32, 64][ext & 3];
      v = ext & 4 ? BigInt.asIntN(w, v) : BigInt.asUintN(w, v);
    }
    const t = Number(BigInt.asUintN(64, base + (v << BigInt(shift))));
    if (img.isCode(t)) targets.add(t);
  }
  return targets.size ? [...targets] : null;
}

/** The blocks reachable from `entry` inside one function. */
export function buildFunction(
  img: CodeSource,
  probe: ProbeEmitter,
  entry: number,
  entries: ReadonlySet<number>,
  /** End of the function's extent (the next entry): jumps beyond it are tail calls, their targets functions. */
  extentEnd = Infinity,
  /** Start of the code the function belongs to (the entry of a split or a tail lies inside another's extent). */
  extentStart = entry,
): GuestFunction {
  const tails = new Set<number>();
  const leaders = new Set<number>([entry]);
  const insns = new Set<number>();
  const switches = new Map<number, number[]>();
  const stack = [entry];
  while (stack.length) {
    if (insns.size >= MAX_FUNCTION_INSNS) break;
    let a = stack.pop()!;
    for (;;) {
      // Running into another function's entry: that function goes on from there (a tail call, in effect).
      if (insns.has(a) || !img.isCode(a) || (a !== entry && entries.has(a))) break;
      if (insns.size >= MAX_FUNCTION_INSNS) {
        stack.push(a);
        break;
      }
      insns.add(a);
      const fl = probeAt(img, probe, a);
      const edge = (t: number) => {
        if (!img.isCode(t) || (entries.has(t) && t !== entry)) return; // another function: a tail call
        if (t < entry || t >= extentEnd) {
          // Shared tails and cold parts of other functions: lifted once, as functions of their own.
          tails.add(t);
          return;
        }
        leaders.add(t);
        stack.push(t);
      };
      if (fl.kind === 'next' || fl.kind === 'svc') {
        a += 4;
        continue;
      }
      if (fl.kind === 'branch' && fl.branch === 'call') {
        // The return site starts a block: the call ends the one before it.
        leaders.add(a + 4);
        a += 4;
        continue;
      }
      if (fl.kind === 'reg' && fl.branch === 'call') {
        leaders.add(a + 4);
        a += 4;
        continue;
      }
      if (fl.kind === 'branch') edge(Number(fl.target));
      else if (fl.kind === 'reg' && fl.branch === 'jump') {
        const cases = jumpTable(img, probe, a, extentStart, extentEnd);
        if (cases) {
          switches.set(a, cases);
          for (const t of cases) edge(t);
        }
      } else if (fl.kind === 'cond') {
        edge(Number(fl.target));
        leaders.add(a + 4);
        stack.push(a + 4);
      }
      break;
    }
  }
  // Addresses still to visit when the size limit stopped us: the function leaves there, others take over.
  const cut = [...new Set(stack)].filter((a) => !insns.has(a) && img.isCode(a));
  // Blocks: from each leader to the next leader or the end of a straight run.
  const sorted = [...insns].sort((x, y) => x - y);
  const blocks: Block[] = [];
  let cur: Block | null = null;
  for (const a of sorted) {
    if (cur && a === cur.end && !leaders.has(a) && (a - cur.start) / 4 < MAX_BLOCK_INSNS) {
      cur.end = a + 4;
    } else {
      if (cur) blocks.push(cur);
      cur = { start: a, end: a + 4 };
    }
    // A terminator ends a block even when the next address is a leader-free instruction of ours.
    const fl = probeAt(img, probe, a);
    if (fl.kind !== 'next' && fl.kind !== 'svc') {
      blocks.push(cur);
      cur = null;
    }
  }
  if (cur) blocks.push(cur);
  blocks.sort((x, y) => (x.start === entry ? -1 : y.start === entry ? 1 : x.start - y.start));
  return { entry, blocks, size: insns.size, cut: [...cut, ...tails], switches };
}
