// The A32 (ARM state) instruction set: the encoding diagrams of the ARM ARM (ARMv7-A, chapter
// A5 and the instruction pages of A8.8) mapped onto the semantic layer in arm-ops.ts.
// Conditional instructions have '----' for the condition: the block loop evaluates it (cond
// 1111 selects A32_UNCOND_PATTERNS instead). Encodings that match no pattern are UNDEFINED
// (SIGILL); UNPREDICTABLE operand combinations are translated as the plain reading of the
// pseudocode, as hardware typically does.
import { Opc, RmwOp } from '../../tcg/ir.js';
import { ArmPattern, ArmTrans, pat, sext } from './decode.js';
import type { ArmDisasContext } from './disas-context.js';
import {
  AddrMode, DP, MOP, Multi, a32ExpandImm, bitfieldExtract, bitfieldInsert, bkpt,
  blxReg, branchLink, bx, clearExclusive, clz, dataProc, decodeImmShift, divide,
  dpWantsCarry, dualMul, dualMulLong, exclusiveNamesPc, extend, load, loadDual, loadExclusive, loadStoreMultiple,
  mrcTpidruro, mrsApsr, msrApsr, mul, mulLong, pkh, rbit, rev, rev16, revsh, shiftImm, shiftReg,
  smlalxy, smmul, smulwy, smulxy, store, storeDual, storeExclusive,
} from './arm-ops.js';
import { parallelAddSub, qaddSub, saturate, saturate16, sel, usad8 } from './simd-int-ops.js';

const DP_NAMES = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn', 'orr', 'mov', 'bic', 'mvn'];
const bin4 = (v: number): string => v.toString(2).padStart(4, '0');
const isTestOp = (op: number): boolean => op >= DP.TST && op <= DP.CMN;

/** Data processing: the second operand from the form's fields; S (always 1 for the tests). */
type Op2 = (s: ArmDisasContext, f: Record<string, number>, wantCarry: boolean) => ReturnType<typeof shiftImm>;
const dp = (op: DP, operand2: Op2): ArmTrans => (s, f) => {
  const S = isTestOp(op) || f.S === 1;
  // With S and Rd = pc this is SUBS pc, lr and friends: an exception return, UNPREDICTABLE in
  // user mode.
  if (S && !isTestOp(op) && f.d === 15) return false;
  dataProc(s, op, f.d, s.reg(f.n), operand2(s, f, dpWantsCarry(op, S)), S);
  return true;
};
const immShifted: Op2 = (s, f, c) => {
  const [type, n] = decodeImmShift(f.t, f.i);
  return shiftImm(s, s.reg(f.m), type, n, c);
};
const regShifted: Op2 = (s, f, c) => shiftReg(s, s.reg(f.m), f.t, s.reg(f.r), c);
const immediate: Op2 = (s, f, c) => a32ExpandImm(s, f.i, c);

function dpRows(): ArmPattern[] {
  const rows: ArmPattern[] = [];
  DP_NAMES.forEach((name, op) => {
    const o = bin4(op);
    const S = isTestOp(op) ? '1' : 'S';
    rows.push(
      pat(`${name}`, `---- 000${o}${S} nnnn dddd iiii itt0 mmmm`, dp(op, immShifted)),
      pat(`${name}`, `---- 000${o}${S} nnnn dddd rrrr 0tt1 mmmm`, dp(op, regShifted)),
      pat(`${name}`, `---- 001${o}${S} nnnn dddd iiii iiii iiii`, dp(op, immediate)),
    );
  });
  return rows;
}

// --- loads and stores ---------------------------------------------------------------------------

/** Addressing from the P, U, W bits (A5.3): P=0 is post-indexed and always writes back (with
 *  W=1 it is the unprivileged form, the same access in user mode). */
