// The WebAssembly backend: IR blocks become wasm functions, many per module (compile latency and
// per-module memory, shared/FACTS.md), each `(func (param $env i32) (result i32))` returning an
// ExitReason. Blocks chain to each other with return_call_indirect through a funcref table: one
// slot per chaining target pc, holding a stub that returns ExitReason.Next until that pc's block
// is compiled. It must give exactly the IR interpreter's results (interp-backend.ts).
import { Backend, BackendContext, TbCode } from './backend.js';
import { Cond, ExitReason, FaultKind, Helper, HelperFlags, IRBlock, Op, Opc, RMW_NAMES, TempKind, Ty } from './ir.js';
import { destTemp, sourceArgs } from './ir-operands.js';
import {
  BLOCK_VOID, CodeWriter, encodeModule, FuncBody, FuncType, Import, LocalDecl, O, ValType,
} from './wasm-encoder.js';
import {
  JUMP_CACHE, JUMP_CACHE_SIZE, PAGE_SHIFT, PROT_READ, PROT_TABLE, PROT_WRITE, WINDOW_SIZE,
} from '../memory/guest-memory.js';

/** Type index of a TB function, the same in every module: (i32 env) -> (i32 ExitReason). */
const TB_TYPE = 0;
const TB_FUNC_TYPE: FuncType = { params: [ValType.I32], results: [ValType.I32] };
/** Type index of a region function: (i32 env, i32 entry segment) -> (i32 ExitReason). */
const REGION_TYPE = 1;
const REGION_FUNC_TYPE: FuncType = { params: [ValType.I32, ValType.I32], results: [ValType.I32] };
const MAX_SLOTS = 1 << 20;
/** Blocks compiled earlier that a batch may pull into its regions (compile time grows with it). */
const MAX_PULLED = 48;
/** Slot 0 always holds the stub, so an empty jump-cache entry (pc 0, slot 0) is harmless. */
const STUB_SLOT = 0;

// Jump cache: direct-mapped 8-byte entries [pc low 32 bits, table slot], indexed by pc / 2
// (instructions are at least 2-byte aligned on RISC-V with C and on Thumb).
const JC_MASK = JUMP_CACHE_SIZE / 8 - 1;
const jumpCacheIndex = (pc: number): number => ((pc >>> 1) & JC_MASK) * 8;
const jumpCacheBase = (ctx: BackendContext): number => ctx.jumpCache ?? JUMP_CACHE;

const vt = (ty: Ty): ValType => (ty === 'i64' ? ValType.I64 : ValType.I32);

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
const L_ENV = 0;   // param
const L_SEG = 1;   // param: the segment to run (the entry block's at first), for the br_table
const L_EA = 2;    // i32: host address of a memory access; scratch
const L_IDX = 3;   // i32: jump-cache entry address
const N_I32 = 2;
const L_EA64 = 4;  // i64: the full effective address (the fault address)
const L_MX = 5;    // i64 x 6: operands and partial products of a 64-bit mulh
const N_I64 = 7;
const FIRST_TEMP_LOCAL = 2 + N_I32 + N_I64;
/** Control-stack tags besides label tags (labelBase + label, >= 0). */
const TAG_OTHER = -1;
const TAG_LOOP = -2;
const TAG_FAULT = -3;
/** The end of a memory access's checks. */
const TAG_OK = -4;
/** The dispatch block whose end starts segment s. */
const TAG_SEG = (s: number): number => -10 - s;

interface ModuleState {
  importFor(helper: number): number;
  slotFor(pc: number): number;
}

const sizeOf = (ty: Ty): number => (ty === 'i64' ? 8 : 4);

/** True when the blocks' globals can share one local per state slot: every slot is used with
 *  one type and no two slots overlap (otherwise a cached value could hide another's write). */
