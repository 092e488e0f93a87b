// Helpers the A32 and Thumb IR calls for the rarer integer instructions whose IR would be long:
// saturation (Q flag), the parallel add/subtract family (GE flags), SEL, USAD8, the dual
// 16-bit multiplies, RBIT and the APSR moves. Arguments arrive as int32 numbers (either sign);
// results are returned as int32. Semantics: ARM ARM A8.8 (each instruction's pseudocode).
import { Helper, HelperFlags } from '../../tcg/ir.js';
import { GE, QF, REG, cpsrFromState, cpsrToState } from './cpu-state.js';

/** Parallel add/subtract prefixes, numbered as the A32 op1 field (A5.4.1). */
export const PAR_S = 1, PAR_Q = 2, PAR_SH = 3, PAR_U = 5, PAR_UQ = 6, PAR_UH = 7;
/** Parallel add/subtract operations, numbered as the A32 op2 field. */
export const PAR_ADD16 = 0, PAR_ASX = 1, PAR_SAX = 2, PAR_SUB16 = 3, PAR_ADD8 = 4, PAR_SUB8 = 7;

/** Saturating ops of the sat helper (A32 QADD..QDSUB, op field bits 22:21). */
export const SAT_QADD = 0, SAT_QSUB = 1, SAT_QDADD = 2, SAT_QDSUB = 3;

const RW = HelperFlags.ReadsGlobals | HelperFlags.WritesGlobals;

/** SignedSatQ: [result, saturated]. */
function ssat(v: number, bits: number): [number, boolean] {
  const max = 2 ** (bits - 1) - 1, min = -(2 ** (bits - 1));
  if (v > max) return [max, true];
  if (v < min) return [min, true];
  return [v, false];
}
/** UnsignedSatQ. */
function usat(v: number, bits: number): [number, boolean] {
  const max = 2 ** bits - 1;
  if (v > max) return [max, true];
  if (v < 0) return [0, true];
  return [v, false];
}

