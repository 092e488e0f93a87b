// The region compiler of the wasm backend (wasm-backend.ts): a group of IR blocks that chain to
// each other becomes one wasm function, guest registers in wasm locals, loops of the group's
// block graph as wasm loops (region-loops.ts), the rest reached through a br_table dispatch.
import { BackendContext, InlineTlb } from './backend.js';
import { Cond, ExitReason, FaultKind, Helper, HelperFlags, IRBlock, Op, Opc, RMW_NAMES, TempKind, Ty } from './ir.js';
import { destTemp, sourceArgs } from './ir-operands.js';
import { findLoops, Loop } from './region-loops.js';
import { BLOCK_VOID, CodeWriter, FuncType, LocalDecl, O, ValType } from './wasm-encoder.js';
import { JUMP_CACHE, JUMP_CACHE_SIZE, PAGE_MASK, PAGE_SHIFT, PROT_READ, PROT_TABLE, PROT_WRITE, WINDOW_SIZE } from '../memory/guest-memory.js';

/** Type index of a TB function, the same in every module: (i32 env) -> (i32 ExitReason). */
export const TB_TYPE = 0;
export const TB_FUNC_TYPE: FuncType = { params: [ValType.I32], results: [ValType.I32] };
/** Type index of a region function: (i32 env, i32 entry segment) -> (i32 ExitReason). */
export const REGION_TYPE = 1;
export const REGION_FUNC_TYPE: FuncType = { params: [ValType.I32, ValType.I32], results: [ValType.I32] };
// Jump cache: direct-mapped 8-byte entries [pc low 32 bits, table slot], indexed by pc / 2
// (instructions are at least 2-byte aligned on RISC-V with C and on Thumb).
const JC_MASK = JUMP_CACHE_SIZE / 8 - 1;
export const jumpCacheIndex = (pc: number): number => ((pc >>> 1) & JC_MASK) * 8;
export const jumpCacheBase = (ctx: BackendContext): number => ctx.jumpCache ?? JUMP_CACHE;

export const vt = (ty: Ty): ValType => (ty === 'i64' ? ValType.I64 : ValType.I32);

// Per-op wasm opcodes as [i32, i64] pairs.
const BINARY: [number, number][] = [];
BINARY[Opc.Add] = [O.i32_add, O.i64_add];
BINARY[Opc.Sub] = [O.i32_sub, O.i64_sub];
BINARY[Opc.Mul] = [O.i32_mul, O.i64_mul];
BINARY[Opc.And] = [O.i32_and, O.i64_and];
BINARY[Opc.Or] = [O.i32_or, O.i64_or];
BINARY[Opc.Xor] = [O.i32_xor, O.i64_xor];
BINARY[Opc.Shl] = [O.i32_shl, O.i64_shl];
BINARY[Opc.Shr] = [O.i32_shr_u, O.i64_shr_u];
BINARY[Opc.Sar] = [O.i32_shr_s, O.i64_shr_s];
BINARY[Opc.Rotl] = [O.i32_rotl, O.i64_rotl];
BINARY[Opc.Rotr] = [O.i32_rotr, O.i64_rotr];
/** Unary ops that are one wasm op (or none: -1 means the identity in that type). */
const UNARY: [number, number][] = [];
UNARY[Opc.Mov] = [-1, -1];
UNARY[Opc.Clz] = [O.i32_clz, O.i64_clz];
UNARY[Opc.Ctz] = [O.i32_ctz, O.i64_ctz];
UNARY[Opc.Popcnt] = [O.i32_popcnt, O.i64_popcnt];
UNARY[Opc.Ext8S] = [O.i32_extend8_s, O.i64_extend8_s];
UNARY[Opc.Ext16S] = [O.i32_extend16_s, O.i64_extend16_s];
UNARY[Opc.Ext32S] = [-1, O.i64_extend32_s];
/** The float ops, [binary32, binary64]: wasm's own, on the patterns reinterpreted. */
const FLOAT: [number, number][] = [];
FLOAT[Opc.FAdd] = [O.f32_add, O.f64_add];
FLOAT[Opc.FSub] = [O.f32_sub, O.f64_sub];
FLOAT[Opc.FMul] = [O.f32_mul, O.f64_mul];
FLOAT[Opc.FDiv] = [O.f32_div, O.f64_div];
FLOAT[Opc.FSqrt] = [O.f32_sqrt, O.f64_sqrt];
const CMP: [number, number][] = [];
CMP[Cond.EQ] = [O.i32_eq, O.i64_eq];
CMP[Cond.NE] = [O.i32_ne, O.i64_ne];
CMP[Cond.LT] = [O.i32_lt_s, O.i64_lt_s];
CMP[Cond.GE] = [O.i32_ge_s, O.i64_ge_s];
CMP[Cond.LE] = [O.i32_le_s, O.i64_le_s];
CMP[Cond.GT] = [O.i32_gt_s, O.i64_gt_s];
CMP[Cond.LTU] = [O.i32_lt_u, O.i64_lt_u];
CMP[Cond.GEU] = [O.i32_ge_u, O.i64_ge_u];
CMP[Cond.LEU] = [O.i32_le_u, O.i64_le_u];
CMP[Cond.GTU] = [O.i32_gt_u, O.i64_gt_u];
const LOAD32 = { 1: [O.i32_load8_u, O.i32_load8_s], 2: [O.i32_load16_u, O.i32_load16_s], 4: [O.i32_load, O.i32_load], 8: [O.i32_load, O.i32_load] };
const LOAD64 = { 1: [O.i64_load8_u, O.i64_load8_s], 2: [O.i64_load16_u, O.i64_load16_s], 4: [O.i64_load32_u, O.i64_load32_s], 8: [O.i64_load, O.i64_load] };
const STORE32 = { 1: O.i32_store8, 2: O.i32_store16, 4: O.i32_store };
const STORE64 = { 1: O.i64_store8, 2: O.i64_store16, 4: O.i64_store32, 8: O.i64_store };
const EXT_MASK = { [Opc.Ext8U]: 0xff, [Opc.Ext16U]: 0xffff } as Record<number, number>;
/** Sign extension of a narrower zero-extended value, [i32, i64] by size (wasm atomics have
 *  only zero-extending forms). */
const SIGN_EXTEND: Record<number, number>[] = [
  { 1: O.i32_extend8_s, 2: O.i32_extend16_s },
  { 1: O.i64_extend8_s, 2: O.i64_extend16_s, 4: O.i64_extend32_s },
];

