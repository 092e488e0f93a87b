// The execution loop of the system-mode harts: find or translate the block at the virtual pc, run
// it, and act on its exit (a trap, a privileged instruction, fence.i) between blocks, where the
// interrupts are also taken. With several harts (-smp), they take turns in one thread, as qemu's
// `-accel tcg,thread=single` runs them: a hart runs a slice of blocks, then the next one that is
// not waiting in wfi; when all wait, the loop sleeps until a timer or device is due. Each hart has
// its own state, TLBs and reservation (hart-cpu.ts); the translated blocks are shared, since a
// block's code takes the hart's state as its argument, and reaches memory through the softmmu
// helpers, which the loop points at the running hart's softmmu. Blocks come from the riscv
// frontend with its system-mode hooks. A block runs first on the IR interpreter
// (src/tcg/interp-backend.ts), with its memory ops lowered to softmmu helper calls, and returns
// here after each block; once hot, it is compiled to WebAssembly (src/tcg/wasm-backend.ts), whose
// loads and stores probe the hart's inline TLB and call the helpers only on a miss, and whose
// blocks chain only within their region on one page (confineChaining, the `in-region` mode),
// coming back here at any other jump and after CHAIN_BUDGET back-edges. A block is
// cached by its virtual pc and whether F and D are legal (mstatus.FS; harts, and a kernel and its
// processes, differ in it, so each has its own table rather than translating again at every
// switch), together with the physical address of its code (and of its second page, when its last
// instruction crosses one), checked at every lookup through the fetch TLB: the same virtual pc
// under another mapping, or with the page no longer executable at the current privilege, is
// translated (or faults) again. Pcs are signed numbers (HartCpu.currentPc). A store (or a device's
// DMA) to a physical page that holds translated code drops that page's blocks, as qemu's
// tb_invalidate_phys_page does; fence.i then has nothing left to do.
import { GuestFault, PAGE_SIZE } from '../memory/guest-memory.js';
import { TbCode, outAsmRecord } from '../tcg/backend.js';
import { Frontend } from '../tcg/frontend.js';
import { ExitReason, IRBlock } from '../tcg/ir.js';
import { ExecDebug } from '../tcg/exec-debug.js';
import { InterpBackend } from '../tcg/interp-backend.js';
import { WasmBackend } from '../tcg/wasm-backend.js';
import { optimize } from '../tcg/optimizer.js';
import { countInstructions } from '../tcg/helper-stats.js';
import { INSN_COUNT } from '../tcg/vcpu-control.js';
import { formatBlock } from '../tcg/ir-printer.js';
import { BUDGET } from '../target/riscv/cpu-state.js';
import { PowerOff } from '../hw/mmio-device.js';
import { CodePages } from './code-pages.js';
import { HartCpu, TrapLog } from './hart-cpu.js';
import { hartState } from './monitor.js';
import { GuestTrap } from './hart.js';
import { Access } from './page-walk.js';
import { ActiveMmu, inlineTlb } from './softmmu-helpers.js';
import { confineChaining, lowerMemoryOps } from './softmmu-lowering.js';

/** The -d items system mode logs. */
export interface SystemLog {
  has(item: 'in_asm' | 'op' | 'out_asm' | 'int' | 'cpu' | 'mmu'): boolean;
  write(text: string): void;
}

/** The machine's devices as the loop sees them between blocks (the harts see their own
 *  interrupt sources through HartCpu). */
