// VFPv3 and Advanced SIMD as the frontend sees them: their decode tables and the registration
// of their helpers. The tables are searched after the integer ones:
//   VFP_A32_PATTERNS        A32 with a condition (cond != 1111; the block loop applies it)
//   VFP_A32_UNCOND_PATTERNS A32 with cond = 1111 (the Advanced SIMD data-processing and
//                           element/structure load/store spaces, A7.4 / A7.7)
//   VFP_T32_PATTERNS        32-bit Thumb encodings (IT blocks apply the condition)
// The VFP encodings (ARM ARM A7.5 data processing, A7.6 extension register load/store, A7.8 and
// A7.9 core register transfers) are written once, without the condition: A32 puts the condition
// in front, T32 the fixed 1110 (T32's coprocessor space is A32's with cond = 1110).
//
// Field letters: z = sz (1: double precision); d/D, n/N, m/M = Vd/D, Vn/N, Vm/M (an S register is
// Vx:X, a D register X:Vx); r = Rn; t, u = Rt, Rt2.
// Arithmetic, comparisons and conversions call the helpers of vfp-helpers.ts, after the inline
// fast paths of inline-fp.ts where there are some; moves, loads and stores, VABS, VNEG and the
// FPSCR transfers are bit operations in IR on the registers' words.
import { HelperRegistry } from '../../tcg/frontend.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { Cond, Opc } from '../../tcg/ir.js';
import { FloatOp, fastArith, fusedMulAddF64, int32ToF64, negated, orderedKey } from '../../fpu/inline-fp.js';
import { ArmPattern, ArmTrans, Fields, pat } from './decode.js';
import type { ArmDisasContext } from './disas-context.js';
import { MOP } from './arm-ops.js';
import { DREG, FPSCR } from './cpu-state.js';
import {
  CMP_E, CMP_ZERO, CVT_FBITS_SHIFT, CVT_HALF, CVT_RZ, CVT_SIGNED, FPSCR_FZ, HALF_TOP, IXC, makeVfpHelpers,
  packVfp,
} from './vfp-helpers.js';

/** The FPSCR bits that hold what they are written (the trap enables read as zero: qemu-arm and
 *  VFPv3 cores without trapping). */
const FPSCR_WRITABLE = 0xffff009f;

// --- registers as i32 words of the state ------------------------------------------------------

/** The word of S[i] (S registers overlay D0-D15: S[2k] is the low word of D[k]). */
const word = (s: ArmDisasContext, w: number): number =>
  s.b.global('i32', DREG(0) + w * 4, w < 32 ? `s${w}` : `d${w >> 1}${w & 1 ? 'hi' : 'lo'}`);
const sReg = (v: number, x: number): number => (v << 1) | x;
const dReg = (v: number, x: number): number => (x << 4) | v;
/** The register a field pair names: D:Vd for double precision, Vd:D for single. */
const vreg = (f: Fields, v: string, x: string): number => (f.z ? dReg(f[v], f[x]) : sReg(f[v], f[x]));
/** The words of a register: one for S, lo and hi for D. */
const words = (s: ArmDisasContext, dbl: boolean, r: number): number[] =>
  dbl ? [word(s, 2 * r), word(s, 2 * r + 1)] : [word(s, r)];
const fpscr = (s: ArmDisasContext): number => s.b.global('i32', FPSCR, 'fpscr');

// --- data processing ----------------------------------------------------------------------------

const call = (s: ArmDisasContext, name: string, p: number): boolean => {
  s.b.call(s.helper(name), null, s.b.c32(p));
  return true;
};
const sfx = (f: Fields): string => (f.z ? 'd' : 's');