// Fixed locals of every region function; IR temps follow.
export const L_ENV = 0;   // param
const L_SEG = 1;   // param: the segment to run (the entry block's at first), for the br_table
const L_EA = 2;    // i32: host address of a memory access; scratch
const L_IDX = 3;   // i32: jump-cache entry address
const L_SPENT = 4; // i32: back-edges taken since the function was entered (budget spent)
const N_I32 = 3;
const L_EA64 = 5;  // i64: the full effective address of an i64 address (the fault address)
const L_MX = 6;    // i64 x 6: operands and partial products of a 64-bit mulh
const N_I64 = 7;
const FIRST_TEMP_LOCAL = 2 + N_I32 + N_I64;
/** Control-stack tags besides label tags (labelBase + label, >= 0). */
const TAG_OTHER = -1;
const TAG_LOOP = -2;
const TAG_FAULT = -3;
/** The end of a memory access's checks. */
const TAG_OK = -4;
/** The dispatch block whose end starts segment s; tags below every segment's are fresh ones
 *  (RegionCompiler.newTag). */
const TAG_SEG = (s: number): number => -10 - s;

/** Return addresses a goto_ptr compares its target with (code size grows with their number). */
const MAX_RETURN_SITES = 12;

export const gotoTargets = (b: IRBlock): number[] => b.ops.flatMap((op) => (op.opc === Opc.GotoTb ? [op.args[0]] : []));

/** Where a goto_tb inside a wasm loop goes: the control-stack tag of a `loop` (back to its
 *  header) or of a `block` ending where the target's code starts (forward). */
interface LoopTarget { tag: number; back: boolean }

export interface ModuleState {
  importFor(helper: number): number;
  slotFor(pc: number): number;
}

const sizeOf = (ty: Ty): number => (ty === 'i64' ? 8 : 4);

/** True when the blocks' globals can share one local per state slot: every slot is used with
 *  one type and no two slots overlap (otherwise a cached value could hide another's write). */
export function globalsAgree(blocks: IRBlock[]): boolean {
  const tyAt = new Map<number, Ty>();
  for (const b of blocks) {
    for (const t of b.temps) {
      if (t.kind !== TempKind.Global) continue;
      const known = tyAt.get(t.offset);
      if (known !== undefined && known !== t.ty) return false;
      tyAt.set(t.offset, t.ty);
    }
  }
  const slots = [...tyAt].sort((x, y) => x[0] - y[0]);
  return slots.every(([off, ty], i) => i + 1 === slots.length || off + sizeOf(ty) <= slots[i + 1][0]);
}

/** Compiles a region (blocks that chain to each other directly) into one function
 *  `(param $env i32) (param $seg i32) (result i32)`: the guest globals live in locals for the
 *  whole region (shared/FACTS.md: one function with registers in locals runs 4x faster than
 *  per-block functions chained through the table). The loops of the region's block graph
 *  (region-loops.ts) are wasm loops, their edges plain branches (the same FACTS: up to 1.8x
 *  faster again than a dispatch); any other goto_tb between its blocks is a branch to a loop
 *  around a br_table on the segment number. A segment starts at each block's entry (a loop's
 *  at its header, the whole loop inside it; the other blocks of a loop have a segment of their
 *  own too, for entries there, which reach the loop at its header) and, in blocks with
 *  backward branches, at each label; forward-only blocks nest their labels as wasm blocks. */
/** How the code leaves a region for a block outside it. 'table': through the chaining table
 *  (goto_tb) and the jump cache (goto_ptr), both keyed by guest pc, which user mode's single
 *  address space makes sound. 'every-edge' (-d exec/cpu, which trace each block): as 'table',
 *  with one block per region and the budget checked at every edge, so that a budget of one
 *  returns to the loop after each block. 'in-region' (system mode, where one virtual pc may be
 *  code of several address spaces): a block chains only to blocks of its own region, and
 *  otherwise returns to the loop, which looks the next block up through the MMU. */
export type Chaining = 'table' | 'every-edge' | 'in-region';

export class RegionCompiler {
  readonly w: CodeWriter;
  readonly locals: LocalDecl[];
  /** Segment number of each block's entry, by pc. */
  readonly entrySeg = new Map<number, number>();
  /** Globals by state offset: [offset, type, local]. */
  private readonly globals: [number, Ty, number][] = [];
  private readonly written: [number, Ty, number][] = [];
  /** By block: the global locals some path from an entry of the function to the block's start
   *  may have written (may differ from the CPU state), and those the block itself writes. */
  private readonly dirtyAtStart: Uint8Array[];
  private readonly writesOf: Uint8Array[];
  /** The global locals the code being emitted may have written since the function's entry:
   *  the ones an exit stores (the others still equal the CPU state). */
  private readonly dirty: Uint8Array;
  private readonly localsOf: Int32Array[] = [];
  private readonly labelBases: number[] = [];
  private readonly dispatches: boolean[] = [];
  private readonly segOf: Int32Array;
  private readonly ctl: number[] = [];
  /** The loop each loop header's segment holds, by block index. */
  private readonly loopAt = new Map<number, Loop>();
  /** The goto_tb targets of the wasm loops being emitted, innermost last. */
  private readonly inLoops: Map<number, LoopTarget>[] = [];
  private nextTag = 0;
  /** Some goto_tb inside the function checks the budget (backEdge). */
  private readonly hasBackEdges: boolean;
  /** Entries of the function that its blocks put in a guest register as a constant: the
   *  return addresses of calls (a goto_ptr compares its target with them). */
  private readonly returnSites: number[];
  private segCount = 0;
  /** The segment being emitted. */
  private curSeg = -1;
  // The block being compiled.
  private b: IRBlock;
  private local: Int32Array;
  private labelBase = 0;
  private dispatch = false;
  private insnPc: number;
  /** The memory access being compiled has an i64 address (L_EA64 holds all of it). */
  private wideAddress = false;

