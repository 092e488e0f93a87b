// The WebAssembly backend: IR blocks become wasm functions, many per module (compile latency and
// per-module memory, shared/FACTS.md), each `(func (param $env i32) (result i32))` returning an
// ExitReason. Blocks chain to each other with return_call_indirect through a funcref table: one
// slot per chaining target pc, holding a stub that returns ExitReason.Next until that pc's block
// is compiled. The blocks of a batch that chain to each other directly compile to one region
// function (region-compiler.ts). It must give exactly the IR interpreter's results
// (interp-backend.ts).
import { Backend, BackendContext, TbCode } from './backend.js';
import { ExitReason, Helper, IRBlock, Opc } from './ir.js';
import {
  Chaining, globalsAgree, gotoTargets, jumpCacheBase, jumpCacheIndex, L_ENV, ModuleState, REGION_FUNC_TYPE, REGION_TYPE, RegionCompiler,
  TB_FUNC_TYPE, TB_TYPE, vt,
} from './region-compiler.js';
import { CodeWriter, encodeModule, FuncBody, FuncType, Import, O, ValType } from './wasm-encoder.js';
import { JUMP_CACHE_SIZE } from '../memory/guest-memory.js';

const MAX_SLOTS = 1 << 20;
/** Blocks compiled earlier that a batch may pull into its regions (compile time grows with it). */
const MAX_PULLED = 48;
/** The most ops a region function gets: V8's optimizing compiler takes time superlinear in a
 *  function's size (1.5 s for one of 8,000 ops, 0.2 s for 1,500). Blocks that chain beyond it
 *  stay separate regions and chain through the table. Hot loops are far smaller (CoreMark's
 *  largest region: 1,345 ops). */
const MAX_REGION_OPS = 2000;
/** Slot 0 always holds the stub, so an empty jump-cache entry (pc 0, slot 0) is harmless. */
const STUB_SLOT = 0;

/** Wasm hands an i32 to JS as a signed number, but state areas sit above 2^31 and helpers are
 *  given `env` as the interpreter gives it: an unsigned address. */
function unsignedEnv(h: Helper): Function {
  const fn = h.fn;
  switch (h.args.length) {
    case 0: return (e: number) => fn(e >>> 0);
    case 1: return (e: number, a: unknown) => fn(e >>> 0, a);
    case 2: return (e: number, a: unknown, b: unknown) => fn(e >>> 0, a, b);
    case 3: return (e: number, a: unknown, b: unknown, c: unknown) => fn(e >>> 0, a, b, c);
    default: return (e: number, ...args: unknown[]) => fn(e >>> 0, ...args);
  }
}

export class WasmBackend implements Backend {
  readonly name = 'wasm';
  /** Chaining targets: slot per pc, shared by every module this backend builds. */
  readonly table: WebAssembly.Table;
  private readonly stub: Function;
  private readonly slots = new Map<number, number>();
  private nextSlot = STUB_SLOT + 1;
  /** Slots given code since the last flush: a flush resets only these (resetting every slot
   *  ever handed out cost each flush the whole history of the backend, 73 s of Table.set in
   *  the random-program tests, which flush before each program). */
  private readonly filled: number[] = [];
  private lastBatch: { blocks: IRBlock[]; viaTable: number; groups?: readonly number[] } = { blocks: [], viaTable: 0 };
  /** Every block compiled since the last flush: the blocks of the region whose code its table
   *  slot holds (one array per region, shared by its blocks); and who chains to each pc by
   *  goto_tb. */
  private readonly regionOf = new Map<number, IRBlock[]>();
  private readonly chainedFrom = new Map<number, number[]>();

