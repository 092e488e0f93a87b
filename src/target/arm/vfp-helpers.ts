// The VFPv3 arithmetic helpers: the ARM rules (ARM ARM A2.7 "Floating-point data types and
// arithmetic", the FP* pseudocode functions of appendix "Pseudocode definition") around the IEEE
// core of softfloat.ts:
//  - FPSCR.RMode chooses the rounding; the cumulative flags IOC DZC OFC UFC IXC IDC collect;
//  - tininess is detected before rounding (FPRound), unlike RISC-V;
//  - FZ: denormal operands read as zero (IDC), tiny results become zero (UFC, no IXC);
//  - NaNs: FPProcessNaNs picks the first signalling NaN operand (quietened, IOC), else the first
//    quiet one, in operand order (the addend first for the fused ops); DN gives the default NaN.
// softfloat.ts only sees numbers: NaN operands are settled here on their bit patterns first, and
// a NaN that softfloat returns is an invalid operation's, which is the default NaN.
//
// Calling convention (as the riscv fp-helpers): one i32 argument packs the register numbers and
// the variant (packVfp); the helper reads its operands from the S/D registers in the CPU state,
// writes the result register and ORs the flags into FPSCR. S registers overlay the D registers:
// S[2k] is the low word of D[k], S[2k+1] the high word.
import { Helper, HelperFlags } from '../../tcg/ir.js';
import { DREG, FPSCR } from './cpu-state.js';
import * as sf from '../../fpu/softfloat.js';
import { F32, F64, Fmt, RM } from '../../fpu/softfloat.js';

// FPSCR bits (ARM ARM A2.7.3 / B6.1.6).
export const IOC = 1, DZC = 2, OFC = 4, UFC = 8, IXC = 16, IDC = 128;
export const FPSCR_FZ = 1 << 24;
export const FPSCR_DN = 1 << 25;
export const FPSCR_AHP = 1 << 26;

/** The formats with ARM's tininess rule; binary16 and the alternative half-precision format
 *  (FPSCR.AHP: no infinities or NaNs, exponent 31 is a normal one: A2.7.4). */
const AS: Fmt = { ...F32, tininessBeforeRounding: true };
const AD: Fmt = { ...F64, tininessBeforeRounding: true };
const AH: Fmt = { p: 11, emin: -14, emax: 15, maxFinite: 65504, minNormal: 2 ** -14, tininessBeforeRounding: true };
const AHP: Fmt = { ...AH, emax: 16, maxFinite: 131008 };

/** FPSCR.RMode (RN, RP, RM, RZ) as a softfloat mode. */
const RMODE: RM[] = [RM.RNE, RM.RUP, RM.RDN, RM.RTZ];

/** softfloat's flags (NX=1 UF=2 OF=4 DZ=8 NV=16) as FPSCR bits. */
const FLAG_MAP: number[] = [];
for (let f = 0; f < 32; f++) {
  FLAG_MAP[f] = (f & sf.NX ? IXC : 0) | (f & sf.UF ? UFC : 0) | (f & sf.OF ? OFC : 0) |
    (f & sf.DZ ? DZC : 0) | (f & sf.NV ? IOC : 0);
}

/** Fields of the packed argument: Vd, Vn, Vm as S or D register numbers and a variant. */
export function packVfp(d: number, n: number, m: number, variant = 0): number {
  return d | (n << 5) | (m << 10) | (variant << 15);
}
const VD = (p: number): number => p & 31;
const VN = (p: number): number => (p >>> 5) & 31;
const VM = (p: number): number => (p >>> 10) & 31;
const VAR = (p: number): number => p >>> 15;

/** Variant bits. VCMP: */
export const CMP_E = 1; // VCMPE: any NaN raises IOC
export const CMP_ZERO = 2; // compare with +0.0
/** Integer and fixed-point conversions: */
export const CVT_SIGNED = 1;
export const CVT_RZ = 2; // round toward zero (VCVT) rather than by FPSCR (VCVTR)
export const CVT_HALF = 4; // fixed point: a 16-bit integer
/** The fraction bits of a fixed-point conversion, above the flag bits. */
export const CVT_FBITS_SHIFT = 3;
/** VCVTB / VCVTT: the top half of the S register (VCVTT). */
export const HALF_TOP = 1;

const enum Kind { Num, QNaN, SNaN }

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer); // little-endian host: [lo, hi]

