// How qemu-arm's listing spells each A32 pattern of a32.ts, by pattern name (ARM ARM A8.8).
// Where one pattern covers several instructions (the DP rows' three operand forms, ldr/str's
// byte and unprivileged forms) the formatter tells them apart by the fields; the listing's
// aliases (push/pop for sp-based block transfers, lsl/lsr/asr/ror/rrx for shifted moves) are
// chosen here too.
import type { Fields } from './decode.js';
import {
  Formatted, Formatter, InsnInfo, SHIFT_NAMES, a32ModImm, imm, immShift, offsetImm, reg, regList, shiftSuffix, uimm,
} from './disas-operands.js';
import { BARRIER_FORMATS, MUL_FORMATS, hint, mcrMrc } from './disas-common.js';

const DP_NAMES = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn', 'orr', 'mov', 'bic', 'mvn'];

/** Data processing: immediate (12-bit i, no m), register shifted by immediate, or by register (r). */
const dp: Formatter = (f, x) => {
  const op = (x.insn >>> 21) & 15;
  const name = DP_NAMES[op];
  const S = op >= 8 && op <= 11 ? '' : f.S ? 's' : '';
  const mn = (base: string): string => base + S + x.cond;
  const immForm = f.m === undefined;
  const operand2 = immForm ? a32ModImm(f.i)
    : f.r !== undefined ? `${reg(f.m)}, ${SHIFT_NAMES[f.t]} ${reg(f.r)}` : reg(f.m) + shiftSuffix(f.t, f.i);
  // The should-be-zero register fields (Rd of the tests, Rn of MOV and MVN) must be zero for
  // the listing to name the instruction.
  if (op >= 8 && op <= 11) return f.d ? undefined : [mn(name), `${reg(f.n)}, ${operand2}`];
  if ((op === 13 || op === 15) && f.n) return undefined;
  if (op === 13 || op === 15) {
    // MOV with a shift is listed under the shift's own mnemonic (A8.8.105 and friends).
    if (op === 13 && !immForm && f.r !== undefined) return [mn(SHIFT_NAMES[f.t]), `${reg(f.d)}, ${reg(f.m)}, ${reg(f.r)}`];
    if (op === 13 && !immForm && (f.t !== 0 || f.i !== 0)) {
      if (f.t === 3 && f.i === 0) return [mn('rrx'), `${reg(f.d)}, ${reg(f.m)}`];
      return [mn(SHIFT_NAMES[f.t]), `${reg(f.d)}, ${reg(f.m)}, ${imm(f.i === 0 ? 32 : f.i)}`];
    }
    return [mn(name), `${reg(f.d)}, ${operand2}`];
  }
  return [mn(name), `${reg(f.d)}, ${reg(f.n)}, ${operand2}`];
};

/** `[rn, #off]`, `[rn, #off]!` or `[rn], #off` from P, U, W (A5.3); `off` already formatted. */
function address(f: Fields, off: string | undefined, postOff: string): string {
  if (f.p === 0) return `[${reg(f.n)}], ${postOff}`;
  return `[${reg(f.n)}${off === undefined ? '' : `, ${off}`}]${f.w ? '!' : ''}`;
}

const ldrStr: Formatter = (f, x) => {
  const base = (f.l ? 'ldr' : 'str') + (f.B ? 'b' : '') + (f.p === 0 && f.w ? 't' : '');
  const reg12 = f.m !== undefined;
  // LDR Rt, [sp], #4 is POP of one register (A8.8.132); the listing keeps STR's own name.
  if (!reg12 && !f.B && f.n === 13 && f.i === 4) {
    if (f.l && f.p === 0 && f.w === 0 && f.u === 1) return [`pop${x.cond}`, regList(1 << f.T)];
  }
  const off = reg12 ? `${f.u ? '' : '-'}${reg(f.m)}${shiftSuffix(f.t, f.i)}` : offsetImm(f.i, f.u === 1);
  const preOff = reg12 || f.i !== 0 || !f.u || f.w ? off : undefined;
  return [base + x.cond, `${reg(f.T)}, ${address(f, preOff, off)}`];
};

/** The extra loads and stores: imm4H:imm4L or Rm. */
const extra = (names: [store: string, load: string], dual: [store: boolean, load: boolean]): Formatter => (f, x) => {
  const rt = dual[f.l] ? `${reg(f.T)}, ${reg(f.T + 1)}` : reg(f.T);
  const off = f.m !== undefined ? `${f.u ? '' : '-'}${reg(f.m)}` : offsetImm(f.i, f.u === 1);
  const preOff = f.m !== undefined || f.i !== 0 || !f.u || f.w ? off : undefined;
  const t = f.p === 0 && f.w && !dual[f.l] ? 't' : '';
  return [names[f.l] + t + x.cond, `${rt}, ${address(f, preOff, off)}`];
};