  constructor(private readonly blocks: IRBlock[], private readonly ctx: BackendContext,
    private readonly mod: ModuleState, listing: string[] | null, private readonly chaining: Chaining) {
    this.w = new CodeWriter(listing);
    const everyEdge = this.everyEdge;
    // Globals get one local per state slot for the whole region; a block's local temps are
    // dead when it ends, so every block numbers its own from the same base.
    const globalLocal = new Map<number, { ty: Ty; local: number; written: boolean }>();
    const touchedPer = blocks.map((b) => {
      const touched = new Uint8Array(b.temps.length);
      for (const op of b.ops) {
        for (const p of sourceArgs(op)) touched[op.args[p]] |= 1;
        const d = destTemp(op);
        if (d >= 0) touched[d] |= 2;
      }
      return touched;
    });
    blocks.forEach((b, bi) => b.temps.forEach((t, i) => {
      if (!touchedPer[bi][i] || t.kind !== TempKind.Global) return;
      const g = globalLocal.get(t.offset) ?? { ty: t.ty, local: -1, written: false };
      g.written ||= (touchedPer[bi][i] & 2) !== 0;
      globalLocal.set(t.offset, g);
    }));
    let next = FIRST_TEMP_LOCAL;
    const g32 = [...globalLocal].filter(([, g]) => g.ty === 'i32');
    const g64 = [...globalLocal].filter(([, g]) => g.ty === 'i64');
    for (const [off, g] of [...g32, ...g64]) {
      g.local = next++;
      this.globals.push([off, g.ty, g.local]);
      if (g.written) this.written.push([off, g.ty, g.local]);
    }
    const base32 = next;
    let max32 = 0, max64 = 0;
    blocks.forEach((b, bi) => {
      let n32 = 0, n64 = 0;
      b.temps.forEach((t, i) => {
        if (touchedPer[bi][i] && t.kind === TempKind.Local) { if (t.ty === 'i64') n64++; else n32++; }
      });
      max32 = Math.max(max32, n32);
      max64 = Math.max(max64, n64);
    });
    const base64 = base32 + max32;
    blocks.forEach((b, bi) => {
      const local = new Int32Array(b.temps.length).fill(-1);
      let n32 = 0, n64 = 0;
      b.temps.forEach((t, i) => {
        if (!touchedPer[bi][i]) return;
        if (t.kind === TempKind.Global) local[i] = globalLocal.get(t.offset)!.local;
        else if (t.kind === TempKind.Local) local[i] = t.ty === 'i64' ? base64 + n64++ : base32 + n32++;
      });
      this.localsOf.push(local);
    });
    this.locals = [
      { count: N_I32, type: ValType.I32 }, { count: N_I64, type: ValType.I64 },
      { count: g32.length, type: ValType.I32 }, { count: g64.length, type: ValType.I64 },
      { count: max32, type: ValType.I32 }, { count: max64, type: ValType.I64 },
    ];
    let labels = 0;
    for (const b of blocks) { this.labelBases.push(labels); labels += b.labelCount; }
    this.segOf = new Int32Array(labels).fill(-1);
    blocks.forEach((b) => {
      const labelPos = new Int32Array(b.labelCount).fill(-1);
      b.ops.forEach((op, i) => { if (op.opc === Opc.SetLabel) labelPos[op.args[0]] = i; });
      let backward = false;
      b.ops.forEach((op, i) => {
        const target = op.opc === Opc.Br ? op.args[0] : op.opc === Opc.BrCond ? op.args[3] : -1;
        if (target < 0) return;
        if (labelPos[target] < 0) throw new Error(`TB 0x${b.pc.toString(16)}: branch to a label never set`);
        if (labelPos[target] < i) backward = true;
      });
      this.dispatches.push(backward);
    });
    // -d exec's budget of one is checked at every edge: no loops there.
    if (!everyEdge) this.findLoops();
    // Segments, in the order their code is laid out.
    blocks.forEach((b, bi) => {
      if (!this.entrySeg.has(b.pc)) this.entrySeg.set(b.pc, this.segCount);
      this.segCount++;
      if (this.dispatches[bi]) {
        for (const op of b.ops) if (op.opc === Opc.SetLabel) this.segOf[this.labelBases[bi] + op.args[0]] = this.segCount++;
      }
    });
    this.nextTag = TAG_SEG(this.segCount);
    this.returnSites = everyEdge ? [] : this.findReturnSites();
    this.writesOf = this.localsOf.map((local, bi) => {
      const writes = new Uint8Array(next);
      blocks[bi].temps.forEach((t, i) => { if (t.kind === TempKind.Global && touchedPer[bi][i] & 2) writes[local[i]] = 1; });
      return writes;
    });
    this.dirtyAtStart = this.mayBeWritten();
    this.dirty = new Uint8Array(next);
    this.hasBackEdges = !everyEdge && (this.returnSites.length > 0 || this.loopAt.size > 0
      || blocks.some((b) => gotoTargets(b).some((pc) => pc <= b.pc && this.entrySeg.has(pc))));
    this.b = blocks[0];
    this.local = this.localsOf[0];
    this.insnPc = blocks[0].pc;
  }

  /** For each block, the globals written on some path from an entry of the function to its
   *  start (a forward dataflow over the edges that stay inside the function: goto_tb to its
   *  blocks, returns to its return sites), as dirtyAtStart holds them. */
  private mayBeWritten(): Uint8Array[] {
    const at = new Map<number, number[]>();
    this.blocks.forEach((b, i) => at.set(b.pc, [...(at.get(b.pc) ?? []), i]));
    const succ = this.blocks.map((b) => {
      const pcs = gotoTargets(b);
      if (b.ops.some((op) => op.opc === Opc.GotoPtr)) pcs.push(...this.returnSites);
      return pcs.flatMap((pc) => at.get(pc) ?? []);
    });
    const start = this.writesOf.map((w) => new Uint8Array(w.length));
    for (let changed = true; changed;) {
      changed = false;
      succ.forEach((ss, bi) => {
        for (const si of ss) {
          for (let l = 0; l < start[bi].length; l++) {
            if ((start[bi][l] | this.writesOf[bi][l]) && !start[si][l]) {
              start[si][l] = 1;
              changed = true;
            }
          }
        }
      });
    }
    return start;
  }

  /** Loops of blocks without backward labels (those need the dispatch), weighed by their ops,
   *  every loop's header (inner ones too) recorded with its loop. */
  private findLoops(): void {
    const byPc = new Map<number, number>();
    this.blocks.forEach((b, i) => { if (!byPc.has(b.pc)) byPc.set(b.pc, i); });
    const succ = this.blocks.map((b) => [...new Set(gotoTargets(b).flatMap((pc) => byPc.get(pc) ?? []))]);
    const record = (loop: Loop): void => {
      this.loopAt.set(loop.header, loop);
      for (const u of loop.body) if (typeof u !== 'number') record(u);
    };
    const weight = this.blocks.map((b) => b.ops.length);
    findLoops(this.blocks.map((_, i) => i), { succ, weight, eligible: (i) => !this.dispatches[i] }).forEach(record);
  }

  /** Constants the blocks move into globals that are entries of the function, lowest first. */
  private findReturnSites(): number[] {
    const sites = new Set<number>();
    for (const b of this.blocks) {
      for (const op of b.ops) {
        if (op.opc !== Opc.Mov || b.temps[op.args[0]].kind !== TempKind.Global) continue;
        const src = b.temps[op.args[1]];
        if (src.kind === TempKind.Const && src.value < 2n ** 32n && this.entrySeg.has(Number(src.value))) sites.add(Number(src.value));
      }
    }
    return [...sites].sort((x, y) => x - y).slice(0, MAX_RETURN_SITES);
  }

