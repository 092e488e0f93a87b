// Decoding as data for the ARM decoders (A32 here, T16/T32 in the Thumb files), in the manner of
// QEMU's decodetree: each pattern is written as its encoding diagram from the ARM ARM, one
// character per bit, most significant first (spaces ignored):
//   '0' / '1'  a fixed bit (part of mask and match)
//   '-'        a bit the pattern ignores (should-be-zero/one bits; the ARM ARM calls their
//              other values UNPREDICTABLE, so accepting them is allowed)
//   a letter   a bit of the field named by that letter; the bits of one letter are concatenated
//              in order of appearance (so T32's i:imm3:imm8 is simply 'i' in three places).
// A32 and T32 patterns have 32 characters (a T32 instruction is hw1 << 16 | hw2), T16 ones 16.
// The first pattern whose (insn & mask) === match wins, so more specific patterns come first.
import type { ArmDisasContext } from './disas-context.js';

/** Field values by letter, as unsigned numbers. */
export type Fields = Record<string, number>;

/** Returns false when the operands are UNDEFINED: the decoder then raises SIGILL. */
export type ArmTrans = (s: ArmDisasContext, f: Fields) => boolean;

interface FieldBits { name: string; positions: number[] }

export interface ArmPattern {
  name: string;
  mask: number;
  match: number;
  fields: FieldBits[];
  trans: ArmTrans;
  /** The diagram's length: 16 (T16) or 32 bits. */
  width: number;
}

/** Builds a pattern from its encoding diagram. */
export function pat(name: string, diagram: string, trans: ArmTrans): ArmPattern {
  const bits = diagram.replace(/ /g, '');
  if (bits.length !== 32 && bits.length !== 16) throw new Error(`${name}: ${bits.length}-bit diagram`);
  let mask = 0;
  let match = 0;
  const byName = new Map<string, number[]>();
  for (let i = 0; i < bits.length; i++) {
    const bit = bits.length - 1 - i;
    const ch = bits[i];
    if (ch === '0' || ch === '1') {
      mask |= 1 << bit;
      if (ch === '1') match |= 1 << bit;
    } else if (ch !== '-') {
      const list = byName.get(ch) ?? [];
      list.push(bit);
      byName.set(ch, list);
    }
  }
  const fields = [...byName].map(([n, positions]) => ({ name: n, positions }));
  return { name, mask: mask >>> 0, match: match >>> 0, fields, trans, width: bits.length };
}

export function extractFields(p: ArmPattern, insn: number): Fields {
  const f: Fields = {};
  for (const { name, positions } of p.fields) {
    let v = 0;
    for (const bit of positions) v = v * 2 + ((insn >>> bit) & 1);
    f[name] = v;
  }
  return f;
}

// findPattern looks, in each table, only at the patterns that agree with the instruction's key
// bits (27:20 of a 32-bit encoding: A32's major opcode bits, T32's hw1[11:4]; 15:8 of a T16
// one), in table order, so the first match is the one a scan of the whole table finds. A scan
// of the T32, VFP and NEON tables (over 300 patterns) was most of an instruction's decoding.
const KEY_MASK = 0xff;
const keyShift = (width: number): number => (width === 16 ? 8 : 20);
/** Per table, its patterns by key, each list made at its first use. */
const buckets = new WeakMap<readonly ArmPattern[], ArmPattern[][]>();

function bucketOf(table: readonly ArmPattern[], shift: number, key: number): readonly ArmPattern[] {
  let byKey = buckets.get(table);
  if (!byKey) buckets.set(table, (byKey = []));
  return (byKey[key] ??= table.filter((p) => (((key << shift) ^ p.match) & p.mask & (KEY_MASK << shift)) === 0));
}

export function findPattern(tables: readonly (readonly ArmPattern[])[], insn: number): ArmPattern | undefined {
  for (const t of tables) {
    if (t.length === 0) continue;
    const shift = keyShift(t[0].width);
    for (const p of bucketOf(t, shift, (insn >>> shift) & KEY_MASK)) if (((insn & p.mask) >>> 0) === p.match) return p;
  }
  return undefined;
}

/** Sign-extends the low `width` bits of x. */
export const sext = (x: number, width: number): number => (x << (32 - width)) >> (32 - width);
