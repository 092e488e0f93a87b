// T16: the 16-bit Thumb instructions (ARM ARM A6.2), as encoding diagrams (decode.ts) onto the
// semantic layer (arm-ops.ts). Most 16-bit data-processing instructions set the flags only
// outside an IT block (the "S" is implied by the encoding, A6.2: setflags = !InITBlock()).
import { ArmPattern, ArmTrans, sext } from './decode.js';
import type { ArmDisasContext } from './disas-context.js';
import {
  DP, MOP, Multi, Operand, SR_ASR, SR_LSL, SR_LSR, SR_ROR, bkpt, blxReg, branchCond, bx, dataProc,
  decodeImmShift, extend, load, loadStoreMultiple, mul, rev, rev16, revsh, shiftImm, shiftReg,
  store,
} from './arm-ops.js';
import { thumbTable } from './thumb-decode.js';
import { branchAllowed, cbz, itInstruction, svcInIt } from './thumb-it.js';

const reg = (s: ArmDisasContext, i: number): Operand => ({ v: s.reg(i), c: null });
const imm = (s: ArmDisasContext, v: number): Operand => ({ v: s.b.c32(v >>> 0), c: null });
/** The flag rule of the 16-bit data-processing encodings. */
const sf = (s: ArmDisasContext): boolean => !s.inIt;

/** LSL/LSR/ASR (immediate): MOV Rd, Rm, <shift> #imm5. */
const shiftByImm = (type: number): ArmTrans => (s, f) => {
  const [t, n] = decodeImmShift(type, f.i);
  dataProc(s, DP.MOV, f.d, s.b.c32(0), shiftImm(s, s.reg(f.m), t, n, sf(s)), sf(s));
  return true;
};
/** LSL/LSR/ASR/ROR (register): Rdn = Rdn <shift> Rm[7:0]. */
const shiftByReg = (type: number): ArmTrans => (s, f) => {
  dataProc(s, DP.MOV, f.d, s.b.c32(0), shiftReg(s, s.reg(f.d), type, s.reg(f.m), sf(s)), sf(s));
  return true;
};
/** The A6.2.2 two-register forms: Rdn = Rdn OP Rm. */
const dpReg = (op: DP): ArmTrans => (s, f) => {
  dataProc(s, op, f.d, s.reg(f.d), reg(s, f.m), sf(s));
  return true;
};
/** TST, CMP, CMN (register): flags only, always. */
const testReg = (op: DP): ArmTrans => (s, f) => {
  dataProc(s, op, 0, s.reg(f.n), reg(s, f.m), true);
  return true;
};

const loadReg = (size: 1 | 2 | 4, signed = false): ArmTrans => (s, f) => {
  load(s, f.t, { rn: f.n, offset: s.reg(f.m), add: true, index: true, wback: false }, MOP(size, signed));
  return true;
};
const storeReg = (size: 1 | 2 | 4): ArmTrans => (s, f) => {
  store(s, f.t, { rn: f.n, offset: s.reg(f.m), add: true, index: true, wback: false }, size);
  return true;
};
/** The immediate forms scale imm5 (or imm8 for the sp-relative ones) by the access size. */
const loadImm = (size: 1 | 2 | 4, base?: number): ArmTrans => (s, f) => {
  load(s, f.t, { rn: base ?? f.n, offset: s.b.c32(f.i * size), add: true, index: true, wback: false }, MOP(size));
  return true;
};
const storeImm = (size: 1 | 2 | 4, base?: number): ArmTrans => (s, f) => {
  store(s, f.t, { rn: base ?? f.n, offset: s.b.c32(f.i * size), add: true, index: true, wback: false }, size);
  return true;
};

const ext = (size: 8 | 16, signed: boolean): ArmTrans => (s, f) => {
  extend(s, f.d, null, s.reg(f.m), 0, size, signed);
  return true;
};

