// What the gdbstub needs from the machine it debugs: a small interface that user mode
// (src/linux-user/generic/gdb-target.ts) implements over its vCPU and process, and that a
// system-mode machine can implement over its own. Signal numbers here are GDB's (gdb-signals.ts),
// not the guest's.
import type { Watchpoint } from '../tcg/exec-debug.js';
import type { GdbArch } from './registers.js';

/** Why the target stopped, as the stop reply says it. */
export type StopEvent =
  | { kind: 'signal'; signal: number; watch?: { addr: number; type: 'watch' | 'rwatch' | 'awatch' } }
  | { kind: 'exited'; status: number }
  | { kind: 'killed'; signal: number };

export interface DebugTarget {
  readonly arch: GdbArch;
  /** Where the stopped vCPU's registers are (its state area in guest memory). */
  readonly registers: { view: DataView; env: number };
  /** The ids gdb knows the process by, and its threads (vCPUs): user mode shows one, system
   *  mode each hart. */
  readonly processId: number;
  readonly threadIds: readonly number[];
  /** The thread that `registers`, memory and a step are about: the one the last stop was in,
   *  until gdb picks another (Hg, vCont with a thread). */
  threadId: number;
  /** What qThreadExtraInfo tells of a thread: its vCPU's index, and whether it sleeps (wfi). */
  threadState(tid: number): { cpuIndex: number; halted: boolean };
  /** The bytes of [addr, addr+len), or undefined when some of it is not mapped readable. */
  readMemory(addr: number, len: number): Uint8Array | undefined;
  /** Writes the bytes at addr (mapped memory only, read-only code included); false if not. */
  writeMemory(addr: number, bytes: Uint8Array): boolean;
  /** Sets or clears a breakpoint: execution stops before the instruction at addr. */
  breakpoint(addr: number, on: boolean): void;
  /** Sets or clears a watchpoint; false when the target cannot watch that range. */
  watchpoint(w: Watchpoint, on: boolean): boolean;
  /** Goes on (one instruction of the current thread with `step`), with `signal` (0: none)
   *  delivered to the guest. */
  resume(step: boolean, signal: number): void;
  /** Stops a running guest soon (gdb's Ctrl-C): a stop event follows. */
  interrupt(): void;
  /** The debugger left: every breakpoint and watchpoint goes and the guest runs on. */
  detach(): void;
  /** gdb's kill: the guest ends now. */
  kill(): never;
  /** Called with each stop (set by the stub). */
  onStop: ((e: StopEvent) => void) | undefined;
}
