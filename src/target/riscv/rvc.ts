// RV64C: compressed instructions (RISC-V unprivileged ISA, chapter 16). Each pattern expands to
// the operands of its 32-bit equivalent and reuses that instruction's translate function. The
// FP loads and stores (c.fld, c.fsd, c.fldsp, c.fsdsp) are RVD_RVC_PATTERNS in fp-extensions.ts;
// the field helpers below are exported for them.
import type { Args, CPattern, TransFn } from './decode.js';
import { bits, sext } from './decode.js';
import { RVI_TRANS } from './rvi.js';

/** Operands of the expanded instruction; unset fields are 0 (x0). */
export function cargs(f: Partial<Args>): Args {
  return { rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: 0, rm: 0, csr: 0, aq: 0, rl: 0, ...f };
}

// Register fields (16.2): the full 5-bit ones and the 3-bit x8..x15 ones (rd', rs1', rs2').
export const rdFull = (i: number): number => bits(i, 11, 7);
export const rs2Full = (i: number): number => bits(i, 6, 2);
/** rd' or rs2' in bits 4:2. */
export const rdPrime = (i: number): number => 8 + bits(i, 4, 2);
/** rs1' (or rd' of CB/CA formats) in bits 9:7. */
export const rs1Prime = (i: number): number => 8 + bits(i, 9, 7);

// Immediates (16.3-16.5), as the figure of each format scatters them.
/** CL/CS word offset (c.lw, c.sw, c.flw, c.fsw): uimm[5:3] = 12:10, uimm[2] = 6, uimm[6] = 5. */
export const clsImmW = (i: number): number =>
  (bits(i, 12, 10) << 3) | (bits(i, 6, 6) << 2) | (bits(i, 5, 5) << 6);
/** CL/CS doubleword offset (c.ld, c.sd, c.fld, c.fsd): uimm[5:3] = 12:10, uimm[7:6] = 6:5. */
export const clsImmD = (i: number): number => (bits(i, 12, 10) << 3) | (bits(i, 6, 5) << 6);
/** CI stack word load (c.lwsp): uimm[5] = 12, uimm[4:2] = 6:4, uimm[7:6] = 3:2. */
export const lwspImm = (i: number): number =>
  (bits(i, 12, 12) << 5) | (bits(i, 6, 4) << 2) | (bits(i, 3, 2) << 6);
/** CI stack doubleword load (c.ldsp, c.fldsp): uimm[5] = 12, uimm[4:3] = 6:5, uimm[8:6] = 4:2. */
export const ldspImm = (i: number): number =>
  (bits(i, 12, 12) << 5) | (bits(i, 6, 5) << 3) | (bits(i, 4, 2) << 6);
/** CSS stack word store (c.swsp): uimm[5:2] = 12:9, uimm[7:6] = 8:7. */
export const swspImm = (i: number): number => (bits(i, 12, 9) << 2) | (bits(i, 8, 7) << 6);
/** CSS stack doubleword store (c.sdsp, c.fsdsp): uimm[5:3] = 12:10, uimm[8:6] = 9:7. */
export const sdspImm = (i: number): number => (bits(i, 12, 10) << 3) | (bits(i, 9, 7) << 6);

/** CI signed 6-bit immediate: imm[5] = 12, imm[4:0] = 6:2. */
const ciImm = (i: number): number => sext((bits(i, 12, 12) << 5) | bits(i, 6, 2), 6);
/** CI/CB 6-bit shift amount: shamt[5] = 12, shamt[4:0] = 6:2. */
const shamt = (i: number): number => (bits(i, 12, 12) << 5) | bits(i, 6, 2);
/** c.addi4spn: nzuimm[5:4] = 12:11, [9:6] = 10:7, [2] = 6, [3] = 5. */
const addi4spnImm = (i: number): number =>
  (bits(i, 12, 11) << 4) | (bits(i, 10, 7) << 6) | (bits(i, 6, 6) << 2) | (bits(i, 5, 5) << 3);
/** c.addi16sp: nzimm[9] = 12, [4] = 6, [6] = 5, [8:7] = 4:3, [5] = 2. */
const addi16spImm = (i: number): number => sext(
  (bits(i, 12, 12) << 9) | (bits(i, 6, 6) << 4) | (bits(i, 5, 5) << 6) | (bits(i, 4, 3) << 7) |
  (bits(i, 2, 2) << 5), 10);
/** c.lui: nzimm[17] = 12, nzimm[16:12] = 6:2. */
const luiImm = (i: number): number => sext((bits(i, 12, 12) << 17) | (bits(i, 6, 2) << 12), 18);
/** CJ: offset[11|4|9:8|10|6|7|3:1|5] = 12:2. */
const cjImm = (i: number): number => sext(
  (bits(i, 12, 12) << 11) | (bits(i, 11, 11) << 4) | (bits(i, 10, 9) << 8) | (bits(i, 8, 8) << 10) |
  (bits(i, 7, 7) << 6) | (bits(i, 6, 6) << 7) | (bits(i, 5, 3) << 1) | (bits(i, 2, 2) << 5), 12);
/** CB branch: offset[8|4:3] = 12:10, offset[7:6|2:1|5] = 6:2. */
const cbImm = (i: number): number => sext(
  (bits(i, 12, 12) << 8) | (bits(i, 11, 10) << 3) | (bits(i, 6, 5) << 6) | (bits(i, 4, 3) << 1) |
  (bits(i, 2, 2) << 5), 9);

const SP = 2, RA = 1;
/** null when `reserved` holds (the decoder raises illegal instruction). */
const unless = (reserved: boolean, a: Args): Args | null => (reserved ? null : a);

