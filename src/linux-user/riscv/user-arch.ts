// riscv64 as linux-user runs it: ELF identity, syscall table, frontend, start registers, loop.
import type { UserArch } from '../user-arch.js';
import { createRiscvFrontend } from '../../target/riscv/frontend.js';
import { PC, RES_ADDR, XREG } from '../../target/riscv/cpu-state.js';
import { riscv64Syscalls } from './syscall-table.js';
import { riscvCpuLoop } from './cpu-loop.js';
import { mapSigtrampPage } from './signal-frame.js';
import { RISCV64_ELF_ARCH } from './elf-arch.js';

export const riscv64UserArch: UserArch = {
  name: 'riscv64',
  elf: RISCV64_ELF_ARCH,
  syscalls: riscv64Syscalls,
  createFrontend: createRiscvFrontend,
  mapArchPages: mapSigtrampPage,
  initRegisters(mem, env, entry, sp) {
    mem.view.setBigUint64(env + PC, BigInt(entry), true);
    mem.view.setBigUint64(env + XREG(2), BigInt(sp), true);
    mem.view.setBigInt64(env + RES_ADDR, -1n, true); // no LR reservation yet
  },
  cpuLoop: riscvCpuLoop,
};
