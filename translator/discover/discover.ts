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
  const extentEnd = (e: number): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= e) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length ? sorted[lo] : Infinity;
  };
  while (todo.length) {
    const entry = todo.shift()!;
    const f = buildFunction(img, probe, entry, entries, extentEnd(entry));
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

/** How far back from a BR the jump-table recogniser looks for the table address and the bound. */
const SWITCH_WINDOW = 64;
const MAX_SWITCH_CASES = 1024;

/**
 * The targets of a compiler's jump table ending in the BR at brPc, or null. The shape GCC and Clang emit:
 *   cmp wI, #N ; b.hi default ; [adrp+add xT, table] ; ldr{b,h,} wE, [xT, wI, uxtw #s] ;
 *   adr xB, base ; add xD, xB, wE, sxt{b,h,w} #2 ; br xD
 * The probe (constant folding over the instructions before the BR) finds the table and base addresses. The
 * lifter compares the computed target against these candidates at run time, so a wrong guess only costs a trip
 * through the dispatcher, never a wrong jump.
 */
function jumpTable(img: CodeSource, probe: ProbeEmitter, brPc: number): number[] | null {
  const word = (a: number) => {
    const w = img.word(a);
    return w === null ? null : decodeCached(w);
  };
  const br = word(brPc);
  if (!br || br.enc.name !== 'BR') return null;
  const add = word(brPc - 4);
  if (!add || add.enc.name !== 'ADDSUB_ext' || add.f.op || add.f.S || add.f.Rd !== br.f.Rn || add.f.imm3 !== 2) return null;
  const ext = add.f.option; // 0 uxtb, 1 uxth, 2 uxtw, 4 sxtb, 5 sxth, 6 sxtw
  // Constants computed in the window before the BR (straight-line view: a heuristic the run-time check guards).
  probe.reset();
  let load: { tab: number; idx: number; size: 1 | 2 | 4; at: number } | null = null;
  let bound: number | null = null;
  for (let a = Math.max(brPc - 4 * SWITCH_WINDOW, 0); a < brPc; a += 4) {
    if (!img.isCode(a)) continue;
    const d = word(a);
    if (!d || !d.enc.exec) continue;
    if (d.enc.name === 'LDST_reg' && d.f.Rt === add.f.Rm && d.f.V === 0 && d.f.opc === 1 && d.f.size <= 2) {
      const tab = probe.regs[d.f.Rn];
      if (tab !== null && tab < 0x1_0000_0000n) load = { tab: Number(tab), idx: d.f.Rm, size: (1 << d.f.size) as 1 | 2 | 4, at: a };
    }
    probe.begin();
    d.enc.exec(probe, d.f, BigInt(a));
  }
  if (!load) return null;
  // The bound: the last `cmp wIdx, #N` before the load.
  for (let a = load.at - 4; a >= load.at - 4 * SWITCH_WINDOW; a -= 4) {
    const d = word(a);
    if (d && d.enc.name === 'ADD_imm' && d.f.S && d.f.op && d.f.Rd === 31 && d.f.Rn === load.idx && !d.f.sh) {
      bound = d.f.imm12;
      break;
    }
  }
  const base = probe.regs[add.f.Rn];
  if (bound === null || base === null || bound >= MAX_SWITCH_CASES) return null;
  const targets = new Set<number>();
  for (let i = 0; i <= bound; i++) {
    const raw = img.data(load.tab + i * load.size, load.size);
    if (raw === null) return null;
    const bits = [8, 16, 32][ext & 3] ?? 32;
    const v = ext & 4 ? BigInt.asIntN(bits, BigInt(raw)) : BigInt.asUintN(bits, BigInt(raw));
    const t = Number(BigInt.asUintN(64, base + (v << 2n)));
    if (img.isCode(t)) targets.add(t);
  }
  return [...targets];
}

/** The blocks reachable from `entry` inside one function. */
export function buildFunction(
  img: CodeSource,
  probe: ProbeEmitter,
  entry: number,
  entries: ReadonlySet<number>,
  /** End of the function's extent (the next entry): jumps beyond it are tail calls, their targets functions. */
  extentEnd = Infinity,
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
        const cases = jumpTable(img, probe, a);
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
