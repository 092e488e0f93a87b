// The F extension (RISC-V unprivileged ISA, chapter 11), and the per-format patterns and
// translators it shares with D (chapter 12: the same instructions with fmt = 01).
// Arithmetic goes through the helpers of fp-helpers.ts; loads, stores, moves and sign injection
// are plain bit operations done in IR.
import { Cond, Opc } from '../../tcg/ir.js';
import { IRBuilder } from '../../tcg/ir-builder.js';
import { FFLAGS, FRM } from './cpu-state.js';
import { Args, Pattern, TransFn } from './decode.js';
import { DisasContext } from './disas-context.js';
import { packOperands } from './fp-helpers.js';

const OP_FP = 0x53;
const BOX = 0xffffffff00000000n; // the upper half of a NaN-boxed binary32 (11.2)
const BOXED_CANONICAL_NAN = 0xffffffff7fc00000n;

/** An OP-FP pattern: funct7 (fmt in its low two bits), plus an optionally fixed rs2 / funct3. */
export function opFp(name: string, funct7: number, fixed: { rs2?: number; funct3?: number }, trans: TransFn): Pattern {
  let mask = 0xfe00007f;
  let match = (funct7 << 25) | OP_FP;
  if (fixed.rs2 !== undefined) { mask |= 0x1f << 20; match |= fixed.rs2 << 20; }
  if (fixed.funct3 !== undefined) { mask |= 7 << 12; match |= fixed.funct3 << 12; }
  return { name, mask: mask >>> 0, match: match >>> 0, format: 'R', trans };
}

/** Checks the rounding mode: 5 and 6 are reserved (illegal at translation); 7 (dynamic) is
 *  checked in IR against FRM, whose values 5..7 are illegal too (11.2). Done in IR rather than by
 *  a raising helper so helpers stay free of exceptions. */
function checkRm(s: DisasContext, rm: number): boolean {
  if (rm === 5 || rm === 6) return false;
  if (rm === 7) {
    const ok = s.b.label();
    s.b.brcond(Cond.LTU, s.b.global('i32', FRM, 'frm'), s.b.c32(5), ok);
    s.illegal();
    s.ended = false; // a conditional raise: translation goes on along the ok path
    s.b.setLabel(ok);
  }
  return true;
}

/** An instruction done by the helper of the same name (dots become underscores). */
export function helperInsn(name: string, usesRm: boolean): TransFn {
  const helper = name.replace(/\./g, '_');
  return (s, a) => {
    if (usesRm && !checkRm(s, a.rm)) return false;
    s.b.call(s.helper(helper), null, s.b.c32(packOperands(a)));
    return true;
  };
}

/** Branches to `slow` unless the instruction rounds to nearest even and FFLAGS already holds NX:
 *  the state in which a result that is normal and finite can raise no new flag, so an inline
 *  path needs no flag logic (programs rarely clear NX once an inexact operation has set it).
 *  False when the static rm is not RNE (no inline path then). */
function guardNearestNx(s: DisasContext, rm: number, slow: number): boolean {
  if (rm !== 0 && rm !== 7) return false;
  const b = s.b;
  const nx = b.temp('i32');
  b.and(nx, b.global('i32', FFLAGS, 'fflags'), b.c32(1));
  b.brcond(Cond.EQ, nx, b.c32(0), slow);
  if (rm === 7) b.brcond(Cond.NE, b.global('i32', FRM, 'frm'), b.c32(0), slow);
  return true;
}

/** The biased exponent of the binary64 pattern `v`, after a branch to `slow` unless it is in
 *  [1, 0x7fe] (a normal, finite number): the precondition of every inline fast path here. */
function normalExponent(b: IRBuilder, v: number, slow: number): number {
  const e = b.temp('i64'), chk = b.temp('i64');
  b.shr(e, v, b.c64(52));
  b.and(e, e, b.c64(0x7ff));
  b.addi(chk, e, -1);
  b.brcond(Cond.GEU, chk, b.c64(0x7fe), slow);
  return e;
}

/** fmul.d: an inline round-to-nearest-even multiply of two normal numbers in integer IR (the
 *  53x53-bit significand product, then one rounding), taken when guardNearestNx holds and the
 *  result is a normal number clear of both ends of the range; every other case calls the helper.
 *  The exact product must already be normal (below 2^emin it is tiny even when it rounds up to
 *  the smallest normal: UF, 11.2), and below 2^emax so rounding cannot overflow. */
