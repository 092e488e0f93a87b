// T32: the 32-bit Thumb-2 instructions (ARM ARM A6.3), as encoding diagrams of hw1 << 16 | hw2
// (decode.ts) onto the semantic layer (arm-ops.ts). The coprocessor space (VFP, NEON) is in the
// VFP tables, except MRC of TPIDRURO.
import { ArmPattern, ArmTrans, Fields, sext } from './decode.js';
import type { ArmDisasContext } from './disas-context.js';
import {
  AddrMode, DP, MOP, Multi, Operand, SR_ASR, SR_LSL, bitfieldExtract, bitfieldInsert, branchCond,
  branchLink, clearExclusive, clz, dataProc, decodeImmShift, divide, dpWantsCarry,
  dualMul, dualMulLong, exclusiveNamesPc, extend, load, loadDual, loadExclusive, loadStoreMultiple, mrcTpidruro,
  mrsApsr, msrApsr, mul, mulLong, pkh, rbit, rev, rev16, revsh, shiftImm, shiftReg, smlalxy, smmul,
  smulwy, smulxy, store, storeDual, storeExclusive, thumbExpandImm,
} from './arm-ops.js';
import { ParOp, parallelAddSub, qaddSub, saturate, saturate16, sel, usad8 } from './simd-int-ops.js';
import { thumbTable } from './thumb-decode.js';
import { branchAllowed, tableBranch } from './thumb-it.js';


// --- data processing ---------------------------------------------------------------------------

/** Operand shapes of the data-processing rows: 'mov' has no Rn, 'test' no Rd (and always sets
 *  the flags), 'rr' has both. */
type DpShape = 'rr' | 'mov' | 'test';

/** Rd = 15 is UNPREDICTABLE for every T32 data-processing form (SUBS pc, lr is the exception
 *  return, not available to user code): treated as undefined. */
function dpCommon(s: ArmDisasContext, op: DP, shape: DpShape, f: Fields, m: (carry: boolean) => Operand): boolean {
  if (shape !== 'test' && f.d === 15) return false;
  const setFlags = shape === 'test' || f.S === 1;
  const operand = m(dpWantsCarry(op, setFlags));
  dataProc(s, op, shape === 'test' ? 0 : f.d, shape === 'mov' ? s.b.c32(0) : s.reg(f.n), operand, shape !== 'test' && f.S === 1);
  return true;
}

/** Data processing (shifted register), A6.3.11: Rm shifted by DecodeImmShift(type, imm3:imm2). */
const dpShifted = (op: DP, shape: DpShape = 'rr'): ArmTrans => (s, f) => {
  if (f.m === 15) return false;
  const [type, n] = decodeImmShift(f.y, f.i);
  return dpCommon(s, op, shape, f, (carry) => shiftImm(s, s.reg(f.m), type, n, carry));
};

/** Data processing (modified immediate), A6.3.1: ThumbExpandImm(i:imm3:imm8). */
const dpModImm = (op: DP, shape: DpShape = 'rr'): ArmTrans => (s, f) =>
  dpCommon(s, op, shape, f, (carry) => thumbExpandImm(s, f.i, carry));

/** ADDW / SUBW (and ADR when Rn = pc: baseReg reads Align(PC, 4)). */
const addSubWide = (op: DP): ArmTrans => (s, f) => {
  if (f.d === 15) return false;
  dataProc(s, op, f.d, s.baseReg(f.n), { v: s.b.c32(f.i), c: null }, false);
  return true;
};

/** SSAT / USAT (A8.8.160, A8.8.242): saturate Rn, shifted left or arithmetically right. */
const ssatUsat = (signed: boolean): ArmTrans => (s, f) => {
  const [type, n] = decodeImmShift(f.h ? SR_ASR : SR_LSL, f.i);
  saturate(s, f.d, shiftImm(s, s.reg(f.n), type, n, false).v, signed ? f.k + 1 : f.k, signed);
  return true;
};

// --- loads and stores ----------------------------------------------------------------------------

type Access = { size: 1 | 2 | 4; signed: boolean; isLoad: boolean };

const access = (s: ArmDisasContext, a: Access, rt: number, am: AddrMode): boolean => {
  if (a.isLoad) {
    if (rt === 15 && !branchAllowed(s)) return false;
    load(s, rt, am, MOP(a.size, a.signed));
  } else {
    if (am.rn === 15) return false;
    store(s, rt, am, a.size);
  }
  return true;
};

