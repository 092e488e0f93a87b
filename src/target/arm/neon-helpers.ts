// Advanced SIMD (NEON) lane helpers. Each helper takes one packed i32 (packNeon): the D register
// numbers of Vd, Vn, Vm, the element size (0..3 = 8..64 bits), Q (two D registers per operand,
// which are adjacent in the state: Q[k] is D[2k], D[2k+1]) and an extra field (a shift amount,
// an index, a length). Operands are copied out before the result is written, so a destination
// that overlaps a source reads the old value, as the ARM ARM pseudocode does. Lanes of up to 32
// bits are numbers (DataView stores wrap them to the lane width); 64-bit lanes are bigints.
//
// The float forms use the "standard FPSCR value" (ARM ARM A2.7.2 StandardFPSCRValue): round to
// nearest, flush-to-zero, default NaN, with the exception flags ORed into FPSCR's cumulative
// bits. Saturating forms set FPSCR.QC.
import { Helper, HelperFlags } from '../../tcg/ir.js';
import { DREG, FPSCR } from './cpu-state.js';

export function packNeon(d: number, n: number, m: number, size: number, q: number, x = 0): number {
  return (d | (n << 5) | (m << 10) | (size << 15) | (q << 17) | (x << 18)) >>> 0;
}

const QC = 1 << 27;
const IOC = 1, DZC = 2, OFC = 4, UFC = 8, IXC = 16, IDC = 128;

type Lane = any; // number for lanes up to 32 bits, bigint for 64-bit lanes

/** A 32-byte scratch operand (two Q registers: VEXT and VTBL read across registers). */
class Op {
  readonly v = new DataView(new ArrayBuffer(32));
  readonly u8 = new Uint8Array(this.v.buffer);
  get(size: number, i: number, signed: boolean): Lane {
    const v = this.v;
    switch (size) {
      case 0: return signed ? v.getInt8(i) : v.getUint8(i);
      case 1: return signed ? v.getInt16(i * 2, true) : v.getUint16(i * 2, true);
      case 2: return signed ? v.getInt32(i * 4, true) : v.getUint32(i * 4, true);
      default: return signed ? v.getBigInt64(i * 8, true) : v.getBigUint64(i * 8, true);
    }
  }
  set(size: number, i: number, x: Lane): void {
    const v = this.v;
    if (typeof x === 'bigint' && size < 3) x = Number(BigInt.asIntN(32, x));
    switch (size) {
      case 0: v.setUint8(i, x); break;
      case 1: v.setUint16(i * 2, x, true); break;
      case 2: v.setUint32(i * 4, x, true); break;
      default: v.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(x)), true);
    }
  }
}

/** The range of a lane as [min, max], numbers or bigints like the lane. */
function range(size: number, signed: boolean): [Lane, Lane] {
  if (size === 3) return signed ? [-(1n << 63n), (1n << 63n) - 1n] : [0n, (1n << 64n) - 1n];
  const bits = 8 << size;
  return signed ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
}

const f32 = new Float32Array(1);
const f32u = new Uint32Array(f32.buffer);
const DEFAULT_NAN = 0x7fc00000;

