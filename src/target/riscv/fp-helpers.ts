// The helpers the F/D translators call: the bit-level side of floating point (NaN-boxing,
// signalling-NaN detection, canonical NaNs, register access) around the value arithmetic of
// softfloat.ts.
//
// Calling convention, chosen for the wasm/JS boundary (i64 values would cross as BigInt): every
// helper takes one i32, the instruction's operand fields packed by packOperands (register numbers
// and the rm field), reads its operands from the FP/integer registers in the CPU state, writes
// its result register itself (an integer result goes to x[rd], never x0) and ORs the exception
// flags into FFLAGS. So every helper is declared ReadsGlobals|WritesGlobals and returns nothing.
// rm = 7 (dynamic) reads FRM; the translator has already checked that it holds a valid mode.
import { Helper, HelperFlags } from '../../tcg/ir.js';
import { FFLAGS, FREG, FRM, XREG } from './cpu-state.js';
import * as sf from '../../fpu/softfloat.js';
import { F32, F64, Fmt, NV, NX, RM } from '../../fpu/softfloat.js';

/** Packs the operand fields of an instruction into a helper's single i32 argument. */
export function packOperands(a: { rd: number; rs1: number; rs2: number; rs3: number; rm: number }): number {
  return a.rd | (a.rs1 << 5) | (a.rs2 << 10) | (a.rs3 << 15) | (a.rm << 20);
}
const RD = (p: number): number => p & 31;
const RS1 = (p: number): number => (p >>> 5) & 31;
const RS2 = (p: number): number => (p >>> 10) & 31;
const RS3 = (p: number): number => (p >>> 15) & 31;

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

/** Register access for one vCPU state in `view`; operands that are signalling NaNs raise NV as
 *  they are read (every arithmetic operation signals on a sNaN input, 11.3). */
class FpRegs {
  constructor(readonly view: DataView) {}

  rm(env: number, p: number): RM {
    const rm = (p >>> 20) & 7;
    return rm === 7 ? (this.view.getInt32(env + FRM, true) as RM) : (rm as RM);
  }

  /** f[i] as binary64. */
  d(env: number, i: number): number {
    const off = env + FREG(i);
    const hi = this.view.getUint32(off + 4, true);
    if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) | this.view.getUint32(off, true)) !== 0) {
      if ((hi & 0x80000) === 0) sf.raiseFlags(NV);
      return NaN;
    }
    return this.view.getFloat64(off, true);
  }
  /** f[i] as binary32: a value not NaN-boxed reads as the canonical NaN (11.2). */
  s(env: number, i: number): number {
    const off = env + FREG(i);
    if (this.view.getUint32(off + 4, true) !== 0xffffffff) return NaN;
    const bits = this.view.getUint32(off, true);
    if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) {
      if ((bits & 0x400000) === 0) sf.raiseFlags(NV);
      return NaN;
    }
    f32Bits[0] = bits;
    return f32[0];
  }
  setD(env: number, i: number, v: number): void {
    const off = env + FREG(i);
    if (Number.isNaN(v)) {
      this.view.setUint32(off, 0, true);
      this.view.setUint32(off + 4, 0x7ff80000, true); // canonical NaN
    } else {
      this.view.setFloat64(off, v, true);
    }
  }
  setS(env: number, i: number, v: number): void {
    const off = env + FREG(i);
    let bits = 0x7fc00000; // canonical NaN
    if (!Number.isNaN(v)) {
      f32[0] = v; // exact: v is a binary32 value
      bits = f32Bits[0];
    }
    this.view.setUint32(off, bits, true);
    this.view.setUint32(off + 4, 0xffffffff, true); // NaN-boxed
  }

  /** x[i] as a double when |x| < 2^53, else as a BigInt (rare: only the rounding of very large
   *  integers needs it). */
  x(env: number, i: number, signed: boolean): number | bigint {
    const lo = this.view.getUint32(env + XREG(i), true);
    const hi = signed ? this.view.getInt32(env + XREG(i) + 4, true) : this.view.getUint32(env + XREG(i) + 4, true);
    if (hi >= -0x200000 && hi < 0x200000) return hi * 4294967296 + lo;
    return signed ? this.view.getBigInt64(env + XREG(i), true) : this.view.getBigUint64(env + XREG(i), true);
  }
  /** The low 32 bits of x[i] (fcvt.s.w and fcvt.s.wu ignore the upper half). */
  x32(env: number, i: number, signed: boolean): number {
    return signed ? this.view.getInt32(env + XREG(i), true) : this.view.getUint32(env + XREG(i), true);
  }
  /** Writes the integer v (a double holding an exact integer in [-2^63, 2^64)) to x[i]. */
  setX(env: number, i: number, v: number): void {
    if (i === 0) return;
    const hi = Math.floor(v / 4294967296);
    this.view.setUint32(env + XREG(i), v - hi * 4294967296, true);
    this.view.setUint32(env + XREG(i) + 4, hi >>> 0, true);
  }
  setXBits(env: number, i: number, hi: number, lo: number): void {
    if (i === 0) return;
    this.view.setUint32(env + XREG(i), lo >>> 0, true);
    this.view.setUint32(env + XREG(i) + 4, hi >>> 0, true);
  }

  /** ORs the flags raised by the operation into FFLAGS. */
  accrue(env: number): void {
    const f = sf.takeFlags();
    if (f !== 0) this.view.setInt32(env + FFLAGS, this.view.getInt32(env + FFLAGS, true) | f, true);
  }
}