/** The four addressing forms of a single load/store (A6.3.7-A6.3.10). */
const singleForms = (a: Access): Record<string, ArmTrans> => ({
  lit: (s, f) => access(s, a, f.t, { rn: 15, offset: s.b.c32(f.i), add: f.U === 1, index: true, wback: false }),
  imm12: (s, f) => access(s, a, f.t, { rn: f.n, offset: s.b.c32(f.i), add: true, index: true, wback: false }),
  // imm8 with P, U, W; P = 1, U = 1, W = 0 is the unprivileged (T) form, the same in user mode.
  imm8: (s, f) => {
    if (!f.P && !f.W) return false;
    return access(s, a, f.t, { rn: f.n, offset: s.b.c32(f.i), add: f.U === 1, index: f.P === 1, wback: f.W === 1 });
  },
  reg: (s, f) => {
    if (f.m === 13 || f.m === 15) return false;
    const offset = shiftImm(s, s.reg(f.m), SR_LSL, f.i, false).v;
    return access(s, a, f.t, { rn: f.n, offset, add: true, index: true, wback: false });
  },
});

/** [name, s (signed), size field, L] of each single load/store: hw1 is 1111 100s ?zzL. */
const SINGLE: [string, number, number, number][] = [
  ['strb', 0, 0, 0], ['strh', 0, 1, 0], ['str', 0, 2, 0],
  ['ldrb', 0, 0, 1], ['ldrh', 0, 1, 1], ['ldr', 0, 2, 1],
  ['ldrsb', 1, 0, 1], ['ldrsh', 1, 1, 1],
];

const singleRows: [string, string][] = [];
const singleTrans: Record<string, ArmTrans> = {};
for (const [name, sgn, zz, l] of SINGLE) {
  const z = zz.toString(2).padStart(2, '0');
  const forms = singleForms({ size: (1 << zz) as 1 | 2 | 4, signed: sgn === 1, isLoad: l === 1 });
  // The literal form (Rn = pc) comes first: the imm8 and register forms do not allow pc.
  if (l) singleRows.push([`${name}_lit`, `1111 100${sgn} U${z}1 1111 tttt iiiiiiiiiiii`]);
  singleRows.push(
    [`${name}_imm12`, `1111 100${sgn} 1${z}${l} nnnn tttt iiiiiiiiiiii`],
    [`${name}_imm8`, `1111 100${sgn} 0${z}${l} nnnn tttt 1PUW iiiiiiii`],
    [`${name}_reg`, `1111 100${sgn} 0${z}${l} nnnn tttt 0000 00ii mmmm`],
  );
  for (const [form, fn] of Object.entries(forms)) singleTrans[`${name}_${form}`] = fn;
}

const multiple = (isLoad: boolean, mode: Multi): ArmTrans => (s, f) => {
  if (isLoad && f.r & 0x8000 && !branchAllowed(s)) return false;
  // Bit 13 (sp) is never in a T32 list; STM cannot store pc.
  const list = f.r & (isLoad ? 0xdfff : 0x5fff);
  return loadStoreMultiple(s, isLoad, f.n, list, mode, f.W === 1);
};

const dual = (isLoad: boolean): ArmTrans => (s, f) => {
  if (!f.P && !f.W) return false;
  const am: AddrMode = { rn: f.n, offset: s.b.c32(f.i * 4), add: f.U === 1, index: f.P === 1, wback: f.W === 1 };
  if (isLoad) loadDual(s, f.t, f.u, am); else storeDual(s, f.t, f.u, am);
  return true;
};

/** The address of an exclusive: Rn + imm8 * 4 for the word forms, Rn for the others. */
const exclAddr = (s: ArmDisasContext, f: Fields): number => {
  if (!f.i) return s.reg(f.n);
  const a = s.tmp();
  s.b.add(a, s.reg(f.n), s.b.c32(f.i * 4));
  return a;
};
const ldrex = (size: 1 | 2 | 4 | 8): ArmTrans => (s, f) => {
  if (exclusiveNamesPc(size, f.n, f.t, f.u ?? 0)) return false;
  loadExclusive(s, size, f.t, f.u ?? 0, exclAddr(s, f));
  return true;
};
const strex = (size: 1 | 2 | 4 | 8): ArmTrans => (s, f) => {
  if (exclusiveNamesPc(size, f.n, f.t, f.u ?? 0, f.d)) return false;
  storeExclusive(s, size, f.d, f.t, f.u ?? 0, exclAddr(s, f));
  return true;
};

// --- branches --------------------------------------------------------------------------------------

