// Zba, Zbb, Zbs: each instruction (words from GNU as, -march=rv64gc_zba_zbb_zbs, operands
// a0,a1,a2 or a0,a1,imm) decodes to its name and computes what the bit-manipulation spec 1.0.0
// says, modelled here with BigInt, over a set of edge-case operands.
import { describe, expect, it } from 'vitest';
import { decode32, extract } from '../../src/target/riscv/decode.js';
import { ZBA_PATTERNS, ZBB_PATTERNS, ZBS_PATTERNS } from '../../src/target/riscv/zb.js';
import { RVI_PATTERNS } from '../../src/target/riscv/rvi.js';
import { BACKENDS, Rig } from './riscv-int-rig.js';

const WORDS: [number, string][] = [
  [0x20c5a533, 'sh1add'],
  [0x20c5c533, 'sh2add'],
  [0x20c5e533, 'sh3add'],
  [0x08c5853b, 'add.uw'],
  [0x20c5a53b, 'sh1add.uw'],
  [0x20c5c53b, 'sh2add.uw'],
  [0x20c5e53b, 'sh3add.uw'],
  [0x0a55951b, 'slli.uw'],
  [0x40c5f533, 'andn'],
  [0x40c5e533, 'orn'],
  [0x40c5c533, 'xnor'],
  [0x60059513, 'clz'],
  [0x6005951b, 'clzw'],
  [0x60159513, 'ctz'],
  [0x6015951b, 'ctzw'],
  [0x60259513, 'cpop'],
  [0x6025951b, 'cpopw'],
  [0x0ac5e533, 'max'],
  [0x0ac5f533, 'maxu'],
  [0x0ac5c533, 'min'],
  [0x0ac5d533, 'minu'],
  [0x60459513, 'sext.b'],
  [0x60559513, 'sext.h'],
  [0x0805c53b, 'zext.h'],
  [0x60c59533, 'rol'],
  [0x60c5953b, 'rolw'],
  [0x60c5d533, 'ror'],
  [0x6255d513, 'rori'],
  [0x60d5d51b, 'roriw'],
  [0x60c5d53b, 'rorw'],
  [0x2875d513, 'orc.b'],
  [0x6b85d513, 'rev8'],
  [0x48c59533, 'bclr'],
  [0x4a559513, 'bclri'],
  [0x48c5d533, 'bext'],
  [0x4a55d513, 'bexti'],
  [0x68c59533, 'binv'],
  [0x6a559513, 'binvi'],
  [0x28c59533, 'bset'],
  [0x2a559513, 'bseti'],
];

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const lo = (v: bigint): bigint => v & 0xffffffffn;
const sw = (v: bigint): bigint => u64(BigInt.asIntN(32, v));
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const clz = (v: bigint, w: number): bigint => {
  let n = 0n;
  for (let i = w - 1; i >= 0 && ((v >> BigInt(i)) & 1n) === 0n; i--) n++;
  return n;
};
const ctz = (v: bigint, w: number): bigint => {
  let n = 0n;
  while (n < BigInt(w) && ((v >> n) & 1n) === 0n) n++;
  return n;
};
const cpop = (v: bigint): bigint => BigInt([...v.toString(2)].filter((c) => c === '1').length);
const rotl = (v: bigint, n: bigint, w: bigint): bigint => {
  const m = (1n << w) - 1n;
  n %= w;
  return ((v << n) | (v >> ((w - n) % w))) & m;
};
const bytes = (v: bigint): bigint[] => [...Array(8).keys()].map((i) => (v >> BigInt(8 * i)) & 0xffn);
const fromBytes = (bs: bigint[]): bigint => bs.reduce((acc, b, i) => acc | (b << BigInt(8 * i)), 0n);

const REF: Record<string, (a: bigint, b: bigint, imm: bigint) => bigint> = {
  sh1add: (a, b) => (a << 1n) + b, sh2add: (a, b) => (a << 2n) + b, sh3add: (a, b) => (a << 3n) + b,
  'add.uw': (a, b) => lo(a) + b, 'sh1add.uw': (a, b) => (lo(a) << 1n) + b,
  'sh2add.uw': (a, b) => (lo(a) << 2n) + b, 'sh3add.uw': (a, b) => (lo(a) << 3n) + b,
  'slli.uw': (a, _b, i) => lo(a) << i,
  andn: (a, b) => a & ~b, orn: (a, b) => a | (M64 ^ b), xnor: (a, b) => M64 ^ a ^ b,
  clz: (a) => clz(a, 64), clzw: (a) => clz(lo(a), 32), ctz: (a) => ctz(a, 64), ctzw: (a) => ctz(lo(a), 32),
  cpop: (a) => cpop(a), cpopw: (a) => cpop(lo(a)),
  max: (a, b) => (s64(a) > s64(b) ? a : b), maxu: (a, b) => (a > b ? a : b),
  min: (a, b) => (s64(a) < s64(b) ? a : b), minu: (a, b) => (a < b ? a : b),
  'sext.b': (a) => BigInt.asIntN(8, a), 'sext.h': (a) => BigInt.asIntN(16, a), 'zext.h': (a) => a & 0xffffn,
  rol: (a, b) => rotl(a, b & 63n, 64n), ror: (a, b) => rotl(a, 64n - (b & 63n), 64n),
  rori: (a, _b, i) => rotl(a, 64n - i, 64n),
  rolw: (a, b) => sw(rotl(lo(a), b & 31n, 32n)), rorw: (a, b) => sw(rotl(lo(a), 32n - (b & 31n), 32n)),
  roriw: (a, _b, i) => sw(rotl(lo(a), 32n - i, 32n)),
  'orc.b': (a) => fromBytes(bytes(a).map((x) => (x ? 0xffn : 0n))),
  rev8: (a) => fromBytes(bytes(a).reverse()),
  bclr: (a, b) => a & ~(1n << (b & 63n)), bclri: (a, _b, i) => a & ~(1n << i),
  bext: (a, b) => (a >> (b & 63n)) & 1n, bexti: (a, _b, i) => (a >> i) & 1n,
  binv: (a, b) => a ^ (1n << (b & 63n)), binvi: (a, _b, i) => a ^ (1n << i),
  bset: (a, b) => a | (1n << (b & 63n)), bseti: (a, _b, i) => a | (1n << i),
};

const VALUES = [0n, 1n, 0x80n, 0x8000n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x1_0000_0000n,
  0x8000_0000_0000_0000n, M64, 0x0012_0000_ff00_3400n, 0xfedc_ba98_7654_3210n, 37n, 63n, 0x41n];

describe.each(BACKENDS)('riscv Zba/Zbb/Zbs (%s)', (kind) => {
  const rig = new Rig(kind);
  for (const [word, name] of WORDS) {
    it(name, () => {
      const p = decode32([RVI_PATTERNS, ZBA_PATTERNS, ZBB_PATTERNS, ZBS_PATTERNS], word);
      expect(p?.name).toBe(name);
      const imm = BigInt(extract(word, p!.format).imm);
      rig.load([word]);
      for (const a of VALUES) {
        for (const b of VALUES) {
          rig.reset().setX(11, a).setX(12, b).run();
          expect(rig.x(10), `${name} ${a.toString(16)} ${b.toString(16)}`).toBe(u64(REF[name](a, b, imm)));
        }
      }
    });
  }
});
