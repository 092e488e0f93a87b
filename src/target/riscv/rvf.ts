// The F extension (RISC-V unprivileged ISA, chapter 11), and the per-format patterns and
// translators it shares with D (chapter 12: the same instructions with fmt = 01).
// Arithmetic goes through the helpers of fp-helpers.ts, after the inline fast paths of
// inline-fp.ts where there are some; loads, stores, moves and sign injection are plain bit
// operations done in IR.
import { Cond, Opc } from '../../tcg/ir.js';
import { FloatOp, fastArith, fusedMulAddF64, int32ToF64, orderedKey } from '../../fpu/inline-fp.js';
import { FFLAGS, FRM } from './cpu-state.js';
import { Args, Pattern, TransFn } from './decode.js';
import { DisasContext } from './disas-context.js';
import { packOperands } from './fp-helpers.js';

const OP_FP = 0x53;
const BOX = 0xffffffff00000000n; // the upper half of a NaN-boxed binary32 (11.2)
const BOXED_CANONICAL_NAN = 0xffffffff7fc00000n;

/** An OP-FP pattern: funct7 (fmt in its low two bits), plus an optionally fixed rs2 / funct3. */
export function opFp(name: string, funct7: number, fixed: { rs2?: number; funct3?: number }, trans: TransFn): Pattern {
  let mask = 0xfe00007f;
  let match = (funct7 << 25) | OP_FP;
  if (fixed.rs2 !== undefined) { mask |= 0x1f << 20; match |= fixed.rs2 << 20; }
  if (fixed.funct3 !== undefined) { mask |= 7 << 12; match |= fixed.funct3 << 12; }
  return { name, mask: mask >>> 0, match: match >>> 0, format: 'R', trans };
}

/** Checks the rounding mode: 5 and 6 are reserved (illegal at translation); 7 (dynamic) is
 *  checked in IR against FRM, whose values 5..7 are illegal too (11.2). Done in IR rather than by
 *  a raising helper so helpers stay free of exceptions. */
function checkRm(s: DisasContext, rm: number): boolean {
  if (rm === 5 || rm === 6) return false;
  if (rm === 7) {
    const ok = s.b.label();
    s.b.brcond(Cond.LTU, s.b.global('i32', FRM, 'frm'), s.b.c32(5), ok);
    s.illegal();
    s.ended = false; // a conditional raise: translation goes on along the ok path
    s.b.setLabel(ok);
  }
  return true;
}

/** An instruction done by the helper of the same name (dots become underscores). */
export function helperInsn(name: string, usesRm: boolean): TransFn {
  const helper = name.replace(/\./g, '_');
  return (s, a) => {
    if (usesRm && !checkRm(s, a.rm)) return false;
    s.b.call(s.helper(helper), null, s.b.c32(packOperands(a)));
    return true;
  };
}

/** Branches to `slow` unless the instruction rounds to nearest even and FFLAGS already holds NX:
 *  the state in which a result that is normal and finite can raise no new flag, so an inline
 *  path needs no flag logic (programs rarely clear NX once an inexact operation has set it).
 *  False when the static rm is not RNE (no inline path then). */
function guardNearestNx(s: DisasContext, rm: number, slow: number): boolean {
  if (rm !== 0 && rm !== 7) return false;
  const b = s.b;
  const nx = b.temp('i32');
  b.and(nx, b.global('i32', FFLAGS, 'fflags'), b.c32(1));
  b.brcond(Cond.EQ, nx, b.c32(0), slow);
  if (rm === 7) b.brcond(Cond.NE, b.global('i32', FRM, 'frm'), b.c32(0), slow);
  return true;
}

/** An instruction with an inline fast path: `fast` emits it (operands read, result written),
 *  branching to its `slow` label for the cases it leaves to the helper of the instruction's
 *  name; it runs under guardNearestNx, so a static rounding mode other than RNE gets the helper
 *  alone. */
function withFastPath(name: string, usesRm: boolean, fast: (s: DisasContext, a: Args, slow: number) => void): TransFn {
  const helper = name.replace(/\./g, '_');
  return (s, a) => {
    if (usesRm && !checkRm(s, a.rm)) return false;
    const b = s.b;
    const slow = b.label();
    const done = b.label();
    if (!usesRm || guardNearestNx(s, a.rm, slow)) {
      fast(s, a, slow);
      b.br(done);
    }
    b.setLabel(slow);
    b.call(s.helper(helper), null, b.c32(packOperands(a)));
    b.setLabel(done);
    return true;
  };
}

