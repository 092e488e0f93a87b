// Instructions described as bit patterns, the way the manuals draw their encodings: fields from
// the most significant bit down, each either literal bits ("0110011") or a named field
// ("rd:5"). A generator fills the named fields (by name from the arch's defaults, or by the
// instruction's own rule) and may reject a combination the manual calls reserved or
// UNPREDICTABLE.
import { Prng } from './prng.js';

export interface Field { name: string; lsb: number; width: number }

export interface Layout {
  /** Instruction width in bits: 16 or 32. */
  width: number;
  fixed: number;
  fields: Field[];
}

export type Fields = Record<string, number>;

export function parseLayout(spec: string): Layout {
  const tokens = spec.trim().split(/\s+/);
  let pos = tokens.reduce((n, t) => n + (/^[01]+$/.test(t) ? t.length : Number(t.split(':')[1])), 0);
  if (pos !== 16 && pos !== 32) throw new Error(`pattern "${spec}" is ${pos} bits`);
  const width = pos;
  let fixed = 0;
  const fields: Field[] = [];
  for (const t of tokens) {
    if (/^[01]+$/.test(t)) {
      pos -= t.length;
      fixed |= parseInt(t, 2) << pos;
    } else {
      const [name, w] = t.split(':');
      pos -= Number(w);
      fields.push({ name, lsb: pos, width: Number(w) });
    }
  }
  return { width, fixed: fixed >>> 0, fields };
}

export function encode(layout: Layout, f: Fields): number {
  let bits = layout.fixed;
  for (const { name, lsb, width } of layout.fields) {
    const v = f[name];
    if (v === undefined) throw new Error(`field ${name} has no value`);
    bits |= (v & (width >= 32 ? -1 : (1 << width) - 1)) << lsb;
  }
  return bits >>> 0;
}

/** Fills a layout's fields: `own` first (the instruction's rule, may set several at once), then
 *  each remaining field by its name's default, else random bits. */
export function fill(layout: Layout, p: Prng, defaults: Record<string, (p: Prng) => number>, own?: (p: Prng) => Fields): Fields {
  const f: Fields = own ? own(p) : {};
  for (const { name, width } of layout.fields) {
    if (f[name] === undefined) f[name] = defaults[name]?.(p) ?? p.bits(width);
  }
  return f;
}

export const fieldText = (f: Fields): string => Object.entries(f).map(([k, v]) => `${k}=${v}`).join(' ');