const T16_TRANS: Record<string, ArmTrans> = {
  lsl_imm: shiftByImm(SR_LSL),
  lsr_imm: shiftByImm(SR_LSR),
  asr_imm: shiftByImm(SR_ASR),
  add_reg: (s, f) => { dataProc(s, DP.ADD, f.d, s.reg(f.n), reg(s, f.m), sf(s)); return true; },
  sub_reg: (s, f) => { dataProc(s, DP.SUB, f.d, s.reg(f.n), reg(s, f.m), sf(s)); return true; },
  add_imm3: (s, f) => { dataProc(s, DP.ADD, f.d, s.reg(f.n), imm(s, f.i), sf(s)); return true; },
  sub_imm3: (s, f) => { dataProc(s, DP.SUB, f.d, s.reg(f.n), imm(s, f.i), sf(s)); return true; },
  mov_imm: (s, f) => { dataProc(s, DP.MOV, f.d, s.b.c32(0), imm(s, f.i), sf(s)); return true; },
  cmp_imm: (s, f) => { dataProc(s, DP.CMP, 0, s.reg(f.n), imm(s, f.i), true); return true; },
  add_imm8: (s, f) => { dataProc(s, DP.ADD, f.d, s.reg(f.d), imm(s, f.i), sf(s)); return true; },
  sub_imm8: (s, f) => { dataProc(s, DP.SUB, f.d, s.reg(f.d), imm(s, f.i), sf(s)); return true; },

  and_reg: dpReg(DP.AND),
  eor_reg: dpReg(DP.EOR),
  lsl_reg: shiftByReg(SR_LSL),
  lsr_reg: shiftByReg(SR_LSR),
  asr_reg: shiftByReg(SR_ASR),
  adc_reg: dpReg(DP.ADC),
  sbc_reg: dpReg(DP.SBC),
  ror_reg: shiftByReg(SR_ROR),
  tst_reg: testReg(DP.TST),
  rsb_imm: (s, f) => { dataProc(s, DP.RSB, f.d, s.reg(f.n), imm(s, 0), sf(s)); return true; },
  cmp_reg: testReg(DP.CMP),
  cmn_reg: testReg(DP.CMN),
  orr_reg: dpReg(DP.ORR),
  mul: (s, f) => { mul(s, f.d, s.reg(f.n), s.reg(f.d), null, false, sf(s)); return true; },
  bic_reg: dpReg(DP.BIC),
  mvn_reg: (s, f) => { dataProc(s, DP.MVN, f.d, s.b.c32(0), reg(s, f.m), sf(s)); return true; },

  // High-register forms never set flags; a write to pc is a branch (ALUWritePC).
  add_hi: (s, f) => {
    if (f.d === 15 && (f.m === 15 || !branchAllowed(s))) return false;
    dataProc(s, DP.ADD, f.d, s.reg(f.d), reg(s, f.m), false);
    return true;
  },
  cmp_hi: (s, f) => {
    if (f.n === 15 || f.m === 15) return false;
    dataProc(s, DP.CMP, 0, s.reg(f.n), reg(s, f.m), true);
    return true;
  },
  mov_hi: (s, f) => {
    if (f.d === 15 && !branchAllowed(s)) return false;
    dataProc(s, DP.MOV, f.d, s.b.c32(0), reg(s, f.m), false);
    return true;
  },
  bx: (s, f) => { if (!branchAllowed(s)) return false; bx(s, f.m); return true; },
  blx_reg: (s, f) => {
    if (f.m === 15 || !branchAllowed(s)) return false;
    blxReg(s, f.m);
    return true;
  },
  ldr_lit: loadImm(4, 15),

  str_reg: storeReg(4),
  strh_reg: storeReg(2),
  strb_reg: storeReg(1),
  ldrsb_reg: loadReg(1, true),
  ldr_reg: loadReg(4),
  ldrh_reg: loadReg(2),
  ldrb_reg: loadReg(1),
  ldrsh_reg: loadReg(2, true),
  str_imm: storeImm(4),
  ldr_imm: loadImm(4),
  strb_imm: storeImm(1),
  ldrb_imm: loadImm(1),
  strh_imm: storeImm(2),
  ldrh_imm: loadImm(2),
  str_sp: storeImm(4, 13),
  ldr_sp: loadImm(4, 13),
  // ADR: Align(PC, 4) + imm8:'00', a constant at translation time.
  adr: (s, f) => { s.setReg(f.d, s.b.c32((s.alignedPc() + f.i * 4) >>> 0)); return true; },
  add_sp_imm: (s, f) => { dataProc(s, DP.ADD, f.d, s.reg(13), imm(s, f.i * 4), false); return true; },

  add_sp_imm7: (s, f) => { dataProc(s, DP.ADD, 13, s.reg(13), imm(s, f.i * 4), false); return true; },
  sub_sp_imm7: (s, f) => { dataProc(s, DP.SUB, 13, s.reg(13), imm(s, f.i * 4), false); return true; },
  cbz: (s, f) => cbz(s, f.o === 1, f.n, f.i * 2),
  sxth: ext(16, true),
  sxtb: ext(8, true),
  uxth: ext(16, false),
  uxtb: ext(8, false),
  push: (s, f) => loadStoreMultiple(s, false, 13, (f.M << 14) | f.r, Multi.DB, true),
  rev: (s, f) => { rev(s, f.d, s.reg(f.m)); return true; },
  rev16: (s, f) => { rev16(s, f.d, s.reg(f.m)); return true; },
  revsh: (s, f) => { revsh(s, f.d, s.reg(f.m)); return true; },
  pop: (s, f) => {
    if (f.P && !branchAllowed(s)) return false;
    return loadStoreMultiple(s, true, 13, (f.P << 15) | f.r, Multi.IA, true);
  },
  bkpt: (s, f) => { bkpt(s, f.i); return true; },
  // NOP, YIELD, WFE, WFI, SEV: nothing to do for a user-mode vCPU.
  hint: () => true,
  it: (s, f) => itInstruction(s, f.c, f.k),
  stm: (s, f) => loadStoreMultiple(s, false, f.n, f.r, Multi.IA, true),
  // LDM writes the base back only when the base is not in the list (A8.8.58 T1).
  ldm: (s, f) => loadStoreMultiple(s, true, f.n, f.r, Multi.IA, (f.r & (1 << f.n)) === 0),

  udf: (s) => { s.undefinedInsn(); return true; },
  svc: (s) => { svcInIt(s); s.svc(); return true; },
  b_cond: (s, f) => {
    if (s.inIt) return false;
    branchCond(s, f.c, (s.pcValue() + sext(f.i << 1, 9)) >>> 0);
    return true;
  },
  b: (s, f) => {
    if (!branchAllowed(s)) return false;
    s.gotoAddr((s.pcValue() + sext(f.i << 1, 12)) >>> 0);
    return true;
  },
};

