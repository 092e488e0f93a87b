// Which operands of an op are temps, read or written: the op layouts of ir.ts as data, for the
// passes that walk a block (the wasm backend's register allocation, the optimizer).
import { Op, Opc } from './ir.js';

/** Positions in op.args of the temps the op reads. */
export function sourceArgs(op: Op): number[] {
  switch (op.opc) {
    case Opc.SetCond: return [1, 2];
    case Opc.MovCond: return [1, 2, 3, 4];
    case Opc.FMulAdd: return [1, 2, 3];
    case Opc.BrCond: return [0, 1];
    case Opc.Ld: return [1];
    case Opc.St: return [0, 1];
    case Opc.AtomicCmpxchg: return [1, 5, 6];
    case Opc.AtomicRmw: return [1, 5];
    case Opc.Call: return op.args.slice(2).map((_, i) => i + 2);
    case Opc.GotoPtr: return [0];
    case Opc.Br: case Opc.SetLabel: case Opc.InsnStart: case Opc.GotoTb: case Opc.ExitTb: return [];
    default: return isUnary(op.opc) ? [1] : [1, 2];
  }
}

/** The temp the op writes, or -1. */
export function destTemp(op: Op): number {
  switch (op.opc) {
    case Opc.Call: return op.args[1];
    case Opc.BrCond: case Opc.St: case Opc.GotoPtr: case Opc.Br: case Opc.SetLabel:
    case Opc.InsnStart: case Opc.GotoTb: case Opc.ExitTb: return -1;
    default: return op.args[0];
  }
}

/** Ops of the form d = OP a (the rest of the arithmetic set is d = a OP b). */
export function isUnary(opc: Opc): boolean {
  return opc === Opc.Mov || (opc >= Opc.Neg && opc <= Opc.TruncI64I32) || opc === Opc.FSqrt;
}
