// The execution loop of a system-mode hart: find or translate the block at the virtual pc, run
// it, and act on its exit (a trap, a privileged instruction, fence.i) between blocks, where the
// interrupts are also taken. Blocks come from the riscv frontend with its system-mode hooks and
// have their memory ops lowered to softmmu helper calls. A block runs first on the IR
// interpreter (src/tcg/interp-backend.ts); once hot, it is compiled to WebAssembly
// (src/tcg/wasm-backend.ts) in its every-edge mode with a budget of one block, so that compiled
// code too returns here after each block and nothing chains past these checks.
// A block is cached by its virtual pc together with the physical address of its code (and of
// its second page, when its last instruction crosses one), checked at every lookup through the
// fetch TLB: the same virtual pc under another mapping, or with the page no longer executable
// at the current privilege, is translated (or faults) again. Pcs are signed numbers (currentPc).
// A store (or a device's DMA) to a physical page that holds translated code drops that page's
// blocks, as qemu's tb_invalidate_phys_page does; fence.i then has nothing left to do.
import { GuestFault } from '../memory/guest-memory.js';
import { TbCode, outAsmRecord } from '../tcg/backend.js';
import { Frontend } from '../tcg/frontend.js';
import { ExitReason, IRBlock } from '../tcg/ir.js';
import { ExecDebug } from '../tcg/exec-debug.js';
import { InterpBackend } from '../tcg/interp-backend.js';
import { WasmBackend } from '../tcg/wasm-backend.js';
import { optimize } from '../tcg/optimizer.js';
import { formatBlock } from '../tcg/ir-printer.js';
import { BUDGET, EXCEPTION, EXC_BREAKPOINT, EXC_ILLEGAL_INSN, EXC_INFO } from '../target/riscv/cpu-state.js';
import { PrivExit } from '../target/riscv/privileged.js';
import { Clint, TimerCompare } from '../hw/clint.js';
import { PowerOff } from '../hw/mmio-device.js';
import { CsrHost, STCE } from './csr-table.js';
import { hartState } from './monitor.js';
import { execCsr } from './csr-access.js';
import { Cause, GuestTrap, Hart, IRQ, MSTATUS, Priv } from './hart.js';
import { Access } from './page-walk.js';
import { Softmmu } from './softmmu.js';
import { lowerMemoryOps } from './softmmu-lowering.js';
import { checkWfi, mret, pendingInterrupt, sret, takeTrap, wfiWakes } from './trap.js';

/** The -d items system mode logs. */
export interface SystemLog {
  has(item: 'in_asm' | 'op' | 'out_asm' | 'int' | 'cpu' | 'mmu'): boolean;
  write(text: string): void;
}

/** The machine's devices as the loop sees them between blocks. */
export interface LoopDevices {
  readonly clint: Clint;
  /** mip's MEIP and SEIP as the PLIC drives them for the hart (bits of a number). */
  externalBits(): number;
  /** Host input and device timers: called every POLL_BLOCKS blocks and around each wfi sleep. */
  poll(): void;
  /** The performance.now() by which a device timer wants poll() called, or Infinity. */
  nextDue(): number;
}

/** As user mode's -backend: interp only, wasm for every block from its first run, or tiered. */
export type SystemBackend = 'interp' | 'wasm' | 'tiered';

interface Tb {
  pc: number;
  code: TbCode;
  /** Interpreted runs so far, and the (lowered) IR to compile once hot; undefined once queued. */
  runs: number;
  ir: IRBlock | undefined;
  /** Translated with the F and D instructions legal (mstatus.FS not Off). */
  fp: boolean;
  insnCount: number;
  /** Physical address of the first instruction, and of the block's last byte. */
  phys: number;
  lastPhys: number;
  /** Virtual address of the block's last byte. */
  last: number;
  /** Dropped because its code was written: never queued for compilation again. */
  stale: boolean;
}

/** Instructions per block (qemu's TCG_MAX_INSNS is 512; a block also ends at a page). */
const MAX_INSNS = 512;
/** The longest wfi sleeps before it looks again: how late console input may be noticed. */
const WFI_SLEEP_MS = 10;
/** Blocks between polls of the devices (host input, device timers): about a millisecond. */
const POLL_BLOCKS = 1024;
/** Blocks between looks at the host clock for the CLINT's timer (performance.now() after every
 *  block would cost more than a short block itself): a few microseconds of lateness. */
const CLOCK_BLOCKS = 16;
const TWO32 = 2 ** 32;
/** Interpreted runs after which a block is queued for compilation, and the batch size (as in
 *  src/tcg/cpu-exec.ts: compiling costs as much as interpreting thousands of instructions). */
