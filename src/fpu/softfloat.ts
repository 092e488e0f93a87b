// IEEE-754 binary32/binary64 arithmetic with the five RISC-V rounding modes and exact exception
// flags (RISC-V unprivileged ISA, chapter 11 "F" and 12 "D"; IEEE 754-2008).
//
// Values are JS doubles: every binary32 value is exactly a double, so one representation serves
// both formats, and the format only says where the result is rounded. NaN inputs are just NaN
// here: whether an operand was signalling is a property of its bit pattern, which the bit-level
// layer (fp-helpers.ts) checks itself (every operation that takes a sNaN raises NV). A NaN result
// means "the canonical NaN" of the format.
//
// Two paths compute each operation:
//  - the exact path: operands decomposed into integer significands (BigInt), the exact result
//    (or enough quotient/root bits plus a sticky bit) rounded once by roundPack;
//  - a fast path for the common case (finite operands, a normal result well inside the range):
//    the native double operation (correctly rounded to nearest) plus the sign of its error term,
//    from which every rounding mode and the inexact flag follow without BigInt.

export const enum RM { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4 }

// fflags bits (RISC-V unprivileged ISA, 11.2 "Floating-Point Control and Status Register").
export const NV = 16;
export const DZ = 8;
export const OF = 4;
export const UF = 2;
export const NX = 1;

export interface Fmt {
  p: number; emin: number; emax: number; maxFinite: number; minNormal: number;
  /** Detect tininess before rounding (ARM's choice) rather than after (RISC-V's, 11.2): a format
   *  object with this set gives ARM's UF; the operations otherwise tell formats apart by p. */
  tininessBeforeRounding?: boolean;
}
export const F32: Fmt = { p: 24, emin: -126, emax: 127, maxFinite: 3.4028234663852886e38, minNormal: 2 ** -126 };
export const F64: Fmt = { p: 53, emin: -1022, emax: 1023, maxFinite: Number.MAX_VALUE, minNormal: 2 ** -1022 };

/** Flags raised since the last takeFlags(). */
let flags = 0;
export function takeFlags(): number {
  const f = flags;
  flags = 0;
  return f;
}
export function raiseFlags(f: number): void { flags |= f; }

// ---- exact path -------------------------------------------------------------------------------

const scratch = new Float64Array(1);
const scratchBits = new BigUint64Array(scratch.buffer);
const scratchWords = new Uint32Array(scratch.buffer); // little-endian host: [lo, hi]

/** A finite nonzero double as (-1)^neg * sig * 2^exp. */
interface Exact { neg: boolean; sig: bigint; exp: number }

function decompose(x: number): Exact {
  scratch[0] = x;
  const b = scratchBits[0];
  const e = Number((b >> 52n) & 0x7ffn);
  const f = b & 0xfffffffffffffn;
  const neg = b >> 63n === 1n;
  return e === 0 ? { neg, sig: f, exp: -1074 } : { neg, sig: f | (1n << 52n), exp: e - 1075 };
}

function bitLen(x: bigint): number {
  return x.toString(2).length;
}

/** x * 2^k, exact whenever the result is representable (the scaling is split so no
 *  intermediate step overflows or underflows). */
function ldexp(x: number, k: number): number {
  while (k > 1000) { x *= 2 ** 1000; k -= 1000; }
  while (k < -1000) { x *= 2 ** -1000; k += 1000; }
  return x * 2 ** k;
}

/** Rounds sig to drop its `shift` low bits by mode; returns the kept integer and whether bits
 *  were lost. */
function roundBits(sig: bigint, shift: number, neg: boolean, rm: RM): { q: bigint; inexact: boolean } {
  if (shift <= 0) return { q: sig << BigInt(-shift), inexact: false };
  const s = BigInt(shift);
  let q = sig >> s;
  const rem = sig - (q << s);
  if (rem === 0n) return { q, inexact: false };
  const half = 1n << (s - 1n);
  let up: boolean;
  switch (rm) {
    case RM.RNE: up = rem > half || (rem === half && (q & 1n) === 1n); break;
    case RM.RTZ: up = false; break;
    case RM.RDN: up = neg; break;
    case RM.RUP: up = !neg; break;
    default: up = rem >= half; // RMM
  }
  if (up) q += 1n;
  return { q, inexact: true };
}

/** The value of an overflowed result: infinity, or the largest finite number when the mode
 *  rounds toward zero on that side (IEEE 754 7.4). */
function overflowValue(fmt: Fmt, neg: boolean, rm: RM): number {
  const toMax = rm === RM.RTZ || (rm === RM.RDN && !neg) || (rm === RM.RUP && neg);
  const m = toMax ? fmt.maxFinite : Infinity;
  return neg ? -m : m;
}

