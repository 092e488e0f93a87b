// softfloat on hand-picked edge cases whose results follow from IEEE 754 and the RISC-V F/D
// chapters (the random and broad coverage is in riscv-fp-oracle.test.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import * as sf from '../../src/fpu/softfloat.js';
import { DZ, F32, F64, NV, NX, OF, RM, UF } from '../../src/fpu/softfloat.js';

const MAX = Number.MAX_VALUE;
const MIN_NORMAL = 2 ** -1022;
const ALL = [RM.RNE, RM.RTZ, RM.RDN, RM.RUP, RM.RMM];

/** Runs f and returns [result, flags]. */
function withFlags(f: () => number): [number, number] {
  const r = f();
  return [r, sf.takeFlags()];
}

beforeEach(() => { sf.takeFlags(); });

describe('rounding modes', () => {
  it('an exact tie (1 + 2^-53) in each mode', () => {
    const want = [1, 1, 1, 1 + 2 ** -52, 1 + 2 ** -52];
    ALL.forEach((rm, i) => expect(withFlags(() => sf.add(F64, 1, 2 ** -53, rm))).toEqual([want[i], NX]));
  });
  it('below a tie (binary32, negative): directed modes go by the sign', () => {
    const a = -1;
    const b = -(2 ** -25); // a quarter ulp of 1.0f
    const want = [-1, -1, -(1 + 2 ** -23), -1, -1];
    ALL.forEach((rm, i) => expect(withFlags(() => sf.add(F32, a, b, rm))).toEqual([want[i], NX]));
  });
  it('overflow gives infinity or the largest finite number by mode and sign', () => {
    const pos = [Infinity, MAX, MAX, Infinity, Infinity];
    const neg = [-Infinity, -MAX, -Infinity, -MAX, -Infinity];
    ALL.forEach((rm, i) => {
      expect(withFlags(() => sf.mul(F64, MAX, 2, rm))).toEqual([pos[i], OF | NX]);
      expect(withFlags(() => sf.mul(F64, -MAX, 2, rm))).toEqual([neg[i], OF | NX]);
    });
    expect(withFlags(() => sf.f64ToF32(2 ** 128, RM.RTZ))).toEqual([F32.maxFinite, OF | NX]);
    expect(withFlags(() => sf.f64ToF32(2 ** 128, RM.RNE))).toEqual([Infinity, OF | NX]);
  });
});

describe('underflow: tininess after rounding', () => {
  // 2^-1022 * (1 - 2^-104): rounds to 2^-1022 with an unbounded exponent under RNE (not tiny),
  // to 2^-1022 * (1 - 2^-53) under RTZ (tiny).
  const belowMin = (rm: RM): [number, number] =>
    withFlags(() => sf.mul(F64, 2 ** -500 * (1 + 2 ** -52), 2 ** -522 * (1 - 2 ** -52), rm));
  it('not tiny when rounding reaches the normal range', () => {
    expect(belowMin(RM.RNE)).toEqual([MIN_NORMAL, NX]);
  });
  it('tiny and inexact raises UF', () => {
    expect(belowMin(RM.RTZ)).toEqual([MIN_NORMAL - 2 ** -1074, UF | NX]);
  });
  it('an exact subnormal result raises nothing', () => {
    expect(withFlags(() => sf.mul(F64, MIN_NORMAL, 0.5, RM.RNE))).toEqual([2 ** -1023, 0]);
  });
  it('binary32: half the smallest subnormal rounds to 0 or up by mode', () => {
    expect(withFlags(() => sf.f64ToF32(2 ** -150, RM.RNE))).toEqual([0, UF | NX]);
    expect(withFlags(() => sf.f64ToF32(2 ** -150, RM.RUP))).toEqual([2 ** -149, UF | NX]);
    expect(withFlags(() => sf.f64ToF32(-(2 ** -150), RM.RMM))).toEqual([-(2 ** -149), UF | NX]);
  });
});

describe('NaN, infinity and zero', () => {
  it('invalid operations give NaN with NV; NaN operands propagate quietly', () => {
    expect(withFlags(() => sf.add(F64, Infinity, -Infinity, RM.RNE))).toEqual([NaN, NV]);
    expect(withFlags(() => sf.mul(F32, 0, Infinity, RM.RNE))).toEqual([NaN, NV]);
    expect(withFlags(() => sf.div(F64, 0, 0, RM.RNE))).toEqual([NaN, NV]);
    expect(withFlags(() => sf.sqrt(F64, -1, RM.RNE))).toEqual([NaN, NV]);
    expect(withFlags(() => sf.fma(F64, Infinity, 0, NaN, RM.RNE))).toEqual([NaN, NV]);
    expect(withFlags(() => sf.add(F64, NaN, 1, RM.RNE))).toEqual([NaN, 0]);
  });
  it('division by zero', () => {
    expect(withFlags(() => sf.div(F64, -3, 0, RM.RNE))).toEqual([-Infinity, DZ]);
  });
  it('signed zeros', () => {
    expect(Object.is(sf.add(F64, -0, -0, RM.RNE), -0)).toBe(true);
    expect(Object.is(sf.add(F64, 0, -0, RM.RNE), 0)).toBe(true);
    expect(Object.is(sf.add(F64, 0, -0, RM.RDN), -0)).toBe(true);
    expect(Object.is(sf.sub(F32, 1.5, 1.5, RM.RDN), -0)).toBe(true);
    expect(Object.is(sf.sub(F32, 1.5, 1.5, RM.RUP), 0)).toBe(true);
    expect(withFlags(() => sf.sqrt(F64, -0, RM.RNE))).toEqual([-0, 0]);
    expect(Object.is(sf.fma(F64, 1, 1, -1, RM.RDN), -0)).toBe(true);
    expect(Object.is(sf.fma(F64, -0, 5, 0, RM.RNE), 0)).toBe(true);
  });
  it('fmin/fmax: -0 < +0, a NaN yields the other operand', () => {
    expect(Object.is(sf.minMax(0, -0, false), -0)).toBe(true);
    expect(Object.is(sf.minMax(-0, 0, true), 0)).toBe(true);
    expect(sf.minMax(NaN, 2, false)).toBe(2);
    expect(sf.minMax(2, NaN, true)).toBe(2);
    expect(sf.minMax(NaN, NaN, true)).toBeNaN();
  });
  it('comparisons: feq is quiet, flt/fle signal on NaN', () => {
    expect(withFlags(() => (sf.eq(NaN, 1) ? 1 : 0))).toEqual([0, 0]);
    expect(withFlags(() => (sf.lt(NaN, 1) ? 1 : 0))).toEqual([0, NV]);
    expect(withFlags(() => (sf.le(-0, 0) ? 1 : 0))).toEqual([1, 0]);
  });
});