/** fclass bit (11.9, table 11.5) from the sign, whether the exponent is all zeros / all ones,
 *  whether the fraction is zero, and its top bit. */
function classify(neg: boolean, expZero: boolean, expOnes: boolean, fracZero: boolean, quiet: boolean): number {
  let bit: number;
  if (expOnes) bit = !fracZero ? (quiet ? 9 : 8) : neg ? 0 : 7;
  else if (expZero) bit = fracZero ? (neg ? 3 : 4) : neg ? 2 : 5;
  else bit = neg ? 1 : 6;
  return 1 << bit;
}

type Impl = (r: FpRegs, env: number, p: number) => void;

/** The helpers of one format: the same operations over binary32 (s) and binary64 (d). */
function formatHelpers(sfx: 's' | 'd', fmt: Fmt): Record<string, Impl> {
  const get = sfx === 's' ? (r: FpRegs, env: number, i: number) => r.s(env, i) : (r: FpRegs, env: number, i: number) => r.d(env, i);
  const set = sfx === 's'
    ? (r: FpRegs, env: number, i: number, v: number) => r.setS(env, i, v)
    : (r: FpRegs, env: number, i: number, v: number) => r.setD(env, i, v);
  const binop = (f: (fmt: Fmt, a: number, b: number, rm: RM) => number): Impl => (r, env, p) =>
    set(r, env, RD(p), f(fmt, get(r, env, RS1(p)), get(r, env, RS2(p)), r.rm(env, p)));
  // fmsub/fnmsub/fnmadd negate the product and/or the addend before the single rounding (11.6).
  const fma = (negProd: boolean, negAdd: boolean): Impl => (r, env, p) => {
    const a = get(r, env, RS1(p));
    const b = get(r, env, RS2(p));
    const c = get(r, env, RS3(p));
    set(r, env, RD(p), sf.fma(fmt, negProd ? -a : a, b, negAdd ? -c : c, r.rm(env, p)));
  };
  const cmp = (f: (a: number, b: number) => boolean): Impl => (r, env, p) =>
    r.setX(env, RD(p), f(get(r, env, RS1(p)), get(r, env, RS2(p))) ? 1 : 0);
  const toInt = (width: 32 | 64, signed: boolean): Impl => (r, env, p) => {
    const v = sf.toInt(get(r, env, RS1(p)), r.rm(env, p), width, signed);
    if (v === Infinity) r.setXBits(env, RD(p), signed ? 0x7fffffff : 0xffffffff, 0xffffffff);
    else r.setX(env, RD(p), width === 32 ? v | 0 : v); // 32-bit results are sign-extended (11.7)
  };
  const fromInt = (width: 32 | 64, signed: boolean): Impl => (r, env, p) => {
    const x = width === 32 ? r.x32(env, RS1(p), signed) : r.x(env, RS1(p), signed);
    const rm = r.rm(env, p);
    set(r, env, RD(p), typeof x === 'number' ? sf.fromInt(fmt, x, rm) : sf.fromBigInt(fmt, x, rm));
  };
  return {
    [`fadd_${sfx}`]: binop(sf.add),
    [`fsub_${sfx}`]: binop(sf.sub),
    [`fmul_${sfx}`]: binop(sf.mul),
    [`fdiv_${sfx}`]: binop(sf.div),
    [`fsqrt_${sfx}`]: (r, env, p) => set(r, env, RD(p), sf.sqrt(fmt, get(r, env, RS1(p)), r.rm(env, p))),
    [`fmadd_${sfx}`]: fma(false, false),
    [`fmsub_${sfx}`]: fma(false, true),
    [`fnmsub_${sfx}`]: fma(true, false),
    [`fnmadd_${sfx}`]: fma(true, true),
    [`fmin_${sfx}`]: (r, env, p) => set(r, env, RD(p), sf.minMax(get(r, env, RS1(p)), get(r, env, RS2(p)), false)),
    [`fmax_${sfx}`]: (r, env, p) => set(r, env, RD(p), sf.minMax(get(r, env, RS1(p)), get(r, env, RS2(p)), true)),
    [`feq_${sfx}`]: cmp(sf.eq),
    [`flt_${sfx}`]: cmp(sf.lt),
    [`fle_${sfx}`]: cmp(sf.le),
    [`fcvt_w_${sfx}`]: toInt(32, true),
    [`fcvt_wu_${sfx}`]: toInt(32, false),
    [`fcvt_l_${sfx}`]: toInt(64, true),
    [`fcvt_lu_${sfx}`]: toInt(64, false),
    [`fcvt_${sfx}_w`]: fromInt(32, true),
    [`fcvt_${sfx}_wu`]: fromInt(32, false),
    [`fcvt_${sfx}_l`]: fromInt(64, true),
    [`fcvt_${sfx}_lu`]: fromInt(64, false),
  };
}