/** Rounds (-1)^neg * sig * 2^exp (sig > 0; its lowest bit may be a sticky bit as long as it lies
 *  at least two bits below the rounding position) to the format. Tininess is detected after
 *  rounding, as RISC-V requires (11.2), or before rounding for a format that says so. */
function roundPack(fmt: Fmt, neg: boolean, sig: bigint, exp: number, rm: RM): number {
  const n = bitLen(sig);
  const { p, emin, emax } = fmt;
  // Tiny: below the normal range once rounded as if the exponent range were unbounded, or
  // (tininessBeforeRounding) the exact value itself below it.
  const tiny = fmt.tininessBeforeRounding
    ? n - 1 + exp < emin
    : bitLen(roundBits(sig, n - p, neg, rm).q) - 1 + exp + n - p < emin;
  const shift = Math.max(n - p, emin - p + 1 - exp);
  const { q, inexact } = roundBits(sig, shift, neg, rm);
  if (q !== 0n && bitLen(q) - 1 + exp + shift > emax) {
    flags |= OF | NX;
    return overflowValue(fmt, neg, rm);
  }
  if (inexact) flags |= tiny ? UF | NX : NX;
  const v = ldexp(Number(q), exp + shift);
  return neg ? -v : v;
}

/** The signed zero of an exact zero sum (IEEE 754 6.3): -0 only when rounding down. */
const zeroSum = (rm: RM): number => (rm === RM.RDN ? -0 : 0);

/** Exact sum of two exact values, rounded. */
function addExact(fmt: Fmt, x: Exact, y: Exact, rm: RM): number {
  const e = Math.min(x.exp, y.exp);
  const sx = x.sig << BigInt(x.exp - e);
  const sy = y.sig << BigInt(y.exp - e);
  const sum = (x.neg ? -sx : sx) + (y.neg ? -sy : sy);
  if (sum === 0n) return zeroSum(rm);
  return roundPack(fmt, sum < 0n, sum < 0n ? -sum : sum, e, rm);
}

// ---- fast path ----------------------------------------------------------------------------------

// Dekker's splitting and exact product (for |x|, |y| in the safe range below).
const SPLIT = 134217729; // 2^27 + 1
function twoProductErr(x: number, y: number, p: number): number {
  let t = SPLIT * x;
  const xh = t - (t - x);
  const xl = x - xh;
  t = SPLIT * y;
  const yh = t - (t - y);
  const yl = y - yh;
  return ((xh * yh - p) + xh * yl + xl * yh) + xl * yl;
}

/** The operands of the fast path stay in [2^-400, 2^400]: products and their error terms
 *  neither overflow nor underflow there. */
const safe = (x: number): boolean => {
  const a = Math.abs(x);
  return a >= 2 ** -400 && a <= 2 ** 400;
};

function nextUp(x: number): number {
  // x is finite and nonzero on the fast path: step its magnitude up (x > 0) or down by one.
  scratch[0] = x;
  if (x > 0) {
    scratchWords[0] = (scratchWords[0] + 1) >>> 0;
    if (scratchWords[0] === 0) scratchWords[1]++;
  } else {
    if (scratchWords[0] === 0) scratchWords[1]--;
    scratchWords[0] = (scratchWords[0] - 1) >>> 0;
  }
  return scratch[0];
}
function nextDown(x: number): number { return -nextUp(-x); }

/** Rounds the exact value r + err (r: a double nearest to it, err: the exact error term, or
 *  anything of its sign when `tieFree`) to the format. r must be a normal number inside the
 *  format's range with a margin; returns undefined when the exact path must decide. */
