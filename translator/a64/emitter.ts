// The Emitter: the one vocabulary instruction semantics are written in (ARCHITECTURE.md D2).
// EvalEmitter (runtime/cpu) computes values now; WasmEmitter (translator/lift) builds Binaryen expressions.
//
// V is a 64-bit integer value (i64 in Wasm, bigint when evaluating). B is a boolean (i32 0/1 in Wasm, boolean
// when evaluating). All integer arithmetic wraps at 64 bits; 32-bit forms truncate with zext/sext.
// Floating point and other intricate operations go through `helper`, which calls a pure function of
// translator/a64/helpers by name: one implementation that both backends call.

/** System registers that EL0 code may read or write (MRS/MSR). */
export type SysReg =
  | 'TPIDR_EL0'
  | 'TPIDRRO_EL0'
  | 'FPCR'
  | 'FPSR'
  | 'CTR_EL0'
  | 'DCZID_EL0'
  | 'MIDR_EL1'
  | 'MPIDR_EL1'
  | 'REVIDR_EL1'
  | 'CNTVCT_EL0'
  | 'CNTFRQ_EL0'
  | 'ID_AA64PFR0_EL1'
  | 'ID_AA64ISAR0_EL1'
  | 'ID_AA64ISAR1_EL1'
  | 'ID_AA64MMFR0_EL1'
  | 'ID_AA64ZFR0_EL1';

export type MemSize = 1 | 2 | 4 | 8;

export type BranchKind = 'jump' | 'call' | 'ret';

export interface Emitter<V, B> {
  // ---- constants and registers ----
  /** A 64-bit constant; numbers must be safe integers, negative values wrap to two's complement. */
  c(n: bigint | number): V;
  /** X register n; n = 31 reads zero (XZR). */
  getX(n: number): V;
  /** Writes X register n; n = 31 discards (XZR). */
  setX(n: number, v: V): void;
  getSP(): V;
  setSP(v: V): void;
  /** NZCV in bits 31:28, as MRS NZCV reads it. */
  getNZCV(): V;
  setNZCV(v: V): void;
  /** One lane of vector register Vreg, `esize` bits wide (8, 16, 32, 64), zero-extended to 64 bits. */
  getV(reg: number, lane: number, esize: number): V;
  /** Writes one lane; the other lanes are unchanged. */
  setV(reg: number, lane: number, esize: number, v: V): void;
  getSys(r: SysReg): V;
  setSys(r: SysReg, v: V): void;

  // ---- integer arithmetic (64-bit, wrapping) ----
  add(a: V, b: V): V;
  sub(a: V, b: V): V;
  mul(a: V, b: V): V;
  /** High 64 bits of the 128-bit product. */
  umulh(a: V, b: V): V;
  smulh(a: V, b: V): V;
  /** Arm semantics: division by zero gives 0; INT64_MIN / -1 gives INT64_MIN. */
  udiv(a: V, b: V): V;
  sdiv(a: V, b: V): V;
  and(a: V, b: V): V;
  or(a: V, b: V): V;
  xor(a: V, b: V): V;
  not(a: V): V;
  neg(a: V): V;
  /** Shifts take the amount modulo 64. */
  shl(a: V, n: V): V;
  lshr(a: V, n: V): V;
  ashr(a: V, n: V): V;
  ror(a: V, n: V): V;
  /** Keeps the low `bits` bits, zero-extended. */
  zext(a: V, bits: number): V;
  /** Keeps the low `bits` bits, sign-extended. */
  sext(a: V, bits: number): V;
  clz(a: V): V;
  /** Reverses the 8 bytes. */
  bswap(a: V): V;
  /** Reverses the 64 bits. */
  rbit(a: V): V;

  // ---- comparisons and booleans ----
  eq(a: V, b: V): B;
  ne(a: V, b: V): B;
  ltu(a: V, b: V): B;
  leu(a: V, b: V): B;
  lts(a: V, b: V): B;
  les(a: V, b: V): B;
  bool(b: boolean): B;
  band(a: B, b: B): B;
  bor(a: B, b: B): B;
  bnot(a: B): B;
  select(cond: B, ifTrue: V, ifFalse: V): V;
  /** 1 or 0 as a V. */
  fromBool(b: B): V;