const IMPLS: Record<string, Impl> = {
  ...formatHelpers('s', F32),
  ...formatHelpers('d', F64),
  fcvt_s_d: (r, env, p) => r.setS(env, RD(p), sf.f64ToF32(r.d(env, RS1(p)), r.rm(env, p))),
  fcvt_d_s: (r, env, p) => r.setD(env, RD(p), r.s(env, RS1(p))), // exact; NaN -> canonical
  // fclass reads raw bits: it distinguishes sNaN from qNaN and raises nothing.
  fclass_s: (r, env, p) => {
    const off = env + FREG(RS1(p));
    const boxed = r.view.getUint32(off + 4, true) === 0xffffffff;
    const b = boxed ? r.view.getUint32(off, true) : 0x7fc00000;
    const e = (b >>> 23) & 0xff;
    r.setX(env, RD(p), classify(b >>> 31 === 1, e === 0, e === 0xff, (b & 0x7fffff) === 0, (b & 0x400000) !== 0));
  },
  fclass_d: (r, env, p) => {
    const off = env + FREG(RS1(p));
    const hi = r.view.getUint32(off + 4, true);
    const lo = r.view.getUint32(off, true);
    const e = (hi >>> 20) & 0x7ff;
    r.setX(env, RD(p), classify(hi >>> 31 === 1, e === 0, e === 0x7ff, ((hi & 0xfffff) | lo) === 0, (hi & 0x80000) !== 0));
  },
};