  /** `chaining` (region-compiler.ts): 'every-edge' for -d exec/cpu; 'in-region' for system
   *  mode, whose blocks get no table slots (a slot is keyed by guest pc) and enter their
   *  region directly. `eager` (-backend wasm: every block compiled as soon as it is
   *  translated): no relatives, since each new block would compile up to MAX_PULLED earlier
   *  ones again (quadratic in the code a program runs); its regions are the blocks translated
   *  together (CpuExec's read-ahead). */
  constructor(private readonly ctx: BackendContext, private readonly chaining: Chaining = 'table', private readonly eager = false) {
    const code = new CodeWriter();
    code.i32c(ExitReason.Next);
    code.op(O.end);
    const bytes = encodeModule([TB_FUNC_TYPE], [], [TB_TYPE], ['stub'], [{ locals: [], code }]);
    this.stub = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.stub;
    // Small at first, doubled as slots are given out (slotFor): each instance copies the whole
    // table when it is made, which with 4096 slots was 0.3 ms of -backend wasm's 0.5 ms per
    // module, and a sixth of a small program's run under it.
    this.table = new WebAssembly.Table({ element: 'anyfunc', initial: 256, maximum: MAX_SLOTS }, this.stub);
    // The cache may hold slots of an earlier backend of this vCPU index (another worker's table).
    this.clearJumpCache();
  }

