// The fixed-seed arm fuzz batch (tests/fuzz/fuzz-suite.ts).
import { ARM } from './arm-harness.js';
import { describeFuzzBatch } from './fuzz-suite.js';

describeFuzzBatch(ARM, 11, 2000);