/** One helper call's floating-point context: the FPSCR controls, the flags raised, three operand
 *  slots and a result slot (index 3). A slot holds a number, or a NaN as its bit pattern (hi is
 *  the whole f32 pattern, or the high word of an f64 one). */
class Vfp {
  rm: RM = RM.RNE;
  fz = false;
  dn = false;
  exc = 0;
  readonly kind: Kind[] = [Kind.Num, Kind.Num, Kind.Num, Kind.Num];
  readonly v = [0, 0, 0, 0];
  readonly hi = [0, 0, 0, 0];
  readonly lo = [0, 0, 0, 0];

  constructor(readonly view: DataView) {}

  begin(env: number): void {
    const fpscr = this.view.getInt32(env + FPSCR, true);
    this.rm = RMODE[(fpscr >>> 22) & 3];
    this.fz = (fpscr & FPSCR_FZ) !== 0;
    this.dn = (fpscr & FPSCR_DN) !== 0;
    this.exc = 0;
    sf.takeFlags();
  }
  end(env: number): void {
    if (this.exc !== 0) this.view.setInt32(env + FPSCR, this.view.getInt32(env + FPSCR, true) | this.exc, true);
  }

  sBits(env: number, i: number): number { return this.view.getUint32(env + DREG(0) + i * 4, true); }
  setSBits(env: number, i: number, v: number): void { this.view.setUint32(env + DREG(0) + i * 4, v >>> 0, true); }

  /** FPUnpack of S[i] into slot k (FZ flushes a denormal to zero with IDC). */
  argS(env: number, i: number, k: number): void { this.unpackS(this.sBits(env, i), k); }
  unpackS(bits: number, k: number): void {
    const e = (bits >>> 23) & 0xff;
    const f = bits & 0x7fffff;
    if (e === 0xff && f !== 0) {
      this.kind[k] = (f & 0x400000) !== 0 ? Kind.QNaN : Kind.SNaN;
      this.hi[k] = bits;
      this.v[k] = NaN;
      return;
    }
    this.kind[k] = Kind.Num;
    if (e === 0 && f !== 0 && this.fz) {
      this.exc |= IDC;
      this.v[k] = bits >>> 31 ? -0 : 0;
      return;
    }
    f32Bits[0] = bits;
    this.v[k] = f32[0];
  }
  /** FPUnpack of D[i] into slot k. */
  argD(env: number, i: number, k: number): void {
    const lo = this.view.getUint32(env + DREG(i), true);
    const hi = this.view.getUint32(env + DREG(i) + 4, true);
    const e = (hi >>> 20) & 0x7ff;
    const fracZero = ((hi & 0xfffff) | lo) === 0;
    if (e === 0x7ff && !fracZero) {
      this.kind[k] = (hi & 0x80000) !== 0 ? Kind.QNaN : Kind.SNaN;
      this.hi[k] = hi;
      this.lo[k] = lo;
      this.v[k] = NaN;
      return;
    }
    this.kind[k] = Kind.Num;
    if (e === 0 && !fracZero && this.fz) {
      this.exc |= IDC;
      this.v[k] = hi >>> 31 ? -0 : 0;
      return;
    }
    f64Words[0] = lo;
    f64Words[1] = hi;
    this.v[k] = f64[0];
  }
  arg(env: number, dbl: boolean, i: number, k: number): void {
    if (dbl) this.argD(env, i, k); else this.argS(env, i, k);
  }

  /** FPNeg of slot k: a sign flip, NaNs included. */
  neg(k: number): void {
    if (this.kind[k] === Kind.Num) this.v[k] = -this.v[k];
    else this.hi[k] = (this.hi[k] ^ 0x80000000) >>> 0;
  }
  /** Slot `to` = slot `from`. */
  copy(from: number, to: number): void {
    this.kind[to] = this.kind[from];
    this.v[to] = this.v[from];
    this.hi[to] = this.hi[from];
    this.lo[to] = this.lo[from];
  }

