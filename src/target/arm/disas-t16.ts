// How qemu-arm's listing spells each 16-bit Thumb pattern of t16.ts, by pattern name (ARM ARM
// A6.2, A8.8). The data-processing encodings set the flags only outside an IT block (their
// mnemonic then ends in 's'); LSL #0 is MOVS (A8.8.103 T2).
import { COND_NAMES, Formatter, InsnInfo, imm, offsetImm, reg, regList, uimm } from './disas-operands.js';
import { hint } from './disas-common.js';
import { sext } from './decode.js';

/** Base + 's' outside an IT block + the condition. */
const flags = (base: string, x: InsnInfo): string => base + (x.inIt ? '' : 's') + x.cond;

const shiftImm = (name: string): Formatter => (f, x) => {
  if (name === 'lsl' && f.i === 0) return [flags('mov', x), `${reg(f.d)}, ${reg(f.m)}`];
  return [flags(name, x), `${reg(f.d)}, ${reg(f.m)}, #${num5(f.i)}`];
};
const num5 = (i: number): string => { const v = i === 0 ? 32 : i; return v > 9 ? `0x${v.toString(16)}` : `${v}`; };

const reg3 = (name: string): Formatter => (f, x) => [flags(name, x), `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`];
const imm3 = (name: string): Formatter => (f, x) => [flags(name, x), `${reg(f.d)}, ${reg(f.n)}, ${imm(f.i)}`];
const imm8 = (name: string): Formatter => (f, x) => [flags(name, x), `${reg(f.d)}, ${imm(f.i)}`];
/** Rdn, Rm with the flags. */
const dp2 = (name: string): Formatter => (f, x) => [flags(name, x), `${reg(f.d)}, ${reg(f.m)}`];
/** The compares and TST: always set the flags, so no 's'. */
const test2 = (name: string): Formatter => (f, x) => [name + x.cond, `${reg(f.n)}, ${reg(f.m)}`];
const ldstReg = (name: string): Formatter => (f, x) => [name + x.cond, `${reg(f.t)}, [${reg(f.n)}, ${reg(f.m)}]`];
const ldstImm = (name: string, scale: number): Formatter => (f, x) =>
  [name + x.cond, `${reg(f.t)}, [${reg(f.n)}${f.i ? `, ${imm(f.i * scale)}` : ''}]`];
const ldstSp = (name: string): Formatter => (f, x) => [name + x.cond, `${reg(f.t)}, [sp${f.i ? `, ${imm(f.i * 4)}` : ''}]`];
const ext = (name: string): Formatter => (f, x) => [name + x.cond, `${reg(f.d)}, ${reg(f.m)}`];

const HINTS = ['nop', 'yield', 'wfe', 'wfi', 'sev'];

