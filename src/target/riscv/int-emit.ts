// Pieces shared by the integer translators (rvi, rvm, rva, zicsr, zb): the pattern-table builder,
// the encoding shorthands for match values, and the IR shapes that repeat across extensions.
import { Opc } from '../../tcg/ir.js';
import type { Format, Pattern, TransFn } from './decode.js';
import type { DisasContext } from './disas-context.js';

// Masks of the base encodings (RISC-V unprivileged ISA, 2.2 and the opcode map in chapter 34).
export const M_OPC = 0x0000007f; // opcode only (U, J)
export const M_F3 = 0x0000707f; // + funct3 (I, S, B)
export const M_F7 = 0xfe00707f; // + funct7 (R)
export const M_F6 = 0xfc00707f; // + funct6 (RV64 immediate shifts: 6-bit shamt)
export const M_F12 = 0xfff0707f; // + funct7 and rs2 (unary R ops, fixed imm[11:0])
export const M_ALL = 0xffffffff;

/** Match value of an R-type (or shift, with f7 = funct6 << 1) encoding. */
export const enc = (f7: number, f3: number, opcode: number, rs2 = 0): number =>
  ((f7 << 25) | (rs2 << 20) | (f3 << 12) | opcode) >>> 0;

export type Row = [name: string, mask: number, match: number, format: Format];

/** Builds a pattern table: each row's translate function is `trans[name]`. */
export function table(trans: Record<string, TransFn>, rows: Row[]): Pattern[] {
  return rows.map(([name, mask, match, format]) => {
    const fn = trans[name];
    if (!fn) throw new Error(`no translate function for ${name}`);
    return { name, mask: mask >>> 0, match: match >>> 0, format, trans: fn };
  });
}

/** Destination temp for x[rd]: its global, or a scratch temp when rd is x0 (the value is
 *  computed, for any side effect such as a load fault, and dropped). */
export function dst(s: DisasContext, rd: number): number {
  return rd === 0 ? s.b.temp('i64') : s.gpr(rd);
}

/** rd = rs1 OP rs2 on 64 bits. */
export const binop = (opc: Opc): TransFn => (s, a) => {
  s.b.binop(opc, dst(s, a.rd), s.gpr(a.rs1), s.gpr(a.rs2));
  return true;
};

/** rd = rs1 OP imm on 64 bits (I-type immediates and shift amounts alike). */
export const binopImm = (opc: Opc): TransFn => (s, a) => {
  s.b.binop(opc, dst(s, a.rd), s.gpr(a.rs1), s.b.c64(a.imm));
  return true;
};

/** rd = rs1 OP rs2 with the second operand inverted (andn, orn, xnor). */
export const binopNot = (opc: Opc): TransFn => (s, a) => {
  const t = s.b.temp('i64');
  s.b.unop(Opc.Not, t, s.gpr(a.rs2));
  s.b.binop(opc, dst(s, a.rd), s.gpr(a.rs1), t);
  return true;
};

/** rd = OP rs1 on 64 bits. */
export const unop = (opc: Opc): TransFn => (s, a) => {
  s.b.unop(opc, dst(s, a.rd), s.gpr(a.rs1));
  return true;
};

/** The W form of an op: OP on the low 32 bits of the operands, the 32-bit result sign-extended
 *  into rd. The IR's 32-bit shift counts are taken mod 32 and its 32-bit division has the
 *  RISC-V results, so this one shape covers addw..sraw, mulw and divw..remuw. */
function opW(s: DisasContext, opc: Opc, rd: number, x: number, y: number | null): void {
  const b = s.b;
  const a32 = b.temp('i32');
  b.unop(Opc.TruncI64I32, a32, x);
  const r32 = b.temp('i32');
  if (y === null) {
    b.unop(opc, r32, a32);
  } else {
    let b32 = y;
    if (b.ty(y) === 'i64') {
      b32 = b.temp('i32');
      b.unop(Opc.TruncI64I32, b32, y);
    }
    b.binop(opc, r32, a32, b32);
  }
  b.unop(Opc.ExtSI32I64, dst(s, rd), r32);
}

export const binopW = (opc: Opc): TransFn => (s, a) => {
  opW(s, opc, a.rd, s.gpr(a.rs1), s.gpr(a.rs2));
  return true;
};
export const binopImmW = (opc: Opc): TransFn => (s, a) => {
  opW(s, opc, a.rd, s.gpr(a.rs1), s.b.c32(a.imm));
  return true;
};
/** A unary op on the low 32 bits (clzw, ctzw, cpopw): its count (at most 32) goes to rd. */
export const unopW = (opc: Opc): TransFn => (s, a) => {
  opW(s, opc, a.rd, s.gpr(a.rs1), null);
  return true;
};
