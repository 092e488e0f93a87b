// The arm guest program of a batch, the riscv64 one's counterpart (see riscv-harness.ts): for
// each sequence, a shared routine loads r0-r12, lr, APSR (NZCVQ, GE), FPSCR, d0-d31 and the
// scratch buffer from the sequence's record; the sequence runs (in A32 or Thumb state); another
// shared routine stores the state next to the buffer and writes it out on the first and the
// last pass.
import { FuzzArch, regSlices } from './arch.js';
import { ARM_GENERATORS, DST, enc, fpscrValue, SCRATCH } from './arm-insns.js';
import { THUMB_GENERATORS } from './thumb-insns.js';
import { writeElf } from './elf-writer.js';
import { Prng } from './prng.js';
import { Item, layOut } from './sequence.js';
import { f32Bits, f64Bits, intValue, scratchBytes } from './values.js';

const CODE = 0x10000;
const DATA = 0x200000;
const GLOBALS = DATA;
const RECORDS = DATA + 16;

// A record: initial buffer, r0-r15 (r13 unused, r15's slot holds the routines' return
// address), d0-d31, FPSCR, APSR; then what is written out: d0-d31, APSR, FPSCR, r0-r15 (r13 is
// sp, r15 0); the working buffer (sp points to it); the address a Thumb sequence returns to.
const INIT_R = SCRATCH, INIT_D = INIT_R + 64, INIT_FPSCR = INIT_D + 256, INIT_APSR = INIT_FPSCR + 4, INIT_SIZE = INIT_APSR + 4;
const DUMP = INIT_SIZE, DUMP_APSR = DUMP + 256, DUMP_FPSCR = DUMP_APSR + 4, DUMP_R = DUMP_FPSCR + 4, WORK = DUMP_R + 64;
const CONT = WORK + SCRATCH;
const RECORD = CONT + 8;
const OUT = CONT - DUMP;
/** tsemu's compile batch (src/tcg/cpu-exec.ts), see riscv-harness.ts. */
const FILLER_BLOCKS = 24;

const w = (at: number): number => at - WORK;
const RET = w(INIT_R + 60);
const AL = 14;

/** LDR/STR rt, [sp, #off]. */
const ldst = (load: number, t: number, off: number): number =>
  enc('cond:4 010 1 U:1 0 0 L:1 1101 t:4 imm12:12', { cond: AL, U: off >= 0 ? 1 : 0, L: load, t, imm12: Math.abs(off) }, '').bytes.reduce((v, b, i) => v | (b << (8 * i)), 0) >>> 0;
const vldst = (load: number, dreg: number, off: number): number =>
  bits(enc('cond:4 1101 U:1 D:1 0 L:1 1101 Vd:4 1011 imm8:8', { cond: AL, U: off >= 0 ? 1 : 0, D: dreg >> 4, L: load, Vd: dreg & 15, imm8: Math.abs(off) >> 2 }, ''));
const bits = (i: { bytes: number[] }): number => i.bytes.reduce((v, b, k) => v | (b << (8 * k)), 0) >>> 0;
const movw = (d: number, v: number): number => (0xe3000000 | ((v >>> 12 & 15) << 16) | (d << 12) | (v & 0xfff)) >>> 0;
const movt = (d: number, v: number): number => (0xe3400000 | ((v >>> 28 & 15) << 16) | (d << 12) | ((v >>> 16) & 0xfff)) >>> 0;
const branch = (cond: number, link: number, from: number, to: number): number => ((cond << 28) | ((0xa + link) << 24) | (((to - from - 8) >> 2) & 0xffffff)) >>> 0;
const SVC0 = 0xef000000;

function setUp(): number[] {
  const out = [ldst(0, 14, RET)];
  for (let k = 0; k < SCRATCH; k += 4) out.push(ldst(1, 0, w(k)), ldst(0, 0, k));
  for (let r = 0; r < 32; r++) out.push(vldst(1, r, w(INIT_D + 8 * r)));
  out.push(ldst(1, 0, w(INIT_FPSCR)), 0xeee10a10 /* vmsr fpscr, r0 */, ldst(1, 0, w(INIT_APSR)), 0xe12cf000 /* msr APSR_nzcvqg, r0 */);
  for (const r of DST) out.push(ldst(1, r, w(INIT_R + 4 * r)));
  out.push(ldst(1, 15, RET));
  return out;
}