/** I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S): the offset bits 23 and 22 of B (T4), BL and BLX. */
function longOffset(f: Fields, lowBits: number, lowShift: number): number {
  const i1 = (~(f.J ^ f.S)) & 1, i2 = (~(f.K ^ f.S)) & 1;
  return sext((f.S << 24) | (i1 << 23) | (i2 << 22) | (f.i << 12) | (lowBits << lowShift), 25);
}

// --- the rest ----------------------------------------------------------------------------------------

const reg3 = (fn: (s: ArmDisasContext, rd: number, m: number) => void): ArmTrans => (s, f) => {
  fn(s, f.d, s.reg(f.m));
  return true;
};
const ext = (size: 8 | 16, signed: boolean, lanes16 = false, add = false): ArmTrans => (s, f) => {
  extend(s, f.d, add ? s.reg(f.n) : null, s.reg(f.m), f.r * 8, size, signed, lanes16);
  return true;
};
/** QADD QSUB QDADD QDSUB Rd, Rm, Rn: the saturating sum of Rm and (doubled) Rn. */
const qarith = (subtract: boolean, double: boolean): ArmTrans => (s, f) => {
  qaddSub(s, f.d, s.reg(f.m), s.reg(f.n), subtract, double);
  return true;
};
/** The parallel add/subtract family. The T32 op1 field (hw1 bits 6:4) numbers the operations
 *  ADD8 ADD16 ASX - SUB8 SUB16 SAX -, and hw2 bits 6:4 (U:op2) the prefixes S Q SH - U UQ UH -,
 *  each one less than its A32 number (ParPrefix). */
const PAR_OP_OF_T32 = [ParOp.ADD8, ParOp.ADD16, ParOp.ASX, -1, ParOp.SUB8, ParOp.SUB16, ParOp.SAX, -1];
const parallel: ArmTrans = (s, f) => {
  const op = PAR_OP_OF_T32[f.o];
  if (op < 0 || (f.p & 3) === 3) return false;
  parallelAddSub(s, f.d, f.p + 1, op, s.reg(f.n), s.reg(f.m));
  return true;
};

