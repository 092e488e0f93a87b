// The guest architectures run() knows by name.
import type { UserArch } from '../linux-user/user-arch.js';
import { riscv64UserArch } from '../linux-user/riscv/user-arch.js';
import { armUserArch } from '../linux-user/arm/user-arch.js';

export type ArchName = 'riscv64' | 'arm';

export const USER_ARCHES: Record<ArchName, UserArch> = { riscv64: riscv64UserArch, arm: armUserArch };
