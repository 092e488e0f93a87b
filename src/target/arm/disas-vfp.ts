// How qemu-arm's listing spells the VFP patterns of vfp-extensions.ts (ARM ARM A7.5, A7.6,
// A7.8), by pattern name; where a name covers several encodings (vmov, vcvt, vcmp) the fields
// or the raw bits tell them apart. The condition goes before the data type: vaddeq.f64.
import type { Fields } from './decode.js';
import { Formatted, Formatter, InsnInfo, bits, offsetImm, reg, uimm } from './disas-operands.js';

/** Single register Vx:X, double register X:Vx (A7.3). */
export const sReg = (v: number, x: number): string => `s${(v << 1) | x}`;
export const dReg = (v: number, x: number): string => `d${(x << 4) | v}`;
/** A register of the instruction's precision (sz = z). */
const vReg = (f: Fields, v: number, x: number): string => (f.z ? dReg(v, x) : sReg(v, x));
const ft = (f: Fields): string => (f.z ? '.f64' : '.f32');

const three = (name: string): Formatter => (f, x) =>
  [`${name}${x.cond}${ft(f)}`, `${vReg(f, f.d, f.D)}, ${vReg(f, f.n, f.N)}, ${vReg(f, f.m, f.M)}`];
const two = (name: string): Formatter => (f, x) => [`${name}${x.cond}${ft(f)}`, `${vReg(f, f.d, f.D)}, ${vReg(f, f.m, f.M)}`];

/** VFPExpandImm (A7.5.1) of imm8, in C's %e form as the listing prints it. */
export function vfpImm(imm8: number): string {
  const e = (imm8 & 0x40 ? -3 : 1) + ((imm8 >>> 4) & 3);
  const v = (imm8 & 0x80 ? -1 : 1) * (1 + (imm8 & 15) / 16) * 2 ** e;
  return `#${cExp(v)}`;
}
/** printf's %e: six fraction digits and an exponent of at least two digits. */
const cExp = (v: number): string => v.toExponential(6).replace(/e([+-])(\d)$/, 'e$10$2');

/** The VMOV encodings under one name: immediate, register, core register pairs and singles,
 *  and the scalar moves (A7.8). */
const vmov: Formatter = (f, x) => {
  if (f.h !== undefined) return [`vmov${x.cond}${ft(f)}`, `${vReg(f, f.d, f.D)}, ${vfpImm((f.h << 4) | f.l)}`];
  if (f.u !== undefined) {
    const regs = `${reg(f.t)}, ${reg(f.u)}`;
    const sm = (f.m << 1) | f.M;
    const v = f.z ? dReg(f.m, f.M) : `s${sm}, s${sm + 1}`;
    return [`vmov${x.cond}`, f.o ? `${regs}, ${v}` : `${v}, ${regs}`];
  }
  if (f.c !== undefined) return scalarMove(f, x);
  if (f.N !== undefined) return [`vmov${x.cond}`, f.o ? `${reg(f.t)}, ${sReg(f.n, f.N)}` : `${sReg(f.n, f.N)}, ${reg(f.t)}`];
  return two('vmov')(f, x);
};

/** VMOV between a core register and a scalar (A8.8.341, A8.8.342): the size and index from
 *  opc1:opc2 (a:c). */
function scalarMove(f: Fields, x: InsnInfo): Formatted {
  const opc = (f.a << 2) | f.c;
  const [size, index] = opc & 8 ? [8, opc & 7] : opc & 1 ? [16, (opc >>> 1) & 3] : (opc & 2) === 0 ? [32, (opc >>> 2) & 1] : [0, 0];
  if (!size) return [`vmov${x.cond}`, ''];
  const toCore = f.U !== undefined;
  const dt = toCore && size < 32 ? `.${f.U ? 'u' : 's'}${size}` : `.${size}`;
  const scalar = `${dReg(toCore ? f.n : f.d, toCore ? f.N : f.D)}[${index}]`;
  return [`vmov${x.cond}${dt}`, toCore ? `${reg(f.t)}, ${scalar}` : `${scalar}, ${reg(f.t)}`];
}

