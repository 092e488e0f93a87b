// Advanced SIMD (NEON) decode tables (ARM ARM A7.4 data processing, A7.7 element and structure
// load/store) and the registration of their helpers. Each row is written once as the 24 bits
// below the space's prefix: data processing is A32 1111 001U / T32 111U 1111, loads and stores
// A32 1111 0100 / T32 1111 1001. VDUP (core register) lives in the conditional core-transfer
// space (A7.8), so it has its own A32 (with a condition) and T32 rows.
// The moves, the bitwise operations, VMOV/VMVN/VORR/VBIC (immediate), VDUP (core) and the
// element and structure loads and stores (VLD1-4/VST1-4) are IR on the D registers' words; the
// lane arithmetic calls neon-helpers.ts.
// VMOV between core registers and scalars is VFP's (vfp-extensions.ts).
//
// Field letters: D:d, N:n, M:m are the D register numbers (Q registers need even ones); z size;
// Q the Q bit; U unsigned (or the top immediate bit); r = Rn, w = Rm (writeback) in loads.
import { HelperRegistry } from '../../tcg/frontend.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { Opc } from '../../tcg/ir.js';
import { ArmPattern, ArmTrans, Fields, pat } from './decode.js';
import type { ArmDisasContext } from './disas-context.js';
import { MOP } from './arm-ops.js';
import { DREG } from './cpu-state.js';
import { makeNeonHelpers, packNeon } from './neon-helpers.js';

/** The i32 word w of the D registers (word 2k is D[k]'s low half), named as vfp-extensions.ts does. */
const word = (s: ArmDisasContext, w: number): number =>
  s.b.global('i32', DREG(0) + w * 4, w < 32 ? `s${w}` : `d${w >> 1}${w & 1 ? 'hi' : 'lo'}`);
const dreg = (f: Fields, v: string, x: string): number => (f[x] << 4) | f[v];
/** Q registers are even D pairs; an odd number with Q set is UNDEFINED. */
const qOk = (f: Fields, ...regs: number[]): boolean => !f.Q || regs.every((r) => (r & 1) === 0);

const call = (s: ArmDisasContext, name: string, p: number): boolean => {
  s.b.call(s.helper(name), null, s.b.c32(p));
  return true;
};

// --- three registers of the same length ------------------------------------------------------------

/** Vd = op(Vn, Vm) by a helper; `sign` appends _s/_u from U; size 3 only where allowed. */
const same = (name: string, opts: { sign?: boolean; dword?: boolean; noQ?: boolean; only?: number[] } = {}): ArmTrans => (s, f) => {
  const d = dreg(f, 'd', 'D'), n = dreg(f, 'n', 'N'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, n, m) || (f.z === 3 && !opts.dword) || (opts.noQ && f.Q) || (opts.only && !opts.only.includes(f.z))) return false;
  return call(s, opts.sign ? `${name}_${f.U ? 'u' : 's'}` : name, packNeon(d, n, m, f.z, f.Q));
};

/** The top bit of each lane of an i32 word, by size (0: 8-bit lanes, 1: 16, 2: 32). */
const LANE_TOP = [0x80808080, 0x80008000, 0x80000000];

/** VCEQ (integer, A8.8.291): each lane of Vd all ones where Vn's and Vm's are equal, else
 *  zero. IR on the words, lanes side by side in each (no carry crosses a lane): it was the
 *  helper neon_ceq, called per 16 bytes by glibc's NEON memchr (string_mem: 98 calls per
 *  million instructions under -d helpers). */
const vceq: ArmTrans = (s, f) => {
  const d = dreg(f, 'd', 'D'), n = dreg(f, 'n', 'N'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, n, m) || f.z === 3) return false;
  const b = s.b;
  const top = LANE_TOP[f.z], low = ~top >>> 0, bits = 8 << f.z;
  const res: number[] = [];
  for (let k = 0; k < (f.Q + 1) * 2; k++) {
    const x = s.tmp(), t = s.tmp(), r = s.tmp();
    b.xor(x, word(s, 2 * n + k), word(s, 2 * m + k));
    // A lane's top bit of ((x & low) + low) | x is set iff the lane of x is not zero.
    s.opi(Opc.And, t, x, low);
    s.opi(Opc.Add, t, t, low);
    b.or(t, t, x);
    b.unop(Opc.Not, t, t);
    s.opi(Opc.And, t, t, top);
    // Each equal lane's 1 at its bottom, times the lane's all-ones value.
    s.opi(Opc.Shr, t, t, bits - 1);
    s.opi(Opc.Mul, r, t, bits === 32 ? 0xffffffff : (1 << bits) - 1);
    res.push(r);
  }
  res.forEach((r, k) => b.mov(word(s, 2 * d + k), r));
  return true;
};

/** VPADD (integer, A8.8.380): Dd = the sums of adjacent lane pairs of Dn, then of Dm, each
 *  wrapped to its lane. IR on the words: it was the helper neon_padd, called three times per
 *  32 bytes by glibc's NEON memchr to fold VCEQ's result (string_mem: 195 calls per million
 *  instructions under -d helpers). */
const vpadd: ArmTrans = (s, f) => {
  const d = dreg(f, 'd', 'D'), n = dreg(f, 'n', 'N'), m = dreg(f, 'm', 'M');
  if (f.Q || f.z === 3) return false;
  const b = s.b;
  /** The pair sums of one word (sizes 0 and 1), in its low half. */
  const half = (w: number): number => {
    const a = s.tmp(), c = s.tmp();
    if (f.z === 0) {
      // Both byte pairs at once, each sum in a 16-bit lane, then their low bytes packed.
      s.opi(Opc.And, a, w, 0x00ff00ff);
      s.opi(Opc.Shr, c, w, 8);
      s.opi(Opc.And, c, c, 0x00ff00ff);
      b.add(a, a, c);
      s.opi(Opc.Shr, c, a, 8);
      s.opi(Opc.And, c, c, 0xff00);
      s.opi(Opc.And, a, a, 0xff);
      b.or(a, a, c);
    } else {
      s.opi(Opc.Shr, c, w, 16);
      b.add(a, w, c);
      s.opi(Opc.And, a, a, 0xffff);
    }
    return a;
  };
  const fold = (r: number): number => {
    const lo = word(s, 2 * r), hi = word(s, 2 * r + 1), out = s.tmp();
    if (f.z === 2) {
      b.add(out, lo, hi);
    } else {
      const h = half(hi);
      s.opi(Opc.Shl, out, h, 16);
      b.or(out, out, half(lo));
    }
    return out;
  };
  const r0 = fold(n), r1 = fold(m);
  b.mov(word(s, 2 * d), r0);
  b.mov(word(s, 2 * d + 1), r1);
  return true;
};