  /** `groups` (system mode): a number per block; blocks link into one region only within a
   *  group (there: the physical page and FP state they were translated under). */
  compile(requested: IRBlock[], groups?: readonly number[]): TbCode[] {
    const direct = this.chaining === 'in-region';
    const blocks = this.eager || direct ? requested : requested.concat(this.relatives(requested));
    /** The blocks entered through their table slot (none in system mode). */
    const viaTable = direct ? [] : requested;
    const { types, imports, helperImports, bodies, regions } = this.generate(blocks, viaTable.length, null, groups);
    if (!this.eager && !direct) this.remember(requested, regions.map((r) => r.map((i) => blocks[i])));
    const regionPcs = regions.map((r) => blocks[r[0]].pc);
    this.lastBatch = { blocks, viaTable: viaTable.length, groups };
    const names = blocks.map((_, i) => `f${i}`).concat(viaTable.map((_, i) => `t${i}`));
    const funcTypes = names.map(() => TB_TYPE).concat(Array(regionPcs.length).fill(REGION_TYPE));
    // Named by guest pc, so that a profile of the generated code reads as guest code.
    const hex = (pc: number): string => pc.toString(16);
    const debugNames = blocks.map((b) => `tb_${hex(b.pc)}`).concat(viaTable.map((b) => `via_table_${hex(b.pc)}`),
      regionPcs.map((pc) => `region_${hex(pc)}`));
    const bytes = encodeModule(types, imports, funcTypes, names, bodies, debugNames);
    const mem = this.ctx.mem;
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      e: { mem: mem.memory, tab: this.table },
      h: helperImports,
    });
    // In system mode the blocks of a batch are compiled once and enter their region directly.
    if (direct) return requested.map((_, i) => inst.exports[names[i]] as TbCode);
    blocks.forEach((b, i) => {
      const slot = this.slotFor(b.pc);
      // A full table gives no slot: the block runs only from the cpu loop.
      if (slot === STUB_SLOT) return;
      this.table.set(slot, inst.exports[names[i]] as TbCode);
      this.filled.push(slot);
      const e = jumpCacheBase(this.ctx) + jumpCacheIndex(b.pc);
      mem.view.setUint32(e, b.pc >>> 0, true);
      mem.view.setUint32(e + 4, slot, true);
    });
    // The cpu loop keeps a block's code until the next flush, and a later batch may compile
    // the block again (relatives): it enters through the table slot, which always holds the
    // newest code (an old region would otherwise keep running its own copy of the loop).
    return requested.map((b, i) => inst.exports[this.slotFor(b.pc) === STUB_SLOT ? names[i] : `t${i}`] as TbCode);
  }

  /** The regions compiled earlier that chain to or from the new blocks (a loop whose blocks got
   *  hot in different batches): compiled again with them, so the loop runs in one region; the
   *  table slots move to the new code and the old code chains into it. A region comes whole
   *  or not at all: a block left behind would keep the old region, with its own copy of the
   *  blocks that moved, running. */
  private relatives(blocks: IRBlock[]): IRBlock[] {
    if (this.chaining === 'every-edge') return [];
    const seen = new Set(blocks.map((b) => b.pc));
    const out: IRBlock[] = [];
    const todo = [...blocks];
    while (todo.length) {
      const b = todo.shift()!;
      for (const n of gotoTargets(b).concat(this.chainedFrom.get(b.pc) ?? [])) {
        const region = this.regionOf.get(n);
        if (!region || seen.has(n) || out.length + region.length > MAX_PULLED) continue;
        for (const old of region) {
          if (seen.has(old.pc)) continue;
          seen.add(old.pc);
          out.push(old);
          todo.push(old);
        }
      }
    }
    return out;
  }

  /** What relatives() looks at: the new blocks' chaining edges and the regions now in the
   *  table. Not kept by an eager backend, which would hold the IR of every block it ran. */
  private remember(requested: IRBlock[], regions: IRBlock[][]): void {
    for (const b of requested) {
      for (const t of gotoTargets(b)) this.chainedFrom.set(t, [...(this.chainedFrom.get(t) ?? []), b.pc]);
    }
    for (const members of regions) for (const b of members) this.regionOf.set(b.pc, members);
  }

  flush(): void {
    this.regionOf.clear();
    this.chainedFrom.clear();
    for (const s of this.filled) this.table.set(s, this.stub);
    this.filled.length = 0;
    this.clearJumpCache();
  }

  private clearJumpCache(): void {
    // System mode has none: the area is its hart's inline TLB (src/system/softmmu.ts).
    if (this.chaining === 'in-region') return;
    const base = jumpCacheBase(this.ctx);
    this.ctx.mem.u8.fill(0, base, base + JUMP_CACHE_SIZE);
  }

  /** A WAT-like listing of the last batch, for -d out_asm: generated again on demand (code
   *  generation is deterministic), so compile() pays nothing for it. */
  listing(): string {
    const text: string[] = [];
    this.generate(this.lastBatch.blocks, this.lastBatch.viaTable, text, this.lastBatch.groups);
    return text.join('\n');
  }

  /** Function bodies for a batch, with the module's types and helper imports: an entry per
   *  block, then one that enters through the table for each of the first `viaTable`, then the
   *  regions. */
  private generate(blocks: IRBlock[], viaTable: number, listing: string[] | null, groups?: readonly number[]) {
    const helpers = this.ctx.helpers;
    const types: FuncType[] = [TB_FUNC_TYPE, REGION_FUNC_TYPE];
    // In-region chaining never goes through the table, and an instance that imports it pays
    // for a copy of all its slots (V8 11: 0.3 ms at 4096 slots, 6 ms at 65536).
    const imports: Import[] = [
      { module: 'e', name: 'mem', kind: 'memory', min: 65536, max: 65536, shared: true },
      ...(this.chaining === 'in-region' ? [] : [{ module: 'e', name: 'tab', kind: 'table', min: 1 } as const]),
    ];
    const helperImports: Record<string, Function> = {};
    const importIdx = new Map<number, number>();
    const mod: ModuleState = {
      importFor: (hi) => {
        let idx = importIdx.get(hi);
        if (idx === undefined) {
          const h = helpers[hi];
          idx = importIdx.size;
          importIdx.set(hi, idx);
          types.push({ params: [ValType.I32, ...h.args.map(vt)], results: h.ret ? [vt(h.ret)] : [] });
          imports.push({ module: 'h', name: String(hi), kind: 'func', type: types.length - 1 });
          helperImports[String(hi)] = unsignedEnv(h);
        }
        return idx;
      },
      slotFor: (pc) => this.slotFor(pc),
    };
    const regions = this.regionsOf(blocks, groups);
    const compiled = regions.map((r, ri) => {
      listing?.push(`;; region ${ri}`);
      const rc = new RegionCompiler(r.map((i) => blocks[i]), this.ctx, mod, listing, this.chaining);
      rc.compile();
      return rc;
    });
    // Functions: one entry per block (exported, the target of its table slot), the entries
    // through the table, then the regions.
    const firstRegion = importIdx.size + blocks.length + viaTable;
    const entries: FuncBody[] = [];
    regions.forEach((r, ri) => r.forEach((bi) => {
      const code = new CodeWriter(listing);
      listing?.push(`;; entry ${bi}: pc=0x${blocks[bi].pc.toString(16)}`);
      code.opU(O.local_get, L_ENV);
      code.i32c(compiled[ri].entrySeg.get(blocks[bi].pc)!);
      code.opU(O.return_call, firstRegion + ri);
      code.op(O.end);
      entries[bi] = { locals: [], code };
    }));
    const tableEntries = blocks.slice(0, viaTable).map((b) => {
      const code = new CodeWriter();
      code.opU(O.local_get, L_ENV);
      code.i32c(this.slotFor(b.pc));
      code.indirect(O.return_call_indirect, TB_TYPE);
      code.op(O.end);
      return { locals: [], code };
    });
    const bodies = entries.concat(tableEntries, compiled.map((rc) => ({ locals: rc.locals, code: rc.w })));
    return { types, imports, helperImports, bodies, regions };
  }

  /** Splits a batch into regions: the groups of blocks linked by goto_tb between them (blocks
   *  of one loop), as lists of batch indices. */
  private regionsOf(blocks: IRBlock[], groups?: readonly number[]): number[][] {
    if (this.chaining === 'every-edge') return blocks.map((_, i) => [i]);
    const group = (i: number): number => groups?.[i] ?? 0;
    /** The first block of each pc, by group. */
    const byPc = new Map<number, Map<number, number>>();
    blocks.forEach((b, i) => {
      const pcs = byPc.get(group(i)) ?? new Map<number, number>();
      byPc.set(group(i), pcs);
      if (!pcs.has(b.pc)) pcs.set(b.pc, i);
    });
    const parent = blocks.map((_, i) => i);
    const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
    /** The ops of each region so far, by its root. */
    const size = blocks.map((b) => b.ops.length);
    blocks.forEach((b, i) => {
      for (const op of b.ops) {
        const j = op.opc === Opc.GotoTb ? byPc.get(group(i))!.get(op.args[0]) : undefined;
        if (j === undefined) continue;
        const [ri, rj] = [root(i), root(j)];
        if (ri === rj || size[ri] + size[rj] > MAX_REGION_OPS) continue;
        parent[ri] = rj;
        size[rj] += size[ri];
      }
    });
    const regions = new Map<number, number[]>();
    blocks.forEach((_, i) => {
      const r = root(i);
      regions.set(r, [...(regions.get(r) ?? []), i]);
    });
    // In pc order, so that forward edges (most of them) are forward branches, not br_table.
    for (const g of regions.values()) g.sort((x, y) => blocks[x].pc - blocks[y].pc);
    return [...regions.values()].flatMap((g) => (globalsAgree(g.map((i) => blocks[i])) ? [g] : g.map((i) => [i])));
  }

  /** The table slot for a chaining target; the stub slot (no chaining) once the table is full. */
  private slotFor(pc: number): number {
    let s = this.slots.get(pc);
    if (s !== undefined) return s;
    if (this.nextSlot >= MAX_SLOTS) return STUB_SLOT;
    s = this.nextSlot++;
    if (s >= this.table.length) this.table.grow(Math.min(this.table.length, MAX_SLOTS - this.table.length), this.stub);
    this.slots.set(pc, s);
    return s;
  }
}