function fmulD(s: DisasContext, a: Args): boolean {
  if (!checkRm(s, a.rm)) return false;
  const b = s.b;
  const slow = b.label();
  const done = b.label();
  const callHelper = (): void => { b.call(s.helper('fmul_d'), null, b.c32(packOperands(a))); };
  if (!guardNearestNx(s, a.rm, slow)) { callHelper(); return true; }
  const x = s.fpr(a.rs1);
  const y = s.fpr(a.rs2);
  const t = (): number => b.temp('i64');
  const ex = normalExponent(b, x, slow), ey = normalExponent(b, y, slow);
  const chk = t();
  // Significands with the implicit bit at bit 63; their product is in [2^126, 2^128).
  const mx = t(), my = t(), hi = t(), lo = t();
  b.shl(mx, x, b.c64(11));
  b.or(mx, mx, b.c64(1n << 63n));
  b.shl(my, y, b.c64(11));
  b.or(my, my, b.c64(1n << 63n));
  b.binop(Opc.MulHU, hi, mx, my);
  b.binop(Opc.Mul, lo, mx, my);
  // n = 1 when the product reached 2^127 (the significand product is >= 2); otherwise shift the
  // 128-bit product left by one so its leading bit is bit 63 of hi.
  const n = t(), sh = t(), carry = t(), ez = t();
  b.shr(n, hi, b.c64(63));
  b.xor(sh, n, b.c64(1));
  b.add(ez, ex, ey);
  b.add(ez, ez, n);
  b.addi(ez, ez, -1023); // the result's biased exponent before rounding
  b.addi(chk, ez, -1);
  b.brcond(Cond.GEU, chk, b.c64(0x7fd), slow); // ez in [1, 0x7fd]
  b.shr(carry, lo, b.c64(63));
  b.and(carry, carry, sh);
  b.shl(hi, hi, sh);
  b.or(hi, hi, carry);
  b.shl(lo, lo, sh);
  // 53 kept bits; the 11 below them (doubled, with a sticky bit for lo) decide the rounding:
  // up when above half, or at half with the kept value odd.
  const m = t(), r = t(), sticky = t(), up = t();
  b.shr(m, hi, b.c64(11));
  b.and(r, hi, b.c64(0x7ff));
  b.shl(r, r, b.c64(1));
  b.setcond(Cond.NE, sticky, lo, b.c64(0));
  b.or(r, r, sticky);
  b.and(up, m, b.c64(1));
  b.add(r, r, up);
  b.setcond(Cond.GTU, up, r, b.c64(0x800));
  b.add(m, m, up);
  // (ez - 1) << 52 plus a significand that still carries its implicit bit: a round-up to 2^53
  // carries into the exponent, as it should.
  const res = t(), sign = t();
  b.addi(ez, ez, -1);
  b.shl(res, ez, b.c64(52));
  b.add(res, res, m);
  b.xor(sign, x, y);
  b.and(sign, sign, b.c64(1n << 63n));
  b.or(res, res, sign);
  b.mov(s.fpr(a.rd), res);
  b.br(done);
  b.setLabel(slow);
  callHelper();
  b.setLabel(done);
  return true;
}

/** fadd.d / fsub.d: the inline counterpart of fmulD for sums of two normal numbers. The smaller
 *  magnitude's significand is aligned with a sticky bit ORed into bit 0 ("jamming"); the larger
 *  one's low ten bits are zero, so an inexact sum or difference always comes out odd and can
 *  never pass for a tie or cross a rounding boundary, whatever the later normalising shift.
 *  An exact zero, and results outside the normal range with a margin, take the helper. */
