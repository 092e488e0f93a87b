// The execution loop of one vCPU: find or translate the TB for pc, run it, and return to the
// caller (the arch's linux-user cpu loop) on any exit other than "next pc".
//
// Tiering (shared/FACTS.md: compiling a block costs as much as interpreting 15,000-30,000 of its
// instructions): every block starts in the IR interpreter; once it has run HOT_THRESHOLD times
// it is queued, and queued blocks are compiled to wasm in one module per batch. Compiled blocks
// chain to each other without coming back here.
import { Backend, TbCode, outAsmRecord } from './backend.js';
import { ExitReason, FaultKind, IRBlock } from './ir.js';
import { Frontend } from './frontend.js';
import { InterpBackend } from './interp-backend.js';
import { WasmBackend } from './wasm-backend.js';
import { TbCache, TbEntry } from './tb-cache.js';
import { formatBlock } from './ir-printer.js';
import { optimize } from './optimizer.js';
import { CPU_STATE_BASE, CPU_STATE_STRIDE, GuestFault, GuestMemory, jumpCacheOf } from '../memory/guest-memory.js';
import { gotoTargets } from './region-compiler.js';
import { codeGeneration, exitRequested, markCode, takeExitRequest } from './vcpu-control.js';
import { ExecDebug, WatchAccess, accessSize } from './exec-debug.js';
import { countInstructions, countingHelpers } from './helper-stats.js';
import type { Helper } from './ir.js';

export type BackendChoice = 'interp' | 'wasm' | 'tiered';

/** The -d items the tcg layer logs. */
export interface ExecLog {
  has(item: 'in_asm' | 'op' | 'op_opt' | 'out_asm' | 'exec' | 'cpu' | 'helpers'): boolean;
  write(text: string): void;
}

export interface ExecOptions {
  backend: BackendChoice;
  /** 1 for -one-insn-per-tb. */
  maxInsns: number;
  log?: ExecLog;
  /** Extra executions of a queued block after which the batch compiles anyway. */
  hotThreshold?: number;
  batchSize?: number;
  /** A debugger may attach (gdbstub): compiled code is built so that it can return to the loop
   *  at every block (src/tcg/exec-debug.ts). */
  debuggable?: boolean;
  /** Told of each block translated (not each run): its guest pc and size in bytes. */
  onTranslate?: (pc: number, size: number) => void;
  /** The function a block's pc is in, for `-d in_asm`'s `IN:` line ('' when unknown). */
  symbolAt?: (pc: number) => string;
}

export interface MemFaultInfo { addr: number; kind: number }

/** Interpreted runs after which a block is queued for compilation. Start-up code (a dynamic
 *  loader relocating libc: loops over symbols and relocations) has many blocks that run tens
 *  to a few hundred times and then never again; at 40, compiling them (with the background
 *  tier-up of their wasm) cost a dynamic hello more than interpreting them, while a hot loop
 *  reaches 100 within a millisecond. */
const HOT_THRESHOLD = 100;

/** Budget of chained TBs per entry from the loop (wasm decrements it at each chaining). */
const CHAIN_BUDGET = 1 << 16;

/** -backend wasm: blocks translated ahead (static successors by goto_tb) with each block that
 *  has to be translated, all compiled in one module. Each module and instance costs ~0.4 ms
 *  whatever its size, which one per block made the main cost of programs with much code. */
const READ_AHEAD = 16;
const TWO32 = 2 ** 32;

function newEntry(ir: IRBlock): TbEntry {
  return { pc: ir.pc, size: ir.size, code: undefined as unknown as TbCode, execCount: 0, compiled: false, queued: false };
}

export class CpuExec {
  readonly env: number;
  readonly cache = new TbCache();
  private readonly interp: Backend;
  private readonly wasm: Backend | undefined;
  private readonly queue: TbEntry[] = [];
  private readonly hot: number;
  private readonly batch: number;
  private readonly traceEach: boolean;
  private readonly words: Int32Array;
  private readonly pcWords: Int32Array;
  /** The code generation (src/tcg/vcpu-control.ts) this vCPU's translations belong to. */
  private generation: number;
  /** For a vCPU that shares its thread with an event loop: run() returns Interrupt soon after
   *  performance.now() passes this, so that the loop gets its turn. */
  sliceEnd = Infinity;
  private sliceTicks = 0;
  /** What an attached debugger asks of this vCPU (only with ExecOptions.debuggable). */
  readonly debug: ExecDebug | undefined;
  /** The helpers the backends call: the frontend's, or under `-d helpers` versions of them
   *  that count their calls (src/tcg/helper-stats.ts). A block run outside this loop (an arch's
   *  one-off block) takes these and prepare() too, to be counted alike. */
  readonly helpers: Helper[];
  private readonly countInsns: boolean;