function globalsAgree(blocks: IRBlock[]): boolean {
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
 *  whole region, and a goto_tb between its blocks is a branch to a loop around a br_table on the
 *  segment number (shared/FACTS.md: one function with registers in locals runs 4x faster than
 *  per-block functions chained through the table). Segments start at each block's entry and,
 *  in blocks with backward branches, at each label; forward-only blocks nest their labels as
 *  wasm blocks inside their segment. */
class RegionCompiler {
  readonly w: CodeWriter;
  readonly locals: LocalDecl[];
  /** Segment number of each block's entry, by pc. */
  readonly entrySeg = new Map<number, number>();
  /** Globals by state offset: [offset, type, local]. */
  private readonly globals: [number, Ty, number][] = [];
  private readonly written: [number, Ty, number][] = [];
  private readonly localsOf: Int32Array[] = [];
  private readonly labelBases: number[] = [];
  private readonly dispatches: boolean[] = [];
  private readonly segOf: Int32Array;
  private readonly ctl: number[] = [];
  private segCount = 0;
  /** The segment being emitted. */
  private curSeg = -1;
  // The block being compiled.
  private b: IRBlock;
  private local: Int32Array;
  private labelBase = 0;
  private dispatch = false;
  private insnPc: number;

  constructor(private readonly blocks: IRBlock[], private readonly ctx: BackendContext,
    private readonly mod: ModuleState, listing: string[] | null, private readonly everyEdge: boolean) {
    this.w = new CodeWriter(listing);
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
    // Segments, in the order their code is laid out.
    let labels = 0;
    for (const b of blocks) { this.labelBases.push(labels); labels += b.labelCount; }
    this.segOf = new Int32Array(labels).fill(-1);
    blocks.forEach((b, bi) => {
      if (!this.entrySeg.has(b.pc)) this.entrySeg.set(b.pc, this.segCount);
      this.segCount++;
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
      if (backward) {
        for (const op of b.ops) if (op.opc === Opc.SetLabel) this.segOf[this.labelBases[bi] + op.args[0]] = this.segCount++;
      }
    });
    this.b = blocks[0];
    this.local = this.localsOf[0];
    this.insnPc = blocks[0].pc;
  }

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
    return this.ctl.length - 1 - this.ctl.lastIndexOf(tag);
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
  private writeBack(): void { for (const g of this.written) this.globalAccess(g, false); }

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

  /** Decrements the budget; leaves (budget <= 0) on the stack. */
  private budgetExhausted(): void {
    const w = this.w;
    const off = this.layout.budgetOffset;
    w.opU(O.local_get, L_ENV);
    w.opU(O.local_get, L_ENV);
    w.mem(O.i32_load, off);
    w.i32c(1);
    w.op(O.i32_sub);
    w.opU(O.local_tee, L_EA);
    w.mem(O.i32_store, off);
    w.opU(O.local_get, L_EA);
    w.i32c(0);
    w.op(O.i32_le_s);
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
    this.blocks.forEach((b, bi) => {
      this.b = b;
      this.local = this.localsOf[bi];
      this.labelBase = this.labelBases[bi];
      this.dispatch = this.dispatches[bi];
      this.insnPc = b.pc;
      this.endSegment(); // this block's entry segment starts here
      w.listing?.push(`;; TB pc=0x${b.pc.toString(16)}`);
      if (!this.dispatch) {
        // Forward branches only: one wasm block per label, ending where the label is set.
        const setLabels = b.ops.filter((op) => op.opc === Opc.SetLabel).map((op) => op.args[0]);
        for (let i = setLabels.length - 1; i >= 0; i--) this.open(O.block, BLOCK_VOID, this.labelBase + setLabels[i]);
      }
      for (const op of b.ops) this.op(op);
    });
    this.end();
    w.op(O.unreachable);
    this.end();
    // A memory fault: the access stored the fault address, kind and pc.
    this.writeBack();
    w.i32c(ExitReason.MemFault);
    w.op(O.end);
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
    if (this.tyOf(addr) === 'i64') {
      this.get(addr, 'i64');
      if (offset !== 0) { w.i64c(BigInt(offset)); w.op(O.i64_add); }
    } else {
      this.get(addr, 'i32');
      if (offset !== 0) { w.i32c(offset); w.op(O.i32_add); }
      w.op(O.i64_extend_i32_u);
    }
    w.opU(O.local_tee, L_EA64);
    w.op(O.i32_wrap_i64);
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
    w.opU(O.local_get, L_EA64);
    w.i64c(BigInt(WINDOW_SIZE - size));
    w.op(O.i64_gt_u);
    w.opU(O.br_if, 0);
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

  /** Records a fault of the access whose address is in L_EA64 and leaves for the MemFault exit. */
  private fault(kind: FaultKind): void {
    const w = this.w;
    w.opU(O.local_get, L_ENV);
    w.opU(O.local_get, L_EA64);
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
    this.access(addr, offset, sz, PROT_READ, FaultKind.Read, align === 1);
    this.w.opU(O.local_get, L_EA);
    this.w.mem((op.ty === 'i64' ? LOAD64 : LOAD32)[sz][signed], 0);
    this.set(d, op.ty);
  }

  private store(op: Op): void {
    const [v, addr, offset, size] = op.args;
    const sz = size as 1 | 2 | 4 | 8;
    this.access(addr, offset, sz, PROT_WRITE, FaultKind.Write);
    this.w.opU(O.local_get, L_EA);
    // An 8-byte store of an i32 value stores it zero-extended.
    const ty: Ty = op.ty === 'i64' || sz === 8 ? 'i64' : 'i32';
    this.get(v, ty);
    this.w.mem(ty === 'i64' ? STORE64[sz] : STORE32[sz as 1 | 2 | 4], 0);
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

  /** Every cycle of blocks has an edge to a pc at or below its source block's, so checking the
   *  budget on those edges alone (and at goto_ptr) still brings control back. */
  private gotoTb(pc: number): void {
    const w = this.w;
    const checkBudget = this.everyEdge || pc <= this.b.pc;
    const seg = this.entrySeg.get(pc);
    if (seg !== undefined && !this.everyEdge) {
      if (checkBudget) {
        this.budgetExhausted();
        this.open(O.if, BLOCK_VOID);
        this.writeBack();
        this.storePcConst(pc);
        this.exit(ExitReason.Next);
        this.end();
      }
      this.toSegment(seg);
      return;
    }
    this.writeBack();
    this.storePcConst(pc);
    if (checkBudget) {
      this.budgetExhausted();
      this.open(O.if, BLOCK_VOID);
      this.exit(ExitReason.Next);
      this.end();
    }
    w.opU(O.local_get, L_ENV);
    w.i32c(this.mod.slotFor(pc));
    w.indirect(O.return_call_indirect, TB_TYPE);
  }

  private gotoPtr(t: number): void {
    const w = this.w;
    const ty = this.tyOf(t);
    this.writeBack();
    this.storePc(() => this.get(t, ty), ty);
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

const gotoTargets = (b: IRBlock): number[] => b.ops.flatMap((op) => (op.opc === Opc.GotoTb ? [op.args[0]] : []));

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
  private lastBatch: IRBlock[] = [];
  /** Every block compiled since the last flush, and who chains to each pc by goto_tb. */
  private readonly compiled = new Map<number, IRBlock>();
  private readonly chainedFrom = new Map<number, number[]>();

  /** `everyEdge` (for -d exec/cpu, which traces each block): one block per region and a budget
   *  check at every chaining, so a budget of 1 returns to the loop after each block. */
  constructor(private readonly ctx: BackendContext, private readonly everyEdge = false) {
    const code = new CodeWriter();
    code.i32c(ExitReason.Next);
    code.op(O.end);
    const bytes = encodeModule([TB_FUNC_TYPE], [], [TB_TYPE], ['stub'], [{ locals: [], code }]);
    this.stub = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.stub;
    this.table = new WebAssembly.Table({ element: 'anyfunc', initial: 4096, maximum: MAX_SLOTS }, this.stub);
    // The cache may hold slots of an earlier backend of this vCPU index (another worker's table).
    this.clearJumpCache();
  }

  compile(requested: IRBlock[]): TbCode[] {
    const blocks = requested.concat(this.relatives(requested));
    for (const b of requested) {
      this.compiled.set(b.pc, b);
      for (const t of gotoTargets(b)) this.chainedFrom.set(t, [...(this.chainedFrom.get(t) ?? []), b.pc]);
    }
    const { types, imports, helperImports, bodies, regionCount } = this.generate(blocks, null);
    this.lastBatch = blocks;
    const names = blocks.map((_, i) => `f${i}`);
    const funcTypes = blocks.map(() => TB_TYPE).concat(Array(regionCount).fill(REGION_TYPE));
    const bytes = encodeModule(types, imports, funcTypes, names, bodies);
    const mem = this.ctx.mem;
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      e: { mem: mem.memory, tab: this.table },
      h: helperImports,
    });
    return blocks.map((b, i) => {
      const fn = inst.exports[names[i]] as TbCode;
      const slot = this.slotFor(b.pc);
      this.table.set(slot, fn);
      if (slot !== STUB_SLOT) {
        const e = jumpCacheBase(this.ctx) + jumpCacheIndex(b.pc);
        mem.view.setUint32(e, b.pc >>> 0, true);
        mem.view.setUint32(e + 4, slot, true);
      }
      return fn;
    }).slice(0, requested.length);
  }

  /** Blocks compiled earlier that chain to or from the new ones (a loop whose blocks got hot in
   *  different batches): compiled again with them, so the loop runs in one region; the table
   *  slots move to the new code and the old code chains into it. */
  private relatives(blocks: IRBlock[]): IRBlock[] {
    if (this.everyEdge) return [];
    const seen = new Set(blocks.map((b) => b.pc));
    const out: IRBlock[] = [];
    const todo = [...seen];
    while (todo.length && out.length < MAX_PULLED) {
      const pc = todo.shift()!;
      const b = this.compiled.get(pc) ?? blocks.find((x) => x.pc === pc)!;
      for (const n of gotoTargets(b).concat(this.chainedFrom.get(pc) ?? [])) {
        const old = this.compiled.get(n);
        if (!old || seen.has(n) || out.length >= MAX_PULLED) continue;
        seen.add(n);
        out.push(old);
        todo.push(n);
      }
    }
    return out;
  }

  flush(): void {
    this.compiled.clear();
    this.chainedFrom.clear();
    for (let s = STUB_SLOT + 1; s < this.nextSlot; s++) this.table.set(s, this.stub);
    this.clearJumpCache();
  }

  private clearJumpCache(): void {
    const base = jumpCacheBase(this.ctx);
    this.ctx.mem.u8.fill(0, base, base + JUMP_CACHE_SIZE);
  }

  /** A WAT-like listing of the last batch, for -d out_asm: generated again on demand (code
   *  generation is deterministic), so compile() pays nothing for it. */
  listing(): string {
    const text: string[] = [];
    this.generate(this.lastBatch, text);
    return text.join('\n');
  }

  /** Function bodies for a batch, with the module's types and helper imports. */
  private generate(blocks: IRBlock[], listing: string[] | null) {
    const helpers = this.ctx.helpers;
    const types: FuncType[] = [TB_FUNC_TYPE, REGION_FUNC_TYPE];
    const imports: Import[] = [
      { module: 'e', name: 'mem', kind: 'memory', min: 65536, max: 65536, shared: true },
      { module: 'e', name: 'tab', kind: 'table', min: 1 },
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
    const regions = this.regionsOf(blocks);
    const compiled = regions.map((r, ri) => {
      listing?.push(`;; region ${ri}`);
      const rc = new RegionCompiler(r.map((i) => blocks[i]), this.ctx, mod, listing, this.everyEdge);
      rc.compile();
      return rc;
    });
    // Functions: one entry per block (exported, the target of its table slot), then the regions.
    const firstRegion = importIdx.size + blocks.length;
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
    const bodies = entries.concat(compiled.map((rc) => ({ locals: rc.locals, code: rc.w })));
    return { types, imports, helperImports, bodies, regionCount: regions.length };
  }

  /** Splits a batch into regions: the groups of blocks linked by goto_tb between them (blocks
   *  of one loop), as lists of batch indices. */
  private regionsOf(blocks: IRBlock[]): number[][] {
    if (this.everyEdge) return blocks.map((_, i) => [i]);
    const byPc = new Map<number, number>();
    blocks.forEach((b, i) => { if (!byPc.has(b.pc)) byPc.set(b.pc, i); });
    const parent = blocks.map((_, i) => i);
    const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
    blocks.forEach((b, i) => {
      for (const op of b.ops) {
        const j = op.opc === Opc.GotoTb ? byPc.get(op.args[0]) : undefined;
        if (j !== undefined) parent[root(i)] = root(j);
      }
    });
    const groups = new Map<number, number[]>();
    blocks.forEach((_, i) => {
      const r = root(i);
      groups.set(r, [...(groups.get(r) ?? []), i]);
    });
    // In pc order, so that forward edges (most of them) are forward branches, not br_table.
    for (const g of groups.values()) g.sort((x, y) => blocks[x].pc - blocks[y].pc);
    return [...groups.values()].flatMap((g) => (globalsAgree(g.map((i) => blocks[i])) ? [g] : g.map((i) => [i])));
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
