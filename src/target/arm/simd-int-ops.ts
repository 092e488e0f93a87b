// The ARMv6 SIMD integer instructions and the saturating arithmetic, as inline IR for both
// decoders (a32.ts, t32.ts): the parallel add/subtract family with its GE flags (A4.4.3), SEL,
// USAD8/USADA8, QADD QSUB QDADD QDSUB, SSAT USAT SSAT16 USAT16 (A4.4.4). glibc's string
// functions run UADD8 + SEL on every word, so these must not leave the compiled block.
//
// The 8- and 16-bit lanes are computed all at once in one i32 (SWAR) rather than lane by lane,
// which keeps the IR short: each lane's top bit is summed apart from the bits below it, so no
// carry crosses into the next lane, and the carry into and out of the top bit then give every
// lane's wrapped result, carry out, exact sign, overflow and halved value with a few logical
// ops. The GE slot holds one 0xff byte per set GE bit (cpu-state.ts), the form SEL uses.
import { Cond, Opc } from '../../tcg/ir.js';
import type { ArmDisasContext } from './disas-context.js';

/** Parallel add/subtract prefixes, numbered as the A32 op1 field (A5.4.1). */
export const enum ParPrefix { S = 1, Q = 2, SH = 3, U = 5, UQ = 6, UH = 7 }
/** Parallel add/subtract operations, numbered as the A32 op2 field. */
export const enum ParOp { ADD16 = 0, ASX = 1, SAX = 2, SUB16 = 3, ADD8 = 4, SUB8 = 7 }

/** A new temp = a OP b, and = a OP imm. */
function bin(s: ArmDisasContext, opc: Opc, a: number, b: number): number {
  const d = s.tmp();
  s.b.binop(opc, d, a, b);
  return d;
}
function immOp(s: ArmDisasContext, opc: Opc, a: number, imm: number): number {
  const d = s.tmp();
  s.opi(opc, d, a, imm);
  return d;
}

/** The lane layout of an operation, as i32 masks. */
interface Lanes {
  /** Lane width in bits. */
  w: 8 | 16;
  /** Each lane's top bit, and the bits below it. */
  hi: number; lo: number;
  /** Each lane's bit 0. */
  one: number;
  /** All bits of the lanes that subtract (the others add). */
  sub: number;
}

function lanesOf(op: ParOp): Lanes {
  const w = op >= ParOp.ADD8 ? 8 : 16;
  const one = w === 8 ? 0x01010101 : 0x00010001;
  const hi = (one << (w - 1)) >>> 0;
  // ASX: the low halfword subtracts (Rn.lo - Rm.hi), the high one adds; SAX the other way.
  const sub = op === ParOp.SUB8 || op === ParOp.SUB16 ? 0xffffffff : op === ParOp.ASX ? 0x0000ffff : op === ParOp.SAX ? 0xffff0000 : 0;
  return { w, hi, lo: ~hi >>> 0, one, sub };
}

/** a OP b in every lane, OP = + or - as L.sub says (a - b = a + NOT b + 1). */
interface LaneSum {
  /** The wrapped lane results. */
  r: number;
  /** b with the subtracting lanes inverted, and a XOR that. */
  nb: number; x: number;
  /** The lanes' low bits summed (with the + 1 of a subtraction): bit w-1 of each lane is the
   *  carry into the lane's top bit. */
  t: number;
}

function laneSum(s: ArmDisasContext, a: number, b: number, L: Lanes): LaneSum {
  const nb = L.sub ? immOp(s, Opc.Xor, b, L.sub) : b;
  const x = bin(s, Opc.Xor, a, nb);
  const t = bin(s, Opc.Add, immOp(s, Opc.And, a, L.lo), immOp(s, Opc.And, nb, L.lo));
  if (L.sub) s.opi(Opc.Add, t, t, L.sub & L.one);
  // A lane's top bit is a's XOR nb's XOR the carry into it.
  return { r: bin(s, Opc.Xor, t, immOp(s, Opc.And, x, L.hi)), nb, x, t };
}

