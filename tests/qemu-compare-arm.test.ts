// When qemu-arm is installed (always under CI), runs each committed armhf guest program under
// it and under tsemu-arm and compares stdout, stderr and exit status.
import { ARM } from './guest-bins/corpus.js';
import { describeQemuComparison } from './guest-bins/corpus-suite.js';

describeQemuComparison(ARM);
