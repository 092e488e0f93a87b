// Random IR blocks and programs of them (seeded, see wasm-random-ir.ts), run under the wasm
// backend and the IR interpreter from the same state.
import { describe, it } from 'vitest';
import { DATA, ENV, G64, Harness } from './wasm-harness.js';
import { COUNTDOWN, randomBlock, randomHelpers, randomProgram } from './wasm-random-ir.js';

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

/** Runs 150 random programs (of 2-8 blocks, or 3-10 when compiled over several batches)
 *  under both backends; `batches` of a seed gives the backend's number of batches. */
function comparePrograms(budget: number, batches?: (seed: number) => number): void {
  for (let seed = 1; seed <= 150; seed++) {
    const size = batches ? 3 + (seed % 8) : 2 + (seed % 7);
    const blocks = randomProgram(seed, h.helpers, 0x80000 + seed * 0x1000, size);
    h.compareProgram(blocks, [11, 22], budget, (v, s) => {
      v.setBigUint64(ENV + G64(8), BigInt(DATA + (s === 11 ? 0 : 0xff8)), true);
      v.setBigUint64(ENV + COUNTDOWN, BigInt(20 + (seed % 40)), true);
    }, undefined, batches?.(seed));
  }
}

describe('random programs (regions with loops): wasm backend matches the interpreter', () => {
  // A budget of 1 leaves at every back-edge and enters again at a loop header; 3 also leaves
  // mid-loop; the large one runs each program in one entry unless it chains out.
  for (const budget of [1, 3, 100_000]) it(`budget ${budget}`, () => comparePrograms(budget));
});

describe('random programs compiled over several batches: wasm backend matches the interpreter', () => {
  // Later batches compile earlier regions again with their blocks (a region whole or not at
  // all), and the code a batch returned must run the newest region that holds its block.
  for (const budget of [1, 100_000]) it(`budget ${budget}`, () => comparePrograms(budget, (seed) => 2 + (seed % 3)));
});
