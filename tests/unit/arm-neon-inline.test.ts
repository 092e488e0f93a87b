// VCEQ and VPADD (integer) are IR on the D registers' words (neon-extensions.ts), lanes side by
// side in a word; these check every lane size and shape against a lane-by-lane reference on
// random operands with many equal lanes (the case VCEQ's carry trick must get right), under
// both backends, with the destination also one of the sources. arm-neon-oracle.test.ts checks
// them against qemu-arm in whole programs (glibc's NEON memchr).
import { describe, expect, it } from 'vitest';
import { ExitReason } from '../../src/tcg/ir.js';
import { DREG } from '../../src/target/arm/cpu-state.js';
import { ArmRig, BACKENDS } from './arm-rig.js';

/** A32 encoding of a three-register NEON op (A7.4.1): U, the opcode bits 11-8, bit 4. */
function enc(u: number, opc: number, size: number, q: number, d: number, n: number, m: number): Uint8Array {
  const w = (0xf2000000 | (u << 24) | ((d >> 4) << 22) | (size << 20) | ((n & 15) << 16) | ((d & 15) << 12)
    | (opc << 8) | ((n >> 4) << 7) | (q << 6) | ((m >> 4) << 5) | (1 << 4) | (m & 15)) >>> 0;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, w, true);
  return b;
}

/** The lanes of D registers r.. r+count-1 as unsigned numbers of `bits` each. */
function lanes(rig: ArmRig, r: number, count: number, bits: number): number[] {
  const v = rig.mem.view;
  const out: number[] = [];
  for (let k = 0; k < count * 8; k += bits / 8) {
    const at = rig.env + DREG(r) + k;
    out.push(bits === 8 ? v.getUint8(at) : bits === 16 ? v.getUint16(at, true) : v.getUint32(at, true));
  }
  return out;
}

let seed = 12345;
const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);

describe.each(BACKENDS)('NEON VCEQ and VPADD in IR (%s)', (backend) => {
  for (const size of [0, 1, 2]) {
    const bits = 8 << size;
    for (const q of [0, 1]) {
      it(`vceq.i${bits} ${q ? 'q' : 'd'}`, () => {
        const rig = new ArmRig(backend);
        const regs = q + 1;
        for (const [d, n, m] of [[4, 0, 2], [0, 0, 2], [2, 0, 2]]) {
          rig.load(enc(1, 8, size, q, d, n, m));
          for (let trial = 0; trial < 200; trial++) {
            rig.reset();
            const v = rig.mem.view;
            for (let i = 0; i < 8 * regs; i++) {
              // Bytes of m copied from n, from a few values, or random: many lanes equal, some
              // differing in one bit only (the top, the bottom).
              const x = rnd() & 0xff;
              v.setUint8(rig.env + DREG(n) + i, trial & 1 ? [0, 0x80, 0x7f, 0xff][x & 3] : x);
            }
            for (let i = 0; i < 8 * regs; i++) {
              const a = v.getUint8(rig.env + DREG(n) + i), r = rnd();
              v.setUint8(rig.env + DREG(m) + i, r & 3 ? a : r & 4 ? a ^ 0x80 : r & 8 ? a ^ 1 : r >>> 24);
            }
            const a = lanes(rig, n, regs, bits), b = lanes(rig, m, regs, bits);
            const want = a.map((x, i) => (x === b[i] ? 2 ** bits - 1 : 0));
            expect(rig.run()).toBe(ExitReason.Next);
            expect(lanes(rig, d, regs, bits)).toEqual(want);
          }
        }
      });
    }
    it(`vpadd.i${bits}`, () => {
      const rig = new ArmRig(backend);
      for (const [d, n, m] of [[4, 0, 2], [0, 0, 2], [2, 0, 2], [1, 1, 1]]) {
        rig.load(enc(0, 11, size, 0, d, n, m));
        for (let trial = 0; trial < 200; trial++) {
          rig.reset();
          const v = rig.mem.view;
          for (const r of [n, m]) {
            for (let i = 0; i < 8; i++) v.setUint8(rig.env + DREG(r) + i, trial & 1 ? 0xff - (rnd() & 3) : rnd() & 0xff);
          }
          const a = lanes(rig, n, 1, bits), b = lanes(rig, m, 1, bits);
          const pairs = (x: number[]) => x.filter((_, i) => i % 2 === 0).map((y, i) => (y + x[2 * i + 1]) % 2 ** bits);
          const want = [...pairs(a), ...pairs(b)];
          expect(rig.run()).toBe(ExitReason.Next);
          expect(lanes(rig, d, 1, bits)).toEqual(want);
        }
      }
    });
  }
});
