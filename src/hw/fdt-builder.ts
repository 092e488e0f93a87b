// A flattened device tree writer (Devicetree Specification v0.4, chapter 5 "Flattened
// Devicetree (DTB) Format"): a header, an empty memory reservation block, the structure block
// (nodes and properties as big-endian tokens) and the strings block of property names.

export type FdtValue = string | string[] | number[] | bigint[] | null;

export interface FdtNode {
  name: string;
  props: [string, FdtValue][];
  children: FdtNode[];
}

const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_END = 9;
const HEADER_SIZE = 40;
const VERSION = 17, LAST_COMP_VERSION = 16;

export const node = (name: string, props: [string, FdtValue][], children: FdtNode[] = []): FdtNode => ({ name, props, children });

/** A property value's bytes: a string (or string list) NUL-terminated, numbers as 32-bit cells,
 *  bigints as 64-bit pairs of cells, null for an empty property. */
function valueBytes(v: FdtValue): Buffer {
  if (v === null) return Buffer.alloc(0);
  if (typeof v === 'string') return Buffer.from(`${v}\0`, 'latin1');
  if (v.length > 0 && typeof v[0] === 'string') return Buffer.from((v as string[]).map((s) => `${s}\0`).join(''), 'latin1');
  if (v.length > 0 && typeof v[0] === 'bigint') {
    const b = Buffer.alloc(v.length * 8);
    (v as bigint[]).forEach((x, i) => b.writeBigUInt64BE(x, i * 8));
    return b;
  }
  const b = Buffer.alloc(v.length * 4);
  (v as number[]).forEach((x, i) => b.writeUInt32BE(x >>> 0, i * 4));
  return b;
}

export function buildFdt(root: FdtNode): Buffer {
  const struct: Buffer[] = [];
  const strings: string[] = [];
  const stringOffset = new Map<string, number>();
  let stringsSize = 0;
  const u32 = (x: number): void => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(x >>> 0);
    struct.push(b);
  };
  const padded = (b: Buffer): void => {
    struct.push(b, Buffer.alloc((4 - (b.length % 4)) % 4));
  };
  const nameOff = (name: string): number => {
    let off = stringOffset.get(name);
    if (off === undefined) {
      off = stringsSize;
      stringOffset.set(name, off);
      strings.push(`${name}\0`);
      stringsSize += name.length + 1;
    }
    return off;
  };
  const emit = (n: FdtNode): void => {
    u32(FDT_BEGIN_NODE);
    padded(Buffer.from(`${n.name}\0`, 'latin1'));
    for (const [name, value] of n.props) {
      const bytes = valueBytes(value);
      u32(FDT_PROP);
      u32(bytes.length);
      u32(nameOff(name));
      padded(bytes);
    }
    n.children.forEach(emit);
    u32(FDT_END_NODE);
  };
  emit(root);
  u32(FDT_END);
  const structBlock = Buffer.concat(struct);
  const stringsBlock = Buffer.from(strings.join(''), 'latin1');
  const rsvmap = Buffer.alloc(16); // one terminating (0, 0) entry
  const offRsv = HEADER_SIZE, offStruct = offRsv + rsvmap.length, offStrings = offStruct + structBlock.length;
  const total = offStrings + stringsBlock.length;
  const header = Buffer.alloc(HEADER_SIZE);
  [FDT_MAGIC, total, offStruct, offStrings, offRsv, VERSION, LAST_COMP_VERSION, 0, stringsBlock.length, structBlock.length]
    .forEach((x, i) => header.writeUInt32BE(x, i * 4));
  return Buffer.concat([header, rsvmap, structBlock, stringsBlock]);
}