/** Float forms: bit 21 (the high size bit) is part of the opcode, bit 20 (sz) must be 0. */
const fsame = (name: string, noQ = false): ArmTrans => (s, f) => {
  const d = dreg(f, 'd', 'D'), n = dreg(f, 'n', 'N'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, n, m) || (f.z & 1) || (noQ && f.Q)) return false;
  return call(s, name, packNeon(d, n, m, 2, f.Q));
};

/** VAND VBIC VORR VORN VEOR VBSL VBIT VBIF (op = U:size) on whole words. */
const bitwise: ArmTrans = (s, f) => {
  const d = dreg(f, 'd', 'D'), n = dreg(f, 'n', 'N'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, n, m)) return false;
  const b = s.b;
  const nw = (f.Q + 1) * 2;
  const op = (f.U << 2) | f.z;
  const res: number[] = [];
  for (let k = 0; k < nw; k++) {
    const a = word(s, 2 * n + k), c = word(s, 2 * m + k), dv = word(s, 2 * d + k);
    const r = s.tmp(), t = s.tmp();
    switch (op) {
      case 0: b.and(r, a, c); break;
      case 1: b.unop(Opc.Not, t, c); b.and(r, a, t); break;
      case 2: b.or(r, a, c); break;
      case 3: b.unop(Opc.Not, t, c); b.or(r, a, t); break;
      case 4: b.xor(r, a, c); break;
      // VBSL: Vd selects Vn where set, Vm where clear: m ^ ((n ^ m) & d).
      case 5: b.xor(t, a, c); b.and(t, t, dv); b.xor(r, c, t); break;
      // VBIT: n where m is set: d ^ ((d ^ n) & m); VBIF: where m is clear.
      case 6: b.xor(t, dv, a); b.and(t, t, c); b.xor(r, dv, t); break;
      default: b.unop(Opc.Not, r, c); b.xor(t, dv, a); b.and(t, t, r); b.xor(r, dv, t); break;
    }
    res.push(r);
  }
  res.forEach((r, k) => b.mov(word(s, 2 * d + k), r));
  return true;
};

// --- one register and a modified immediate ----------------------------------------------------------

/** AdvSIMDExpandImm (A7.4.6) as the two words of the 64-bit pattern. */
function expandImm(op: number, cmode: number, imm8: number): [number, number] | null {
  let w: number;
  switch (cmode >> 1) {
    case 0: w = imm8; break;
    case 1: w = imm8 << 8; break;
    case 2: w = imm8 << 16; break;
    case 3: w = imm8 << 24; break;
    case 4: w = imm8 * 0x10001; break;
    case 5: w = (imm8 << 8) * 0x10001; break;
    case 6: w = cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff; break;
    default:
      if (cmode === 14 && op === 0) w = imm8 * 0x01010101;
      else if (cmode === 14) {
        // Each bit of imm8 becomes a byte of ones or zeros.
        const bytes = (bits: number): number => {
          let v = 0;
          for (let i = 3; i >= 0; i--) v = v * 256 + ((bits >> i) & 1 ? 0xff : 0);
          return v;
        };
        return [bytes(imm8 & 15) >>> 0, bytes(imm8 >> 4) >>> 0];
      } else if (op === 0) {
        // a:NOT(b):bbbbb:cdefgh:Zeros(19), a binary32.
        const bit = (imm8 >> 6) & 1;
        w = ((imm8 >> 7) << 31) | ((bit ^ 1) << 30) | (bit ? 0x3e000000 : 0) | ((imm8 & 0x3f) << 19);
      } else return null;
  }
  return [w >>> 0, w >>> 0];
}

/** VMOV, VMVN, VORR, VBIC (immediate): op and cmode choose (A7.4.6 table). */
const modImm: ArmTrans = (s, f) => {
  const d = dreg(f, 'd', 'D');
  if (!qOk(f, d)) return false;
  const imm = expandImm(f.o, f.c, (f.U << 7) | f.i);
  if (!imm) return false;
  const logical = f.c < 12 && (f.c & 1) === 1; // VORR (op 0) or VBIC (op 1)
  const invert = f.o === 1 && f.c !== 14; // VMVN and VBIC use the complement
  const nw = (f.Q + 1) * 2;
  for (let k = 0; k < nw; k++) {
    const v = invert ? ~imm[k & 1] >>> 0 : imm[k & 1];
    const w = word(s, 2 * d + k);
    if (!logical) s.b.movi(w, v);
    else s.opi(f.o ? Opc.And : Opc.Or, w, w, v);
  }
  return true;
};

// --- two registers and a shift amount ----------------------------------------------------------------

/** The element size (0..3) and immediate from L:imm6 (A7.4.4), or null for the other encodings. */
function shiftSize(f: Fields): [number, number] | null {
  if (f.L) return [3, f.i];
  if (f.i >= 32) return [2, f.i];
  if (f.i >= 16) return [1, f.i];
  if (f.i >= 8) return [0, f.i];
  return null;
}

/** A shift by an immediate: right shifts by 2*esize - imm, left by imm - esize. */
const shiftImm = (name: string, kind: 'right' | 'left' | 'narrow' | 'long', sign = false): ArmTrans => (s, f) => {
  const sz = shiftSize(f);
  if (!sz) return false;
  const [size, imm] = sz;
  const esize = 8 << size;
  const d = dreg(f, 'd', 'D'), m = dreg(f, 'm', 'M');
  const full = sign ? `${name}_${f.U ? 'u' : 's'}` : name;
  if (kind === 'narrow' || kind === 'long') {
    if (size === 3 || (kind === 'narrow' ? m & 1 : d & 1)) return false;
    return call(s, full, packNeon(d, 0, m, size, 1, kind === 'narrow' ? 2 * esize - imm : imm - esize));
  }
  if (!qOk(f, d, m)) return false;
  const amount = size === 3 ? (kind === 'right' ? 64 - imm : imm) : kind === 'right' ? 2 * esize - imm : imm - esize;
  return call(s, full, packNeon(d, 0, m, size, f.Q, amount));
};

