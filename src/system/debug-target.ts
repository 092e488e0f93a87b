// The gdbstub's target in system mode (src/gdbstub/debug-target.ts): the harts of the running
// virt machine, each a thread as under qemu (thread n is hart n-1), run in slices by the command
// line's driver so that the gdb socket is served between them. A stop stops the machine; the
// hart it happened on becomes gdb's current thread. Breakpoints (every hart's) and steps (the
// current hart's) go through the loop's ExecDebug (one-instruction blocks while any is set);
// memory is read and written at virtual addresses as the current hart translates them now, without setting accessed/dirty
// bits, only in RAM (a device register is not touched; the mask ROM can be read); registers are
// the integer and FP ones in the hart's state and, as qemu's riscv target offers them, every CSR
// (org.gnu.gdb.riscv.csr, numbered 65 + the CSR number). Watchpoints are not implemented (gdb is
// told so and falls back to software ones).
import type { DebugTarget, StopEvent } from '../gdbstub/debug-target.js';
import type { GdbArch, GdbRegister } from '../gdbstub/registers.js';
import { RISCV64_GDB } from '../gdbstub/riscv64-registers.js';
import { ExecDebug } from '../tcg/exec-debug.js';
import { CSR_TABLE } from './csr-table.js';
import { GuestTrap } from './hart.js';
import { HartCpu } from './hart-cpu.js';
import { Access, translatePage } from './page-walk.js';
import { PhysBus } from './phys-bus.js';
import { SystemLoop } from './system-loop.js';

/** gdb's signal numbers for the stops this target reports. */
const GDB_SIGINT = 2, GDB_SIGTRAP = 5;
const TWO32 = 2 ** 32;
/** gdb numbers CSRs from 65 (riscv-tdep.c); fflags, frm and fcsr are in the FPU feature. */
const CSR_REGNUM_BASE = 65;

/** What the target debugs: the machine now running (a reset makes a new one). */
export interface DebuggedMachine {
  readonly loop: SystemLoop;
  readonly bus: PhysBus;
}

export class SystemDebugTarget implements DebugTarget {
  onStop: ((e: StopEvent) => void) | undefined;
  readonly arch: GdbArch;
  readonly processId = 1;
  threadId = 1;
  readonly debug = new ExecDebug();

  /** `wake` runs the machine again after a resume; `end` ends tsemu for gdb's kill. */
  constructor(private readonly machine: () => DebuggedMachine, private readonly wake: () => void, private readonly end: () => never) {
    const csrs = Object.entries(CSR_TABLE).filter(([n]) => Number(n) > 3).map(([n, row]): GdbRegister => ({
      name: row.name, bits: 64, type: 'int', group: 'csr', regnum: CSR_REGNUM_BASE + Number(n),
      get: () => row.read(this.current()),
      set: (_v, _env, x) => row.write?.(this.current(), x),
    }));
    this.arch = { ...RISCV64_GDB, features: [...RISCV64_GDB.features, { name: 'org.gnu.gdb.riscv.csr', regs: csrs }] };
  }

  get threadIds(): number[] {
    return this.machine().loop.cpus.map((_, i) => i + 1);
  }

  threadState(tid: number): { cpuIndex: number; halted: boolean } {
    return { cpuIndex: tid - 1, halted: this.machine().loop.cpus[tid - 1].waiting };
  }

  private current(): HartCpu {
    return this.machine().loop.cpus[this.threadId - 1];
  }

  get registers(): { view: DataView; env: number } {
    const hart = this.current().hart;
    return { view: hart.mem.view, env: hart.env };
  }

  /** The physical address of each byte of [addr, addr+len), page by page, or undefined where a
   *  page is not mapped. */
  private physical(addr: number, len: number): { pa: number; n: number }[] | undefined {
    const { bus } = this.machine();
    const runs: { pa: number; n: number }[] = [];
    for (let done = 0; done < len;) {
      const va = addr + done;
      // The offset in the page (upper-half addresses are negative numbers).
      const offset = ((va % 4096) + 4096) % 4096;
      const n = Math.min(len - done, 4096 - offset);
      let page: number;
      try {
        page = translatePage(this.current().hart, bus, va | 0, Math.floor(va / TWO32) | 0, Access.Read, false);
      } catch (e) {
        if (e instanceof GuestTrap) return undefined;
        throw e;
      }
      runs.push({ pa: page + offset, n });
      done += n;
    }
    return runs;
  }

  readMemory(addr: number, len: number): Uint8Array | undefined {
    const bus = this.machine().bus;
    const parts = this.physical(addr, len)?.map(({ pa, n }) => bus.memoryAt(pa, n));
    if (!parts || parts.some((p) => p === undefined)) return undefined;
    return Buffer.concat(parts as Uint8Array[]);
  }

  writeMemory(addr: number, bytes: Uint8Array): boolean {
    const { loop, bus } = this.machine();
    const runs = this.physical(addr, bytes.length);
    if (!runs || !runs.every(({ pa, n }) => bus.isRam(pa, n))) return false;
    let at = 0;
    for (const { pa, n } of runs) {
      bus.mem.u8.set(bytes.subarray(at, at + n), pa);
      at += n;
    }
    // The debugger may have written code (a software breakpoint, a patch).
    loop.dropTranslations();
    return true;
  }

  breakpoint(addr: number, on: boolean): void {
    if (on) this.debug.breakpoints.add(addr);
    else this.debug.breakpoints.delete(addr);
  }

  watchpoint(): boolean {
    return false;
  }

  resume(step: boolean): void {
    this.machine().loop.steppingHart = this.threadId - 1;
    this.debug.stepping = step;
    this.debug.stepTaken = false;
    this.debug.stop = undefined;
    this.wake();
  }

  interrupt(): void {
    this.debug.stop ??= { kind: 'host', code: GDB_SIGINT };
  }

  detach(): void {
    this.debug.breakpoints.clear();
    this.resume(false);
  }

  kill(): never {
    return this.end();
  }

  /** The machine stopped for the debugger (a breakpoint, a step, gdb's interrupt): tells it. */
  stopped(): void {
    const stop = this.debug.stop;
    const hart = this.machine().loop.stoppedHart;
    if (hart !== undefined) this.threadId = hart + 1;
    if (stop) this.onStop?.({ kind: 'signal', signal: stop.kind === 'host' ? stop.code : GDB_SIGTRAP });
  }
}
