// Inline fast paths of floating-point instructions, as IR emitters shared by the frontends (ARM
// VFP, RISC-V F/D): the common case done in the translated code, bit-exact, every other case
// sent to the caller's `slow` label, where the frontend calls its exact helper. They assume the
// caller has checked that the instruction rounds to nearest even and that inexact, the one flag
// they cannot tell apart, is already raised (programs rarely clear it once set); each emitter
// then checks what else could raise a flag or need the frontend's NaN rules, from its operands
// and result patterns. Temps are i64 for binary64 and i32 for binary32.
import { Cond, Opc, Ty } from '../tcg/ir.js';
import { IRBuilder } from '../tcg/ir-builder.js';
import { hostFusedMadd } from '../tcg/host-fma.js';

/** Per format: the sign bit, +infinity, the smallest normal. */
const FMT: Record<Ty, { sign: bigint; inf: bigint; minNormal: bigint }> = {
  i32: { sign: 0x80000000n, inf: 0x7f800000n, minNormal: 0x00800000n },
  i64: { sign: 1n << 63n, inf: 0x7ff0000000000000n, minNormal: 0x0010000000000000n },
};

/** The IR's float ops, which round to nearest even. */
export type FloatOp = Opc.FAdd | Opc.FSub | Opc.FMul | Opc.FDiv | Opc.FSqrt;

/** x OP y (FSqrt: sqrt x) by the IR's float op, after a branch to `slow` unless the result shows
 *  that the operation raised at most inexact:
 *  - a finite sum, difference or root: no operand was a NaN or an infinity, nothing invalid
 *    (inf - inf, the root of a negative number: NaNs), no overflow; a tiny sum is exact and a
 *    root is never tiny (sqrt(2^-1074) = 2^-537), so no underflow;
 *  - a product or quotient strictly above the smallest normal and finite: besides the above,
 *    no division by zero (an infinity), and the exact value was above the smallest normal too,
 *    so not tiny whether tininess is detected before rounding (ARM) or after (RISC-V).
 *  Denormal operands are IEEE's here: the caller excludes flush-to-zero modes. */
export function fastArith(b: IRBuilder, op: FloatOp, x: number, y: number, slow: number): number {
  const ty = b.ty(x);
  const r = b.temp(ty);
  if (op === Opc.FSqrt) b.unop(op, r, x); else b.binop(op, r, x, y);
  resultCheck(b, r, op === Opc.FMul || op === Opc.FDiv, slow);
  return r;
}

/** The branch to `slow` after an operation whose result is `r`: unless r is finite and, for a
 *  product-like operation (`tinyPossible`), strictly above the smallest normal. */
function resultCheck(b: IRBuilder, r: number, tinyPossible: boolean, slow: number): void {
  const ty = b.ty(r);
  const f = FMT[ty];
  const mag = b.temp(ty);
  b.and(mag, r, b.const(ty, f.inf | (f.inf - 1n)));
  if (tinyPossible) {
    // mag in [minNormal + 1, inf - 1] as one unsigned comparison.
    b.addi(mag, mag, -(f.minNormal + 1n));
    b.brcond(Cond.GEU, mag, b.const(ty, f.inf - f.minNormal - 1n), slow);
  } else {
    b.brcond(Cond.GEU, mag, b.const(ty, f.inf), slow);
  }
}

/** The pattern `v` with its sign bit flipped (FPNeg: no flags, NaNs too). */
export function negated(b: IRBuilder, v: number): number {
  const ty = b.ty(v);
  const r = b.temp(ty);
  b.xor(r, v, b.const(ty, FMT[ty].sign));
  return r;
}

/** An integer whose signed order is the numeric order of the float pattern `v` (a negative
 *  value's magnitude negated, so -0 and +0 both give 0), after a branch to `slow` when `v` is a
 *  NaN: comparisons of numbers raise nothing, NaNs follow each architecture's rules. */
export function orderedKey(b: IRBuilder, v: number, slow: number): number {
  const ty = b.ty(v);
  const mag = b.temp(ty), neg = b.temp(ty), key = b.temp(ty);
  b.and(mag, v, b.const(ty, ~FMT[ty].sign));
  b.brcond(Cond.GTU, mag, b.const(ty, FMT[ty].inf), slow);
  b.unop(Opc.Neg, neg, mag);
  b.movcond(Cond.LT, key, v, b.const(ty, 0), neg, mag);
  return key;
}

/** x * y + z by the host's fused multiply-add (the IR's FMulAdd), after a branch to `slow`
 *  unless the result is finite and strictly above the smallest normal: then, as for a product
 *  (fastArith), the exact value was neither tiny nor an overflow, no operand was a NaN or an
 *  infinity, and nothing was invalid. Any other operands: denormal ones are IEEE's, as the
 *  callers' fast paths exclude flush-to-zero modes. */
function hostMulAdd(b: IRBuilder, x: number, y: number, z: number, slow: number): number {
  const r = b.temp('i64');
  b.emit(Opc.FMulAdd, 'i64', r, x, y, z);
  resultCheck(b, r, true, slow);
  return r;
}