const addrMode = (f: Record<string, number>, offset: number): AddrMode => ({
  rn: f.n, offset, add: f.u === 1, index: f.p === 1, wback: f.p === 0 || f.w === 1,
});
const wordByteOffset = (s: ArmDisasContext, f: Record<string, number>, reg: boolean): number => {
  if (!reg) return s.b.c32(f.i);
  const [type, n] = decodeImmShift(f.t, f.i);
  return shiftImm(s, s.reg(f.m), type, n, false).v;
};
const ldrStr = (reg: boolean): ArmTrans => (s, f) => {
  const am = addrMode(f, wordByteOffset(s, f, reg));
  const size = f.B ? 1 : 4;
  if (f.l) load(s, f.T, am, MOP(size)); else store(s, f.T, am, size);
  return true;
};
/** The extra load/store forms' offset: imm4H:imm4L or a register. */
const extraOffset = (s: ArmDisasContext, f: Record<string, number>): number =>
  f.m === undefined ? s.b.c32(f.i) : s.reg(f.m);
const ldrhStrh: ArmTrans = (s, f) => {
  const am = addrMode(f, extraOffset(s, f));
  if (f.l) load(s, f.T, am, MOP(2)); else store(s, f.T, am, 2);
  return true;
};
/** op2 = 10: LDRD (L=0) or LDRSB (L=1); op2 = 11: STRD or LDRSH. */
const ldrdLdrsb: ArmTrans = (s, f) => {
  const am = addrMode(f, extraOffset(s, f));
  if (f.l) { load(s, f.T, am, MOP(1, true)); return true; }
  if (f.T & 1 || f.T === 14) return false; // Rt must be even and Rt2 not pc
  loadDual(s, f.T, f.T + 1, am);
  return true;
};
const strdLdrsh: ArmTrans = (s, f) => {
  const am = addrMode(f, extraOffset(s, f));
  if (f.l) { load(s, f.T, am, MOP(2, true)); return true; }
  if (f.T & 1 || f.T === 14) return false;
  storeDual(s, f.T, f.T + 1, am);
  return true;
};
const MULTI_MODES = [Multi.DA, Multi.IA, Multi.DB, Multi.IB]; // by P:U
const ldmStm: ArmTrans = (s, f) =>
  loadStoreMultiple(s, f.l === 1, f.n, f.r, MULTI_MODES[f.p * 2 + f.u], f.w === 1);

const EXCL_SIZES = [4, 8, 1, 2] as const; // by op bits 22:21
const ldrex: ArmTrans = (s, f) => {
  const size = EXCL_SIZES[f.z];
  if (size === 8 && (f.T & 1 || f.T === 14)) return false;
  if (exclusiveNamesPc(size, f.n, f.T)) return false;
  loadExclusive(s, size, f.T, f.T + 1, s.reg(f.n));
  return true;
};
const strex: ArmTrans = (s, f) => {
  const size = EXCL_SIZES[f.z];
  if (size === 8 && (f.T & 1 || f.T === 14)) return false;
  if (exclusiveNamesPc(size, f.n, f.T, f.T + 1, f.d)) return false;
  storeExclusive(s, size, f.d, f.T, f.T + 1, s.reg(f.n));
  return true;
};
/** SWP / SWPB (deprecated but part of ARMv7-A): rt = [rn]; [rn] = rt2, one atomic exchange
 *  (SWP's address must be word aligned, else an alignment fault: A3.2.1). */
const swp: ArmTrans = (s, f) => {
  const old = s.tmp();
  s.b.atomicRmw(RmwOp.Xchg, old, s.reg(f.n), 0, s.reg(f.m), MOP(f.B ? 1 : 4));
  s.setReg(f.T, old);
  return true;
};

// --- everything else -------------------------------------------------------------------------------

const HINTS = ['nop', 'yield', 'wfe', 'wfi', 'sev'];
const nop: ArmTrans = () => true;

/** Parallel add/subtract (A5.4.1): op1 001..111 except 100, op2 000 001 010 011 100 111
 *  (the numbering of ParPrefix and ParOp). */
