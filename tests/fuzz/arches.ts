// The guest arches the fuzzer knows, by name.
import { ARM } from './arm-harness.js';
import { RISCV64 } from './riscv-harness.js';

export const ARCHES = { riscv64: RISCV64, arm: ARM };
