// How qemu-arm's listing spells each 32-bit Thumb pattern of t32.ts, by pattern name (ARM ARM
// A6.3, A8.8). A wide encoding whose instruction also has a 16-bit encoding is written with
// '.w' after the condition (the listing's rule, per encoding form: AND (register) is and.w,
// AND (immediate) is plain and).
import type { Fields } from './decode.js';
import { sext } from './decode.js';
import { BARRIER_FORMATS, MUL_FORMATS, mcrMrc } from './disas-common.js';
import {
  COND_NAMES, Formatter, SHIFT_NAMES, bits, imm, immShift, offsetHex, offsetImm, popCount, reg, regList, shiftSuffix,
  t32ModImm, uimm,
} from './disas-operands.js';

const w = (on: boolean): string => (on ? '.w' : '');
const sFlag = (f: Fields): string => (f.S ? 's' : '');

/** The shifted-register operand's shift, from the split imm3:imm2 field i and the type y. */
const regShift = (f: Fields): string => shiftSuffix(f.y, f.i);

/** Data processing (shifted register), A6.3.11: which forms are '.w' (those with a 16-bit
 *  register form). */
const dpReg = (name: string, wide: boolean, shape: 'rr' | 'test' | 'mov'): Formatter => (f, x) => {
  const m = `${reg(f.m)}${regShift(f)}`;
  if (shape === 'test') return [`${name}${x.cond}${w(wide)}`, `${reg(f.n)}, ${m}`];
  const mn = `${name}${sFlag(f)}${x.cond}${w(wide)}`;
  if (shape === 'mov') return [mn, `${reg(f.d)}, ${m}`];
  return [mn, `${reg(f.d)}, ${reg(f.n)}, ${m}`];
};

/** MOV (register) with a shift is listed under the shift's mnemonic (A8.8.106 and friends). */
const movReg: Formatter = (f, x) => {
  if (f.y === 0 && f.i === 0) return [`mov${sFlag(f)}${x.cond}.w`, `${reg(f.d)}, ${reg(f.m)}`];
  if (f.y === 3 && f.i === 0) return [`rrx${sFlag(f)}${x.cond}`, `${reg(f.d)}, ${reg(f.m)}`];
  return [`${SHIFT_NAMES[f.y]}${sFlag(f)}${x.cond}.w`, `${reg(f.d)}, ${reg(f.m)}, ${imm(f.i || 32)}`];
};

/** Data processing (modified immediate), A6.3.1. `unsigned`: the logical operations, whose
 *  masks are listed unsigned. */
const dpImm = (name: string, wide: boolean, shape: 'rr' | 'test' | 'mov', unsigned = false): Formatter => (f, x) => {
  const v = t32ModImm(f.i);
  const op = unsigned ? uimm(v) : imm(v | 0);
  if (shape === 'test') return [`${name}${x.cond}${w(wide)}`, `${reg(f.n)}, ${op}`];
  const mn = `${name}${sFlag(f)}${x.cond}${w(wide)}`;
  if (shape === 'mov') return [mn, `${reg(f.d)}, ${op}`];
  return [mn, `${reg(f.d)}, ${reg(f.n)}, ${op}`];
};

/** [name, '.w' in the register form, '.w' in the immediate form, shape, unsigned immediate]. */
const DP: [string, boolean, boolean, 'rr' | 'test' | 'mov', boolean][] = [
  ['and', true, false, 'rr', true], ['bic', true, false, 'rr', true], ['orr', true, false, 'rr', true],
  ['orn', false, false, 'rr', false], ['eor', true, false, 'rr', true], ['mvn', true, false, 'mov', true],
  ['add', true, true, 'rr', false], ['adc', true, false, 'rr', false], ['sbc', true, false, 'rr', false],
  ['sub', true, true, 'rr', false], ['rsb', false, true, 'rr', false],
  ['tst', true, true, 'test', false], ['teq', true, true, 'test', false],
  ['cmp', true, true, 'test', false], ['cmn', true, true, 'test', false],
];