const T32_TRANS: Record<string, ArmTrans> = {
  stm: multiple(false, Multi.IA),
  ldm: multiple(true, Multi.IA),
  stmdb: multiple(false, Multi.DB),
  ldmdb: multiple(true, Multi.DB),

  strex: strex(4),
  ldrex: ldrex(4),
  strexb: strex(1),
  strexh: strex(2),
  strexd: strex(8),
  tbb: (s, f) => tableBranch(s, f.n, f.m, f.h === 1),
  ldrexb: ldrex(1),
  ldrexh: ldrex(2),
  ldrexd: ldrex(8),
  strd: dual(false),
  ldrd: dual(true),

  tst_reg: dpShifted(DP.TST, 'test'),
  and_reg: dpShifted(DP.AND),
  bic_reg: dpShifted(DP.BIC),
  mov_reg: dpShifted(DP.MOV, 'mov'),
  orr_reg: dpShifted(DP.ORR),
  mvn_reg: dpShifted(DP.MVN, 'mov'),
  orn_reg: dpShifted(DP.ORN),
  teq_reg: dpShifted(DP.TEQ, 'test'),
  eor_reg: dpShifted(DP.EOR),
  pkh: (s, f) => {
    // PKHBT: Rm LSL #imm; PKHTB: Rm ASR #imm (0 meaning 32).
    const [type, n] = decodeImmShift(f.T ? SR_ASR : SR_LSL, f.i);
    pkh(s, f.d, s.reg(f.n), shiftImm(s, s.reg(f.m), type, n, false).v, f.T === 1);
    return true;
  },
  cmn_reg: dpShifted(DP.CMN, 'test'),
  add_reg: dpShifted(DP.ADD),
  adc_reg: dpShifted(DP.ADC),
  sbc_reg: dpShifted(DP.SBC),
  cmp_reg: dpShifted(DP.CMP, 'test'),
  sub_reg: dpShifted(DP.SUB),
  rsb_reg: dpShifted(DP.RSB),

  // MRC p15, 0, Rt, c13, c0, 3.
  mrc: (s, f) => f.o === 0 && f.n === 13 && f.m === 0 && f.p === 3 && mrcTpidruro(s, f.t),

  tst_imm: dpModImm(DP.TST, 'test'),
  and_imm: dpModImm(DP.AND),
  bic_imm: dpModImm(DP.BIC),
  mov_imm: dpModImm(DP.MOV, 'mov'),
  orr_imm: dpModImm(DP.ORR),
  mvn_imm: dpModImm(DP.MVN, 'mov'),
  orn_imm: dpModImm(DP.ORN),
  teq_imm: dpModImm(DP.TEQ, 'test'),
  eor_imm: dpModImm(DP.EOR),
  cmn_imm: dpModImm(DP.CMN, 'test'),
  add_imm: dpModImm(DP.ADD),
  adc_imm: dpModImm(DP.ADC),
  sbc_imm: dpModImm(DP.SBC),
  cmp_imm: dpModImm(DP.CMP, 'test'),
  sub_imm: dpModImm(DP.SUB),
  rsb_imm: dpModImm(DP.RSB),

  addw: addSubWide(DP.ADD),
  movw: (s, f) => { s.setReg(f.d, s.b.c32((f.j << 12) | f.i)); return true; },
  subw: addSubWide(DP.SUB),
  movt: (s, f) => {
    const r = s.tmp();
    s.b.and(r, s.reg(f.d), s.b.c32(0xffff));
    s.b.or(r, r, s.b.c32(((f.j << 12) | f.i) << 16));
    s.setReg(f.d, r);
    return true;
  },
  ssat16: (s, f) => { saturate16(s, f.d, s.reg(f.n), f.k + 1, true); return true; },
  ssat: ssatUsat(true),
  sbfx: (s, f) => bitfieldExtract(s, f.d, s.reg(f.n), f.i, f.w + 1, true),
  bfc: (s, f) => bitfieldInsert(s, f.d, null, f.i, f.k),
  bfi: (s, f) => bitfieldInsert(s, f.d, s.reg(f.n), f.i, f.k),
  usat16: (s, f) => { saturate16(s, f.d, s.reg(f.n), f.k, false); return true; },
  usat: ssatUsat(false),
  ubfx: (s, f) => bitfieldExtract(s, f.d, s.reg(f.n), f.i, f.w + 1, false),

  // MSR APSR_<nzcvq><g>: mask bit 1 = nzcvq, bit 0 = g; a zero mask is UNPREDICTABLE.
  msr: (s, f) => { if (!f.k) return false; msrApsr(s, s.reg(f.n), f.k); return true; },
  // NOP, YIELD, WFE, WFI, SEV, DBG: nothing to do for a user-mode vCPU.
  hint: () => true,
  clrex: (s) => { clearExclusive(s); return true; },
  // DSB, DMB, ISB: the emulator's accesses are already ordered.
  barrier: () => true,
  mrs: (s, f) => { mrsApsr(s, f.d); return true; },
  udf: (s) => { s.undefinedInsn(); return true; },
  // B<cond> (T3): imm32 = SignExtend(S:J2:J1:imm6:imm11:'0').
  b_cond: (s, f) => {
    if (f.c >= 14 || s.inIt) return false;
    const off = sext((f.S << 20) | (f.K << 19) | (f.J << 18) | (f.i << 12) | (f.j << 1), 21);
    branchCond(s, f.c, (s.pcValue() + off) >>> 0);
    return true;
  },
  b: (s, f) => {
    if (!branchAllowed(s)) return false;
    s.gotoAddr((s.pcValue() + longOffset(f, f.j, 1)) >>> 0);
    return true;
  },
  // BLX (immediate) goes to ARM state at Align(PC, 4) + imm32 (imm10L:'00').
  blx_imm: (s, f) => {
    if (!branchAllowed(s)) return false;
    branchLink(s, (s.alignedPc() + longOffset(f, f.j, 2)) >>> 0, false);
    return true;
  },
  bl: (s, f) => {
    if (!branchAllowed(s)) return false;
    branchLink(s, (s.pcValue() + longOffset(f, f.j, 1)) >>> 0, true);
    return true;
  },

  ...singleTrans,
  // PLD, PLDW, PLI and the unallocated hints (byte and halfword loads to pc): no-ops here.
  pld: () => true,

  shift_reg: (s, f) => {
    if (f.d === 15) return false;
    dataProc(s, DP.MOV, f.d, s.b.c32(0), shiftReg(s, s.reg(f.n), f.y, s.reg(f.m), f.S === 1), f.S === 1);
    return true;
  },
  sxth: ext(16, true),
  sxtah: ext(16, true, false, true),
  uxth: ext(16, false),
  uxtah: ext(16, false, false, true),
  sxtb16: ext(8, true, true),
  sxtab16: ext(8, true, true, true),
  uxtb16: ext(8, false, true),
  uxtab16: ext(8, false, true, true),
  sxtb: ext(8, true),
  sxtab: ext(8, true, false, true),
  uxtb: ext(8, false),
  uxtab: ext(8, false, false, true),
  parallel,

  qadd: qarith(false, false),
  qdadd: qarith(false, true),
  qsub: qarith(true, false),
  qdsub: qarith(true, true),
  rev: reg3(rev),
  rev16: reg3(rev16),
  rbit: reg3(rbit),
  revsh: reg3(revsh),
  sel: (s, f) => { sel(s, f.d, s.reg(f.n), s.reg(f.m)); return true; },
  clz: reg3(clz),

  mul: (s, f) => { mul(s, f.d, s.reg(f.n), s.reg(f.m), null, false, false); return true; },
  mla: (s, f) => { mul(s, f.d, s.reg(f.n), s.reg(f.m), s.reg(f.a), false, false); return true; },
  mls: (s, f) => { mul(s, f.d, s.reg(f.n), s.reg(f.m), s.reg(f.a), true, false); return true; },
  smulxy: (s, f) => { smulxy(s, f.d, s.reg(f.n), s.reg(f.m), f.N === 1, f.M === 1, null); return true; },
  smlaxy: (s, f) => { smulxy(s, f.d, s.reg(f.n), s.reg(f.m), f.N === 1, f.M === 1, s.reg(f.a)); return true; },
  // The dual multiplies: M swaps Rm's halves (the X forms).
  smuad: (s, f) => { dualMul(s, f.d, s.reg(f.n), s.reg(f.m), null, false, f.M === 1); return true; },
  smlad: (s, f) => { dualMul(s, f.d, s.reg(f.n), s.reg(f.m), s.reg(f.a), false, f.M === 1); return true; },
  smulwy: (s, f) => { smulwy(s, f.d, s.reg(f.n), s.reg(f.m), f.M === 1, null); return true; },
  smlawy: (s, f) => { smulwy(s, f.d, s.reg(f.n), s.reg(f.m), f.M === 1, s.reg(f.a)); return true; },
  smusd: (s, f) => { dualMul(s, f.d, s.reg(f.n), s.reg(f.m), null, true, f.M === 1); return true; },
  smlsd: (s, f) => { dualMul(s, f.d, s.reg(f.n), s.reg(f.m), s.reg(f.a), true, f.M === 1); return true; },
  smmul: (s, f) => { smmul(s, f.d, s.reg(f.n), s.reg(f.m), null, false, f.R === 1); return true; },
  smmla: (s, f) => { smmul(s, f.d, s.reg(f.n), s.reg(f.m), s.reg(f.a), false, f.R === 1); return true; },
  smmls: (s, f) => { smmul(s, f.d, s.reg(f.n), s.reg(f.m), s.reg(f.a), true, f.R === 1); return true; },
  usad8: (s, f) => { usad8(s, f.d, s.reg(f.n), s.reg(f.m), null); return true; },
  usada8: (s, f) => { usad8(s, f.d, s.reg(f.n), s.reg(f.m), s.reg(f.a)); return true; },

  smull: (s, f) => { mulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), true, false, false); return true; },
  sdiv: (s, f) => { divide(s, f.d, s.reg(f.n), s.reg(f.m), true); return true; },
  umull: (s, f) => { mulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), false, false, false); return true; },
  udiv: (s, f) => { divide(s, f.d, s.reg(f.n), s.reg(f.m), false); return true; },
  smlal: (s, f) => { mulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), true, true, false); return true; },
  smlalxy: (s, f) => { smlalxy(s, f.l, f.h, s.reg(f.n), s.reg(f.m), f.N === 1, f.M === 1); return true; },
  smlald: (s, f) => { dualMulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), false, f.M === 1); return true; },
  smlsld: (s, f) => { dualMulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), true, f.M === 1); return true; },
  umlal: (s, f) => { mulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), false, true, false); return true; },
  umaal: (s, f) => { mulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), false, false, false, true); return true; },
};

