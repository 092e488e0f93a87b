// Random Thumb-2 instructions (ARM ARM DDI 0406C, A6): 32-bit data processing with modified
// immediates and shifted registers, register shifts, multiplies and divides, saturating and
// parallel arithmetic; 16-bit ALU forms; IT blocks of those; forward branches. Registers as in
// arm-insns.ts (sp and pc never written), which rules out Thumb's UNPREDICTABLE sp/pc operands.
import { DST } from './arm-insns.js';
import { encode, fieldText, Fields, fill, parseLayout } from './pattern.js';
import { Prng } from './prng.js';
import { Insn, Item } from './sequence.js';

type Gen = (p: Prng) => Item;
const LOW = [0, 1, 2, 3, 4, 5, 6, 7];
const reg = (p: Prng): number => p.pick(DST);
const DEFAULTS: Record<string, (p: Prng) => number> = {
  d: reg, n: reg, m: reg, a: reg, dHi: reg, dLo: reg, ld: (p) => p.pick(LOW), ln: (p) => p.pick(LOW), lm: (p) => p.pick(LOW),
};

/** A Thumb instruction's bytes: a 32-bit one is two halfwords, the first one first. */
function thumb(bits: number, width: number, text: string): Insn {
  const halves = width === 32 ? [bits >>> 16, bits & 0xffff] : [bits];
  return { bytes: halves.flatMap((h) => [h & 0xff, h >>> 8]), text };
}
function encodeT(spec: string, f: Fields, name: string): Insn {
  const layout = parseLayout(spec);
  return thumb(encode(layout, f), layout.width, `${name} ${fieldText(f)}`);
}
/** One instruction; `ok` rejects reserved combinations. */
function pat(name: string, spec: string, own?: (p: Prng) => Fields, ok: (f: Fields) => boolean = () => true): (p: Prng) => Insn {
  const layout = parseLayout(spec);
  return (p) => {
    for (;;) {
      const f = fill(layout, p, DEFAULTS, own);
      if (ok(f) && (!('dHi' in f) || f.dHi !== f.dLo)) return encodeT(spec, f, name);
    }
  };
}

// Modified-immediate and shifted-register data processing share their op numbers (A6.3.1,
// A6.3.11): Rd 15 with S makes the tests of AND, EOR, ADD and SUB; Rn 15 makes MOV and MVN of
// ORR and ORN.
const DP_OPS = [0, 1, 2, 3, 4, 8, 10, 11, 13, 14];
const dpFields = (p: Prng): Fields => {
  const op = p.pick(DP_OPS);
  const test = [0, 4, 8, 13].includes(op) && p.chance(0.25);
  const move = (op === 2 || op === 3) && p.chance(0.3);
  return { op, S: test ? 1 : p.below(2), d: test ? 15 : reg(p), n: move ? 15 : reg(p) };
};

/** Instructions allowed inside an IT block (and outside it): no branches. */
const PLAIN: ((p: Prng) => Insn)[] = [
  pat('t32-dp-imm', '11110 i:1 0 op:4 S:1 n:4 0 imm3:3 d:4 imm8:8', dpFields),
  pat('t32-dp-reg', '1110101 op:4 S:1 n:4 0 imm3:3 d:4 imm2:2 type:2 m:4', dpFields),
  pat('t32-pkh', '1110101 0110 S:1 n:4 0 imm3:3 d:4 imm2:2 tb:1 0 m:4', () => ({ S: 0 })),
  pat('t32-shift-reg', '11111010 0 type:2 S:1 n:4 1111 d:4 0000 m:4'),
  pat('t32-mul/mla/mls', '111110110000 n:4 a:4 d:4 000 op:1 m:4', (p) => ({ a: p.chance(0.3) ? 15 : reg(p), op: 0 })),
  pat('t32-mls', '111110110000 n:4 a:4 d:4 0001 m:4'),
  pat('t32-long-mul', '111110111 op:3 n:4 dLo:4 dHi:4 0000 m:4', (p) => ({ op: p.pick([0, 2, 4, 6]) })),
  pat('t32-div', '111110111 op:3 n:4 1111 d:4 1111 m:4', (p) => ({ op: p.pick([1, 3]) })),
  pat('t32-qadd', '111110101000 n:4 1111 d:4 10 op:2 m:4'),
  pat('t32-parallel', '111110101 op1:3 n:4 1111 d:4 0 op2:3 m:4', (p) => ({ op1: p.pick([0, 1, 2, 4, 5, 6]), op2: p.pick([0, 1, 2, 4, 5, 6]) })),
  pat('t32-clz', '111110101011 m:4 1111 d:4 1000 m2:4', (p) => { const m = reg(p); return { m, m2: m }; }),
  pat('t32-rev', '111110101001 m:4 1111 d:4 10 op:2 m2:4', (p) => { const m = reg(p); return { m, m2: m }; }),
  pat('t32-ssat/usat', '11110 0 11 U:1 0 sh:1 0 n:4 0 imm3:3 d:4 imm2:2 0 sat:5', undefined, (f) => !(f.sh && f.imm3 === 0 && f.imm2 === 0)),
  pat('t32-sbfx/ubfx', '11110 0 11 U:1 100 n:4 0 imm3:3 d:4 imm2:2 0 w:5', undefined, (f) => ((f.imm3 << 2) | f.imm2) + f.w <= 31),
  // LSL #0 is MOVS (T2), UNPREDICTABLE inside an IT block.
  pat('t16-shift-imm', '000 op:2 imm5:5 lm:3 ld:3', (p) => ({ op: p.below(3) }), (f) => f.op !== 0 || f.imm5 !== 0),
  pat('t16-add/sub', '00011 I:1 op:1 lm:3 ln:3 ld:3'),
  pat('t16-imm8', '001 op:2 ld:3 imm8:8'),
  pat('t16-alu', '010000 op:4 lm:3 ld:3'),
  pat('t16-extend/rev', '1011 op:4 op2:2 lm:3 ld:3', (p) => (p.chance(0.5) ? { op: 2, op2: p.below(4) } : { op: 10, op2: p.pick([0, 1, 3]) })),
];

/** An IT block: IT with a condition other than AL and 1-4 instructions, each then or else. */
function itBlock(p: Prng): Item {
  const first = p.below(14), n = p.range(1, 4);
  let mask = 1 << (4 - n);
  const elses: boolean[] = [];
  for (let k = 1; k < n; k++) {
    const e = p.chance(0.4);
    elses.push(e);
    if (((first & 1) ^ (e ? 1 : 0)) === 1) mask |= 1 << (4 - k);
  }
  const it = thumb(0xbf00 | (first << 4) | mask, 16, `it cond=${first} mask=${mask} ${elses.map((e) => (e ? 'e' : 't')).join('')}`);
  return { insns: [it, ...Array.from({ length: n }, () => p.pick(PLAIN)(p))] };
}

/** A forward branch: B<cond> (T1) or B (T2); pc reads 4 ahead. */
function branch(p: Prng): Item {
  const c = p.chance(0.3) ? 14 : p.below(14);
  const at = (distance: number): Insn[] => [c === 14
    ? thumb(0xe000 | (((distance - 4) >> 1) & 0x7ff), 16, `b .+${distance}`)
    : thumb(0xd000 | (c << 8) | (((distance - 4) >> 1) & 0xff), 16, `b cond=${c} .+${distance}`)];
  return { insns: at(4), skip: p.below(4), retarget: at };
}

export const THUMB_GENERATORS: Record<string, Gen[]> = {
  dp: PLAIN.map((g) => (p: Prng): Item => ({ insns: [g(p)] })),
  it: [itBlock],
  branch: [branch],
};