function faddD(sub: boolean): TransFn {
  const name = sub ? 'fsub_d' : 'fadd_d';
  return (s, a) => {
    if (!checkRm(s, a.rm)) return false;
    const b = s.b;
    const slow = b.label();
    const done = b.label();
    const callHelper = (): void => { b.call(s.helper(name), null, b.c32(packOperands(a))); };
    if (!guardNearestNx(s, a.rm, slow)) { callHelper(); return true; }
    const t = (): number => b.temp('i64');
    const x = s.fpr(a.rs1);
    let y = s.fpr(a.rs2);
    if (sub) {
      const ny = t();
      b.xor(ny, y, b.c64(1n << 63n));
      y = ny;
    }
    // big: the operand of larger magnitude (its sign is the result's), small: the other.
    const magX = t(), magY = t(), big = t(), small = t();
    b.and(magX, x, b.c64(~(1n << 63n)));
    b.and(magY, y, b.c64(~(1n << 63n)));
    b.movcond(Cond.GEU, big, magX, magY, x, y);
    b.movcond(Cond.GEU, small, magX, magY, y, x);
    const eb = normalExponent(b, big, slow), es = normalExponent(b, small, slow);
    const chk = t();
    // Significands with the implicit bit at bit 62 (bit 63 takes a carry).
    const mb = t(), ms = t();
    b.shl(mb, big, b.c64(11));
    b.or(mb, mb, b.c64(1n << 63n));
    b.shr(mb, mb, b.c64(1));
    b.shl(ms, small, b.c64(11));
    b.or(ms, ms, b.c64(1n << 63n));
    b.shr(ms, ms, b.c64(1));
    // Align: shift right by the exponent difference (at most 63, which leaves only the sticky bit).
    const d = t(), lost = t(), sticky = t();
    b.sub(d, eb, es);
    b.movcond(Cond.GTU, d, d, b.c64(63), b.c64(63), d);
    b.shl(lost, b.c64(1), d);
    b.addi(lost, lost, -1);
    b.and(lost, lost, ms);
    b.setcond(Cond.NE, sticky, lost, b.c64(0));
    b.shr(ms, ms, d);
    b.or(ms, ms, sticky);
    // Add the magnitudes, or subtract them when the signs differ (big's is at least small's).
    const sum = t(), dif = t(), signs = t();
    b.add(sum, mb, ms);
    b.sub(dif, mb, ms);
    b.xor(signs, big, small);
    b.movcond(Cond.LT, sum, signs, b.c64(0), dif, sum);
    b.brcond(Cond.EQ, sum, b.c64(0), slow);
    // Normalise to a leading bit 63: the exponent is eb + 1 - lz.
    const lz = t(), ez = t();
    b.unop(Opc.Clz, lz, sum);
    b.shl(sum, sum, lz);
    b.addi(ez, eb, 1);
    b.sub(ez, ez, lz);
    b.addi(chk, ez, -1);
    b.brcond(Cond.GEU, chk, b.c64(0x7fd), slow); // ez in [1, 0x7fd]
    // Round the 53 kept bits by the 11 below: up above half, or at half with the kept value odd.
    const m = t(), r = t(), up = t();
    b.shr(m, sum, b.c64(11));
    b.and(r, sum, b.c64(0x7ff));
    b.and(up, m, b.c64(1));
    b.add(r, r, up);
    b.setcond(Cond.GTU, up, r, b.c64(0x400));
    b.add(m, m, up);
    const res = t(), sign = t();
    b.addi(ez, ez, -1);
    b.shl(res, ez, b.c64(52));
    b.add(res, res, m); // a round-up to 2^53 carries into the exponent
    b.and(sign, big, b.c64(1n << 63n));
    b.or(res, res, sign);
    b.mov(s.fpr(a.rd), res);
    b.br(done);
    b.setLabel(slow);
    callHelper();
    b.setLabel(done);
    return true;
  };
}

/** fmadd.d and its negated forms (negProd: -(a*b), negAdd: -c; 11.6) inline, as fmulD and
 *  faddD: the exact 106-bit product and the addend as 128-bit values (hi, lo temps) with their
 *  leading bit at bit 125, the one with the smaller exponent shifted right with a sticky bit
 *  jammed into bit 0, then one addition or subtraction and one rounding. Both values have at
 *  least 20 zero low bits before the jam, so an inexact sum is odd and rounds as the exact one
 *  (see faddD). A subtraction whose exponents differ by less than two may cancel many leading
 *  bits: it takes the helper, as do non-normal operands and results near the range ends. */
