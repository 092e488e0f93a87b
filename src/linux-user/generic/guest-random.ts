// The guest's source of random bytes (AT_RANDOM, getrandom): the host's CSPRNG, or with -seed a
// deterministic generator, so a run can be repeated exactly (qemu's -seed serves the same end;
// its byte stream is its own, so seeded runs match other seeded tsemu runs, not qemu's).
import * as fs from 'node:fs';

export type RandomSource = (n: number) => Uint8Array;

/** The host's CSPRNG through /dev/urandom: node:crypto would cost every run ~6 ms to load. */
export const hostRandom: RandomSource = (n) => {
  const out = new Uint8Array(n);
  const fd = fs.openSync('/dev/urandom', 'r');
  try {
    for (let got = 0; got < n;) got += fs.readSync(fd, out, got, n - got, null);
  } finally {
    fs.closeSync(fd);
  }
  return out;
};

/** splitmix32 over the seed's low and high words: simple, fast, and well mixed. */
export function seededRandom(seed: bigint): RandomSource {
  let state = Number(BigInt.asUintN(32, seed ^ (seed >> 32n)));
  const next = (): number => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const w = next();
      for (let k = 0; k < 4 && i + k < n; k++) out[i + k] = (w >>> (8 * k)) & 0xff;
    }
    return out;
  };
}
