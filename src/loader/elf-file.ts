// Reading and validating an ELF executable: the checks qemu-user (linux-user/linuxload.c and
// elfload.c) makes, in its order, with its messages. The header and program headers are read
// raw (ELF gABI, "ELF Header" and "Program Header"): the loader needs a dozen fields, and
// loading elfy (a CommonJS package that pulls in node:assert and node:util) cost ~9 ms of
// start-up, more than reading them.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import type { ElfArch } from './elf-arch.js';
import { LoaderError, strerror } from './loader-error.js';

// ELF gABI constants.
const ET_EXEC = 2;
const ET_DYN = 3;
const ELFDATA2LSB = 1;
const EV_CURRENT = 1;
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

/** Reads `path` as the program to run for `arch`, or throws a LoaderError. */
export function readElf(path: string, arch: ElfArch): ElfFile {
  const buf = readExecutable(path);
  const fail = (what: string): LoaderError => LoaderError.image(arch.progName, path, what);

  const isElf = buf.length >= 4 && buf[0] === 0x7f && buf.toString('latin1', 1, 4) === 'ELF';
  if (!isElf || buf.length < EHDR_SIZE[arch.elfClass]) {
    throw LoaderError.whileLoading(path, strerror({ code: 'ENOEXEC' }));
  }
  const cls = arch.elfClass === 64 ? 2 : 1;
  const type = buf.readUInt16LE(16);
  const identOk = buf[4] === cls && buf[5] === ELFDATA2LSB && buf[6] === EV_CURRENT;
  if (!identOk || buf.readUInt16LE(18) !== arch.machine || (type !== ET_EXEC && type !== ET_DYN)
      || buf.readUInt16LE(arch.elfClass === 64 ? 54 : 42) !== PHDR_SIZE[arch.elfClass]) {
    throw fail('Invalid ELF image for this architecture');
  }

  const is64 = arch.elfClass === 64;
  // An address-sized field: 64-bit values above 2^53 lose precision, and any such address is
  // outside the guest window anyway.
  const word = (at: number): number => (is64 ? buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 2 ** 32 : buf.readUInt32LE(at));
  const entry = word(24);
  const phoff = word(is64 ? 32 : 28);
  const phentsize = buf.readUInt16LE(is64 ? 54 : 42);
  const phnum = buf.readUInt16LE(is64 ? 56 : 44);
  // qemu reads what lies past the end of a truncated file as zeroes and then fails to map it
  // (or maps it and faults later): both are reported here with its mapping-error wording.
  const mapError = (): LoaderError => fail('Error mapping file: Invalid argument');
  if (phoff + phnum * phentsize > buf.length) throw mapError();
  const programs: ElfProgram[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    programs.push(is64
      ? { type: buf.readUInt32LE(at), flags: buf.readUInt32LE(at + 4), offset: word(at + 8), vaddr: word(at + 16),
          filesz: word(at + 32), memsz: word(at + 40) }
      : { type: buf.readUInt32LE(at), flags: buf.readUInt32LE(at + 24), offset: word(at + 4), vaddr: word(at + 8),
          filesz: word(at + 16), memsz: word(at + 20) });
  }
  for (const p of programs) {
    if (p.type === PT_LOAD && (p.offset + p.filesz > buf.length || p.memsz < p.filesz)) throw mapError();
  }

  const interpSeg = programs.find((p) => p.type === PT_INTERP);
  const interp = interpSeg
    ? buf.toString('latin1', interpSeg.offset, interpSeg.offset + interpSeg.filesz).replace(/\0.*$/s, '')
    : undefined;
  return { bytes: buf, isDyn: type === ET_DYN, entry, phoff, phnum, phentsize, programs, interp };
}

/** Opens the file as execve would: it must exist, be a regular file and have an execute bit
 *  (qemu's prepare_binprm returns EACCES otherwise). */
function readExecutable(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw LoaderError.whileLoading(path, strerror(e));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || (st.mode & 0o111) === 0) {
      throw LoaderError.whileLoading(path, strerror({ code: 'EACCES' }));
    }
    return readFileSync(fd);
  } catch (e) {
    if (e instanceof LoaderError) throw e;
    throw LoaderError.whileLoading(path, strerror(e));
  } finally {
    closeSync(fd);
  }
}