function fmaD(name: string, negProd: boolean, negAdd: boolean): TransFn {
  return (s, a) => {
    if (!checkRm(s, a.rm)) return false;
    const b = s.b;
    const slow = b.label();
    const done = b.label();
    const callHelper = (): void => { b.call(s.helper(name), null, b.c32(packOperands(a))); };
    if (!guardNearestNx(s, a.rm, slow)) { callHelper(); return true; }
    const t = (): number => b.temp('i64');
    const c = (v: bigint | number): number => b.c64(v);
    const SIGN = 1n << 63n;
    const x = s.fpr(a.rs1), y = s.fpr(a.rs2), z = s.fpr(a.rs3);
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
    // A subtraction of values less than 2 binades apart: the helper.
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
    // Round as fmulD does: 53 kept bits, 11 below, and rl as a sticky bit.
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
    const res = t();
    b.addi(ez, ez, -1);
    b.shl(res, ez, c(52));
    b.add(res, res, m);
    b.or(res, res, sBig);
    b.mov(s.fpr(a.rd), res);
    b.br(done);
    b.setLabel(slow);
    callHelper();
    b.setLabel(done);
    return true;
  };
}

/** feq.d / flt.d / fle.d inline when neither operand is a NaN (then no flag can arise): the
 *  patterns mapped to integers whose signed order is the numeric one (a negative value's
 *  magnitude negated, so -0 and +0 both map to 0). NaN operands take the helper (NV rules). */
function compareD(name: string, cond: Cond): TransFn {
  return (s, a) => {
    const b = s.b;
    const slow = b.label();
    const done = b.label();
    const keys: number[] = [];
    for (const v of [s.fpr(a.rs1), s.fpr(a.rs2)]) {
      const mag = b.temp('i64');
      const neg = b.temp('i64');
      const key = b.temp('i64');
      b.and(mag, v, b.c64(~(1n << 63n)));
      b.brcond(Cond.GTU, mag, b.c64(0x7ff0000000000000n), slow);
      b.unop(Opc.Neg, neg, mag);
      b.movcond(Cond.LT, key, v, b.c64(0), neg, mag);
      keys.push(key);
    }
    const r = b.temp('i64');
    b.setcond(cond, r, keys[0], keys[1]);
    s.setGpr(a.rd, r);
    b.br(done);
    b.setLabel(slow);
    b.call(s.helper(name), null, b.c32(packOperands(a)));
    b.setLabel(done);
    return true;
  };
}

/** f[i] read as a binary32 pattern: the boxed canonical NaN unless properly NaN-boxed. */
function unboxed(s: DisasContext, i: number): number {
  const t = s.b.temp('i64');
  const f = s.fpr(i);
  s.b.movcond(Cond.GEU, t, f, s.b.c64(BOX), f, s.b.c64(BOXED_CANONICAL_NAN));
  return t;
}

/** fsgnj (kind 0), fsgnjn (1), fsgnjx (2) (11.6): the sign bit from rs2, the rest from rs1. */
function signInject(kind: 0 | 1 | 2, single: boolean): TransFn {
  return (s, a) => {
    const b = s.b;
    const x = single ? unboxed(s, a.rs1) : s.fpr(a.rs1);
    const y = single ? unboxed(s, a.rs2) : s.fpr(a.rs2);
    const sign = single ? 0x80000000n : 0x8000000000000000n;
    const t = b.temp('i64');
    if (kind === 1) b.unop(Opc.Not, t, y);
    else b.mov(t, y);
    b.and(t, t, b.c64(sign));
    if (kind === 2) {
      b.xor(t, x, t);
    } else {
      const rest = b.temp('i64');
      b.and(rest, x, b.c64(~sign));
      b.or(t, rest, t);
    }
    b.mov(s.fpr(a.rd), t);
    return true;
  };
}

/** flw/fld: the loaded pattern, NaN-boxed when 4 bytes. */
export function fpLoad(size: 4 | 8): TransFn {
  return (s, a) => {
    const t = s.b.temp('i64');
    s.b.ld(t, s.gpr(a.rs1), a.imm, { size, signed: false });
    if (size === 4) s.b.or(t, t, s.b.c64(BOX));
    s.b.mov(s.fpr(a.rd), t);
    return true;
  };
}
/** fsw/fsd: the low `size` bytes of the register, whatever they hold. */
export function fpStore(size: 4 | 8): TransFn {
  return (s, a) => {
    s.b.st(s.fpr(a.rs2), s.gpr(a.rs1), a.imm, size);
    return true;
  };
}

