// 32-bit ARM as linux-user runs it: ELF identity, syscall table, frontend, the kuser helper
// page, start registers, loop.
import type { UserArch } from '../user-arch.js';
import { createArmFrontend } from '../../target/arm/frontend.js';
import { EXCL_ADDR, PC, REG } from '../../target/arm/cpu-state.js';
import { armSyscalls } from './syscall-table.js';
import { armCpuLoop } from './cpu-loop.js';
import { ARM_ELF_ARCH } from './elf-arch.js';
import { mapKuserPage } from './kuser-page.js';

export const armUserArch: UserArch = {
  name: 'arm',
  elf: ARM_ELF_ARCH,
  syscalls: armSyscalls,
  createFrontend: createArmFrontend,
  mapArchPages: mapKuserPage,
  initRegisters(mem, env, entry, sp) {
    const view = mem.view;
    // Bit 0 of e_entry selects Thumb state, which is also how the pc slot carries it.
    view.setUint32(env + PC, entry, true);
    view.setUint32(env + REG(13), sp, true);
    // r0 = 0: no atexit function from a dynamic loader (glibc's _start passes r0 on).
    view.setUint32(env + REG(0), 0, true);
    view.setInt32(env + EXCL_ADDR, -1, true); // the exclusive monitor starts open
  },
  cpuLoop: armCpuLoop,
};
