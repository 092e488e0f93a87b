// What an arch's cpu loop (src/linux-user/<arch>/cpu-loop.ts) asks of the process, whichever
// thread the vCPU runs on: syscalls, faults to turn into signals, and checkpoints where signals
// act. DirectVcpu serves the vCPU that runs on the main thread itself; a worker's vCPU is served
// through messages (vcpu-worker.ts, thread-server.ts). Both end up in the same generic code.
import type { AddressSpace } from '../../memory/address-space.js';
import { BUS_ADRALN, GuestThread, SEGV_ACCERR, SEGV_MAPERR, SigInfo } from './guest-thread.js';
import { LinuxProcess, guestEnd } from './process.js';
import { syncStores } from './memory-calls.js';
import type { GuestExitStatus } from './termination.js';
import { SIGBUS, SIGSEGV, deliverSignals, forceSignal } from './signal-delivery.js';
import type { DirectHost } from './thread-host.js';

export interface VcpuHost {
  /** Runs syscall `nr` (the pc already past the instruction); returns the value for the result
   *  register. Throws when the thread or the process ends. */
  syscall(nr: number, args: bigint[]): bigint;
  /** The instruction at pc faulted on `addr` (a misaligned atomic, or a protection or mapping
   *  fault): SIGBUS or SIGSEGV is delivered (the registers set for the handler) or ends the
   *  process. */
  memFault(addr: number, misaligned: boolean): void;
  /** An exception the arch reports as a signal (SIGILL, SIGTRAP), delivered the same way. */
  trap(signo: number, code: number, addr: number): void;
  /** After each syscall and when the vCPU was asked to stop: signals act here. May throw to end
   *  this vCPU's run (the thread ended, or the vCPU moves to a worker). */
  checkpoint(): void;
}

/** The siginfo of a memory fault: SIGBUS for a misaligned atomic, else SIGSEGV, ACCERR when a
 *  mapping holds the address (the kernel's choice between the two). */
export function faultInfo(as: AddressSpace, addr: number, misaligned: boolean): SigInfo {
  if (misaligned) return { signo: SIGBUS, code: BUS_ADRALN, fields: { addr } };
  return { signo: SIGSEGV, code: as.find(addr) ? SEGV_ACCERR : SEGV_MAPERR, fields: { addr } };
}

/** Thread t's instruction faulted on `addr`: an access to a remote shared page runs over its
 *  file (shared-pages.ts); any other fault is SIGBUS or SIGSEGV for the thread. */
export function memoryFault(p: LinuxProcess, t: GuestThread, addr: number, misaligned: boolean): void {
  // The first store into a tracked page (a shared file mapping's): noted, and the instruction
  // runs again over the opened page.
  if (!misaligned && p.mem.noteWrite(addr)) return;
  // Another process may learn of this process's stores through a shared page as well as
  // through a syscall: the file mappings' stores go first.
  if (p.mem.trackedWrites?.size && p.sharedPages.isRemote(addr)) syncStores(p);
  const cpu = p.stepper;
  const at = misaligned || !cpu ? addr : p.sharedPages.emulate(addr, cpu.lastFault(t.env).kind, () => cpu.step(t.env));
  if (at !== undefined) forceSignal(p, t, faultInfo(p.as, at, misaligned));
}

/** Thrown by DirectVcpu.checkpoint when the process needs its vCPUs in workers. */
export class MoveToWorkers extends Error {
  constructor() {
    super('move to workers');
  }
}

/** The vCPU of thread `t` running on the main thread, in direct calls. */
export class DirectVcpu implements VcpuHost {
  constructor(private readonly p: LinuxProcess, private readonly t: GuestThread, private readonly host: DirectHost) {}

  syscall(nr: number, args: bigint[]): bigint {
    this.p.current = this.t;
    return this.p.syscall(nr, args);
  }

  memFault(addr: number, misaligned: boolean): void {
    this.p.current = this.t;
    memoryFault(this.p, this.t, addr, misaligned);
  }

  trap(signo: number, code: number, addr: number): void {
    this.p.current = this.t;
    forceSignal(this.p, this.t, { signo, code, fields: { addr } });
  }

  checkpoint(): void {
    this.p.current = this.t;
    deliverSignals(this.p, this.t);
    if (this.host.moveRequested) throw new MoveToWorkers();
  }
}

/** Runs the first vCPU on this thread until the process ends, for a caller that has no event
 *  loop to offer (tests, embedding): a guest that starts a thread or a timer fails with
 *  MoveToWorkers. `run` is the arch's cpu loop over that vCPU. */
export function runDirect(p: LinuxProcess, run: (host: VcpuHost) => void): GuestExitStatus {
  try {
    run(new DirectVcpu(p, p.current, p.host as DirectHost));
  } catch (e) {
    const end = guestEnd(e);
    if (end) return end;
    throw e;
  }
  throw new Error('the cpu loop returned');
}