/** Majority(a, nb, y) at each lane's top bit: with y = t, the carry out of the lane (for a
 *  subtraction: no borrow, a >= b unsigned); with y = r, the sign of the exact signed result
 *  (the operands' common sign, or the wrapped result's sign where they differ, which cannot
 *  overflow). */
function topMajority(s: ArmDisasContext, a: number, sum: LaneSum, y: number, L: Lanes): number {
  const both = s.tmp(), either = s.tmp();
  s.b.and(both, a, sum.nb);
  s.b.and(either, sum.x, y);
  s.b.or(both, both, either);
  s.opi(Opc.And, both, both, L.hi);
  return both;
}

/** Each lane all ones where its top bit is set in `v` (which has no other bits), else zero. */
function laneMask(s: ArmDisasContext, v: number, L: Lanes): number {
  // Lanes of 0 or 1 times 0xff / 0xffff: no carries.
  return immOp(s, Opc.Mul, immOp(s, Opc.Shr, v, L.w - 1), (1 << L.w) - 1);
}

/** d = a ^ ((a ^ b) & mask): b in the bits of mask, a elsewhere. */
function merge(s: ArmDisasContext, a: number, b: number, mask: number): number {
  const d = s.tmp();
  s.b.xor(d, a, b);
  s.b.and(d, d, mask);
  s.b.xor(d, d, a);
  return d;
}

/** The parallel add/subtract family (A8.8: SADD16 ... UHSUB8): Rd = Rn OP Rm in each lane;
 *  the S and U forms set GE (a lane's result >= 0, unsigned sums: >= 2^w). */
export function parallelAddSub(s: ArmDisasContext, rd: number, prefix: ParPrefix, op: ParOp, n: number, m: number): void {
  const L = lanesOf(op);
  let b = m;
  if (op === ParOp.ASX || op === ParOp.SAX) { b = s.tmp(); s.opi(Opc.Rotr, b, m, 16); }
  const sum = laneSum(s, n, b, L);
  const signed = prefix < ParPrefix.U;
  // At each lane's top bit: the exact result's sign (signed), or the carry out (unsigned).
  const top = topMajority(s, n, sum, signed ? sum.r : sum.t, L);
  let r = sum.r;
  switch (prefix) {
    case ParPrefix.S: case ParPrefix.U:
      s.b.mov(s.ge, laneMask(s, signed ? immOp(s, Opc.Xor, top, L.hi) : top, L));
      break;
    case ParPrefix.Q: {
      // Overflow where the exact sign differs from the wrapped one; then 0x80.. if negative,
      // else 0x7f.. (the sign bit moved to bit 0, plus 0x7f.., carries nothing).
      const ov = immOp(s, Opc.And, bin(s, Opc.Xor, top, r), L.hi);
      const sat = immOp(s, Opc.Add, immOp(s, Opc.Shr, top, L.w - 1), L.lo);
      r = merge(s, r, sat, laneMask(s, ov, L));
      break;
    }
    case ParPrefix.UQ: {
      // A carry out saturates a sum to all ones; no carry (a borrow) a difference to zero.
      const c = laneMask(s, top, L);
      const add = ~L.sub >>> 0;
      if (add) r = bin(s, Opc.Or, r, immOp(s, Opc.And, c, add));
      if (L.sub) r = bin(s, Opc.And, r, immOp(s, Opc.Or, c, add));
      break;
    }
    default: { // SH, UH: the exact (w+1)-bit result shifted right by one
      // Its top bit: the sign; unsigned, the carry of a sum or the borrow of a difference.
      const bitW = !signed && L.sub ? immOp(s, Opc.Xor, top, L.sub & L.hi) : top;
      r = bin(s, Opc.Or, immOp(s, Opc.And, immOp(s, Opc.Shr, r, 1), L.lo), bitW);
    }
  }
  s.setReg(rd, r);
}

/** SEL: each byte from Rn where its GE bit is set, else from Rm. */
export function sel(s: ArmDisasContext, rd: number, n: number, m: number): void {
  s.setReg(rd, merge(s, m, n, s.ge));
}

