// RISC-V instruction formats (unprivileged ISA 20191213, 2.2-2.3 base formats, 12.5 R4, 16.2
// compressed formats): each encoder takes the fields in the order the assembly syntax lists them.

export const OP = 0x33, OP32 = 0x3b, OPIMM = 0x13, OPIMM32 = 0x1b, LOAD = 0x03, STORE = 0x23, BRANCH = 0x63;
export const JAL = 0x6f, JALR = 0x67, LUI = 0x37, AUIPC = 0x17, AMO = 0x2f, LOADFP = 0x07, STOREFP = 0x27;
export const OPFP = 0x53, SYSTEM = 0x73, MISCMEM = 0x0f;

export const r = (op: number, f3: number, f7: number, rd: number, rs1: number, rs2: number): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
export const r4 = (op: number, fmt: number, rm: number, rd: number, rs1: number, rs2: number, rs3: number): number =>
  ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | op) >>> 0;
export const i = (op: number, f3: number, rd: number, rs1: number, imm: number): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
export const s = (op: number, f3: number, rs2: number, rs1: number, imm: number): number =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | op) >>> 0;
export const b = (f3: number, rs1: number, rs2: number, imm: number): number =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | BRANCH) >>> 0;
export const u = (op: number, rd: number, imm20: number): number => (((imm20 & 0xfffff) << 12) | (rd << 7) | op) >>> 0;
export const j = (rd: number, imm: number): number =>
  ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) | (rd << 7) | JAL) >>> 0;

/** Places bits hi..lo of `v` at `at` upwards, for each [hi, lo, at]: the scrambled immediates
 *  of the compressed formats. */
export function scatter(v: number, parts: [number, number, number][]): number {
  let out = 0;
  for (const [hi, lo, at] of parts) out |= ((v >>> lo) & ((1 << (hi - lo + 1)) - 1)) << at;
  return out;
}

/** x8..x15 and f8..f15 as the 3-bit register fields of the compressed formats. */
export const rc = (reg: number): number => reg - 8;

export const ci = (f3: number, op: number, rd: number, imm: number): number =>
  (f3 << 13) | (((imm >> 5) & 1) << 12) | (rd << 7) | ((imm & 0x1f) << 2) | op;
