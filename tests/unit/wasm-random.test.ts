// Random IR blocks (seeded, see wasm-random-ir.ts), run under the wasm backend and the IR
// interpreter from the same state.
import { describe, it } from 'vitest';
import { DATA, ENV, G64, Harness } from './wasm-harness.js';
import { randomBlock, randomHelpers } from './wasm-random-ir.js';

const h: Harness = new Harness(randomHelpers(() => h.mem));

describe('random IR blocks: wasm backend matches the interpreter', () => {
  for (let batch = 0; batch < 6; batch++) {
    it(`batch ${batch}`, () => {
      const blocks = Array.from({ length: 500 }, (_, i) => randomBlock(batch * 500 + i + 1, h.helpers));
      h.compare(blocks, [11, 22], (v, seed) => {
        v.setBigUint64(ENV + G64(8), BigInt(DATA + (seed === 11 ? 0 : 0xff8)), true);
      });
    });
  }
});
