// The register maps of the guests gdb can debug, by the name in tsemu-<name>.
import { ARM_GDB } from './arm-registers.js';
import type { GdbArch } from './registers.js';
import { RISCV64_GDB } from './riscv64-registers.js';

export const GDB_ARCHES: Record<string, GdbArch> = { riscv64: RISCV64_GDB, arm: ARM_GDB };
