// Runs every committed armhf guest program under each backend and checks stdout and exit
// status against the outputs recorded from qemu-arm (tests/guest-bins/arm/NAME.stdout, .status).
import { ARM } from './guest-bins/corpus.js';
import { describeRecordedCorpus } from './guest-bins/corpus-suite.js';

describeRecordedCorpus(ARM, 33);
