// The fuzzer's seeded generator (xoshiro128**, seeded through splitmix32): the same seed gives
// the same programs on every machine, so a failure is reproduced from its seed alone.

export class Prng {
  private s: Uint32Array;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = Uint32Array.of(next(), next(), next(), next() || 1);
  }

  u32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 11);
    return r;
  }

  /** An integer in [0, n). */
  below(n: number): number { return Math.floor((this.u32() / 0x100000000) * n); }
  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number { return lo + this.below(hi - lo + 1); }
  /** True with probability p. */
  chance(p: number): boolean { return this.u32() / 0x100000000 < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.below(xs.length)]; }
  /** `n` (<= 32) random low bits. */
  bits(n: number): number { return n >= 32 ? this.u32() : this.u32() & ((1 << n) - 1) >>> 0; }
  u64(): bigint { return (BigInt(this.u32()) << 32n) | BigInt(this.u32()); }
  /** A seed for a child generator (one per batch or per sequence). */
  fork(): Prng { return new Prng(this.u32()); }
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
