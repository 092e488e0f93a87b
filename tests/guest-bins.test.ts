// Runs every committed riscv64 guest program under each backend and checks stdout and exit
// status against the outputs recorded from qemu-riscv64 (tests/guest-bins/riscv64/NAME.stdout, .status).
import { RISCV64 } from './guest-bins/corpus.js';
import { describeRecordedCorpus } from './guest-bins/corpus-suite.js';

describeRecordedCorpus(RISCV64, 28);
