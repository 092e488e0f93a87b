// Register and memory contents drawn from the seed: mostly the values where implementations
// differ (zero, extremes, sign boundaries; for floating point signed zeros, infinities, NaNs
// with payloads, subnormals, values next to integer conversion limits), the rest random.
import { Prng } from './prng.js';

const M64 = (1n << 64n) - 1n;

const INT_SPECIALS = [0n, 1n, 2n, M64, M64 - 1n, 1n << 63n, (1n << 63n) - 1n, 1n << 31n, (1n << 31n) - 1n,
  (1n << 32n) - 1n, 1n << 32n, 0xffffffff80000000n, 0x8000n, 0x7fffn, 0x80n, 0x7fn, 0xffn, 0xffffn, 63n, 64n, 31n, 32n];

/** A 64-bit integer register value (`bits` 64) or a 32-bit one. */
export function intValue(p: Prng, bits: 32 | 64 = 64): bigint {
  const mask = bits === 64 ? M64 : 0xffffffffn;
  const k = p.below(10);
  let v: bigint;
  if (k < 3) v = p.pick(INT_SPECIALS);
  else if (k < 5) v = BigInt(p.range(-64, 64)); // small, either sign
  else if (k < 6) v = p.u64() >> BigInt(p.below(64)); // random magnitude
  else if (k < 7) v = bits === 64 ? BigInt.asUintN(64, BigInt(p.u32() | 0)) : BigInt(p.u32()); // sign-extended word
  else if (k < 8) v = p.chance(0.5) ? f64Bits(p) : f32Bits(p); // an FP bit pattern (moves, fclass)
  else v = p.u64();
  return v & mask;
}

/** IEEE 754 binary64 / binary32 shapes: exponent width, fraction width. */
interface Format { e: number; f: number }
const F64: Format = { e: 11, f: 52 };
const F32: Format = { e: 8, f: 23 };

function fpBits(p: Prng, fmt: Format): bigint {
  const { e, f } = fmt;
  const bias = (1n << BigInt(e - 1)) - 1n;
  const emax = (1n << BigInt(e)) - 1n;
  const fracMask = (1n << BigInt(f)) - 1n;
  const frac = (): bigint => (p.u64() & fracMask) >> BigInt(p.chance(0.3) ? p.below(f) : 0);
  const make = (sign: bigint, exp: bigint, fr: bigint): bigint => (sign << BigInt(e + f)) | (exp << BigInt(f)) | (fr & fracMask);
  const sign = BigInt(p.below(2));
  const k = p.below(20);
  if (k === 0) return make(sign, 0n, 0n); // signed zero
  if (k === 1) return make(sign, emax, 0n); // infinity
  if (k === 2) return make(sign, emax, (1n << BigInt(f - 1)) | frac()); // quiet NaN with a payload
  if (k === 3) return make(sign, emax, frac() || 1n); // signalling NaN (quiet bit clear)
  if (k === 4) return make(sign, 0n, frac() || 1n); // subnormal
  if (k === 5) return make(sign, p.pick([0n, 1n, emax - 1n]), p.pick([0n, 1n, fracMask, fracMask - 1n])); // edges
  if (k <= 8) {
    // Next to an integer conversion limit: +-2^n (n = 31, 32, 63, 64, the mantissa width), a
    // few ulps either side, or a half away from an integer.
    const n = BigInt(p.pick([31, 32, 63, 64, f, f + 1, 0, 1]));
    const step = BigInt(p.range(-3, 3));
    const fr = step < 0n ? fracMask + 1n + step : step;
    return make(sign, bias + n - (step < 0n ? 1n : 0n), fr);
  }
  if (k <= 14) return make(sign, bias + BigInt(p.range(-6, 6)), frac()); // ordinary magnitudes, so operations interact
  return make(sign, p.u64() & emax, frac());
}

export const f64Bits = (p: Prng): bigint => fpBits(p, F64);
export const f32Bits = (p: Prng): bigint => fpBits(p, F32);

/** Bytes of a scratch buffer: runs of the values above, as 8-, 4- and 1-byte items. */
export function scratchBytes(p: Prng, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  for (let at = 0; at < size;) {
    const k = p.below(4);
    if (k === 0 && at + 8 <= size) { v.setBigUint64(at, intValue(p), true); at += 8; }
    else if (k === 1 && at + 8 <= size) { v.setBigUint64(at, f64Bits(p), true); at += 8; }
    else if (k === 2 && at + 4 <= size) { v.setUint32(at, Number(f32Bits(p)), true); at += 4; }
    else out[at++] = p.bits(8);
  }
  return out;
}
