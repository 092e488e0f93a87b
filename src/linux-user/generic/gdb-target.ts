// The gdbstub's target in user mode (src/gdbstub/debug-target.ts): the first thread's vCPU, run
// on the main thread between events (main-vcpu.ts) so that the gdb socket is served while the
// guest runs and while it is stopped. A stop (breakpoint, step, watchpoint, signal, Ctrl-C)
// is due in the vCPU's ExecDebug (src/tcg/exec-debug.ts); the vCPU leaves guest code for its
// next checkpoint, where it halts until gdb resumes it. Signals are shown to gdb before they act
// (as qemu-user's gdb_handlesig): the signal is held, and gdb's resume says whether it acts.
import type { DebugTarget, StopEvent } from '../../gdbstub/debug-target.js';
import { gdbSignal, linuxSignal } from '../../gdbstub/gdb-signals.js';
import type { GdbArch } from '../../gdbstub/registers.js';
import { GuestFault, PAGE_SHIFT, PROT_WRITE, WINDOW_SIZE, grantedProt } from '../../memory/guest-memory.js';
import type { CpuExec } from '../../tcg/cpu-exec.js';
import { ExecDebug, ExecStop, Watchpoint, WatchAccess, pcAddress } from '../../tcg/exec-debug.js';
import { GuestThread, SI_USER, SigInfo } from './guest-thread.js';
import type { MainVcpu } from './main-vcpu.js';
import type { LinuxProcess } from './process.js';
import { SIGTRAP } from './signal-delivery.js';

const SIGINT = 2;
/** Watchpoints at once: a bound on what gdb may make the stub keep. */
const MAX_WATCHPOINTS = 64;
/** The stop reply's name for a hit of each kind of watchpoint. */
const WATCH_REPLY = { [WatchAccess.Write]: 'watch', [WatchAccess.Read]: 'rwatch', [WatchAccess.Access]: 'awatch' } as const;

export interface GdbTargetHooks {
  /** Makes the vCPU leave guest code soon (its exit request). */
  requestExit(): void;
  /** Guest code in [start, start+len) changed (a debugger's write): translations go. */
  invalidate(start: number, len: number): void;
  /** Ends the process for gdb's kill. */
  kill(): never;
}

export class UserDebugTarget implements DebugTarget {
  onStop: ((e: StopEvent) => void) | undefined;
  readonly registers: { view: DataView; env: number };
  threadId: number;
  private readonly debug: ExecDebug;
  /** The signal the thread stopped with, for gdb's resume to pass on or drop. */
  private held: SigInfo | undefined;
  /** The signal gdb passed on: it acts without being shown again. */
  private passing: SigInfo | undefined;
  /** The current stop was told to gdb. */
  private reported = false;
  private attached = true;

  constructor(
    private readonly p: LinuxProcess,
    private readonly t: GuestThread,
    cpu: CpuExec,
    private readonly vcpu: MainVcpu,
    readonly arch: GdbArch,
    private readonly hooks: GdbTargetHooks,
  ) {
    this.debug = cpu.debug!;
    this.threadId = t.tid;
    this.registers = { view: p.mem.view, env: t.env };
    // The guest waits at its first instruction for gdb, as if stopped by a breakpoint there.
    this.debug.stop = { kind: 'host', code: SIGTRAP };
    p.debugSignal = (thread, info) => this.signal(thread, info);
    vcpu.debugHalt = () => this.halt();
  }

  /** gdb sees the first thread only (threads started later run, unseen). */
  get threadIds(): number[] {
    return [this.threadId];
  }

  threadState(): { cpuIndex: number; halted: boolean } {
    return { cpuIndex: this.t.cpuIndex, halted: false };
  }

  get processId(): number {
    return this.p.pid;
  }

  readMemory(addr: number, len: number): Uint8Array | undefined {
    try {
      return this.p.mem.read(addr, len);
    } catch (e) {
      if (e instanceof GuestFault) return undefined;
      throw e;
    }
  }

