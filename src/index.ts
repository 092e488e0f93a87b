// tsemu as a library: the pieces an embedder needs to run a guest program in its own process
// (runUserMode with an arch), or to drive the engine directly (memory, frontends, the cpu loop).
export { runUserMode, type UserArch } from './cli/user-mode.js';
export { riscv64UserArch } from './linux-user/riscv/user-arch.js';
export { armUserArch } from './linux-user/arm/user-arch.js';
export { GuestMemory, GuestFault } from './memory/guest-memory.js';
export { AddressSpace } from './memory/address-space.js';
export { CpuExec, type BackendChoice, type ExecOptions } from './tcg/cpu-exec.js';
export { createRiscvFrontend } from './target/riscv/frontend.js';
export { createArmFrontend } from './target/arm/frontend.js';
export { LinuxProcess, GuestExit, GuestSignal } from './linux-user/generic/process.js';
export { loadElf, LoaderError } from './loader/index.js';
export { formatBlock } from './tcg/ir-printer.js';
export * from './tcg/ir.js';
