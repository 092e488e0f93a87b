// The fixed-seed riscv64 fuzz batch (tests/fuzz/fuzz-suite.ts).
import { RISCV64 } from './riscv-harness.js';
import { describeFuzzBatch } from './fuzz-suite.js';

describeFuzzBatch(RISCV64, 11, 2000);