  constructor(
    readonly frontend: Frontend,
    readonly mem: GuestMemory,
    readonly opts: ExecOptions,
    cpuIndex = 0,
  ) {
    this.env = CPU_STATE_BASE + cpuIndex * CPU_STATE_STRIDE;
    this.words = new Int32Array(mem.buffer);
    const { pcOffset, pcTy } = frontend.layout;
    this.pcWords = new Int32Array(mem.buffer, this.env + pcOffset, pcTy === 'i64' ? 2 : 1);
    this.generation = codeGeneration(this.words);
    // Only when asked, so that without -d helpers no call and no generated code counts.
    this.countInsns = !!opts.log?.has('helpers');
    this.helpers = this.countInsns ? countingHelpers(frontend.helpers, mem, this.env) : frontend.helpers;
    const ctx = { mem, layout: frontend.layout, helpers: this.helpers, jumpCache: jumpCacheOf(cpuIndex) };
    this.interp = new InterpBackend(ctx);
    this.traceEach = !!(opts.log && (opts.log.has('exec') || opts.log.has('cpu')));
    this.wasm = opts.backend === 'interp'
      ? undefined
      : new WasmBackend(ctx, this.traceEach || opts.debuggable ? 'every-edge' : 'table', opts.backend === 'wasm');
    this.debug = opts.debuggable ? new ExecDebug() : undefined;
    this.hot = opts.backend === 'wasm' ? 0 : opts.hotThreshold ?? HOT_THRESHOLD;
    this.batch = opts.backend === 'wasm' ? 1 : opts.batchSize ?? 24;
  }

  /** Read before every block, so through a view of the pc's own words: a BigInt read of the
   *  i64 pc through the memory's DataView was 16% of an interpreted run's profile, this 10%. */
  get pc(): number {
    const w = this.pcWords;
    return w.length === 2 ? (w[1] >>> 0) * TWO32 + (w[0] >>> 0) : w[0] >>> 0;
  }
  private pcAt(env: number): number {
    const { pcOffset, pcTy } = this.frontend.layout;
    const v = this.mem.view;
    const lo = v.getUint32(env + pcOffset, true);
    return pcTy === 'i64' ? v.getUint32(env + pcOffset + 4, true) * TWO32 + lo : lo;
  }
  set pc(pc: number) {
    const { pcOffset, pcTy } = this.frontend.layout;
    const v = this.mem.view;
    if (pcTy === 'i64') v.setBigUint64(this.env + pcOffset, BigInt(pc), true);
    else v.setUint32(this.env + pcOffset, pc, true);
  }

  /** Runs guest code until an exit that needs the caller (syscall, exception, fault, flush,
   *  another thread's exit request). A GuestFault thrown out of here means the code at pc could
   *  not be fetched. */
  run(): ExitReason {
    const debug = this.debug;
    if (!debug) return this.runBlocks();
    if (debug.stop) return ExitReason.Interrupt;
    const key = debug.breakpointKey();
    if (key !== debug.translatedFor) {
      debug.translatedFor = key;
      this.flush();
    }
    debug.arm(this.mem);
    try {
      return this.runBlocks();
    } finally {
      debug.disarm(this.mem);
    }
  }

  private runBlocks(): ExitReason {
    const debug = this.debug;
    const words = this.words;
    const budgetAt = (this.env + this.frontend.layout.budgetOffset) >>> 2;
    const log = this.opts.log;
    // Whatever makes code stale bumps the generation and then requests every vCPU's exit
    // (invalidateCode), which returns from here: looking once on the way in is enough.
    const generation = codeGeneration(words);
    if (generation !== this.generation) {
      this.generation = generation;
      this.flush();
    }
    for (;;) {
      // The budget is stored before the exit request is read: a request made in between has
      // zeroed the budget or is seen here (vcpu-control.ts). Both are read first and written
      // only when they must change: an atomic write is a locked instruction, and an
      // interpreted block (which chains to nothing) leaves the budget as it was.
      const budget = this.traceEach || debug?.exact ? 1 : CHAIN_BUDGET;
      if (Atomics.load(words, budgetAt) !== budget) Atomics.store(words, budgetAt, budget);
      if (exitRequested(words, this.env) && takeExitRequest(words, this.env)) return ExitReason.Interrupt;
      const pc = this.pc;
      if (debug?.exact) {
        const r = this.debugGate(debug, pc);
        if (r !== undefined) return r;
      }
      const tb = this.cache.get(pc) ?? this.translate(pc);
      if (this.traceEach && log) this.trace(tb);
      let r = tb.code(this.env);
      if (!tb.compiled && this.wasm) this.count(tb);
      if (r === ExitReason.MemFault && debug) r = this.watchAccess(debug, r);
      if (r !== ExitReason.Next) return r;
      // Compiled code may have chained for milliseconds; an interpreted block is short, so the
      // clock (tens of ns) is read every 64 of them.
      if (this.sliceEnd !== Infinity && (tb.compiled || (++this.sliceTicks & 63) === 0) && performance.now() >= this.sliceEnd) {
        return ExitReason.Interrupt;
      }
    }
  }

