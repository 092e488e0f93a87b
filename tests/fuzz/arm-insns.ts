// Random A32 instructions (ARMv7-A with the DSP, divide, VFPv3-D32 and NEON extensions), each a
// valid encoding with no UNPREDICTABLE operand choice: results go to r0-r12 and lr (sp holds the
// scratch buffer's address, pc is never written but by forward branches), memory accesses stay
// in the buffer, and FPSCR is only written with the modes the generator chose.
// Encodings are written as in the ARM ARM (DDI 0406C, A5-A8) and filled by field name.
import { encode, fieldText, Fields, fill, Layout, parseLayout } from './pattern.js';
import { Prng } from './prng.js';
import { Insn, Item, word32 } from './sequence.js';

export const SCRATCH = 256;
export const SP = 13;

export const DST = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14];
type Gen = (p: Prng) => Item;

const cond = (p: Prng): number => (p.chance(0.5) ? 14 : p.below(15));
const src = (p: Prng): number => p.pick(DST);
const DEFAULTS: Record<string, (p: Prng) => number> = {
  cond, d: src, t: src, dHi: src, dLo: src, n: src, m: src, s: src, a: src,
};
const ISSUE = (f: Fields): boolean => !('dHi' in f) || f.dHi !== f.dLo;

/** An instruction from its encoding diagram; `own` sets fields by rule, `ok` rejects a
 *  combination (tried again until it passes). */
function pat(name: string, spec: string, own?: (p: Prng) => Fields, ok: (f: Fields) => boolean = () => true): Gen {
  const layout = parseLayout(spec);
  return (p) => {
    for (;;) {
      const f = fill(layout, p, DEFAULTS, own);
      if (ok(f) && ISSUE(f)) return { insns: [a32(layout, f, name)] };
    }
  };
}
const a32 = (layout: Layout, f: Fields, name: string): Insn => word32(encode(layout, f), `${name} ${fieldText(f)}`);
export const enc = (spec: string, f: Fields, name: string): Insn => a32(parseLayout(spec), f, name);

/** Sets `reg` to sp + `delta` (|delta| < 256, an encodable immediate). */
function addSp(reg: number, delta: number): Insn {
  if (Math.abs(delta) > 255) throw new Error(`addSp: ${delta} is not an 8-bit immediate`);
  return delta >= 0
    ? enc('1110 0010100 0 1101 d:4 imm:12', { d: reg, imm: delta }, `add r${reg}, sp, #${delta}`)
    : enc('1110 0010010 0 1101 d:4 imm:12', { d: reg, imm: -delta }, `sub r${reg}, sp, #${-delta}`);
}

const DP_OPS = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn', 'orr', 'mov', 'bic', 'mvn'];
/** Data processing fields: tests set flags and have no Rd, moves have no Rn. */
const dpFields = (p: Prng, pcSource: boolean): Fields => {
  const op = p.below(16);
  const test = op >= 8 && op <= 11, move = op === 13 || op === 15;
  return {
    op, S: test ? 1 : p.below(2), d: test ? 0 : src(p),
    n: move ? 0 : pcSource && p.chance(0.05) ? 15 : p.chance(0.05) ? SP : src(p),
    m: pcSource && p.chance(0.03) ? 15 : p.chance(0.05) ? SP : src(p),
  };
};
const DP: Gen[] = [
  pat('dp-imm-shift', 'cond:4 000 op:4 S:1 n:4 d:4 imm5:5 type:2 0 m:4', (p) => dpFields(p, true)),
  pat('dp-reg-shift', 'cond:4 000 op:4 S:1 n:4 d:4 s:4 0 type:2 1 m:4', (p) => {
    // Register-shifted register: no pc, and sp is fine as a source in A32.
    const f = dpFields(p, false);
    return { ...f, s: p.chance(0.3) ? p.pick([0, 1, 2]) : src(p) };
  }),
  pat('dp-imm', 'cond:4 001 op:4 S:1 n:4 d:4 rot:4 imm8:8', (p) => dpFields(p, true)),
  pat('movw', 'cond:4 00110000 imm4:4 d:4 imm12:12'),
  pat('movt', 'cond:4 00110100 imm4:4 d:4 imm12:12'),
];