  /** The default NaN as the result (positive, quiet, zero payload). */
  defaultNaN(dbl: boolean): void {
    this.kind[3] = Kind.QNaN;
    this.hi[3] = dbl ? 0x7ff80000 : 0x7fc00000;
    this.lo[3] = 0;
  }
  /** FPProcessNaNs over the operand slots in order (-1: unused): true when a NaN operand decides
   *  the result. */
  nans(dbl: boolean, a: number, b: number, c: number): boolean {
    let pick = -1;
    for (const k of [a, b, c]) if (k >= 0 && this.kind[k] === Kind.SNaN) { pick = k; break; }
    if (pick < 0) for (const k of [a, b, c]) if (k >= 0 && this.kind[k] === Kind.QNaN) { pick = k; break; }
    if (pick < 0) return false;
    if (this.kind[pick] === Kind.SNaN) this.exc |= IOC;
    if (this.dn) {
      this.defaultNaN(dbl);
    } else {
      this.kind[3] = Kind.QNaN;
      this.hi[3] = (this.hi[pick] | (dbl ? 0x80000 : 0x400000)) >>> 0;
      this.lo[3] = this.lo[pick];
    }
    return true;
  }

  /** A value from softfloat as the result: its flags accrue, a NaN is an invalid operation's
   *  (the default NaN), and under FZ a tiny result (UF from the before-rounding test, or an
   *  exact denormal) becomes a zero of its sign with UFC and no IXC (FPRound). */
  result(fmt: Fmt, v: number): void {
    let f = sf.takeFlags();
    if (Number.isNaN(v)) {
      this.defaultNaN(fmt.p === 53);
    } else {
      if (this.fz && ((f & sf.UF) !== 0 || (v !== 0 && Math.abs(v) < fmt.minNormal))) {
        v = v < 0 || Object.is(v, -0) ? -0 : 0;
        f = (f & ~(sf.UF | sf.NX)) | sf.UF;
      }
      this.kind[3] = Kind.Num;
      this.v[3] = v;
    }
    this.exc |= FLAG_MAP[f];
  }

  /** Writes the result slot to S[i] / D[i]. */
  putS(env: number, i: number): void {
    if (this.kind[3] !== Kind.Num) { this.setSBits(env, i, this.hi[3]); return; }
    f32[0] = this.v[3]; // exact: a binary32 value
    this.setSBits(env, i, f32Bits[0]);
  }
  putD(env: number, i: number): void {
    if (this.kind[3] !== Kind.Num) {
      this.view.setUint32(env + DREG(i), this.lo[3], true);
      this.view.setUint32(env + DREG(i) + 4, this.hi[3], true);
      return;
    }
    this.view.setFloat64(env + DREG(i), this.v[3], true);
  }
  put(env: number, dbl: boolean, i: number): void {
    if (dbl) this.putD(env, i); else this.putS(env, i);
  }
}

type Impl = (c: Vfp, env: number, p: number) => void;
type Op2 = (fmt: Fmt, a: number, b: number, rm: RM) => number;