const HOT = 100;
const BATCH = 16;
/** Blocks dropped one page at a time before everything is flushed at once: the compiled code
 *  of a dropped block stays in its wasm module until the next full flush. */
const STALE_LIMIT = 50_000;

export class SystemLoop implements CsrHost {
  private readonly cache = new Map<number, Tb>();
  /** The blocks with code on each physical page (their first and last byte's pages). */
  private readonly pageTbs = new Map<number, Tb[]>();
  private staleCount = 0;
  private readonly interp: InterpBackend;
  private readonly wasm: WasmBackend | undefined;
  private readonly queue: Tb[] = [];
  private readonly hot: number;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));
  /** The fetch fault that stopped the last translation at its first instruction. */
  fetchFault: GuestTrap | undefined;
  private pollCountdown = POLL_BLOCKS;
  /** Blocks left in this run() (Infinity without a limit). */
  private budget = Infinity;
  /** What an attached debugger asks (system mode's gdbstub), if one may attach. */
  debug: ExecDebug | undefined;
  private clockCountdown = CLOCK_BLOCKS;
  /** The timers' mip bits (MTIP; STIP from stimecmp under STCE) as last sampled (every
   *  CLOCK_BLOCKS blocks, and at each full look). */
  private timerBits = 0;
  readonly stimecmp: TimerCompare;

  constructor(
    readonly hart: Hart,
    private readonly mmu: Softmmu,
    private readonly devices: LoopDevices,
    private readonly frontend: Frontend,
    private readonly log: SystemLog | undefined,
    backend: SystemBackend,
  ) {
    const ctx = { mem: hart.mem, layout: frontend.layout, helpers: frontend.helpers };
    this.interp = new InterpBackend(ctx);
    this.wasm = backend === 'interp' ? undefined : new WasmBackend(ctx, true);
    this.hot = backend === 'wasm' ? 0 : HOT;
    this.stimecmp = devices.clint.compare(0n);
  }

  // CsrHost
  mtime(): bigint {
    return this.devices.clint.mtime();
  }
  /** hwPending's bits with the timers as last sampled, as a number. */
  private hwBits(): number {
    const d = this.devices;
    return (d.clint.msip ? 1 << IRQ.MSI : 0) | this.timerBits | d.externalBits();
  }
  private sampleTimers(): void {
    const sstc = (this.hart.menvcfg & STCE) !== 0n;
    this.timerBits = (this.devices.clint.mtimecmp.pending() ? 1 << IRQ.MTI : 0) | (sstc && this.stimecmp.pending() ? 1 << IRQ.STI : 0);
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

  /** What the frontend asks when it translates (SystemModeHooks.fpEnabled). */
  fpEnabled(): boolean {
    return (this.hart.mstatus & MSTATUS.FS) !== 0n;
  }

  /** Runs until the machine powers off (returns how), or, with a limit, until about `blocks`
   *  blocks have run or a debugger's stop is due (returns undefined). */
  run(blocks = Infinity): PowerOff | undefined {
    this.budget = blocks;
    const debug = this.debug;
    if (debug) {
      // Under a debugger that breaks or steps, blocks are one instruction long, so that every
      // instruction boundary comes back here; other translations go.
      const key = `${debug.exact} ${debug.breakpointKey()}`;
      if (key !== debug.translatedFor) {
        debug.translatedFor = key;
        this.dropTranslations();
      }
    }
    for (;;) {
      try {
        this.runBlocks();
        return undefined;
      } catch (e) {
        if (e instanceof PowerOff) return e;
        if (!(e instanceof GuestTrap)) throw e;
        this.trap(e.cause, e.tval);
      }
    }
  }

  private trap(cause: number, tval: bigint, interrupt = false): void {
    const log = this.log?.has('int') ? (line: string) => this.log!.write(line) : undefined;
    takeTrap(this, cause, interrupt, tval, log);
  }

  private runBlocks(): void {
    const hart = this.hart;
    const debug = this.debug;
    for (;;) {
      if (--this.budget < 0) return;
      if (--this.pollCountdown < 0) {
        this.pollCountdown = POLL_BLOCKS;
        this.devices.poll();
      }
      if (--this.clockCountdown < 0) {
        this.clockCountdown = CLOCK_BLOCKS;
        this.sampleTimers();
      }
      // A cheap test on numbers first; the full one (priorities, delegation, global enables)
      // only when some enabled interrupt may be pending.
      if (hart.mieBits & (hart.mipSoftBits | this.hwBits())) {
        const irq = pendingInterrupt(this);
        if (irq >= 0) this.trap(irq, 0n, true);
      }
      const pc = this.currentPc();
      if (debug && this.debugStops(debug, pc)) return;
      const tb = this.lookup(pc);
      if (this.log?.has('cpu')) this.log.write(hartState(this));
      hart.mem.view.setInt32(hart.env + BUDGET, 1, true);
      const r = tb.code(hart.env);
      if (tb.ir && ++tb.runs >= this.hot && !tb.stale) this.queueHot(tb);
      if (r === ExitReason.Next) {
        hart.retired += tb.insnCount;
      } else {
        hart.retired += tb.insnCount - 1;
        this.exit(r);
      }
      if (this.mmu.writtenCode.length) this.dropWrittenCode();
    }
  }

  /** Before the block at pc under a debugger: whether to stop there (gdb's interrupt, a
   *  breakpoint, or the instruction after a step's). An interrupt taken before it counts as
   *  the step, as under qemu. */
  private debugStops(debug: ExecDebug, pc: number): boolean {
    if (debug.stop) return true;
    if (debug.stepping) {
      if (debug.stepTaken) debug.stop = { kind: 'step' };
      debug.stepTaken = true;
    } else if (debug.hasBreakpoint(pc)) {
      debug.stop = { kind: 'breakpoint' };
    }
    return debug.stop !== undefined;
  }

  /** The pc as a signed number: the frontend computes pcs as JS numbers, exact within
   *  +-2^53, which holds every canonical Sv39 and Sv48 address (the upper half as negative
   *  numbers). Beyond that there is neither memory nor a valid mapping: a fetch fault. */
  private currentPc(): number {
    const pc = this.hart.pcNumber();
    if (pc !== undefined) return pc;
    const translated = this.hart.priv !== Priv.M && this.hart.satp >> 60n !== 0n;
    throw new GuestTrap(translated ? Cause.FetchPage : Cause.FetchAccess, this.hart.pc);
  }

  private lookup(pc: number): Tb {
    const phys = this.fetchPhys(pc);
    const tb = this.cache.get(pc);
    const fp = this.fpEnabled();
    if (tb && tb.phys === phys && tb.fp === fp && (tb.last === pc || this.fetchPhys(tb.last) === tb.lastPhys)) return tb;
    return this.translate(pc, phys);
  }

  /** The physical address code at pc is fetched from, or the fetch fault. */
  private fetchPhys(pc: number): number {
    return this.mmu.translate(pc | 0, Math.floor(pc / TWO32) | 0, Access.Fetch);
  }

  private translate(pc: number, phys: number): Tb {
    this.fetchFault = undefined;
    let ir;
    try {
      ir = this.frontend.translate(pc, this.debug?.exact ? 1 : MAX_INSNS);
    } catch (e) {
      if (e instanceof GuestFault && this.fetchFault) throw this.fetchFault;
      throw e;
    }
    const last = pc + Math.max(ir.size, 1) - 1;
    const lastPhys = this.fetchPhys(last);
    this.mmu.markCode(phys);
    this.mmu.markCode(lastPhys);
    const log = this.log;
    if (log?.has('in_asm')) {
      log.write(`----------------\nIN: \nPriv: ${this.hart.priv}; Virt: 0\n${this.frontend.disassemble(ir.pc, ir.size).join('\n')}\n\n`);
    }
    const lowered = lowerMemoryOps(ir, this.frontend.helpers);
    if (log?.has('op')) log.write(`OP:\n${formatBlock(lowered, this.frontend.helpers.map((h) => h.name))}\n`);
    const tb: Tb = {
      pc, code: this.interp.compile([lowered])[0], runs: 0, ir: this.wasm ? lowered : undefined,
      fp: this.fpEnabled(), insnCount: ir.insnCount, phys, lastPhys, last, stale: false,
    };
    for (const page of new Set([Math.floor(phys / 4096), Math.floor(lastPhys / 4096)])) {
      const list = this.pageTbs.get(page);
      if (list) list.push(tb);
      else this.pageTbs.set(page, [tb]);
    }
    if (this.hot === 0) this.queueHot(tb);
    this.cache.set(pc, tb);
    return tb;
  }

  /** Queues a hot block; a full batch compiles, and so does a partial one whose block keeps
   *  running interpreted (a hot loop need not wait for unrelated blocks). */
  private queueHot(tb: Tb): void {
    if (!this.queue.includes(tb)) this.queue.push(tb);
    if (this.hot > 0 && this.queue.length < BATCH && tb.runs < this.hot * 4) return;
    const batch = this.queue.splice(0);
    const helpers = this.frontend.helpers;
    const codes = this.wasm!.compile(batch.map((b) => optimize(b.ir!, helpers)));
    const record = this.log?.has('out_asm') ? outAsmRecord(this.wasm!, batch.length) : undefined;
    if (record) this.log!.write(record);
    batch.forEach((b, i) => {
      b.code = codes[i];
      b.ir = undefined;
    });
  }

  /** Every translation goes: too many dropped one page at a time, another breakpoint set, or
   *  code changed behind the softmmu's back (a debugger's write). */
  dropTranslations(): void {
    this.cache.clear();
    this.pageTbs.clear();
    this.staleCount = 0;
    this.queue.length = 0;
    this.wasm?.flush();
    this.mmu.clearCodePages();
  }

  /** Drops the blocks on the pages stores have written since (qemu's tb_invalidate_phys_page):
   *  they are translated again from the new code when next reached. */
  private dropWrittenCode(): void {
    for (const page of this.mmu.writtenCode.splice(0)) {
      for (const tb of this.pageTbs.get(page) ?? []) {
        if (tb.stale) continue;
        tb.stale = true;
        this.staleCount++;
        if (this.cache.get(tb.pc) === tb) this.cache.delete(tb.pc);
      }
      this.pageTbs.delete(page);
    }
    if (this.queue.some((tb) => tb.stale)) this.queue.splice(0, this.queue.length, ...this.queue.filter((tb) => !tb.stale));
    if (this.staleCount > STALE_LIMIT) this.dropTranslations();
  }

  /** A block's exit other than "next pc": state.pc is the instruction that exited. */
  private exit(r: ExitReason): void {
    const hart = this.hart;
    const view = hart.mem.view;
    switch (r) {
      case ExitReason.Syscall:
        this.trap(Cause.EcallU + hart.priv, 0n);
        return;
      case ExitReason.FlushCode:
        // fence.i: nothing to do. Every store that reaches a page with translated code (the
        // softmmu's stores, atomics and DMA all note it) has already dropped those blocks.
        return;
      case ExitReason.Exception:
        break;
      default:
        throw new Error(`system mode: unexpected block exit ${r}`);
    }
    const cause = view.getInt32(hart.env + EXCEPTION, true);
    const insn = Number(view.getBigUint64(hart.env + EXC_INFO, true) & 0xffffffffn);
    switch (cause) {
      case EXC_ILLEGAL_INSN: this.trap(Cause.IllegalInsn, BigInt(insn)); return;
      case EXC_BREAKPOINT: this.trap(Cause.Breakpoint, 0n); return;
      case PrivExit.Mret: mret(this, insn); return;
      case PrivExit.Sret: sret(this, insn); return;
      default: break;
    }
    // The rest complete as instructions that do not jump: the next pc follows them.
    if (cause === PrivExit.Csr) {
      execCsr(this, insn);
    } else if (cause === PrivExit.Wfi) {
      checkWfi(hart, insn);
      this.waitForInterrupt();
    } else if (cause === PrivExit.SfenceVma) {
      if (hart.priv === Priv.U || (hart.priv === Priv.S && hart.mstatus & MSTATUS.TVM)) throw new GuestTrap(Cause.IllegalInsn, BigInt(insn));
      // Only the TLB: translated blocks are found by virtual pc and checked against the
      // physical address the fetch TLB gives at each lookup, so a changed mapping retranslates
      // on its own (as qemu's sfence.vma is a tlb_flush, not a tb_flush).
      this.mmu.flush();
    } else {
      throw new Error(`system mode: unexpected exception ${cause}`);
    }
    hart.retired++;
    hart.pc += 4n;
  }

  /** wfi: sleeps until an interrupt is pending in mie, a timer it enables (mtimecmp, stimecmp)
   *  or a device timer is due, at most WFI_SLEEP_MS at a time (the spec lets wfi end at any
   *  time). */
  private waitForInterrupt(): void {
    this.devices.poll();
    if (wfiWakes(this)) return;
    const { mieBits, menvcfg } = this.hart;
    const mNs = mieBits & (1 << IRQ.MTI) ? this.devices.clint.mtimecmp.nsUntil() : Infinity;
    const sNs = mieBits & (1 << IRQ.STI) && menvcfg & STCE ? this.stimecmp.nsUntil() : Infinity;
    const ms = Math.min(mNs / 1e6, sNs / 1e6, this.devices.nextDue() - performance.now(), WFI_SLEEP_MS);
    if (ms > 0) Atomics.wait(this.sleeper, 0, 0, ms);
    this.devices.poll();
    // A limited run ends at a sleep: its caller has events to serve (a debugger's socket).
    if (this.budget !== Infinity) this.budget = 0;
  }
}