const MUL: Gen[] = [
  pat('mul', 'cond:4 0000000 S:1 d:4 0000 m:4 1001 n:4'),
  pat('mla', 'cond:4 0000001 S:1 d:4 a:4 m:4 1001 n:4'),
  pat('mls', 'cond:4 00000110 d:4 a:4 m:4 1001 n:4'),
  pat('umaal', 'cond:4 00000100 dHi:4 dLo:4 m:4 1001 n:4'),
  pat('long-mul', 'cond:4 00001 op:2 S:1 dHi:4 dLo:4 m:4 1001 n:4'),
  pat('smlaxy', 'cond:4 00010000 d:4 a:4 m:4 1 M:1 N:1 0 n:4'),
  pat('smlawy', 'cond:4 00010010 d:4 a:4 m:4 1 M:1 00 n:4'),
  pat('smulwy', 'cond:4 00010010 d:4 0000 m:4 1 M:1 10 n:4'),
  pat('smlalxy', 'cond:4 00010100 dHi:4 dLo:4 m:4 1 M:1 N:1 0 n:4'),
  pat('smulxy', 'cond:4 00010110 d:4 0000 m:4 1 M:1 N:1 0 n:4'),
  pat('smlad/smlsd/smuad/smusd', 'cond:4 01110000 d:4 a:4 m:4 0 sub:1 M:1 1 n:4', (p) => ({ a: p.chance(0.3) ? 15 : src(p) })),
  pat('smlald/smlsld', 'cond:4 01110100 dHi:4 dLo:4 m:4 0 sub:1 M:1 1 n:4'),
  pat('smmla/smmul', 'cond:4 01110101 d:4 a:4 m:4 00 R:1 1 n:4', (p) => ({ a: p.chance(0.3) ? 15 : src(p) })),
  pat('smmls', 'cond:4 01110101 d:4 a:4 m:4 11 R:1 1 n:4'),
  pat('sdiv', 'cond:4 01110001 d:4 1111 m:4 0001 n:4'),
  pat('udiv', 'cond:4 01110011 d:4 1111 m:4 0001 n:4'),
  pat('usad8/usada8', 'cond:4 01111000 d:4 a:4 m:4 0001 n:4', (p) => ({ a: p.chance(0.3) ? 15 : src(p) })),
];

const PARALLEL_OP1 = [1, 2, 3, 5, 6, 7];
const PARALLEL_OP2 = [0, 1, 2, 3, 4, 7];
const SAT: Gen[] = [
  pat('qadd/qsub/qdadd/qdsub', 'cond:4 00010 op:2 0 n:4 d:4 0000 0101 m:4'),
  pat('ssat', 'cond:4 0110101 sat:5 d:4 imm5:5 sh:1 01 n:4'),
  pat('usat', 'cond:4 0110111 sat:5 d:4 imm5:5 sh:1 01 n:4'),
  pat('ssat16', 'cond:4 01101010 sat:4 d:4 1111 0011 n:4'),
  pat('usat16', 'cond:4 01101110 sat:4 d:4 1111 0011 n:4'),
  pat('parallel', 'cond:4 01100 op1:3 n:4 d:4 1111 op2:3 1 m:4', (p) => ({ op1: p.pick(PARALLEL_OP1), op2: p.pick(PARALLEL_OP2) })),
  pat('sel', 'cond:4 01101000 n:4 d:4 1111 1011 m:4'),
];

const MISC: Gen[] = [
  pat('clz', 'cond:4 00010110 1111 d:4 1111 0001 m:4'),
  pat('rbit', 'cond:4 01101111 1111 d:4 1111 0011 m:4'),
  pat('rev', 'cond:4 01101011 1111 d:4 1111 0011 m:4'),
  pat('rev16', 'cond:4 01101011 1111 d:4 1111 1011 m:4'),
  pat('revsh', 'cond:4 01101111 1111 d:4 1111 1011 m:4'),
  pat('extend', 'cond:4 01101 op:3 n:4 d:4 rot:2 00 0111 m:4', (p) => ({ op: p.pick([0, 2, 3, 4, 6, 7]), n: p.chance(0.4) ? 15 : src(p) })),
  pat('pkh', 'cond:4 01101000 n:4 d:4 imm5:5 tb:1 01 m:4'),
  pat('bfc/bfi', 'cond:4 0111110 msb:5 d:4 lsb:5 001 n:4', (p) => ({ n: p.chance(0.3) ? 15 : src(p) }), (f) => f.msb >= f.lsb),
  pat('sbfx/ubfx', 'cond:4 01111 U:1 1 w:5 d:4 lsb:5 101 n:4', undefined, (f) => f.lsb + f.w <= 31),
  pat('mrs', 'cond:4 00010000 1111 d:4 0000 0000 0000'),
  pat('msr-imm', 'cond:4 00110010 mask:2 00 1111 rot:4 imm8:8', (p) => ({ mask: p.range(1, 3) })),
  pat('msr-reg', 'cond:4 00010010 mask:2 00 1111 0000 0000 n:4', (p) => ({ mask: p.range(1, 3) })),
];