/** The helpers of one precision: names end in _s (S registers) or _d (D registers). */
function precisionHelpers(dbl: boolean): Record<string, Impl> {
  const fmt = dbl ? AD : AS;
  const sfx = dbl ? 'd' : 's';
  /** slot 3 = FPOp(slot a, slot b) with the NaN rules. */
  const op2 = (c: Vfp, f: Op2, a: number, b: number): void => {
    if (!c.nans(dbl, a, b, -1)) c.result(fmt, f(fmt, c.v[a], c.v[b], c.rm));
  };
  const binary = (f: Op2, negate = false): Impl => (c, env, p) => {
    c.arg(env, dbl, VN(p), 0);
    c.arg(env, dbl, VM(p), 1);
    op2(c, f, 0, 1);
    if (negate) c.neg(3);
    c.put(env, dbl, VD(p));
  };
  // VMLA VMLS VNMLA VNMLS (A8.8.337, A8.8.354): the product rounded, then FPAdd(+/-D[d], +/-product).
  const mulAcc = (negProduct: boolean, negAcc: boolean): Impl => (c, env, p) => {
    c.arg(env, dbl, VN(p), 0);
    c.arg(env, dbl, VM(p), 1);
    op2(c, sf.mul, 0, 1);
    c.copy(3, 1);
    if (negProduct) c.neg(1);
    c.arg(env, dbl, VD(p), 0);
    if (negAcc) c.neg(0);
    op2(c, sf.add, 0, 1);
    c.put(env, dbl, VD(p));
  };
  // VFMA VFMS VFNMA VFNMS (A8.8.318): FPMulAdd(+/-D[d], +/-D[n], D[m]), one rounding.
  const fused = (negN: boolean, negAcc: boolean): Impl => (c, env, p) => {
    c.arg(env, dbl, VD(p), 0);
    c.arg(env, dbl, VN(p), 1);
    c.arg(env, dbl, VM(p), 2);
    if (negAcc) c.neg(0);
    if (negN) c.neg(1);
    const infTimesZero = (x: number, y: number): boolean =>
      (Math.abs(c.v[x]) === Infinity && c.v[y] === 0) || (c.v[x] === 0 && Math.abs(c.v[y]) === Infinity);
    if (c.nans(dbl, 0, 1, 2)) {
      // A quiet NaN addend does not hide the invalid inf * 0 (FPMulAdd).
      if (c.kind[0] === Kind.QNaN && infTimesZero(1, 2)) {
        c.defaultNaN(dbl);
        c.exc |= IOC;
      }
    } else {
      c.result(fmt, sf.fma(fmt, c.v[1], c.v[2], c.v[0], c.rm));
    }
    c.put(env, dbl, VD(p));
  };
  return {
    [`vfp_add_${sfx}`]: binary(sf.add),
    [`vfp_sub_${sfx}`]: binary(sf.sub),
    [`vfp_mul_${sfx}`]: binary(sf.mul),
    [`vfp_nmul_${sfx}`]: binary(sf.mul, true),
    [`vfp_div_${sfx}`]: binary(sf.div),
    [`vfp_mla_${sfx}`]: mulAcc(false, false),
    [`vfp_mls_${sfx}`]: mulAcc(true, false),
    [`vfp_nmla_${sfx}`]: mulAcc(true, true),
    [`vfp_nmls_${sfx}`]: mulAcc(false, true),
    [`vfp_fma_${sfx}`]: fused(false, false),
    [`vfp_fms_${sfx}`]: fused(true, false),
    [`vfp_fnma_${sfx}`]: fused(true, true),
    [`vfp_fnms_${sfx}`]: fused(false, true),
    [`vfp_sqrt_${sfx}`]: (c, env, p) => {
      c.arg(env, dbl, VM(p), 0);
      if (!c.nans(dbl, 0, -1, -1)) c.result(fmt, sf.sqrt(fmt, c.v[0], c.rm));
      c.put(env, dbl, VD(p));
    },
    // VCMP / VCMPE (A8.8.310, FPCompare): NZCV in FPSCR[31:28]; unordered is 0011.
    [`vfp_cmp_${sfx}`]: (c, env, p) => {
      c.arg(env, dbl, VD(p), 0);
      if ((VAR(p) & CMP_ZERO) !== 0) { c.kind[1] = Kind.Num; c.v[1] = 0; } else c.arg(env, dbl, VM(p), 1);
      let nzcv: number;
      if (c.kind[0] !== Kind.Num || c.kind[1] !== Kind.Num) {
        nzcv = 0x3;
        if ((VAR(p) & CMP_E) !== 0 || c.kind[0] === Kind.SNaN || c.kind[1] === Kind.SNaN) c.exc |= IOC;
      } else {
        nzcv = c.v[0] === c.v[1] ? 0x6 : c.v[0] < c.v[1] ? 0x8 : 0x2;
      }
      const fpscr = c.view.getInt32(env + FPSCR, true);
      c.view.setInt32(env + FPSCR, (fpscr & 0x0fffffff) | (nzcv << 28), true);
    },
    // VCVT to a 32-bit integer in S[d] (A8.8.306, FPToFixed with no fraction bits): NaN gives 0,
    // out-of-range values saturate, both with IOC only.
    [`vfp_toint_${sfx}`]: (c, env, p) => {
      c.arg(env, dbl, VM(p), 0);
      c.setSBits(env, VD(p), toFixed(c, c.v[0], 0, VAR(p)));
    },
    // VCVT from a 32-bit integer in S[m], rounded by FPSCR (FixedToFP).
    [`vfp_fromint_${sfx}`]: (c, env, p) => {
      const bits = c.sBits(env, VM(p));
      c.result(fmt, sf.fromInt(fmt, (VAR(p) & CVT_SIGNED) !== 0 ? bits | 0 : bits, c.rm));
      c.put(env, dbl, VD(p));
    },
    // VCVT between floating point and fixed point, in place in S[d] / D[d] (A8.8.309): to fixed
    // rounds toward zero and extends the (16- or 32-bit) result to the register's width; from
    // fixed rounds by FPSCR.
    [`vfp_tofix_${sfx}`]: (c, env, p) => {
      const fbits = VAR(p) >>> CVT_FBITS_SHIFT;
      c.arg(env, dbl, VD(p), 0);
      const r = toFixed(c, c.v[0], fbits, VAR(p) | CVT_RZ);
      if (!dbl) { c.setSBits(env, VD(p), r); return; }
      const signed = (VAR(p) & CVT_SIGNED) !== 0;
      c.view.setUint32(env + DREG(VD(p)), r, true);
      c.view.setUint32(env + DREG(VD(p)) + 4, signed && (r | 0) < 0 ? 0xffffffff : 0, true);
    },
    [`vfp_fromfix_${sfx}`]: (c, env, p) => {
      const fbits = VAR(p) >>> CVT_FBITS_SHIFT;
      let x = c.view.getUint32(env + DREG(0) + (dbl ? VD(p) * 8 : VD(p) * 4), true);
      const signed = (VAR(p) & CVT_SIGNED) !== 0;
      if ((VAR(p) & CVT_HALF) !== 0) x = signed ? (x << 16) >> 16 : x & 0xffff;
      else if (signed) x |= 0;
      // Scaling by a power of two after the rounding is exact: |x| * 2^-fbits >= 2^-32 is normal.
      c.result(fmt, sf.fromInt(fmt, x, RM.RNE) * 2 ** -fbits);
      c.put(env, dbl, VD(p));
    },
  };
}

