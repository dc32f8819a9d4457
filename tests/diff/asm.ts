// The handful of fixed instructions the harness's prologue and epilogue need, encoded by hand (checked against
// our own disassembler in the test).
export const A = {
  movz: (rd: number, imm16: number, hw: number) => (0xd2800000 | (hw << 21) | (imm16 << 5) | rd) >>> 0,
  movk: (rd: number, imm16: number, hw: number) => (0xf2800000 | (hw << 21) | (imm16 << 5) | rd) >>> 0,
  ldrX: (rt: number, rn: number, off: number) => (0xf9400000 | ((off / 8) << 10) | (rn << 5) | rt) >>> 0,
  strX: (rt: number, rn: number, off: number) => (0xf9000000 | ((off / 8) << 10) | (rn << 5) | rt) >>> 0,
  ldrQ: (rt: number, rn: number, off: number) => (0x3dc00000 | ((off / 16) << 10) | (rn << 5) | rt) >>> 0,
  strQ: (rt: number, rn: number, off: number) => (0x3d800000 | ((off / 16) << 10) | (rn << 5) | rt) >>> 0,
  msrNZCV: (rt: number) => (0xd51b4200 | rt) >>> 0,
  mrsNZCV: (rt: number) => (0xd53b4200 | rt) >>> 0,
  msrFPCR: (rt: number) => (0xd51b4400 | rt) >>> 0,
  msrFPSR: (rt: number) => (0xd51b4420 | rt) >>> 0,
  mrsFPSR: (rt: number) => (0xd53b4420 | rt) >>> 0,
  msrTPIDR: (rt: number) => (0xd51bd040 | rt) >>> 0,
  mrsTPIDR: (rt: number) => (0xd53bd040 | rt) >>> 0,
  movToSP: (rn: number) => (0x91000000 | (rn << 5) | 31) >>> 0,
  movFromSP: (rd: number) => (0x91000000 | (31 << 5) | rd) >>> 0,
  svc0: () => 0xd4000001,
};

/** movz/movk pair for a 32-bit address. */
export function movAddr(rd: number, addr: number): number[] {
  return [A.movz(rd, addr & 0xffff, 0), A.movk(rd, (addr >>> 16) & 0xffff, 1)];
}
