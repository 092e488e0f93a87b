// The op builder frontends call: allocates temps and labels and appends ops to an IRBlock.
import { Cond, ExitReason, Helper, IRBlock, MemOp, Op, Opc, RmwOp, TempInfo, TempKind, Ty } from './ir.js';

const MASK = { i32: (1n << 32n) - 1n, i64: (1n << 64n) - 1n };

/** The ops after which a frontend ends its block at the next instruction boundary, as qemu's
 *  translator stops when its op buffer is nearly full. NEON code reached 8,000 ops in one
 *  block of 160 instructions: V8's optimizing compiler spent most of a 20 s run on such
 *  functions (200 KB of wasm each), against 0.1-0.2 s for one of 1,000-1,500 ops. Scalar code
 *  ends blocks at branches long before this. Regions are bounded too (wasm-backend.ts). */
export const MAX_BLOCK_OPS = 1000;

export class IRBuilder {
  readonly ops: Op[] = [];
  readonly temps: TempInfo[] = [];
  private labels = 0;
  /** Const temps by value, one map per type: bigint keys compare by value, where a string key
   *  cost a bigint-to-decimal conversion for every constant a frontend asks for. */
  private readonly consts = { i32: new Map<bigint, number>(), i64: new Map<bigint, number>() };
  private readonly globals = new Map<number, number>();

  constructor(readonly helpers: Helper[]) {}

  /** Whether the block has reached its op budget (MAX_BLOCK_OPS). */
  get full(): boolean {
    return this.ops.length >= MAX_BLOCK_OPS;
  }

  /** A global temp for the state slot at `offset` (one temp per slot per block). */
  global(ty: Ty, offset: number, name: string): number {
    const known = this.globals.get(offset);
    if (known !== undefined) return known;
    const id = this.push({ ty, kind: TempKind.Global, offset, value: 0n, name });
    this.globals.set(offset, id);
    return id;
  }
  temp(ty: Ty): number {
    return this.push({ ty, kind: TempKind.Local, offset: 0, value: 0n, name: '' });
  }
  const(ty: Ty, v: bigint | number): number {
    const value = BigInt.asUintN(ty === 'i64' ? 64 : 32, BigInt(v));
    const byValue = this.consts[ty];
    const known = byValue.get(value);
    if (known !== undefined) return known;
    const id = this.push({ ty, kind: TempKind.Const, offset: 0, value, name: '' });
    byValue.set(value, id);
    return id;
  }
  c64(v: bigint | number): number { return this.const('i64', v); }
  c32(v: bigint | number): number { return this.const('i32', v); }
  label(): number { return this.labels++; }

  private push(t: TempInfo): number {
    this.temps.push(t);
    return this.temps.length - 1;
  }
  ty(t: number): Ty { return this.temps[t].ty; }
  isConst(t: number): boolean { return this.temps[t].kind === TempKind.Const; }
  constValue(t: number): bigint { return this.temps[t].value; }

  emit(opc: Opc, ty: Ty, ...args: number[]): void {
    this.ops.push({ opc, ty, args });
  }

  // Typed conveniences: the type comes from the destination temp.
  mov(d: number, a: number): void { this.emit(Opc.Mov, this.ty(d), d, a); }
  movi(d: number, v: bigint | number): void { this.mov(d, this.const(this.ty(d), v)); }
  binop(opc: Opc, d: number, a: number, b: number): void { this.emit(opc, this.ty(d), d, a, b); }
  unop(opc: Opc, d: number, a: number): void { this.emit(opc, this.ty(d), d, a); }
  add(d: number, a: number, b: number): void { this.binop(Opc.Add, d, a, b); }
  addi(d: number, a: number, imm: bigint | number): void { this.binop(Opc.Add, d, a, this.const(this.ty(d), imm)); }
  sub(d: number, a: number, b: number): void { this.binop(Opc.Sub, d, a, b); }
  and(d: number, a: number, b: number): void { this.binop(Opc.And, d, a, b); }
  or(d: number, a: number, b: number): void { this.binop(Opc.Or, d, a, b); }
  xor(d: number, a: number, b: number): void { this.binop(Opc.Xor, d, a, b); }
  shl(d: number, a: number, b: number): void { this.binop(Opc.Shl, d, a, b); }
  shr(d: number, a: number, b: number): void { this.binop(Opc.Shr, d, a, b); }
  sar(d: number, a: number, b: number): void { this.binop(Opc.Sar, d, a, b); }
  setcond(cond: Cond, d: number, a: number, b: number): void {
    this.emit(Opc.SetCond, this.ty(a), d, a, b, cond);
  }
  movcond(cond: Cond, d: number, c1: number, c2: number, v1: number, v2: number): void {
    this.emit(Opc.MovCond, this.ty(d), d, c1, c2, v1, v2, cond);
  }
  brcond(cond: Cond, a: number, b: number, label: number): void {
    this.emit(Opc.BrCond, this.ty(a), a, b, cond, label);
  }
  br(label: number): void { this.emit(Opc.Br, 'i64', label); }
  setLabel(label: number): void { this.emit(Opc.SetLabel, 'i64', label); }
  ld(d: number, addr: number, offset: number, mop: MemOp): void {
    this.emit(Opc.Ld, this.ty(d), d, addr, offset, mop.size, mop.signed ? 1 : 0, mop.align ? 1 : 0);
  }
  st(v: number, addr: number, offset: number, size: MemOp['size']): void {
    this.emit(Opc.St, this.ty(v), v, addr, offset, size);
  }
  /** d = the old value at addr + offset; stores `desired` there iff it was `expected`. */
  atomicCmpxchg(d: number, addr: number, offset: number, expected: number, desired: number, mop: MemOp): void {
    this.emit(Opc.AtomicCmpxchg, this.atomicTy(d, mop), d, addr, offset, mop.size, mop.signed ? 1 : 0, expected, desired);
  }
  /** d = the old value at addr + offset; stores (old OP v) there. */
  atomicRmw(op: RmwOp, d: number, addr: number, offset: number, v: number, mop: MemOp): void {
    this.emit(Opc.AtomicRmw, this.atomicTy(d, mop), d, addr, offset, mop.size, mop.signed ? 1 : 0, v, op);
  }
  private atomicTy(d: number, mop: MemOp): Ty {
    const ty = this.ty(d);
    if (mop.size === 8 && ty !== 'i64') throw new Error('an 8-byte atomic needs an i64 destination');
    return ty;
  }
  /** Calls helper `h` (an index into the helpers array given to the builder). */
  call(h: number, d: number | null, ...args: number[]): void {
    this.emit(Opc.Call, 'i64', h, d ?? -1, ...args);
  }
  insnStart(pc: number): void { this.emit(Opc.InsnStart, 'i64', pc); }
  gotoTb(pc: number): void { this.emit(Opc.GotoTb, 'i64', pc); }
  gotoPtr(t: number): void { this.emit(Opc.GotoPtr, this.ty(t), t); }
  exitTb(reason: ExitReason, pc: number): void { this.emit(Opc.ExitTb, 'i64', reason, pc); }

  finish(pc: number, size: number, insnCount: number): IRBlock {
    return { pc, size, insnCount, ops: this.ops, temps: this.temps, labelCount: this.labels };
  }
}

export { MASK as TY_MASK };