/** FPToFixed (round toward zero when variant has CVT_RZ, else by FPSCR): the 32-bit pattern of
 *  the 16- or 32-bit result. The operand is already unpacked (NaN for a NaN). */
function toFixed(c: Vfp, v: number, fbits: number, variant: number): number {
  const signed = (variant & CVT_SIGNED) !== 0;
  const half = (variant & CVT_HALF) !== 0;
  if (Number.isNaN(v)) {
    c.exc |= IOC;
    return 0;
  }
  sf.takeFlags();
  // Scaling by 2^fbits is exact (or overflows to infinity, which saturates as it should).
  let r = sf.toInt(v * 2 ** fbits, (variant & CVT_RZ) !== 0 ? RM.RTZ : c.rm, 32, signed);
  let f = sf.takeFlags();
  if (half) {
    const max = signed ? 0x7fff : 0xffff;
    const min = signed ? -0x8000 : 0;
    // A 32-bit saturation (NV) is beyond the 16-bit range too, on the side of its sign.
    if ((f & sf.NV) !== 0 || r > max || r < min) {
      r = r > 0 ? max : min;
      f = sf.NV;
    }
    r &= 0xffff;
    if (signed && r & 0x8000) r |= 0xffff0000;
  }
  c.exc |= FLAG_MAP[f];
  return r >>> 0;
}

