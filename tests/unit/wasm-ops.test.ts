// Every IR op in both types on edge values: the wasm backend against the IR interpreter.
import { describe, it } from 'vitest';
import { Cond, ExitReason, IRBlock, Opc, Ty } from '../../src/tcg/ir.js';
import { IRBuilder } from '../../src/tcg/ir-builder.js';
import { DATA, G32, G64, Harness, RODATA, UNMAPPED } from './wasm-harness.js';

const h = new Harness();

const EDGES64 = [0n, 1n, 2n, 3n, 7n, 31n, 32n, 33n, 63n, 64n, 65n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x123456789abcdef0n, 0x7fffffffffffffffn,
  0x8000000000000000n, 0xfffffffffffffffen, 0xffffffffffffffffn, 0xfedcba9876543210n];
const EDGES32 = [...new Set(EDGES64.map((v) => v & 0xffffffffn))];
const edges = (ty: Ty): bigint[] => (ty === 'i64' ? EDGES64 : EDGES32);

const BINARY = [Opc.Add, Opc.Sub, Opc.Mul, Opc.And, Opc.Or, Opc.Xor, Opc.Shl, Opc.Shr, Opc.Sar, Opc.Rotl,
  Opc.Rotr, Opc.MulHS, Opc.MulHU, Opc.MulHSU, Opc.DivS, Opc.DivU, Opc.RemS, Opc.RemU];
const UNARY = [Opc.Mov, Opc.Neg, Opc.Not, Opc.Clz, Opc.Ctz, Opc.Popcnt, Opc.Ext8S, Opc.Ext16S, Opc.Ext32S,
  Opc.Ext8U, Opc.Ext16U, Opc.Ext32U];
const CONDS = [Cond.EQ, Cond.NE, Cond.LT, Cond.GE, Cond.LE, Cond.GT, Cond.LTU, Cond.GEU, Cond.LEU, Cond.GTU];

let nextPc = 0x1000;
/** A block over globals g0 (dest), g1, g2 of type `ty` (i64 regs or i32 regs). */
function block(ty: Ty, body: (b: IRBuilder, g: number[]) => void): IRBlock {
  const b = new IRBuilder(h.helpers);
  const off = ty === 'i64' ? G64 : G32;
  const g = [0, 1, 2, 3].map((i) => b.global(ty, off(i), `g${i}`));
  const pc = (nextPc += 4);
  b.insnStart(pc);
  body(b, g);
  b.exitTb(ExitReason.Next, pc + 4);
  return b.finish(pc, 4, 1);
}

/** Seeds whose initial state puts every pair of edge values in g1, g2 of type ty. */
function pairInit(ty: Ty): [number[], (v: DataView, seed: number) => void] {
  const e = edges(ty);
  const seeds = e.flatMap((_, i) => e.map((_, j) => i * e.length + j + 1));
  return [seeds, (v, seed) => {
    const i = Math.floor((seed - 1) / e.length), j = (seed - 1) % e.length;
    if (ty === 'i64') { v.setBigUint64(ENV_OFF + G64(1), e[i], true); v.setBigUint64(ENV_OFF + G64(2), e[j], true); }
    else { v.setUint32(ENV_OFF + G32(1), Number(e[i]), true); v.setUint32(ENV_OFF + G32(2), Number(e[j]), true); }
  }];
}
import { ENV as ENV_OFF } from './wasm-harness.js';

