// When qemu-riscv64 is installed, runs each committed riscv64 guest program under it and under
// tsemu-riscv64 and compares stdout, stderr and exit status (see describeQemuComparison).
import { RISCV64 } from './guest-bins/corpus.js';
import { describeQemuComparison } from './guest-bins/corpus-suite.js';

describeQemuComparison(RISCV64);
