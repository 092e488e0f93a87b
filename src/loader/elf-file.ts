// Reading and validating an ELF executable or interpreter. What is refused is what Linux's
// execve refuses (fs/binfmt_elf.c, load_elf_binary and load_elf_phdrs; the kernel's errno goes
// with each refusal), worded as qemu-user words it where qemu has words for it. Linux accepts
// PT_LOADs in any order and overlapping ones (each maps over what is there), and so does tsemu.
// The header and program headers are read raw (ELF gABI, "ELF Header" and "Program Header"):
// the loader needs a dozen fields, and loading elfy (a CommonJS package that pulls in
// node:assert and node:util) cost ~9 ms of start-up, more than reading them.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import type { ElfArch } from './elf-arch.js';
import { PAGE_SIZE } from '../memory/guest-memory.js';
import { LoaderError, errnoOf } from './loader-error.js';

// ELF gABI constants.
const ET_EXEC = 2;
const ET_DYN = 3;
/** At most 64 KiB of program headers (load_elf_phdrs). */
const MAX_PHDRS_BYTES = 65536;
/** The longest PT_INTERP path, with its NUL (PATH_MAX). */
const PATH_MAX = 4096;
const EHDR_SIZE = { 32: 52, 64: 64 } as const;
const PHDR_SIZE = { 32: 32, 64: 56 } as const;
export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

/** One program header, addresses and sizes as numbers. */
export interface ElfProgram {
  /** PT_* */
  type: number;
  /** PF_* bits */
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
}

export interface ElfFile {
  /** The whole file. */
  bytes: Buffer;
  /** ET_DYN (static-pie) images are placed at a load bias; ET_EXEC ones where they say. */
  isDyn: boolean;
  entry: number;
  phoff: number;
  phnum: number;
  phentsize: number;
  programs: ElfProgram[];
  /** The PT_INTERP path, if the program asks for one. */
  interp: string | undefined;
}

/** The program execve names, or the interpreter its PT_INTERP names: they fail differently
 *  (ENOEXEC against ELIBBAD, and in qemu's words "Error while loading" against "Could not open"). */
type ElfRole = 'program' | 'interpreter';

/** Reads `path` (or takes `image` as its bytes) as the program (or interpreter) to run for
 *  `arch`, or throws a LoaderError. */
export function readElf(path: string, arch: ElfArch, role: ElfRole = 'program', image?: Uint8Array): ElfFile {
  const buf = image ? Buffer.from(image.buffer, image.byteOffset, image.byteLength) : readExecutable(path, arch.progName, role);
  const refuse = (what: string, errno: string): LoaderError => LoaderError.image(arch.progName, path, what, errno);
  const invalid = (): LoaderError => refuse('Invalid ELF image for this architecture', role === 'program' ? 'ENOEXEC' : 'ELIBBAD');

  const isElf = buf.length >= 4 && buf[0] === 0x7f && buf.toString('latin1', 1, 4) === 'ELF';
  if (!isElf || buf.length < EHDR_SIZE[arch.elfClass]) {
    throw role === 'program' ? LoaderError.whileLoading(arch.progName, path, 'ENOEXEC') : invalid();
  }
  const is64 = arch.elfClass === 64;
  const type = buf.readUInt16LE(16);
  // The class, as qemu and Linux's riscv elf_check_arch check it (a file of the other class has
  // program headers of another size, which ARM's kernel refuses). EI_DATA, EI_VERSION and
  // e_version are not checked: Linux's binfmt_elf reads the header in the CPU's own order and
  // runs a program whatever they say (qemu refuses a big-endian EI_DATA; Linux is followed).
  const classOk = buf[4] === (is64 ? 2 : 1);
  if (!classOk || buf.readUInt16LE(18) !== arch.machine || (type !== ET_EXEC && type !== ET_DYN)) throw invalid();

  // An address-sized field: 64-bit values above 2^53 lose precision, and any such address is
  // outside the guest window anyway.
  const word = (at: number): number => (is64 ? buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 2 ** 32 : buf.readUInt32LE(at));
  const entry = word(24);
  const phoff = word(is64 ? 32 : 28);
  const phentsize = buf.readUInt16LE(is64 ? 54 : 42);
  const phnum = buf.readUInt16LE(is64 ? 56 : 44);
  if (phentsize !== PHDR_SIZE[arch.elfClass] || phnum === 0 || phnum * phentsize > MAX_PHDRS_BYTES) throw invalid();
  if (phoff + phnum * phentsize > buf.length) throw refuse('Incomplete read of file header', 'ENOEXEC');
  const programs: ElfProgram[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    programs.push(is64
      ? { type: buf.readUInt32LE(at), flags: buf.readUInt32LE(at + 4), offset: word(at + 8), vaddr: word(at + 16),
          filesz: word(at + 32), memsz: word(at + 40) }
      : { type: buf.readUInt32LE(at), flags: buf.readUInt32LE(at + 24), offset: word(at + 4), vaddr: word(at + 8),
          filesz: word(at + 16), memsz: word(at + 20) });
  }
  for (const p of programs.filter((q) => q.type === PT_LOAD)) {
    // mmap takes only page-aligned offsets: a segment mapped from the file must have its file
    // offset and its address agree below the page size (one with no file bytes is anonymous).
    const incongruent = p.filesz > 0 && (p.vaddr - p.offset) % PAGE_SIZE !== 0;
    // Segment bytes past the end of the file: Linux maps them and the program dies of SIGBUS
    // when it touches them (qemu too); refused here instead, while it can still be said why.
    if (p.memsz < p.filesz || incongruent || p.offset + p.filesz > buf.length) {
      throw LoaderError.mapping(arch.progName, path, 'EINVAL');
    }
  }
  // Only the first PT_INTERP counts. Its path must fit PATH_MAX and end in its NUL.
  const interpSeg = programs.find((p) => p.type === PT_INTERP);
  let interp: string | undefined;
  if (interpSeg) {
    const end = interpSeg.offset + interpSeg.filesz;
    if (interpSeg.filesz < 2 || interpSeg.filesz > PATH_MAX) throw refuse('Invalid PT_INTERP entry', 'ENOEXEC');
    if (end > buf.length) throw refuse('Incomplete read of file header', 'EIO');
    if (buf[end - 1] !== 0) throw refuse('Invalid PT_INTERP entry', 'ENOEXEC');
    interp = buf.toString('latin1', interpSeg.offset, end - 1).replace(/\0.*$/s, '');
  }
  return { bytes: buf, isDyn: type === ET_DYN, entry, phoff, phnum, phentsize, programs, interp };
}

/** Opens the file as execve would: it must exist, be a regular file and have an execute bit
 *  (EACCES otherwise, as open_exec and qemu's prepare_binprm say). */
function readExecutable(path: string, progName: string, role: ElfRole): Buffer {
  const fail = (errno: string): LoaderError => (role === 'program'
    ? LoaderError.whileLoading(progName, path, errno)
    : LoaderError.couldNotOpen(progName, path, errno));
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fail(errnoOf(e));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || (st.mode & 0o111) === 0) throw fail('EACCES');
    return readFileSync(fd);
  } catch (e) {
    if (e instanceof LoaderError) throw e;
    throw fail(errnoOf(e));
  } finally {
    closeSync(fd);
  }
}