describe('wasm backend ops match the interpreter', () => {
  for (const ty of ['i32', 'i64'] as Ty[]) {
    const [seeds, init] = pairInit(ty);

    it(`binary ops on ${ty} registers`, () => {
      h.compare(BINARY.map((opc) => block(ty, (b, g) => b.binop(opc, g[0], g[1], g[2]))), seeds, init);
    });

    it(`binary ops on ${ty} with constant operands`, () => {
      const blocks = BINARY.flatMap((opc) => edges(ty).flatMap((c) => [
        block(ty, (b, g) => b.binop(opc, g[0], g[1], b.const(ty, c))),
        block(ty, (b, g) => b.binop(opc, g[0], b.const(ty, c), g[2])),
      ]));
      h.compare(blocks, seeds.filter((_, i) => i % 13 === 0), init);
    });

    it(`unary ops on ${ty}`, () => {
      h.compare(UNARY.map((opc) => block(ty, (b, g) => b.unop(opc, g[0], g[1]))), seeds, init);
    });

    it(`setcond, movcond and brcond on ${ty}`, () => {
      const blocks = CONDS.flatMap((c) => [
        block(ty, (b, g) => b.setcond(c, g[0], g[1], g[2])),
        block(ty, (b, g) => b.movcond(c, g[0], g[1], g[2], g[2], g[3])),
        block(ty, (b, g) => {
          const l = b.label();
          b.movi(g[0], 5);
          b.brcond(c, g[1], g[2], l);
          b.movi(g[0], 9);
          b.setLabel(l);
        }),
      ]);
      h.compare(blocks, seeds, init);
    });
  }

  it('conversions between types, and mixed-type setcond/movcond', () => {
    const mk = (body: (b: IRBuilder, r64: number[], r32: number[]) => void): IRBlock => block('i64', (b, g) => {
      const r32 = [0, 1, 2].map((i) => b.global('i32', G32(i), `w${i}`));
      body(b, g, r32);
    });
    const blocks = [
      mk((b, r, w) => b.emit(Opc.ExtUI32I64, 'i64', r[0], w[1])),
      mk((b, r, w) => b.emit(Opc.ExtSI32I64, 'i64', r[0], w[1])),
      mk((b, r, w) => b.emit(Opc.TruncI64I32, 'i32', w[0], r[1])),
      ...CONDS.map((c) => mk((b, r, w) => b.setcond(c, w[0], r[1], r[2]))),
      ...CONDS.map((c) => mk((b, r, w) => b.setcond(c, r[0], w[1], w[2]))),
      ...CONDS.map((c) => mk((b, r, w) => b.movcond(c, w[0], r[1], r[2], w[1], w[2]))),
      ...CONDS.map((c) => mk((b, r, w) => b.movcond(c, r[0], w[1], w[2], r[1], r[2]))),
    ];
    const [seeds, init] = pairInit('i64');
    h.compare(blocks, seeds, (v, s) => {
      init(v, s);
      v.setBigUint64(ENV_OFF + G32(1), v.getBigUint64(ENV_OFF + G64(2), true), true);
    });
  });

  it('loads and stores of every size, sign and type, at page edges and faulting', () => {
    const addrs = [DATA, DATA + 1, DATA + 0xffd, DATA + 0xfff, DATA + 0x1ff9, DATA + 0x1ffc, RODATA - 2,
      RODATA + 8, RODATA + 0xffc, UNMAPPED, UNMAPPED - 4, 0, 0xfffffff8];
    const blocks: IRBlock[] = [];
    for (const ty of ['i32', 'i64'] as Ty[]) {
      for (const size of [1, 2, 4, 8] as const) {
        for (const off of [0, 3, -5]) {
          blocks.push(block('i64', (b, g) => {
            const d = b.global(ty, ty === 'i64' ? G64(4) : G32(4), 'd');
            b.ld(d, g[1], off, { size, signed: false });
            b.movi(g[3], 1);
            b.ld(d, g[1], off + 8, { size, signed: true });
          }));
          blocks.push(block('i64', (b, g) => {
            const v = b.global(ty, ty === 'i64' ? G64(2) : G32(2), 'v');
            b.movi(g[3], 1);
            b.st(v, g[1], off, size);
          }));
          // 32-bit guest addresses: i32 address temps wrap at 4 GiB.
          blocks.push(block('i32', (b, g) => {
            const d = b.global(ty, ty === 'i64' ? G64(4) : G32(4), 'd');
            b.ld(d, g[1], off, { size, signed: true });
            b.st(g[2], g[1], off + 16, size);
          }));
        }
      }
    }
    const wide = [0n, 0x100000000n, 0xffffffff00000000n];
    const seeds = addrs.flatMap((_, i) => wide.map((_, j) => i * wide.length + j + 1));
    h.compare(blocks, seeds, (v, s) => {
      const a = BigInt(addrs[Math.floor((s - 1) / wide.length)]) + wide[(s - 1) % wide.length];
      v.setBigUint64(ENV_OFF + G64(1), a, true);
      v.setUint32(ENV_OFF + G32(1), Number(a & 0xffffffffn), true);
    });
  });
});