const LDM_MODES = ['da', '', 'db', 'ib'];
const ldmStm: Formatter = (f, x) => {
  const mode = f.p * 2 + f.u;
  const n = (f.r.toString(2).match(/1/g) ?? []).length;
  if (f.n === 13 && f.w && n > 1 && ((f.l && mode === 1) || (!f.l && mode === 2))) {
    return [(f.l ? 'pop' : 'push') + x.cond, regList(f.r)];
  }
  return [(f.l ? 'ldm' : 'stm') + LDM_MODES[mode] + x.cond, `${reg(f.n)}${f.w ? '!' : ''}, ${regList(f.r)}`];
};

const EXCL = ['', 'd', 'b', 'h'];
const pairIf = (d: boolean, t: number): string => (d ? `${reg(t)}, ${reg(t + 1)}` : reg(t));

const branch = (name: string): Formatter => (f, x) => [name + x.cond, uimm(x.addr + 8 + ((f.i << 8) >> 6))];

const PAR_PREFIX = ['', 's', 'q', 'sh', '', 'u', 'uq', 'uh'];
const PAR_OPS = ['add16', 'asx', 'sax', 'sub16', 'add8', '', '', 'sub8'];
const XT = ['sxtab16', '', 'sxtab', 'sxtah', 'uxtab16', '', 'uxtab', 'uxtah'];