const parallel: ArmTrans = (s, f) => {
  if (f.p === 0 || f.p === 4 || f.o === 5 || f.o === 6) return false;
  parallelAddSub(s, f.d, f.p, f.o, s.reg(f.n), s.reg(f.m));
  return true;
};

/** The extend family (A5.4.5): op 000 SXTAB16, 010 SXTAB, 011 SXTAH, 100 UXTAB16, 110 UXTAB,
 *  111 UXTAH; Rn = 1111 is the form without the add. */
const extendOp: ArmTrans = (s, f) => {
  if ((f.o & 3) === 1) return false;
  const signed = f.o < 4;
  const lanes16 = (f.o & 3) === 0;
  const size = (f.o & 3) === 3 ? 16 : 8;
  extend(s, f.d, f.n === 15 ? null : s.reg(f.n), s.reg(f.m), f.r * 8, size, signed, lanes16);
  return true;
};

const satShift = (s: ArmDisasContext, f: Record<string, number>): number =>
  shiftImm(s, s.reg(f.n), f.h ? 2 : 0, f.h && f.i === 0 ? 32 : f.i, false).v;

/** Media signed multiplies (A5.4.4) by op1 and op2 bits 7:6 (bit 5 is M: swap / round). */
const signedMul: ArmTrans = (s, f) => {
  const acc = f.a === 15 ? null : s.reg(f.a);
  const n = s.reg(f.n), m = s.reg(f.m);
  switch (f.o) {
    case 0: // SMLAD SMUAD (op2 00x), SMLSD SMUSD (01x)
      if (f.q > 1) return false;
      dualMul(s, f.d, n, m, acc, f.q === 1, f.x === 1);
      return true;
    case 4: // SMLALD SMLSLD: Ra field is RdLo, Rd field RdHi
      if (f.q > 1) return false;
      dualMulLong(s, f.a, f.d, n, m, f.q === 1, f.x === 1);
      return true;
    case 5: // SMMLA SMMUL (op2 00x), SMMLS (11x)
      if (f.q === 0) { smmul(s, f.d, n, m, acc, false, f.x === 1); return true; }
      if (f.q === 3 && acc !== null) { smmul(s, f.d, n, m, acc, true, f.x === 1); return true; }
      return false;
    default: return false;
  }
};

export const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', '', ''];

