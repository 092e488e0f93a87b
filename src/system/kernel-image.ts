// Loading what -bios and -kernel name into guest RAM: an ELF file's PT_LOAD segments at their
// physical addresses (p_paddr), as qemu's loader places a kernel ELF, or a raw image at a given
// address. The ELF's symbol table is read for `tohost` and `fromhost` (riscv-tests' HTIF). The
// headers are read raw (ELF gABI, "ELF Header", "Program Header", "Sections", "Symbol Table").
import { readFileSync } from 'node:fs';
import { PhysBus } from './phys-bus.js';

const EM_RISCV = 243;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;

export interface LoadedImage {
  entry: number;
  /** Symbol values by name, for the few names the machine looks for. */
  symbols: Map<string, number>;
}

/** Thrown with a one-line message for the command line. */
export class ImageError extends Error {}

/** Reads the -kernel or -bios file; a missing or unreadable one fails in qemu's words. */
export function loadImage(bus: PhysBus, role: 'kernel' | 'firmware', path: string, rawAddress: number, wanted: string[]): LoadedImage {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    throw new ImageError(role === 'kernel' ? `could not load kernel '${path}'` : `Unable to load the RISC-V firmware "${path}"`);
  }
  const isElf = buf.length >= 64 && buf.readUInt32BE(0) === 0x7f454c46;
  if (!isElf) {
    if (!bus.load(rawAddress, buf)) throw new ImageError(`'${path}' does not fit in RAM at 0x${rawAddress.toString(16)}`);
    return { entry: rawAddress, symbols: new Map() };
  }
  if (buf[4] !== 2 || buf[5] !== 1 || buf.readUInt16LE(18) !== EM_RISCV) {
    throw new ImageError(`'${path}' is not a little-endian 64-bit RISC-V ELF file`);
  }
  const u64 = (at: number): number => Number(buf.readBigUInt64LE(at));
  const phoff = u64(32), phentsize = buf.readUInt16LE(54), phnum = buf.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 56 > buf.length || buf.readUInt32LE(at) !== PT_LOAD) continue;
    const offset = u64(at + 8), paddr = u64(at + 24), filesz = u64(at + 32), memsz = u64(at + 40);
    if (offset + filesz > buf.length) throw new ImageError(`'${path}': a segment lies past the end of the file`);
    const image = new Uint8Array(memsz);
    image.set(buf.subarray(offset, offset + filesz));
    // What lies outside RAM is dropped, as qemu's loader drops it (a linker may put the ELF
    // headers in a segment just below the code); a segment with nothing in RAM is an error.
    const from = Math.max(paddr, bus.ramBase), to = Math.min(paddr + memsz, bus.ramEnd);
    if (memsz > 0 && from >= to) throw new ImageError(`'${path}': the segment at 0x${paddr.toString(16)} is not in RAM`);
    if (memsz > 0) bus.load(from, image.subarray(from - paddr, to - paddr));
  }
  return { entry: u64(24), symbols: readSymbols(buf, new Set(wanted)) };
}

function readSymbols(buf: Buffer, wanted: Set<string>): Map<string, number> {
  const found = new Map<string, number>();
  const shoff = Number(buf.readBigUInt64LE(40)), shentsize = buf.readUInt16LE(58), shnum = buf.readUInt16LE(60);
  const section = (i: number) => {
    const at = shoff + i * shentsize;
    return { type: buf.readUInt32LE(at + 4), offset: Number(buf.readBigUInt64LE(at + 24)), size: Number(buf.readBigUInt64LE(at + 32)), link: buf.readUInt32LE(at + 40) };
  };
  if (shoff === 0 || shoff + shnum * shentsize > buf.length) return found;
  for (let i = 0; i < shnum; i++) {
    const symtab = section(i);
    if (symtab.type !== SHT_SYMTAB) continue;
    const strtab = section(symtab.link);
    for (let at = symtab.offset; at + 24 <= symtab.offset + symtab.size && at + 24 <= buf.length; at += 24) {
      const nameAt = strtab.offset + buf.readUInt32LE(at);
      const name = buf.toString('latin1', nameAt, buf.indexOf(0, nameAt));
      if (wanted.has(name)) found.set(name, Number(buf.readBigUInt64LE(at + 8)));
    }
  }
  return found;
}
