// The F extension (RISC-V unprivileged ISA, chapter 11), and the per-format patterns and
// translators it shares with D (chapter 12: the same instructions with fmt = 01).
// Arithmetic goes through the helpers of fp-helpers.ts; loads, stores, moves and sign injection
// are plain bit operations done in IR.
import { Cond, Opc } from '../../tcg/ir.js';
import { FRM } from './cpu-state.js';
import { Pattern, TransFn } from './decode.js';
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

/** The patterns F and D share, for format `fmt` (0 = S, 1 = D; suffix 's' or 'd'). */
export function formatPatterns(fmt: 0 | 1): Pattern[] {
  const x = fmt === 0 ? 's' : 'd';
  const h = helperInsn;
  const r4 = (name: string, opcode: number): Pattern =>
    ({ name, mask: 0x0600007f, match: (fmt << 25) | opcode, format: 'R4', trans: h(name, true) });
  const ints = ['w', 'wu', 'l', 'lu'];
  return [
    opFp(`fadd.${x}`, 0x00 | fmt, {}, h(`fadd.${x}`, true)),
    opFp(`fsub.${x}`, 0x04 | fmt, {}, h(`fsub.${x}`, true)),
    opFp(`fmul.${x}`, 0x08 | fmt, {}, h(`fmul.${x}`, true)),
    opFp(`fdiv.${x}`, 0x0c | fmt, {}, h(`fdiv.${x}`, true)),
    opFp(`fsqrt.${x}`, 0x2c | fmt, { rs2: 0 }, h(`fsqrt.${x}`, true)),
    opFp(`fsgnj.${x}`, 0x10 | fmt, { funct3: 0 }, signInject(0, fmt === 0)),
    opFp(`fsgnjn.${x}`, 0x10 | fmt, { funct3: 1 }, signInject(1, fmt === 0)),
    opFp(`fsgnjx.${x}`, 0x10 | fmt, { funct3: 2 }, signInject(2, fmt === 0)),
    opFp(`fmin.${x}`, 0x14 | fmt, { funct3: 0 }, h(`fmin.${x}`, false)),
    opFp(`fmax.${x}`, 0x14 | fmt, { funct3: 1 }, h(`fmax.${x}`, false)),
    opFp(`fle.${x}`, 0x50 | fmt, { funct3: 0 }, h(`fle.${x}`, false)),
    opFp(`flt.${x}`, 0x50 | fmt, { funct3: 1 }, h(`flt.${x}`, false)),
    opFp(`feq.${x}`, 0x50 | fmt, { funct3: 2 }, h(`feq.${x}`, false)),
    opFp(`fclass.${x}`, 0x70 | fmt, { rs2: 0, funct3: 1 }, h(`fclass.${x}`, false)),
    ...ints.map((i, rs2) => opFp(`fcvt.${i}.${x}`, 0x60 | fmt, { rs2 }, h(`fcvt.${i}.${x}`, true))),
    ...ints.map((i, rs2) => opFp(`fcvt.${x}.${i}`, 0x68 | fmt, { rs2 }, h(`fcvt.${x}.${i}`, true))),
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