export const A32_PATTERNS: ArmPattern[] = [
  // Multiplies (A5.2.5) and synchronisation primitives (A5.2.10): bits 7:4 = 1001.
  pat('mul', '---- 0000 000S dddd 0000 mmmm 1001 nnnn', (s, f) => { mul(s, f.d, s.reg(f.n), s.reg(f.m), null, false, f.S === 1); return true; }),
  pat('mla', '---- 0000 001S dddd aaaa mmmm 1001 nnnn', (s, f) => { mul(s, f.d, s.reg(f.n), s.reg(f.m), s.reg(f.a), false, f.S === 1); return true; }),
  pat('umaal', '---- 0000 0100 hhhh llll mmmm 1001 nnnn', (s, f) => { mulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), false, true, false, true); return true; }),
  pat('mls', '---- 0000 0110 dddd aaaa mmmm 1001 nnnn', (s, f) => { mul(s, f.d, s.reg(f.n), s.reg(f.m), s.reg(f.a), true, false); return true; }),
  pat('umull', '---- 0000 100S hhhh llll mmmm 1001 nnnn', (s, f) => { mulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), false, false, f.S === 1); return true; }),
  pat('umlal', '---- 0000 101S hhhh llll mmmm 1001 nnnn', (s, f) => { mulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), false, true, f.S === 1); return true; }),
  pat('smull', '---- 0000 110S hhhh llll mmmm 1001 nnnn', (s, f) => { mulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), true, false, f.S === 1); return true; }),
  pat('smlal', '---- 0000 111S hhhh llll mmmm 1001 nnnn', (s, f) => { mulLong(s, f.l, f.h, s.reg(f.n), s.reg(f.m), true, true, f.S === 1); return true; }),
  pat('swp', '---- 0001 0B00 nnnn TTTT ---- 1001 mmmm', swp),
  pat('strex', '---- 0001 1zz0 nnnn dddd ---- 1001 TTTT', strex),
  pat('ldrex', '---- 0001 1zz1 nnnn TTTT ---- 1001 ----', ldrex),
  // Extra loads and stores (A5.2.8): bits 7:4 = 1011, 1101, 1111.
  pat('ldrh/strh', '---- 000p u0wl nnnn TTTT 0000 1011 mmmm', ldrhStrh),
  pat('ldrh/strh', '---- 000p u1wl nnnn TTTT iiii 1011 iiii', ldrhStrh),
  pat('ldrd/ldrsb', '---- 000p u0wl nnnn TTTT 0000 1101 mmmm', ldrdLdrsb),
  pat('ldrd/ldrsb', '---- 000p u1wl nnnn TTTT iiii 1101 iiii', ldrdLdrsb),
  pat('strd/ldrsh', '---- 000p u0wl nnnn TTTT 0000 1111 mmmm', strdLdrsh),
  pat('strd/ldrsh', '---- 000p u1wl nnnn TTTT iiii 1111 iiii', strdLdrsh),
  // Miscellaneous (A5.2.12) and halfword multiplies (A5.2.7): op 10xx0 with S = 0.
  pat('mrs', '---- 0001 0000 1111 dddd 0000 0000 0000', (s, f) => { mrsApsr(s, f.d); return true; }),
  pat('msr', '---- 0001 0010 kk00 1111 0000 0000 nnnn', (s, f) => { if (!f.k) return false; msrApsr(s, s.reg(f.n), f.k); return true; }),
  pat('bx', '---- 0001 0010 1111 1111 1111 0001 mmmm', (s, f) => { bx(s, f.m); return true; }),
  pat('blx', '---- 0001 0010 1111 1111 1111 0011 mmmm', (s, f) => { if (f.m === 15) return false; blxReg(s, f.m); return true; }),
  pat('clz', '---- 0001 0110 1111 dddd 1111 0001 mmmm', (s, f) => { clz(s, f.d, s.reg(f.m)); return true; }),
  // QADD QSUB QDADD QDSUB Rd, Rm, Rn: Rm is the first operand, Rn the one doubled.
  ...['qadd', 'qsub', 'qdadd', 'qdsub'].map((name, op) => pat(name, `---- 0001 0${op >> 1}${op & 1}0 nnnn dddd 0000 0101 mmmm`,
    (s, f) => { qaddSub(s, f.d, s.reg(f.m), s.reg(f.n), (op & 1) === 1, op >= 2); return true; })),
  pat('bkpt', '---- 0001 0010 iiii iiii iiii 0111 iiii', (s, f) => { bkpt(s, f.i); return true; }),
  pat('smla', '---- 0001 0000 dddd aaaa mmmm 1yx0 nnnn', (s, f) => { smulxy(s, f.d, s.reg(f.n), s.reg(f.m), f.x === 1, f.y === 1, s.reg(f.a)); return true; }),
  pat('smlaw', '---- 0001 0010 dddd aaaa mmmm 1y00 nnnn', (s, f) => { smulwy(s, f.d, s.reg(f.n), s.reg(f.m), f.y === 1, s.reg(f.a)); return true; }),
  pat('smulw', '---- 0001 0010 dddd 0000 mmmm 1y10 nnnn', (s, f) => { smulwy(s, f.d, s.reg(f.n), s.reg(f.m), f.y === 1, null); return true; }),
  pat('smlal', '---- 0001 0100 hhhh llll mmmm 1yx0 nnnn', (s, f) => { smlalxy(s, f.l, f.h, s.reg(f.n), s.reg(f.m), f.x === 1, f.y === 1); return true; }),
  pat('smul', '---- 0001 0110 dddd 0000 mmmm 1yx0 nnnn', (s, f) => { smulxy(s, f.d, s.reg(f.n), s.reg(f.m), f.x === 1, f.y === 1, null); return true; }),
  // MOVW, MOVT, MSR (immediate) and the hints (A5.2.11): op 10xx0 with S = 0, immediate.
  pat('movw', '---- 0011 0000 iiii dddd iiii iiii iiii', (s, f) => { s.setReg(f.d, s.b.c32(f.i)); return true; }),
  pat('movt', '---- 0011 0100 iiii dddd iiii iiii iiii', (s, f) => {
    const t = s.tmp();
    s.opi(Opc.And, t, s.reg(f.d), 0xffff);
    s.opi(Opc.Or, t, t, f.i << 16);
    s.setReg(f.d, t);
    return true;
  }),
  ...HINTS.map((h, i) => pat(h, `---- 0011 0010 0000 ---- ---- 0000 0${i.toString(2).padStart(3, '0')}`, nop)),
  pat('dbg', '---- 0011 0010 0000 ---- ---- 1111 ----', nop),
  pat('msr', '---- 0011 0010 kk00 ---- iiii iiii iiii', (s, f) => {
    if (!f.k) return false;
    msrApsr(s, a32ExpandImm(s, f.i, false).v, f.k);
    return true;
  }),
  ...dpRows(),
  // Load/store word and unsigned byte (A5.3).
  pat('ldr/str', '---- 010p uBwl nnnn TTTT iiii iiii iiii', ldrStr(false)),
  pat('ldr/str', '---- 011p uBwl nnnn TTTT iiii itt0 mmmm', ldrStr(true)),
  // Media instructions (A5.4).
  pat('parallel', '---- 0110 0ppp nnnn dddd ---- ooo1 mmmm', parallel),
  pat('pkh', '---- 0110 1000 nnnn dddd iiii iT01 mmmm', (s, f) => {
    const m = shiftImm(s, s.reg(f.m), f.T ? 2 : 0, f.T && f.i === 0 ? 32 : f.i, false).v;
    pkh(s, f.d, s.reg(f.n), m, f.T === 1);
    return true;
  }),
  pat('sel', '---- 0110 1000 nnnn dddd ---- 1011 mmmm', (s, f) => { sel(s, f.d, s.reg(f.n), s.reg(f.m)); return true; }),
  pat('ssat16', '---- 0110 1010 iiii dddd ---- 0011 nnnn', (s, f) => { saturate16(s, f.d, s.reg(f.n), f.i + 1, true); return true; }),
  pat('usat16', '---- 0110 1110 iiii dddd ---- 0011 nnnn', (s, f) => { saturate16(s, f.d, s.reg(f.n), f.i, false); return true; }),
  pat('ssat', '---- 0110 101S SSSS dddd iiii ih01 nnnn', (s, f) => { saturate(s, f.d, satShift(s, f), f.S + 1, true); return true; }),
  pat('usat', '---- 0110 111S SSSS dddd iiii ih01 nnnn', (s, f) => { saturate(s, f.d, satShift(s, f), f.S, false); return true; }),
  pat('rev', '---- 0110 1011 ---- dddd ---- 0011 mmmm', (s, f) => { rev(s, f.d, s.reg(f.m)); return true; }),
  pat('rev16', '---- 0110 1011 ---- dddd ---- 1011 mmmm', (s, f) => { rev16(s, f.d, s.reg(f.m)); return true; }),
  pat('rbit', '---- 0110 1111 ---- dddd ---- 0011 mmmm', (s, f) => { rbit(s, f.d, s.reg(f.m)); return true; }),
  pat('revsh', '---- 0110 1111 ---- dddd ---- 1011 mmmm', (s, f) => { revsh(s, f.d, s.reg(f.m)); return true; }),
  pat('xt', '---- 0110 1ooo nnnn dddd rr-- 0111 mmmm', extendOp),
  pat('sdiv', '---- 0111 0001 dddd ---- mmmm 0001 nnnn', (s, f) => { divide(s, f.d, s.reg(f.n), s.reg(f.m), true); return true; }),
  pat('udiv', '---- 0111 0011 dddd ---- mmmm 0001 nnnn', (s, f) => { divide(s, f.d, s.reg(f.n), s.reg(f.m), false); return true; }),
  pat('smul', '---- 0111 0ooo dddd aaaa mmmm qqx1 nnnn', signedMul),
  pat('usad8', '---- 0111 1000 dddd aaaa mmmm 0001 nnnn', (s, f) => {
    usad8(s, f.d, s.reg(f.n), s.reg(f.m), f.a === 15 ? null : s.reg(f.a));
    return true;
  }),
  pat('sbfx', '---- 0111 101w wwww dddd iiii i101 nnnn', (s, f) => bitfieldExtract(s, f.d, s.reg(f.n), f.i, f.w + 1, true)),
  pat('ubfx', '---- 0111 111w wwww dddd iiii i101 nnnn', (s, f) => bitfieldExtract(s, f.d, s.reg(f.n), f.i, f.w + 1, false)),
  pat('bfc', '---- 0111 110M MMMM dddd iiii i001 1111', (s, f) => bitfieldInsert(s, f.d, null, f.i, f.M)),
  pat('bfi', '---- 0111 110M MMMM dddd iiii i001 nnnn', (s, f) => bitfieldInsert(s, f.d, s.reg(f.n), f.i, f.M)),
  pat('udf', '1110 0111 1111 iiii iiii iiii 1111 iiii', () => false),
  // Branches, block transfers, SVC, coprocessor (A5.5, A5.6).
  pat('ldm/stm', '---- 100p u0wl nnnn rrrr rrrr rrrr rrrr', ldmStm),
  pat('b', '---- 1010 iiii iiii iiii iiii iiii iiii', (s, f) => { s.gotoAddr(s.pcValue() + sext(f.i << 2, 26)); return true; }),
  pat('bl', '---- 1011 iiii iiii iiii iiii iiii iiii', (s, f) => { branchLink(s, s.pcValue() + sext(f.i << 2, 26), false); return true; }),
  pat('svc', '---- 1111 iiii iiii iiii iiii iiii iiii', (s) => { s.svc(); return true; }),
  pat('mrc', '---- 1110 0001 1101 tttt 1111 0111 0000', (s, f) => mrcTpidruro(s, f.t)),
  // The CP15 barrier operations of ARMv6 (CP15DMB, CP15DSB, CP15ISB), still allowed in user
  // mode: memory is already sequentially consistent here.
  pat('mcr', '---- 1110 0000 0111 ---- 1111 1011 1010', nop),
  pat('mcr', '---- 1110 0000 0111 ---- 1111 1001 1010', nop),
  pat('mcr', '---- 1110 0000 0111 ---- 1111 1001 0101', nop),
];

/** The unconditional space (cond = 1111, A5.7). */
export const A32_UNCOND_PATTERNS: ArmPattern[] = [
  pat('clrex', '1111 0101 0111 1111 1111 0000 0001 1111', (s) => { clearExclusive(s); return true; }),
  // Barriers order memory for other observers; the emulator's accesses are already
  // sequentially consistent.
  pat('dsb', '1111 0101 0111 1111 1111 0000 0100 ----', nop),
  pat('dmb', '1111 0101 0111 1111 1111 0000 0101 ----', nop),
  pat('isb', '1111 0101 0111 1111 1111 0000 0110 ----', nop),
  // PLD, PLDW, PLI (immediate and register): hints that never fault.
  pat('pld', '1111 01-- -101 ---- 1111 ---- ---- ----', nop),
  pat('blx', '1111 101h iiii iiii iiii iiii iiii iiii', (s, f) => {
    branchLink(s, s.pcValue() + sext((f.i << 2) | (f.h << 1), 26), true);
    return true;
  }),
];

