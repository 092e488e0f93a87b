// Decoding as data, in the manner of QEMU's decodetree: each extension file exports a table of
// patterns (mask, match, format, translate function). The decoder walks the tables; the first
// pattern whose (insn & mask) === match wins, so more specific patterns come first.
// Field positions: RISC-V unprivileged ISA, chapter 2.2-2.3 (base formats and immediates).
import type { DisasContext } from './disas-context.js';

/** Decoded operand fields; which are meaningful depends on the format. */
export interface Args {
  rd: number;
  rs1: number;
  rs2: number;
  rs3: number;
  /** Sign-extended immediate (I, S, B, U, J formats), or the shift amount for shifts. */
  imm: number;
  /** funct3 as a rounding mode (F/D) or fence fields. */
  rm: number;
  /** The CSR number (Zicsr, unsigned 12 bits). */
  csr: number;
  aq: number;
  rl: number;
}

export type Format = 'R' | 'R4' | 'I' | 'S' | 'B' | 'U' | 'J' | 'SH' | 'CSR' | 'ATOM' | 'NONE';

/** Returns false when the operands are reserved (the decoder then raises illegal instruction). */
export type TransFn = (s: DisasContext, a: Args) => boolean;

export interface Pattern {
  name: string;
  mask: number;
  match: number;
  format: Format;
  trans: TransFn;
}

const bits = (x: number, hi: number, lo: number): number => (x >>> lo) & ((1 << (hi - lo + 1)) - 1);
const sext = (x: number, width: number): number => (x << (32 - width)) >> (32 - width);

/** Extracts the fields of a 32-bit instruction in the given format. */
export function extract(insn: number, format: Format): Args {
  const a: Args = {
    rd: bits(insn, 11, 7),
    rs1: bits(insn, 19, 15),
    rs2: bits(insn, 24, 20),
    rs3: bits(insn, 31, 27),
    imm: 0,
    rm: bits(insn, 14, 12),
    csr: bits(insn, 31, 20),
    aq: bits(insn, 26, 26),
    rl: bits(insn, 25, 25),
  };
  switch (format) {
    case 'I': case 'CSR': a.imm = insn >> 20; break;
    case 'S': a.imm = (sext(bits(insn, 31, 25), 7) << 5) | bits(insn, 11, 7); break;
    case 'B':
      a.imm = sext(
        (bits(insn, 31, 31) << 12) | (bits(insn, 7, 7) << 11) | (bits(insn, 30, 25) << 5) | (bits(insn, 11, 8) << 1),
        13,
      );
      break;
    case 'U': a.imm = insn & 0xfffff000; break; // already sign-extended as an int32
    case 'J':
      a.imm = sext(
        (bits(insn, 31, 31) << 20) | (bits(insn, 19, 12) << 12) | (bits(insn, 20, 20) << 11) | (bits(insn, 30, 21) << 1),
        21,
      );
      break;
    case 'SH': a.imm = bits(insn, 25, 20); break; // RV64 shift amount (6 bits)
    default: break;
  }
  return a;
}

// Each table is also kept split into 32 buckets by bits that (almost) every pattern fixes: the
// major opcode (bits 6:2) of 32-bit instructions, quadrant and funct3 (bits 1:0, 15:13) of
// 16-bit ones. A pattern goes into every bucket it can match, in table order, so a lookup
// scans a few candidates with the same first match as a scan of the whole table. Decoding is
// run cold (once per translated instruction), where the full scan was a third of translation.
const KEY32_BITS = 0x7c;
const key32 = (insn: number): number => (insn >>> 2) & 31;
const KEY16_BITS = 0xe003;
const key16 = (insn: number): number => (insn & 3) | ((insn >>> 11) & 0x1c);
/** The instruction bits that bucket k stands for (the inverse of key32 / key16). */
const bits32 = (k: number): number => k << 2;
const bits16 = (k: number): number => (k & 3) | ((k & 0x1c) << 11);

const bucketCache = new WeakMap<readonly { mask: number; match: number }[], unknown[][]>();
function bucketsOf<P extends { mask: number; match: number }>(
  table: readonly P[], keyBits: number, bitsOf: (k: number) => number,
): P[][] {
  let b = bucketCache.get(table) as P[][] | undefined;
  if (!b) {
    b = Array.from({ length: 32 }, (_, k) =>
      table.filter((p) => ((bitsOf(k) ^ p.match) & p.mask & keyBits) === 0));
    bucketCache.set(table, b);
  }
  return b;
}

/** Finds the pattern for a 32-bit instruction. Tables are searched in order. */
export function decode32(tables: readonly Pattern[][], insn: number): Pattern | undefined {
  const k = key32(insn);
  for (const t of tables) {
    for (const p of bucketsOf(t, KEY32_BITS, bits32)[k]) if (((insn & p.mask) >>> 0) === p.match >>> 0) return p;
  }
  return undefined;
}

/** A compressed (16-bit) pattern: `expand` gives the operands of the equivalent 32-bit
 *  instruction (RISC-V unprivileged ISA, chapter 16: every RVC instruction expands to one),
 *  or null when the encoding is reserved. */
export interface CPattern {
  name: string;
  mask: number;
  match: number;
  expand: (insn: number) => Args | null;
  trans: TransFn;
}

export function decode16(table: readonly CPattern[], insn: number): CPattern | undefined {
  for (const p of bucketsOf(table, KEY16_BITS, bits16)[key16(insn)]) if ((insn & p.mask) === p.match) return p;
  return undefined;
}

export { bits, sext };