function dump(): number[] {
  const out = [ldst(0, 14, RET)];
  for (let r = 0; r < 14; r++) if (r !== 14) out.push(ldst(0, r, w(DUMP_R + 4 * r)));
  out.push(0xe10f0000 /* mrs r0, apsr */, ldst(0, 0, w(DUMP_APSR)), 0xeef10a10 /* vmrs r0, fpscr */, ldst(0, 0, w(DUMP_FPSCR)));
  for (let r = 0; r < 32; r++) out.push(vldst(0, r, w(DUMP + 8 * r)));
  // write(1, record + DUMP, OUT) when the counter (passes left) is the pass count or 1.
  out.push(movw(0, GLOBALS), movt(0, GLOBALS), 0xe5901000 /* ldr r1, [r0] */, 0xe5902004 /* ldr r2, [r0, #4] */,
    0xe1510002 /* cmp r1, r2 */, 0x0a000001 /* beq +2 */, 0xe3510001 /* cmp r1, #1 */, 0x1a000004 /* bne skip */,
    0xe3a00001 /* mov r0, #1 */, 0xe24d1f52 /* sub r1, sp, #328 */, movw(2, OUT), 0xe3a07004 /* mov r7, #4 */, SVC0);
  if (WORK - DUMP !== 328) throw new Error('dump layout changed: fix the sub above');
  out.push(ldst(1, 15, RET));
  return out;
}

interface ArmSeq { items: Item[]; init: Uint8Array }

function build(seqs: ArmSeq[], passes: number): Uint8Array {
  const code: number[] = [];
  const word = (v: number): void => { code.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24); };
  const here = (): number => CODE + code.length;
  const data = new Uint8Array(RECORDS - DATA + seqs.length * RECORD);
  const dv = new DataView(data.buffer);
  dv.setUint32(0, passes, true);
  dv.setUint32(4, passes, true);
  const setUpCode = setUp(), dumpCode = dump();
  word(branch(AL, 0, here(), here() + 4 * (2 + setUpCode.length + dumpCode.length)));
  const setUpThumb = here();
  word(0xe38ee001); // orr lr, lr, #1: return in Thumb state
  const setUpAt = here();
  setUpCode.forEach(word);
  const dumpAt = here();
  dumpCode.forEach(word);
  const start = here();
  seqs.forEach((s, n) => {
    const record = RECORDS + n * RECORD;
    data.set(s.init, record - DATA);
    const thumb = s.init[INIT_SIZE - 1] === THUMB_MARK;
    word(movw(13, record + WORK));
    word(movt(13, record + WORK));
    word(branch(AL, 1, here(), thumb ? setUpThumb : setUpAt));
    for (const insn of layOut(s.items)) code.push(...insn.bytes);
    if (thumb) {
      // str.w lr, [sp, #-8]; ldr.w pc, [sp, #256] (the A32 code below, from the record).
      code.push(0x4d, 0xf8, 0x08, 0xec, 0xdd, 0xf8, SCRATCH & 0xff, SCRATCH >> 8 | 0xf0);
      if (code.length & 2) code.push(0x00, 0xbf); // nop, to align the A32 code
      dv.setUint32(record + CONT - DATA, here(), true);
    } else {
      word(ldst(0, 14, w(DUMP_R + 56)));
    }
    word(branch(AL, 1, here(), dumpAt));
  });
  for (let k = 0; k < FILLER_BLOCKS; k++) word(branch(AL, 0, here(), here() + 4));
  // Count the pass; go round again unless it was the last, else exit_group(0).
  [movw(0, GLOBALS), movt(0, GLOBALS), 0xe5901000 /* ldr r1, [r0] */, 0xe2511001 /* subs r1, r1, #1 */, 0xe5801000 /* str r1, [r0] */].forEach(word);
  word(branch(1, 0, here(), start));
  [0xe3a00000 /* mov r0, #0 */, 0xe3a070f8 /* mov r7, #248 */, SVC0].forEach(word);
  return writeElf({ class: 32, machine: 40, flags: 0x05000400 }, CODE, [
    { vaddr: CODE, bytes: Uint8Array.from(code), flags: 5 },
    { vaddr: DATA, bytes: data, flags: 6 },
  ]);
}