/** Loads and stores: an item sets a base register from sp so that the access (with its offset,
 *  index register or writeback) falls inside the buffer. */
function memAccess(p: Prng): Item {
  const k = p.below(4);
  const load = p.below(2);
  const t = src(p);
  const b = p.pick(DST.filter((r) => r !== t));
  const c = cond(p);
  if (k === 0 || k === 1) {
    // LDR/STR(B) immediate: offset, pre-indexed or post-indexed.
    const byte = p.below(2), size = byte ? 1 : 4;
    const mode = p.below(3); // 0 offset, 1 pre (writeback), 2 post
    const at = p.chance(0.8) ? p.below(SCRATCH / size) * size : p.below(SCRATCH - size + 1);
    const off = p.range(-64, 64);
    const baseAt = mode === 2 ? at : at - off;
    if (baseAt > 255 || baseAt < -255) return memAccess(p);
    const [P, W] = mode === 0 ? [1, 0] : mode === 1 ? [1, 1] : [0, 0];
    const f = { cond: c, P, U: off >= 0 ? 1 : 0, B: byte, W, L: load, n: b, t, imm12: Math.abs(off) };
    return { insns: [addSp(b, baseAt), enc('cond:4 010 P:1 U:1 B:1 W:1 L:1 n:4 t:4 imm12:12', f, `${load ? 'ldr' : 'str'}${byte ? 'b' : ''}`)] };
  }
  if (k === 2) {
    // The extra loads and stores (halfword, signed, doubleword), immediate offset.
    const op = p.range(1, 3); // 1 H, 2 LDRD / LDRSB, 3 STRD / LDRSH
    const dual = op >= 2 && !load;
    const size = op === 1 ? 2 : dual ? 8 : op === 2 ? 1 : 2;
    const tt = dual ? p.pick([0, 2, 4, 6, 8, 10]) : t;
    const bb = p.pick(DST.filter((r) => r !== tt && !(dual && r === tt + 1)));
    const mode = p.below(3);
    const at = p.below(SCRATCH / size) * size;
    const off = dual ? p.range(-8, 8) * 4 : p.range(-32, 32);
    const baseAt = mode === 2 ? at : at - off;
    if (baseAt > 255 || baseAt < -255) return memAccess(p);
    const [P, W] = mode === 0 ? [1, 0] : mode === 1 ? [1, 1] : [0, 0];
    const f = { cond: c, P, U: off >= 0 ? 1 : 0, W, L: load, n: bb, t: tt, hi: Math.abs(off) >> 4, op, lo: Math.abs(off) & 15 };
    return { insns: [addSp(bb, baseAt), enc('cond:4 000 P:1 U:1 1 W:1 L:1 n:4 t:4 hi:4 1 op:2 1 lo:4', f, 'extra-ldst')] };
  }
  // LDM/STM of registers other than the base, increment or decrement, before or after.
  const list = DST.filter((r) => r !== b && p.chance(0.4));
  if (list.length === 0) list.push(t === b ? DST.find((r) => r !== b)! : t);
  const n = list.length;
  const mode = p.below(4); // 0 DA, 1 IA, 2 DB, 3 IB
  const lowest = p.below((SCRATCH - 4 * n) / 4 + 1) * 4;
  const start = [lowest + 4 * n - 4, lowest, lowest + 4 * n, lowest - 4][mode];
  if (start > 255 || start < -255) return memAccess(p);
  const f = { cond: c, P: mode >> 1, U: mode & 1, W: p.below(2), L: load, n: b, list: list.reduce((m, r) => m | (1 << r), 0) };
  return { insns: [addSp(b, start), enc('cond:4 100 P:1 U:1 0 W:1 L:1 n:4 list:16', f, load ? 'ldm' : 'stm')] };
}