/** The VCVT encodings under one name, told apart by bits 19:16 (A7.5 table A7-16). */
const vcvt: Formatter = (f, x) => {
  const op = bits(x, 16, 4);
  if (op === 0b0111) {
    return f.z ? [`vcvt${x.cond}.f32.f64`, `${sReg(f.d, f.D)}, ${dReg(f.m, f.M)}`]
      : [`vcvt${x.cond}.f64.f32`, `${dReg(f.d, f.D)}, ${sReg(f.m, f.M)}`];
  }
  if (op === 0b1000) return [`vcvt${x.cond}${ft(f)}.${f.o ? 's' : 'u'}32`, `${vReg(f, f.d, f.D)}, ${sReg(f.m, f.M)}`];
  if ((op & 0b1010) === 0b1010) {
    const size = f.x ? 32 : 16;
    const fixed = `${f.U ? 'u' : 's'}${size}`;
    const rd = vReg(f, f.d, f.D);
    const fbits = size - ((f.I << 1) | f.i);
    return [`vcvt${x.cond}${f.o ? `.${fixed}${ft(f)}` : `${ft(f)}.${fixed}`}`, `${rd}, ${rd}, ${uimm(fbits)}`];
  }
  return [`vcvt${f.o ? '' : 'r'}${x.cond}.${f.U ? 's' : 'u'}32${ft(f)}`, `${sReg(f.d, f.D)}, ${vReg(f, f.m, f.M)}`];
};

/** VLDM/VSTM (A8.8.332, A8.8.354): increment after, or decrement before with writeback; sp
 *  with writeback is VPOP/VPUSH. A double-precision list with an odd word count is FLDMX/FSTMX
 *  (A8.8.333). A list running past the last register stops there (at most 16 doubles). */
const multiple = (load: boolean, db: boolean): Formatter => (f, x) => {
  const first = f.z ? (f.D << 4) | f.d : (f.d << 1) | f.D;
  const count = Math.min(f.z ? Math.min(f.i >>> 1, 16) : f.i, 32 - first);
  const list = `{${Array.from({ length: count }, (_, k) => `${f.z ? 'd' : 's'}${first + k}`).join(', ')}}`;
  const wback = f.W ?? 1; // the decrement-before forms always write back
  const fx = f.z && f.i & 1;
  if (f.r === 13 && wback && db !== load && !fx) return [`${load ? 'vpop' : 'vpush'}${x.cond}`, list];
  const name = fx ? `${load ? 'fldm' : 'fstm'}${db ? 'db' : 'ia'}x` : `${load ? 'vldm' : 'vstm'}${db ? 'db' : 'ia'}`;
  return [`${name}${x.cond}`, `${reg(f.r)}${wback ? '!' : ''}, ${list}`];
};

const single = (name: string): Formatter => (f, x) =>
  [`${name}${x.cond}`, `${vReg(f, f.d, f.D)}, [${reg(f.r)}${f.i || !f.U ? `, ${offsetImm(f.i * 4, f.U === 1)}` : ''}]`];

const SPECIAL: Record<number, string> = {
  0: 'fpsid', 1: 'fpscr', 5: 'mvfr2', 6: 'mvfr1', 7: 'mvfr0', 8: 'fpexc', 9: 'fpinst', 10: 'fpinst2',
};

export const VFP_FORMATS: Record<string, Formatter> = {
  vmla: three('vmla'), vmls: three('vmls'), vnmls: three('vnmls'), vnmla: three('vnmla'),
  vmul: three('vmul'), vnmul: three('vnmul'), vadd: three('vadd'), vsub: three('vsub'), vdiv: three('vdiv'),
  vfnms: three('vfnms'), vfnma: three('vfnma'), vfma: three('vfma'), vfms: three('vfms'),
  vmov,
  vabs: two('vabs'), vneg: two('vneg'), vsqrt: two('vsqrt'),
  vcvtb: (f, x) => [`vcvt${f.T ? 't' : 'b'}${x.cond}${f.o ? '.f16.f32' : '.f32.f16'}`, `${sReg(f.d, f.D)}, ${sReg(f.m, f.M)}`],
  vcmp: (f, x) => [`vcmp${f.E ? 'e' : ''}${x.cond}${ft(f)}`, `${vReg(f, f.d, f.D)}, ${f.m === undefined ? '#0' : vReg(f, f.m, f.M)}`],
  vcvt,
  vstm: multiple(false, false), vldm: multiple(true, false),
  vstmdb: multiple(false, true), vldmdb: multiple(true, true),
  vstr: single('vstr'), vldr: single('vldr'),
  vmsr: (f, x) => [`vmsr${x.cond}`, `${SPECIAL[f.r] ?? `c${f.r}`}, ${reg(f.t)}`],
  vmrs: (f, x) => [`vmrs${x.cond}`, `${f.t === 15 ? 'apsr_nzcv' : reg(f.t)}, ${SPECIAL[f.r] ?? `c${f.r}`}`],
};