  private newTag(): number { return --this.nextTag; }

  private get everyEdge(): boolean { return this.chaining === 'every-edge'; }

  private get layout() { return this.ctx.layout; }

  // ---- operands

  private get(t: number, ty: Ty): void {
    const info = this.b.temps[t];
    if (info.kind === TempKind.Const) {
      if (ty === 'i64') this.w.i64c(info.value);
      else this.w.i32c(Number(info.value & 0xffffffffn));
      return;
    }
    this.w.opU(O.local_get, this.local[t]);
    this.convert(info.ty, ty);
  }
  private set(t: number, from: Ty): void {
    const info = this.b.temps[t];
    if (info.kind === TempKind.Const) throw new Error('IR writes a constant temp');
    if (info.kind === TempKind.Global) this.dirty[this.local[t]] = 1;
    this.convert(from, info.ty);
    this.w.opU(O.local_set, this.local[t]);
  }
  /** Converts the value on the stack between types (zero-extension or the low half). */
  private convert(from: Ty, to: Ty): void {
    if (from === to) return;
    this.w.op(to === 'i64' ? O.i64_extend_i32_u : O.i32_wrap_i64);
  }
  private tyOf(t: number): Ty { return this.b.temps[t].ty; }

  // ---- control

  private open(code: number, blockType: number, tag = TAG_OTHER): void {
    this.w.open(code, blockType);
    this.ctl.push(tag);
  }
  private end(): void {
    this.w.op(O.end);
    this.ctl.pop();
  }
  private depthOf(tag: number): number {
    const at = this.ctl.lastIndexOf(tag);
    if (at < 0) throw new Error(`region compiler: branch to a wasm block not open (tag ${tag})`);
    return this.ctl.length - 1 - at;
  }

  // ---- the CPU state

  private globalAccess([offset, ty, local]: [number, Ty, number], load: boolean): void {
    const w = this.w;
    w.opU(O.local_get, L_ENV);
    if (load) {
      w.mem(ty === 'i64' ? O.i64_load : O.i32_load, offset);
      w.opU(O.local_set, local);
    } else {
      w.opU(O.local_get, local);
      w.mem(ty === 'i64' ? O.i64_store : O.i32_store, offset);
    }
  }
  private loadGlobals(): void { for (const g of this.globals) this.globalAccess(g, true); }
  /** Stores the globals the code so far may have written: an exit or a helper that reads the
   *  CPU state sees every register as it is here. */
  private writeBack(): void { for (const g of this.written) if (this.dirty[g[2]]) this.globalAccess(g, false); }

  /** state.pc = the value `push` leaves on the stack (of type `ty`). */
  private storePc(push: () => void, ty: Ty): void {
    this.w.opU(O.local_get, L_ENV);
    push();
    this.convert(ty, this.layout.pcTy);
    this.w.mem(this.layout.pcTy === 'i64' ? O.i64_store : O.i32_store, this.layout.pcOffset);
  }
  private storePcConst(pc: number): void {
    if (this.layout.pcTy === 'i64') this.storePc(() => this.w.i64c(BigInt(pc)), 'i64');
    else this.storePc(() => this.w.i32c(pc), 'i32');
  }
  private exit(reason: number): void {
    this.w.i32c(reason);
    this.w.op(O.return);
  }

  /** Takes the back-edges spent in this function and `more` from the budget (before the
   *  function leaves); leaves the budget in L_EA. */
  private spend(more: number): void {
    const w = this.w;
    const off = this.layout.budgetOffset;
    w.opU(O.local_get, L_ENV);
    w.opU(O.local_get, L_ENV);
    w.mem(O.i32_load, off);
    w.opU(O.local_get, L_SPENT);
    w.op(O.i32_sub);
    if (more) {
      w.i32c(more);
      w.op(O.i32_sub);
    }
    w.opU(O.local_tee, L_EA);
    w.mem(O.i32_store, off);
  }

  /** Spends one chaining; leaves (budget <= 0) on the stack. */
  private budgetExhausted(): void {
    this.spend(1);
    this.w.opU(O.local_get, L_EA);
    this.w.i32c(0);
    this.w.op(O.i32_le_s);
  }

  /** A back-edge inside the function to `pc`: counts it in L_SPENT and leaves for the cpu loop
   *  once the budget is spent. The budget word is only read here (a store in every iteration
   *  would chain the iterations through memory); the count is taken from it when the function
   *  chains elsewhere, and another thread's exit request, which zeroes it, is seen at once. */
  private backEdge(pc: number): void {
    const w = this.w;
    w.opU(O.local_get, L_ENV);
    w.mem(O.i32_load, this.layout.budgetOffset);
    w.opU(O.local_get, L_SPENT);
    w.i32c(1);
    w.op(O.i32_add);
    w.opU(O.local_tee, L_SPENT);
    w.op(O.i32_le_s);
    this.open(O.if, BLOCK_VOID);
    this.writeBack();
    this.storePcConst(pc);
    this.spend(0);
    this.exit(ExitReason.Next);
    this.end();
  }

  // ---- the body

  compile(): void {
    const w = this.w;
    this.loadGlobals();
    this.open(O.block, BLOCK_VOID, TAG_FAULT);
    this.open(O.loop, BLOCK_VOID, TAG_LOOP);
    for (let s = this.segCount - 1; s >= 0; s--) this.open(O.block, BLOCK_VOID, TAG_SEG(s));
    w.opU(O.local_get, L_SEG);
    w.brTable([...Array(this.segCount).keys()], 0);
    this.blocks.forEach((_, bi) => {
      this.endSegment(); // this block's entry segment starts here
      const loop = this.loopAt.get(bi);
      if (loop) this.emitLoop(loop); else this.emitBlock(bi);
    });
    this.end();
    w.op(O.unreachable);
    this.end();
    // A memory fault: the access stored the fault address, kind and pc. Any access of the
    // function may have branched here: every global it writes anywhere is stored.
    this.dirty.fill(1);
    this.writeBack();
    w.i32c(ExitReason.MemFault);
    w.op(O.end);
  }