export function makeArmHelpers(view: DataView): Helper[] {
  const setQ = (env: number): void => view.setInt32(env + QF, 1, true);
  const sat = (env: number, r: [number, boolean]): number => {
    if (r[1]) setQ(env);
    return r[0] | 0;
  };
  const lanes = (x: number, w: number, signed: boolean): number[] => {
    const out: number[] = [];
    for (let sh = 0; sh < 32; sh += w) {
      const u = (x >>> sh) & (2 ** w - 1);
      out.push(signed && u >= 2 ** (w - 1) ? u - 2 ** w : u);
    }
    return out;
  };

  const parallel = (env: number, op: number, a: number, b: number): number => {
    const prefix = op >> 3, kind = op & 7;
    const w = kind >= PAR_ADD8 ? 8 : 16;
    const signed = prefix < PAR_U;
    const x = lanes(a, w, signed), y = lanes(b, w, signed);
    // Each lane's exact result and whether it is a sum (for the unsigned GE rule).
    let res: number[];
    let isSum: boolean[];
    switch (kind) {
      case PAR_ADD16: res = [x[0] + y[0], x[1] + y[1]]; isSum = [true, true]; break;
      case PAR_ASX: res = [x[0] - y[1], x[1] + y[0]]; isSum = [false, true]; break;
      case PAR_SAX: res = [x[0] + y[1], x[1] - y[0]]; isSum = [true, false]; break;
      case PAR_SUB16: res = [x[0] - y[0], x[1] - y[1]]; isSum = [false, false]; break;
      case PAR_ADD8: res = x.map((v, i) => v + y[i]); isSum = [true, true, true, true]; break;
      default: res = x.map((v, i) => v - y[i]); isSum = [false, false, false, false]; break;
    }
    let ge = 0;
    let out = 0;
    const geBits = w === 16 ? 3 : 1;
    res.forEach((v, i) => {
      let lane: number;
      switch (prefix) {
        case PAR_S: lane = v; if (v >= 0) ge |= geBits << (i * (w / 8)); break;
        case PAR_U: lane = v; if (isSum[i] ? v >= 2 ** w : v >= 0) ge |= geBits << (i * (w / 8)); break;
        case PAR_Q: lane = ssat(v, w)[0]; break;
        case PAR_UQ: lane = usat(v, w)[0]; break;
        default: lane = Math.floor(v / 2); break; // SH, UH: the halved exact result
      }
      out |= (lane & (2 ** w - 1)) << (i * w);
    });
    if (prefix === PAR_S || prefix === PAR_U) view.setInt32(env + GE, ge, true);
    return out | 0;
  };

  return [
    {
      name: 'arm_sat', args: ['i32', 'i32', 'i32'], ret: 'i32', flags: RW,
      fn: (env: number, op: number, a: number, b: number): number => {
        a |= 0; b |= 0;
        let q = false;
        let m = b;
        if (op === SAT_QDADD || op === SAT_QDSUB) {
          const d = ssat(2 * b, 32);
          m = d[0];
          q = d[1];
        }
        const r = ssat(op === SAT_QADD || op === SAT_QDADD ? a + m : a - m, 32);
        if (q) setQ(env);
        return sat(env, r);
      },
    },
    {
      name: 'arm_ssat', args: ['i32', 'i32'], ret: 'i32', flags: RW,
      fn: (env: number, v: number, bits: number): number => sat(env, ssat(v | 0, bits)),
    },
    {
      name: 'arm_usat', args: ['i32', 'i32'], ret: 'i32', flags: RW,
      fn: (env: number, v: number, bits: number): number => sat(env, usat(v | 0, bits)),
    },
    {
      // SSAT16 / USAT16: each halfword saturated (bits: signed width, or -width for unsigned).
      name: 'arm_sat16', args: ['i32', 'i32'], ret: 'i32', flags: RW,
      fn: (env: number, v: number, bits: number): number => {
        const [lo, hi] = lanes(v, 16, true);
        const f = bits > 0 ? (x: number) => ssat(x, bits) : (x: number) => usat(x, -bits);
        const a = f(lo), c = f(hi);
        if (a[1] || c[1]) setQ(env);
        return ((a[0] & 0xffff) | (c[0] << 16)) | 0;
      },
    },
    {
      name: 'arm_parallel', args: ['i32', 'i32', 'i32'], ret: 'i32', flags: RW,
      fn: parallel,
    },
    {
      name: 'arm_sel', args: ['i32', 'i32'], ret: 'i32', flags: HelperFlags.ReadsGlobals,
      fn: (env: number, a: number, b: number): number => {
        const ge = view.getInt32(env + GE, true);
        let r = 0;
        for (let i = 0; i < 4; i++) r |= (((ge >> i) & 1 ? a : b) & (0xff << (8 * i)));
        return r | 0;
      },
    },
    {
      name: 'arm_usad8', args: ['i32', 'i32'], ret: 'i32', flags: HelperFlags.None,
      fn: (_env: number, a: number, b: number): number => {
        let s = 0;
        for (let i = 0; i < 32; i += 8) s += Math.abs(((a >>> i) & 0xff) - ((b >>> i) & 0xff));
        return s;
      },
    },
    {
      name: 'arm_rbit', args: ['i32'], ret: 'i32', flags: HelperFlags.None,
      fn: (_env: number, a: number): number => {
        let r = 0;
        for (let i = 0; i < 32; i++) r |= ((a >>> i) & 1) << (31 - i);
        return r | 0;
      },
    },
    {
      // SMUAD SMUSD SMLAD SMLSD (A8.8.177...): op bit 0 = subtract the products, bit 1 = swap
      // the halves of m (the X forms). Q is set when the 32-bit result overflows.
      name: 'arm_dual_mul', args: ['i32', 'i32', 'i32', 'i32'], ret: 'i32', flags: RW,
      fn: (env: number, op: number, n: number, m: number, acc: number): number => {
        const [n0, n1] = lanes(n, 16, true);
        let [m0, m1] = lanes(m, 16, true);
        if (op & 2) [m0, m1] = [m1, m0];
        const r = (op & 1 ? n0 * m0 - n1 * m1 : n0 * m0 + n1 * m1) + (acc | 0);
        if (r !== (r | 0)) setQ(env);
        return r | 0;
      },
    },
    {
      // SMLALD SMLSLD: RdHi:RdLo += the products' sum or difference (registers by index).
      name: 'arm_dual_mul_long', args: ['i32', 'i32', 'i32', 'i32', 'i32'], ret: null, flags: RW,
      fn: (env: number, op: number, n: number, m: number, rdlo: number, rdhi: number): void => {
        const [n0, n1] = lanes(n, 16, true);
        let [m0, m1] = lanes(m, 16, true);
        if (op & 2) [m0, m1] = [m1, m0];
        const p = BigInt(op & 1 ? n0 * m0 - n1 * m1 : n0 * m0 + n1 * m1);
        const acc = (BigInt(view.getUint32(env + REG(rdhi), true)) << 32n) | BigInt(view.getUint32(env + REG(rdlo), true));
        const r = BigInt.asUintN(64, acc + p);
        view.setUint32(env + REG(rdlo), Number(r & 0xffffffffn), true);
        view.setUint32(env + REG(rdhi), Number(r >> 32n), true);
      },
    },
    {
      name: 'arm_mrs_apsr', args: [], ret: 'i32', flags: HelperFlags.ReadsGlobals,
      // The CPSR as user mode reads it (B1.3.3): NZCVQ, GE and the mode (User, 0x10); the
      // execution state bits (IT, T) read as zero. This is what qemu-arm returns too.
      fn: (env: number): number => ((cpsrFromState(view, env) & 0xf80f0000) | 0x10) | 0,
    },
    {
      // MSR APSR_<fields>: mask bit 1 writes NZCVQ, bit 0 writes GE (A8.8.104).
      name: 'arm_msr_apsr', args: ['i32', 'i32'], ret: null, flags: RW,
      fn: (env: number, v: number, mask: number): void => {
        const old = cpsrFromState(view, env);
        let keep = 0xffffffff;
        if (mask & 2) keep &= ~0xf8000000;
        if (mask & 1) keep &= ~0x000f0000;
        cpsrToState(view, env, ((old & keep) | (v & ~keep)) >>> 0, false);
      },
    },
  ];
}
