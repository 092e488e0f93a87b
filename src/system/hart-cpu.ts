// One hart as the system loop runs it: its state (hart.ts), its softmmu with its own TLBs, and
// what its CSRs and interrupts see of the devices: its msip and mtimecmp in the CLINT, its Sstc
// stimecmp, its two PLIC contexts. Traps, and the privileged instructions a block exits on, are
// taken here; the loop owns the translated code (which every hart shares) and picks the hart
// that runs.
import { Clint, TimerCompare } from '../hw/clint.js';
import { ExitReason } from '../tcg/ir.js';
import { EXCEPTION, EXC_BREAKPOINT, EXC_ILLEGAL_INSN, EXC_INFO } from '../target/riscv/cpu-state.js';
import { PrivExit } from '../target/riscv/privileged.js';
import { execCsr } from './csr-access.js';
import { CsrHost, STCE } from './csr-table.js';
import { Cause, GuestTrap, Hart, IRQ, MSTATUS, Priv } from './hart.js';
import { Softmmu } from './softmmu.js';
import { checkWfi, mret, pendingInterrupt, sret, takeTrap, wfiWakes } from './trap.js';

/** Where qemu's `-d int` lines go, if they are logged. */
export type TrapLog = ((line: string) => void) | undefined;

export class HartCpu implements CsrHost {
  readonly stimecmp: TimerCompare;
  private readonly mtimecmp: TimerCompare;
  /** The timers' mip bits (MTIP; STIP from stimecmp under STCE) as last sampled (every few
   *  blocks, at each full look, and when the hart is switched to). */
  private timerBits = 0;
  /** Stopped in wfi with no interrupt to end it: the loop runs the other harts, or sleeps. */
  waiting = false;

  /** `externalBits`: mip's MEIP and SEIP as the PLIC drives them for this hart. */
  constructor(
    readonly hart: Hart,
    readonly mmu: Softmmu,
    private readonly clint: Clint,
    private readonly externalBits: () => number,
    private readonly trapLog: () => TrapLog,
  ) {
    this.mtimecmp = clint.mtimecmp[hart.hartId];
    this.stimecmp = clint.compare(0n);
  }

  // CsrHost
  mtime(): bigint {
    return this.clint.mtime();
  }
  hwPending(): bigint {
    this.sampleTimers();
    return BigInt(this.hwBits());
  }
  translationChanged(): void {
    this.mmu.flush();
  }
  regimeChanged(): void {
    this.mmu.regimeChanged();
  }

  /** hwPending's bits with the timers as last sampled, as a number. */
  private hwBits(): number {
    return (this.clint.msip[this.hart.hartId] ? 1 << IRQ.MSI : 0) | this.timerBits | this.externalBits();
  }
  sampleTimers(): void {
    const sstc = (this.hart.menvcfg & STCE) !== 0n;
    this.timerBits = (this.mtimecmp.pending() ? 1 << IRQ.MTI : 0) | (sstc && this.stimecmp.pending() ? 1 << IRQ.STI : 0);
  }

  /** What the frontend asks when it translates for this hart (SystemModeHooks.fpEnabled). */
  fpEnabled(): boolean {
    return (this.hart.mstatus & MSTATUS.FS) !== 0n;
  }

  trap(cause: number, tval: bigint, interrupt = false): void {
    takeTrap(this, cause, interrupt, tval, this.trapLog());
  }

  /** Between blocks: takes the interrupt due, if any. A cheap test on numbers first; the full
   *  one (priorities, delegation, global enables) only when some enabled one may be pending. */
  takeInterrupt(): void {
    const hart = this.hart;
    if (hart.mieBits & (hart.mipSoftBits | this.hwBits())) {
      const irq = pendingInterrupt(this);
      if (irq >= 0) this.trap(irq, 0n, true);
    }
  }