describe('fused multiply-add', () => {
  it('keeps the product exact under cancellation', () => {
    const a = 1 + 2 ** -30;
    // a*a = 1 + 2^-29 + 2^-60; the rounded product cancels, leaving the exact 2^-60.
    expect(withFlags(() => sf.fma(F64, a, a, -(1 + 2 ** -29), RM.RNE))).toEqual([2 ** -60, 0]);
    const s = 1 + 2 ** -12;
    expect(withFlags(() => sf.fma(F32, s, s, -(1 + 2 ** -11), RM.RNE))).toEqual([2 ** -24, 0]);
  });
  it('rounds once (double rounding would differ)', () => {
    // a*b = 1 + 2^-53 + 2^-106: one rounding goes up, rounding the product first would tie to 1.
    const a = 1 + 2 ** -53 * 2; // 1 + 2^-52
    const b = 1 - 2 ** -53; // a*b = 1 + 2^-52 - 2^-53 - 2^-105 = 1 + 2^-53 - 2^-105
    expect(withFlags(() => sf.fma(F64, a, b, 0, RM.RNE))).toEqual([1, NX]);
    expect(withFlags(() => sf.fma(F64, a, b, 2 ** -105 * 2, RM.RNE))).toEqual([1 + 2 ** -52, NX]);
  });
});

describe('conversions', () => {
  it('to int32 saturates with NV at the limits', () => {
    expect(withFlags(() => sf.toInt(2 ** 31 - 0.5, RM.RNE, 32, true))).toEqual([2 ** 31 - 1, NV]);
    expect(withFlags(() => sf.toInt(2 ** 31 - 0.5, RM.RTZ, 32, true))).toEqual([2 ** 31 - 1, NX]);
    expect(withFlags(() => sf.toInt(-(2 ** 31) - 0.5, RM.RTZ, 32, true))).toEqual([-(2 ** 31), NX]);
    expect(withFlags(() => sf.toInt(-(2 ** 31) - 0.5, RM.RDN, 32, true))).toEqual([-(2 ** 31), NV]);
    expect(withFlags(() => sf.toInt(NaN, RM.RNE, 32, true))).toEqual([2 ** 31 - 1, NV]);
    expect(withFlags(() => sf.toInt(-Infinity, RM.RNE, 32, true))).toEqual([-(2 ** 31), NV]);
  });
  it('to unsigned: small negatives rounding to 0 are only inexact', () => {
    expect(withFlags(() => sf.toInt(-0.9, RM.RTZ, 32, false))).toEqual([0, NX]);
    expect(withFlags(() => sf.toInt(-0.9, RM.RNE, 32, false))).toEqual([0, NV]);
    expect(withFlags(() => sf.toInt(NaN, RM.RNE, 64, false))).toEqual([Infinity, NV]);
  });
  it('to int64 at the limits', () => {
    expect(withFlags(() => sf.toInt(2 ** 63, RM.RNE, 64, true))).toEqual([Infinity, NV]);
    expect(withFlags(() => sf.toInt(-(2 ** 63), RM.RNE, 64, true))).toEqual([-(2 ** 63), 0]);
    expect(withFlags(() => sf.toInt(2 ** 64 - 2048, RM.RNE, 64, false))).toEqual([2 ** 64 - 2048, 0]);
    expect(withFlags(() => sf.toInt(2 ** 64, RM.RNE, 64, false))).toEqual([Infinity, NV]);
  });
  it('from integers round by mode', () => {
    expect(withFlags(() => sf.fromBigInt(F64, 2n ** 53n + 1n, RM.RNE))).toEqual([2 ** 53, NX]);
    expect(withFlags(() => sf.fromBigInt(F64, 2n ** 53n + 1n, RM.RUP))).toEqual([2 ** 53 + 2, NX]);
    expect(withFlags(() => sf.fromInt(F32, 2 ** 24 + 1, RM.RDN))).toEqual([2 ** 24, NX]);
    expect(withFlags(() => sf.fromInt(F32, -(2 ** 24) - 1, RM.RDN))).toEqual([-(2 ** 24) - 2, NX]);
  });
});