// --- three registers of different lengths, and scalars ------------------------------------------------

/** Long (Qd, Dn, Dm), wide (Qd, Qn, Dm) and narrow (Dd, Qn, Qm) forms; `sizes` limits them. */
const diff = (name: string, shape: 'long' | 'wide' | 'narrow', sign = true, sizes = [0, 1, 2]): ArmTrans => (s, f) => {
  const d = dreg(f, 'd', 'D'), n = dreg(f, 'n', 'N'), m = dreg(f, 'm', 'M');
  if (!sizes.includes(f.z) || (shape !== 'narrow' && d & 1) || (shape === 'wide' && n & 1) || (shape === 'narrow' && (n & 1 || m & 1))) return false;
  return call(s, sign ? `${name}_${f.U ? 'u' : 's'}` : name, packNeon(d, n, m, f.z, 0));
};

/** The scalar operand: 16 bits: Dm = Vm<2:0>, index M:Vm<3>; 32 bits: Dm = Vm, index M. */
const scalarOf = (f: Fields): [number, number] => (f.z === 1 ? [f.m & 7, (f.M << 1) | (f.m >> 3)] : [f.m, f.M]);

/** By a scalar, same length (U is Q): VMUL, VMLA, VMLS (also F32: size 2 only), VQ(R)DMULH. */
const byScalar = (name: string, sizes = [1, 2]): ArmTrans => (s, f) => {
  if (!sizes.includes(f.z)) return false;
  const d = dreg(f, 'd', 'D'), n = dreg(f, 'n', 'N');
  const [m, index] = scalarOf(f);
  if (!qOk({ Q: f.U }, d, n)) return false;
  return call(s, name, packNeon(d, n, m, f.z, f.U, index));
};

/** By a scalar, long (Qd, Dn, Dm[x]): VMULL, VMLAL, VMLSL and the saturating doubling forms. */
const byScalarLong = (name: string, sign = true): ArmTrans => (s, f) => {
  if ((f.z !== 1 && f.z !== 2) || f.d & 1) return false;
  const [m, index] = scalarOf(f);
  return call(s, sign ? `${name}_${f.U ? 'u' : 's'}` : name, packNeon(dreg(f, 'd', 'D'), dreg(f, 'n', 'N'), m, f.z, 0, index));
};

// --- two registers, miscellaneous ---------------------------------------------------------------------

const misc = (name: string, opts: { sizes?: number[]; x?: number; sign?: boolean } = {}): ArmTrans => (s, f) => {
  const d = dreg(f, 'd', 'D'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, m) || f.z === 3 || (opts.sizes && !opts.sizes.includes(f.z))) return false;
  return call(s, opts.sign ? `${name}_${f.o ? 'u' : 's'}` : name, packNeon(d, 0, m, f.z, f.Q, opts.x ?? 0));
};

/** VREV16/32/64: the group (2 << g bytes) must be wider than the element. */
const vrev = (groupLog: number): ArmTrans => (s, f) => {
  const d = dreg(f, 'd', 'D'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, m) || f.z >= groupLog) return false;
  return call(s, 'neon_rev', packNeon(d, 0, m, f.z, f.Q, groupLog));
};

/** VMVN (register) and VSWP: word operations. */
const vmvnReg: ArmTrans = (s, f) => {
  const d = dreg(f, 'd', 'D'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, m) || f.z) return false;
  const nw = (f.Q + 1) * 2;
  const t = Array.from({ length: nw }, (_, k) => { const x = s.tmp(); s.b.unop(Opc.Not, x, word(s, 2 * m + k)); return x; });
  t.forEach((x, k) => s.b.mov(word(s, 2 * d + k), x));
  return true;
};
const vswp: ArmTrans = (s, f) => {
  const d = dreg(f, 'd', 'D'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, m) || f.z) return false;
  for (let k = 0; k < (f.Q + 1) * 2; k++) {
    const a = s.tmp();
    s.b.mov(a, word(s, 2 * d + k));
    s.b.mov(word(s, 2 * d + k), word(s, 2 * m + k));
    s.b.mov(word(s, 2 * m + k), a);
  }
  return true;
};

/** VMOVN / VQMOVN / VQMOVUN: Dd from Qm. */
const movn = (name: string): ArmTrans => (s, f) => {
  const d = dreg(f, 'd', 'D'), m = dreg(f, 'm', 'M');
  if (f.z === 3 || m & 1) return false;
  return call(s, name, packNeon(d, 0, m, f.z, 0));
};

/** VCVT between f32 and s32/u32 lanes (op: 0 from s32, 1 from u32, 2 to s32, 3 to u32). */
const vcvt: ArmTrans = (s, f) => {
  const d = dreg(f, 'd', 'D'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, m) || f.z !== 2) return false;
  return call(s, 'neon_cvt', packNeon(d, 0, m, 2, f.Q, f.o));
};

/** VRECPE / VRSQRTE: o (F) picks F32 over U32 lanes. */
const estimate = (name: string): ArmTrans => (s, f) => {
  const d = dreg(f, 'd', 'D'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, m) || f.z !== 2) return false;
  return call(s, name, packNeon(d, 0, m, 2, f.Q, f.o));
};

/** VCVT between f32 and fixed point: 64 - imm6 fraction bits (imm6 < 32 is UNDEFINED); o is the
 *  direction (1 to fixed), U unsigned. The helper takes op | fraction bits << 2. */
const vcvtFixed: ArmTrans = (s, f) => {
  const d = dreg(f, 'd', 'D'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, m) || f.i < 32) return false;
  return call(s, 'neon_cvt', packNeon(d, 0, m, 2, f.Q, ((f.o << 1) | f.U) | ((64 - f.i) << 2)));
};

