// Loading a static program into a fresh address space: the whole of what execve does before
// the first guest instruction. Dynamic programs (PT_INTERP) are refused for now.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { STACK_TOP, type AddressSpace } from '../memory/address-space.js';
import { PAGE_SIZE } from '../memory/guest-memory.js';
import * as AT from './auxv.js';
import type { AuxEntry } from './auxv.js';
import type { ElfArch } from './elf-arch.js';
import { readElf } from './elf-file.js';
import { buildInitialStack } from './initial-stack.js';
import { LoaderError } from './loader-error.js';
import { mapSegments } from './segments.js';

/** Linux's USER_HZ, the AT_CLKTCK value. */
const CLOCKS_PER_SEC = 100;
/** qemu's default guest stack size (QEMU_STACK_SIZE default, 8 MiB). */
export const DEFAULT_STACK_SIZE = 8 * 1024 * 1024;

export interface LoadRequest {
  arch: ElfArch;
  /** The program path as given (AT_EXECFN; made absolute for /proc/self/maps). */
  path: string;
  argv: string[];
  envp: string[];
  stackSize?: number;
  /** Source of the AT_RANDOM bytes (a seeded generator under -seed); crypto random otherwise. */
  random?: (n: number) => Uint8Array;
}

export interface LoadedProgram {
  /** The program's absolute path (for /proc/self/exe and maps). */
  path: string;
  entry: number;
  sp: number;
  /** The auxv bytes, for /proc/self/auxv. */
  auxv: Uint8Array;
  /** Load bias (0 for ET_EXEC). */
  base: number;
  phdr: number;
  brk: number;
}

/** Loads `req.path` into `as` (which must be empty) and builds its initial stack. Throws a
 *  LoaderError with qemu's wording when the file cannot be run. */
export function loadElf(as: AddressSpace, req: LoadRequest): LoadedProgram {
  const { arch } = req;
  const elf = readElf(req.path, arch);
  if (elf.interp !== undefined) {
    throw LoaderError.image(arch.progName, req.path,
      `dynamically linked programs are not supported (program interpreter ${elf.interp})`);
  }
  const base = elf.isDyn ? arch.dynBase : 0;
  const path = resolve(req.path);
  const image = mapSegments(as, elf, base, path);
  if (!image) throw LoaderError.image(arch.progName, req.path, 'Error mapping file: Cannot allocate memory');
  as.brkStart = as.brk = image.brk;

  const entry = base + elf.entry;
  const ids = process.getuid && process.getgid
    ? { uid: process.getuid(), euid: process.geteuid!(), gid: process.getgid(), egid: process.getegid!() }
    : { uid: 0, euid: 0, gid: 0, egid: 0 };
  // The order is qemu 7.2's (observed with auxv dumps under qemu-riscv64 and qemu-arm), which is what programs
  // walking the auxv under the oracle see.
  const aux = (at: { random: number; execfn: number; platform: number | undefined }): AuxEntry[] => [
    [AT.AT_PHDR, image.phdr],
    [AT.AT_PHENT, elf.phentsize],
    [AT.AT_PHNUM, elf.phnum],
    [AT.AT_PAGESZ, PAGE_SIZE],
    [AT.AT_BASE, 0], // no interpreter
    [AT.AT_FLAGS, 0],
    [AT.AT_ENTRY, entry],
    [AT.AT_UID, ids.uid],
    [AT.AT_EUID, ids.euid],
    [AT.AT_GID, ids.gid],
    [AT.AT_EGID, ids.egid],
    [AT.AT_HWCAP, arch.hwcap],
    [AT.AT_CLKTCK, CLOCKS_PER_SEC],
    [AT.AT_RANDOM, at.random],
    [AT.AT_SECURE, 0],
    [AT.AT_EXECFN, at.execfn],
    ...(arch.hwcap2 !== undefined ? [[AT.AT_HWCAP2, arch.hwcap2] as const] : []),
    ...(at.platform !== undefined ? [[AT.AT_PLATFORM, at.platform] as const] : []),
    ...(arch.minSigStkSz !== undefined ? [[AT.AT_MINSIGSTKSZ, arch.minSigStkSz] as const] : []),
  ];
  const stack = buildInitialStack(as, {
    top: STACK_TOP,
    size: req.stackSize ?? DEFAULT_STACK_SIZE,
    ptrSize: arch.elfClass === 64 ? 8 : 4,
    argv: req.argv,
    envp: req.envp,
    execfn: req.path,
    platform: arch.platform,
    random: (req.random ?? randomBytes)(16),
    aux,
  });
  return { path, entry, sp: stack.sp, auxv: stack.auxv, base, phdr: image.phdr, brk: image.brk };
}