/** Register r as one temp: an S register's word, or a D register's two words as an i64. */
function value(s: ArmDisasContext, dbl: boolean, r: number): number {
  const ws = words(s, dbl, r);
  if (!dbl) return ws[0];
  const b = s.b;
  const lo = b.temp('i64'), hi = b.temp('i64');
  b.unop(Opc.ExtUI32I64, lo, ws[0]);
  b.unop(Opc.ExtUI32I64, hi, ws[1]);
  b.shl(hi, hi, b.c64(32));
  b.or(lo, lo, hi);
  return lo;
}
function setValue(s: ArmDisasContext, dbl: boolean, r: number, v: number): void {
  const ws = words(s, dbl, r);
  if (!dbl) { s.b.mov(ws[0], v); return; }
  const hi = s.b.temp('i64');
  s.b.shr(hi, v, s.b.c64(32));
  s.b.unop(Opc.TruncI64I32, ws[0], v);
  s.b.unop(Opc.TruncI64I32, ws[1], hi);
}

/** The FPSCR bits the arithmetic fast paths need to be exactly IXC: round to nearest (RMode 00),
 *  no flush-to-zero (FZ's rules for denormal operands and results are the helpers'), and IXC
 *  already set (the one flag the fast paths cannot tell apart). DN needs no test: every NaN
 *  result takes the helper. */
const FAST_FPSCR = IXC | FPSCR_FZ | (3 << 22);

/** An instruction with an inline fast path: `fast` reads its operands, branches to `slow` for
 *  the cases it leaves to the helper, and returns the result for Vd. `guard` is the FPSCR mask
 *  that must read as `want` for the fast path to run. */
const withFastPath = (helper: (f: Fields) => [string, number], guard: number, want: number,
  fast: (s: ArmDisasContext, f: Fields, slow: number) => void): ArmTrans => (s, f) => {
  const b = s.b;
  const slow = b.label(), done = b.label();
  const t = s.tmp();
  s.opi(Opc.And, t, fpscr(s), guard);
  b.brcond(Cond.NE, t, b.c32(want), slow);
  fast(s, f, slow);
  b.br(done);
  b.setLabel(slow);
  call(s, ...helper(f));
  b.setLabel(done);
  return true;
};

/** The three-register helper vfp_<op>_<s|d> and its packed operands. */
const arithHelper = (op: string) => (f: Fields): [string, number] =>
  [`vfp_${op}_${sfx(f)}`, packVfp(vreg(f, 'd', 'D'), vreg(f, 'n', 'N'), vreg(f, 'm', 'M'))];

/** VADD VSUB VMUL VNMUL VDIV: Vd = [-](Vn OP Vm), the host's arithmetic when it is exact. */
const arith = (op: string, fop: FloatOp, negate = false): ArmTrans =>
  withFastPath(arithHelper(op), FAST_FPSCR, IXC, (s, f, slow) => {
    const dbl = f.z === 1;
    const r = fastArith(s.b, fop, value(s, dbl, vreg(f, 'n', 'N')), value(s, dbl, vreg(f, 'm', 'M')), slow);
    setValue(s, dbl, vreg(f, 'd', 'D'), negate ? negated(s.b, r) : r);
  });

/** VMLA VMLS VNMLA VNMLS (A8.8.337, A8.8.354): the product rounded, then FPAdd(+/-Vd, +/-product):
 *  two checked operations. */
const mulAcc = (op: string, negProduct: boolean, negAcc: boolean): ArmTrans =>
  withFastPath(arithHelper(op), FAST_FPSCR, IXC, (s, f, slow) => {
    const dbl = f.z === 1;
    const d = vreg(f, 'd', 'D');
    const p = fastArith(s.b, Opc.FMul, value(s, dbl, vreg(f, 'n', 'N')), value(s, dbl, vreg(f, 'm', 'M')), slow);
    const acc = negAcc ? negated(s.b, value(s, dbl, d)) : value(s, dbl, d);
    setValue(s, dbl, d, fastArith(s.b, negProduct ? Opc.FSub : Opc.FAdd, acc, p, slow));
  });

/** VFMA VFMS VFNMA VFNMS (A8.8.318): FPMulAdd(+/-Vd, +/-Vn, Vm), one rounding; inline in
 *  integer IR for double precision (inline-fp.ts fusedMulAddF64), by the helper for single. */