  private emitBlock(bi: number): void {
    const b = this.blocks[bi];
    this.b = b;
    this.local = this.localsOf[bi];
    this.labelBase = this.labelBases[bi];
    this.dispatch = this.dispatches[bi];
    // A block with backward branches may run any of its writes before any of its exits.
    this.dirty.set(this.dirtyAtStart[bi]);
    if (this.dispatch) this.writesOf[bi].forEach((w, l) => { if (w) this.dirty[l] = 1; });
    this.insnPc = b.pc;
    this.w.listing?.push(`;; TB pc=0x${b.pc.toString(16)}`);
    if (!this.dispatch) {
      // Forward branches only: one wasm block per label, ending where the label is set.
      const setLabels = b.ops.filter((op) => op.opc === Opc.SetLabel).map((op) => op.args[0]);
      for (let i = setLabels.length - 1; i >= 0; i--) this.open(O.block, BLOCK_VOID, this.labelBase + setLabels[i]);
    }
    for (const op of b.ops) this.op(op);
  }

  /** A wasm loop at the header, the rest of the body in order, each part after the end of a
   *  wasm block opened at the top, so that forward edges are branches out of those blocks. */
  private emitLoop(loop: Loop): void {
    const head = this.newTag();
    this.w.listing?.push(`;; loop pc=0x${this.blocks[loop.header].pc.toString(16)}`);
    this.open(O.loop, BLOCK_VOID, head);
    const tags = loop.body.map(() => this.newTag());
    for (let k = loop.body.length - 1; k >= 1; k--) this.open(O.block, BLOCK_VOID, tags[k]);
    const targets = new Map<number, LoopTarget>();
    loop.body.forEach((u, k) => targets.set(this.blocks[typeof u === 'number' ? u : u.header].pc, { tag: tags[k], back: false }));
    targets.set(this.blocks[loop.header].pc, { tag: head, back: true });
    this.inLoops.push(targets);
    loop.body.forEach((u, k) => {
      if (k) this.end();
      if (typeof u === 'number') this.emitBlock(u); else this.emitLoop(u);
    });
    this.inLoops.pop();
    this.end();
  }

  private endSegment(): void {
    this.end();
    this.curSeg++;
  }

  /** To a later segment: a branch out of the dispatch blocks still open (its start is right
   *  after one of their ends); to this one or an earlier one: through the br_table. */
  private toSegment(seg: number): void {
    if (seg > this.curSeg) {
      this.w.opU(O.br, this.depthOf(TAG_SEG(seg)));
      return;
    }
    this.w.i32c(seg);
    this.w.opU(O.local_set, L_SEG);
    this.w.opU(O.br, this.depthOf(TAG_LOOP));
  }

  private branch(label: number): void {
    if (this.dispatch) this.toSegment(this.segOf[this.labelBase + label]);
    else this.w.opU(O.br, this.depthOf(this.labelBase + label));
  }

  private compare(a: number, b: number, cond: Cond, ty: Ty): void {
    this.get(a, ty);
    this.get(b, ty);
    this.w.op(CMP[cond][ty === 'i64' ? 1 : 0]);
  }

  private op(op: Op): void {
    const a = op.args;
    const ty = op.ty;
    const k = ty === 'i64' ? 1 : 0;
    const w = this.w;
    switch (op.opc) {
      case Opc.InsnStart: this.insnPc = a[0]; return;
      case Opc.SetLabel:
        if (this.dispatch) this.endSegment(); else this.end();
        return;
      case Opc.Br: this.branch(a[0]); return;
      case Opc.BrCond:
        this.compare(a[0], a[1], a[2], ty);
        if (this.dispatch) {
          this.open(O.if, BLOCK_VOID);
          this.branch(a[3]);
          this.end();
        } else {
          w.opU(O.br_if, this.depthOf(this.labelBase + a[3]));
        }
        return;
      case Opc.SetCond:
        this.compare(a[1], a[2], a[3], ty);
        this.set(a[0], 'i32');
        return;
      case Opc.MovCond: {
        const dTy = this.tyOf(a[0]);
        this.get(a[3], dTy);
        this.get(a[4], dTy);
        this.compare(a[1], a[2], a[5], this.tyOf(a[1]));
        w.op(O.select);
        this.set(a[0], dTy);
        return;
      }
      case Opc.Ld: return this.load(op);
      case Opc.St: return this.store(op);
      case Opc.AtomicCmpxchg: case Opc.AtomicRmw: return this.atomic(op);
      case Opc.Call: return this.call(op);
      case Opc.ExitTb:
        this.writeBack();
        this.storePcConst(a[1]);
        this.exit(a[0]);
        return;
      case Opc.GotoTb: return this.gotoTb(a[0]);
      case Opc.GotoPtr: return this.gotoPtr(a[0]);
      case Opc.MulHS: case Opc.MulHU: case Opc.MulHSU: return this.mulh(op);
      case Opc.DivS: case Opc.DivU: case Opc.RemS: case Opc.RemU: return this.div(op);
      case Opc.FAdd: case Opc.FSub: case Opc.FMul: case Opc.FDiv: case Opc.FSqrt: {
        const toFloat = ty === 'i64' ? O.f64_reinterpret_i64 : O.f32_reinterpret_i32;
        this.get(a[1], ty);
        w.op(toFloat);
        if (op.opc !== Opc.FSqrt) {
          this.get(a[2], ty);
          w.op(toFloat);
        }
        w.op(FLOAT[op.opc][k]);
        w.op(ty === 'i64' ? O.i64_reinterpret_f64 : O.i32_reinterpret_f32);
        break;
      }
      case Opc.FMulAdd:
        // The host's fused multiply-add (host-fma.ts), on lane 0.
        for (const t of [a[1], a[2], a[3]]) {
          this.get(t, 'i64');
          w.op(O.f64_reinterpret_i64);
          w.simd('f64x2_splat');
        }
        w.simd('f64x2_relaxed_madd');
        w.simd('f64x2_extract_lane', 0);
        w.op(O.i64_reinterpret_f64);
        break;
      case Opc.Neg:
        if (ty === 'i64') w.i64c(0n); else w.i32c(0);
        this.get(a[1], ty);
        w.op(BINARY[Opc.Sub][k]);
        break;
      case Opc.Not:
        this.get(a[1], ty);
        if (ty === 'i64') w.i64c(-1n); else w.i32c(-1);
        w.op(BINARY[Opc.Xor][k]);
        break;
      case Opc.Ext8U: case Opc.Ext16U:
        this.get(a[1], ty);
        if (ty === 'i64') w.i64c(BigInt(EXT_MASK[op.opc])); else w.i32c(EXT_MASK[op.opc]);
        w.op(BINARY[Opc.And][k]);
        break;
      case Opc.Ext32U:
        this.get(a[1], ty);
        if (ty === 'i64') { w.i64c(0xffffffffn); w.op(O.i64_and); }
        break;
      case Opc.ExtUI32I64: case Opc.ExtSI32I64:
        this.get(a[1], 'i32');
        w.op(op.opc === Opc.ExtUI32I64 ? O.i64_extend_i32_u : O.i64_extend_i32_s);
        this.set(a[0], 'i64');
        return;
      case Opc.TruncI64I32:
        this.get(a[1], 'i64');
        this.set(a[0], 'i64');
        return;
      default: {
        const un = UNARY[op.opc];
        if (un) {
          this.get(a[1], ty);
          if (un[k] >= 0) w.op(un[k]);
        } else {
          const bin = BINARY[op.opc];
          if (!bin) throw new Error(`wasm backend: unknown op ${op.opc}`);
          this.get(a[1], ty);
          this.get(a[2], ty);
          w.op(bin[k]);
        }
      }
    }
    this.set(a[0], ty);
  }