export function makeNeonHelpers(view: DataView): Helper[] {
  const mem = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  const A = new Op(), B = new Op(), D = new Op(), R = new Op();
  const load = (o: Op, env: number, r: number, nregs: number): void => {
    for (let k = 0; k < nregs; k++) {
      const at = env + DREG((r + k) & 31);
      o.u8.set(mem.subarray(at, at + 8), k * 8);
    }
  };
  const store = (o: Op, env: number, r: number, nregs: number): void => {
    for (let k = 0; k < nregs; k++) mem.set(o.u8.subarray(k * 8, k * 8 + 8), env + DREG(r + k));
  };
  const orFpscr = (env: number, bits: number): void => {
    if (bits) view.setUint32(env + FPSCR, view.getUint32(env + FPSCR, true) | bits, true);
  };

  interface P { env: number; d: number; n: number; m: number; size: number; q: number; x: number; regs: number; lanes: number }
  const unpack = (env: number, p: number): P => {
    const size = (p >>> 15) & 3, q = (p >>> 17) & 1;
    const regs = q + 1;
    return { env, d: p & 31, n: (p >>> 5) & 31, m: (p >>> 10) & 31, size, q, x: p >>> 18, regs, lanes: (regs * 8) >> size };
  };
  /** Saturates x into the lane range; QC when it had to. */
  const sat = (o: P, x: Lane, signed: boolean): Lane => {
    const [lo, hi] = range(o.size, signed);
    if (x < lo) { orFpscr(o.env, QC); return lo; }
    if (x > hi) { orFpscr(o.env, QC); return hi; }
    return x;
  };

  const helpers: Record<string, (env: number, p: number) => void> = {};
  /** Lane-wise Vd = f(Vn, Vm, Vd) with same-size lanes. */
  const same = (name: string, signed: boolean, f: (a: Lane, b: Lane, d: Lane, o: P) => Lane): void => {
    helpers[name] = (env, p) => {
      const o = unpack(env, p);
      load(A, env, o.n, o.regs); load(B, env, o.m, o.regs); load(D, env, o.d, o.regs);
      for (let i = 0; i < o.lanes; i++) R.set(o.size, i, f(A.get(o.size, i, signed), B.get(o.size, i, signed), D.get(o.size, i, signed), o));
      store(R, env, o.d, o.regs);
    };
  };
  /** Multiply by a scalar (x = its lane in Dm, whose number is m): Vd = f(Vn, Dm[x], Vd). */
  const byScalar = (name: string, signed: boolean, f: (a: Lane, b: Lane, d: Lane, o: P) => Lane): void => {
    helpers[name] = (env, p) => {
      const o = unpack(env, p);
      load(A, env, o.n, o.regs); load(B, env, o.m, 1); load(D, env, o.d, o.regs);
      const s = B.get(o.size, o.x, signed);
      for (let i = 0; i < o.lanes; i++) R.set(o.size, i, f(A.get(o.size, i, signed), s, D.get(o.size, i, signed), o));
      store(R, env, o.d, o.regs);
    };
  };
  const mul = (a: Lane, b: Lane): Lane => (typeof a === 'bigint' ? a * b : Math.imul(a, b));
  same('neon_add', false, (a, b) => a + b);
  same('neon_sub', false, (a, b) => a - b);
  same('neon_mul', false, mul);
  same('neon_mla', false, (a, b, d) => (typeof a === 'bigint' ? d + a * b : d + Math.imul(a, b)));
  same('neon_mls', false, (a, b, d) => (typeof a === 'bigint' ? d - a * b : d - Math.imul(a, b)));
  for (const [sfx, sg] of [['s', true], ['u', false]] as const) {
    same(`neon_qadd_${sfx}`, sg, (a, b, _d, o) => sat(o, a + b, sg));
    same(`neon_qsub_${sfx}`, sg, (a, b, _d, o) => sat(o, a - b, sg));
    same(`neon_max_${sfx}`, sg, (a, b) => (a > b ? a : b));
    same(`neon_min_${sfx}`, sg, (a, b) => (a < b ? a : b));
    same(`neon_cgt_${sfx}`, sg, (a, b) => (a > b ? -1 : 0));
    same(`neon_cge_${sfx}`, sg, (a, b) => (a >= b ? -1 : 0));
    same(`neon_hadd_${sfx}`, sg, (a, b) => Math.floor((a + b) / 2));
    same(`neon_rhadd_${sfx}`, sg, (a, b) => Math.floor((a + b + 1) / 2));
    same(`neon_hsub_${sfx}`, sg, (a, b) => Math.floor((a - b) / 2));
    same(`neon_abd_${sfx}`, sg, (a, b) => (a > b ? a - b : b - a));
    same(`neon_aba_${sfx}`, sg, (a, b, d) => d + (a > b ? a - b : b - a));
  }
  same('neon_ceq', false, (a, b) => (a === b ? -1 : 0));
  same('neon_tst', false, (a, b) => (typeof a === 'bigint' ? ((a & b) !== 0n ? -1n : 0n) : (a & b) !== 0 ? -1 : 0));

  /** VPADD, VPMAX, VPMIN: pairs of Vn then pairs of Vm (D registers only). */
  const pairwise = (name: string, signed: boolean, f: (a: Lane, b: Lane) => Lane): void => {
    helpers[name] = (env, p) => {
      const o = unpack(env, p);
      load(A, env, o.n, 1); load(B, env, o.m, 1);
      const half = o.lanes >> 1;
      for (let i = 0; i < half; i++) {
        R.set(o.size, i, f(A.get(o.size, 2 * i, signed), A.get(o.size, 2 * i + 1, signed)));
        R.set(o.size, half + i, f(B.get(o.size, 2 * i, signed), B.get(o.size, 2 * i + 1, signed)));
      }
      store(R, env, o.d, 1);
    };
  };
  pairwise('neon_padd', false, (a, b) => a + b);
  pairwise('neon_pmax_s', true, (a, b) => (a > b ? a : b));
  pairwise('neon_pmax_u', false, (a, b) => (a > b ? a : b));
  pairwise('neon_pmin_s', true, (a, b) => (a < b ? a : b));
  pairwise('neon_pmin_u', false, (a, b) => (a < b ? a : b));

  /** Long and wide forms: Qd (lanes of 2*size) = f(Vn, Vm, Qd) where Vn is a Q register of wide
   *  lanes when `wideN` (VADDW) and otherwise a D register like Vm. 32-bit sources widen to bigints. */
  const long = (name: string, signed: boolean, wideN: boolean, f: (a: Lane, b: Lane, d: Lane, o: P) => Lane, scalar = false): void => {
    helpers[name] = (env, p) => {
      const o = unpack(env, p);
      load(A, env, o.n, wideN ? 2 : 1); load(B, env, o.m, 1); load(D, env, o.d, 2);
      const big = o.size === 2;
      const w = (x: Lane): Lane => (big && typeof x !== 'bigint' ? BigInt(x) : x);
      for (let i = 0; i < 8 >> o.size; i++) {
        const a = w(wideN ? A.get(o.size + 1, i, signed) : A.get(o.size, i, signed));
        const b = w(B.get(o.size, scalar ? o.x : i, signed));
        R.set(o.size + 1, i, f(a, b, D.get(o.size + 1, i, signed), o));
      }
      store(R, env, o.d, 2);
    };
  };
  for (const [sfx, sg] of [['s', true], ['u', false]] as const) {
    long(`neon_addl_${sfx}`, sg, false, (a, b) => a + b);
    long(`neon_addw_${sfx}`, sg, true, (a, b) => a + b);
    long(`neon_subl_${sfx}`, sg, false, (a, b) => a - b);
    long(`neon_subw_${sfx}`, sg, true, (a, b) => a - b);
    long(`neon_abdl_${sfx}`, sg, false, (a, b) => (a > b ? a - b : b - a));
    long(`neon_abal_${sfx}`, sg, false, (a, b, d) => d + (a > b ? a - b : b - a));
    long(`neon_mull_${sfx}`, sg, false, (a, b) => a * b);
    long(`neon_mlal_${sfx}`, sg, false, (a, b, d) => (typeof a === 'bigint' ? BigInt(d) + a * b : d + a * b));
    long(`neon_mlsl_${sfx}`, sg, false, (a, b, d) => (typeof a === 'bigint' ? BigInt(d) - a * b : d - a * b));
    long(`neon_mull_scalar_${sfx}`, sg, false, (a, b) => a * b, true);
    long(`neon_mlal_scalar_${sfx}`, sg, false, (a, b, d) => d + a * b, true);
    long(`neon_mlsl_scalar_${sfx}`, sg, false, (a, b, d) => d - a * b, true);
  }
  /** VQDMULL / VQDMLAL / VQDMLSL: the doubled product saturated to the wide lane, then the
   *  accumulation saturated again (QC for either). */
  const wideSat = (o: P, x: Lane): Lane => sat({ ...o, size: o.size + 1 }, x, true);
  const dbl = (a: Lane, b: Lane): Lane => (typeof a === 'bigint' ? 2n * a * b : 2 * a * b);
  for (const scalar of [false, true]) {
    const sfx = scalar ? '_scalar' : '';
    long(`neon_qdmull${sfx}`, true, false, (a, b, _d, o) => wideSat(o, dbl(a, b)), scalar);
    long(`neon_qdmlal${sfx}`, true, false, (a, b, d, o) => wideSat(o, d + wideSat(o, dbl(a, b))), scalar);
    long(`neon_qdmlsl${sfx}`, true, false, (a, b, d, o) => wideSat(o, d - wideSat(o, dbl(a, b))), scalar);
  }
  /** Polynomial (carry-less) multiplication over GF(2) of bytes. */
  const clmul8 = (a: number, b: number): number => {
    let r = 0;
    for (let i = 0; i < 8; i++) if ((b >> i) & 1) r ^= a << i;
    return r;
  };
  long('neon_pmull', false, false, (a, b) => clmul8(a, b));
  same('neon_pmul', false, (a, b) => clmul8(a, b));

  /** Shifts by an immediate (x = the amount, 1..esize for right shifts, 0..esize-1 for left). */
  const pow = (sh: number, big: boolean): Lane => (big ? 1n << BigInt(sh) : 2 ** sh);
  const shr = (a: Lane, sh: number, round: boolean): Lane => {
    if (typeof a === 'bigint') return (a + (round ? (1n << BigInt(sh)) >> 1n : 0n)) >> BigInt(sh);
    return Math.floor((a + (round ? 2 ** (sh - 1) : 0)) / 2 ** sh);
  };
  const shiftImm = (name: string, signed: boolean, f: (a: Lane, sh: number, d: Lane, o: P) => Lane): void =>
    same(name, signed, (_a, b, d, o) => f(b, o.x, d, o));
  for (const [sfx, sg] of [['s', true], ['u', false]] as const) {
    shiftImm(`neon_shr_${sfx}`, sg, (a, sh) => shr(a, sh, false));
    shiftImm(`neon_rshr_${sfx}`, sg, (a, sh) => shr(a, sh, true));
    shiftImm(`neon_sra_${sfx}`, sg, (a, sh, d) => d + shr(a, sh, false));
    shiftImm(`neon_rsra_${sfx}`, sg, (a, sh, d) => d + shr(a, sh, true));
  }
  shiftImm('neon_shl', false, (a, sh) => (typeof a === 'bigint' ? a << BigInt(sh) : a << sh));
  /** VSRI / VSLI: the shifted value replaces only the bits it covers. */
  shiftImm('neon_sri', false, (a, sh, d, o) => {
    const bits = 8 << o.size, big = o.size === 3;
    if (big) return (d & ~(((1n << 64n) - 1n) >> BigInt(sh))) | (a >> BigInt(sh));
    return (d & (sh === bits ? -1 : ~(2 ** (bits - sh) - 1))) | shr(a, sh, false);
  });
  shiftImm('neon_sli', false, (a, sh, d, o) => {
    const big = o.size === 3;
    return big ? (BigInt(d) & ((1n << BigInt(sh)) - 1n)) | (a << BigInt(sh)) : (d & (2 ** sh - 1)) | (a << sh);
  });
  for (const [sfx, sg] of [['s', true], ['u', false]] as const) {
    shiftImm(`neon_qshl_${sfx}`, sg, (a, sh, _d, o) => sat(o, a * pow(sh, typeof a === 'bigint'), sg));
  }
  shiftImm('neon_qshlu', true, (a, sh, _d, o) => sat(o, a * pow(sh, typeof a === 'bigint'), false));

  /** Shifts by register: Vm's lanes by the signed low byte of Vn's (negative shifts right),
   *  computed exactly, then wrapped or (q) saturated; r rounds right shifts. */
  const shiftReg = (name: string, signed: boolean, round: boolean, q: boolean): void => {
    helpers[name] = (env, p) => {
      const o = unpack(env, p);
      load(A, env, o.n, o.regs); load(B, env, o.m, o.regs);
      for (let i = 0; i < o.lanes; i++) {
        const x = BigInt(B.get(o.size, i, signed)), sh = A.v.getInt8(i << o.size);
        const r = sh >= 0 ? x << BigInt(sh) : (x + (round ? 1n << BigInt(-sh - 1) : 0n)) >> BigInt(-sh);
        R.set(o.size, i, q ? sat(o, r, signed) : r);
      }
      store(R, env, o.d, o.regs);
    };
  };
  for (const [sfx, sg] of [['s', true], ['u', false]] as const) {
    shiftReg(`neon_shl_reg_${sfx}`, sg, false, false);
    shiftReg(`neon_rshl_reg_${sfx}`, sg, true, false);
    shiftReg(`neon_qshl_reg_${sfx}`, sg, false, true);
    shiftReg(`neon_qrshl_reg_${sfx}`, sg, true, true);
  }
  /** VQDMULH / VQRDMULH: the high half of the doubled product, saturated (only min * min can). */
  for (const [name, round] of [['neon_qdmulh', false], ['neon_qrdmulh', true]] as const) {
    const f = (a: Lane, b: Lane, _d: Lane, o: P): Lane => {
      const bits = BigInt(8 << o.size);
      return sat(o, (2n * BigInt(a) * BigInt(b) + (round ? 1n << (bits - 1n) : 0n)) >> bits, true);
    };
    same(name, true, f);
    byScalar(`${name}_scalar`, true, f);
  }

  /** Narrowing: Dd (lanes of size) from Qm (lanes of 2*size) shifted right by x. */
  const narrow = (name: string, signed: boolean, f: (a: Lane, o: P) => Lane): void => {
    helpers[name] = (env, p) => {
      const o = unpack(env, p);
      load(B, env, o.m, 2);
      for (let i = 0; i < 8 >> o.size; i++) R.set(o.size, i, f(B.get(o.size + 1, i, signed), o));
      store(R, env, o.d, 1);
    };
  };
  narrow('neon_shrn', false, (a, o) => (o.x ? shr(a, o.x, false) : a));
  narrow('neon_rshrn', false, (a, o) => shr(a, o.x, true));
  for (const [sfx, sg] of [['s', true], ['u', false]] as const) {
    narrow(`neon_qmovn_${sfx}`, sg, (a, o) => sat(o, a, sg));
    narrow(`neon_qshrn_${sfx}`, sg, (a, o) => sat(o, shr(a, o.x, false), sg));
    narrow(`neon_qrshrn_${sfx}`, sg, (a, o) => sat(o, shr(a, o.x, true), sg));
  }
  narrow('neon_qmovun', true, (a, o) => sat(o, a, false));
  narrow('neon_qshrun', true, (a, o) => sat(o, shr(a, o.x, false), false));
  narrow('neon_qrshrun', true, (a, o) => sat(o, shr(a, o.x, true), false));
  /** VADDHN / VSUBHN (and VRADDHN / VRSUBHN, rounded): the high halves of wide sums. */
  const add = (a: Lane, b: Lane): Lane => a + b, sub = (a: Lane, b: Lane): Lane => a - b;
  for (const [name, f, round] of [['neon_addhn', add, false], ['neon_subhn', sub, false], ['neon_raddhn', add, true], ['neon_rsubhn', sub, true]] as const) {
    helpers[name] = (env, p) => {
      const o = unpack(env, p);
      load(A, env, o.n, 2); load(B, env, o.m, 2);
      const half = 8 << o.size;
      for (let i = 0; i < 8 >> o.size; i++) {
        const r = f(A.get(o.size + 1, i, false), B.get(o.size + 1, i, false));
        R.set(o.size, i, typeof r === 'bigint' ? (r + (round ? 1n << BigInt(half - 1) : 0n)) >> BigInt(half)
          : Math.floor((r + (round ? 2 ** (half - 1) : 0)) / 2 ** half));
      }
      store(R, env, o.d, 1);
    };
  }

  /** VSHLL / VMOVL: Qd (lanes of 2*size) = Dm widened and shifted left by x. */
  for (const [sfx, sg] of [['s', true], ['u', false]] as const) {
    helpers[`neon_shll_${sfx}`] = (env, p) => {
      const o = unpack(env, p);
      load(B, env, o.m, 1);
      for (let i = 0; i < 8 >> o.size; i++) {
        const a = B.get(o.size, i, sg);
        R.set(o.size + 1, i, o.size === 2 ? BigInt(a) << BigInt(o.x) : a * 2 ** o.x);
      }
      store(R, env, o.d, 2);
    };
  }

  /** Two-register lane-wise forms Vd = f(Vm). */
  const unary = (name: string, signed: boolean, f: (a: Lane, o: P) => Lane): void =>
    same(name, signed, (_a, b, _d, o) => f(b, o));
  unary('neon_abs', true, (a) => (a < 0 ? -a : a));
  unary('neon_neg', true, (a) => -a);
  unary('neon_qabs', true, (a, o) => sat(o, a < 0 ? -a : a, true));
  unary('neon_qneg', true, (a, o) => sat(o, -a, true));
  unary('neon_cgt0', true, (a) => (a > 0 ? -1 : 0));
  unary('neon_cge0', true, (a) => (a >= 0 ? -1 : 0));
  unary('neon_ceq0', true, (a) => (a === 0 ? -1 : 0));
  unary('neon_cle0', true, (a) => (a <= 0 ? -1 : 0));
  unary('neon_clt0', true, (a) => (a < 0 ? -1 : 0));
  unary('neon_clz', false, (a, o) => Math.clz32(a) - (32 - (8 << o.size)));
  unary('neon_cls', true, (a, o) => Math.clz32(a < 0 ? ~a : a) - (32 - (8 << o.size)) - 1);
  unary('neon_cnt', false, (a) => { let c = 0; for (let x = a; x; x &= x - 1) c++; return c; });
  /** VPADDL / VPADAL: pairs of lanes summed into lanes twice as wide (x = 1: accumulate). */
  for (const [sfx, sg] of [['s', true], ['u', false]] as const) {
    helpers[`neon_paddl_${sfx}`] = (env, p) => {
      const o = unpack(env, p);
      load(B, env, o.m, o.regs); load(D, env, o.d, o.regs);
      for (let i = 0; i < o.lanes >> 1; i++) {
        let s = B.get(o.size, 2 * i, sg) + B.get(o.size, 2 * i + 1, sg);
        if (o.size === 2) s = BigInt(s);
        if (o.x) s += D.get(o.size + 1, i, false);
        R.set(o.size + 1, i, s);
      }
      store(R, env, o.d, o.regs);
    };
  }

  /** VREV16/32/64 (x = log2 of the group in bytes): lanes reversed within each group. */
  helpers.neon_rev = (env, p) => {
    const o = unpack(env, p);
    load(B, env, o.m, o.regs);
    const per = (1 << o.x) >> o.size; // lanes per group
    for (let i = 0; i < o.lanes; i++) R.set(o.size, i, B.get(o.size, i ^ (per - 1), false));
    store(R, env, o.d, o.regs);
  };
  /** VZIP / VUZP / VTRN write both operands: the interleaving of Vd:Vm (lanes 0..2n-1). */
  const permute = (name: string, order: (i: number, n: number) => number): void => {
    helpers[name] = (env, p) => {
      const o = unpack(env, p);
      load(D, env, o.d, o.regs); load(B, env, o.m, o.regs);
      const n = o.lanes;
      const src = (j: number): Lane => (j < n ? D.get(o.size, j, false) : B.get(o.size, j - n, false));
      const out: Lane[] = [];
      for (let i = 0; i < 2 * n; i++) out.push(src(order(i, n)));
      for (let i = 0; i < n; i++) { R.set(o.size, i, out[i]); A.set(o.size, i, out[n + i]); }
      store(R, env, o.d, o.regs);
      store(A, env, o.m, o.regs);
    };
  };
  permute('neon_zip', (i, n) => ((i & 1) ? n : 0) + (i >> 1));
  permute('neon_uzp', (i, n) => (i < n ? 2 * i : 2 * (i - n) + 1));
  permute('neon_trn', (i, n) => {
    // result d = d0 m0 d2 m2 ..., m = d1 m1 d3 m3 ...
    const half = i >= n ? 1 : 0, k = i - half * n;
    return (k & 1 ? n : 0) + (k & ~1) + half;
  });
  /** VEXT: bytes x.. of Vn:Vm. */
  helpers.neon_ext = (env, p) => {
    const o = unpack(env, p);
    const bytes = o.regs * 8;
    load(A, env, o.n, o.regs);
    load(B, env, o.m, o.regs);
    for (let i = 0; i < bytes; i++) {
      const j = i + o.x;
      R.u8[i] = j < bytes ? A.u8[j] : B.u8[j - bytes];
    }
    store(R, env, o.d, o.regs);
  };
  /** VTBL / VTBX: x = length - 1 (1..4 registers from Vn), size = 1 for VTBX (out of range keeps). */
  helpers.neon_tbl = (env, p) => {
    const o = unpack(env, p);
    const len = (o.x + 1) * 8;
    for (let k = 0; k <= o.x; k++) {
      const at = env + DREG((o.n + k) & 31);
      A.u8.set(mem.subarray(at, at + 8), k * 8);
    }
    load(B, env, o.m, 1); load(D, env, o.d, 1);
    for (let i = 0; i < 8; i++) {
      const j = B.u8[i];
      R.u8[i] = j < len ? A.u8[j] : o.size ? D.u8[i] : 0;
    }
    store(R, env, o.d, 1);
  };
  /** VDUP (scalar): lane x of Dm in every lane of Vd. */
  helpers.neon_dup = (env, p) => {
    const o = unpack(env, p);
    load(B, env, o.m, 1);
    const v = B.get(o.size, o.x, false);
    for (let i = 0; i < o.lanes; i++) R.set(o.size, i, v);
    store(R, env, o.d, o.regs);
  };
  byScalar('neon_mul_scalar', false, (a, b) => Math.imul(a, b));
  byScalar('neon_mla_scalar', false, (a, b, d) => d + Math.imul(a, b));
  byScalar('neon_mls_scalar', false, (a, b, d) => d - Math.imul(a, b));

  // --- float lanes (binary32, standard FPSCR value) ----------------------------------------------
  let fexc = 0;
  /** An operand's value with FZ: denormals read as signed zero (IDC). NaNs are handled by callers. */
  const fin = (bits: number): number => {
    if ((bits & 0x7f800000) === 0 && (bits & 0x7fffff) !== 0) { fexc |= IDC; bits &= 0x80000000; }
    f32u[0] = bits;
    return f32[0];
  };
  const isNaN32 = (b: number): boolean => (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0;
  const isSNaN32 = (b: number): boolean => isNaN32(b) && !(b & 0x400000);
  /** Rounds an exact-or-nearly double result to binary32 with FZ and DN; `inexact` when the
   *  double itself was rounded. */
  const fout = (x: number, inexact: boolean): number => {
    if (Number.isNaN(x)) { fexc |= IOC; return DEFAULT_NAN; }
    f32[0] = x;
    const bits = f32u[0];
    if ((bits & 0x7f800000) === 0 && x !== 0) {
      // Tiny (flushed before rounding, by the unrounded value): zero, UFC and no IXC.
      fexc |= UFC;
      return (x < 0 ? 0x80000000 : 0) >>> 0;
    }
    if (Math.abs(x) < 2 ** -126 && x !== 0) { fexc |= UFC; return (x < 0 ? 0x80000000 : 0) >>> 0; }
    if ((bits & 0x7f800000) === 0x7f800000 && Number.isFinite(x)) fexc |= OFC | IXC;
    else if (f32[0] !== x || inexact) fexc |= IXC;
    return bits >>> 0;
  };
  /** Lane-wise, pairwise (D registers: result lane 0 from Dn's pair, lane 1 from Dm's) or by the
   *  scalar Dm[x]. */
  const fbin = (name: string, acc: boolean, f: (a: number, b: number, d: number) => [number, boolean] | number, mode: 'lane' | 'pair' | 'scalar' = 'lane'): void => {
    helpers[name] = (env, p) => {
      const o = unpack(env, p);
      load(A, env, o.n, o.regs); load(B, env, o.m, o.regs); load(D, env, o.d, o.regs);
      fexc = 0;
      for (let i = 0; i < o.regs * 2; i++) {
        const [x, ia, y, ib] = mode === 'pair' ? [i ? B : A, 0, i ? B : A, 1] : mode === 'scalar' ? [A, i, B, o.x] : [A, i, B, i];
        const ab = x.get(2, ia, false), bb = y.get(2, ib, false), db = D.get(2, i, false);
        // FPUnpack comes before the NaN checks (ARM ARM A2.7.10): a denormal beside a NaN still
        // sets IDC. The accumulating ops take the bits and check their two steps' NaNs apart.
        const fa = fin(ab), fb = fin(bb);
        if (!acc && (isNaN32(ab) || isNaN32(bb))) {
          if (isSNaN32(ab) || isSNaN32(bb)) fexc |= IOC;
          R.set(2, i, DEFAULT_NAN);
          continue;
        }
        const r = acc ? f(ab, bb, db) : f(fa, fb, db);
        R.set(2, i, typeof r === 'number' ? r : fout(r[0], r[1]));
      }
      store(R, env, o.d, o.regs);
      orFpscr(env, fexc);
    };
  };
  /** a + b in double, and whether that double was rounded (the Fast2Sum error). */
  const sum = (a: number, b: number): [number, boolean] => {
    const s = a + b;
    if (!Number.isFinite(s)) return [s, false];
    const [big, small] = Math.abs(a) >= Math.abs(b) ? [a, b] : [b, a];
    return [s, small - (s - big) !== 0];
  };
  fbin('neon_fadd', false, (a, b) => sum(a, b));
  fbin('neon_fsub', false, (a, b) => sum(a, -b));
  fbin('neon_fmul', false, (a, b) => [a * b, false]); // a binary32 product is exact in a double
  /** VMLA/VMLS.F32 (operand bits) are not fused: FPMul rounds the product (its flags stand
   *  even when the addend is a NaN), then FPAdd(d, product) unpacks d (IDC) and adds. */
  const mlaf = (neg: boolean) => (ab: number, bb: number, d: number): number => {
    let pb: number;
    if (isNaN32(ab) || isNaN32(bb)) {
      if (isSNaN32(ab) || isSNaN32(bb)) fexc |= IOC;
      pb = DEFAULT_NAN;
    } else {
      pb = fout(fin(ab) * fin(bb), false);
    }
    const dv = fin(d);
    if (pb === DEFAULT_NAN || isNaN32(d)) {
      if (isSNaN32(d)) fexc |= IOC;
      return DEFAULT_NAN;
    }
    const pv = fin(pb);
    const r = sum(dv, neg ? -pv : pv);
    return fout(r[0], r[1]);
  };
  /** VMAX/VMIN.F32 (not maxNum: any NaN gives the default NaN); +0 is above -0. */
  const fmax = (a: number, b: number): number =>
    fout(a === b ? (Object.is(a, -0) ? b : a) : a > b ? a : b, false);
  const fmin = (a: number, b: number): number =>
    fout(a === b ? (Object.is(a, -0) ? a : b) : a < b ? a : b, false);
  fbin('neon_fmax', false, fmax);
  fbin('neon_fmin', false, fmin);
  fbin('neon_fpmax', false, fmax, 'pair');
  fbin('neon_fpmin', false, fmin, 'pair');
  fbin('neon_fpadd', false, (a, b) => sum(a, b), 'pair');
  /** VABD.F32: |a - b| with the difference rounded first (a default NaN stays positive). */
  fbin('neon_fabd', false, (a, b) => { const r = sum(a, -b); return (fout(r[0], r[1]) & 0x7fffffff) >>> 0; });
  /** Float compares: all ones or zeros. A NaN operand gives false; VCEQ is a quiet compare (IOC
   *  only for a signalling NaN), the ordered ones signal (IOC for any NaN). */
  const fcmp = (name: string, quiet: boolean, vsZero: boolean, f: (a: number, b: number) => boolean, abs = false): void => {
    helpers[name] = (env, p) => {
      const o = unpack(env, p);
      load(A, env, o.n, o.regs); load(B, env, o.m, o.regs);
      fexc = 0;
      for (let i = 0; i < o.regs * 2; i++) {
        const ab = vsZero ? B.get(2, i, false) : A.get(2, i, false), bb = vsZero ? 0 : B.get(2, i, false);
        let a = fin(ab), b = fin(bb); // unpacked first: IDC beside a NaN too
        if (isNaN32(ab) || isNaN32(bb)) {
          if (!quiet || isSNaN32(ab) || isSNaN32(bb)) fexc |= IOC;
          R.set(2, i, 0);
          continue;
        }
        if (abs) { a = Math.abs(a); b = Math.abs(b); }
        R.set(2, i, f(a, b) ? -1 : 0);
      }
      store(R, env, o.d, o.regs);
      orFpscr(env, fexc);
    };
  };
  for (const vsZero of [false, true]) {
    const z = vsZero ? '0' : '';
    fcmp(`neon_fceq${z}`, true, vsZero, (a, b) => a === b);
    fcmp(`neon_fcge${z}`, false, vsZero, (a, b) => a >= b);
    fcmp(`neon_fcgt${z}`, false, vsZero, (a, b) => a > b);
  }
  fcmp('neon_fcle0', false, true, (a, b) => a <= b);
  fcmp('neon_fclt0', false, true, (a, b) => a < b);
  fcmp('neon_facge', false, false, (a, b) => a >= b, true);
  fcmp('neon_facgt', false, false, (a, b) => a > b, true);
  /** VABS/VNEG.F32 only touch the sign bit (no flush, no NaN handling). */
  unary('neon_fabs', false, (a) => a & 0x7fffffff);
  unary('neon_fneg', false, (a) => a ^ 0x80000000);
  fbin('neon_fmla', true, mlaf(false));
  fbin('neon_fmls', true, mlaf(true));
  /** VRECPS: 2 - a*b and VRSQRTS: (3 - a*b) / 2, the product rounded first; inf * 0 gives 2
   *  and 1.5 without an exception. */
  const step = (k: number) => (a: number, b: number): number => {
    if ((a === 0 && !Number.isFinite(b)) || (b === 0 && !Number.isFinite(a))) return fout(k === 2 ? 2 : 1.5, false);
    const r = sum(k, -fin(fout(a * b, false)));
    return fout(k === 2 ? r[0] : r[0] / 2, r[1]);
  };
  fbin('neon_frecps', false, step(2));
  fbin('neon_frsqrts', false, step(3));
  /** The 8-bit estimates of the ARMv7 ARM (RecipEstimate, RecipSqrtEstimate): a in [0.5, 1)
   *  (or [0.25, 1) for the square root) quantised to 9 bits, the result in [1, 2) to 8. */
  const recipEst = (a: number): number => {
    const q = Math.floor(a * 512);
    return Math.floor(256 / ((q + 0.5) / 512) + 0.5) / 256;
  };
  const rsqrtEst = (a: number): number => {
    const r = a < 0.5 ? 1 / Math.sqrt((Math.floor(a * 512) + 0.5) / 512) : 1 / Math.sqrt((Math.floor(a * 256) + 0.5) / 256);
    return Math.floor(256 * r + 0.5) / 256;
  };
  /** VRECPE / VRSQRTE on F32 lanes (x = 1) or U32 lanes (x = 0, a fixed point fraction). */
  const estimate = (name: string, sqrt: boolean): void => {
    helpers[name] = (env, p) => {
      const o = unpack(env, p);
      load(B, env, o.m, o.regs);
      fexc = 0;
      for (let i = 0; i < o.regs * 2; i++) {
        const b = B.get(2, i, false);
        R.set(2, i, o.x ? festimate(b, sqrt) : uestimate(b, sqrt));
      }
      store(R, env, o.d, o.regs);
      orFpscr(env, fexc);
    };
  };
  const uestimate = (b: number, sqrt: boolean): number => {
    if (b < (sqrt ? 0x40000000 : 0x80000000)) return 0xffffffff;
    const est = sqrt ? rsqrtEst(b >= 0x80000000 ? (b >>> 23) / 512 : (b >>> 22) / 1024) : recipEst((b >>> 23) / 512);
    return est * 2 ** 31;
  };
  const festimate = (b: number, sqrt: boolean): number => {
    if (isNaN32(b)) { if (isSNaN32(b)) fexc |= IOC; return DEFAULT_NAN; }
    const v = fin(b), neg = (b >>> 31) === 1, sign = neg ? 0x80000000 : 0;
    if (v === 0) { fexc |= DZC; return (sign | 0x7f800000) >>> 0; }
    if (sqrt && neg) { fexc |= IOC; return DEFAULT_NAN; }
    if (!Number.isFinite(v)) return sign;
    const mag = Math.abs(v);
    if (!sqrt && mag >= 2 ** 126) { fexc |= UFC; return sign; }
    let e = Math.floor(Math.log2(mag)) + 1;
    if (mag / 2 ** e >= 1) e++;
    else if (mag / 2 ** e < 0.5) e--;
    // The square root needs an even exponent: a in [0.25, 1).
    if (sqrt && e & 1) e++;
    const r = sqrt ? rsqrtEst(mag / 2 ** e) * 2 ** (-e / 2) : recipEst(mag / 2 ** e) * 2 ** -e;
    return fout(neg ? -r : r, false);
  };
  estimate('neon_recpe', false);
  estimate('neon_rsqrte', true);
  fbin('neon_fmul_scalar', false, (a, b) => [a * b, false], 'scalar');
  fbin('neon_fmla_scalar', true, mlaf(false), 'scalar');
  fbin('neon_fmls_scalar', true, mlaf(true), 'scalar');

  /** VCVT between s32/u32 (or fixed point) and f32 lanes: x = op | fraction bits << 2, op 0
   *  f32<-s32, 1 f32<-u32, 2 s32<-f32, 3 u32<-f32. To integer rounds toward zero and saturates
   *  (IOC), NaN gives 0. Scaling by a power of two is exact in a double. */
  helpers.neon_cvt = (env, p) => {
    const o = unpack(env, p);
    const op = o.x & 3, scale = 2 ** (o.x >> 2);
    load(B, env, o.m, o.regs);
    fexc = 0;
    for (let i = 0; i < o.regs * 2; i++) {
      const b = B.get(2, i, false);
      if (op < 2) {
        const v = op === 0 ? b | 0 : b;
        R.set(2, i, fout(v / scale, false));
      } else if (isNaN32(b)) {
        fexc |= IOC;
        R.set(2, i, 0);
      } else {
        const v = fin(b) * scale, t = Math.trunc(v);
        const [lo, hi] = op === 2 ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1];
        if (t < lo || t > hi) { fexc |= IOC; R.set(2, i, t < lo ? lo : hi); }
        else { if (t !== v) fexc |= IXC; R.set(2, i, t); }
      }
    }
    store(R, env, o.d, o.regs);
    orFpscr(env, fexc);
  };

  return Object.entries(helpers).map(([name, fn]) => ({
    name,
    args: ['i32'],
    ret: null,
    flags: HelperFlags.ReadsGlobals | HelperFlags.WritesGlobals,
    fn,
  }));
}