function roundFast(fmt: Fmt, r: number, err: number, rm: RM): number | undefined {
  if (fmt.p === F64.p) {
    if (err === 0) return r;
    flags |= NX;
    // RNE already gave r; RMM differs only on an exact tie, which the error term shows.
    switch (rm) {
      case RM.RNE: return r;
      case RM.RTZ: return (err > 0) === (r > 0) ? r : r > 0 ? nextDown(r) : nextUp(r);
      case RM.RDN: return err > 0 ? r : nextDown(r);
      case RM.RUP: return err < 0 ? r : nextUp(r);
      default: return undefined;
    }
  }
  // Binary32: r + err is rounded to 24 bits; r is exact or lies strictly between f32 values.
  // Other formats (binary16) take the exact path.
  if (fmt.p !== F32.p) return undefined;
  const c = Math.fround(r);
  const a = Math.abs(c);
  if (!(a >= F32.minNormal * 2 && a <= F32.maxFinite / 2)) return undefined;
  if (c === r && err === 0) return c;
  flags |= NX;
  // Where the exact value lies relative to c: above (1) or below (-1).
  const side = c !== r ? (r > c ? 1 : -1) : err > 0 ? 1 : -1;
  switch (rm) {
    case RM.RNE: return c === r || !isF32Tie(r, c) ? c : undefined;
    case RM.RTZ: return (side > 0) === (c > 0) ? c : stepF32(c, side);
    case RM.RDN: return side > 0 ? c : stepF32(c, -1);
    case RM.RUP: return side < 0 ? c : stepF32(c, 1);
    default: return isF32Tie(r, c) ? undefined : c;
  }
}
/** Is r exactly halfway between c and its f32 neighbour on r's side? */
function isF32Tie(r: number, c: number): boolean {
  const o = stepF32(c, r > c ? 1 : -1);
  return r - c === o - r;
}
/** The unbiased exponent of a normal double. */
function exponentOf(x: number): number {
  scratch[0] = x;
  return ((scratchWords[1] >>> 20) & 0x7ff) - 1023;
}
/** The f32 neighbour of c (normal, well inside the range) in direction dir. */
function stepF32(c: number, dir: number): number {
  const e = exponentOf(c);
  const u = 2 ** (e - 23);
  // Going toward zero from a power of two, the spacing halves.
  const down = (dir < 0) === (c > 0);
  return c + dir * (down && Math.abs(c) === 2 ** e ? u / 2 : u);
}

// ---- operations ---------------------------------------------------------------------------------

export function add(fmt: Fmt, a: number, b: number, rm: RM): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === Infinity || a === -Infinity) {
    if (b === -a) { flags |= NV; return NaN; }
    return a;
  }
  if (b === Infinity || b === -Infinity) return b;
  if (a === 0 && b === 0) return Object.is(a, b) ? a : zeroSum(rm);
  if (a === 0) return b;
  if (b === 0) return a;
  const r = a + b;
  if (Math.abs(r) >= 2 ** -1000 && Math.abs(r) <= 2 ** 1000 && Math.abs(a) <= 2 ** 1000 && Math.abs(b) <= 2 ** 1000) {
    // TwoSum (Knuth): the exact error of the rounded sum.
    const bv = r - a;
    const err = (a - (r - bv)) + (b - bv);
    const v = roundFast(fmt, r, err, rm);
    if (v !== undefined) return v;
  }
  return addExact(fmt, decompose(a), decompose(b), rm);
}

export function sub(fmt: Fmt, a: number, b: number, rm: RM): number {
  return add(fmt, a, -b, rm);
}

export function mul(fmt: Fmt, a: number, b: number, rm: RM): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  const neg = (a < 0 || Object.is(a, -0)) !== (b < 0 || Object.is(b, -0));
  const infA = !Number.isFinite(a);
  const infB = !Number.isFinite(b);
  if (infA || infB) {
    if (a === 0 || b === 0) { flags |= NV; return NaN; }
    return neg ? -Infinity : Infinity;
  }
  if (a === 0 || b === 0) return neg ? -0 : 0;
  if (safe(a) && safe(b)) {
    const r = a * b;
    const v = roundFast(fmt, r, twoProductErr(a, b, r), rm);
    if (v !== undefined) return v;
  }
  const x = decompose(a);
  const y = decompose(b);
  return roundPack(fmt, neg, x.sig * y.sig, x.exp + y.exp, rm);
}

export function div(fmt: Fmt, a: number, b: number, rm: RM): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  const neg = (a < 0 || Object.is(a, -0)) !== (b < 0 || Object.is(b, -0));
  const infA = !Number.isFinite(a);
  const infB = !Number.isFinite(b);
  if ((infA && infB) || (a === 0 && b === 0)) { flags |= NV; return NaN; }
  if (infA) return neg ? -Infinity : Infinity;
  if (infB || a === 0) return neg ? -0 : 0;
  if (b === 0) { flags |= DZ; return neg ? -Infinity : Infinity; }
  if (safe(a) && safe(b)) {
    const r = a / b;
    // Sign of the exact quotient minus r: the sign of a - r*b (computed exactly). A quotient is
    // never exactly halfway between two doubles, so the sign is all rounding needs.
    const rb = r * b;
    const resid = (a - rb) - twoProductErr(r, b, rb);
    const v = roundFast(fmt, r, b > 0 ? resid : -resid, rm);
    if (v !== undefined) return v;
  }
  const x = decompose(a);
  const y = decompose(b);
  // Enough quotient bits for p + 2 significant ones, then a sticky bit for the remainder.
  const k = fmt.p + 3 + Math.max(0, bitLen(y.sig) - bitLen(x.sig));
  const num = x.sig << BigInt(k);
  const q = num / y.sig;
  const sticky = num - q * y.sig !== 0n ? 1n : 0n;
  return roundPack(fmt, neg, (q << 1n) | sticky, x.exp - y.exp - k - 1, rm);
}