/** The biased exponent of the binary64 pattern `v`, after a branch to `slow` unless it is in
 *  [1, 0x7fe] (a normal, finite number). */
function normalExponent(b: IRBuilder, v: number, slow: number): number {
  const e = b.temp('i64'), chk = b.temp('i64');
  b.shr(e, v, b.c64(52));
  b.and(e, e, b.c64(0x7ff));
  b.addi(chk, e, -1);
  b.brcond(Cond.GEU, chk, b.c64(0x7fe), slow);
  return e;
}

/** The binary64 fused multiply-add (+/-)(x * y) + (+/-)z, rounded once to nearest even: the
 *  IR's FMulAdd where the host has a fused multiply-add (hostMulAdd), else in integer IR
 *  (wasm has no deterministic fma): the exact 106-bit product and the addend as
 *  128-bit values (hi, lo temps) with their leading bit at bit 125, the one with the smaller
 *  exponent shifted right with a sticky bit jammed into bit 0, then one addition or subtraction
 *  and one rounding. Both values have at least 20 zero low bits before the jam, so an inexact
 *  sum is odd and can never pass for a tie or cross a rounding boundary, whatever the later
 *  normalising shift: it rounds as the exact one. Non-normal operands, a subtraction whose
 *  exponents differ by less than two (it may cancel many leading bits), and results whose
 *  exponent before rounding is not in [1, 0x7fd] (tiny under either tininess rule, or one
 *  rounding away from overflow) go to `slow`. */
export function fusedMulAddF64(b: IRBuilder, x: number, y: number, z: number, negProd: boolean, negAdd: boolean, slow: number): number {
  if (hostFusedMadd()) return hostMulAdd(b, negProd ? negated(b, x) : x, y, negAdd ? negated(b, z) : z, slow);
  const t = (): number => b.temp('i64');
  const c = (v: bigint | number): number => b.c64(v);
  const SIGN = 1n << 63n;
  const ex = normalExponent(b, x, slow), ey = normalExponent(b, y, slow), ec = normalExponent(b, z, slow);
  const chk = t();
  // The product: significands with the implicit bit at 63, product in [2^126, 2^128).
  const mx = t(), my = t(), ph = t(), pl = t(), n = t(), sh = t(), ep = t();
  b.shl(mx, x, c(11));
  b.or(mx, mx, c(SIGN));
  b.shl(my, y, c(11));
  b.or(my, my, c(SIGN));
  b.binop(Opc.MulHU, ph, mx, my);
  b.binop(Opc.Mul, pl, mx, my);
  b.shr(n, ph, c(63));
  b.add(ep, ex, ey);
  b.add(ep, ep, n);
  b.addi(ep, ep, -1023); // the exponent of the product's leading bit
  // Leading bit to 125: shift right by 1 + n (its low 22 bits are zero: exact).
  b.addi(sh, n, 1);
  const tmp = t();
  b.shr(pl, pl, sh);
  b.sub(tmp, c(64), sh);
  b.shl(tmp, ph, tmp);
  b.or(pl, pl, tmp);
  b.shr(ph, ph, sh);
  // The addend, leading bit at 125 too.
  const ch = t(), cl = t();
  b.shl(ch, z, c(11));
  b.or(ch, ch, c(SIGN));
  b.shl(cl, ch, c(62));
  b.shr(ch, ch, c(2));
  // Signs (bit 63) of the product and of the addend, as the instruction negates them.
  const sp = t(), sc = t();
  b.xor(sp, x, y);
  if (negProd) b.xor(sp, sp, c(SIGN));
  b.and(sp, sp, c(SIGN));
  b.and(sc, z, c(SIGN));
  if (negAdd) b.xor(sc, sc, c(SIGN));
  // big: the larger exponent (the product on a tie), small: the other.
  const bh = t(), bl = t(), sgh = t(), sgl = t(), eBig = t(), sBig = t(), sSmall = t(), d = t();
  b.movcond(Cond.GE, bh, ep, ec, ph, ch);
  b.movcond(Cond.GE, bl, ep, ec, pl, cl);
  b.movcond(Cond.GE, sgh, ep, ec, ch, ph);
  b.movcond(Cond.GE, sgl, ep, ec, cl, pl);
  b.movcond(Cond.GE, sBig, ep, ec, sp, sc);
  b.movcond(Cond.GE, sSmall, ep, ec, sc, sp);
  b.movcond(Cond.GE, eBig, ep, ec, ep, ec);
  b.sub(d, ep, ec);
  const negD = t();
  b.unop(Opc.Neg, negD, d);
  b.movcond(Cond.LT, d, d, c(0), negD, d);
  // A subtraction of values less than 2 binades apart: the slow path.
  const sub = t();
  b.xor(sub, sBig, sSmall);
  b.setcond(Cond.NE, sub, sub, c(0));
  const near = t();
  b.setcond(Cond.LTU, near, d, c(2));
  b.and(near, near, sub);
  b.brcond(Cond.NE, near, c(0), slow);
  // small >> d (d clamped to 127: small's leading bit is 125, so it all becomes sticky).
  b.movcond(Cond.GTU, d, d, c(127), c(127), d);
  const oh = t(), ol = t(), lost = t(), w = t(), e2 = t(), oh2 = t(), ol2 = t(), lost2 = t();
  // d < 64
  b.shr(oh, sgh, d);
  b.shr(ol, sgl, d);
  b.sub(w, c(63), d);
  b.shl(w, sgh, w);
  b.shl(w, w, c(1)); // sgh << (64 - d), 0 when d = 0
  b.or(ol, ol, w);
  b.shl(lost, c(1), d);
  b.addi(lost, lost, -1);
  b.and(lost, lost, sgl);
  // d >= 64
  b.addi(e2, d, -64);
  b.movi(oh2, 0);
  b.shr(ol2, sgh, e2);
  b.shl(lost2, c(1), e2);
  b.addi(lost2, lost2, -1);
  b.and(lost2, lost2, sgh);
  b.or(lost2, lost2, sgl);
  b.movcond(Cond.LTU, oh, d, c(64), oh, oh2);
  b.movcond(Cond.LTU, ol, d, c(64), ol, ol2);
  b.movcond(Cond.LTU, lost, d, c(64), lost, lost2);
  b.setcond(Cond.NE, lost, lost, c(0));
  b.or(ol, ol, lost);
  // big +/- small over 128 bits.
  const rh = t(), rl = t(), cy = t(), dh = t(), dl = t();
  b.add(rl, bl, ol);
  b.setcond(Cond.LTU, cy, rl, bl);
  b.add(rh, bh, oh);
  b.add(rh, rh, cy);
  b.sub(dl, bl, ol);
  b.setcond(Cond.LTU, cy, bl, ol);
  b.sub(dh, bh, oh);
  b.sub(dh, dh, cy);
  b.movcond(Cond.NE, rh, sub, c(0), dh, rh);
  b.movcond(Cond.NE, rl, sub, c(0), dl, rl);
  // The leading bit is now at 124..126: normalise it to bit 127 (lz in 1..3).
  const lz = t();
  b.unop(Opc.Clz, lz, rh);
  b.shl(rh, rh, lz);
  b.sub(w, c(64), lz);
  b.shr(w, rl, w);
  b.or(rh, rh, w);
  b.shl(rl, rl, lz);
  const ez = t();
  b.addi(ez, eBig, 2);
  b.sub(ez, ez, lz);
  b.addi(chk, ez, -1);
  b.brcond(Cond.GEU, chk, c(0x7fd), slow); // ez in [1, 0x7fd]
  // 53 kept bits; the 11 below them (doubled, with rl as a sticky bit) decide the rounding: up
  // when above half, or at half with the kept value odd.
  const m = t(), r = t(), st = t(), up = t();
  b.shr(m, rh, c(11));
  b.and(r, rh, c(0x7ff));
  b.shl(r, r, c(1));
  b.setcond(Cond.NE, st, rl, c(0));
  b.or(r, r, st);
  b.and(up, m, c(1));
  b.add(r, r, up);
  b.setcond(Cond.GTU, up, r, c(0x800));
  b.add(m, m, up);
  // (ez - 1) << 52 plus a significand that still carries its implicit bit: a round-up to 2^53
  // carries into the exponent, as it should.
  const res = t();
  b.addi(ez, ez, -1);
  b.shl(res, ez, c(52));
  b.add(res, res, m);
  b.or(res, res, sBig);
  return res;
}