const IMPLS: Record<string, Impl> = {
  ...precisionHelpers(false),
  ...precisionHelpers(true),
  // VCVT.F64.F32 (FPSingleToDouble): exact; a NaN keeps its sign and payload, quietened.
  vfp_cvt_d_s: (c, env, p) => {
    c.argS(env, VM(p), 0);
    if (c.kind[0] === Kind.Num) {
      c.kind[3] = Kind.Num;
      c.v[3] = c.v[0];
    } else {
      if (c.kind[0] === Kind.SNaN) c.exc |= IOC;
      if (c.dn) c.defaultNaN(true);
      else {
        const b = c.hi[0];
        c.kind[3] = Kind.QNaN;
        c.hi[3] = ((b & 0x80000000) | 0x7ff80000 | ((b & 0x3fffff) >>> 3)) >>> 0;
        c.lo[3] = (b << 29) >>> 0;
      }
    }
    c.putD(env, VD(p));
  },
  // VCVT.F32.F64 (FPDoubleToSingle): rounded by FPSCR; a NaN keeps its sign and the top of its
  // payload, quietened.
  vfp_cvt_s_d: (c, env, p) => {
    c.argD(env, VM(p), 0);
    if (c.kind[0] === Kind.Num) {
      c.result(AS, sf.narrow(AS, c.v[0], c.rm));
    } else {
      if (c.kind[0] === Kind.SNaN) c.exc |= IOC;
      if (c.dn) c.defaultNaN(false);
      else {
        c.kind[3] = Kind.QNaN;
        c.hi[3] = ((c.hi[0] & 0x80000000) | 0x7fc00000 | ((c.hi[0] & 0x7ffff) << 3) | (c.lo[0] >>> 29)) >>> 0;
      }
    }
    c.putS(env, VD(p));
  },
  // VCVTB / VCVTT (A8.8.307): between S[m] and a half of S[d] (variant: HALF_TOP for the top
  // half). Half-precision operands are not flushed (FZ leaves binary16 alone, FPUnpack and
  // FPRound for N = 16); FPSCR.AHP selects the alternative format without infinities and NaNs.
  vfp_cvt_h_s: (c, env, p) => {
    c.argS(env, VM(p), 0);
    const ahp = (c.view.getUint32(env + FPSCR, true) & FPSCR_AHP) !== 0;
    let h: number;
    if (c.kind[0] !== Kind.Num) {
      const sign = (c.hi[0] >>> 16) & 0x8000;
      if (c.kind[0] === Kind.SNaN || ahp) c.exc |= IOC;
      // AHP has no NaN: a zero of the NaN's sign.
      h = ahp ? sign : c.dn ? 0x7e00 : sign | 0x7e00 | ((c.hi[0] >>> 13) & 0x3ff);
    } else if (ahp && Math.abs(c.v[0]) === Infinity) {
      c.exc |= IOC; // no infinity either: the largest value
      h = c.v[0] < 0 ? 0xffff : 0x7fff;
    } else {
      const fmt = ahp ? AHP : AH;
      const v = sf.narrow(fmt, c.v[0], c.rm);
      let f = sf.takeFlags();
      if (ahp && (f & sf.OF) !== 0) {
        // Out of the alternative format's range: the largest value, with IOC only (FPRound).
        h = v < 0 ? 0xffff : 0x7fff;
        f = sf.NV;
      } else {
        h = halfBits(v);
      }
      c.exc |= FLAG_MAP[f];
    }
    const old = c.sBits(env, VD(p));
    c.setSBits(env, VD(p), (VAR(p) & HALF_TOP) !== 0 ? (old & 0xffff) | (h << 16) : (old & 0xffff0000) | h);
  },
  vfp_cvt_s_h: (c, env, p) => {
    const bits = c.sBits(env, VM(p));
    const h = (VAR(p) & HALF_TOP) !== 0 ? bits >>> 16 : bits & 0xffff;
    const sign = h & 0x8000;
    const e = (h >>> 10) & 0x1f;
    const frac = h & 0x3ff;
    const ahp = (c.view.getUint32(env + FPSCR, true) & FPSCR_AHP) !== 0;
    if (e === 31 && !ahp && frac !== 0) {
      if ((frac & 0x200) === 0) c.exc |= IOC;
      c.kind[3] = Kind.QNaN;
      c.hi[3] = c.dn ? 0x7fc00000 : ((sign << 16) | 0x7fc00000 | (frac << 13)) >>> 0;
    } else {
      const mag = e === 31 && !ahp ? Infinity : e === 0 ? frac * 2 ** -24 : (1024 + frac) * 2 ** (e - 25);
      c.kind[3] = Kind.Num;
      c.v[3] = sign ? -mag : mag;
    }
    c.putS(env, VD(p));
  },
};

/** The binary16 pattern of a value of the format (or +-infinity); exponent 31 is AHP's. */
function halfBits(v: number): number {
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | (a * 2 ** 24); // denormal or zero
  f64[0] = a;
  const e = ((f64Words[1] >>> 20) & 0x7ff) - 1023;
  return sign | ((e + 15) << 10) | ((a * 2 ** -e - 1) * 1024);
}

/** The VFP helpers over the CPU states in `view` (the guest memory's DataView). */
export function makeVfpHelpers(view: DataView): Helper[] {
  const c = new Vfp(view);
  const exact = (impl: Impl) => (env: number, p: number): void => {
    c.begin(env);
    impl(c, env, p);
    c.end(env);
  };
  const fast = fastHelpers(view, (name) => exact(IMPLS[name]));
  return Object.entries(IMPLS).map(([name, impl]) => ({
    name,
    args: ['i32'],
    ret: null,
    flags: HelperFlags.ReadsGlobals | HelperFlags.WritesGlobals,
    fn: fast[name] ?? exact(impl),
  }));
}