const fused = (op: string, negN: boolean, negAcc: boolean): ArmTrans => {
  const inline = withFastPath(arithHelper(op), FAST_FPSCR, IXC, (s, f, slow) => {
    const d = vreg(f, 'd', 'D');
    const n = value(s, true, vreg(f, 'n', 'N')), m = value(s, true, vreg(f, 'm', 'M'));
    setValue(s, true, d, fusedMulAddF64(s.b, n, m, value(s, true, d), negN, negAcc, slow));
  });
  return (s, f) => (f.z ? inline(s, f) : call(s, ...arithHelper(op)(f)));
};

/** VSQRT: the host's root when it is exact or only inexact. */
const vsqrt: ArmTrans = withFastPath(
  (f) => [`vfp_sqrt_${sfx(f)}`, packVfp(vreg(f, 'd', 'D'), 0, vreg(f, 'm', 'M'))], FAST_FPSCR, IXC,
  (s, f, slow) => {
    const dbl = f.z === 1;
    const x = value(s, dbl, vreg(f, 'm', 'M'));
    setValue(s, dbl, vreg(f, 'd', 'D'), fastArith(s.b, Opc.FSqrt, x, x, slow));
  });

/** VMOV (register), VABS, VNEG: copies with the sign bit kept, cleared or flipped (no flags, no
 *  NaN processing: FPAbs and FPNeg are bit operations). */
const signOp = (kind: 'mov' | 'abs' | 'neg'): ArmTrans => (s, f) => {
  const b = s.b;
  const src = words(s, f.z === 1, vreg(f, 'm', 'M'));
  const dst = words(s, f.z === 1, vreg(f, 'd', 'D'));
  const top = src.length - 1;
  const t = src.map((w) => { const x = s.tmp(); b.mov(x, w); return x; });
  if (kind === 'abs') s.opi(Opc.And, t[top], t[top], 0x7fffffff);
  if (kind === 'neg') s.opi(Opc.Xor, t[top], t[top], 0x80000000);
  dst.forEach((w, k) => b.mov(w, t[k]));
  return true;
};

/** VMOV (immediate): VFPExpandImm of imm4H:imm4L (A7.5.1). */
const vmovImm: ArmTrans = (s, f) => {
  const imm8 = (f.h << 4) | f.l;
  const a = imm8 >> 7, bit = (imm8 >> 6) & 1, cdefgh = imm8 & 0x3f;
  const dst = words(s, f.z === 1, vreg(f, 'd', 'D'));
  if (f.z) {
    // sign : NOT(b) : b x8 : cd : efgh : zeros
    const hi = (a << 31) | ((bit ^ 1) << 30) | (bit ? 0x3fc00000 : 0) | (cdefgh << 16);
    s.b.movi(dst[0], 0);
    s.b.movi(dst[1], hi >>> 0);
  } else {
    // sign : NOT(b) : b x5 : cd : efgh : zeros
    const v = (a << 31) | ((bit ^ 1) << 30) | (bit ? 0x3e000000 : 0) | (cdefgh << 19);
    s.b.movi(dst[0], v >>> 0);
  }
  return true;
};

/** VCMP / VCMPE, with a register or +0.0 (A8.8.310, FPCompare): NZCV in FPSCR[31:28], inline
 *  for two numbers, which raise nothing (unless FZ flushes a denormal: IDC, so not under FZ);
 *  NaNs take the helper (unordered, and IOC by the E bit and signalling NaNs). */