type Expand = CPattern['expand'];
const T = RVI_TRANS;
const c = (name: string, mask: number, match: number, trans: TransFn, expand: Expand): CPattern =>
  ({ name, mask, match, trans, expand });

// Masks: quadrant (1:0) + funct3 (15:13) = 0xe003; more bits where a funct3 is shared.
export const RVC_PATTERNS: CPattern[] = [
  // Quadrant 0. An all-zero halfword is c.addi4spn with nzuimm = 0: reserved, so illegal.
  c('c.addi4spn', 0xe003, 0x0000, T.addi,
    (i) => unless(addi4spnImm(i) === 0, cargs({ rd: rdPrime(i), rs1: SP, imm: addi4spnImm(i) }))),
  c('c.lw', 0xe003, 0x4000, T.lw, (i) => cargs({ rd: rdPrime(i), rs1: rs1Prime(i), imm: clsImmW(i) })),
  c('c.ld', 0xe003, 0x6000, T.ld, (i) => cargs({ rd: rdPrime(i), rs1: rs1Prime(i), imm: clsImmD(i) })),
  c('c.sw', 0xe003, 0xc000, T.sw, (i) => cargs({ rs2: rdPrime(i), rs1: rs1Prime(i), imm: clsImmW(i) })),
  c('c.sd', 0xe003, 0xe000, T.sd, (i) => cargs({ rs2: rdPrime(i), rs1: rs1Prime(i), imm: clsImmD(i) })),

  // Quadrant 1. rd = x0 or a zero immediate make hints, which execute as the plain instruction.
  c('c.addi', 0xe003, 0x0001, T.addi, (i) => cargs({ rd: rdFull(i), rs1: rdFull(i), imm: ciImm(i) })),
  c('c.addiw', 0xe003, 0x2001, T.addiw,
    (i) => unless(rdFull(i) === 0, cargs({ rd: rdFull(i), rs1: rdFull(i), imm: ciImm(i) }))),
  c('c.li', 0xe003, 0x4001, T.addi, (i) => cargs({ rd: rdFull(i), imm: ciImm(i) })),
  c('c.addi16sp', 0xef83, 0x6101, T.addi,
    (i) => unless(addi16spImm(i) === 0, cargs({ rd: SP, rs1: SP, imm: addi16spImm(i) }))),
  c('c.lui', 0xe003, 0x6001, T.lui, (i) => unless(luiImm(i) === 0, cargs({ rd: rdFull(i), imm: luiImm(i) }))),
  c('c.srli', 0xec03, 0x8001, T.srli, (i) => cargs({ rd: rs1Prime(i), rs1: rs1Prime(i), imm: shamt(i) })),
  c('c.srai', 0xec03, 0x8401, T.srai, (i) => cargs({ rd: rs1Prime(i), rs1: rs1Prime(i), imm: shamt(i) })),
  c('c.andi', 0xec03, 0x8801, T.andi, (i) => cargs({ rd: rs1Prime(i), rs1: rs1Prime(i), imm: ciImm(i) })),
  ...([['c.sub', 0x8c01, T.sub], ['c.xor', 0x8c21, T.xor], ['c.or', 0x8c41, T.or], ['c.and', 0x8c61, T.and],
    ['c.subw', 0x9c01, T.subw], ['c.addw', 0x9c21, T.addw]] as const).map(([name, match, trans]) =>
    c(name, 0xfc63, match, trans, (i) => cargs({ rd: rs1Prime(i), rs1: rs1Prime(i), rs2: rdPrime(i) }))),
  c('c.j', 0xe003, 0xa001, T.jal, (i) => cargs({ imm: cjImm(i) })),
  c('c.beqz', 0xe003, 0xc001, T.beq, (i) => cargs({ rs1: rs1Prime(i), imm: cbImm(i) })),
  c('c.bnez', 0xe003, 0xe001, T.bne, (i) => cargs({ rs1: rs1Prime(i), imm: cbImm(i) })),

  // Quadrant 2.
  c('c.slli', 0xe003, 0x0002, T.slli, (i) => cargs({ rd: rdFull(i), rs1: rdFull(i), imm: shamt(i) })),
  c('c.lwsp', 0xe003, 0x4002, T.lw,
    (i) => unless(rdFull(i) === 0, cargs({ rd: rdFull(i), rs1: SP, imm: lwspImm(i) }))),
  c('c.ldsp', 0xe003, 0x6002, T.ld,
    (i) => unless(rdFull(i) === 0, cargs({ rd: rdFull(i), rs1: SP, imm: ldspImm(i) }))),
  c('c.jr', 0xf07f, 0x8002, T.jalr, (i) => unless(rdFull(i) === 0, cargs({ rs1: rdFull(i) }))),
  c('c.mv', 0xf003, 0x8002, T.add, (i) => cargs({ rd: rdFull(i), rs2: rs2Full(i) })),
  c('c.ebreak', 0xffff, 0x9002, T.ebreak, () => cargs({})),
  c('c.jalr', 0xf07f, 0x9002, T.jalr, (i) => cargs({ rd: RA, rs1: rdFull(i) })),
  c('c.add', 0xf003, 0x9002, T.add, (i) => cargs({ rd: rdFull(i), rs1: rdFull(i), rs2: rs2Full(i) })),
  c('c.swsp', 0xe003, 0xc002, T.sw, (i) => cargs({ rs1: SP, rs2: rs2Full(i), imm: swspImm(i) })),
  c('c.sdsp', 0xe003, 0xe002, T.sd, (i) => cargs({ rs1: SP, rs2: rs2Full(i), imm: sdspImm(i) })),
];
