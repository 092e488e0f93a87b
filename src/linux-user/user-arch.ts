// The contract between the arch-neutral runner (loader, tcg, linux-user/generic) and one guest
// architecture: each of linux-user/<arch>/user-arch.ts fills one in, and whatever runs a guest
// (the tsemu-<arch> entry points, the library's run()) takes it as given.
import type { GuestMemory } from '../memory/guest-memory.js';
import type { AddressSpace } from '../memory/address-space.js';
import type { CpuExec } from '../tcg/cpu-exec.js';
import type { Frontend } from '../tcg/frontend.js';
import type { ElfArch } from '../loader/index.js';
import type { SyscallArch } from './generic/syscall-arch.js';
import type { VcpuHost } from './generic/vcpu-host.js';

export interface UserArch {
  /** As in the program name: tsemu-<name>. */
  name: string;
  elf: ElfArch;
  syscalls: SyscallArch;
  /** The frontend for this process; `ext` holds -cpu's extension switches (name -> on/off). */
  createFrontend(mem: GuestMemory, ext: Record<string, boolean>): Frontend;
  /** Maps the pages the arch's kernel gives every process (ARM's kuser helper page). */
  mapArchPages?(as: AddressSpace): void;
  /** Sets the registers a new process starts with (pc, sp). */
  initRegisters(mem: GuestMemory, env: number, entry: number, sp: number): void;
  /** Runs a vCPU until its thread or the process ends (by an exception). */
  cpuLoop(cpu: CpuExec, host: VcpuHost): never;
}