/** Loads and stores (A6.3.7-A6.3.10): the literal, imm12, imm8 (P U W) and register forms. */
const single = (name: string): Record<string, Formatter> => ({
  [`${name}_lit`]: (f, x) => [`${name}${x.cond}.w`, `${reg(f.t)}, [pc, ${offsetHex(f.i, f.U === 1)}]`],
  [`${name}_imm12`]: (f, x) => [`${name}${x.cond}.w`, `${reg(f.t)}, [${reg(f.n)}${f.i ? `, ${imm(f.i)}` : ''}]`],
  [`${name}_imm8`]: (f, x) => {
    // A negative offset is -0x.. inside the brackets, plain after them (post-indexed).
    if (!f.P) return [`${name}${x.cond}`, `${reg(f.t)}, [${reg(f.n)}], ${offsetImm(f.i, f.U === 1)}`];
    const off = offsetHex(f.i, f.U === 1);
    // P=1 U=1 W=0 is the unprivileged form (LDRT and friends).
    const t = f.U && !f.W ? 't' : '';
    return [`${name}${t}${x.cond}`, `${reg(f.t)}, [${reg(f.n)}${f.i || !f.U ? `, ${off}` : ''}]${f.W ? '!' : ''}`];
  },
  [`${name}_reg`]: (f, x) => [`${name}${x.cond}.w`, `${reg(f.t)}, [${reg(f.n)}, ${reg(f.m)}${f.i ? `, lsl #${f.i}` : ''}]`],
});

/** LDM/STM (A6.3.5): sp with writeback is POP/PUSH of two or more registers. */
const multiple = (name: string, wide: boolean, stack?: string): Formatter => (f, x) => {
  if (stack && f.n === 13 && f.W && popCount(f.r) > 1) return [`${stack}${x.cond}.w`, regList(f.r)];
  return [`${name}${x.cond}${w(wide)}`, `${reg(f.n)}${f.W ? '!' : ''}, ${regList(f.r)}`];
};

const dual = (name: string): Formatter => (f, x) => {
  const rts = `${reg(f.t)}, ${reg(f.u)}`;
  if (!f.P) return [`${name}${x.cond}`, `${rts}, [${reg(f.n)}], ${offsetImm(f.i * 4, f.U === 1)}`];
  const off = offsetHex(f.i * 4, f.U === 1);
  return [`${name}${x.cond}`, `${rts}, [${reg(f.n)}${f.i || !f.U ? `, ${off}` : ''}]${f.W ? '!' : ''}`];
};

/** The branch offsets of A8.8.18 (T3 conditional, T4) and A8.8.25 (BL, BLX): I1 = NOT(J1 XOR
 *  S), I2 = NOT(J2 XOR S). */
const farOffset = (f: Fields, low: number): number => {
  const i1 = 1 - (f.J ^ f.S), i2 = 1 - (f.K ^ f.S);
  return sext((f.S << 24) | (i1 << 23) | (i2 << 22) | (f.i << 12) | low, 25);
};

const r3 = (name: string): Formatter => (f, x) => [`${name}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`];
const r4 = (name: string): Formatter => (f, x) => [`${name}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}, ${reg(f.a)}`];
const long = (name: string): Formatter => (f, x) => [`${name}${x.cond}`, `${reg(f.l)}, ${reg(f.h)}, ${reg(f.n)}, ${reg(f.m)}`];
const r2 = (name: string, wide = false): Formatter => (f, x) => [`${name}${x.cond}${w(wide)}`, `${reg(f.d)}, ${reg(f.m)}`];
/** Rd, Rm, Rn: the saturating adds take the doubled operand last. */
const qarith = (name: string): Formatter => (f, x) => [`${name}${x.cond}`, `${reg(f.d)}, ${reg(f.m)}, ${reg(f.n)}`];
const XY = ['b', 't'];
/** The name with the letter of its optional variant (X: swapped halves, R: rounded). */
const opt = (name: string, letter: string, on: number): string => (on ? name + letter : name);

/** The extends (A6.3.12): 16-bit forms exist for SXTB, SXTH, UXTB, UXTH. */
const extend = (name: string, wide: boolean, acc: boolean): Formatter => (f, x) => {
  const rot = f.r ? `, ror #${f.r * 8}` : '';
  if (acc) return [`${name}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}${rot}`];
  return [`${name}${x.cond}${w(wide)}`, `${reg(f.d)}, ${reg(f.m)}${rot}`];
};

const PAR_OPS = ['add8', 'add16', 'asx', '', 'sub8', 'sub16', 'sax', ''];
const PAR_PREFIX = ['s', 'q', 'sh', '', 'u', 'uq', 'uh', ''];

const HINTS = ['nop', 'yield', 'wfe', 'wfi', 'sev'];

/** PLD, PLDW, PLI (A8.8.127-A8.8.131) from the raw bits: imm12, imm8 (negative), register,
 *  literal. */
const preload: Formatter = (_f, x) => {
  const name = bits(x, 24, 1) ? 'pli' : bits(x, 21, 1) ? 'pldw' : 'pld';
  const rn = bits(x, 16, 4);
  if (rn === 15) return [name, `[pc, ${offsetHex(bits(x, 0, 12), bits(x, 23, 1) === 1)}]`];
  if (bits(x, 23, 1)) return [name, `[${reg(rn)}${bits(x, 0, 12) ? `, ${imm(bits(x, 0, 12))}` : ''}]`];
  if (bits(x, 8, 4) === 0b1100) return [name, `[${reg(rn)}, ${offsetHex(bits(x, 0, 8), false)}]`];
  const sh = bits(x, 4, 2);
  return [name, `[${reg(rn)}, ${reg(bits(x, 0, 4))}${sh ? `, lsl #${sh}` : ''}]`];
};

export const T32_FORMATS: Record<string, Formatter> = {
  ...MUL_FORMATS,
  stm: multiple('stm', true),
  ldm: multiple('ldm', true, 'pop'),
  stmdb: multiple('stmdb', false, 'push'),
  ldmdb: multiple('ldmdb', false),
  strex: (f, x) => [`strex${x.cond}`, `${reg(f.d)}, ${reg(f.t)}, [${reg(f.n)}${f.i ? `, ${imm(f.i * 4)}` : ''}]`],
  ldrex: (f, x) => [`ldrex${x.cond}`, `${reg(f.t)}, [${reg(f.n)}${f.i ? `, ${imm(f.i * 4)}` : ''}]`],
  strexb: (f, x) => [`strexb${x.cond}`, `${reg(f.d)}, ${reg(f.t)}, [${reg(f.n)}]`],
  strexh: (f, x) => [`strexh${x.cond}`, `${reg(f.d)}, ${reg(f.t)}, [${reg(f.n)}]`],
  strexd: (f, x) => [`strexd${x.cond}`, `${reg(f.d)}, ${reg(f.t)}, ${reg(f.u)}, [${reg(f.n)}]`],
  tbb: (f, x) => (f.h ? [`tbh${x.cond}`, `[${reg(f.n)}, ${reg(f.m)}, lsl #1]`] : [`tbb${x.cond}`, `[${reg(f.n)}, ${reg(f.m)}]`]),
  ldrexb: (f, x) => [`ldrexb${x.cond}`, `${reg(f.t)}, [${reg(f.n)}]`],
  ldrexh: (f, x) => [`ldrexh${x.cond}`, `${reg(f.t)}, [${reg(f.n)}]`],
  ldrexd: (f, x) => [`ldrexd${x.cond}`, `${reg(f.t)}, ${reg(f.u)}, [${reg(f.n)}]`],
  strd: dual('strd'),
  ldrd: dual('ldrd'),
  ...Object.fromEntries(DP.flatMap(([name, wideReg, wideImm, shape, unsigned]) => [
    [`${name}_reg`, dpReg(name, wideReg, shape)],
    [`${name}_imm`, dpImm(name, wideImm, shape, unsigned)],
  ])),
  mov_reg: movReg,
  mov_imm: dpImm('mov', true, 'mov'),
  pkh: (f, x) => [`pkh${f.T ? 'tb' : 'bt'}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}${immShift(f.T ? 2 : 0, f.i)}`],
  mrc: mcrMrc,
  addw: (f, x) => [`addw${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${imm(f.i)}`],
  subw: (f, x) => [`subw${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${imm(f.i)}`],
  movw: (f, x) => [`movw${x.cond}`, `${reg(f.d)}, ${imm((f.j << 12) | f.i)}`],
  movt: (f, x) => [`movt${x.cond}`, `${reg(f.d)}, ${imm((f.j << 12) | f.i)}`],
  ssat16: (f, x) => [`ssat16${x.cond}`, `${reg(f.d)}, ${imm(f.k + 1)}, ${reg(f.n)}`],
  usat16: (f, x) => [`usat16${x.cond}`, `${reg(f.d)}, ${imm(f.k)}, ${reg(f.n)}`],
  ssat: (f, x) => [`ssat${x.cond}`, `${reg(f.d)}, ${imm(f.k + 1)}, ${reg(f.n)}${immShift(f.h ? 2 : 0, f.i)}`],
  usat: (f, x) => [`usat${x.cond}`, `${reg(f.d)}, ${imm(f.k)}, ${reg(f.n)}${immShift(f.h ? 2 : 0, f.i)}`],
  sbfx: (f, x) => [`sbfx${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${imm(f.i)}, ${imm(f.w + 1)}`],
  ubfx: (f, x) => [`ubfx${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${imm(f.i)}, ${imm(f.w + 1)}`],
  bfc: (f, x) => [`bfc${x.cond}`, `${reg(f.d)}, ${imm(f.i)}, ${imm(f.k - f.i + 1)}`],
  bfi: (f, x) => [`bfi${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${imm(f.i)}, ${imm(f.k - f.i + 1)}`],
  msr: (f, x) => [`msr${x.cond}`, `apsr_${f.k & 2 ? 'nzcvq' : ''}${f.k & 1 ? 'g' : ''}, ${reg(f.n)}`],
  hint: (_f, x) => [`${HINTS[bits(x, 0, 8)] ?? 'nop'}${x.cond}.w`, ''],
  ...BARRIER_FORMATS,
  barrier: BARRIER_FORMATS.dmb,
  mrs: (f, x) => [`mrs${x.cond}`, `${reg(f.d)}, apsr`],
  udf: (f) => ['udf.w', imm(f.i)],
  b_cond: (f, x) => [`b${COND_NAMES[f.c]}.w`, uimm(x.addr + 4 + sext((f.S << 20) | (f.K << 19) | (f.J << 18) | (f.i << 12) | (f.j << 1), 21))],
  b: (f, x) => [`b${x.cond}.w`, uimm(x.addr + 4 + farOffset(f, f.j << 1))],
  bl: (f, x) => [`bl${x.cond}`, uimm(x.addr + 4 + farOffset(f, f.j << 1))],
  blx_imm: (f, x) => [`blx${x.cond}`, uimm(((x.addr + 4) & ~3) + farOffset(f, f.j << 2))],
  pld: preload,
  ...['strb', 'strh', 'str', 'ldrb', 'ldrh', 'ldr', 'ldrsb', 'ldrsh'].reduce((o, n) => ({ ...o, ...single(n) }), {}),
  shift_reg: (f, x) => [`${SHIFT_NAMES[f.y]}${sFlag(f)}${x.cond}.w`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`],
  sxth: extend('sxth', true, false), uxth: extend('uxth', true, false),
  sxtb: extend('sxtb', true, false), uxtb: extend('uxtb', true, false),
  sxtb16: extend('sxtb16', false, false), uxtb16: extend('uxtb16', false, false),
  sxtah: extend('sxtah', false, true), uxtah: extend('uxtah', false, true),
  sxtab: extend('sxtab', false, true), uxtab: extend('uxtab', false, true),
  sxtab16: extend('sxtab16', false, true), uxtab16: extend('uxtab16', false, true),
  parallel: (f, x) => (PAR_OPS[f.o] && PAR_PREFIX[f.p]
    ? [`${PAR_PREFIX[f.p]}${PAR_OPS[f.o]}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`] : undefined),
  qadd: qarith('qadd'), qdadd: qarith('qdadd'), qsub: qarith('qsub'), qdsub: qarith('qdsub'),
  rev: r2('rev', true), rev16: r2('rev16', true), rbit: r2('rbit'), revsh: r2('revsh', true),
  sel: r3('sel'),
  clz: r2('clz'),
  mul: r3('mul'),
  smulxy: (f, x) => [`smul${XY[f.N]}${XY[f.M]}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`],
  smlaxy: (f, x) => [`smla${XY[f.N]}${XY[f.M]}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}, ${reg(f.a)}`],
  smuad: (f, x) => r3(opt('smuad', 'x', f.M))(f, x),
  smlad: (f, x) => r4(opt('smlad', 'x', f.M))(f, x),
  smulwy: (f, x) => r3(`smulw${XY[f.M]}`)(f, x),
  smlawy: (f, x) => r4(`smlaw${XY[f.M]}`)(f, x),
  smusd: (f, x) => r3(opt('smusd', 'x', f.M))(f, x),
  smlsd: (f, x) => r4(opt('smlsd', 'x', f.M))(f, x),
  smmul: (f, x) => r3(opt('smmul', 'r', f.R))(f, x),
  smmla: (f, x) => r4(opt('smmla', 'r', f.R))(f, x),
  smmls: (f, x) => r4(opt('smmls', 'r', f.R))(f, x),
  usad8: r3('usad8'),
  usada8: r4('usada8'),
  sdiv: r3('sdiv'),
  udiv: r3('udiv'),
  smlalxy: (f, x) => long(`smlal${XY[f.N]}${XY[f.M]}`)(f, x),
  smlald: (f, x) => long(opt('smlald', 'x', f.M))(f, x),
  smlsld: (f, x) => long(opt('smlsld', 'x', f.M))(f, x),
};