/** USAD8 / USADA8: the sum of the four bytes' absolute differences (+ acc). */
export function usad8(s: ArmDisasContext, rd: number, n: number, m: number, acc: number | null): void {
  const L = lanesOf(ParOp.SUB8);
  const sum = laneSum(s, n, m, L);
  // Where a byte borrowed, its wrapped difference is 256 - |d|: negate it (invert, add 1).
  const bm = laneMask(s, immOp(s, Opc.Xor, topMajority(s, n, sum, sum.t, L), L.hi), L);
  const abs = bin(s, Opc.Xor, sum.r, bm);
  s.b.add(abs, abs, immOp(s, Opc.And, bm, L.one));
  // Bytes to halfword pairs, then the two halves summed in the top half of a multiply.
  const odd = immOp(s, Opc.And, immOp(s, Opc.Shr, abs, 8), 0x00ff00ff);
  s.opi(Opc.And, abs, abs, 0x00ff00ff);
  s.b.add(abs, abs, odd);
  s.opi(Opc.Mul, abs, abs, 0x00010001);
  s.opi(Opc.Shr, abs, abs, 16);
  if (acc !== null) s.b.add(abs, abs, acc);
  s.setReg(rd, abs);
}

// --- saturation ----------------------------------------------------------------------------------

/** Q |= flag (an i32 of 0 or 1). */
function orQ(s: ArmDisasContext, flag: number): void { s.b.or(s.qf, s.qf, flag); }

/** SignedSat(a +/- b, 32), setting Q when it saturates. */
function satAddSub32(s: ArmDisasContext, a: number, b: number, subtract: boolean): number {
  const r = bin(s, subtract ? Opc.Sub : Opc.Add, a, b);
  // Overflow: a sum whose operands share a sign the result lacks; a difference whose operands
  // differ in sign and a's sign is lost. Either way the exact result has a's sign.
  const ov = bin(s, Opc.Xor, r, a);
  s.b.and(ov, ov, bin(s, Opc.Xor, subtract ? a : r, b));
  const sat = immOp(s, Opc.Xor, immOp(s, Opc.Sar, a, 31), 0x7fffffff);
  const out = s.tmp();
  s.b.movcond(Cond.LT, out, ov, s.b.c32(0), sat, r);
  s.opi(Opc.Shr, ov, ov, 31);
  orQ(s, ov);
  return out;
}

/** QADD QSUB QDADD QDSUB: Rd = sat(Rm +/- sat(2 * Rn) for the D forms, else Rm +/- Rn). */
export function qaddSub(s: ArmDisasContext, rd: number, m: number, n: number, subtract: boolean, double: boolean): void {
  s.setReg(rd, satAddSub32(s, m, double ? satAddSub32(s, n, n, false) : n, subtract));
}

/** SignedSatQ(v, bits) / UnsignedSatQ(v, bits) of a signed i32, setting Q when it saturates. */
function satQ(s: ArmDisasContext, v: number, bits: number, signed: boolean): number {
  if (signed && bits === 32) return v;
  const b = s.b;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const t = s.tmp(), r = s.tmp(), q = s.tmp();
  b.movcond(Cond.GT, t, v, b.c32(max), b.c32(max), v);
  b.movcond(Cond.LT, r, v, b.c32(min), b.c32(min), t);
  b.setcond(Cond.NE, q, r, v);
  orQ(s, q);
  return r;
}

/** SSAT / USAT of an already shifted operand. */
export function saturate(s: ArmDisasContext, rd: number, v: number, bits: number, signed: boolean): void {
  s.setReg(rd, satQ(s, v, bits, signed));
}

/** SSAT16 / USAT16: each signed halfword saturated. */
export function saturate16(s: ArmDisasContext, rd: number, v: number, bits: number, signed: boolean): void {
  const lo = s.tmp(), hi = s.tmp();
  s.b.unop(Opc.Ext16S, lo, v);
  s.opi(Opc.Sar, hi, v, 16);
  const rlo = satQ(s, lo, bits, signed), rhi = satQ(s, hi, bits, signed);
  s.setReg(rd, bin(s, Opc.Or, immOp(s, Opc.And, rlo, 0xffff), immOp(s, Opc.Shl, rhi, 16)));
}
