// The D extension (RISC-V unprivileged ISA, chapter 12): the F patterns over binary64, the
// conversions between formats, the 64-bit moves, and the compressed FP loads/stores of RV64C
// (chapter 16.3-16.4: c.fld, c.fsd, c.fldsp, c.fsdsp; RV64 has no c.flw/c.fsw).
import { Args, CPattern, Pattern, bits } from './decode.js';
import { formatPatterns, fmvPattern, fpLoad, fpStore, helperInsn, opFp } from './rvf.js';

const fld = fpLoad(8);
const fsd = fpStore(8);

export const RVD: Pattern[] = [
  { name: 'fld', mask: 0x707f, match: 0x3007, format: 'I', trans: fld },
  { name: 'fsd', mask: 0x707f, match: 0x3027, format: 'S', trans: fsd },
  ...formatPatterns(1),
  opFp('fcvt.s.d', 0x20, { rs2: 1 }, helperInsn('fcvt.s.d', true)),
  opFp('fcvt.d.s', 0x21, { rs2: 0 }, helperInsn('fcvt.d.s', true)),
  fmvPattern('fmv.x.d', 0x71, (s, a) => { s.setGpr(a.rd, s.fpr(a.rs1)); return true; }),
  fmvPattern('fmv.d.x', 0x79, (s, a) => { s.b.mov(s.fpr(a.rd), s.gpr(a.rs1)); return true; }),
];

// RVC operand fields (16.2, figure 16.1), written here because rvc.ts did not export them yet:
// rd'/rs1'/rs2' name x8..x15 / f8..f15.
const creg = (insn: number, lo: number): number => 8 + bits(insn, lo + 2, lo);
const cargs = (rd: number, rs1: number, rs2: number, imm: number): Args =>
  ({ rd, rs1, rs2, rs3: 0, imm, rm: 0, csr: 0, aq: 0, rl: 0 });
/** The scaled offset of c.fld/c.fsd: uimm[5:3] = insn[12:10], uimm[7:6] = insn[6:5]. */
const clsImm = (insn: number): number => (bits(insn, 12, 10) << 3) | (bits(insn, 6, 5) << 6);

export const RVD_RVC: CPattern[] = [
  { name: 'c.fld', mask: 0xe003, match: 0x2000, trans: fld,
    expand: (i) => cargs(creg(i, 2), creg(i, 7), 0, clsImm(i)) },
  { name: 'c.fsd', mask: 0xe003, match: 0xa000, trans: fsd,
    expand: (i) => cargs(0, creg(i, 7), creg(i, 2), clsImm(i)) },
  // c.fldsp: uimm[5] = insn[12], uimm[4:3] = insn[6:5], uimm[8:6] = insn[4:2]; base sp.
  { name: 'c.fldsp', mask: 0xe003, match: 0x2002, trans: fld,
    expand: (i) => cargs(bits(i, 11, 7), 2, 0, (bits(i, 12, 12) << 5) | (bits(i, 6, 5) << 3) | (bits(i, 4, 2) << 6)) },
  // c.fsdsp: uimm[5:3] = insn[12:10], uimm[8:6] = insn[9:7]; base sp.
  { name: 'c.fsdsp', mask: 0xe003, match: 0xa002, trans: fsd,
    expand: (i) => cargs(0, 2, bits(i, 6, 2), (bits(i, 12, 10) << 3) | (bits(i, 9, 7) << 6)) },
];