export const T16_FORMATS: Record<string, Formatter> = {
  lsl_imm: shiftImm('lsl'), lsr_imm: shiftImm('lsr'), asr_imm: shiftImm('asr'),
  add_reg: reg3('add'), sub_reg: reg3('sub'),
  add_imm3: imm3('add'), sub_imm3: imm3('sub'),
  mov_imm: imm8('mov'),
  cmp_imm: (f, x) => [`cmp${x.cond}`, `${reg(f.n)}, ${imm(f.i)}`],
  add_imm8: imm8('add'), sub_imm8: imm8('sub'),
  and_reg: dp2('and'), eor_reg: dp2('eor'), lsl_reg: dp2('lsl'), lsr_reg: dp2('lsr'), asr_reg: dp2('asr'),
  adc_reg: dp2('adc'), sbc_reg: dp2('sbc'), ror_reg: dp2('ror'), orr_reg: dp2('orr'), bic_reg: dp2('bic'),
  mvn_reg: dp2('mvn'),
  tst_reg: test2('tst'), cmp_reg: test2('cmp'), cmn_reg: test2('cmn'),
  rsb_imm: (f, x) => [flags('rsb', x), `${reg(f.d)}, ${reg(f.n)}, #0`],
  mul: (f, x) => [flags('mul', x), `${reg(f.d)}, ${reg(f.n)}, ${reg(f.d)}`],
  // ADD Rdn, sp is listed with sp as the first source (ADD (SP plus register), A8.8.9 T1).
  add_hi: (f, x) => [`add${x.cond}`, f.m === 13 ? `${reg(f.d)}, sp, ${reg(f.d)}` : `${reg(f.d)}, ${reg(f.m)}`],
  cmp_hi: test2('cmp'),
  mov_hi: (f, x) => [`mov${x.cond}`, `${reg(f.d)}, ${reg(f.m)}`],
  // Bits 2:0 should be zero; the listing has no instruction for the other values.
  bx: (f, x) => (x.insn & 7 ? undefined : [`bx${x.cond}`, reg(f.m)]),
  blx_reg: (f, x) => (x.insn & 7 ? undefined : [`blx${x.cond}`, reg(f.m)]),
  ldr_lit: (f, x) => [`ldr${x.cond}`, `${reg(f.t)}, [pc, ${offsetImm(f.i * 4)}]`],
  str_reg: ldstReg('str'), strh_reg: ldstReg('strh'), strb_reg: ldstReg('strb'), ldrsb_reg: ldstReg('ldrsb'),
  ldr_reg: ldstReg('ldr'), ldrh_reg: ldstReg('ldrh'), ldrb_reg: ldstReg('ldrb'), ldrsh_reg: ldstReg('ldrsh'),
  str_imm: ldstImm('str', 4), ldr_imm: ldstImm('ldr', 4),
  strb_imm: ldstImm('strb', 1), ldrb_imm: ldstImm('ldrb', 1),
  strh_imm: ldstImm('strh', 2), ldrh_imm: ldstImm('ldrh', 2),
  str_sp: ldstSp('str'), ldr_sp: ldstSp('ldr'),
  adr: (f, x) => [`adr${x.cond}`, `${reg(f.d)}, ${imm(f.i * 4)}`],
  add_sp_imm: (f, x) => [`add${x.cond}`, `${reg(f.d)}, sp, ${imm(f.i * 4)}`],
  add_sp_imm7: (f, x) => [`add${x.cond}`, `sp, ${imm(f.i * 4)}`],
  sub_sp_imm7: (f, x) => [`sub${x.cond}`, `sp, ${imm(f.i * 4)}`],
  cbz: (f, x) => [f.o ? 'cbnz' : 'cbz', `${reg(f.n)}, ${uimm(x.addr + 4 + f.i * 2)}`],
  sxth: ext('sxth'), sxtb: ext('sxtb'), uxth: ext('uxth'), uxtb: ext('uxtb'),
  rev: ext('rev'), rev16: ext('rev16'), revsh: ext('revsh'),
  push: (f, x) => [`push${x.cond}`, regList(f.r | (f.M << 14))],
  pop: (f, x) => [`pop${x.cond}`, regList(f.r | (f.P << 15))],
  bkpt: (f) => ['bkpt', imm(f.i)],
  // The unallocated hints (A6.2.5) are listed by number.
  hint: (f, x) => (HINTS[(x.insn >>> 4) & 15] ? hint(HINTS[(x.insn >>> 4) & 15])(f, x) : ['hint', imm((x.insn >>> 4) & 15)]),
  it: (f) => {
    const n = 4 - Math.log2(f.k & -f.k);
    let suffix = '';
    // firstcond 1111 is listed as al, its then/else letters too.
    const base = f.c === 15 ? 0 : f.c & 1;
    for (let i = 1; i < n; i++) suffix += ((f.k >>> (4 - i)) & 1) === base ? 't' : 'e';
    return [`it${suffix}`, COND_NAMES[f.c] || 'al'];
  },
  stm: (f, x) => [`stm${x.cond}`, `${reg(f.n)}!, ${regList(f.r)}`],
  ldm: (f, x) => [`ldm${x.cond}`, `${reg(f.n)}${f.r & (1 << f.n) ? '' : '!'}, ${regList(f.r)}`],
  // UDF #0xfe is the encoding Linux and compilers use as a trap, listed by that name.
  udf: (f) => (f.i === 0xfe ? ['trap', ''] : ['udf', imm(f.i)]),
  svc: (f, x) => [`svc${x.cond}`, imm(f.i)],
  b_cond: (f, x) => [`b${COND_NAMES[f.c]}`, uimm(x.addr + 4 + sext(f.i << 1, 9))],
  b: (f, x) => [`b${x.cond}`, uimm(x.addr + 4 + sext(f.i << 1, 12))],
};
