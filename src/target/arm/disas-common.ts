// Formatters that A32 and T32 share: the multiplies (same field letters in a32.ts and t32.ts),
// hints, barriers and the CP15 register moves, whose low 28 bits are laid out alike in both
// instruction sets (ARM ARM A8.8.100, A8.8.108, A8.8.43).
import type { Fields } from './decode.js';
import { Formatter, InsnInfo, imm, reg } from './disas-operands.js';

const mul3 = (name: string): Formatter => (f, x) =>
  [`${name}${f.S ? 's' : ''}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}`];
const mul4 = (name: string): Formatter => (f, x) =>
  [`${name}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}, ${reg(f.a)}`];
/** RdLo, RdHi, Rn, Rm. */
const long = (name: string): Formatter => (f, x) =>
  [`${name}${f.S ? 's' : ''}${x.cond}`, `${reg(f.l)}, ${reg(f.h)}, ${reg(f.n)}, ${reg(f.m)}`];

export const MUL_FORMATS: Record<string, Formatter> = {
  mul: mul3('mul'),
  mla: (f, x) => [`mla${f.S ? 's' : ''}${x.cond}`, `${reg(f.d)}, ${reg(f.n)}, ${reg(f.m)}, ${reg(f.a)}`],
  mls: mul4('mls'),
  umaal: long('umaal'),
  umull: long('umull'),
  umlal: long('umlal'),
  smull: long('smull'),
  smlal: long('smlal'),
};

/** A hint with no operands. */
export const hint = (name: string, suffix = ''): Formatter => (_f, x) => [name + x.cond + suffix, ''];

const BARRIER_OPTIONS: Record<number, string> = {
  15: 'sy', 14: 'st', 13: 'ld', 11: 'ish', 10: 'ishst', 9: 'ishld', 7: 'nsh', 6: 'nshst', 5: 'nshld', 3: 'osh', 2: 'oshst', 1: 'oshld',
};
const BARRIERS = ['', '', '', '', 'dsb', 'dmb', 'isb'];
/** DSB, DMB, ISB by bits 7:4, option in bits 3:0. */
export const barrier: Formatter = (_f, x) => {
  const option = x.insn & 15;
  return [BARRIERS[(x.insn >>> 4) & 15], BARRIER_OPTIONS[option] ?? imm(option)];
};

export const BARRIER_FORMATS: Record<string, Formatter> = {
  clrex: () => ['clrex', ''],
  dsb: barrier,
  dmb: barrier,
  isb: barrier,
};

/** MRC/MCR p15: coprocessor, opc1, Rt, CRn, CRm, opc2 from the raw bits. */
export const mcrMrc: Formatter = (_f: Fields, x: InsnInfo) => {
  const b = (lo: number, n: number): number => (x.insn >>> lo) & ((1 << n) - 1);
  return [`${b(20, 1) ? 'mrc' : 'mcr'}${x.cond}`,
    `p${b(8, 4)}, #${b(21, 3)}, ${reg(b(12, 4))}, c${b(16, 4)}, c${b(0, 4)}, #${b(5, 3)}`];
};
