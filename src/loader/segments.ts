// Mapping PT_LOAD segments the way Linux's load_elf_binary does: each segment's file pages
// mapped at page granularity with its protections, the rest of the last file page zeroed
// (padzero), anonymous zero pages for the remaining bss, and the break just above the highest
// segment (no brk randomisation, as qemu).
import type { AddressSpace } from '../memory/address-space.js';
import {
  GUEST_LIMIT, PROT_EXEC, PROT_READ, PROT_WRITE, pageCeil, pageFloor,
} from '../memory/guest-memory.js';
import { PF_R, PF_W, PF_X, PT_LOAD, PT_PHDR, type ElfFile, type ElfProgram } from './elf-file.js';

export interface MappedImage {
  /** Address of the program headers in guest memory (AT_PHDR). */
  phdr: number;
  /** Page-aligned end of the highest segment: the initial program break. */
  brk: number;
}

const protOf = (p: ElfProgram): number =>
  (p.flags & PF_R ? PROT_READ : 0) | (p.flags & PF_W ? PROT_WRITE : 0) | (p.flags & PF_X ? PROT_EXEC : 0);

/** Maps every PT_LOAD of `elf` at `bias`; `name` labels the file pages in /proc/self/maps. Returns undefined if a segment does not fit the guest window. */
export function mapSegments(
  as: AddressSpace, elf: ElfFile, bias: number, name: string,
): MappedImage | undefined {
  const loads = elf.programs.filter((p) => p.type === PT_LOAD && p.memsz > 0);
  if (loads.some((p) => bias + p.vaddr + p.memsz > GUEST_LIMIT)) return undefined;
  const file = elf.bytes;
  let brk = 0;
  for (const p of loads) {
    const vaddr = bias + p.vaddr;
    const start = pageFloor(vaddr);
    const lead = vaddr - start; // the file page holds bytes before the segment too
    const fileEnd = pageCeil(vaddr + p.filesz);
    const memEnd = pageCeil(vaddr + p.memsz);
    const prot = protOf(p);
    if (p.filesz > 0) {
      as.map(start, fileEnd - start, prot, name, p.offset - lead);
      // Whole file pages, as mmap shows them, unless the segment ends in its last page with bss
      // (then the rest of that page is zeroed, which map already did).
      const copyEnd = p.memsz > p.filesz ? p.offset + p.filesz : Math.min(p.offset - lead + fileEnd - start, file.length);
      as.mem.writeRaw(start, file.subarray(p.offset - lead, copyEnd));
    }
    const anonStart = p.filesz > 0 ? fileEnd : start;
    if (memEnd > anonStart) as.map(anonStart, memEnd - anonStart, prot);
    brk = Math.max(brk, memEnd);
  }
  return { phdr: phdrAddress(elf, bias), brk };
}

/** Where the program headers are in memory: PT_PHDR if present, else the PT_LOAD that covers
 *  e_phoff (Linux's phdr_addr computation). */
function phdrAddress(elf: ElfFile, bias: number): number {
  const own = elf.programs.find((p) => p.type === PT_PHDR);
  if (own) return bias + own.vaddr;
  const seg = elf.programs.find((p) => p.type === PT_LOAD && elf.phoff >= p.offset && elf.phoff < p.offset + p.filesz);
  return seg ? bias + seg.vaddr + (elf.phoff - seg.offset) : 0;
}
