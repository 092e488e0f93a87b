// The words through which other threads reach a running vCPU, at CPU_CONTROL in its area of the
// shared memory (src/memory). A vCPU in compiled code returns to its loop only when its chaining
// budget runs out, so a request sets the budget to zero as well as the flag: the code leaves at
// its next chaining or back-edge, and CpuExec.run sees the flag before it starts another block
// (QEMU's exit_request). Words are accessed with Atomics: they cross threads.
import {
  CODE_GENERATION, CPU_CONTROL, CPU_STATE_BASE, CPU_STATE_MAX, CPU_STATE_STRIDE, GuestMemory,
} from '../memory/guest-memory.js';
import type { StateLayout } from './ir.js';

/** i32: non-zero asks the vCPU to return ExitReason.Interrupt before its next block. */
export const EXIT_REQUEST = CPU_CONTROL;

const i32 = (mem: GuestMemory): Int32Array => new Int32Array(mem.buffer);

/** Makes the vCPU whose state is at `env` leave guest code soon (within one chained block or
 *  loop iteration). Safe from any thread. */
export function requestExit(mem: GuestMemory, layout: StateLayout, env: number): void {
  const words = i32(mem);
  Atomics.store(words, (env + EXIT_REQUEST) >>> 2, 1);
  Atomics.store(words, (env + layout.budgetOffset) >>> 2, 0);
}

/** Clears and returns the exit request of the vCPU at `env`. */
export function takeExitRequest(words: Int32Array, env: number): boolean {
  return Atomics.exchange(words, (env + EXIT_REQUEST) >>> 2, 0) !== 0;
}

/** The process-wide count of code invalidations: a vCPU that sees it change drops its
 *  translations before its next block (each vCPU has its own TB cache and compiled code). */
export function codeGeneration(words: Int32Array): number {
  return Atomics.load(words, CODE_GENERATION >>> 2);
}

/** Guest code changed (munmap, mprotect or MAP_FIXED over code, an icache flush): every vCPU
 *  drops its translations before its next block, and leaves compiled code soon to get there. */
export function invalidateCode(mem: GuestMemory, layout: StateLayout): void {
  Atomics.add(i32(mem), CODE_GENERATION >>> 2, 1);
  for (let i = 0; i < CPU_STATE_MAX; i++) requestExit(mem, layout, CPU_STATE_BASE + i * CPU_STATE_STRIDE);
}
