// Reading and validating an ELF executable: the checks qemu-user (linux-user/linuxload.c and
// elfload.c) makes, in its order, with its messages. elfy parses the header and program
// headers; e_type and e_machine are read raw (elfy leaves EM_RISCV undefined).
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import elfy, { type ElfyProgram } from 'elfy';
import type { ElfArch } from './elf-arch.js';
import { LoaderError, strerror } from './loader-error.js';

// ELF gABI constants.
const ET_EXEC = 2;
const ET_DYN = 3;
const ELFDATA2LSB = 1;
const EV_CURRENT = 1;
const EHDR_SIZE = { 32: 52, 64: 64 } as const;
const PHDR_SIZE = { 32: 32, 64: 56 } as const;

export interface ElfFile {
  /** The whole file. */
  bytes: Buffer;
  /** ET_DYN (static-pie) images are placed at a load bias; ET_EXEC ones where they say. */
  isDyn: boolean;
  entry: number;
  phoff: number;
  phnum: number;
  phentsize: number;
  programs: ElfyProgram[];
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

  const parser = new elfy.Parser();
  const header = parser.parseHeader(buf);
  // qemu reads what lies past the end of a truncated file as zeroes and then fails to map it
  // (or maps it and faults later): both are reported here with its mapping-error wording.
  const mapError = (): LoaderError => fail('Error mapping file: Invalid argument');
  if (header.phoff + header.phnum * header.phentsize > buf.length) throw mapError();
  const programs = parser.parsePrograms(buf, header);
  for (const p of programs) {
    if (p.type === 'load' && (p.offset + p.filesz > buf.length || p.memsz < p.filesz)) throw mapError();
  }

  const interpSeg = programs.find((p) => p.type === 'interp');
  const interp = interpSeg ? interpSeg.data.toString('latin1').replace(/\0.*$/s, '') : undefined;
  return {
    bytes: buf,
    isDyn: type === ET_DYN,
    entry: header.entry,
    phoff: header.phoff,
    phnum: header.phnum,
    phentsize: header.phentsize,
    programs,
    interp,
  };
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