  /** Before the block at pc under a debugger: a breakpoint stops there; a single step runs the
   *  one instruction (uncached and interpreted, under every backend) and stops after it.
   *  Returns the exit for the caller, or undefined to run the block. */
  private debugGate(debug: ExecDebug, pc: number): ExitReason | undefined {
    if (debug.stop) return ExitReason.Interrupt;
    if (!debug.stepping) {
      if (!debug.hasBreakpoint(pc)) return undefined;
      debug.stop = { kind: 'breakpoint' };
      return ExitReason.Interrupt;
    }
    if (!debug.stepTaken) {
      debug.stepTaken = true;
      let r = this.step(this.env).exit;
      if (r === ExitReason.MemFault) r = this.watchAccess(debug, r);
      // A syscall or fault is the caller's to finish; the step ends at the next block.
      if (r !== ExitReason.Next || debug.stop) return r === ExitReason.Next ? ExitReason.Interrupt : r;
    }
    debug.stop = { kind: 'step' };
    return ExitReason.Interrupt;
  }

  /** A MemFault `r` that only a watchpoint's protection caused: the instruction runs again with
   *  the page's own protection, and a stop is set after it when it touched a watched range.
   *  Returns what the caller goes on with. */
  private watchAccess(debug: ExecDebug, r: ExitReason): ExitReason {
    const { addr, kind } = this.lastFault(this.env);
    if (!debug.watchFault(this.mem, addr, kind)) return r;
    const size = accessSize(this.frontend.translate(this.pc, 1));
    debug.disarm(this.mem);
    let again: ExitReason;
    try {
      again = this.step(this.env).exit;
    } finally {
      debug.arm(this.mem);
    }
    const wp = again === ExitReason.Next ? debug.hit(addr, size, kind) : undefined;
    if (wp) debug.stop = { kind: 'watch', wp, addr, access: kind === FaultKind.Write ? WatchAccess.Write : WatchAccess.Read };
    return wp ? ExitReason.Interrupt : again;
  }

  /** Runs the one instruction at the pc of the vCPU state at `env` (this vCPU's or another's),
   *  interpreted and not cached; for a MemFault, also its address and FaultKind. Linux-user's
   *  shared pages run an access to them this way (src/linux-user/generic/shared-pages.ts). */
  step(env: number): { exit: ExitReason } & MemFaultInfo {
    const pc = this.pcAt(env);
    const f = this.frontend;
    const ir = this.prepare(f.translateResume ? f.translateResume(pc, 1, env) : f.translate(pc, 1));
    const exit = this.interp.compile([ir])[0](env) as ExitReason;
    return { exit, ...this.lastFault(env) };
  }

  /** The address and FaultKind of the last MemFault exit of the vCPU state at `env`. */
  lastFault(env: number): MemFaultInfo {
    const { faultAddrOffset, faultKindOffset } = this.frontend.layout;
    const v = this.mem.view;
    return { addr: Number(v.getBigUint64(env + faultAddrOffset, true)), kind: v.getInt32(env + faultKindOffset, true) };
  }

  /** Drops every translation (after fence.i, munmap/mprotect of code). */
  flush(): void {
    this.cache.clear();
    this.queue.length = 0;
    this.wasm?.flush();
  }

  private translate(pc: number): TbEntry {
    const ir = this.translateMarked(pc);
    this.logTranslation(ir);
    this.opts.onTranslate?.(pc, ir.size);
    const e = newEntry(ir);
    if (this.wasm && this.hot === 0) {
      const ahead = this.translateAhead(ir);
      this.compileBlocks([e, ...ahead.map(newEntry)], [ir, ...ahead]).forEach((x) => this.cache.add(x));
    } else {
      e.code = this.interp.compile([ir])[0];
      this.cache.add(e);
    }
    return e;
  }