/** A forward branch over 0-3 items (pc reads 8 ahead in A32). */
function branch(p: Prng): Item {
  const [c, link] = [cond(p), p.chance(0.2) ? 1 : 0];
  const at = (distance: number): Insn[] =>
    [enc('cond:4 101 L:1 imm24:24', { cond: c, L: link, imm24: (distance - 8) >> 2 }, `b${link ? 'l' : ''} .+${distance}`)];
  return { insns: at(8), skip: p.below(4), retarget: at };
}

/** VFP register fields: a double's top bit is D, a single's bottom bit is. */
const vd = (reg: number, dbl: number): [number, number] => (dbl ? [reg >> 4, reg & 15] : [reg & 1, reg >> 1]);
const vreg = (p: Prng): number => p.below(32);
function vfp3(name: string, spec: string): Gen {
  return (p) => {
    const sz = p.below(2);
    const [D, Vd] = vd(vreg(p), sz), [N, Vn] = vd(vreg(p), sz), [M, Vm] = vd(vreg(p), sz);
    return { insns: [enc(spec, { cond: cond(p), D, Vd, N, Vn, M, Vm, sz }, `${name}.f${sz ? 64 : 32}`)] };
  };
}
/** Two-register VFP ops (Vn field is the opcode); `dstSz`/`srcSz` map the size bit to each
 *  operand's precision (conversions have mixed ones). */
function vfp2(name: string, spec: string, own: (p: Prng) => Fields = () => ({}), dstSz = (sz: number): number => sz, srcSz = (sz: number): number => sz): Gen {
  return (p) => {
    const o = own(p);
    const sz = o.sz ?? p.below(2);
    const [D, Vd] = vd(p.below(32), dstSz(sz)), [M, Vm] = vd(p.below(32), srcSz(sz));
    return { insns: [enc(spec, { cond: cond(p), D, Vd, M, Vm, sz, ...o }, `${name}${fieldText(o)}.f${sz ? 64 : 32}`)] };
  };
}
/** A valid FPSCR: NZCV, the modes (AHP, DN, FZ, RMode) and the cumulative flags at random; no
 *  short vectors and no trap enables. */
export const fpscrValue = (p: Prng): number => ((p.bits(4) << 28) | (p.bits(4) << 22) | p.bits(5) | (p.bits(1) << 7)) >>> 0;