/** The last byte of the initial APSR (always 0 in the register) marks a Thumb sequence. */
const THUMB_MARK = 0x01;

function initState(p: Prng, thumb: boolean): Uint8Array {
  const out = new Uint8Array(INIT_SIZE);
  const v = new DataView(out.buffer);
  out.set(scratchBytes(p, SCRATCH));
  for (const r of DST) v.setUint32(INIT_R + 4 * r, Number(intValue(p, 32)), true);
  for (let r = 0; r < 32; r++) {
    const k = p.below(10);
    const bitsOf = k < 4 ? (f32Bits(p) << 32n) | f32Bits(p) : k < 9 ? f64Bits(p) : intValue(p);
    v.setBigUint64(INIT_D + 8 * r, bitsOf, true);
  }
  v.setUint32(INIT_FPSCR, fpscrValue(p), true);
  v.setUint32(INIT_APSR, ((p.bits(5) << 27) | (p.bits(4) << 16)) >>> 0, true);
  out[INIT_SIZE - 1] = thumb ? THUMB_MARK : 0;
  return out;
}

function initWith(values: Record<string, bigint>, thumb: boolean): Uint8Array {
  const out = new Uint8Array(INIT_SIZE);
  const v = new DataView(out.buffer);
  for (const [name, x] of Object.entries(values)) {
    if (name[0] === 'd') v.setBigUint64(INIT_D + 8 * Number(name.slice(1)), x, true);
    else v.setUint32(name === 'fpscr' ? INIT_FPSCR : name === 'apsr' ? INIT_APSR : INIT_R + 4 * Number(name.slice(1)), Number(x), true);
  }
  out[INIT_SIZE - 1] = thumb ? THUMB_MARK : 0;
  return out;
}

const A32_EXTS = Object.keys(ARM_GENERATORS);
const T32_EXTS = Object.keys(THUMB_GENERATORS).map((e) => `thumb-${e}`);

export const ARM: FuzzArch = {
  name: 'arm',
  qemu: 'qemu-arm',
  qemuArgs: ['-cpu', 'cortex-a15'],
  exts: [...A32_EXTS, ...T32_EXTS],
  sameMode: (a, b) => a.startsWith('thumb-') === b.startsWith('thumb-'),
  item: (p, ext) => p.pick(ext.startsWith('thumb-') ? THUMB_GENERATORS[ext.slice(6)] : ARM_GENERATORS[ext])(p),
  initState: (p, ext) => initState(p, ext.startsWith('thumb-')),
  initWith: (values, ext = '') => initWith(values, ext.startsWith('thumb-')),
  build,
  recordSize: OUT,
  inputs: (init, text) => {
    const v = new DataView(init.buffer, init.byteOffset);
    const hex = (x: number | bigint): string => `0x${x.toString(16)}`;
    const out = [`apsr=${hex(v.getUint32(INIT_APSR, true))}`, `fpscr=${hex(v.getUint32(INIT_FPSCR, true))}`];
    for (const [, f] of text.matchAll(/\b(?:d|n|m|a|s|t|t2|dHi|dLo|ld|ln|lm)=(\d+)/g)) if (Number(f) < 15) out.push(`r${f}=${hex(v.getUint32(INIT_R + 4 * Number(f), true))}`);
    // VFP/NEON operands: D:Vd names d(D*16+Vd) as a double and s(Vd*2+D), inside d(Vd), as a single.
    for (const [, hi, lo] of text.matchAll(/\b[DNM]=(\d) V[dnm]=(\d+)/g)) {
      for (const d of new Set([Number(hi) * 16 + Number(lo), Number(lo)])) out.push(`d${d}=${hex(v.getBigUint64(INIT_D + 8 * d, true))}`);
    }
    return [...new Set(out)];
  },
  slices: [
    ...regSlices('d', 32, 0),
    { name: 'apsr', at: DUMP_APSR - DUMP, size: 4 },
    { name: 'fpscr', at: DUMP_FPSCR - DUMP, size: 4 },
    ...regSlices('r', 15, DUMP_R - DUMP, 4, [13]),
    ...regSlices('scratch+8*', SCRATCH / 8, WORK - DUMP),
  ],
};