/** f[i] as an operand of the format: binary32 unboxed (a NaN when not properly boxed) as i32. */
function operand(s: DisasContext, i: number, single: boolean): number {
  if (!single) return s.fpr(i);
  const t = s.b.temp('i32');
  s.b.unop(Opc.TruncI64I32, t, unboxed(s, i));
  return t;
}
/** Writes a result of the format to f[rd], a binary32 one NaN-boxed. */
function setResult(s: DisasContext, rd: number, v: number): void {
  if (s.b.ty(v) === 'i64') { s.b.mov(s.fpr(rd), v); return; }
  const t = s.b.temp('i64');
  s.b.unop(Opc.ExtUI32I64, t, v);
  s.b.or(t, t, s.b.c64(BOX));
  s.b.mov(s.fpr(rd), t);
}

/** fadd fsub fmul fdiv fsqrt: the host's arithmetic (inline-fp.ts fastArith) when no flag but
 *  NX can arise. */
function arith(name: string, op: FloatOp, single: boolean): TransFn {
  return withFastPath(name, true, (s, a, slow) => {
    const x = operand(s, a.rs1, single);
    const y = op === Opc.FSqrt ? x : operand(s, a.rs2, single);
    setResult(s, a.rd, fastArith(s.b, op, x, y, slow));
  });
}

/** fmadd.d and its negated forms (negProd: -(a*b), negAdd: -c; 11.6) in integer IR
 *  (inline-fp.ts fusedMulAddF64) for normal operands and results. */
function fmaD(name: string, negProd: boolean, negAdd: boolean): TransFn {
  return withFastPath(name, true, (s, a, slow) => {
    setResult(s, a.rd, fusedMulAddF64(s.b, s.fpr(a.rs1), s.fpr(a.rs2), s.fpr(a.rs3), negProd, negAdd, slow));
  });
}

/** feq / flt / fle inline when neither operand is a NaN (then no flag can arise), on the
 *  integer keys of inline-fp.ts orderedKey; NaN operands take the helper (NV rules). */
function compare(name: string, cond: Cond, single: boolean): TransFn {
  return withFastPath(name, false, (s, a, slow) => {
    const kx = orderedKey(s.b, operand(s, a.rs1, single), slow);
    const ky = orderedKey(s.b, operand(s, a.rs2, single), slow);
    const r = s.b.temp('i64');
    s.b.setcond(cond, r, kx, ky);
    s.setGpr(a.rd, r);
  });
}

/** f[i] read as a binary32 pattern: the boxed canonical NaN unless properly NaN-boxed. */
function unboxed(s: DisasContext, i: number): number {
  const t = s.b.temp('i64');
  const f = s.fpr(i);
  s.b.movcond(Cond.GEU, t, f, s.b.c64(BOX), f, s.b.c64(BOXED_CANONICAL_NAN));
  return t;
}

/** fsgnj (kind 0), fsgnjn (1), fsgnjx (2) (11.6): the sign bit from rs2, the rest from rs1. */
function signInject(kind: 0 | 1 | 2, single: boolean): TransFn {
  return (s, a) => {
    const b = s.b;
    const x = single ? unboxed(s, a.rs1) : s.fpr(a.rs1);
    const y = single ? unboxed(s, a.rs2) : s.fpr(a.rs2);
    const sign = single ? 0x80000000n : 0x8000000000000000n;
    const t = b.temp('i64');
    if (kind === 1) b.unop(Opc.Not, t, y);
    else b.mov(t, y);
    b.and(t, t, b.c64(sign));
    if (kind === 2) {
      b.xor(t, x, t);
    } else {
      const rest = b.temp('i64');
      b.and(rest, x, b.c64(~sign));
      b.or(t, rest, t);
    }
    b.mov(s.fpr(a.rd), t);
    return true;
  };
}

/** flw/fld: the loaded pattern, NaN-boxed when 4 bytes. */
export function fpLoad(size: 4 | 8): TransFn {
  return (s, a) => {
    const t = s.b.temp('i64');
    s.b.ld(t, s.gpr(a.rs1), a.imm, { size, signed: false });
    if (size === 4) s.b.or(t, t, s.b.c64(BOX));
    s.b.mov(s.fpr(a.rd), t);
    return true;
  };
}
/** fsw/fsd: the low `size` bytes of the register, whatever they hold. */
export function fpStore(size: 4 | 8): TransFn {
  return (s, a) => {
    s.b.st(s.fpr(a.rs2), s.gpr(a.rs1), a.imm, size);
    return true;
  };
}

/** fcvt.d.w / fcvt.d.wu: always exact (a 32-bit integer fits binary64's significand), so no
 *  flag and no rounding: all IR (inline-fp.ts int32ToF64), where the helper was the second most
 *  called in the kernels test program (fcvt_d_w, 61 per million instructions under -d helpers).
 *  An invalid rounding mode still makes it illegal. */
const int32ToDouble = (signed: boolean): TransFn => (s, a) => {
  if (!checkRm(s, a.rm)) return false;
  const b = s.b;
  const lo = b.temp('i32');
  b.unop(Opc.TruncI64I32, lo, s.gpr(a.rs1));
  b.mov(s.fpr(a.rd), int32ToF64(b, lo, signed));
  return true;
};

