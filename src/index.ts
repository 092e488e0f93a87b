// tsemu as a library. run() runs a guest program in this process with typed options (README,
// "Use it as a library"); the rest are the engine's pieces, for driving it directly (memory,
// frontends, the cpu loop, the loader) or running one arch's user mode by hand (UserArch).
export {
  run, type RunOptions, type RunResult, type RunHooks, type RootSpec, type SyscallCall, type SyscallAction,
  type GuestEnd,
} from './api/run.js';
export type { ArchName } from './api/arches.js';
export type { InputSpec, OutputSpec } from './api/stdio.js';
export type { UserArch } from './linux-user/user-arch.js';
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