const VFP: Gen[] = [
  vfp3('vadd', 'cond:4 11100 D:1 11 Vn:4 Vd:4 101 sz:1 N:1 0 M:1 0 Vm:4'),
  vfp3('vsub', 'cond:4 11100 D:1 11 Vn:4 Vd:4 101 sz:1 N:1 1 M:1 0 Vm:4'),
  vfp3('vmul', 'cond:4 11100 D:1 10 Vn:4 Vd:4 101 sz:1 N:1 0 M:1 0 Vm:4'),
  vfp3('vnmul', 'cond:4 11100 D:1 10 Vn:4 Vd:4 101 sz:1 N:1 1 M:1 0 Vm:4'),
  vfp3('vdiv', 'cond:4 11101 D:1 00 Vn:4 Vd:4 101 sz:1 N:1 0 M:1 0 Vm:4'),
  vfp3('vmla', 'cond:4 11100 D:1 00 Vn:4 Vd:4 101 sz:1 N:1 0 M:1 0 Vm:4'),
  vfp3('vmls', 'cond:4 11100 D:1 00 Vn:4 Vd:4 101 sz:1 N:1 1 M:1 0 Vm:4'),
  vfp3('vnmla', 'cond:4 11100 D:1 01 Vn:4 Vd:4 101 sz:1 N:1 1 M:1 0 Vm:4'),
  vfp3('vnmls', 'cond:4 11100 D:1 01 Vn:4 Vd:4 101 sz:1 N:1 0 M:1 0 Vm:4'),
  vfp2('vmov/vabs/vneg/vsqrt', 'cond:4 11101 D:1 11 000 op1:1 Vd:4 101 sz:1 op2:1 1 M:1 0 Vm:4', (p) => ({ op1: p.below(2), op2: p.below(2) })),
  vfp2('vcmp', 'cond:4 11101 D:1 11 0100 Vd:4 101 sz:1 E:1 1 M:1 0 Vm:4', (p) => ({ E: p.below(2) })),
  (p) => {
    const sz = p.below(2), [D, Vd] = vd(p.below(32), sz);
    return { insns: [enc('cond:4 11101 D:1 11 0101 Vd:4 101 sz:1 E:1 1 0 0 0000', { cond: cond(p), D, Vd, sz, E: p.below(2) }, 'vcmp #0')] };
  },
  vfp2('vcvt.f32.f64/f64.f32', 'cond:4 11101 D:1 11 0111 Vd:4 101 sz:1 11 M:1 0 Vm:4', undefined, (sz) => 1 - sz),
  // float to integer (op: round to zero, else FPSCR's mode), integer to float (op: signed).
  vfp2('vcvt.to-int', 'cond:4 11101 D:1 111 10 S:1 Vd:4 101 sz:1 op:1 1 M:1 0 Vm:4', (p) => ({ S: p.below(2), op: p.below(2) }), () => 0),
  vfp2('vcvt.from-int', 'cond:4 11101 D:1 111 000 Vd:4 101 sz:1 op:1 1 M:1 0 Vm:4', (p) => ({ op: p.below(2) }), undefined, () => 0),
  (p) => {
    // Fixed point, in place: 16-bit (sx 0) or 32-bit; frac_bits = size - imm5 must be >= 0.
    const [sf, sx] = [p.below(2), p.below(2)];
    const imm5 = p.below(sx ? 32 : 17);
    const [D, Vd] = vd(p.below(32), sf);
    const f = { cond: cond(p), D, op: p.below(2), U: p.below(2), Vd, sf, sx, i: imm5 & 1, imm4: imm5 >> 1 };
    return { insns: [enc('cond:4 11101 D:1 111 op:1 1 U:1 Vd:4 101 sf:1 sx:1 1 i:1 0 imm4:4', f, 'vcvt.fixed')] };
  },
  (p) => {
    const sz = p.below(2), [D, Vd] = vd(p.below(32), sz), v = p.bits(8);
    return { insns: [enc('cond:4 11101 D:1 11 hi:4 Vd:4 101 sz:1 0000 lo:4', { cond: cond(p), D, Vd, sz, hi: v >> 4, lo: v & 15 }, `vmov.imm #${v}`)] };
  },
  (p) => {
    const sz = p.below(2), [D, Vd] = vd(p.below(32), sz);
    const at = p.below(SCRATCH / (sz ? 8 : 4)) * (sz ? 8 : 4);
    const f = { cond: cond(p), D, L: p.below(2), Vd, sz, imm8: at >> 2 };
    return { insns: [enc('cond:4 1101 1 D:1 0 L:1 1101 Vd:4 101 sz:1 imm8:8', f, f.L ? 'vldr' : 'vstr')] };
  },
  (p) => {
    const [N, Vn] = vd(p.below(32), 0);
    return { insns: [enc('cond:4 1110000 op:1 Vn:4 t:4 1010 N:1 0010000', { cond: cond(p), op: p.below(2), Vn, N, t: src(p) }, 'vmov core/single')] };
  },
  (p) => {
    const [M, Vm] = vd(p.below(32), 1), t = src(p), t2 = p.pick(DST.filter((r) => r !== t));
    return { insns: [enc('cond:4 1100010 op:1 t2:4 t:4 1011 00 M:1 1 Vm:4', { cond: cond(p), op: p.below(2), t, t2, M, Vm }, 'vmov core/double')] };
  },
  (p) => ({ insns: [enc('cond:4 11101111 0001 t:4 1010 0001 0000', { cond: cond(p), t: p.chance(0.5) ? 15 : src(p) }, 'vmrs')] }),
  (p) => {
    // FPSCR written with a chosen value: movw, movt, vmsr.
    const t = src(p), v = fpscrValue(p);
    return {
      insns: [enc('1110 00110000 imm4:4 d:4 imm12:12', { d: t, imm4: (v >>> 12) & 15, imm12: v & 0xfff }, 'movw'),
        enc('1110 00110100 imm4:4 d:4 imm12:12', { d: t, imm4: v >>> 28, imm12: (v >>> 16) & 0xfff }, 'movt'),
        enc('cond:4 11101110 0001 t:4 1010 0001 0000', { cond: cond(p), t }, `vmsr fpscr=0x${v.toString(16)}`)],
    };
  },
];

