// Writes guest programs of the fuzzer's ARM generators (tests/fuzz: A32, Thumb, VFP, NEON
// sequences) for record-arm-disas.mjs: `tsx tests/tools/arm-fuzz-programs.ts DIR COUNT` makes
// COUNT programs DIR/fuzzN, each one batch of sequences from one seed, every extension drawn.
import { generate } from '../fuzz/fuzz.js';
import { ARM } from '../fuzz/arm-harness.js';
import { Prng } from '../fuzz/prng.js';
import { writeProgram } from '../fuzz/runner.js';

const [dir, count] = process.argv.slice(2);
const top = new Prng(0xd15a5);
for (let n = 0; n < Number(count); n++) {
  const p = top.fork();
  const seqs = Array.from({ length: 60 }, () => generate(ARM, p, 20, ARM.exts));
  writeProgram(dir, `fuzz${n}`, ARM.build(seqs, 1));
}