function isqrt(n: bigint): bigint {
  let r = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (r * r > n) r -= 1n;
  while ((r + 1n) * (r + 1n) <= n) r += 1n;
  return r;
}

export function sqrt(fmt: Fmt, a: number, rm: RM): number {
  if (Number.isNaN(a)) return NaN;
  if (a === 0 || a === Infinity) return a;
  if (a < 0) { flags |= NV; return NaN; }
  if (safe(a)) {
    const r = Math.sqrt(a);
    const rr = r * r;
    // Sign of sqrt(a) - r is the sign of a - r*r; a root is never exactly halfway either.
    const v = roundFast(fmt, r, (a - rr) - twoProductErr(r, r, rr), rm);
    if (v !== undefined) return v;
  }
  const x = decompose(a);
  // Scale so the radicand has an even exponent and at least 2(p+3) bits.
  let k = 2 * (fmt.p + 3) - bitLen(x.sig);
  if (k < 0) k = 0;
  if ((x.exp - k) % 2 !== 0) k++;
  const n = x.sig << BigInt(k);
  const r = isqrt(n);
  const sticky = r * r !== n ? 1n : 0n;
  return roundPack(fmt, false, (r << 1n) | sticky, (x.exp - k) / 2 - 1, rm);
}

/** Whether the last fmaNearestRaw result was inexact. */
let fmaInexact = false;
export const fmaWasInexact = (): boolean => fmaInexact;

/** Round-to-nearest binary64 fma without BigInt (Boldo and Melquiond, "Emulation of FMA and
 *  correctly rounded sums: proved algorithms using rounding to odd", IEEE TC 2008): the exact
 *  product uh + ul, then c + uh = th + tl exactly, then RN(th + RO(tl + ul)). For a, b in
 *  [2^-400, 2^400] and |c| <= 2^1000 no step overflows and the product's error term is exact.
 *  NaN when the result is zero or outside [2^-1000, 2^1000] in magnitude, where the exact path
 *  must decide the flags; no flags are touched (fmaWasInexact tells NX). */
export function fmaNearestRaw(a: number, b: number, c: number): number {
  const uh = a * b;
  const ul = twoProductErr(a, b, uh);
  const th = c + uh;
  let bv = th - c;
  const tl = (c - (th - bv)) + (uh - bv);
  // Round to odd: an inexact sum is moved to the odd neighbour on the side of the exact value.
  let v = tl + ul;
  bv = v - tl;
  const ve = (tl - (v - bv)) + (ul - bv);
  if (ve !== 0) {
    scratch[0] = v;
    if ((scratchWords[0] & 1) === 0) v = ve > 0 ? nextUp(v) : nextDown(v);
  }
  const r = th + v;
  if (!(Math.abs(r) >= 2 ** -1000 && Math.abs(r) <= 2 ** 1000)) return NaN;
  bv = r - th;
  fmaInexact = ve !== 0 || (th - (r - bv)) + (v - bv) !== 0;
  return r;
}

/** a*b + c with a single rounding (the sign handling of fmsub/fnmadd is the caller's: it negates
 *  operands, which is exact). inf*0 raises NV even when c is a quiet NaN, as RISC-V does. */
export function fma(fmt: Fmt, a: number, b: number, c: number, rm: RM): number {
  const infZero = (!Number.isFinite(a) && !Number.isNaN(a) && b === 0) || (!Number.isFinite(b) && !Number.isNaN(b) && a === 0);
  if (infZero) { flags |= NV; return NaN; }
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c)) return NaN;
  const pneg = (a < 0 || Object.is(a, -0)) !== (b < 0 || Object.is(b, -0));
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    const p = pneg ? -Infinity : Infinity;
    if (c === -p) { flags |= NV; return NaN; }
    return p;
  }
  if (!Number.isFinite(c)) return c;
  if (a === 0 || b === 0) {
    const pz = pneg ? -0 : 0;
    if (c === 0) return Object.is(pz, c) ? c : zeroSum(rm);
    return c;
  }
  if (fmt.p === F32.p && safe(a) && safe(b) && (c === 0 || safe(c))) {
    // A binary32 product is exact in a double (24 + 24 bits), so TwoSum of it and c gives the
    // exact result as r + err, which roundFast rounds once.
    const p = a * b;
    const r = p + c;
    const bv = r - p;
    const v = r === 0 ? undefined : roundFast(fmt, r, (p - (r - bv)) + (c - bv), rm);
    if (v !== undefined) return v;
  }
  if (fmt.p === F64.p && rm === RM.RNE && safe(a) && safe(b) && safe(c)) {
    const v = fmaNearestRaw(a, b, c);
    if (!Number.isNaN(v)) {
      if (fmaInexact) flags |= NX;
      return v;
    }
  }
  const x = decompose(a);
  const y = decompose(b);
  const prod: Exact = { neg: pneg, sig: x.sig * y.sig, exp: x.exp + y.exp };
  if (c === 0) return roundPack(fmt, pneg, prod.sig, prod.exp, rm);
  return addExact(fmt, prod, decompose(c), rm);
}

