// Loading a program into a fresh address space: the whole of what execve does before the first
// guest instruction. A dynamic program (PT_INTERP) gets its interpreter (the dynamic loader,
// ld-linux-*.so) mapped too, found under the guest prefix, and starts there, with AT_BASE and
// AT_ENTRY telling it where it and the program are (Linux's load_elf_binary).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STACK_TOP, type AddressSpace } from '../memory/address-space.js';
import { PAGE_SIZE } from '../memory/guest-memory.js';
import * as AT from './auxv.js';
import type { AuxEntry } from './auxv.js';
import type { ElfArch } from './elf-arch.js';
import { PT_LOAD, readElf } from './elf-file.js';
import { buildInitialStack } from './initial-stack.js';
import { LoaderError } from './loader-error.js';
import { mapSegments } from './segments.js';
import type { SymbolSource } from './symbols.js';

/** Linux's USER_HZ, the AT_CLKTCK value. */
const CLOCKS_PER_SEC = 100;
/** qemu's default guest stack size (QEMU_STACK_SIZE default, 8 MiB). */
export const DEFAULT_STACK_SIZE = 8 * 1024 * 1024;

export interface LoadRequest {
  arch: ElfArch;
  /** The program path as given (AT_EXECFN; made absolute for /proc/self/maps). */
  path: string;
  /** The program's bytes, when they are not to be read from `path`. */
  image?: Uint8Array;
  argv: string[];
  envp: string[];
  stackSize?: number;
  /** Source of the AT_RANDOM bytes (a seeded generator under -seed); Web Crypto's otherwise. */
  random?: (n: number) => Uint8Array;
  /** Where the guest's libraries are (-L); without one, the first of arch.sysroots that holds
   *  a dynamic program's interpreter. */
  prefix?: string;
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
  /** The guest prefix a dynamic program's interpreter was found under (its paths are looked up
   *  there first), or the one given. */
  prefix: string | undefined;
  /** The program's and its interpreter's files, with their load biases (for symbol names). */
  images: SymbolSource[];
}

/** Loads `req.path` into `as` (which must be empty) and builds its initial stack. Throws a
 *  LoaderError with qemu's wording when the file cannot be run. */
export function loadElf(as: AddressSpace, req: LoadRequest): LoadedProgram {
  const { arch } = req;
  const elf = readElf(req.path, arch, 'program', req.image);
  const base = elf.isDyn ? arch.dynBase : 0;
  const path = resolve(req.path);
  const image = mapSegments(as, elf, base, path);
  if (!image) throw LoaderError.mapping(arch.progName, req.path, 'ENOMEM');
  as.brkStart = as.brk = image.brk;

  const entry = base + elf.entry;
  // The dynamic loader run as a program (`ld-linux-*.so --list prog`) finds its libraries in
  // the sysroot it came from.
  let prefix = req.prefix ?? arch.sysroots.find((r) => path.startsWith(`${r}/`));
  let interpBase = 0, start = entry;
  const images: SymbolSource[] = [{ path, bias: base }];
  if (elf.interp !== undefined) {
    const found = findInterpreter(arch, elf.interp, req.prefix);
    prefix = found.prefix;
    const interp = readElf(found.path, arch, 'interpreter');
    // Below the program's mappings, where mmap would put it (top-down from MMAP_TOP).
    const span = Math.max(...interp.programs.filter((p) => p.type === PT_LOAD).map((p) => p.vaddr + p.memsz));
    interpBase = interp.isDyn ? as.findFree(span) ?? 0 : 0;
    if (!interp.isDyn || !mapSegments(as, interp, interpBase, resolve(found.path))) {
      throw LoaderError.mapping(arch.progName, found.path, 'ENOMEM');
    }
    start = interpBase + interp.entry;
    images.push({ path: resolve(found.path), bias: interpBase });
  }
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
    [AT.AT_BASE, interpBase], // 0 without an interpreter
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
    random: (req.random ?? ((n) => globalThis.crypto.getRandomValues(new Uint8Array(n))))(16),
    aux,
  });
  return { path, entry: start, sp: stack.sp, auxv: stack.auxv, base, phdr: image.phdr, brk: image.brk, prefix, images };
}

/** The interpreter's file and the prefix it was found under: the given prefix, else the first
 *  sysroot of the arch that has it, else the host's own path (a guest arch's loader installed
 *  natively, as by binfmt setups). Fails with qemu's "Could not open" line and what was tried. */
function findInterpreter(arch: ElfArch, interp: string, given: string | undefined): { path: string; prefix: string | undefined } {
  const roots = given !== undefined ? [given] : arch.sysroots;
  for (const root of roots) {
    const p = join(root, interp);
    if (existsSync(p)) return { path: p, prefix: root };
  }
  if (given === undefined && existsSync(interp)) return { path: interp, prefix: undefined };
  const tried = roots.map((r) => join(r, interp)).join(', ');
  throw LoaderError.couldNotOpen(arch.progName, interp, 'ENOENT', ` (tried ${tried}; give the guest's sysroot with -L or QEMU_LD_PREFIX)`);
}