  /** High half of the double-width product. i32: one i64 multiply. i64: from 32-bit pieces
   *  (x = xh*2^32 + xl), then the signed corrections hi -= (x<0 ? y : 0) + (y<0 ? x : 0). */
  private mulh(op: Op): void {
    const [d, a, b] = op.args;
    const w = this.w;
    const signedA = op.opc !== Opc.MulHU;
    const signedB = op.opc === Opc.MulHS;
    if (op.ty === 'i32') {
      this.get(a, 'i32');
      w.op(signedA ? O.i64_extend_i32_s : O.i64_extend_i32_u);
      this.get(b, 'i32');
      w.op(signedB ? O.i64_extend_i32_s : O.i64_extend_i32_u);
      w.op(O.i64_mul);
      w.i64c(32n);
      w.op(O.i64_shr_u);
      this.set(d, 'i64');
      return;
    }
    const [X, Y, LL, LH, HL, HH] = [0, 1, 2, 3, 4, 5].map((i) => L_MX + i);
    const get = (l: number): void => w.opU(O.local_get, l);
    const lo = (l: number): void => { get(l); w.i64c(0xffffffffn); w.op(O.i64_and); };
    const hi = (l: number): void => { get(l); w.i64c(32n); w.op(O.i64_shr_u); };
    const product = (dst: number, x: () => void, y: () => void): void => {
      x(); y(); w.op(O.i64_mul); w.opU(O.local_set, dst);
    };
    this.get(a, 'i64'); w.opU(O.local_set, X);
    this.get(b, 'i64'); w.opU(O.local_set, Y);
    product(LL, () => lo(X), () => lo(Y));
    product(LH, () => lo(X), () => hi(Y));
    product(HL, () => hi(X), () => lo(Y));
    product(HH, () => hi(X), () => hi(Y));
    // carry = ((ll >> 32) + lo(lh) + lo(hl)) >> 32
    hi(LL); lo(LH); w.op(O.i64_add); lo(HL); w.op(O.i64_add);
    w.i64c(32n); w.op(O.i64_shr_u);
    get(HH); w.op(O.i64_add);
    hi(LH); w.op(O.i64_add);
    hi(HL); w.op(O.i64_add);
    const correct = (neg: number, other: number): void => {
      get(neg); w.i64c(63n); w.op(O.i64_shr_s); get(other); w.op(O.i64_and); w.op(O.i64_sub);
    };
    if (signedA) correct(X, Y);
    if (signedB) correct(Y, X);
    this.set(d, 'i64');
  }

  /** Total division (ir.ts): wasm traps on x/0 and MIN/-1, so both are guarded. */
  private div(op: Op): void {
    const [d, a, b] = op.args;
    const ty = op.ty;
    const k = ty === 'i64' ? 1 : 0;
    const w = this.w;
    const c = (v: number): void => { if (ty === 'i64') w.i64c(BigInt(v)); else w.i32c(v); };
    const zeroCase = (): void => {
      if (op.opc === Opc.DivS || op.opc === Opc.DivU) c(-1); else this.get(a, ty);
    };
    const code = { [Opc.DivS]: [O.i32_div_s, O.i64_div_s], [Opc.DivU]: [O.i32_div_u, O.i64_div_u],
      [Opc.RemS]: [O.i32_rem_s, O.i64_rem_s], [Opc.RemU]: [O.i32_rem_u, O.i64_rem_u] }[op.opc as number]!;
    this.get(b, ty);
    w.op(ty === 'i64' ? O.i64_eqz : O.i32_eqz);
    this.open(O.if, vt(ty));
    zeroCase();
    w.op(O.else);
    if (op.opc === Opc.DivS) {
      // x / -1 = -x, which wraps MIN to MIN as the IR wants (wasm's rem_s already gives 0).
      this.get(b, ty); c(-1); w.op(CMP[Cond.EQ][k]);
      this.open(O.if, vt(ty));
      c(0); this.get(a, ty); w.op(BINARY[Opc.Sub][k]);
      w.op(O.else);
      this.get(a, ty); this.get(b, ty); w.op(code[k]);
      this.end();
    } else {
      this.get(a, ty); this.get(b, ty); w.op(code[k]);
    }
    this.end();
    this.set(d, ty);
  }