export interface LoopDevices {
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
  /** Interpreted runs so far, and the IR to compile once hot (its loads and stores not yet
   *  lowered: the wasm backend probes the TLB inline); undefined once compiled. */
  runs: number;
  ir: IRBlock | undefined;
  /** Its code is compiled: it may chain to other blocks of its region, and counts the
   *  instructions it runs in the state's INSN_COUNT. */
  compiled: boolean;
  /** Blocks of one group may be compiled into one region (see chainGroup). */
  group: number;
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
/** Blocks a hart runs before the next one's turn (with one hart, only a look at its wfi state):
 *  short enough that harts spinning on a lock whose holder is between turns give way soon,
 *  long enough that switching costs nothing measurable. Linux's boot to the prompt with -smp 2
 *  (and 4) took 26 s (30 s) with 1000, 17 s (24 s) with 300, and no less with 100; -smp 1 the
 *  same 14 s with each. */
const SLICE_BLOCKS = 300;
/** Blocks between polls of the devices (host input, device timers): about a millisecond. */
const POLL_BLOCKS = 1024;
/** Blocks between looks at the host clock for the CLINT's timer (performance.now() after every
 *  block would cost more than a short block itself): a few microseconds of lateness. */
const CLOCK_BLOCKS = 16;
const TWO32 = 2 ** 32;
/** Back-edges a chain of compiled blocks may take before it returns to the loop, which then
 *  looks at interrupts and devices: a loop of a few instructions per iteration runs for a few
 *  microseconds. Linux's boot takes as long with 64 as with 4096. */
const CHAIN_BUDGET = 256;
/** Interpreted runs after which a block is queued for compilation, and the batch size.
 *  Lower and larger than user mode's (src/tcg/cpu-exec.ts): a kernel's boot runs much code a
 *  few dozen times, and a wasm module costs the same whatever its size. Linux to the prompt:
 *  5.3-5.6 s with 100 and 16, 4.9-5.0 s with 30 and 64, 4.7-4.8 s with 20 and 128 (little
 *  gained for the latency of bigger batches). */
const HOT = 30;
const BATCH = 64;
/** Blocks dropped one page at a time before everything is flushed at once: the compiled code
 *  of a dropped block stays in its wasm module until the next full flush. */
const STALE_LIMIT = 50_000;

export class SystemLoop {
  /** The blocks by pc: translated with mstatus.FS Off, and with it on. */
  private readonly caches = [new Map<number, Tb>(), new Map<number, Tb>()];
  /** The blocks with code on each physical page (their first and last byte's pages). */
  private readonly pageTbs = new Map<number, Tb[]>();
  private staleCount = 0;
  /** Page-crossing blocks so far, each numbered for a group of its own. */
  private crossers = 0;
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
  /** The hart a debugger's step is for (its current thread). */
  steppingHart = 0;
  /** The hart the debugger's last stop happened on. */
  stoppedHart: number | undefined;
  private clockCountdown = CLOCK_BLOCKS;
  /** The hart running now, and the blocks left in its turn. */
  cpu: HartCpu;
  private sliceLeft = SLICE_BLOCKS;

  /** `active`: the softmmu helpers' pointer to the running hart's softmmu, which the loop moves
   *  at each switch; `code`: the pages with translated code, shared by the harts' softmmus. */
  constructor(
    readonly cpus: readonly HartCpu[],
    private readonly active: ActiveMmu,
    private readonly code: CodePages,
    private readonly devices: LoopDevices,
    private readonly frontend: Frontend,
    private readonly log: SystemLog | undefined,
    backend: SystemBackend,
  ) {
    const ctx = { mem: cpus[0].hart.mem, layout: frontend.layout, helpers: frontend.helpers };
    this.interp = new InterpBackend(ctx);
    this.wasm = backend === 'interp' ? undefined : new WasmBackend({ ...ctx, tlb: inlineTlb(frontend.helpers) }, 'in-region');
    this.hot = backend === 'wasm' ? 0 : HOT;
    this.cpu = cpus[0];
    active.mmu = this.cpu.mmu;
  }