/** The patterns F and D share, for format `fmt` (0 = S, 1 = D; suffix 's' or 'd'). */
export function formatPatterns(fmt: 0 | 1): Pattern[] {
  const x = fmt === 0 ? 's' : 'd';
  const single = fmt === 0;
  const h = helperInsn;
  const r4 = (name: string, opcode: number): Pattern => {
    const neg = [0x43, 0x47, 0x4b, 0x4f].indexOf(opcode); // fmadd, fmsub, fnmsub, fnmadd
    const trans = fmt === 1 ? fmaD(name, neg >= 2, neg === 1 || neg === 3) : h(name, true);
    return { name, mask: 0x0600007f, match: (fmt << 25) | opcode, format: 'R4', trans };
  };
  const ints = ['w', 'wu', 'l', 'lu'];
  return [
    opFp(`fadd.${x}`, 0x00 | fmt, {}, arith(`fadd.${x}`, Opc.FAdd, single)),
    opFp(`fsub.${x}`, 0x04 | fmt, {}, arith(`fsub.${x}`, Opc.FSub, single)),
    opFp(`fmul.${x}`, 0x08 | fmt, {}, arith(`fmul.${x}`, Opc.FMul, single)),
    opFp(`fdiv.${x}`, 0x0c | fmt, {}, arith(`fdiv.${x}`, Opc.FDiv, single)),
    opFp(`fsqrt.${x}`, 0x2c | fmt, { rs2: 0 }, arith(`fsqrt.${x}`, Opc.FSqrt, single)),
    opFp(`fsgnj.${x}`, 0x10 | fmt, { funct3: 0 }, signInject(0, fmt === 0)),
    opFp(`fsgnjn.${x}`, 0x10 | fmt, { funct3: 1 }, signInject(1, fmt === 0)),
    opFp(`fsgnjx.${x}`, 0x10 | fmt, { funct3: 2 }, signInject(2, fmt === 0)),
    opFp(`fmin.${x}`, 0x14 | fmt, { funct3: 0 }, h(`fmin.${x}`, false)),
    opFp(`fmax.${x}`, 0x14 | fmt, { funct3: 1 }, h(`fmax.${x}`, false)),
    opFp(`fle.${x}`, 0x50 | fmt, { funct3: 0 }, compare(`fle.${x}`, Cond.LE, single)),
    opFp(`flt.${x}`, 0x50 | fmt, { funct3: 1 }, compare(`flt.${x}`, Cond.LT, single)),
    opFp(`feq.${x}`, 0x50 | fmt, { funct3: 2 }, compare(`feq.${x}`, Cond.EQ, single)),
    opFp(`fclass.${x}`, 0x70 | fmt, { rs2: 0, funct3: 1 }, h(`fclass.${x}`, false)),
    ...ints.map((i, rs2) => opFp(`fcvt.${i}.${x}`, 0x60 | fmt, { rs2 }, h(`fcvt.${i}.${x}`, true))),
    ...ints.map((i, rs2) => opFp(`fcvt.${x}.${i}`, 0x68 | fmt, { rs2 },
      fmt === 1 && rs2 < 2 ? int32ToDouble(rs2 === 0) : h(`fcvt.${x}.${i}`, true))),
    r4(`fmadd.${x}`, 0x43),
    r4(`fmsub.${x}`, 0x47),
    r4(`fnmsub.${x}`, 0x4b),
    r4(`fnmadd.${x}`, 0x4f),
  ];
}

/** An fmv between register files (funct3 0, rs2 0). */
export function fmvPattern(name: string, funct7: number, trans: TransFn): Pattern {
  return opFp(name, funct7, { rs2: 0, funct3: 0 }, trans);
}

export const RVF: Pattern[] = [
  { name: 'flw', mask: 0x707f, match: 0x2007, format: 'I', trans: fpLoad(4) },
  { name: 'fsw', mask: 0x707f, match: 0x2027, format: 'S', trans: fpStore(4) },
  ...formatPatterns(0),
  // fmv.x.w sign-extends the low 32 bits; fmv.w.x NaN-boxes them (11.8).
  fmvPattern('fmv.x.w', 0x70, (s, a) => {
    const t = s.b.temp('i64');
    s.b.unop(Opc.Ext32S, t, s.fpr(a.rs1));
    s.setGpr(a.rd, t);
    return true;
  }),
  fmvPattern('fmv.w.x', 0x78, (s, a) => {
    const t = s.b.temp('i64');
    s.b.unop(Opc.Ext32U, t, s.gpr(a.rs1));
    s.b.or(t, t, s.b.c64(BOX));
    s.b.mov(s.fpr(a.rd), t);
    return true;
  }),
];