/** Rounds a binary64 value to binary32 (fcvt.s.d). */
export function f64ToF32(a: number, rm: RM): number { return narrow(F32, a, rm); }

/** Rounds a binary64 value to a narrower format (binary32, or binary16 given as a Fmt). */
export function narrow(fmt: Fmt, a: number, rm: RM): number {
  if (Number.isNaN(a) || a === 0 || !Number.isFinite(a)) return a;
  const v = roundFast(fmt, a, 0, rm);
  if (v !== undefined) return v;
  const x = decompose(a);
  return roundPack(fmt, x.neg, x.sig, x.exp, rm);
}

/** Rounds the integer v (exact, |v| < 2^53) to the format (fcvt.s.w, fcvt.d.l...). */
export function fromInt(fmt: Fmt, v: number, rm: RM): number {
  if (Math.abs(v) < 2 ** fmt.p) return v; // exact (and +0 for 0, as the spec wants)
  return fromBigInt(fmt, BigInt(v), rm);
}
/** Same for 64-bit integers beyond 2^53. */
export function fromBigInt(fmt: Fmt, v: bigint, rm: RM): number {
  if (v === 0n) return 0;
  return roundPack(fmt, v < 0n, v < 0n ? -v : v, 0, rm);
}

/** Rounds a to an integer by mode (the value stays a double: integers this large are exact). */
function roundToInt(a: number, rm: RM): number {
  if (Math.abs(a) >= 2 ** 52) return a;
  const t = Math.trunc(a);
  if (t === a) return a;
  const frac = Math.abs(a - t); // exact
  const away = a < 0 ? t - 1 : t + 1;
  switch (rm) {
    case RM.RNE: return frac > 0.5 || (frac === 0.5 && t % 2 !== 0) ? away : t;
    case RM.RTZ: return t;
    case RM.RDN: return a < 0 ? away : t;
    case RM.RUP: return a > 0 ? away : t;
    default: return frac >= 0.5 ? away : t;
  }
}

/** fcvt to a 32/64-bit signed/unsigned integer with RISC-V's saturation (11.7, table 11.4):
 *  NaN and +inf give the maximum, -inf the minimum, out-of-range values the nearest limit, all
 *  with NV. Returns the integer as a double; the signed 64-bit maximum (2^63-1, not a double)
 *  and the unsigned 64-bit one (2^64-1) are returned as Infinity. */
export function toInt(a: number, rm: RM, width: 32 | 64, signed: boolean): number {
  const limit = signed ? 2 ** (width - 1) : 2 ** width; // first value out of range
  const min = signed ? -limit : 0;
  const maxOut = width === 64 ? Infinity : limit - 1;
  if (Number.isNaN(a)) { flags |= NV; return maxOut; }
  const r = roundToInt(a, rm);
  if (r >= limit) { flags |= NV; return maxOut; }
  if (r < min) { flags |= NV; return min; }
  if (r !== a) flags |= NX;
  return r === 0 ? 0 : r;
}

/** feq: quiet comparison (a qNaN raises nothing; sNaN is the caller's). */
export function eq(a: number, b: number): boolean { return a === b; }
/** flt/fle: signalling comparisons, any NaN raises NV. */
export function lt(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) { flags |= NV; return false; }
  return a < b;
}
export function le(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) { flags |= NV; return false; }
  return a <= b;
}

/** fmin/fmax (2.2 semantics, 11.6): a NaN operand yields the other, -0 < +0. */
export function minMax(a: number, b: number, isMax: boolean): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  if (a === b) return isMax ? (Object.is(a, -0) ? b : a) : (Object.is(a, -0) ? a : b);
  return (a < b) !== isMax ? a : b;
}
