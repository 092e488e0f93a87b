// IR optimizer: constant folding and copy propagation over one block (a pure IRBlock -> IRBlock
// function). It only rewrites which temps an op reads and replaces ops whose inputs are all
// constants by moves; it never removes a write, so globals, faults and exits stay exact. Memory
// ops (loads, stores, atomics) are side effects: kept, in order, only their operand temps
// rewritten. Facts are forgotten at labels (join points, the target of a backward branch such
// as a cmpxchg retry loop's included) and, for globals, across helpers that write them.
import { Cond, Helper, HelperFlags, IRBlock, Op, Opc, TempInfo, TempKind, Ty } from './ir.js';
import { compare, evalArith } from './interp-backend.js';
import { destTemp, isUnary, sourceArgs } from './ir-operands.js';

/** Operand and result types of the ops evalArith folds; others (same-type ops) use op.ty. */
const CONVERSIONS: Partial<Record<Opc, [Ty, Ty]>> = {
  [Opc.ExtUI32I64]: ['i32', 'i64'], [Opc.ExtSI32I64]: ['i32', 'i64'], [Opc.TruncI64I32]: ['i64', 'i32'],
};
const FOLDABLE = (opc: Opc): boolean => opc <= Opc.TruncI64I32; // Mov ... TruncI64I32 (ir.ts order)

/** `helpers` are the ones the block's Call ops index (their flags say which calls write globals). */
export function optimize(block: IRBlock, helpers: readonly Helper[]): IRBlock {
  const temps: TempInfo[] = block.temps.slice();
  // Constant temps by type and value (bigint keys compare by value).
  const consts = { i32: new Map<bigint, number>(), i64: new Map<bigint, number>() };
  temps.forEach((t, i) => { if (t.kind === TempKind.Const) consts[t.ty].set(t.value, i); });
  const constTemp = (ty: Ty, value: bigint): number => {
    const v = BigInt.asUintN(ty === 'i64' ? 64 : 32, value);
    let id = consts[ty].get(v);
    if (id === undefined) {
      id = temps.length;
      temps.push({ ty, kind: TempKind.Const, offset: 0, value: v, name: '' });
      consts[ty].set(v, id);
    }
    return id;
  };
  const isConst = (t: number): boolean => temps[t].kind === TempKind.Const;
  const isGlobal = (t: number): boolean => temps[t].kind === TempKind.Global;

  /** known.get(t) = a temp (constant or copy source) holding the same value as t right now;
   *  copiesOf.get(s) = the temps that were made copies of s (some may have changed since:
   *  known says which still are), so that a write to s forgets them without a scan. */
  const known = new Map<number, number>();
  const copiesOf = new Map<number, number[]>();
  const forget = (t: number): void => {
    known.delete(t);
    for (const k of copiesOf.get(t) ?? []) if (known.get(k) === t) known.delete(k);
    copiesOf.delete(t);
  };
  const forgetGlobals = (): void => {
    for (const [k, v] of known) if (isGlobal(k) || isGlobal(v)) known.delete(k);
  };

  const out: Op[] = [];
  for (const orig of block.ops) {
    const op: Op = { opc: orig.opc, ty: orig.ty, args: orig.args.slice() };
    for (const p of sourceArgs(op)) {
      const r = known.get(op.args[p]);
      if (r !== undefined) op.args[p] = r;
    }
    const folded = fold(op);
    if (folded === 'drop') continue;
    const result = folded ?? op;
    out.push(result);
    if (result.opc === Opc.SetLabel) {
      known.clear();
      copiesOf.clear();
    }
    if (result.opc === Opc.Call && helpers[result.args[0]].flags & HelperFlags.WritesGlobals) forgetGlobals();
    const d = destTemp(result);
    if (d < 0) continue;
    forget(d);
    if (result.opc === Opc.Mov && temps[result.args[1]].ty === temps[d].ty && result.args[1] !== d) {
      const s = result.args[1];
      known.set(d, s);
      const copies = copiesOf.get(s);
      if (copies) copies.push(d); else copiesOf.set(s, [d]);
    }
  }
  return { ...block, ops: out, temps };

  /** A replacement for an op whose inputs are constants: a move, a branch, or nothing. */
  function fold(op: Op): Op | 'drop' | null {
    const a = op.args;
    switch (op.opc) {
      case Opc.BrCond:
        if (!isConst(a[0]) || !isConst(a[1]) || temps[a[0]].ty !== temps[a[1]].ty) return null;
        return compare(a[2] as Cond, op.ty, temps[a[0]].value, temps[a[1]].value)
          ? { opc: Opc.Br, ty: 'i64', args: [a[3]] } : 'drop';
      case Opc.SetCond: {
        if (!isConst(a[1]) || !isConst(a[2]) || temps[a[1]].ty !== temps[a[2]].ty) return null;
        const dTy = temps[a[0]].ty;
        const v = compare(a[3] as Cond, op.ty, temps[a[1]].value, temps[a[2]].value) ? 1n : 0n;
        return { opc: Opc.Mov, ty: dTy, args: [a[0], constTemp(dTy, v)] };
      }
      case Opc.MovCond: {
        if (!isConst(a[1]) || !isConst(a[2]) || temps[a[1]].ty !== temps[a[2]].ty) return null;
        const pick = compare(a[5] as Cond, temps[a[1]].ty, temps[a[1]].value, temps[a[2]].value) ? a[3] : a[4];
        const dTy = temps[a[0]].ty;
        return temps[pick].ty === dTy ? { opc: Opc.Mov, ty: dTy, args: [a[0], pick] } : null;
      }
    }
    if (!FOLDABLE(op.opc) || op.opc === Opc.Mov) return null;
    const srcs = isUnary(op.opc) ? [a[1]] : [a[1], a[2]];
    const [srcTy, dTy] = CONVERSIONS[op.opc] ?? [op.ty, op.ty];
    if (!srcs.every((t) => isConst(t) && temps[t].ty === srcTy) || temps[a[0]].ty !== dTy) return null;
    const v = evalArith(op.opc, op.ty, temps[srcs[0]].value, srcs.length > 1 ? temps[srcs[1]].value : 0n);
    return { opc: Opc.Mov, ty: dTy, args: [a[0], constTemp(dTy, v)] };
  }
}