/** The FP helpers over the CPU states in `view` (the guest memory's DataView). */
export function makeFpHelpers(view: DataView): Helper[] {
  const regs = new FpRegs(view);
  const exact = (impl: Impl) => (env: number, p: number): void => {
    impl(regs, env, p);
    regs.accrue(env);
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
// Programs rarely clear FFLAGS, so after their first inexact operation NX stays set, and under
// round-to-nearest-even the host's own double arithmetic is then the exact answer whenever the
// operands and the result are ordinary numbers: no flag other than NX can arise (no NaN or
// infinity in, so no NV or DZ; a finite result, so no OF; a normal one, so no UF), and NX is
// already there. Each fast helper checks exactly that and otherwise runs the exact path. Only
// the fused multiply-adds have one: the other arithmetic has the same check inline in the
// translated code (rvf.ts, inline-fp.ts), which leaves the helper the cases this would refuse,
// while the inline fma declines some (close cancellations) that fmaNearestRaw handles.
//
// Each helper is its own function literal (not a closure made by a shared factory) so that V8
// sees one target at each call site inside it and inlines the register accesses; registers are
// read through typed arrays indexed by env / 8 (state areas are 8-byte aligned).

const RM_FIELD = 7 << 20;
const RM_DYN = 7 << 20;
/** Index of f0 in a Float64Array whose element 0 is at env. */
const F0 = FREG(0) >>> 3;

/** RNE a*b + c for the fast path (NX already set, so only the value matters): softfloat's
 *  BigInt-free core, NaN where the exact path must decide. */
const fmaRne = sf.fmaNearestRaw;
const fmaSafe = (x: number): boolean => {
  const m = Math.abs(x);
  return m >= 2 ** -400 && m <= 2 ** 400;
};

function fastHelpers(view: DataView, exact: (name: string) => (env: number, p: number) => void): Record<string, (env: number, p: number) => void> {
  // Lengths by division: the guest memory is 4 GiB, whose byte length does not fit a shift.
  const f64 = new Float64Array(view.buffer, view.byteOffset, Math.floor(view.byteLength / 8));
  const i32 = new Int32Array(view.buffer, view.byteOffset, Math.floor(view.byteLength / 4));
  /** NX already accrued and the instruction rounds to nearest even. */
  const nearestNx = (env: number, p: number): boolean =>
    (i32[(env + FFLAGS) >>> 2] & NX) !== 0 &&
    ((p & RM_FIELD) === 0 || ((p & RM_FIELD) === RM_DYN && i32[(env + FRM) >>> 2] === RM.RNE));
  const fmaddD = exact('fmadd_d'), fmsubD = exact('fmsub_d'), fnmsubD = exact('fnmsub_d'), fnmaddD = exact('fnmadd_d');
  /** fma fast path: the operands (already negated as the instruction wants) and the result. */
  const fmaFast = (b: number, p: number, x: number, y: number, z: number): boolean => {
    if (!(fmaSafe(x) && fmaSafe(y) && Math.abs(z) <= 2 ** 1000)) return false;
    const r = fmaRne(x, y, z);
    if (r !== r) return false;
    f64[b + F0 + RD(p)] = r;
    return true;
  };
  return {
    // fmsub/fnmsub/fnmadd negate the product and/or the addend before the single rounding (11.6).
    fmadd_d: (env, p) => {
      const b = env >>> 3;
      if (!nearestNx(env, p) || !fmaFast(b, p, f64[b + F0 + RS1(p)], f64[b + F0 + RS2(p)], f64[b + F0 + RS3(p)])) fmaddD(env, p);
    },
    fmsub_d: (env, p) => {
      const b = env >>> 3;
      if (!nearestNx(env, p) || !fmaFast(b, p, f64[b + F0 + RS1(p)], f64[b + F0 + RS2(p)], -f64[b + F0 + RS3(p)])) fmsubD(env, p);
    },
    fnmsub_d: (env, p) => {
      const b = env >>> 3;
      if (!nearestNx(env, p) || !fmaFast(b, p, -f64[b + F0 + RS1(p)], f64[b + F0 + RS2(p)], f64[b + F0 + RS3(p)])) fnmsubD(env, p);
    },
    fnmadd_d: (env, p) => {
      const b = env >>> 3;
      if (!nearestNx(env, p) || !fmaFast(b, p, -f64[b + F0 + RS1(p)], f64[b + F0 + RS2(p)], -f64[b + F0 + RS3(p)])) fnmaddD(env, p);
    },
  };
}