const vcmp = (zero: boolean): ArmTrans => withFastPath(
  (f) => [`vfp_cmp_${sfx(f)}`, packVfp(vreg(f, 'd', 'D'), 0, zero ? 0 : vreg(f, 'm', 'M'), (f.E ? CMP_E : 0) | (zero ? CMP_ZERO : 0))],
  FPSCR_FZ, 0, (s, f, slow) => {
    const b = s.b;
    const dbl = f.z === 1;
    const kx = orderedKey(b, value(s, dbl, vreg(f, 'd', 'D')), slow);
    const ky = zero ? b.const(b.ty(kx), 0) : orderedKey(b, value(s, dbl, vreg(f, 'm', 'M')), slow);
    // Equal 0110, less than 1000, greater than 0010.
    const nzcv = s.tmp();
    b.movcond(Cond.LT, nzcv, kx, ky, b.c32(0x80000000), b.c32(0x20000000));
    b.movcond(Cond.EQ, nzcv, kx, ky, b.c32(0x60000000), nzcv);
    const rest = s.tmp();
    s.opi(Opc.And, rest, fpscr(s), 0x0fffffff);
    b.or(fpscr(s), rest, nzcv);
  });

/** VCVT between single and double precision: sz is the source's. */
const vcvtPrecision: ArmTrans = (s, f) => {
  const d = f.z ? sReg(f.d, f.D) : dReg(f.d, f.D);
  return call(s, f.z ? 'vfp_cvt_s_d' : 'vfp_cvt_d_s', packVfp(d, 0, vreg(f, 'm', 'M')));
};

/** VCVT / VCVTR to a 32-bit integer (Sd = int(Sm or Dm)); U clear = signed; o = round to zero. */
const vcvtToInt: ArmTrans = (s, f) =>
  call(s, `vfp_toint_${sfx(f)}`, packVfp(sReg(f.d, f.D), 0, vreg(f, 'm', 'M'), (f.U ? CVT_SIGNED : 0) | (f.o ? CVT_RZ : 0)));

/** VCVT from a 32-bit integer (Vd = float(Sm)); o = signed. To double precision it is always
 *  exact, whatever FPSCR says, so it is all IR (inline-fp.ts int32ToF64): as a helper it was
 *  the ARM helper called most in the kernels test program (56 calls per million instructions
 *  under -d helpers). To single precision it may round: the helper. */
const vcvtFromInt: ArmTrans = (s, f) => {
  if (!f.z) return call(s, 'vfp_fromint_s', packVfp(vreg(f, 'd', 'D'), 0, sReg(f.m, f.M), f.o ? CVT_SIGNED : 0));
  setValue(s, true, vreg(f, 'd', 'D'), int32ToF64(s.b, word(s, sReg(f.m, f.M)), f.o === 1));
  return true;
};

/** VCVT between floating and fixed point, in place (A8.8.309): o = to fixed, U = unsigned,
 *  x = 32-bit (else 16-bit) integers, fraction bits = size - imm4:i. */
const vcvtFixed: ArmTrans = (s, f) => {
  const size = f.x ? 32 : 16;
  const fbits = size - ((f.I << 1) | f.i);
  if (fbits < 0) return false; // UNPREDICTABLE
  const variant = (f.U ? 0 : CVT_SIGNED) | (f.x ? 0 : CVT_HALF) | (fbits << CVT_FBITS_SHIFT);
  return call(s, `vfp_${f.o ? 'tofix' : 'fromfix'}_${sfx(f)}`, packVfp(vreg(f, 'd', 'D'), 0, 0, variant));
};

/** VCVTB / VCVTT (A8.8.307): o = single to half, else half to single; T = the top half. */
const vcvtHalf: ArmTrans = (s, f) =>
  call(s, f.o ? 'vfp_cvt_h_s' : 'vfp_cvt_s_h', packVfp(sReg(f.d, f.D), 0, sReg(f.m, f.M), f.T ? HALF_TOP : 0));

// --- loads and stores ---------------------------------------------------------------------------

/** VLDR / VSTR: one register at Rn +/- imm8 * 4 (Rn = pc reads Align(PC, 4)). */
const vldrVstr = (load: boolean): ArmTrans => (s, f) => {
  const b = s.b;
  const addr = s.tmp();
  b.binop(f.U ? Opc.Add : Opc.Sub, addr, s.baseReg(f.r), b.c32(f.i * 4));
  const ws = words(s, f.z === 1, vreg(f, 'd', 'D'));
  if (load) {
    const t = ws.map((_, k) => { const x = s.tmp(); b.ld(x, addr, k * 4, MOP(4)); return x; });
    ws.forEach((w, k) => b.mov(w, t[k]));
  } else {
    ws.forEach((w, k) => b.st(w, addr, k * 4, 4));
  }
  return true;
};

