// execve and execveat: the new program is a guest ELF (run by tsemu for its arch), a host
// program (run as it is, as the kernel would with binfmt_misc for the others), or a `#!` script
// (its interpreter, found the same way). Checks and errors are the kernel's (fs/exec.c,
// fs/binfmt_script.c); the start itself is the runner's (launcher.ts).
import * as fs from 'node:fs';
import { type ElfArch, LoaderError, readElf } from '../../loader/index.js';
import { E, SyscallError, errnoByName } from './errno.js';
import { AT_EMPTY_PATH } from './fs-calls.js';
import { pipesToHost, stdioOf } from './fork-state.js';
import { ExecReplaced, ExecTarget, InheritedFds } from './launcher.js';
import { endMappings } from './memory-calls.js';
import { HostFile, PipeEnd } from './open-file.js';
import { AT_FDCWD, LinuxProcess } from './process.js';
import { procRedirect } from './proc-fs.js';
import type { SyscallImpl } from './syscall-arch.js';

/** MAX_ARG_STRLEN (include/uapi/linux/binfmts.h) and a bound on argv + envp together. */
const MAX_ARG_STRLEN = 131072;
const MAX_ARG_TOTAL = 2 * 1024 * 1024;
/** BINPRM_BUF_SIZE: how much of a `#!` line the kernel reads. */
const BINPRM_BUF_SIZE = 256;
/** Interpreters of interpreters: the kernel gives up after a few (ELOOP). */
const MAX_INTERP_DEPTH = 4;
/** ELF e_machine of the host, for programs that run natively. */
const HOST_MACHINE: Record<string, number> = { x64: 62, arm64: 183, arm: 40, riscv64: 243 };

/** A NULL-terminated array of string pointers (argv, envp). */
function readStrings(p: LinuxProcess, addr: number): string[] {
  const out: string[] = [];
  if (addr === 0) return out;
  const word = p.arch.wordBits / 8;
  let total = 0;
  for (let i = 0; ; i++) {
    const ptr = word === 8 ? Number(p.mem.readU64(addr + i * 8)) : p.mem.readU32(addr + i * 4);
    if (ptr === 0) return out;
    const s = p.mem.readCString(ptr, MAX_ARG_STRLEN);
    total += s.length + 1 + word;
    if (total > MAX_ARG_TOTAL) throw new SyscallError(E.TOOBIG);
    out.push(s);
  }
}

/** What runs `file` (a host path; `given` as the caller named it) with `argv`, following `#!`
 *  lines. */
function targetOf(p: LinuxProcess, file: string, given: string, argv: string[], depth = 0): ExecTarget {
  const st = p.fs.statSync(file);
  if (!st.isFile()) throw new SyscallError(E.ACCES);
  p.fs.accessSync(file, fs.constants.X_OK);
  const head = Buffer.alloc(BINPRM_BUF_SIZE);
  const fd = p.fs.openSync(file, 'r');
  let n: number;
  try {
    n = p.fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    p.fs.closeSync(fd);
  }
  if (n >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
    const machine = head.readUInt16LE(18);
    const guest = p.launcher!.guestMachines[machine];
    if (guest) {
      checkGuestElf(p, file, guest.elf);
      return { kind: 'guest', arch: guest.arch, path: file, argv };
    }
    if (machine === HOST_MACHINE[process.arch]) return { kind: 'host', path: file, argv };
    throw new SyscallError(E.NOEXEC);
  }
  if (n >= 2 && head[0] === 0x23 && head[1] === 0x21) {
    if (depth >= MAX_INTERP_DEPTH) throw new SyscallError(E.LOOP);
    const text = head.subarray(2, n).toString('latin1');
    const line = (text.includes('\n') ? text.slice(0, text.indexOf('\n')) : text).trim();
    if (line === '') throw new SyscallError(E.NOEXEC);
    // The interpreter, then everything after it as one optional argument (binfmt_script).
    const interp = line.split(/[ \t]/)[0];
    const arg = line.slice(interp.length).trim();
    const next = [interp, ...(arg ? [arg] : []), given, ...argv.slice(1)];
    return targetOf(p, p.resolveAt(AT_FDCWD, interp), interp, next, depth + 1);
  }
  throw new SyscallError(E.NOEXEC);
}

/** Fails the execve as the kernel does, before the old program is gone, for an ELF image that
 *  the loader refuses in its header checks (binfmt_elf's load_elf_binary: ident, type, machine,
 *  program headers: ENOEXEC; EIO for a PT_INTERP past the end of the file). A refusal the
 *  kernel only meets after its point of no return (a segment it cannot map, which kills the
 *  process) is left to the new program's loader. */
function checkGuestElf(p: LinuxProcess, file: string, elf: ElfArch): void {
  const fd = p.fs.openSync(file, 'r');
  let bytes: Buffer;
  try {
    bytes = Buffer.alloc(p.fs.fstatSync(fd).size);
    p.fs.readSync(fd, bytes, 0, bytes.length, 0);
  } finally {
    p.fs.closeSync(fd);
  }
  try {
    readElf(file, elf, 'program', bytes);
  } catch (e) {
    if (!(e instanceof LoaderError)) throw e;
    if (e.errno === 'ENOEXEC' || e.errno === 'EIO') throw new SyscallError(errnoByName(e.errno)!);
  }
}

/** The host fds of the guest's fds that survive exec (not close-on-exec), at their numbers. */
function inherited(p: LinuxProcess): InheritedFds {
  const kept = new Map<number, HostFile | PipeEnd>();
  for (const fd of p.fds.fds()) {
    const f = p.fds.get(fd);
    if (!p.fds.getCloexec(fd) && (f instanceof HostFile || f instanceof PipeEnd)) kept.set(fd, f);
  }
  pipesToHost([...kept.values()]);
  return stdioOf(new Map([...kept].map(([fd, f]) => [fd, f.hostFd()])));
}

function exec(p: LinuxProcess, given: string, file: string, argvAddr: number, envpAddr: number): number {
  if (!p.launcher) throw new SyscallError(E.NOSYS);
  const argv = readStrings(p, argvAddr);
  const envp = readStrings(p, envpAddr);
  const target = targetOf(p, procRedirect(p, file), given, argv);
  endMappings(p);
  p.launcher.exec(target, envp, inherited(p), { pid: p.pid, ppid: p.ppid });
  // The new program holds what it inherited; this process keeps none of it (a pipe's reader
  // sees EOF when the new program, not this relay, closes its end).
  p.fds.closeAll();
  throw new ExecReplaced();
}

export const EXEC_CALLS: Record<string, SyscallImpl> = {
  execve: {
    args: ['path', 'ptr', 'ptr'],
    fn: (p, path, argv, envp) => {
      const given = p.readPath(path);
      return exec(p, given, p.resolveAt(AT_FDCWD, given), argv, envp);
    },
  },
  execveat: {
    args: ['dirfd', 'path', 'ptr', 'ptr', 'atflags'],
    fn: (p, dirfd, path, argv, envp, flags) => {
      const name = p.readPath(path);
      const file = name === '' && flags & AT_EMPTY_PATH ? p.fds.get(dirfd).path : p.resolveAt(dirfd, name);
      return exec(p, name || file, file, argv, envp);
    },
  },
};
