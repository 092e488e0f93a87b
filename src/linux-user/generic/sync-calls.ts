// membarrier: every vCPU's loads and stores go to the one shared memory in program order as
// wasm and Atomics define them, so there is nothing to fence beyond what the call implies.
import type { SyscallImpl } from './syscall-arch.js';

export const SYNC_CALLS: Record<string, SyscallImpl> = {
  membarrier: { args: ['int', 'uint', 'int'], fn: () => 0 },
};
