// Function names for `-d in_asm`'s `IN: <name>` lines, read from the loaded images' symbol
// tables. What qemu-user 7.2 names, as observed with qemu-arm and qemu-riscv64 on static,
// dynamic and stripped programs: only .symtab is read (a dynamic program's libraries and a
// stripped program give `IN: ` with nothing after it, .dynsym is not used), of the program and
// of its interpreter; only function symbols defined in a section count; ARM's Thumb bit is not
// part of the address; a block is named by the function whose [value, value + size) holds its
// first instruction, so a zero-sized symbol (glibc's _start on ARM) names nothing.
// The tables are read on the first lookup: a run without -d in_asm never reads them.
// Layouts: ELF gABI, "Section Header" and "Symbol Table".
import { readFileSync } from 'node:fs';

/** An image whose symbols count: its file and the load bias its addresses get. */
export interface SymbolSource { path: string; bias: number }

/** The function containing an address, or '' (qemu prints the empty name). */
export type SymbolLookup = (addr: number) => string;

const SHT_SYMTAB = 2;
const STT_FUNC = 2;
const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const EM_ARM = 40;

interface FuncSymbol { start: number; end: number; name: string }

/** The section header fields used here, by ELF class: [shoff, shentsize, shnum] in the ELF
 *  header; [type, offset, size, link, entsize] in a section header; [value, size, info, shndx]
 *  in a symbol. */
const LAYOUT = {
  32: { ehdr: [32, 46, 48], shdr: [4, 16, 20, 24, 36], sym: [4, 8, 12, 14] },
  64: { ehdr: [40, 58, 60], shdr: [4, 24, 32, 40, 56], sym: [8, 16, 4, 6] },
} as const;

/** The defined function symbols of one file's .symtab, relocated by `bias`, in the order
 *  qemu's table has them, which decides between aliases (__libc_start_main_impl and
 *  __libc_start_main, malloc and __libc_malloc): symbols it drops are replaced by the table's
 *  last entry, then the table is sorted by address, stably (glibc's qsort is a merge sort). */
function functionsOf(buf: Buffer, bias: number): { arm: boolean; funcs: FuncSymbol[] } {
  const is64 = buf[4] === 2;
  const L = LAYOUT[is64 ? 64 : 32];
  const word = (at: number): number => (is64 ? buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 2 ** 32 : buf.readUInt32LE(at));
  const arm = buf.readUInt16LE(18) === EM_ARM;
  const shoff = word(L.ehdr[0]);
  const shentsize = buf.readUInt16LE(L.ehdr[1]);
  const shnum = buf.readUInt16LE(L.ehdr[2]);
  const section = (i: number): number[] => {
    const at = shoff + i * shentsize;
    return [buf.readUInt32LE(at + L.shdr[0]), word(at + L.shdr[1]), word(at + L.shdr[2]), buf.readUInt32LE(at + L.shdr[3]), word(at + L.shdr[4])];
  };
  // qemu reads the first symbol table.
  const symtab = [...Array(shnum).keys()].map(section).find(([type]) => type === SHT_SYMTAB);
  if (!symtab) return { arm, funcs: [] };
  const [, offset, size, link, entsize] = symtab;
  if (entsize === 0 || link >= shnum) return { arm, funcs: [] };
  const [, strOff, strSize] = section(link);
  const entries = [...Array(Math.floor(size / entsize)).keys()].map((i) => offset + i * entsize);
  const wanted = (at: number): boolean => {
    const shndx = buf.readUInt16LE(at + L.sym[3]);
    return (buf[at + L.sym[2]] & 0xf) === STT_FUNC && shndx !== SHN_UNDEF && shndx < SHN_LORESERVE;
  };
  for (let i = 0, n = entries.length; i < n;) {
    if (wanted(entries[i])) i++;
    else entries[i] = entries[--n], entries.length = n;
  }
  const funcs = entries.map((at) => {
    const value = word(at + L.sym[0]);
    const start = bias + (arm ? value - (value & 1) : value);
    const nameAt = strOff + buf.readUInt32LE(at);
    const nameEnd = buf.indexOf(0, nameAt);
    const name = nameAt < strOff + strSize && nameEnd >= 0 ? buf.toString('latin1', nameAt, nameEnd) : '';
    return { start, end: start + word(at + L.sym[1]), name };
  });
  return { arm, funcs: funcs.sort((a, b) => a.start - b.start) };
}

/** A lookup over the sources' function symbols, read when first asked. A file that cannot be
 *  read or parsed contributes no names. */
export function symbolLookup(sources: readonly SymbolSource[]): SymbolLookup {
  let tables: FuncSymbol[][] | undefined;
  let thumbBit = false;
  const load = (): FuncSymbol[][] => sources.map(({ path, bias }) => {
    try {
      const read = functionsOf(readFileSync(path), bias);
      thumbBit ||= read.arm;
      return read.funcs;
    } catch {
      return []; // a truncated or vanished file: its blocks are unnamed, as for a stripped one
    }
  });
  return (addr) => {
    tables ??= load();
    // A Thumb block's pc carries the Thumb bit (src/target/arm/cpu-state.ts).
    const a = thumbBit ? addr - (addr & 1) : addr;
    for (const funcs of tables) {
      // A binary search as glibc's bsearch makes it, so that among overlapping symbols the
      // one qemu finds is found.
      let lo = 0, hi = funcs.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const f = funcs[mid];
        if (a < f.start) hi = mid;
        else if (a >= f.end) lo = mid + 1;
        else return f.name;
      }
    }
    return '';
  };
}