  /** Leaves the checked host address in L_EA, or exits with MemFault (ir.ts, guest-memory.ts):
   *  the access must end inside the 4 GiB window and both its first and last byte's pages
   *  must allow `need`. An `aligned` access must be a multiple of its size (checked first, a
   *  fault of its own kind), so it cannot cross a page. */
  private access(addr: number, offset: number, size: number, need: number, kind: FaultKind, aligned = false): void {
    const w = this.w;
    this.wideAddress = this.tyOf(addr) === 'i64';
    if (this.wideAddress) {
      this.get(addr, 'i64');
      if (offset !== 0) { w.i64c(BigInt(offset)); w.op(O.i64_add); }
      w.opU(O.local_tee, L_EA64);
      w.op(O.i32_wrap_i64);
    } else {
      this.get(addr, 'i32');
      if (offset !== 0) { w.i32c(offset); w.op(O.i32_add); }
    }
    w.opU(O.local_set, L_EA);
    // Each condition is its own br_if (a compare and a predicted jump; the prot test becomes
    // one test of a memory byte) rather than booleans or-ed into one branch.
    this.open(O.block, BLOCK_VOID, TAG_OK);
    if (aligned && size > 1) {
      this.open(O.block, BLOCK_VOID);
      w.opU(O.local_get, L_EA);
      w.i32c(size - 1);
      w.op(O.i32_and);
      w.op(O.i32_eqz);
      w.opU(O.br_if, 0);
      this.fault(FaultKind.Misaligned);
      this.end();
    }
    this.open(O.block, BLOCK_VOID);
    // A 32-bit address needs no window check: one whose access runs past 4 GiB starts in the
    // last page, above GUEST_LIMIT, which the guest never maps (its prot byte is 0).
    if (this.wideAddress) {
      w.opU(O.local_get, L_EA64);
      w.i64c(BigInt(WINDOW_SIZE - size));
      w.op(O.i64_gt_u);
      w.opU(O.br_if, 0);
    }
    // The prot table read is safe even when out of the window: any i32 >> 12 is in the table.
    const pageAllowed = (lastByte: number): void => {
      w.opU(O.local_get, L_EA);
      if (lastByte) { w.i32c(lastByte); w.op(O.i32_add); }
      w.i32c(PAGE_SHIFT);
      w.op(O.i32_shr_u);
      w.mem(O.i32_load8_u, PROT_TABLE);
      w.i32c(need);
      w.op(O.i32_and);
    };
    pageAllowed(0);
    if (size === 1 || aligned) {
      w.opU(O.br_if, this.depthOf(TAG_OK));
    } else {
      w.op(O.i32_eqz);
      w.opU(O.br_if, 0);
      // The last byte's page needs a look only when the access crosses into it (rare).
      w.opU(O.local_get, L_EA);
      w.i32c((1 << PAGE_SHIFT) - 1);
      w.op(O.i32_and);
      w.i32c((1 << PAGE_SHIFT) - size);
      w.op(O.i32_le_u);
      w.opU(O.br_if, this.depthOf(TAG_OK));
      pageAllowed(size - 1);
      w.opU(O.br_if, this.depthOf(TAG_OK));
    }
    this.end();
    this.fault(kind);
    this.end();
  }

  /** Records a fault of the access whose address is in L_EA64 (L_EA for a 32-bit address) and
   *  leaves for the MemFault exit. */
  private fault(kind: FaultKind): void {
    const w = this.w;
    w.opU(O.local_get, L_ENV);
    if (this.wideAddress) w.opU(O.local_get, L_EA64);
    else {
      w.opU(O.local_get, L_EA);
      w.op(O.i64_extend_i32_u);
    }
    w.mem(O.i64_store, this.layout.faultAddrOffset);
    w.opU(O.local_get, L_ENV);
    w.i32c(kind);
    w.mem(O.i32_store, this.layout.faultKindOffset);
    this.storePcConst(this.insnPc);
    w.opU(O.br, this.depthOf(TAG_FAULT));
  }

  private load(op: Op): void {
    const [d, addr, offset, size, signed, align] = op.args;
    const sz = size as 1 | 2 | 4 | 8;
    if (this.ctx.tlb) {
      this.tlbAccess(this.ctx.tlb, op, false);
      return;
    }
    this.access(addr, offset, sz, PROT_READ, FaultKind.Read, align === 1);
    this.w.opU(O.local_get, L_EA);
    this.w.mem((op.ty === 'i64' ? LOAD64 : LOAD32)[sz][signed], 0);
    this.set(d, op.ty);
  }

  private store(op: Op): void {
    const [v, addr, offset, size] = op.args;
    const sz = size as 1 | 2 | 4 | 8;
    if (this.ctx.tlb) {
      this.tlbAccess(this.ctx.tlb, op, true);
      return;
    }
    this.access(addr, offset, sz, PROT_WRITE, FaultKind.Write);
    this.w.opU(O.local_get, L_EA);
    // An 8-byte store of an i32 value stores it zero-extended.
    const ty: Ty = op.ty === 'i64' || sz === 8 ? 'i64' : 'i32';
    this.get(v, ty);
    this.w.mem(ty === 'i64' ? STORE64[sz] : STORE32[sz as 1 | 2 | 4], 0);
  }

  /** A load or store through system mode's inline TLB (InlineTlb): the entry's page compared
   *  with the address (its low bits too, so that a misaligned access misses), then the access
   *  at the host address on a hit, or the helper call on a miss. */
  private tlbAccess(tlb: InlineTlb, op: Op, write: boolean): void {
    const w = this.w;
    const [data, addr, offset, size, signed, align] = op.args;
    const table = write ? tlb.writeOffset : 0;
    this.get(addr, 'i64');
    if (offset !== 0) { w.i64c(BigInt(offset)); w.op(O.i64_add); }
    w.opU(O.local_tee, L_EA64);
    w.op(O.i32_wrap_i64);
    w.opU(O.local_tee, L_EA);
    w.i32c(PAGE_SHIFT);
    w.op(O.i32_shr_u);
    w.opU(O.local_get, L_EA);
    w.i32c(PAGE_SHIFT + tlb.entryBits);
    w.op(O.i32_shr_u);
    w.op(O.i32_xor);
    w.i32c((1 << tlb.entryBits) - 1);
    w.op(O.i32_and);
    w.i32c(4);
    w.op(O.i32_shl);
    w.opU(O.local_get, L_ENV);
    w.mem(O.i32_load, tlb.baseSlot);
    w.op(O.i32_add);
    w.opU(O.local_set, L_IDX);
    this.open(O.block, BLOCK_VOID, TAG_OK);
    this.open(O.block, BLOCK_VOID);
    w.opU(O.local_get, L_EA64);
    w.i64c(~BigInt(PAGE_MASK) | BigInt(size - 1));
    w.op(O.i64_and);
    w.opU(O.local_get, L_IDX);
    w.mem(O.i64_load, table);
    w.op(O.i64_ne);
    w.opU(O.br_if, 0);
    w.opU(O.local_get, L_EA);
    w.opU(O.local_get, L_IDX);
    w.mem(O.i32_load, table + 8);
    w.op(O.i32_add);
    const sz = size as 1 | 2 | 4 | 8;
    if (write) {
      const ty: Ty = op.ty === 'i64' || sz === 8 ? 'i64' : 'i32';
      this.get(data, ty);
      w.mem(ty === 'i64' ? STORE64[sz] : STORE32[sz as 1 | 2 | 4], 0);
    } else {
      w.mem((op.ty === 'i64' ? LOAD64 : LOAD32)[sz][signed], 0);
      this.set(data, op.ty);
    }
    w.opU(O.br, 1);
    this.end();
    // The miss: the helper may fault, so the registers and the pc go to the state first.
    this.writeBack();
    this.storePcConst(this.insnPc);
    w.opU(O.local_get, L_ENV);
    w.opU(O.local_get, L_EA);
    w.opU(O.local_get, L_EA64);
    w.i64c(32n);
    w.op(O.i64_shr_u);
    w.op(O.i32_wrap_i64);
    if (write) {
      this.get(data, 'i64');
      w.opU(O.local_tee, L_MX);
      w.op(O.i32_wrap_i64);
      w.opU(O.local_get, L_MX);
      w.i64c(32n);
      w.op(O.i64_shr_u);
      w.op(O.i32_wrap_i64);
      w.opU(O.call, this.mod.importFor(tlb.store[sz]));
    } else {
      w.i32c(signed | (align << 1));
      w.opU(O.call, this.mod.importFor(tlb.load[sz]));
      if (op.ty === 'i64') {
        w.op(sz < 8 && signed ? O.i64_extend_i32_s : O.i64_extend_i32_u);
        if (sz === 8) {
          w.opU(O.local_get, L_ENV);
          w.mem(O.i64_load32_u, tlb.ldHiSlot);
          w.i64c(32n);
          w.op(O.i64_shl);
          w.op(O.i64_or);
        }
      }
      this.set(data, op.ty);
    }
    this.end();
  }