  /** The pc as a signed number: the frontend computes pcs as JS numbers, exact within
   *  +-2^53, which holds every canonical Sv39 and Sv48 address (the upper half as negative
   *  numbers). Beyond that there is neither memory nor a valid mapping: a fetch fault. */
  currentPc(): number {
    const pc = this.hart.pcNumber();
    if (pc !== undefined) return pc;
    const translated = this.hart.priv !== Priv.M && this.hart.satp >> 60n !== 0n;
    throw new GuestTrap(translated ? Cause.FetchPage : Cause.FetchAccess, this.hart.pc);
  }

  /** Whether this hart's wfi ends now (an interrupt pending in mie, 3.3.3): then it runs again. */
  wakes(): boolean {
    if (!wfiWakes(this)) return false;
    this.waiting = false;
    return true;
  }
  /** Milliseconds until a timer this hart's wfi waits for (mtimecmp, stimecmp) is due. */
  msUntilTimer(): number {
    const { mieBits, menvcfg } = this.hart;
    const mNs = mieBits & (1 << IRQ.MTI) ? this.mtimecmp.nsUntil() : Infinity;
    const sNs = mieBits & (1 << IRQ.STI) && menvcfg & STCE ? this.stimecmp.nsUntil() : Infinity;
    return Math.min(mNs, sNs) / 1e6;
  }

  /** A block's exit other than "next pc": state.pc is the instruction that exited. True after a
   *  wfi: the hart's turn ends there, whether it now waits or an interrupt it cannot take yet
   *  (masked by mstatus) ended the wfi at once. A loop around such a wfi (OpenSBI's harts
   *  waiting for the HSM start, with their IPI still pending) would otherwise spin through its
   *  whole turn while other harts have work. */
  exit(r: ExitReason): boolean {
    const hart = this.hart;
    const view = hart.mem.view;
    switch (r) {
      case ExitReason.Syscall:
        this.trap(Cause.EcallU + hart.priv, 0n);
        return false;
      case ExitReason.FlushCode:
        // fence.i: nothing to do. Every store that reaches a page with translated code (the
        // softmmu's stores, atomics and DMA all note it) has already dropped those blocks.
        return false;
      case ExitReason.Exception:
        break;
      default:
        throw new Error(`system mode: unexpected block exit ${r}`);
    }
    const cause = view.getInt32(hart.env + EXCEPTION, true);
    const insn = Number(view.getBigUint64(hart.env + EXC_INFO, true) & 0xffffffffn);
    switch (cause) {
      case EXC_ILLEGAL_INSN: this.trap(Cause.IllegalInsn, BigInt(insn)); return false;
      case EXC_BREAKPOINT: this.trap(Cause.Breakpoint, 0n); return false;
      case PrivExit.Mret: mret(this, insn); return false;
      case PrivExit.Sret: sret(this, insn); return false;
      default: break;
    }
    // The rest complete as instructions that do not jump: the next pc follows them.
    let wfi = false;
    if (cause === PrivExit.Csr) {
      execCsr(this, insn);
    } else if (cause === PrivExit.Wfi) {
      checkWfi(hart, insn);
      // The loop runs the other harts (or sleeps) until an interrupt is pending for this one.
      this.waiting = !wfiWakes(this);
      wfi = true;
    } else if (cause === PrivExit.SfenceVma) {
      if (hart.priv === Priv.U || (hart.priv === Priv.S && hart.mstatus & MSTATUS.TVM)) throw new GuestTrap(Cause.IllegalInsn, BigInt(insn));
      // Only this hart's TLB: translated blocks are found by virtual pc and checked against the
      // physical address the fetch TLB gives at each lookup, so a changed mapping retranslates
      // on its own (as qemu's sfence.vma is a tlb_flush, not a tb_flush).
      this.mmu.flush();
    } else {
      throw new Error(`system mode: unexpected exception ${cause}`);
    }
    hart.retired++;
    hart.pc += 4n;
    return wfi;
  }
}
