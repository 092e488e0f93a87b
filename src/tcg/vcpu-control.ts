// The words through which other threads reach a running vCPU, at CPU_CONTROL in its area of the
// shared memory (src/memory). A vCPU in compiled code returns to its loop only when its chaining
// budget runs out, so a request sets the budget to zero as well as the flag: the code leaves at
// its next chaining or back-edge, and CpuExec.run sees the flag before it starts another block
// (QEMU's exit_request). Words are accessed with Atomics: they cross threads.
import {
  CODE_GENERATION, CODE_PAGES, CPU_CONTROL, CPU_STATE_BASE, CPU_STATE_MAX, CPU_STATE_STRIDE, GuestMemory,
  PAGE_SHIFT, PROT_TABLE_SIZE, WINDOW_SIZE,
} from '../memory/guest-memory.js';
import type { StateLayout } from './ir.js';

/** i32: non-zero asks the vCPU to return ExitReason.Interrupt before its next block. */
export const EXIT_REQUEST = CPU_CONTROL;

/** `-d helpers` (src/tcg/helper-stats.ts): an i64, the guest instructions this vCPU area has
 *  executed, which generated code adds to as a guest register; then one f64 per helper, its
 *  calls. Past the mailbox's words (src/linux-user/generic/vcpu-mailbox.ts). In shared memory
 *  so that the main thread can sum every vCPU's at exit, workers' included; a new thread's or
 *  fork's state is copied only up to CPU_CONTROL, so counts are never inherited. */
export const INSN_COUNT = CPU_CONTROL + 0x100;
export const HELPER_COUNTS = INSN_COUNT + 8;
export const HELPER_COUNT_SLOTS = (CPU_STATE_STRIDE - HELPER_COUNTS) / 8;

const i32 = (mem: GuestMemory): Int32Array => new Int32Array(mem.buffer);

/** Makes the vCPU whose state is at `env` leave guest code soon (within one chained block or
 *  loop iteration). Safe from any thread. */
export function requestExit(mem: GuestMemory, layout: StateLayout, env: number): void {
  const words = i32(mem);
  Atomics.store(words, (env + EXIT_REQUEST) >>> 2, 1);
  Atomics.store(words, (env + layout.budgetOffset) >>> 2, 0);
}

/** Whether the vCPU at `env` has an exit request (without clearing it). */
export function exitRequested(words: Int32Array, env: number): boolean {
  return Atomics.load(words, (env + EXIT_REQUEST) >>> 2) !== 0;
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

const codePages = (mem: GuestMemory): Uint8Array => new Uint8Array(mem.buffer, CODE_PAGES, PROT_TABLE_SIZE);

/** Notes that a vCPU translates the code of [start, end] (inclusive), before it reads those
 *  bytes: an invalidation that changes them afterwards then sees the mark. */
export function markCode(mem: GuestMemory, start: number, end: number): void {
  codePages(mem).fill(1, start >>> PAGE_SHIFT, (end >>> PAGE_SHIFT) + 1);
}

/** Guest code in [start, start+len) changed (munmap, mprotect or MAP_FIXED over executable
 *  pages, an icache flush; the whole window when no range is given): every vCPU drops its
 *  translations before its next block, and leaves compiled code soon to get there. Pages no
 *  vCPU ever translated from change nothing: the dynamic loader maps a library executable
 *  whole and then maps its data over part of it, which would otherwise throw away the
 *  loader's own warm translations (hundreds of blocks) at every library. */
export function invalidateCode(mem: GuestMemory, layout: StateLayout, start = 0, len = WINDOW_SIZE): void {
  const first = start >>> PAGE_SHIFT, end = Math.ceil(Math.min(start + len, WINDOW_SIZE) / 2 ** PAGE_SHIFT);
  const marks = codePages(mem).subarray(first, end);
  if (marks.indexOf(1) < 0) return;
  // Every translation of these pages goes at the bump below, so later changes to them need
  // not flush again unless new code is translated there first.
  marks.fill(0);
  Atomics.add(i32(mem), CODE_GENERATION >>> 2, 1);
  for (let i = 0; i < CPU_STATE_MAX; i++) requestExit(mem, layout, CPU_STATE_BASE + i * CPU_STATE_STRIDE);
}