  private translateMarked(pc: number): IRBlock {
    // The page is marked before its bytes are read (see markCode); the rest of a block that
    // runs into the next page is marked once its size is known.
    markCode(this.mem, pc, pc);
    const ir = this.translateIr(pc);
    if (ir.size > 1) markCode(this.mem, pc, pc + ir.size - 1);
    return ir;
  }

  /** Up to READ_AHEAD blocks that `first` reaches by goto_tb (breadth first) and that are not
   *  translated yet. Not when translations are logged or reported (-d in_asm/op, the API's
   *  block hook), which tell of blocks in the order they first run, as qemu does; a target
   *  whose code cannot be fetched is left for when (if ever) it runs, to fault then. */
  private translateAhead(first: IRBlock): IRBlock[] {
    const log = this.opts.log;
    if (this.opts.onTranslate || log?.has('in_asm') || log?.has('op')) return [];
    const out: IRBlock[] = [];
    const seen = new Set([first.pc]);
    const todo = gotoTargets(first);
    for (let i = 0; i < todo.length && out.length < READ_AHEAD; i++) {
      const pc = todo[i];
      if (seen.has(pc) || this.cache.get(pc)) continue;
      seen.add(pc);
      let ir: IRBlock;
      try {
        ir = this.translateMarked(pc);
      } catch (e) {
        if (e instanceof GuestFault) continue;
        throw e;
      }
      out.push(ir);
      todo.push(...gotoTargets(ir));
    }
    return out;
  }

  private count(tb: TbEntry): void {
    tb.execCount++;
    if (!tb.queued && tb.execCount >= this.hot) {
      tb.queued = true;
      this.queue.push(tb);
    }
    // A full batch compiles; so does a partial one as soon as one of its blocks keeps running
    // interpreted (a hot loop must not wait for unrelated blocks to warm up).
    if (this.queue.length >= this.batch || (tb.queued && tb.execCount >= this.hot * 4)) {
      this.compileNow(this.queue.splice(0));
    }
  }

  /** Blocks that got hot are translated again (the cache keeps no IR: see TbEntry.size); the
   *  guest's code is what it was, since a change of code flushes the cache. */
  private compileNow(entries: TbEntry[]): void {
    this.compileBlocks(entries, entries.map((e) => this.translateIr(e.pc)));
  }

  /** The block at pc; under a debugger with breakpoints, it ends before the first one. */
  private translateIr(pc: number): IRBlock {
    const ir = this.frontend.translate(pc, this.opts.maxInsns);
    const n = this.debug?.insnsBeforeBreakpoint(ir) ?? 0;
    return this.prepare(n > 0 ? this.frontend.translate(pc, n) : ir);
  }

  /** A translated block as this vCPU runs it: under -d helpers, counting its instructions. */
  prepare(ir: IRBlock): IRBlock {
    return this.countInsns ? countInstructions(ir) : ir;
  }

  /** Hot blocks are worth the optimizer's pass (constant folding, copy propagation) before the
   *  wasm backend sees them; cold ones run as translated. */
  private compileBlocks(entries: TbEntry[], irs: IRBlock[]): TbEntry[] {
    const log = this.opts.log;
    const opt = irs.map((ir) => {
      const o = optimize(ir, this.helpers);
      if (log?.has('op_opt')) log.write(`OP after optimization:\n${formatBlock(o, this.helperNames())}\n`);
      return o;
    });
    const codes = this.wasm!.compile(opt);
    entries.forEach((e, i) => {
      e.code = codes[i];
      e.compiled = true;
    });
    const record = log?.has('out_asm') ? outAsmRecord(this.wasm!, entries.length) : undefined;
    if (record) log!.write(record);
    return entries;
  }

  private logTranslation(ir: IRBlock): void {
    const log = this.opts.log;
    if (!log) return;
    if (log.has('in_asm')) {
      const name = this.opts.symbolAt?.(ir.pc) ?? '';
      log.write(`----------------\nIN: ${name}\n${this.frontend.disassemble(ir.pc, ir.size).join('\n')}\n\n`);
    }
    if (log.has('op')) log.write(`OP:\n${formatBlock(ir, this.helperNames())}\n`);
  }

  private helperNames(): string[] {
    return this.frontend.helpers.map((h) => h.name);
  }

  private trace(tb: TbEntry): void {
    const log = this.opts.log!;
    if (log.has('cpu') && this.frontend.dumpState) log.write(this.frontend.dumpState(this.env));
    if (log.has('exec')) log.write(`Trace 0: [${tb.pc.toString(16).padStart(16, '0')}]\n`);
  }
}