/** VEXT: bytes imm4.. of Vn:Vm. */
const vext: ArmTrans = (s, f) => {
  const d = dreg(f, 'd', 'D'), n = dreg(f, 'n', 'N'), m = dreg(f, 'm', 'M');
  if (!qOk(f, d, n, m) || (!f.Q && f.i > 7)) return false;
  return call(s, 'neon_ext', packNeon(d, n, m, 0, f.Q, f.i));
};

/** VTBL / VTBX (o): a table of len+1 registers from Dn. */
const vtbl: ArmTrans = (s, f) => {
  const n = dreg(f, 'n', 'N');
  if (n + f.l + 1 > 32) return false;
  return call(s, 'neon_tbl', packNeon(dreg(f, 'd', 'D'), n, dreg(f, 'm', 'M'), f.o, 0, f.l));
};

/** VDUP (scalar): imm4 = index:1 (8 bits), index:10 (16), index:100 (32). */
const vdupScalar: ArmTrans = (s, f) => {
  const d = dreg(f, 'd', 'D'), m = dreg(f, 'm', 'M');
  const size = f.i & 1 ? 0 : f.i & 2 ? 1 : f.i & 4 ? 2 : -1;
  if (size < 0 || !qOk(f, d)) return false;
  return call(s, 'neon_dup', packNeon(d, 0, m, size, f.Q, f.i >> (size + 1)));
};

/** VDUP (core register): b:e = 00 32 bits, 01 16 bits, 10 8 bits, replicated into words in IR. */
const vdupCore: ArmTrans = (s, f) => {
  const d = dreg(f, 'd', 'D');
  const be = (f.b << 1) | f.e;
  if (be === 3 || f.t === 15 || !qOk(f, d)) return false;
  const v = s.tmp();
  if (be === 0) s.b.mov(v, s.reg(f.t));
  else {
    s.b.unop(be === 1 ? Opc.Ext16U : Opc.Ext8U, v, s.reg(f.t));
    s.opi(Opc.Mul, v, v, be === 1 ? 0x10001 : 0x01010101);
  }
  for (let k = 0; k < (f.Q + 1) * 2; k++) s.b.mov(word(s, 2 * d + k), v);
  return true;
};

// --- element and structure loads and stores (VLD1 / VST1) -------------------------------------------

/** Rn's writeback: none (Rm = 15), by the bytes moved (Rm = 13), or by Rm. */
function writeback(s: ArmDisasContext, f: Fields, bytes: number): void {
  if (f.w === 15) return;
  const rn = s.regGlobal(f.r);
  if (f.w === 13) s.opi(Opc.Add, rn, rn, bytes);
  else s.b.add(rn, rn, s.reg(f.w));
}

/** VLD1/VST1 (multiple single elements) of 1-4 registers: on a little-endian guest the bytes go
 *  to the registers in order whatever the element size. Alignment hints are not checked. */
const ldstMultiple = (regs: number): ArmTrans => (s, f) => {
  const d = dreg(f, 'd', 'D');
  if (d + regs > 32 || f.r === 15) return false;
  const b = s.b;
  const addr = s.tmp();
  b.mov(addr, s.reg(f.r));
  const nw = regs * 2;
  if (f.L) {
    const t = Array.from({ length: nw }, (_, k) => { const x = s.tmp(); b.ld(x, addr, k * 4, MOP(4)); return x; });
    writeback(s, f, nw * 4);
    t.forEach((x, k) => b.mov(word(s, 2 * d + k), x));
  } else {
    for (let k = 0; k < nw; k++) b.st(word(s, 2 * d + k), addr, k * 4, 4);
    writeback(s, f, nw * 4);
  }
  return true;
};

/** The word, shift and mask of a lane of D[d]. */
function lane(s: ArmDisasContext, d: number, size: number, index: number): [number, number, number] {
  const bit = index << (size + 3);
  const mask = size === 2 ? 0xffffffff : ((size === 0 ? 0xff : 0xffff) << (bit & 31)) >>> 0;
  return [word(s, 2 * d + (bit >> 5)), bit & 31, mask];
}

/** VLD1 (single element to all lanes) of one or two registers (T). */
const ldAllLanes: ArmTrans = (s, f) => {
  if (f.z === 3 || f.r === 15) return false;
  const d = dreg(f, 'd', 'D');
  const regs = f.T + 1;
  if (d + regs > 32) return false;
  const b = s.b;
  const bytes = 1 << f.z;
  const v = s.tmp();
  b.ld(v, s.reg(f.r), 0, MOP(bytes as 1 | 2 | 4));
  if (f.z < 2) s.opi(Opc.Mul, v, v, f.z ? 0x10001 : 0x01010101);
  writeback(s, f, bytes);
  for (let k = 0; k < regs * 2; k++) b.mov(word(s, 2 * d + k), v);
  return true;
};

/** The element list of a structure access in memory order: [D register, lane] pairs. */
type Elems = [number, number][];

/** Loads (L) or stores the elements one by one at consecutive ebytes-sized addresses from Rn,
 *  then writes Rn back by the bytes moved; loads reach the registers only after every access. */
function ldstElems(s: ArmDisasContext, f: Fields, size: number, elems: Elems): boolean {
  if (elems.some(([r]) => r > 31) || f.r === 15) return false;
  const b = s.b;
  const bytes = 1 << size;
  const addr = s.tmp();
  b.mov(addr, s.reg(f.r));
  if (f.L) {
    const vals = elems.map((_, k) => { const v = s.tmp(); b.ld(v, addr, k * bytes, MOP(bytes as 1 | 2 | 4)); return v; });
    writeback(s, f, elems.length * bytes);
    elems.forEach(([r, i], k) => insertLane(s, r, size, i, vals[k]));
  } else {
    elems.forEach(([r, i], k) => {
      const [w, sh] = lane(s, r, size, i);
      const v = s.tmp();
      s.opi(Opc.Shr, v, w, sh);
      b.st(v, addr, k * bytes, bytes as 1 | 2 | 4);
    });
    writeback(s, f, elems.length * bytes);
  }
  return true;
}

/** Writes v (zero-extended to the lane) into lane i of D[r]. */
function insertLane(s: ArmDisasContext, r: number, size: number, i: number, v: number): void {
  const [w, sh, mask] = lane(s, r, size, i);
  if (size === 2) { s.b.mov(w, v); return; }
  const t = s.tmp(), u = s.tmp();
  s.opi(Opc.Shl, u, v, sh);
  s.opi(Opc.And, t, w, ~mask);
  s.b.or(w, t, u);
}