/** The binary64 pattern of the 32-bit integer `x` (an i32 temp; `signed` says how to read it).
 *  Always exact (a 32-bit integer needs at most 32 of binary64's 53 significand bits), so no
 *  rounding mode, no flag and no flush-to-zero applies: a complete lowering, with no slow path.
 *  The magnitude is shifted until its top bit is bit 63, then down to bit 52, where the
 *  implicit bit adds one to the exponent; zero (the only input without a top bit) is +0. */
export function int32ToF64(b: IRBuilder, x: number, signed: boolean): number {
  const t = (): number => b.temp('i64');
  const c = (v: bigint | number): number => b.c64(v);
  const v = t(), mag = t(), lz = t(), m = t(), e = t(), r = t();
  b.unop(signed ? Opc.ExtSI32I64 : Opc.ExtUI32I64, v, x);
  if (signed) {
    const neg = t();
    b.unop(Opc.Neg, neg, v);
    b.movcond(Cond.LT, mag, v, c(0), neg, v);
  } else {
    b.mov(mag, v);
  }
  b.unop(Opc.Clz, lz, mag);
  b.shl(m, mag, lz);
  b.shr(m, m, c(11));
  // Exponent field 1023 + (63 - lz), less the implicit bit's carry.
  b.sub(e, c(1023 + 63 - 1), lz);
  b.shl(e, e, c(52));
  b.add(r, e, m);
  if (signed) {
    const sign = t();
    b.and(sign, v, c(1n << 63n));
    b.or(r, r, sign);
  }
  b.movcond(Cond.EQ, r, mag, c(0), c(0), r);
  return r;
}
