// Zba, Zbb and Zbs: address generation, basic bit manipulation and single-bit instructions
// (RISC-V Bit-Manipulation ISA-extensions 1.0.0, chapter 2), RV64 forms.
import { Cond, Opc } from '../../tcg/ir.js';
import type { TransFn } from './decode.js';
import type { DisasContext } from './disas-context.js';
import {
  M_F12, M_F6, M_F7, Row, binop, binopImm, binopImmW, binopNot, binopW, dst, enc, table, unop, unopW,
} from './int-emit.js';
import { OP_IMM, OP_IMM32, OP_REG, OP_REG32 } from './rvi.js';

/** Zero-extends the low word of rs1 (the .uw forms). */
function zext32(s: DisasContext, rs1: number): number {
  const t = s.b.temp('i64');
  s.b.unop(Opc.Ext32U, t, s.gpr(rs1));
  return t;
}

/** rd = (rs1 << n) + rs2, rs1 zero-extended from 32 bits for the .uw forms. */
const shadd = (n: number, uw: boolean): TransFn => (s, a) => {
  const t = s.b.temp('i64');
  s.b.shl(t, uw ? zext32(s, a.rs1) : s.gpr(a.rs1), s.b.c64(n));
  s.b.add(dst(s, a.rd), t, s.gpr(a.rs2));
  return true;
};

const minmax = (cond: Cond): TransFn => (s, a) => {
  const x = s.gpr(a.rs1), y = s.gpr(a.rs2);
  s.b.movcond(cond, dst(s, a.rd), x, y, x, y);
  return true;
};

/** The mask 1 << (index mod 64), the index from rs2 or the immediate. */
function bitMask(s: DisasContext, index: number): number {
  const m = s.b.temp('i64');
  s.b.shl(m, s.b.c64(1), index);
  return m;
}
type BitOp = (s: DisasContext, rd: number, x: number, m: number) => void;
const bitOp = (op: BitOp, imm: boolean): TransFn => (s, a) => {
  op(s, dst(s, a.rd), s.gpr(a.rs1), bitMask(s, imm ? s.b.c64(a.imm) : s.gpr(a.rs2)));
  return true;
};
const bclr: BitOp = (s, d, x, m) => {
  s.b.unop(Opc.Not, m, m);
  s.b.and(d, x, m);
};
const bext: BitOp = (s, d, x, m) => {
  const t = s.b.temp('i64');
  s.b.and(t, x, m);
  s.b.setcond(Cond.NE, d, t, s.b.c64(0));
};
const binv: BitOp = (s, d, x, m) => s.b.xor(d, x, m);
const bset: BitOp = (s, d, x, m) => s.b.or(d, x, m);

const BYTES_LOW7 = 0x7f7f7f7f7f7f7f7fn;

const ZB_TRANS: Record<string, TransFn> = {
  // Zba
  sh1add: shadd(1, false), sh2add: shadd(2, false), sh3add: shadd(3, false),
  'add.uw': shadd(0, true), 'sh1add.uw': shadd(1, true), 'sh2add.uw': shadd(2, true),
  'sh3add.uw': shadd(3, true),
  'slli.uw': (s, a) => {
    s.b.shl(dst(s, a.rd), zext32(s, a.rs1), s.b.c64(a.imm));
    return true;
  },
  // Zbb
  andn: binopNot(Opc.And), orn: binopNot(Opc.Or), xnor: binopNot(Opc.Xor),
  clz: unop(Opc.Clz), ctz: unop(Opc.Ctz), cpop: unop(Opc.Popcnt),
  clzw: unopW(Opc.Clz), ctzw: unopW(Opc.Ctz), cpopw: unopW(Opc.Popcnt),
  max: minmax(Cond.GT), maxu: minmax(Cond.GTU), min: minmax(Cond.LT), minu: minmax(Cond.LTU),
  'sext.b': unop(Opc.Ext8S), 'sext.h': unop(Opc.Ext16S), 'zext.h': unop(Opc.Ext16U),
  rol: binop(Opc.Rotl), ror: binop(Opc.Rotr), rori: binopImm(Opc.Rotr),
  rolw: binopW(Opc.Rotl), rorw: binopW(Opc.Rotr), roriw: binopImmW(Opc.Rotr),
  // Each byte becomes 0xff if nonzero, else 0: adding 0x7f to the low 7 bits of a byte carries
  // into its top bit iff those bits are nonzero; or-ing x adds the byte's own top bit. The top
  // bits, moved to bit 0 of each byte and multiplied by 0xff, fill their bytes without carries.
  'orc.b': (s, a) => {
    const b = s.b;
    const x = s.gpr(a.rs1);
    const t = b.temp('i64');
    b.and(t, x, b.c64(BYTES_LOW7));
    b.add(t, t, b.c64(BYTES_LOW7));
    b.or(t, t, x);
    b.shr(t, t, b.c64(7));
    b.and(t, t, b.c64(0x0101010101010101n));
    b.binop(Opc.Mul, dst(s, a.rd), t, b.c64(0xff));
    return true;
  },
  // Byte reversal in three swaps: adjacent bytes, then halfwords, then words.
  rev8: (s, a) => {
    const b = s.b;
    let x = s.gpr(a.rs1);
    for (const [sh, mask] of [[8, 0x00ff00ff00ff00ffn], [16, 0x0000ffff0000ffffn]] as const) {
      const hi = b.temp('i64');
      const lo = b.temp('i64');
      b.shr(hi, x, b.c64(sh));
      b.and(hi, hi, b.c64(mask));
      b.and(lo, x, b.c64(mask));
      b.shl(lo, lo, b.c64(sh));
      const r = b.temp('i64');
      b.or(r, hi, lo);
      x = r;
    }
    b.binop(Opc.Rotl, dst(s, a.rd), x, b.c64(32));
    return true;
  },
  // Zbs
  bclr: bitOp(bclr, false), bclri: bitOp(bclr, true), bext: bitOp(bext, false),
  bexti: bitOp(bext, true), binv: bitOp(binv, false), binvi: bitOp(binv, true),
  bset: bitOp(bset, false), bseti: bitOp(bset, true),
};