/** VLDn/VSTn (multiple n-element structures), A7.7: `regs` registers per structure member,
 *  members `inc` registers apart; element e of register r of member j is at ((r*lanes+e)*n+j). */
const ldstStructs = (n: number, regs: number, inc: number): ArmTrans => (s, f) => {
  if (f.z === 3) return false;
  const d = dreg(f, 'd', 'D');
  const lanes = 8 >> f.z;
  const elems: Elems = [];
  for (let r = 0; r < regs; r++) for (let e = 0; e < lanes; e++) for (let j = 0; j < n; j++) elems.push([d + j * inc + r, e]);
  return ldstElems(s, f, f.z, elems);
};

/** VLDn/VSTn (single n-element structure to one lane): index_align a gives the lane and, for
 *  n >= 2, the register spacing (a<1> for 16 bits, a<2> for 32 bits). Alignment is not checked. */
const ldstStructLane = (n: number): ArmTrans => (s, f) => {
  if (f.z === 3) return false;
  const d = dreg(f, 'd', 'D');
  const index = f.a >> (f.z + 1);
  const inc = n > 1 && f.z > 0 && (f.a >> f.z) & 1 ? 2 : 1;
  return ldstElems(s, f, f.z, Array.from({ length: n }, (_, j): [number, number] => [d + j * inc, index]));
};

/** VLDn (single n-element structure to all lanes), n >= 2: member j fills D[d + j*(T+1)].
 *  VLD4 alone has size 11 with a set: 32-bit elements (with a 16-byte alignment hint). */
const ldStructAll = (n: number): ArmTrans => (s, f) => {
  if ((f.z === 3 && !(n === 4 && f.a)) || f.r === 15) return false;
  const size = Math.min(f.z, 2);
  const d = dreg(f, 'd', 'D');
  const inc = f.T + 1;
  if (d + (n - 1) * inc > 31) return false;
  const b = s.b;
  const bytes = 1 << size;
  const addr = s.tmp();
  b.mov(addr, s.reg(f.r));
  const vals = Array.from({ length: n }, (_, j) => {
    const v = s.tmp();
    b.ld(v, addr, j * bytes, MOP(bytes as 1 | 2 | 4));
    if (size < 2) s.opi(Opc.Mul, v, v, size ? 0x10001 : 0x01010101);
    return v;
  });
  writeback(s, f, n * bytes);
  vals.forEach((v, j) => { b.mov(word(s, 2 * (d + j * inc)), v); b.mov(word(s, 2 * (d + j * inc) + 1), v); });
  return true;
};

// --- the tables ---------------------------------------------------------------------------------------

