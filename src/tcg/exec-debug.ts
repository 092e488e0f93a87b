// What a debugger (src/gdbstub) asks of one vCPU's execution loop: stop before breakpoint
// addresses, run one instruction at a time, and stop at accesses to watched ranges. CpuExec
// (cpu-exec.ts) consults it; the tcg layer knows no debugger protocol.
//
// Breakpoints work with the TB cache: while any is set, a block never runs past the start of an
// instruction that has one (the block is translated shorter), and compiled code returns to the
// loop after every block (a chaining budget of one), where the pc is compared with the set.
// Watchpoints use the page protection table: while guest code runs, a watched page's byte lacks
// the watched access (write, or read and write), so such an access faults; the loop runs the
// faulting instruction again with the page's own protection and stops after it when the access
// touched a watched range. Outside guest code (syscalls, the debugger's own reads) the pages
// have their own protection, so only guest instructions see watchpoints, as in qemu-user.
import { GuestMemory, PAGE_SHIFT, PROT_READ, PROT_REMOTE, PROT_WRITE, grantedProt } from '../memory/guest-memory.js';
import { FaultKind, IRBlock, Opc } from './ir.js';

/** Accesses a watchpoint stops at (bits): gdb's Z2 (write), Z3 (read) and Z4 (access). */
export const enum WatchAccess { Write = 1, Read = 2, Access = 3 }

export interface Watchpoint { addr: number; len: number; access: WatchAccess }

/** Why a vCPU stopped (or must stop before its next instruction). 'host' is a stop for the
 *  host's own reason (linux-user: a signal for the debugger, the debugger's own stop request),
 *  carried through as `code`. */
export type ExecStop =
  | { kind: 'breakpoint' | 'step' }
  | { kind: 'watch'; wp: Watchpoint; addr: number; access: WatchAccess }
  | { kind: 'host'; code: number };

/** The lowest pc bit carries no address (ARM's Thumb bit; RISC-V pcs are even). */
export const pcAddress = (pc: number): number => pc - (pc % 2);

export class ExecDebug {
  readonly breakpoints = new Set<number>();
  readonly watchpoints: Watchpoint[] = [];
  /** Run one instruction, then stop. */
  stepping = false;
  /** The stepped instruction has run (it ended with an exit the caller handles, a syscall). */
  stepTaken = false;
  /** Set while the vCPU must not run guest code: CpuExec.run returns Interrupt at once. */
  stop: ExecStop | undefined;
  /** The breakpoints the vCPU's translations were made for (see CpuExec.run). */
  translatedFor = '';
  /** Protection bytes of watched pages while guest code runs: page -> own byte. */
  private readonly armed = new Map<number, number>();

  /** Every block boundary must come back to the loop. */
  get exact(): boolean {
    return this.stepping || this.breakpoints.size > 0;
  }

  hasBreakpoint(pc: number): boolean {
    return this.breakpoints.has(pcAddress(pc));
  }

  /** A key of the breakpoint set: translations made for another set must go. */
  breakpointKey(): string {
    return [...this.breakpoints].sort((a, b) => a - b).join(',');
  }

  /** How many instructions of `ir` run before the first breakpoint after its start (0: none),
   *  so that the block can be translated to end there. */
  insnsBeforeBreakpoint(ir: IRBlock): number {
    if (this.breakpoints.size === 0) return 0;
    let n = 0;
    for (const op of ir.ops) {
      if (op.opc !== Opc.InsnStart) continue;
      if (n > 0 && this.hasBreakpoint(op.args[0])) return n;
      n++;
    }
    return 0;
  }

  /** Makes watched pages stricter before guest code runs. */
  arm(mem: GuestMemory): void {
    for (const w of this.watchpoints) {
      const strip = w.access & WatchAccess.Read ? PROT_READ | PROT_WRITE : PROT_WRITE;
      for (let p = w.addr >>> PAGE_SHIFT; p <= (w.addr + w.len - 1) >>> PAGE_SHIFT; p++) {
        const own = this.armed.get(p) ?? mem.prot[p];
        // A remote page already faults on every access and is served elsewhere.
        if (own & PROT_REMOTE) continue;
        this.armed.set(p, own);
        mem.prot[p] &= ~strip;
      }
    }
  }

  /** Gives watched pages their own protection back. */
  disarm(mem: GuestMemory): void {
    for (const [p, own] of this.armed) mem.prot[p] = own;
    this.armed.clear();
  }

  /** True when a fault of `kind` at `addr` was only the watch protection's: the page's own
   *  protection allows the access. */
  watchFault(mem: GuestMemory, addr: number, kind: FaultKind): boolean {
    const own = this.armed.get(addr >>> PAGE_SHIFT);
    if (own === undefined || own === mem.prot[addr >>> PAGE_SHIFT]) return false;
    // A tracked page (a shared file mapping's) grants a store its own fault can note.
    const granted = grantedProt(own);
    if (kind === FaultKind.Write) return (granted & PROT_WRITE) !== 0;
    return kind === FaultKind.Read && (granted & PROT_READ) !== 0;
  }

  /** The watchpoint an access of `size` bytes at `addr` hits, if any. */
  hit(addr: number, size: number, kind: FaultKind): Watchpoint | undefined {
    const access = kind === FaultKind.Write ? WatchAccess.Write : WatchAccess.Read;
    return this.watchpoints.find((w) => (w.access & access) !== 0 && addr < w.addr + w.len && w.addr < addr + size);
  }
}

/** The widest guest memory access of a translated instruction (what a fault at its address
 *  covers); 1 when its accesses are made by helpers. */
export function accessSize(ir: IRBlock): number {
  let size = 1;
  for (const op of ir.ops) {
    if (op.opc === Opc.Ld || op.opc === Opc.St || op.opc === Opc.AtomicCmpxchg || op.opc === Opc.AtomicRmw) {
      size = Math.max(size, op.args[3]);
    }
  }
  return size;
}