  /** AtomicCmpxchg / AtomicRmw: one threads-proposal atomic on the checked, aligned address
   *  (wasm traps on a misaligned atomic: access() has made it a MemFault first). */
  private atomic(op: Op): void {
    const [d, addr, offset, size, signed, v, last] = op.args;
    const sz = size as 1 | 2 | 4 | 8;
    const is64 = op.ty === 'i64';
    this.access(addr, offset, sz, PROT_WRITE, FaultKind.Write, true);
    this.w.opU(O.local_get, L_EA);
    this.get(v, op.ty);
    if (op.opc === Opc.AtomicCmpxchg) this.get(last, op.ty);
    this.w.atomicRmw(op.opc === Opc.AtomicCmpxchg ? 'cmpxchg' : RMW_NAMES[last], is64, sz, 0);
    const ext = signed ? SIGN_EXTEND[is64 ? 1 : 0][sz] : undefined;
    if (ext !== undefined) this.w.op(ext);
    this.set(d, op.ty);
  }

  private call(op: Op): void {
    const [hi, d, ...args] = op.args;
    const h: Helper = this.ctx.helpers[hi];
    const around = HelperFlags.ReadsGlobals | HelperFlags.WritesGlobals | HelperFlags.MayRaise;
    // Written back before a helper that writes globals too, so reloading after it is exact.
    if (h.flags & around) this.writeBack();
    if (h.flags & HelperFlags.MayRaise) this.storePcConst(this.insnPc);
    this.w.opU(O.local_get, L_ENV);
    args.forEach((t, i) => this.get(t, h.args[i]));
    this.w.opU(O.call, this.mod.importFor(hi));
    // Reloaded while the result waits on the stack: the destination may itself be a global.
    if (h.flags & HelperFlags.WritesGlobals) this.loadGlobals();
    if (h.ret) {
      if (d >= 0) this.set(d, h.ret); else this.w.op(O.drop);
    }
  }

  /** The budget is checked on the back-edges of wasm loops and, among the other edges inside
   *  the function, on those to a pc at or below their source block's: every cycle of blocks
   *  outside wasm loops has one. */
  private gotoTb(pc: number): void {
    const w = this.w;
    if (this.branchInside(pc, pc <= this.b.pc)) return;
    this.writeBack();
    this.storePcConst(pc);
    if (this.chaining === 'in-region') {
      this.exit(ExitReason.Next);
      return;
    }
    if (this.everyEdge || pc <= this.b.pc) {
      this.budgetExhausted();
      this.open(O.if, BLOCK_VOID);
      this.exit(ExitReason.Next);
      this.end();
    } else if (this.hasBackEdges) {
      this.spend(0); // the back-edges spent here still count after the chaining
    }
    w.opU(O.local_get, L_ENV);
    w.i32c(this.mod.slotFor(pc));
    w.indirect(O.return_call_indirect, TB_TYPE);
  }

  /** Continues at `pc` inside the function if it has that block (checking the budget first if
   *  `checked`, or inside a wasm loop if it is a back-edge); false if it has not. */
  private branchInside(pc: number, checked: boolean): boolean {
    for (let i = this.inLoops.length - 1; i >= 0; i--) {
      const t = this.inLoops[i].get(pc);
      // A goto_tb goes forward in its loop's layout; a goto_ptr may go to a part behind.
      if (!t || !this.ctl.includes(t.tag)) continue;
      // Every cycle inside a wasm loop goes through one of its headers.
      if (t.back) this.backEdge(pc);
      this.w.opU(O.br, this.depthOf(t.tag));
      return true;
    }
    const seg = this.entrySeg.get(pc);
    if (seg === undefined || this.everyEdge) return false;
    if (checked) this.backEdge(pc);
    this.toSegment(seg);
    return true;
  }

  /** A return (or any jump to a pc in a register) to one of the region's return addresses
   *  stays in the function: no write-back, table call and reload. It always checks the budget,
   *  these edges being outside what the loop analysis sees. */
  private gotoPtr(t: number): void {
    const w = this.w;
    const ty = this.tyOf(t);
    for (const pc of this.returnSites) {
      this.get(t, ty);
      if (ty === 'i64') w.i64c(BigInt(pc)); else w.i32c(pc);
      w.op(CMP[Cond.EQ][ty === 'i64' ? 1 : 0]);
      this.open(O.if, BLOCK_VOID);
      this.branchInside(pc, true);
      this.end();
    }
    this.writeBack();
    this.storePc(() => this.get(t, ty), ty);
    if (this.chaining === 'in-region') {
      this.exit(ExitReason.Next);
      return;
    }
    this.open(O.block, BLOCK_VOID);
    if (ty === 'i64') {
      // Code lives below 4 GiB: a wider pc is never in the cache.
      this.get(t, 'i64');
      w.i64c(0xffffffffn);
      w.op(O.i64_gt_u);
      w.opU(O.br_if, 0);
    }
    this.get(t, 'i32');
    w.i32c(1);
    w.op(O.i32_shr_u);
    w.i32c(JC_MASK);
    w.op(O.i32_and);
    w.i32c(3);
    w.op(O.i32_shl);
    w.opU(O.local_tee, L_IDX);
    w.mem(O.i32_load, jumpCacheBase(this.ctx));
    this.get(t, 'i32');
    w.op(O.i32_ne);
    w.opU(O.br_if, 0);
    this.budgetExhausted();
    w.opU(O.br_if, 0);
    w.opU(O.local_get, L_ENV);
    w.opU(O.local_get, L_IDX);
    w.mem(O.i32_load, jumpCacheBase(this.ctx) + 4);
    w.indirect(O.return_call_indirect, TB_TYPE);
    this.end();
    this.exit(ExitReason.Next);
  }
}