/** The 32-bit Thumb encodings (ARM ARM A6.3) as hw1 << 16 | hw2, most specific first where
 *  patterns overlap. */
const ROWS: [name: string, diagram: string][] = [
  // Load/store multiple (A6.3.5).
  ['stm', '1110 1000 10W0 nnnn rrrrrrrrrrrrrrrr'],
  ['ldm', '1110 1000 10W1 nnnn rrrrrrrrrrrrrrrr'],
  ['stmdb', '1110 1001 00W0 nnnn rrrrrrrrrrrrrrrr'],
  ['ldmdb', '1110 1001 00W1 nnnn rrrrrrrrrrrrrrrr'],
  // Load/store dual, exclusive, table branch (A6.3.6). P = W = 0 in the dual rows is one of
  // the exclusives or table branches above them, or UNDEFINED.
  ['strex', '1110 1000 0100 nnnn tttt dddd iiiiiiii'],
  ['ldrex', '1110 1000 0101 nnnn tttt ---- iiiiiiii'],
  ['strexb', '1110 1000 1100 nnnn tttt ---- 0100 dddd'],
  ['strexh', '1110 1000 1100 nnnn tttt ---- 0101 dddd'],
  ['strexd', '1110 1000 1100 nnnn tttt uuuu 0111 dddd'],
  ['tbb', '1110 1000 1101 nnnn ---- ---- 000h mmmm'], // TBH when h = 1
  ['ldrexb', '1110 1000 1101 nnnn tttt ---- 0100 ----'],
  ['ldrexh', '1110 1000 1101 nnnn tttt ---- 0101 ----'],
  ['ldrexd', '1110 1000 1101 nnnn tttt uuuu 0111 ----'],
  ['strd', '1110 100P U1W0 nnnn tttt uuuu iiiiiiii'],
  ['ldrd', '1110 100P U1W1 nnnn tttt uuuu iiiiiiii'], // LDRD (literal) when Rn = pc
  // Data processing (shifted register) (A6.3.11): shift type y, amount imm3:imm2.
  ['tst_reg', '1110 1010 0001 nnnn 0iii 1111 iiyy mmmm'],
  ['and_reg', '1110 1010 000S nnnn 0iii dddd iiyy mmmm'],
  ['bic_reg', '1110 1010 001S nnnn 0iii dddd iiyy mmmm'],
  ['mov_reg', '1110 1010 010S 1111 0iii dddd iiyy mmmm'], // and LSL/LSR/ASR/ROR/RRX (imm)
  ['orr_reg', '1110 1010 010S nnnn 0iii dddd iiyy mmmm'],
  ['mvn_reg', '1110 1010 011S 1111 0iii dddd iiyy mmmm'],
  ['orn_reg', '1110 1010 011S nnnn 0iii dddd iiyy mmmm'],
  ['teq_reg', '1110 1010 1001 nnnn 0iii 1111 iiyy mmmm'],
  ['eor_reg', '1110 1010 100S nnnn 0iii dddd iiyy mmmm'],
  ['pkh', '1110 1010 1100 nnnn 0iii dddd iiT0 mmmm'], // PKHTB when T = 1
  ['cmn_reg', '1110 1011 0001 nnnn 0iii 1111 iiyy mmmm'],
  ['add_reg', '1110 1011 000S nnnn 0iii dddd iiyy mmmm'],
  ['adc_reg', '1110 1011 010S nnnn 0iii dddd iiyy mmmm'],
  ['sbc_reg', '1110 1011 011S nnnn 0iii dddd iiyy mmmm'],
  ['cmp_reg', '1110 1011 1011 nnnn 0iii 1111 iiyy mmmm'],
  ['sub_reg', '1110 1011 101S nnnn 0iii dddd iiyy mmmm'],
  ['rsb_reg', '1110 1011 110S nnnn 0iii dddd iiyy mmmm'],
  // MRC p15 (A8.8.108).
  ['mrc', '1110 1110 ooo1 nnnn tttt 1111 ppp1 mmmm'],
  // Data processing (modified immediate) (A6.3.1): i:imm3:imm8 is one field.
  ['tst_imm', '1111 0i00 0001 nnnn 0iii 1111 iiiiiiii'],
  ['and_imm', '1111 0i00 000S nnnn 0iii dddd iiiiiiii'],
  ['bic_imm', '1111 0i00 001S nnnn 0iii dddd iiiiiiii'],
  ['mov_imm', '1111 0i00 010S 1111 0iii dddd iiiiiiii'],
  ['orr_imm', '1111 0i00 010S nnnn 0iii dddd iiiiiiii'],
  ['mvn_imm', '1111 0i00 011S 1111 0iii dddd iiiiiiii'],
  ['orn_imm', '1111 0i00 011S nnnn 0iii dddd iiiiiiii'],
  ['teq_imm', '1111 0i00 1001 nnnn 0iii 1111 iiiiiiii'],
  ['eor_imm', '1111 0i00 100S nnnn 0iii dddd iiiiiiii'],
  ['cmn_imm', '1111 0i01 0001 nnnn 0iii 1111 iiiiiiii'],
  ['add_imm', '1111 0i01 000S nnnn 0iii dddd iiiiiiii'],
  ['adc_imm', '1111 0i01 010S nnnn 0iii dddd iiiiiiii'],
  ['sbc_imm', '1111 0i01 011S nnnn 0iii dddd iiiiiiii'],
  ['cmp_imm', '1111 0i01 1011 nnnn 0iii 1111 iiiiiiii'],
  ['sub_imm', '1111 0i01 101S nnnn 0iii dddd iiiiiiii'],
  ['rsb_imm', '1111 0i01 110S nnnn 0iii dddd iiiiiiii'],
  // Data processing (plain binary immediate) (A6.3.3). MOVW/MOVT: imm16 = imm4(j):i:imm3:imm8.
  ['addw', '1111 0i10 0000 nnnn 0iii dddd iiiiiiii'], // ADR (T3) when Rn = pc
  ['movw', '1111 0i10 0100 jjjj 0iii dddd iiiiiiii'],
  ['subw', '1111 0i10 1010 nnnn 0iii dddd iiiiiiii'], // ADR (T2) when Rn = pc
  ['movt', '1111 0i10 1100 jjjj 0iii dddd iiiiiiii'],
  ['ssat16', '1111 0011 0010 nnnn 0000 dddd 00-- kkkk'],
  ['ssat', '1111 0011 00h0 nnnn 0iii dddd ii-k kkkk'],
  ['sbfx', '1111 0011 0100 nnnn 0iii dddd ii-w wwww'],
  ['bfc', '1111 0011 0110 1111 0iii dddd ii-k kkkk'],
  ['bfi', '1111 0011 0110 nnnn 0iii dddd ii-k kkkk'],
  ['usat16', '1111 0011 1010 nnnn 0000 dddd 00-- kkkk'],
  ['usat', '1111 0011 10h0 nnnn 0iii dddd ii-k kkkk'],
  ['ubfx', '1111 0011 1100 nnnn 0iii dddd ii-w wwww'],
  // Branches and miscellaneous control (A6.3.4). The status moves, hints and barriers have
  // cond = 111x in the conditional branch's field, so they come before it.
  ['msr', '1111 0011 1000 nnnn 10-0 kk-- ---- ----'],
  ['hint', '1111 0011 1010 ---- 10-0 -000 ---- ----'],
  ['clrex', '1111 0011 1011 ---- 10-0 ---- 0010 ----'],
  ['barrier', '1111 0011 1011 ---- 10-0 ---- 01-- ----'],
  ['mrs', '1111 0011 1110 ---- 10-0 dddd ---- ----'],
  ['udf', '1111 0111 1111 iiii 1010 iiii iiii iiii'],
  ['b_cond', '1111 0Scc cciiiiii 10J0 Kjjj jjjjjjjj'],
  ['b', '1111 0Sii iiiiiiii 10J1 Kjjj jjjjjjjj'],
  ['blx_imm', '1111 0Sii iiiiiiii 11J0 Kjjj jjjjjjj0'],
  ['bl', '1111 0Sii iiiiiiii 11J1 Kjjj jjjjjjjj'],
  // Memory hints: byte and halfword loads to pc (A6.3.8, A6.3.9).
  ['pld', '1111 100- -0-1 ---- 1111 ---- ---- ----'],
  // Load/store single data item (A6.3.7-A6.3.10).
  ...singleRows,
  // Data processing (register) (A6.3.12).
  ['shift_reg', '1111 1010 0yyS nnnn 1111 dddd 0000 mmmm'],
  ['sxth', '1111 1010 0000 1111 1111 dddd 10rr mmmm'],
  ['sxtah', '1111 1010 0000 nnnn 1111 dddd 10rr mmmm'],
  ['uxth', '1111 1010 0001 1111 1111 dddd 10rr mmmm'],
  ['uxtah', '1111 1010 0001 nnnn 1111 dddd 10rr mmmm'],
  ['sxtb16', '1111 1010 0010 1111 1111 dddd 10rr mmmm'],
  ['sxtab16', '1111 1010 0010 nnnn 1111 dddd 10rr mmmm'],
  ['uxtb16', '1111 1010 0011 1111 1111 dddd 10rr mmmm'],
  ['uxtab16', '1111 1010 0011 nnnn 1111 dddd 10rr mmmm'],
  ['sxtb', '1111 1010 0100 1111 1111 dddd 10rr mmmm'],
  ['sxtab', '1111 1010 0100 nnnn 1111 dddd 10rr mmmm'],
  ['uxtb', '1111 1010 0101 1111 1111 dddd 10rr mmmm'],
  ['uxtab', '1111 1010 0101 nnnn 1111 dddd 10rr mmmm'],
  // Parallel addition and subtraction (A6.3.13, A6.3.14).
  ['parallel', '1111 1010 1ooo nnnn 1111 dddd 0ppp mmmm'],
  // Miscellaneous operations (A6.3.15).
  ['qadd', '1111 1010 1000 nnnn 1111 dddd 1000 mmmm'],
  ['qdadd', '1111 1010 1000 nnnn 1111 dddd 1001 mmmm'],
  ['qsub', '1111 1010 1000 nnnn 1111 dddd 1010 mmmm'],
  ['qdsub', '1111 1010 1000 nnnn 1111 dddd 1011 mmmm'],
  ['rev', '1111 1010 1001 ---- 1111 dddd 1000 mmmm'],
  ['rev16', '1111 1010 1001 ---- 1111 dddd 1001 mmmm'],
  ['rbit', '1111 1010 1001 ---- 1111 dddd 1010 mmmm'],
  ['revsh', '1111 1010 1001 ---- 1111 dddd 1011 mmmm'],
  ['sel', '1111 1010 1010 nnnn 1111 dddd 1000 mmmm'],
  ['clz', '1111 1010 1011 ---- 1111 dddd 1000 mmmm'],
  // Multiply, multiply accumulate and absolute difference (A6.3.16): Ra = pc is the plain form.
  ['mul', '1111 1011 0000 nnnn 1111 dddd 0000 mmmm'],
  ['mla', '1111 1011 0000 nnnn aaaa dddd 0000 mmmm'],
  ['mls', '1111 1011 0000 nnnn aaaa dddd 0001 mmmm'],
  ['smulxy', '1111 1011 0001 nnnn 1111 dddd 00NM mmmm'],
  ['smlaxy', '1111 1011 0001 nnnn aaaa dddd 00NM mmmm'],
  ['smuad', '1111 1011 0010 nnnn 1111 dddd 000M mmmm'],
  ['smlad', '1111 1011 0010 nnnn aaaa dddd 000M mmmm'],
  ['smulwy', '1111 1011 0011 nnnn 1111 dddd 000M mmmm'],
  ['smlawy', '1111 1011 0011 nnnn aaaa dddd 000M mmmm'],
  ['smusd', '1111 1011 0100 nnnn 1111 dddd 000M mmmm'],
  ['smlsd', '1111 1011 0100 nnnn aaaa dddd 000M mmmm'],
  ['smmul', '1111 1011 0101 nnnn 1111 dddd 000R mmmm'],
  ['smmla', '1111 1011 0101 nnnn aaaa dddd 000R mmmm'],
  ['smmls', '1111 1011 0110 nnnn aaaa dddd 000R mmmm'],
  ['usad8', '1111 1011 0111 nnnn 1111 dddd 0000 mmmm'],
  ['usada8', '1111 1011 0111 nnnn aaaa dddd 0000 mmmm'],
  // Long multiply, long multiply accumulate and divide (A6.3.17): RdLo l, RdHi h.
  ['smull', '1111 1011 1000 nnnn llll hhhh 0000 mmmm'],
  ['sdiv', '1111 1011 1001 nnnn ---- dddd 1111 mmmm'],
  ['umull', '1111 1011 1010 nnnn llll hhhh 0000 mmmm'],
  ['udiv', '1111 1011 1011 nnnn ---- dddd 1111 mmmm'],
  ['smlal', '1111 1011 1100 nnnn llll hhhh 0000 mmmm'],
  ['smlalxy', '1111 1011 1100 nnnn llll hhhh 10NM mmmm'],
  ['smlald', '1111 1011 1100 nnnn llll hhhh 110M mmmm'],
  ['smlsld', '1111 1011 1101 nnnn llll hhhh 110M mmmm'],
  ['umlal', '1111 1011 1110 nnnn llll hhhh 0000 mmmm'],
  ['umaal', '1111 1011 1110 nnnn llll hhhh 0110 mmmm'],
];

export const T32_PATTERNS: ArmPattern[] = thumbTable(T32_TRANS, ROWS);
