// The optimizer (constant folding, copy propagation): optimized blocks must behave exactly as
// the originals, and foldable work must actually disappear.
import { describe, expect, it } from 'vitest';
import { Cond, ExitReason, HelperFlags, IRBlock, Opc } from '../../src/tcg/ir.js';
import { IRBuilder } from '../../src/tcg/ir-builder.js';
import { optimize } from '../../src/tcg/optimizer.js';
import { DATA, ENV, G64, Harness } from './wasm-harness.js';
import { randomBlock, randomHelpers } from './wasm-random-ir.js';

const h: Harness = new Harness(randomHelpers(() => h.mem));
const MIX = 0; // randomHelpers' helper that reads g0 and writes g1

describe('optimizer', () => {
  const blocks = Array.from({ length: 1500 }, (_, i) => randomBlock(20_000 + i, h.helpers));
  const optimized = blocks.map((b) => optimize(b, h.helpers));
  const init = (v: DataView, seed: number): void => v.setBigUint64(ENV + G64(8), BigInt(DATA + (seed === 11 ? 0 : 0xff8)), true);

  it('optimized random blocks behave as the originals (interpreter on both)', () => {
    h.compare(blocks, [11, 22], init, { blocks: optimized, backend: h.interp });
  });

  it('optimized random blocks under the wasm backend behave as the originals', () => {
    h.compare(blocks, [11, 22], init, { blocks: optimized, backend: h.wasm });
  });

  it('leaves the original block untouched', () => {
    const again = randomBlock(20_000, h.helpers);
    expect(blocks[0]).toEqual(again);
  });

  const build = (body: (b: IRBuilder, g: (i: number) => number) => void): IRBlock => {
    const b = new IRBuilder(h.helpers);
    b.insnStart(0x9000);
    body(b, (i) => b.global('i64', G64(i), `x${i}`));
    b.exitTb(ExitReason.Next, 0x9004);
    return b.finish(0x9000, 4, 1);
  };
  const opcs = (blk: IRBlock): Opc[] => blk.ops.map((o) => o.opc);

  it('folds constant arithmetic, comparisons and branches, and propagates copies', () => {
    const blk = build((b, g) => {
      const t = b.temp('i64'), u = b.temp('i64'), l = b.label();
      b.add(t, b.c64(3), b.c64(4));        // t = 7
      b.mov(u, t);                         // u = 7
      b.binop(Opc.Mul, g(0), u, b.c64(6)); // x0 = 42
      b.setcond(Cond.LT, g(1), u, b.c64(8));
      b.brcond(Cond.EQ, u, b.c64(7), l);   // always taken
      b.movi(g(2), 1);
      b.setLabel(l);
      b.mov(g(3), g(2));
    });
    const opt = optimize(blk, h.helpers);
    expect(opcs(opt)).not.toContain(Opc.Add);
    expect(opcs(opt)).not.toContain(Opc.Mul);
    expect(opcs(opt)).not.toContain(Opc.SetCond);
    expect(opcs(opt)).not.toContain(Opc.BrCond);
    expect(opcs(opt)).toContain(Opc.Br);
    h.compare([blk], [1, 2], undefined, { blocks: [opt], backend: h.wasm });
    h.reset(1);
    h.wasm.compile([opt])[0](ENV);
    expect([0, 1].map((i) => h.mem.view.getBigUint64(ENV + G64(i), true))).toEqual([42n, 1n]);
  });

  it('forgets copies of globals across a helper that writes globals, and at labels', () => {
    const blk = build((b, g) => {
      const t = b.temp('i64'), l = b.label();
      b.movi(g(1), 5);
      b.mov(t, g(1));
      b.call(MIX, g(2), b.c64(1));          // rewrites x1 in the state
      b.mov(g(3), g(1));                    // must read the new x1, not 5
      b.brcond(Cond.NE, g(0), b.c64(0), l);
      b.movi(g(2), 9);
      b.setLabel(l);
      b.add(g(0), g(2), t);                 // x2 is 9 or the helper's result: not foldable
    });
    const opt = optimize(blk, h.helpers);
    expect(h.helpers[MIX].flags & HelperFlags.WritesGlobals).toBeTruthy();
    const last = opt.ops[opt.ops.length - 2];
    expect(last.opc).toBe(Opc.Add);
    expect(opt.temps[last.args[1]].name).toBe('x2');
    h.compare([blk], [1, 2, 3], (v, s) => v.setBigUint64(ENV + G64(0), BigInt(s & 1), true), { blocks: [opt], backend: h.interp });
  });
});