/** The 16-bit Thumb encodings, most specific first where patterns overlap. */
const ROWS: [name: string, diagram: string][] = [
  // Shift (immediate), add, subtract, move and compare (A6.2.1). LSL #0 is MOVS Rd, Rm (T2).
  ['lsl_imm', '000 00 iiiii mmm ddd'],
  ['lsr_imm', '000 01 iiiii mmm ddd'],
  ['asr_imm', '000 10 iiiii mmm ddd'],
  ['add_reg', '000 1100 mmm nnn ddd'],
  ['sub_reg', '000 1101 mmm nnn ddd'],
  ['add_imm3', '000 1110 iii nnn ddd'],
  ['sub_imm3', '000 1111 iii nnn ddd'],
  ['mov_imm', '001 00 ddd iiiiiiii'],
  ['cmp_imm', '001 01 nnn iiiiiiii'],
  ['add_imm8', '001 10 ddd iiiiiiii'],
  ['sub_imm8', '001 11 ddd iiiiiiii'],
  // Data processing (A6.2.2): Rdn = Rdn OP Rm.
  ['and_reg', '010000 0000 mmm ddd'],
  ['eor_reg', '010000 0001 mmm ddd'],
  ['lsl_reg', '010000 0010 mmm ddd'],
  ['lsr_reg', '010000 0011 mmm ddd'],
  ['asr_reg', '010000 0100 mmm ddd'],
  ['adc_reg', '010000 0101 mmm ddd'],
  ['sbc_reg', '010000 0110 mmm ddd'],
  ['ror_reg', '010000 0111 mmm ddd'],
  ['tst_reg', '010000 1000 mmm nnn'],
  ['rsb_imm', '010000 1001 nnn ddd'], // NEGS: RSB Rd, Rn, #0
  ['cmp_reg', '010000 1010 mmm nnn'],
  ['cmn_reg', '010000 1011 mmm nnn'],
  ['orr_reg', '010000 1100 mmm ddd'],
  ['mul', '010000 1101 nnn ddd'], // Rdm = Rn * Rdm
  ['bic_reg', '010000 1110 mmm ddd'],
  ['mvn_reg', '010000 1111 mmm ddd'],
  // Special data processing, branch and exchange (A6.2.3): D:Rdn (or N:Rn) is one 4-bit field.
  ['add_hi', '010001 00 d mmmm ddd'],
  ['cmp_hi', '010001 01 n mmmm nnn'],
  ['mov_hi', '010001 10 d mmmm ddd'],
  ['bx', '010001 110 mmmm ---'],
  ['blx_reg', '010001 111 mmmm ---'],
  ['ldr_lit', '01001 ttt iiiiiiii'],
  // Load/store single data item (A6.2.4).
  ['str_reg', '0101 000 mmm nnn ttt'],
  ['strh_reg', '0101 001 mmm nnn ttt'],
  ['strb_reg', '0101 010 mmm nnn ttt'],
  ['ldrsb_reg', '0101 011 mmm nnn ttt'],
  ['ldr_reg', '0101 100 mmm nnn ttt'],
  ['ldrh_reg', '0101 101 mmm nnn ttt'],
  ['ldrb_reg', '0101 110 mmm nnn ttt'],
  ['ldrsh_reg', '0101 111 mmm nnn ttt'],
  ['str_imm', '0110 0 iiiii nnn ttt'],
  ['ldr_imm', '0110 1 iiiii nnn ttt'],
  ['strb_imm', '0111 0 iiiii nnn ttt'],
  ['ldrb_imm', '0111 1 iiiii nnn ttt'],
  ['strh_imm', '1000 0 iiiii nnn ttt'],
  ['ldrh_imm', '1000 1 iiiii nnn ttt'],
  ['str_sp', '1001 0 ttt iiiiiiii'],
  ['ldr_sp', '1001 1 ttt iiiiiiii'],
  ['adr', '1010 0 ddd iiiiiiii'],
  ['add_sp_imm', '1010 1 ddd iiiiiiii'],
  // Miscellaneous 16-bit instructions (A6.2.5).
  ['add_sp_imm7', '1011 0000 0 iiiiiii'],
  ['sub_sp_imm7', '1011 0000 1 iiiiiii'],
  ['cbz', '1011 o 0 i 1 iiiii nnn'], // CBNZ when o = 1
  ['sxth', '1011 0010 00 mmm ddd'],
  ['sxtb', '1011 0010 01 mmm ddd'],
  ['uxth', '1011 0010 10 mmm ddd'],
  ['uxtb', '1011 0010 11 mmm ddd'],
  ['push', '1011 010 M rrrrrrrr'],
  ['rev', '1011 1010 00 mmm ddd'],
  ['rev16', '1011 1010 01 mmm ddd'],
  ['revsh', '1011 1010 11 mmm ddd'],
  ['pop', '1011 110 P rrrrrrrr'],
  ['bkpt', '1011 1110 iiiiiiii'],
  ['hint', '1011 1111 ---- 0000'], // NOP, YIELD, WFE, WFI, SEV
  ['it', '1011 1111 cccc kkkk'],
  ['stm', '1100 0 nnn rrrrrrrr'],
  ['ldm', '1100 1 nnn rrrrrrrr'],
  // Conditional branch, UDF and SVC (A6.2.6), unconditional branch (A8.8.18 T2).
  ['udf', '1101 1110 iiiiiiii'],
  ['svc', '1101 1111 iiiiiiii'],
  ['b_cond', '1101 cccc iiiiiiii'],
  ['b', '1110 0 iiiiiiiiiii'],
];

export const T16_PATTERNS: ArmPattern[] = thumbTable(T16_TRANS, ROWS);