/** VLDM / VSTM (VPOP / VPUSH): imm8 words from consecutive registers, increment after (P = 0) or
 *  decrement before (P = 1, always with writeback). A double-precision list with an odd imm8 is
 *  FLDMX/FSTMX: imm8 / 2 registers, the base moving by imm8 words. Loads complete before any
 *  register is written, so a fault leaves them unchanged. */
const vldmVstm = (load: boolean, decrement: boolean): ArmTrans => (s, f) => {
  const b = s.b;
  const first = vreg(f, 'd', 'D');
  const count = f.z ? f.i >> 1 : f.i;
  if (count === 0 || first + count > 32 || (f.r === 15 && (decrement || f.W || s.thumb))) return false;
  const bytes = f.i * 4;
  const wback = decrement || f.W === 1;
  const base = s.reg(f.r);
  const start = s.tmp();
  s.opi(Opc.Add, start, base, decrement ? -bytes : 0);
  const ws: number[] = [];
  for (let k = 0; k < count; k++) ws.push(...words(s, f.z === 1, first + k));
  if (load) {
    const t = ws.map((_, k) => { const x = s.tmp(); b.ld(x, start, k * 4, MOP(4)); return x; });
    if (wback) s.opi(Opc.Add, s.regGlobal(f.r), base, decrement ? -bytes : bytes);
    ws.forEach((w, k) => b.mov(w, t[k]));
  } else {
    ws.forEach((w, k) => b.st(w, start, k * 4, 4));
    if (wback) s.opi(Opc.Add, s.regGlobal(f.r), base, decrement ? -bytes : bytes);
  }
  return true;
};

// --- core register transfers --------------------------------------------------------------------

/** VMOV between a core register and S[n] (o = to the core register). */
const vmovCoreSingle: ArmTrans = (s, f) => {
  if (f.t === 15) return false;
  const w = word(s, sReg(f.n, f.N));
  if (f.o) s.setReg(f.t, w); else s.b.mov(w, s.reg(f.t));
  return true;
};

/** VMOV between two core registers and S[m], S[m+1] (z = 0) or D[m] (z = 1); o = to core. */
const vmovCoreTwo: ArmTrans = (s, f) => {
  const first = f.z ? 2 * dReg(f.m, f.M) : sReg(f.m, f.M); // the first word
  if (first === 31 || f.t === 15 || f.u === 15 || (f.o && f.t === f.u)) return false;
  const lo = word(s, first), hi = word(s, first + 1);
  if (f.o) {
    const a = s.tmp(), b = s.tmp();
    s.b.mov(a, lo);
    s.b.mov(b, hi);
    s.setReg(f.t, a);
    s.setReg(f.u, b);
  } else {
    s.b.mov(lo, s.reg(f.t));
    s.b.mov(hi, s.reg(f.u));
  }
  return true;
};

/** The lane of a scalar transfer from opc1:opc2 (A8.8.341): [size in bytes, index]. */
function scalarLane(opc1: number, opc2: number): [1 | 2 | 4, number] | null {
  if (opc1 & 2) return [1, ((opc1 & 1) << 2) | opc2];
  if (opc2 & 1) return [2, ((opc1 & 1) << 1) | (opc2 >> 1)];
  if (opc2 === 0) return [4, opc1 & 1];
  return null;
}