const r = (name: string, f7: number, f3: number, opcode: number): Row =>
  [name, M_F7, enc(f7, f3, opcode), 'R'];
/** A unary op: funct7 and the rs2 field select it. */
const u = (name: string, f7: number, rs2: number, f3: number, opcode: number): Row =>
  [name, M_F12, enc(f7, f3, opcode, rs2), 'R'];
/** An RV64 immediate shift-like op: funct6 and a 6-bit shamt. */
const sh = (name: string, f6: number, f3: number): Row => [name, M_F6, enc(f6 << 1, f3, OP_IMM), 'SH'];

export const ZBA_PATTERNS = table(ZB_TRANS, [
  r('sh1add', 0x10, 2, OP_REG), r('sh2add', 0x10, 4, OP_REG), r('sh3add', 0x10, 6, OP_REG),
  r('add.uw', 0x04, 0, OP_REG32), r('sh1add.uw', 0x10, 2, OP_REG32),
  r('sh2add.uw', 0x10, 4, OP_REG32), r('sh3add.uw', 0x10, 6, OP_REG32),
  ['slli.uw', M_F6, enc(0x02 << 1, 1, OP_IMM32), 'SH'],
]);

export const ZBB_PATTERNS = table(ZB_TRANS, [
  r('andn', 0x20, 7, OP_REG), r('orn', 0x20, 6, OP_REG), r('xnor', 0x20, 4, OP_REG),
  u('clz', 0x30, 0, 1, OP_IMM), u('ctz', 0x30, 1, 1, OP_IMM), u('cpop', 0x30, 2, 1, OP_IMM),
  u('clzw', 0x30, 0, 1, OP_IMM32), u('ctzw', 0x30, 1, 1, OP_IMM32), u('cpopw', 0x30, 2, 1, OP_IMM32),
  r('max', 0x05, 6, OP_REG), r('maxu', 0x05, 7, OP_REG), r('min', 0x05, 4, OP_REG),
  r('minu', 0x05, 5, OP_REG),
  u('sext.b', 0x30, 4, 1, OP_IMM), u('sext.h', 0x30, 5, 1, OP_IMM), u('zext.h', 0x04, 0, 4, OP_REG32),
  r('rol', 0x30, 1, OP_REG), r('ror', 0x30, 5, OP_REG), sh('rori', 0x18, 5),
  r('rolw', 0x30, 1, OP_REG32), r('rorw', 0x30, 5, OP_REG32),
  ['roriw', M_F7, enc(0x30, 5, OP_IMM32), 'SH'],
  u('orc.b', 0x14, 7, 5, OP_IMM), u('rev8', 0x35, 0x18, 5, OP_IMM),
]);

export const ZBS_PATTERNS = table(ZB_TRANS, [
  r('bclr', 0x24, 1, OP_REG), sh('bclri', 0x12, 1), r('bext', 0x24, 5, OP_REG), sh('bexti', 0x12, 5),
  r('binv', 0x34, 1, OP_REG), sh('binvi', 0x1a, 1), r('bset', 0x14, 1, OP_REG), sh('bseti', 0x0a, 1),
]);