const XY = ['b', 't'];
const r3 = (name: string): Formatter => (f, x) => [name + x.cond, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`];
const r2 = (name: string): Formatter => (f, x) => [name + x.cond, `${reg(f.d)}, ${reg(f.m)}`];
/** Rd, Rm, Rn: the saturating adds take the doubled operand last. */
const qarith = (name: string): Formatter => (f, x) => [name + x.cond, `${reg(f.d)}, ${reg(f.m)}, ${reg(f.n)}`];
const sat = (name: string, plus: number): Formatter => (f, x) =>
  [name + x.cond, `${reg(f.d)}, ${imm(f.S + plus)}, ${reg(f.n)}${immShift(f.h ? 2 : 0, f.i)}`];

/** Media signed multiplies (A5.4.4) by op1 (o) and op2 bits 7:6 (q), X or R in bit 5. */
function signedMul(f: Fields, x: InsnInfo): Formatted {
  const xr = f.x ? (f.o === 5 ? 'r' : 'x') : '';
  const acc = f.a !== 15;
  const three = `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`;
  if (f.o === 0) return [`sm${acc ? 'l' : 'u'}${f.q ? 's' : 'a'}d${xr}${x.cond}`, acc ? `${three}, ${reg(f.a)}` : three];
  if (f.o === 4) return [`sml${f.q ? 's' : 'a'}ld${xr}${x.cond}`, `${reg(f.a)}, ${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`];
  if (f.q === 3) return [`smmls${xr}${x.cond}`, `${three}, ${reg(f.a)}`];
  return acc ? [`smmla${xr}${x.cond}`, `${three}, ${reg(f.a)}`] : [`smmul${xr}${x.cond}`, three];
}

export const A32_FORMATS: Record<string, Formatter> = {
  ...MUL_FORMATS,
  swp: (f, x) => [`swp${f.B ? 'b' : ''}${x.cond}`, `${reg(f.T)}, ${reg(f.m)}, [${reg(f.n)}]`],
  strex: (f, x) => [`strex${EXCL[f.z]}${x.cond}`, `${reg(f.d)}, ${pairIf(f.z === 1, f.T)}, [${reg(f.n)}]`],
  ldrex: (f, x) => [`ldrex${EXCL[f.z]}${x.cond}`, `${pairIf(f.z === 1, f.T)}, [${reg(f.n)}]`],
  'ldrh/strh': extra(['strh', 'ldrh'], [false, false]),
  'ldrd/ldrsb': extra(['ldrd', 'ldrsb'], [true, false]),
  'strd/ldrsh': extra(['strd', 'ldrsh'], [true, false]),
  mrs: (f, x) => [`mrs${x.cond}`, `${reg(f.d)}, apsr`],
  msr: (f, x) => [`msr${x.cond}`, `apsr_${f.k & 2 ? 'nzcvq' : ''}${f.k & 1 ? 'g' : ''}, ${f.n !== undefined ? reg(f.n) : a32ModImm(f.i)}`],
  bx: (f, x) => [`bx${x.cond}`, reg(f.m)],
  blx: (f, x) => (f.h === undefined ? [`blx${x.cond}`, reg(f.m)]
    : ['blx', uimm(x.addr + 8 + (((f.i << 8) >> 6) | (f.h << 1)))]),
  clz: r2('clz'),
  qadd: qarith('qadd'), qsub: qarith('qsub'), qdadd: qarith('qdadd'), qdsub: qarith('qdsub'),
  bkpt: (f) => ['bkpt', imm(f.i)],
  smla: (f, x) => [`smla${XY[f.x]}${XY[f.y]}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}, ${reg(f.a)}`],
  smlaw: (f, x) => [`smlaw${XY[f.y]}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}, ${reg(f.a)}`],
  smulw: (f, x) => [`smulw${XY[f.y]}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`],
  smlal: (f, x) => (f.x === undefined ? MUL_FORMATS.smlal(f, x)
    : [`smlal${XY[f.x]}${XY[f.y]}${x.cond}`, `${reg(f.l)}, ${reg(f.h)}, ${reg(f.n)}, ${reg(f.m)}`]),
  smul: (f, x) => (f.o !== undefined ? signedMul(f, x)
    : [`smul${XY[f.x]}${XY[f.y]}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`]),
  movw: (f, x) => [`movw${x.cond}`, `${reg(f.d)}, ${imm(f.i)}`],
  movt: (f, x) => [`movt${x.cond}`, `${reg(f.d)}, ${imm(f.i)}`],
  nop: hint('nop'), yield: hint('yield'), wfe: hint('wfe'), wfi: hint('wfi'), sev: hint('sev'),
  dbg: (_f, x) => [`dbg${x.cond}`, imm(x.insn & 15)],
  ...Object.fromEntries(DP_NAMES.map((n) => [n, dp])),
  'ldr/str': ldrStr,
  parallel: (f, x) => [`${PAR_PREFIX[f.p]}${PAR_OPS[f.o]}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`],
  pkh: (f, x) => [`pkh${f.T ? 'tb' : 'bt'}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}${immShift(f.T ? 2 : 0, f.i)}`],
  sel: r3('sel'),
  ssat16: (f, x) => [`ssat16${x.cond}`, `${reg(f.d)}, ${imm(f.i + 1)}, ${reg(f.n)}`],
  usat16: (f, x) => [`usat16${x.cond}`, `${reg(f.d)}, ${imm(f.i)}, ${reg(f.n)}`],
  ssat: sat('ssat', 1),
  usat: sat('usat', 0),
  rev: r2('rev'), rev16: r2('rev16'), rbit: r2('rbit'), revsh: r2('revsh'),
  xt: (f, x) => {
    const rot = f.r ? `, ror #${f.r * 8}` : '';
    const name = XT[f.o];
    if (f.n === 15) return [name.replace('a', '') + x.cond, `${reg(f.d)}, ${reg(f.m)}${rot}`];
    return [name + x.cond, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}${rot}`];
  },
  sdiv: r3('sdiv'), udiv: r3('udiv'),
  usad8: (f, x) => (f.a === 15 ? r3('usad8')(f, x) : [`usada8${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}, ${reg(f.a)}`]),
  sbfx: (f, x) => [`sbfx${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${imm(f.i)}, ${imm(f.w + 1)}`],
  ubfx: (f, x) => [`ubfx${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${imm(f.i)}, ${imm(f.w + 1)}`],
  bfc: (f, x) => [`bfc${x.cond}`, `${reg(f.d)}, ${imm(f.i)}, ${imm(f.M - f.i + 1)}`],
  bfi: (f, x) => [`bfi${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${imm(f.i)}, ${imm(f.M - f.i + 1)}`],
  udf: (f) => ['udf', imm(f.i)],
  'ldm/stm': ldmStm,
  b: branch('b'),
  bl: branch('bl'),
  svc: (f, x) => [`svc${x.cond}`, imm(f.i)],
  mrc: mcrMrc,
  mcr: mcrMrc,
  ...BARRIER_FORMATS,
  pld: (_f, x) => {
    const rn = reg((x.insn >>> 16) & 15);
    const u = (x.insn >>> 23) & 1;
    const name = (x.insn >>> 24) & 1 ? ((x.insn >>> 22) & 1 ? 'pld' : 'pldw') : 'pli';
    if ((x.insn >>> 25) & 1) {
      return [name, `[${rn}, ${u ? '' : '-'}${reg(x.insn & 15)}${shiftSuffix((x.insn >>> 5) & 3, (x.insn >>> 7) & 31)}]`];
    }
    const off = x.insn & 0xfff;
    return [name, off || !u ? `[${rn}, ${offsetImm(off, u === 1)}]` : `[${rn}]`];
  },
};
