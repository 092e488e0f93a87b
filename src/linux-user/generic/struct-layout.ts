// Struct layouts as data: the arch folder describes each guest struct as (field, offset, size);
// the generic layer fills or reads them by field name and never knows an offset.
import { GuestMemory } from '../../memory/guest-memory.js';

export interface FieldSpec {
  offset: number;
  /** 1, 2, 4 or 8 bytes; or any byte count for a 'bytes' field (a char array). */
  size: number;
  signed?: boolean;
  bytes?: boolean;
}

export interface StructLayout {
  size: number;
  fields: Record<string, FieldSpec>;
}

export type FieldValue = number | bigint | string | Uint8Array;

/** Builds a layout from [name, offset, size] rows; a size written as `-n` means signed,
 *  'cN' a char array of N bytes. */
export function layout(size: number, rows: [string, number, number | `c${number}`][]): StructLayout {
  const fields: Record<string, FieldSpec> = {};
  for (const [name, offset, sz] of rows) {
    if (typeof sz === 'string') fields[name] = { offset, size: Number(sz.slice(1)), bytes: true };
    else fields[name] = { offset, size: Math.abs(sz), signed: sz < 0 };
  }
  return { size, fields };
}

/** Encodes `values` into a fresh zeroed buffer of the layout's size. Fields the layout lacks
 *  are ignored (an arch may not have them); fields the values lack stay zero. */
export function encodeStruct(l: StructLayout, values: Record<string, FieldValue | undefined>): Uint8Array {
  const buf = new Uint8Array(l.size);
  const dv = new DataView(buf.buffer);
  for (const [name, v] of Object.entries(values)) {
    const f = l.fields[name];
    if (!f || v === undefined) continue;
    if (f.bytes) {
      const src = typeof v === 'string' ? Buffer.from(v, 'utf8') : (v as Uint8Array);
      buf.set(src.subarray(0, f.size - (typeof v === 'string' ? 1 : 0)), f.offset);
      continue;
    }
    const b = BigInt.asUintN(f.size * 8, typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));
    switch (f.size) {
      case 1: dv.setUint8(f.offset, Number(b)); break;
      case 2: dv.setUint16(f.offset, Number(b), true); break;
      case 4: dv.setUint32(f.offset, Number(b), true); break;
      case 8: dv.setBigUint64(f.offset, b, true); break;
      default: throw new Error(`bad field size ${f.size}`);
    }
  }
  return buf;
}

export function writeStruct(mem: GuestMemory, addr: number, l: StructLayout, values: Record<string, FieldValue | undefined>): void {
  mem.write(addr, encodeStruct(l, values));
}

/** Reads every numeric field as a JS number (64-bit fields beyond 2^53 lose precision: use
 *  readStructBig for those). */
export function readStruct(mem: GuestMemory, addr: number, l: StructLayout): Record<string, number> {
  const big = readStructBig(mem, addr, l);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(big)) out[k] = Number(v);
  return out;
}

export function readStructBig(mem: GuestMemory, addr: number, l: StructLayout): Record<string, bigint> {
  const bytes = mem.read(addr, l.size);
  const dv = new DataView(bytes.buffer);
  const out: Record<string, bigint> = {};
  for (const [name, f] of Object.entries(l.fields)) {
    if (f.bytes) continue;
    let v: bigint;
    switch (f.size) {
      case 1: v = BigInt(dv.getUint8(f.offset)); break;
      case 2: v = BigInt(dv.getUint16(f.offset, true)); break;
      case 4: v = BigInt(dv.getUint32(f.offset, true)); break;
      default: v = dv.getBigUint64(f.offset, true);
    }
    out[name] = f.signed ? BigInt.asIntN(f.size * 8, v) : v;
  }
  return out;
}