/** The patterns F and D share, for format `fmt` (0 = S, 1 = D; suffix 's' or 'd'). */
export function formatPatterns(fmt: 0 | 1): Pattern[] {
  const x = fmt === 0 ? 's' : 'd';
  const h = helperInsn;
  const r4 = (name: string, opcode: number): Pattern => {
    const neg = [0x43, 0x47, 0x4b, 0x4f].indexOf(opcode); // fmadd, fmsub, fnmsub, fnmadd
    const trans = fmt === 1 ? fmaD(name.replace('.', '_'), neg >= 2, neg === 1 || neg === 3) : h(name, true);
    return { name, mask: 0x0600007f, match: (fmt << 25) | opcode, format: 'R4', trans };
  };
  const ints = ['w', 'wu', 'l', 'lu'];
  return [
    opFp(`fadd.${x}`, 0x00 | fmt, {}, fmt === 1 ? faddD(false) : h(`fadd.${x}`, true)),
    opFp(`fsub.${x}`, 0x04 | fmt, {}, fmt === 1 ? faddD(true) : h(`fsub.${x}`, true)),
    opFp(`fmul.${x}`, 0x08 | fmt, {}, fmt === 1 ? fmulD : h(`fmul.${x}`, true)),
    opFp(`fdiv.${x}`, 0x0c | fmt, {}, h(`fdiv.${x}`, true)),
    opFp(`fsqrt.${x}`, 0x2c | fmt, { rs2: 0 }, h(`fsqrt.${x}`, true)),
    opFp(`fsgnj.${x}`, 0x10 | fmt, { funct3: 0 }, signInject(0, fmt === 0)),
    opFp(`fsgnjn.${x}`, 0x10 | fmt, { funct3: 1 }, signInject(1, fmt === 0)),
    opFp(`fsgnjx.${x}`, 0x10 | fmt, { funct3: 2 }, signInject(2, fmt === 0)),
    opFp(`fmin.${x}`, 0x14 | fmt, { funct3: 0 }, h(`fmin.${x}`, false)),
    opFp(`fmax.${x}`, 0x14 | fmt, { funct3: 1 }, h(`fmax.${x}`, false)),
    opFp(`fle.${x}`, 0x50 | fmt, { funct3: 0 }, fmt === 1 ? compareD('fle_d', Cond.LE) : h(`fle.${x}`, false)),
    opFp(`flt.${x}`, 0x50 | fmt, { funct3: 1 }, fmt === 1 ? compareD('flt_d', Cond.LT) : h(`flt.${x}`, false)),
    opFp(`feq.${x}`, 0x50 | fmt, { funct3: 2 }, fmt === 1 ? compareD('feq_d', Cond.EQ) : h(`feq.${x}`, false)),
    opFp(`fclass.${x}`, 0x70 | fmt, { rs2: 0, funct3: 1 }, h(`fclass.${x}`, false)),
    ...ints.map((i, rs2) => opFp(`fcvt.${i}.${x}`, 0x60 | fmt, { rs2 }, h(`fcvt.${i}.${x}`, true))),
    ...ints.map((i, rs2) => opFp(`fcvt.${x}.${i}`, 0x68 | fmt, { rs2 }, h(`fcvt.${x}.${i}`, true))),
    r4(`fmadd.${x}`, 0x43),
    r4(`fmsub.${x}`, 0x47),
    r4(`fnmsub.${x}`, 0x4b),
    r4(`fnmadd.${x}`, 0x4f),
  ];
}

/** An fmv between register files (funct3 0, rs2 0). */
export function fmvPattern(name: string, funct7: number, trans: TransFn): Pattern {
  return opFp(name, funct7, { rs2: 0, funct3: 0 }, trans);
}

export const RVF: Pattern[] = [
  { name: 'flw', mask: 0x707f, match: 0x2007, format: 'I', trans: fpLoad(4) },
  { name: 'fsw', mask: 0x707f, match: 0x2027, format: 'S', trans: fpStore(4) },
  ...formatPatterns(0),
  // fmv.x.w sign-extends the low 32 bits; fmv.w.x NaN-boxes them (11.8).
  fmvPattern('fmv.x.w', 0x70, (s, a) => {
    const t = s.b.temp('i64');
    s.b.unop(Opc.Ext32S, t, s.fpr(a.rs1));
    s.setGpr(a.rd, t);
    return true;
  }),
  fmvPattern('fmv.w.x', 0x78, (s, a) => {
    const t = s.b.temp('i64');
    s.b.unop(Opc.Ext32U, t, s.gpr(a.rs1));
    s.b.or(t, t, s.b.c64(BOX));
    s.b.mov(s.fpr(a.rd), t);
    return true;
  }),
];