  // ---- flags ----
  /** result = a + b + carryIn over `bits` (32 or 64) bits, zero-extended; sets NZCV as ADDS/ADCS do. */
  addWithFlags(a: V, b: V, carryIn: V, bits: 32 | 64): V;
  /** Sets N and Z from `result` (of `bits` bits), C = V = 0, as ANDS/BICS/TST do. */
  logicFlags(result: V, bits: 32 | 64): void;
  /** The carry flag as 0/1. */
  carry(): V;
  /** Evaluates an Arm condition code (0 = EQ … 14 = AL, 15 = NV as AL). */
  cond(cc: number): B;

  // ---- memory (guest virtual addresses) ----
  load(addr: V, size: MemSize, signed?: boolean): V;
  store(addr: V, v: V, size: MemSize): void;
  /**
   * LDXR family: load `size` bytes and mark the exclusive monitor for `span` bytes (default `size`; 16 for
   * LDXP of two X registers). The address must be aligned to `span`.
   */
  loadExclusive(addr: V, size: MemSize, span?: number): V;
  /** STXR family: returns 0 (stored) or 1 (monitor not marked for this address and span; nothing stored). */
  storeExclusive(addr: V, v: V, size: MemSize, span?: number): V;
  clearExclusive(): void;

  // ---- control ----
  /** Direct branch to a constant target; ends the instruction. */
  branch(target: bigint, kind?: BranchKind): void;
  /** Conditional branch: taken to `target`, else falls through to pc + 4. */
  branchIf(cond: B, target: bigint): void;
  /** Branch to a register value (BR, BLR, RET). */
  branchReg(target: V, kind: BranchKind): void;
  /** SVC #imm: the kernel takes over; execution resumes at pc + 4. */
  svc(imm: number): void;
  /** BRK #imm: SIGTRAP. */
  brk(imm: number): void;
  /** UDF and unallocated or unsupported encodings: SIGILL. */
  undefined(): void;
  /** Instruction cache maintenance for the line holding addr (IC IVAU): translations of it become stale. */
  invalidateCode(addr: V): void;

  /** Calls a pure helper function (translator/a64/helpers) by name; see the helper table for arity. */
  helper(name: string, ...args: V[]): V;
  /**
   * A lane-wise floating-point operation on whole vector registers. `lanes` emits it lane by lane through the
   * helpers: that is the semantics, and an emitter without a faster way just runs it. An emitter may guard it
   * with host SIMD that gives the same lanes and the same FPSR wherever the guard lets it run.
   */
  vectorFp?(op: VectorFp, lanes: () => void): void;
  /** The same for integer and bitwise operations, which host SIMD gives exactly where it has them. */
  vectorInt?(op: VectorInt, lanes: () => void): void;
  /** A 128-bit load into Vreg in one access (optional: the same as two 64-bit loads); returns the register write. */
  load128?(addr: V, reg: number): () => void;
  /** A 128-bit store of Vreg in one access (optional: the same as two 64-bit stores). */
  store128?(addr: V, reg: number): void;
}

/**
 * Vd = op(Vn, Vm) on lanes of `esize` bits; the upper half is cleared when !q. `op` is the mnemonic: the
 * three-same, logical and shift-by-immediate ones (shl, ushr, sshr, usra, ssra take `shift`), the compares
 * with zero as cmeq0, cmgt0, cmge0, cmle0, cmlt0, and the long and wide forms addl, addw, subl, subw, mull,
 * mlal, mlsl, whose `esize` is the narrow lanes' (taken from the upper half when q) and `unsigned` is U.
 */
export interface VectorInt {
  op: string;
  esize: number;
  q: boolean;
  rd: number;
  rn: number;
  rm?: number;
  shift?: number;
  unsigned?: boolean;
}

/** Vd = Vn op Vm (fmadd: Vd + Vn·Vm) over `count` lanes of `esize` bits; the lanes above are cleared. */
export interface VectorFp {
  op: 'fadd' | 'fsub' | 'fmul' | 'fmadd';
  esize: 32 | 64;
  count: number;
  rd: number;
  rn: number;
  rm: number;
  /** Vn's lanes negated first (FMLS). */
  negateN?: boolean;
  /** Every lane takes lane `mIndex` of Vm (the by-element forms). */
  mIndex?: number;
}