/** Data processing rows: [name, U bit ('U' for a field, or fixed), bits 23..0, translator]. */
const DP: [string, string, string, ArmTrans][] = [
  // One register and a modified immediate (before the shifts: L:imm6 = 0000xxx).
  ['vmov', 'U', '1D00 0iii dddd cccc 0Qo1 iiii', modImm],
  // Two registers, miscellaneous (U = 1, size bits 21:20 = 11).
  ['vrev64', '1', '1D11 zz00 dddd 0000 0QM0 mmmm', vrev(3)],
  ['vrev32', '1', '1D11 zz00 dddd 0000 1QM0 mmmm', vrev(2)],
  ['vrev16', '1', '1D11 zz00 dddd 0001 0QM0 mmmm', vrev(1)],
  ['vpaddl', '1', '1D11 zz00 dddd 0010 oQM0 mmmm', misc('neon_paddl', { sign: true })],
  ['vcls', '1', '1D11 zz00 dddd 0100 0QM0 mmmm', misc('neon_cls')],
  ['vclz', '1', '1D11 zz00 dddd 0100 1QM0 mmmm', misc('neon_clz')],
  ['vcnt', '1', '1D11 zz00 dddd 0101 0QM0 mmmm', misc('neon_cnt', { sizes: [0] })],
  ['vmvn', '1', '1D11 zz00 dddd 0101 1QM0 mmmm', vmvnReg],
  ['vpadal', '1', '1D11 zz00 dddd 0110 oQM0 mmmm', misc('neon_paddl', { sign: true, x: 1 })],
  ['vqabs', '1', '1D11 zz00 dddd 0111 0QM0 mmmm', misc('neon_qabs')],
  ['vqneg', '1', '1D11 zz00 dddd 0111 1QM0 mmmm', misc('neon_qneg')],
  ['vcgt', '1', '1D11 zz01 dddd 0000 0QM0 mmmm', misc('neon_cgt0')],
  ['vcge', '1', '1D11 zz01 dddd 0000 1QM0 mmmm', misc('neon_cge0')],
  ['vceq', '1', '1D11 zz01 dddd 0001 0QM0 mmmm', misc('neon_ceq0')],
  ['vcle', '1', '1D11 zz01 dddd 0001 1QM0 mmmm', misc('neon_cle0')],
  ['vclt', '1', '1D11 zz01 dddd 0010 0QM0 mmmm', misc('neon_clt0')],
  ['vcgt', '1', '1D11 zz01 dddd 0100 0QM0 mmmm', misc('neon_fcgt0', { sizes: [2] })],
  ['vcge', '1', '1D11 zz01 dddd 0100 1QM0 mmmm', misc('neon_fcge0', { sizes: [2] })],
  ['vceq', '1', '1D11 zz01 dddd 0101 0QM0 mmmm', misc('neon_fceq0', { sizes: [2] })],
  ['vcle', '1', '1D11 zz01 dddd 0101 1QM0 mmmm', misc('neon_fcle0', { sizes: [2] })],
  ['vclt', '1', '1D11 zz01 dddd 0110 0QM0 mmmm', misc('neon_fclt0', { sizes: [2] })],
  ['vabs', '1', '1D11 zz01 dddd 0111 0QM0 mmmm', misc('neon_fabs', { sizes: [2] })],
  ['vneg', '1', '1D11 zz01 dddd 0111 1QM0 mmmm', misc('neon_fneg', { sizes: [2] })],
  ['vabs', '1', '1D11 zz01 dddd 0011 0QM0 mmmm', misc('neon_abs')],
  ['vneg', '1', '1D11 zz01 dddd 0011 1QM0 mmmm', misc('neon_neg')],
  ['vswp', '1', '1D11 zz10 dddd 0000 0QM0 mmmm', vswp],
  ['vtrn', '1', '1D11 zz10 dddd 0000 1QM0 mmmm', misc('neon_trn')],
  ['vuzp', '1', '1D11 zz10 dddd 0001 0QM0 mmmm', misc('neon_uzp')],
  ['vzip', '1', '1D11 zz10 dddd 0001 1QM0 mmmm', misc('neon_zip')],
  ['vmovn', '1', '1D11 zz10 dddd 0010 00M0 mmmm', movn('neon_shrn')],
  ['vqmovun', '1', '1D11 zz10 dddd 0010 01M0 mmmm', movn('neon_qmovun')],
  ['vqmovn', '1', '1D11 zz10 dddd 0010 10M0 mmmm', movn('neon_qmovn_s')],
  ['vqmovn', '1', '1D11 zz10 dddd 0010 11M0 mmmm', movn('neon_qmovn_u')],
  ['vcvt', '1', '1D11 zz11 dddd 011o oQM0 mmmm', vcvt],
  ['vrecpe', '1', '1D11 zz11 dddd 010o 0QM0 mmmm', estimate('neon_recpe')],
  ['vrsqrte', '1', '1D11 zz11 dddd 010o 1QM0 mmmm', estimate('neon_rsqrte')],
  // VTBL / VTBX, VDUP (scalar), VEXT.
  ['vtbl', '1', '1D11 nnnn dddd 10ll NoM0 mmmm', vtbl],
  ['vdup', '1', '1D11 iiii dddd 1100 0QM0 mmmm', vdupScalar],
  ['vext', '0', '1D11 nnnn dddd iiii NQM0 mmmm', vext],
  // Three registers of different lengths (size != 11).
  ['vaddl', 'U', '1Dzz nnnn dddd 0000 N0M0 mmmm', diff('neon_addl', 'long')],
  ['vaddw', 'U', '1Dzz nnnn dddd 0001 N0M0 mmmm', diff('neon_addw', 'wide')],
  ['vsubl', 'U', '1Dzz nnnn dddd 0010 N0M0 mmmm', diff('neon_subl', 'long')],
  ['vsubw', 'U', '1Dzz nnnn dddd 0011 N0M0 mmmm', diff('neon_subw', 'wide')],
  ['vaddhn', '0', '1Dzz nnnn dddd 0100 N0M0 mmmm', diff('neon_addhn', 'narrow', false)],
  ['vraddhn', '1', '1Dzz nnnn dddd 0100 N0M0 mmmm', diff('neon_raddhn', 'narrow', false)],
  ['vrsubhn', '1', '1Dzz nnnn dddd 0110 N0M0 mmmm', diff('neon_rsubhn', 'narrow', false)],
  ['vqdmlal', '0', '1Dzz nnnn dddd 1001 N0M0 mmmm', diff('neon_qdmlal', 'long', false, [1, 2])],
  ['vqdmlsl', '0', '1Dzz nnnn dddd 1011 N0M0 mmmm', diff('neon_qdmlsl', 'long', false, [1, 2])],
  ['vqdmull', '0', '1Dzz nnnn dddd 1101 N0M0 mmmm', diff('neon_qdmull', 'long', false, [1, 2])],
  ['vmull', '0', '1Dzz nnnn dddd 1110 N0M0 mmmm', diff('neon_pmull', 'long', false, [0])],
  ['vabal', 'U', '1Dzz nnnn dddd 0101 N0M0 mmmm', diff('neon_abal', 'long')],
  ['vsubhn', '0', '1Dzz nnnn dddd 0110 N0M0 mmmm', diff('neon_subhn', 'narrow', false)],
  ['vabdl', 'U', '1Dzz nnnn dddd 0111 N0M0 mmmm', diff('neon_abdl', 'long')],
  ['vmlal', 'U', '1Dzz nnnn dddd 1000 N0M0 mmmm', diff('neon_mlal', 'long')],
  ['vmlsl', 'U', '1Dzz nnnn dddd 1010 N0M0 mmmm', diff('neon_mlsl', 'long')],
  ['vmull', 'U', '1Dzz nnnn dddd 1100 N0M0 mmmm', diff('neon_mull', 'long')],
  // Two registers and a scalar (U is Q here).
  ['vmla', 'U', '1Dzz nnnn dddd 0000 N1M0 mmmm', byScalar('neon_mla_scalar')],
  ['vmls', 'U', '1Dzz nnnn dddd 0100 N1M0 mmmm', byScalar('neon_mls_scalar')],
  ['vmul', 'U', '1Dzz nnnn dddd 1000 N1M0 mmmm', byScalar('neon_mul_scalar')],
  ['vmla', 'U', '1Dzz nnnn dddd 0001 N1M0 mmmm', byScalar('neon_fmla_scalar', [2])],
  ['vmls', 'U', '1Dzz nnnn dddd 0101 N1M0 mmmm', byScalar('neon_fmls_scalar', [2])],
  ['vmul', 'U', '1Dzz nnnn dddd 1001 N1M0 mmmm', byScalar('neon_fmul_scalar', [2])],
  ['vqdmulh', 'U', '1Dzz nnnn dddd 1100 N1M0 mmmm', byScalar('neon_qdmulh_scalar')],
  ['vqrdmulh', 'U', '1Dzz nnnn dddd 1101 N1M0 mmmm', byScalar('neon_qrdmulh_scalar')],
  ['vmlal', 'U', '1Dzz nnnn dddd 0010 N1M0 mmmm', byScalarLong('neon_mlal_scalar')],
  ['vmlsl', 'U', '1Dzz nnnn dddd 0110 N1M0 mmmm', byScalarLong('neon_mlsl_scalar')],
  ['vmull', 'U', '1Dzz nnnn dddd 1010 N1M0 mmmm', byScalarLong('neon_mull_scalar')],
  ['vqdmlal', '0', '1Dzz nnnn dddd 0011 N1M0 mmmm', byScalarLong('neon_qdmlal_scalar', false)],
  ['vqdmlsl', '0', '1Dzz nnnn dddd 0111 N1M0 mmmm', byScalarLong('neon_qdmlsl_scalar', false)],
  ['vqdmull', '0', '1Dzz nnnn dddd 1011 N1M0 mmmm', byScalarLong('neon_qdmull_scalar', false)],
  // Two registers and a shift amount.
  ['vshr', 'U', '1Dii iiii dddd 0000 LQM1 mmmm', shiftImm('neon_shr', 'right', true)],
  ['vsra', 'U', '1Dii iiii dddd 0001 LQM1 mmmm', shiftImm('neon_sra', 'right', true)],
  ['vrshr', 'U', '1Dii iiii dddd 0010 LQM1 mmmm', shiftImm('neon_rshr', 'right', true)],
  ['vrsra', 'U', '1Dii iiii dddd 0011 LQM1 mmmm', shiftImm('neon_rsra', 'right', true)],
  ['vsri', '1', '1Dii iiii dddd 0100 LQM1 mmmm', shiftImm('neon_sri', 'right')],
  ['vshl', '0', '1Dii iiii dddd 0101 LQM1 mmmm', shiftImm('neon_shl', 'left')],
  ['vsli', '1', '1Dii iiii dddd 0101 LQM1 mmmm', shiftImm('neon_sli', 'left')],
  ['vqshlu', '1', '1Dii iiii dddd 0110 LQM1 mmmm', shiftImm('neon_qshlu', 'left')],
  ['vqshl', 'U', '1Dii iiii dddd 0111 LQM1 mmmm', shiftImm('neon_qshl', 'left', true)],
  ['vshrn', '0', '1Dii iiii dddd 1000 00M1 mmmm', shiftImm('neon_shrn', 'narrow')],
  ['vrshrn', '0', '1Dii iiii dddd 1000 01M1 mmmm', shiftImm('neon_rshrn', 'narrow')],
  ['vqshrun', '1', '1Dii iiii dddd 1000 00M1 mmmm', shiftImm('neon_qshrun', 'narrow')],
  ['vqrshrun', '1', '1Dii iiii dddd 1000 01M1 mmmm', shiftImm('neon_qrshrun', 'narrow')],
  ['vcvt', 'U', '1Dii iiii dddd 111o 0QM1 mmmm', vcvtFixed],
  ['vqshrn', 'U', '1Dii iiii dddd 1001 00M1 mmmm', shiftImm('neon_qshrn', 'narrow', true)],
  ['vqrshrn', 'U', '1Dii iiii dddd 1001 01M1 mmmm', shiftImm('neon_qrshrn', 'narrow', true)],
  ['vshll', 'U', '1Dii iiii dddd 1010 00M1 mmmm', shiftImm('neon_shll', 'long', true)],
  // Three registers of the same length.
  ['vhadd', 'U', '0Dzz nnnn dddd 0000 NQM0 mmmm', same('neon_hadd', { sign: true })],
  ['vshl', 'U', '0Dzz nnnn dddd 0100 NQM0 mmmm', same('neon_shl_reg', { sign: true, dword: true })],
  ['vqshl', 'U', '0Dzz nnnn dddd 0100 NQM1 mmmm', same('neon_qshl_reg', { sign: true, dword: true })],
  ['vrshl', 'U', '0Dzz nnnn dddd 0101 NQM0 mmmm', same('neon_rshl_reg', { sign: true, dword: true })],
  ['vqrshl', 'U', '0Dzz nnnn dddd 0101 NQM1 mmmm', same('neon_qrshl_reg', { sign: true, dword: true })],
  ['vqdmulh', '0', '0Dzz nnnn dddd 1011 NQM0 mmmm', same('neon_qdmulh', { only: [1, 2] })],
  ['vqrdmulh', '1', '0Dzz nnnn dddd 1011 NQM0 mmmm', same('neon_qrdmulh', { only: [1, 2] })],
  ['vqadd', 'U', '0Dzz nnnn dddd 0000 NQM1 mmmm', same('neon_qadd', { sign: true, dword: true })],
  ['vrhadd', 'U', '0Dzz nnnn dddd 0001 NQM0 mmmm', same('neon_rhadd', { sign: true })],
  ['vand', 'U', '0Dzz nnnn dddd 0001 NQM1 mmmm', bitwise],
  ['vhsub', 'U', '0Dzz nnnn dddd 0010 NQM0 mmmm', same('neon_hsub', { sign: true })],
  ['vqsub', 'U', '0Dzz nnnn dddd 0010 NQM1 mmmm', same('neon_qsub', { sign: true, dword: true })],
  ['vcgt', 'U', '0Dzz nnnn dddd 0011 NQM0 mmmm', same('neon_cgt', { sign: true })],
  ['vcge', 'U', '0Dzz nnnn dddd 0011 NQM1 mmmm', same('neon_cge', { sign: true })],
  ['vmax', 'U', '0Dzz nnnn dddd 0110 NQM0 mmmm', same('neon_max', { sign: true })],
  ['vmin', 'U', '0Dzz nnnn dddd 0110 NQM1 mmmm', same('neon_min', { sign: true })],
  ['vabd', 'U', '0Dzz nnnn dddd 0111 NQM0 mmmm', same('neon_abd', { sign: true })],
  ['vaba', 'U', '0Dzz nnnn dddd 0111 NQM1 mmmm', same('neon_aba', { sign: true })],
  ['vadd', '0', '0Dzz nnnn dddd 1000 NQM0 mmmm', same('neon_add', { dword: true })],
  ['vsub', '1', '0Dzz nnnn dddd 1000 NQM0 mmmm', same('neon_sub', { dword: true })],
  ['vtst', '0', '0Dzz nnnn dddd 1000 NQM1 mmmm', same('neon_tst')],
  ['vceq', '1', '0Dzz nnnn dddd 1000 NQM1 mmmm', vceq],
  ['vmla', '0', '0Dzz nnnn dddd 1001 NQM0 mmmm', same('neon_mla')],
  ['vmls', '1', '0Dzz nnnn dddd 1001 NQM0 mmmm', same('neon_mls')],
  ['vmul', '0', '0Dzz nnnn dddd 1001 NQM1 mmmm', same('neon_mul')],
  ['vmul', '1', '0Dzz nnnn dddd 1001 NQM1 mmmm', same('neon_pmul', { only: [0] })],
  ['vpmax', 'U', '0Dzz nnnn dddd 1010 NQM0 mmmm', same('neon_pmax', { sign: true, noQ: true })],
  ['vpmin', 'U', '0Dzz nnnn dddd 1010 NQM1 mmmm', same('neon_pmin', { sign: true, noQ: true })],
  ['vpadd', '0', '0Dzz nnnn dddd 1011 NQM1 mmmm', vpadd],
  ['vadd', '0', '0D0z nnnn dddd 1101 NQM0 mmmm', fsame('neon_fadd')],
  ['vsub', '0', '0D1z nnnn dddd 1101 NQM0 mmmm', fsame('neon_fsub')],
  ['vmla', '0', '0D0z nnnn dddd 1101 NQM1 mmmm', fsame('neon_fmla')],
  ['vmls', '0', '0D1z nnnn dddd 1101 NQM1 mmmm', fsame('neon_fmls')],
  ['vmul', '1', '0D0z nnnn dddd 1101 NQM1 mmmm', fsame('neon_fmul')],
  ['vpadd', '1', '0D0z nnnn dddd 1101 NQM0 mmmm', fsame('neon_fpadd', true)],
  ['vabd', '1', '0D1z nnnn dddd 1101 NQM0 mmmm', fsame('neon_fabd')],
  ['vceq', '0', '0D0z nnnn dddd 1110 NQM0 mmmm', fsame('neon_fceq')],
  ['vcge', '1', '0D0z nnnn dddd 1110 NQM0 mmmm', fsame('neon_fcge')],
  ['vcgt', '1', '0D1z nnnn dddd 1110 NQM0 mmmm', fsame('neon_fcgt')],
  ['vacge', '1', '0D0z nnnn dddd 1110 NQM1 mmmm', fsame('neon_facge')],
  ['vacgt', '1', '0D1z nnnn dddd 1110 NQM1 mmmm', fsame('neon_facgt')],
  ['vmax', '0', '0D0z nnnn dddd 1111 NQM0 mmmm', fsame('neon_fmax')],
  ['vmin', '0', '0D1z nnnn dddd 1111 NQM0 mmmm', fsame('neon_fmin')],
  ['vpmax', '1', '0D0z nnnn dddd 1111 NQM0 mmmm', fsame('neon_fpmax', true)],
  ['vrecps', '0', '0D0z nnnn dddd 1111 NQM1 mmmm', fsame('neon_frecps')],
  ['vrsqrts', '0', '0D1z nnnn dddd 1111 NQM1 mmmm', fsame('neon_frsqrts')],
  ['vpmin', '1', '0D1z nnnn dddd 1111 NQM0 mmmm', fsame('neon_fpmin', true)],
];