/** VMOV (core register to scalar): Dd[x] = Rt's low bits. */
const vmovToScalar: ArmTrans = (s, f) => {
  const lane = scalarLane(f.a, f.c);
  if (!lane || f.t === 15) return false;
  const [size, index] = lane;
  const bit = index * size * 8;
  const w = word(s, 2 * dReg(f.d, f.D) + (bit >> 5));
  const sh = bit & 31;
  if (size === 4) { s.b.mov(w, s.reg(f.t)); return true; }
  const mask = ((size === 1 ? 0xff : 0xffff) << sh) >>> 0;
  const t = s.tmp(), v = s.tmp();
  s.opi(Opc.And, t, w, ~mask);
  s.opi(Opc.Shl, v, s.reg(f.t), sh);
  s.opi(Opc.And, v, v, mask);
  s.b.or(w, t, v);
  return true;
};

/** VMOV (scalar to core register): Rt = Dn[x], zero- (U) or sign-extended. */
const vmovFromScalar: ArmTrans = (s, f) => {
  const lane = scalarLane(f.a, f.c);
  if (!lane || f.t === 15 || (lane[0] === 4 && f.U)) return false;
  const [size, index] = lane;
  const bit = index * size * 8;
  const w = word(s, 2 * dReg(f.n, f.N) + (bit >> 5));
  const t = s.tmp();
  if (size === 4) s.b.mov(t, w);
  else {
    s.opi(Opc.Shr, t, w, bit & 31);
    const opc = size === 1 ? (f.U ? Opc.Ext8U : Opc.Ext8S) : (f.U ? Opc.Ext16U : Opc.Ext16S);
    s.b.unop(opc, t, t);
  }
  s.setReg(f.t, t);
  return true;
};

/** VMRS: FPSCR (reg 0001) to Rt, or with Rt = 15 its NZCV to the APSR flags. The other system
 *  registers (FPSID, MVFR0/1, FPEXC) are not accessible in user mode. */
const vmrs: ArmTrans = (s, f) => {
  if (f.r !== 1) return false;
  const b = s.b;
  const v = fpscr(s);
  if (f.t !== 15) { s.setReg(f.t, v); return true; }
  // The flag representation of cpu-state.ts: N and V in bit 31, Z set iff ZF == 0, C as 0/1.
  s.opi(Opc.And, s.nf, v, 0x80000000);
  const z = s.tmp();
  s.opi(Opc.And, z, v, 0x40000000);
  s.opi(Opc.Xor, s.zf, z, 0x40000000);
  const c = s.tmp();
  s.opi(Opc.Shr, c, v, 29);
  s.opi(Opc.And, s.cf, c, 1);
  s.opi(Opc.Shl, s.vf, v, 3);
  return true;
};

/** VMSR: Rt to FPSCR. The helpers read the controls at each call, so nothing else changes. */
const vmsr: ArmTrans = (s, f) => {
  if (f.r !== 1 || f.t === 15) return false;
  s.opi(Opc.And, fpscr(s), s.reg(f.t), FPSCR_WRITABLE);
  return true;
};

// --- the table ------------------------------------------------------------------------------------