// ---- fast paths ---------------------------------------------------------------------------------
//
// The arithmetic and VCMP have inline fast paths in the translated code (vfp-extensions.ts); the
// conversions have these, in the helpers. For ordinary operands they raise nothing, or only IXC,
// so without FZ (which flushes denormal operands, with IDC) the host's conversion is the exact
// answer when the operand is not a NaN and the result fits. A NaN read through the typed arrays
// (signalling or not) fails the x === x tests into the exact path.

/** The FPSCR controls and IXC: the narrowing fast path needs exactly IXC among them. */
const FAST_MASK = IXC | FPSCR_FZ | FPSCR_DN | (3 << 22);
const MIN_NORMAL_S = 2 ** -126;

function fastHelpers(view: DataView, exact: (name: string) => (env: number, p: number) => void): Record<string, (env: number, p: number) => void> {
  // Lengths by division: the guest memory is 4 GiB, whose byte length does not fit a shift.
  const fd = new Float64Array(view.buffer, view.byteOffset, Math.floor(view.byteLength / 8));
  const fs = new Float32Array(view.buffer, view.byteOffset, Math.floor(view.byteLength / 4));
  const i32 = new Int32Array(view.buffer, view.byteOffset, Math.floor(view.byteLength / 4));
  const ready = (env: number): boolean => (i32[(env + FPSCR) >>> 2] & FAST_MASK) === IXC;
  const D0 = DREG(0) >>> 3;
  const S0 = DREG(0) >>> 2;
  const fr = Math.fround;
  const out: Record<string, (env: number, p: number) => void> = {};
  const noFz = (env: number): boolean => (i32[(env + FPSCR) >>> 2] & FPSCR_FZ) === 0;
  const toInt = (double: boolean) => {
    const slow = exact(`vfp_toint_${double ? 'd' : 's'}`);
    return (env: number, p: number): void => {
      if (noFz(env) && (VAR(p) & CVT_RZ) !== 0) {
        const x = double ? fd[(env >>> 3) + D0 + VM(p)] : fs[(env >>> 2) + S0 + VM(p)];
        const t = Math.trunc(x);
        const signed = (VAR(p) & CVT_SIGNED) !== 0;
        if (signed ? t >= -0x80000000 && t <= 0x7fffffff : t >= 0 && t <= 0xffffffff) {
          i32[(env >>> 2) + S0 + VD(p)] = t;
          if (t !== x) i32[(env + FPSCR) >>> 2] |= IXC;
          return;
        }
      }
      slow(env, p);
    };
  };
  const slowCvtDS = exact('vfp_cvt_d_s'), slowCvtSD = exact('vfp_cvt_s_d');
  const slowFromIntS = exact('vfp_fromint_s');
  out.vfp_toint_d = toInt(true);
  out.vfp_toint_s = toInt(false);
  out.vfp_cvt_d_s = (env, p) => {
    const x = fs[(env >>> 2) + S0 + VM(p)];
    if (noFz(env) && x === x) fd[(env >>> 3) + D0 + VD(p)] = x; else slowCvtDS(env, p);
  };
  // Exact (no flag) whenever the value survives Math.fround; otherwise as the arithmetic.
  out.vfp_cvt_s_d = (env, p) => {
    const x = fd[(env >>> 3) + D0 + VM(p)];
    const r = fr(x);
    if (noFz(env) && (r === x || (ready(env) && Math.abs(r) > MIN_NORMAL_S && Math.abs(r) < Infinity))) {
      fs[(env >>> 2) + S0 + VD(p)] = r;
    } else {
      slowCvtSD(env, p);
    }
  };
  // A 32-bit integer is exact in binary64, and in binary32 up to 2^24.
  out.vfp_fromint_d = (env, p) => {
    const bits = i32[(env >>> 2) + S0 + VM(p)];
    fd[(env >>> 3) + D0 + VD(p)] = (VAR(p) & CVT_SIGNED) !== 0 ? bits : bits >>> 0;
  };
  out.vfp_fromint_s = (env, p) => {
    const bits = i32[(env >>> 2) + S0 + VM(p)];
    const x = (VAR(p) & CVT_SIGNED) !== 0 ? bits : bits >>> 0;
    if (Math.abs(x) <= 0x1000000) fs[(env >>> 2) + S0 + VD(p)] = x; else slowFromIntS(env, p);
  };
  return out;
}