  /** Writable memory is written as the guest would; read-only mappings (code) too, since gdb
   *  may patch them, but never a page that is not mapped. */
  writeMemory(addr: number, bytes: Uint8Array): boolean {
    const mem = this.p.mem;
    if (!(addr >= 0 && addr + bytes.length <= WINDOW_SIZE)) return false;
    if (bytes.length === 0) return true;
    if (mem.accessible(addr, bytes.length, PROT_WRITE)) {
      mem.write(addr, bytes);
    } else {
      for (let p = addr >>> PAGE_SHIFT; p <= (addr + bytes.length - 1) >>> PAGE_SHIFT; p++) {
        if (grantedProt(mem.prot[p]) === 0) return false;
      }
      mem.writeRaw(addr, bytes);
    }
    this.hooks.invalidate(addr, bytes.length);
    return true;
  }

  breakpoint(addr: number, on: boolean): void {
    if (on) this.debug.breakpoints.add(pcAddress(addr));
    else this.debug.breakpoints.delete(pcAddress(addr));
  }

  watchpoint(w: Watchpoint, on: boolean): boolean {
    const list = this.debug.watchpoints;
    const at = list.findIndex((x) => x.addr === w.addr && x.len === w.len && x.access === w.access);
    if (!on) {
      if (at >= 0) list.splice(at, 1);
      return true;
    }
    if (!(w.addr >= 0 && w.addr + w.len <= WINDOW_SIZE) || list.length >= MAX_WATCHPOINTS) return false;
    if (at < 0) list.push(w);
    return true;
  }

  resume(step: boolean, signal: number): void {
    const debug = this.debug;
    if (!debug.stop) return;
    const held = this.held;
    this.held = undefined;
    debug.stop = undefined;
    this.reported = false;
    debug.stepping = step;
    debug.stepTaken = false;
    const signo = linuxSignal(signal);
    if (signo) {
      // Delivered at the vCPU's next checkpoint, before any guest instruction.
      const info: SigInfo = held?.signo === signo ? held : { signo, code: SI_USER };
      this.passing = info;
      this.t.pending.unshift(info);
      this.p.host.kick(this.t);
    }
    this.vcpu.resume();
  }

  interrupt(): void {
    if (this.debug.stop) return;
    this.debug.stop = { kind: 'host', code: SIGINT };
    this.hooks.requestExit();
    // A vCPU parked in a call reaches no checkpoint before the call ends: it stops as it is.
    if (this.vcpu.waiting) this.halt();
  }

  detach(): void {
    if (!this.attached) return;
    this.debug.breakpoints.clear();
    this.debug.watchpoints.length = 0;
    this.resume(false, this.held ? gdbSignal(this.held.signo) : 0);
    this.attached = false;
    this.debug.stop = undefined;
    this.debug.stepping = false;
  }

  kill(): never {
    return this.hooks.kill();
  }

  /** p.debugSignal: a signal about to act on thread t is held for gdb. */
  private signal(t: GuestThread, info: SigInfo): boolean {
    if (!this.attached || t !== this.t) return false;
    if (info === this.passing) {
      this.passing = undefined;
      return false;
    }
    this.held = info;
    this.debug.stop = { kind: 'host', code: info.signo };
    this.debug.stepping = false;
    return true;
  }

  /** The vCPU's checkpoint: true when it must halt; gdb hears of the stop once. */
  private halt(): boolean {
    const stop = this.debug.stop;
    if (!stop || !this.attached) return false;
    if (!this.reported) {
      this.reported = true;
      this.onStop?.(stopEvent(stop));
    }
    return true;
  }
}

function stopEvent(stop: ExecStop): StopEvent {
  switch (stop.kind) {
    case 'host': return { kind: 'signal', signal: gdbSignal(stop.code) };
    case 'watch': return { kind: 'signal', signal: gdbSignal(SIGTRAP), watch: { addr: stop.addr, type: WATCH_REPLY[stop.wp.access] } };
    default: return { kind: 'signal', signal: gdbSignal(SIGTRAP) };
  }
}