/** NEON "three registers of the same length" (A7.4.1): integer and logic ops of every size, and
 *  the float ops (which use the standard FPSCR value: flush to zero, default NaN). */
// Integer ops by (op, o1): [U allowed (-1 either), sizes allowed, D registers only (pairwise)].
const NEON_INT: [number, number, number, number[], boolean][] = [
  [0, 0, -1, [0, 1, 2], false], [0, 1, -1, [0, 1, 2, 3], false], [1, 0, -1, [0, 1, 2], false], [1, 1, -1, [0, 1, 2, 3], false],
  [2, 0, -1, [0, 1, 2], false], [2, 1, -1, [0, 1, 2, 3], false], [3, 0, -1, [0, 1, 2], false], [3, 1, -1, [0, 1, 2], false],
  [4, 0, -1, [0, 1, 2, 3], false], [4, 1, -1, [0, 1, 2, 3], false], [5, 0, -1, [0, 1, 2, 3], false], [5, 1, -1, [0, 1, 2, 3], false],
  [6, 0, -1, [0, 1, 2], false], [6, 1, -1, [0, 1, 2], false], [7, 0, -1, [0, 1, 2], false], [7, 1, -1, [0, 1, 2], false],
  [8, 0, -1, [0, 1, 2, 3], false], [8, 1, -1, [0, 1, 2], false], [9, 0, -1, [0, 1, 2], false], [9, 1, 0, [0, 1, 2], false],
  [10, 0, -1, [0, 1, 2], true], [10, 1, -1, [0, 1, 2], true], [11, 0, -1, [1, 2], false], [11, 1, 0, [0, 1, 2], true],
];
// Float ops (size bit 0 is 0, F32) by (op, o1, U): [size bit 1 allowed values, D registers only].
const NEON_FLOAT: [number, number, number, number[], boolean][] = [
  [13, 0, 0, [0, 1], false], [13, 0, 1, [0], true], [13, 0, 1, [1], false], [13, 1, 0, [0, 1], false], [13, 1, 1, [0], false],
  [14, 0, 0, [0], false], [14, 0, 1, [0, 1], false], [14, 1, 1, [0, 1], false], [15, 0, 0, [0, 1], false], [15, 0, 1, [0, 1], true],
  [15, 1, 0, [0, 1], false],
];
function neonRegs(p: Prng, dOnly: boolean): Fields {
  const q = dOnly ? 0 : p.below(2);
  const r = (): number => (q ? p.below(16) * 2 : p.below(32));
  const [d, n, m] = [r(), r(), r()];
  return { Q: q, D: d >> 4, Vd: d & 15, N: n >> 4, Vn: n & 15, M: m >> 4, Vm: m & 15 };
}
const NEON_SPEC = '1111001 U:1 0 D:1 size:2 Vn:4 Vd:4 op:4 N:1 Q:1 M:1 o1:1 Vm:4';
const NEON: Gen[] = [
  (p) => {
    const [op, o1, u, sizes, dOnly] = p.pick(NEON_INT);
    const f = { ...neonRegs(p, dOnly), op, o1, U: u < 0 ? p.below(2) : u, size: p.pick(sizes) };
    return { insns: [enc(NEON_SPEC, f, 'neon-3same')] };
  },
  (p) => {
    const [op, o1, u, sizes, dOnly] = p.pick(NEON_FLOAT);
    const f = { ...neonRegs(p, dOnly), op, o1, U: u, size: p.pick(sizes) << 1 };
    return { insns: [enc(NEON_SPEC, f, 'neon-3same-float')] };
  },
];

export const ARM_GENERATORS: Record<string, Gen[]> = {
  dp: DP, mul: MUL, sat: SAT, misc: MISC, mem: [memAccess], branch: [branch], vfp: VFP, neon: NEON,
};
