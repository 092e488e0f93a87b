// RV64M: integer multiplication and division (RISC-V unprivileged ISA, chapter 13). The IR's
// division ops already give the RISC-V results for a zero divisor and for MIN / -1.
import { Opc } from '../../tcg/ir.js';
import type { TransFn } from './decode.js';
import { M_F7, Row, binop, binopW, enc, table } from './int-emit.js';
import { OP_REG, OP_REG32 } from './rvi.js';

const RVM_TRANS: Record<string, TransFn> = {
  mul: binop(Opc.Mul), mulh: binop(Opc.MulHS), mulhsu: binop(Opc.MulHSU), mulhu: binop(Opc.MulHU),
  div: binop(Opc.DivS), divu: binop(Opc.DivU), rem: binop(Opc.RemS), remu: binop(Opc.RemU),
  mulw: binopW(Opc.Mul), divw: binopW(Opc.DivS), divuw: binopW(Opc.DivU),
  remw: binopW(Opc.RemS), remuw: binopW(Opc.RemU),
};

// funct7 = 0000001 throughout; funct3 selects the operation.
const rows: Row[] = [
  ...['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu']
    .map((n, f3): Row => [n, M_F7, enc(1, f3, OP_REG), 'R']),
  ...([['mulw', 0], ['divw', 4], ['divuw', 5], ['remw', 6], ['remuw', 7]] as const)
    .map(([n, f3]): Row => [n, M_F7, enc(1, f3, OP_REG32), 'R']),
];

export const RVM_PATTERNS = table(RVM_TRANS, rows);
