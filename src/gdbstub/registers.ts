// gdb's view of a guest's registers: each architecture lists its registers as data (name, size,
// gdb type, where the CPU state keeps it), grouped in the target description's features
// (gdb's "Target Descriptions" appendix). The 'g' packet and 'p' numbers follow this order.

/** One register as gdb sees it. */
export interface GdbRegister {
  name: string;
  bits: 32 | 64;
  /** Its type in the target description: int, code_ptr, data_ptr, ieee_double, or a type the
   *  feature defines. */
  type: string;
  group?: string;
  /** gdb's number for it when not the previous register's plus one. */
  regnum?: number;
  /** Byte offset in the CPU state of a register kept there as is (little-endian). */
  offset?: number;
  /** Reads and writes a register the state keeps in another form (packed flags, a field). */
  get?(view: DataView, env: number): bigint;
  set?(view: DataView, env: number, value: bigint): void;
  /** Writes are ignored (riscv's x0). */
  readOnly?: boolean;
}

export interface GdbFeature {
  name: string;
  /** Type definitions the feature's registers use, as target-description XML. */
  types?: string;
  regs: GdbRegister[];
}

export interface GdbArch {
  /** The <architecture> of the target description (BFD's name). */
  architecture: string;
  features: GdbFeature[];
}

/** The registers of an arch with their gdb numbers, in number order. */
export function numberedRegisters(arch: GdbArch): { num: number; reg: GdbRegister }[] {
  const out: { num: number; reg: GdbRegister }[] = [];
  let next = 0;
  for (const f of arch.features) {
    for (const reg of f.regs) {
      const num = reg.regnum ?? next;
      out.push({ num, reg });
      next = num + 1;
    }
  }
  return out.sort((a, b) => a.num - b.num);
}

export function readRegister(reg: GdbRegister, view: DataView, env: number): bigint {
  if (reg.get) return reg.get(view, env);
  const at = env + reg.offset!;
  return reg.bits === 64 ? view.getBigUint64(at, true) : BigInt(view.getUint32(at, true));
}

export function writeRegister(reg: GdbRegister, view: DataView, env: number, value: bigint): void {
  if (reg.readOnly) return;
  if (reg.set) return reg.set(view, env, value);
  const at = env + reg.offset!;
  if (reg.bits === 64) view.setBigUint64(at, value, true);
  else view.setUint32(at, Number(value & 0xffffffffn), true);
}

/** A register value as the protocol sends it: target byte order (little-endian), in hex. */
export function registerHex(reg: GdbRegister, value: bigint): string {
  const bytes = Buffer.alloc(reg.bits / 8);
  if (reg.bits === 64) bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
  else bytes.writeUInt32LE(Number(BigInt.asUintN(32, value)));
  return bytes.toString('hex');
}

/** The value of a register from its hex bytes (exactly bits/4 hex digits), else undefined. */
export function parseRegisterHex(reg: GdbRegister, hex: string): bigint | undefined {
  if (hex.length !== reg.bits / 4 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const bytes = Buffer.from(hex, 'hex');
  return reg.bits === 64 ? bytes.readBigUInt64LE() : BigInt(bytes.readUInt32LE());
}

/** The target description (target.xml) of an arch: its features inline. */
export function targetXml(arch: GdbArch): string {
  const lines = ['<?xml version="1.0"?>', '<!DOCTYPE target SYSTEM "gdb-target.dtd">', '<target version="1.0">',
    `  <architecture>${arch.architecture}</architecture>`];
  let next = 0;
  for (const f of arch.features) {
    lines.push(`  <feature name="${f.name}">`);
    if (f.types) lines.push(f.types);
    for (const r of f.regs) {
      const num = r.regnum ?? next;
      next = num + 1;
      const group = r.group ? ` group="${r.group}"` : '';
      lines.push(`    <reg name="${r.name}" bitsize="${r.bits}" type="${r.type}" regnum="${num}"${group}/>`);
    }
    lines.push('  </feature>');
  }
  lines.push('</target>');
  return `${lines.join('\n')}\n`;
}