/** The encodings after the condition field (28 bits). More specific patterns come first. */
const VFP: [string, string, ArmTrans][] = [
  // Data processing (A7.5).
  ['vmla', '1110 0D00 nnnn dddd 101z N0M0 mmmm', mulAcc('mla', false, false)],
  ['vmls', '1110 0D00 nnnn dddd 101z N1M0 mmmm', mulAcc('mls', true, false)],
  ['vnmls', '1110 0D01 nnnn dddd 101z N0M0 mmmm', mulAcc('nmls', false, true)],
  ['vnmla', '1110 0D01 nnnn dddd 101z N1M0 mmmm', mulAcc('nmla', true, true)],
  ['vmul', '1110 0D10 nnnn dddd 101z N0M0 mmmm', arith('mul', Opc.FMul)],
  ['vnmul', '1110 0D10 nnnn dddd 101z N1M0 mmmm', arith('nmul', Opc.FMul, true)],
  ['vadd', '1110 0D11 nnnn dddd 101z N0M0 mmmm', arith('add', Opc.FAdd)],
  ['vsub', '1110 0D11 nnnn dddd 101z N1M0 mmmm', arith('sub', Opc.FSub)],
  ['vdiv', '1110 1D00 nnnn dddd 101z N0M0 mmmm', arith('div', Opc.FDiv)],
  ['vfnms', '1110 1D01 nnnn dddd 101z N0M0 mmmm', fused('fnms', false, true)],
  ['vfnma', '1110 1D01 nnnn dddd 101z N1M0 mmmm', fused('fnma', true, true)],
  ['vfma', '1110 1D10 nnnn dddd 101z N0M0 mmmm', fused('fma', false, false)],
  ['vfms', '1110 1D10 nnnn dddd 101z N1M0 mmmm', fused('fms', true, false)],
  ['vmov', '1110 1D11 hhhh dddd 101z -0-0 llll', vmovImm],
  ['vmov', '1110 1D11 0000 dddd 101z 01M0 mmmm', signOp('mov')],
  ['vabs', '1110 1D11 0000 dddd 101z 11M0 mmmm', signOp('abs')],
  ['vneg', '1110 1D11 0001 dddd 101z 01M0 mmmm', signOp('neg')],
  ['vsqrt', '1110 1D11 0001 dddd 101z 11M0 mmmm', vsqrt],
  ['vcvtb', '1110 1D11 001o dddd 1010 T1M0 mmmm', vcvtHalf], // VCVTT when T = 1
  ['vcmp', '1110 1D11 0100 dddd 101z E1M0 mmmm', vcmp(false)],
  ['vcmp', '1110 1D11 0101 dddd 101z E1-0 ----', vcmp(true)],
  ['vcvt', '1110 1D11 0111 dddd 101z 11M0 mmmm', vcvtPrecision],
  ['vcvt', '1110 1D11 1000 dddd 101z o1M0 mmmm', vcvtFromInt],
  ['vcvt', '1110 1D11 1o1U dddd 101z x1i0 IIII', vcvtFixed],
  ['vcvt', '1110 1D11 110U dddd 101z o1M0 mmmm', vcvtToInt],
  // Extension register load/store (A7.6); the 64-bit transfers sit in its P = U = 0 corner.
  ['vmov', '1100 010o uuuu tttt 101z 00M1 mmmm', vmovCoreTwo],
  ['vstm', '1100 1DW0 rrrr dddd 101z iiii iiii', vldmVstm(false, false)],
  ['vldm', '1100 1DW1 rrrr dddd 101z iiii iiii', vldmVstm(true, false)],
  ['vstr', '1101 UD00 rrrr dddd 101z iiii iiii', vldrVstr(false)],
  ['vldr', '1101 UD01 rrrr dddd 101z iiii iiii', vldrVstr(true)],
  ['vstmdb', '1101 0D10 rrrr dddd 101z iiii iiii', vldmVstm(false, true)],
  ['vldmdb', '1101 0D11 rrrr dddd 101z iiii iiii', vldmVstm(true, true)],
  // 8, 16 and 32-bit transfers between core and extension registers (A7.8).
  ['vmov', '1110 000o nnnn tttt 1010 N--1 ----', vmovCoreSingle],
  ['vmsr', '1110 1110 rrrr tttt 1010 ---1 ----', vmsr],
  ['vmrs', '1110 1111 rrrr tttt 1010 ---1 ----', vmrs],
  ['vmov', '1110 0aa0 dddd tttt 1011 Dcc1 ----', vmovToScalar],
  ['vmov', '1110 Uaa1 nnnn tttt 1011 Ncc1 ----', vmovFromScalar],
];

export const VFP_A32_PATTERNS: ArmPattern[] = VFP.map(([name, d, t]) => pat(name, `---- ${d}`, t));
export const VFP_A32_UNCOND_PATTERNS: ArmPattern[] = [];
export const VFP_T32_PATTERNS: ArmPattern[] = VFP.map(([name, d, t]) => pat(name, `1110 ${d}`, t));

export function registerVfpHelpers(reg: HelperRegistry, mem: GuestMemory): void {
  for (const h of makeVfpHelpers(mem.view)) reg.add(h);
}