/** Element and structure load/store rows (bits 23..0; L = load). */
const LS: [string, string, ArmTrans][] = [
  ['vldst1', '0DL0 rrrr dddd 0111 zzaa wwww', ldstMultiple(1)],
  ['vldst1', '0DL0 rrrr dddd 1010 zzaa wwww', ldstMultiple(2)],
  ['vldst1', '0DL0 rrrr dddd 0110 zzaa wwww', ldstMultiple(3)],
  ['vldst1', '0DL0 rrrr dddd 0010 zzaa wwww', ldstMultiple(4)],
  ['vldst2', '0DL0 rrrr dddd 1000 zzaa wwww', ldstStructs(2, 1, 1)],
  ['vldst2', '0DL0 rrrr dddd 1001 zzaa wwww', ldstStructs(2, 1, 2)],
  ['vldst2', '0DL0 rrrr dddd 0011 zzaa wwww', ldstStructs(2, 2, 2)],
  ['vldst3', '0DL0 rrrr dddd 0100 zzaa wwww', ldstStructs(3, 1, 1)],
  ['vldst3', '0DL0 rrrr dddd 0101 zzaa wwww', ldstStructs(3, 1, 2)],
  ['vldst4', '0DL0 rrrr dddd 0000 zzaa wwww', ldstStructs(4, 1, 1)],
  ['vldst4', '0DL0 rrrr dddd 0001 zzaa wwww', ldstStructs(4, 1, 2)],
  ['vld1', '1D10 rrrr dddd 1100 zzTa wwww', ldAllLanes],
  ['vld2', '1D10 rrrr dddd 1101 zzTa wwww', ldStructAll(2)],
  ['vld3', '1D10 rrrr dddd 1110 zzTa wwww', ldStructAll(3)],
  ['vld4', '1D10 rrrr dddd 1111 zzTa wwww', ldStructAll(4)],
  ['vldst2', '1DL0 rrrr dddd zz01 aaaa wwww', ldstStructLane(2)],
  ['vldst3', '1DL0 rrrr dddd zz10 aaaa wwww', ldstStructLane(3)],
  ['vldst4', '1DL0 rrrr dddd zz11 aaaa wwww', ldstStructLane(4)],
  ['vldst1', '1DL0 rrrr dddd zz00 aaaa wwww', ldstStructLane(1)],
];

export const NEON_A32_UNCOND_PATTERNS: ArmPattern[] = [
  ...DP.map(([name, u, tail, t]) => pat(name, `1111 001${u} ${tail}`, t)),
  ...LS.map(([name, tail, t]) => pat(name, `1111 0100 ${tail}`, t)),
];
export const NEON_T32_PATTERNS: ArmPattern[] = [
  ...DP.map(([name, u, tail, t]) => pat(name, `111${u} 1111 ${tail}`, t)),
  ...LS.map(([name, tail, t]) => pat(name, `1111 1001 ${tail}`, t)),
  pat('vdup', '1110 1110 1bQ0 dddd tttt 1011 D0e1 ----', vdupCore),
];
/** VDUP (core register) carries a condition in A32. */
export const NEON_A32_PATTERNS: ArmPattern[] = [pat('vdup', '---- 1110 1bQ0 dddd tttt 1011 D0e1 ----', vdupCore)];

export function registerNeonHelpers(reg: HelperRegistry, mem: GuestMemory): void {
  for (const h of makeNeonHelpers(mem.view)) reg.add(h);
}