  /** Where the harts' -d int lines go. */
  readonly trapLog = (): TrapLog => (this.log?.has('int') ? (line: string) => this.log!.write(line) : undefined);

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
        // The blocks a chain ran before the fault count (not the faulting block's part).
        this.cpu.hart.retired += this.takeCount(this.cpu);
        this.cpu.trap(e.cause, e.tval);
      }
    }
  }

  private runBlocks(): void {
    for (;;) {
      if (this.cpu.waiting || this.sliceLeft <= 0) {
        this.schedule();
        // All harts wait: a limited run ends at a sleep (its caller has events to serve).
        if (this.cpu.waiting) {
          if (this.budget !== Infinity) return;
          continue;
        }
      }
      if (!this.runSlice()) return;
    }
  }

  /** Runs the current hart's blocks until its turn ends or it waits in wfi; false when the
   *  run's block limit or a debugger's stop ends the run. */
  private runSlice(): boolean {
    const cpu = this.cpu;
    const hart = cpu.hart;
    const debug = this.debug;
    while (--this.sliceLeft >= 0) {
      if (--this.budget < 0) return false;
      if (--this.pollCountdown < 0) {
        this.pollCountdown = POLL_BLOCKS;
        this.devices.poll();
      }
      if (--this.clockCountdown < 0) {
        this.clockCountdown = CLOCK_BLOCKS;
        cpu.sampleTimers();
      }
      cpu.takeInterrupt();
      const pc = cpu.currentPc();
      if (debug && this.debugStops(debug, pc, hart.hartId)) return false;
      const tb = this.lookup(pc);
      if (this.log?.has('cpu')) this.log.write(hartState(cpu));
      const view = hart.mem.view;
      if (tb.compiled) view.setInt32(hart.env + BUDGET, this.chains() ? CHAIN_BUDGET : 1, true);
      const r = tb.code(hart.env);
      if (tb.ir && ++tb.runs >= this.hot && !tb.stale) this.queueHot(tb);
      // The instruction that ends a block other than by a jump is the loop's to run and count.
      hart.retired += (tb.compiled ? this.takeCount(cpu) : tb.insnCount) - (r === ExitReason.Next ? 0 : 1);
      const turnEnds = r !== ExitReason.Next && cpu.exit(r);
      if (this.code.written.length) this.dropWrittenCode();
      if (turnEnds) {
        this.sliceLeft = 0;
        return true;
      }
    }
    return true;
  }

  /** The next hart's turn: the first after the current one (round-robin) that is not waiting
   *  in wfi, or whose wfi an interrupt now ends. When every hart waits, sleeps until an
   *  interrupt may be due for one (its timers, a device's timer), at most WFI_SLEEP_MS (the spec
   *  lets wfi end at any time), then looks again; the current hart stays current (and waiting)
   *  if still none runs. */
  private schedule(): void {
    this.sliceLeft = SLICE_BLOCKS;
    if (this.switchToRunnable()) return;
    this.devices.poll();
    if (this.switchToRunnable()) return;
    const ms = Math.min(...this.cpus.map((c) => c.msUntilTimer()), this.devices.nextDue() - performance.now(), WFI_SLEEP_MS);
    if (ms > 0) Atomics.wait(this.sleeper, 0, 0, ms);
    this.devices.poll();
    this.switchToRunnable();
    if (this.budget !== Infinity) this.budget = 0;
  }

  private switchToRunnable(): boolean {
    const n = this.cpus.length;
    const from = this.cpus.indexOf(this.cpu);
    for (let k = 1; k <= n; k++) {
      const cpu = this.cpus[(from + k) % n];
      if (cpu.waiting && !cpu.wakes()) continue;
      this.cpu = cpu;
      this.active.mmu = cpu.mmu;
      cpu.sampleTimers();
      return true;
    }
    return false;
  }

  /** Before hart `hartId`'s block at pc under a debugger: whether to stop there (gdb's
   *  interrupt, whichever hart runs; a breakpoint, on any hart; or the instruction after the
   *  stepping hart's step). An interrupt taken before it counts as the step, as under qemu. */
  private debugStops(debug: ExecDebug, pc: number, hartId: number): boolean {
    if (!debug.stop) {
      if (debug.stepping && hartId === this.steppingHart) {
        if (debug.stepTaken) debug.stop = { kind: 'step' };
        debug.stepTaken = true;
      } else if (debug.hasBreakpoint(pc)) {
        debug.stop = { kind: 'breakpoint' };
      }
    }
    if (debug.stop) this.stoppedHart = hartId;
    return debug.stop !== undefined;
  }

  private lookup(pc: number): Tb {
    const phys = this.fetchPhys(pc);
    const tb = this.caches[this.cpu.fpEnabled() ? 1 : 0].get(pc);
    if (tb && tb.phys === phys && (tb.last === pc || this.fetchPhys(tb.last) === tb.lastPhys)) return tb;
    return this.translate(pc, phys);
  }

  /** The physical address code at pc is fetched from, or the fetch fault. */
  private fetchPhys(pc: number): number {
    return this.cpu.mmu.translate(pc | 0, Math.floor(pc / TWO32) | 0, Access.Fetch);
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
    this.code.mark(phys);
    this.code.mark(lastPhys);
    const log = this.log;
    if (log?.has('in_asm')) {
      log.write(`----------------\nIN: \nPriv: ${this.cpu.hart.priv}; Virt: 0\n${this.frontend.disassemble(ir.pc, ir.size).join('\n')}\n\n`);
    }
    const confined = confineChaining(ir, last, this.chains());
    const lowered = lowerMemoryOps(confined, this.frontend.helpers);
    if (log?.has('op')) log.write(`OP:\n${formatBlock(lowered, this.frontend.helpers.map((h) => h.name))}\n`);
    const tb: Tb = {
      pc, code: this.interp.compile([lowered])[0], runs: 0, ir: this.wasm ? confined : undefined, compiled: false,
      group: this.chainGroup(phys, lastPhys),
      fp: this.cpu.fpEnabled(), insnCount: ir.insnCount, phys, lastPhys, last, stale: false,
    };
    for (const page of new Set([Math.floor(phys / 4096), Math.floor(lastPhys / 4096)])) {
      const list = this.pageTbs.get(page);
      if (list) list.push(tb);
      else this.pageTbs.set(page, [tb]);
    }
    if (this.hot === 0) this.queueHot(tb);
    this.caches[tb.fp ? 1 : 0].set(pc, tb);
    return tb;
  }

  /** Queues a hot block; a full batch compiles, and so does a partial one whose block keeps
   *  running interpreted (a hot loop need not wait for unrelated blocks). */
  private queueHot(tb: Tb): void {
    if (!this.queue.includes(tb)) this.queue.push(tb);
    if (this.hot > 0 && this.queue.length < BATCH && tb.runs < this.hot * 4) return;
    const batch = this.queue.splice(0);
    const helpers = this.frontend.helpers;
    const ir = batch.map((b) => optimize(countInstructions(lowerMemoryOps(b.ir!, helpers, true)), helpers));
    const codes = this.wasm!.compile(ir, batch.map((b) => b.group));
    const record = this.log?.has('out_asm') ? outAsmRecord(this.wasm!, batch.length) : undefined;
    if (record) this.log!.write(record);
    batch.forEach((b, i) => {
      b.code = codes[i];
      b.ir = undefined;
      b.compiled = true;
    });
  }

  /** The instructions compiled code has counted since the last look (zero after interpreted
   *  blocks, which count none there). */
  private takeCount(cpu: HartCpu): number {
    const view = cpu.hart.mem.view;
    const n = view.getInt32(cpu.hart.env + INSN_COUNT, true);
    view.setInt32(cpu.hart.env + INSN_COUNT, 0, true);
    return n;
  }

  /** Blocks chain (confineChaining) unless each must come back here: under a debugger that
   *  steps or breaks, and for -d cpu. */
  private chains(): boolean {
    return !this.debug?.exact && !this.log?.has('cpu');
  }

  /** The group a block compiles in (WasmBackend.compile): the blocks of one physical page,
   *  translated with the same FP state, may link into one region; a block that crosses a page
   *  is alone, since a block chaining to it would not see its second page's mapping checked. */
  private chainGroup(phys: number, lastPhys: number): number {
    const page = Math.floor(phys / PAGE_SIZE);
    return page === Math.floor(lastPhys / PAGE_SIZE) ? page * 2 + (this.cpu.fpEnabled() ? 1 : 0) : -1 - this.crossers++;
  }

  /** Every translation goes: too many dropped one page at a time, another breakpoint set, or
   *  code changed behind the softmmu's back (a debugger's write). */
  dropTranslations(): void {
    for (const c of this.caches) c.clear();
    this.pageTbs.clear();
    this.staleCount = 0;
    this.queue.length = 0;
    this.wasm?.flush();
    this.code.clear();
  }

  /** Drops the blocks on the pages stores have written since (qemu's tb_invalidate_phys_page):
   *  they are translated again from the new code when next reached. */
  private dropWrittenCode(): void {
    for (const page of this.code.written.splice(0)) {
      for (const tb of this.pageTbs.get(page) ?? []) {
        if (tb.stale) continue;
        tb.stale = true;
        this.staleCount++;
        const cache = this.caches[tb.fp ? 1 : 0];
        if (cache.get(tb.pc) === tb) cache.delete(tb.pc);
      }
      this.pageTbs.delete(page);
    }
    if (this.queue.some((tb) => tb.stale)) this.queue.splice(0, this.queue.length, ...this.queue.filter((tb) => !tb.stale));
    if (this.staleCount > STALE_LIMIT) this.dropTranslations();
  }
}
