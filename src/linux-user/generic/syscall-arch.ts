// What an architecture tells the generic syscall layer: its numbers, how raw argument registers
// become host values, its struct layouts, and the few calls that only it has. The generic layer
// implements calls by name; this is the only place numbers, offsets and ABI rules come from.
import type { StructLayout } from './struct-layout.js';
import type { LinuxProcess } from './process.js';

/** How one syscall argument is marshalled from registers, and how -strace prints it. */
export type ArgKind =
  // numbers
  | 'int' // C int: low 32 bits, signed
  | 'uint' // unsigned int
  | 'long' // signed long (register width)
  | 'ulong' // unsigned long, size_t (register width)
  | 'off' // 64-bit file offset: one register on 64-bit arches, a register pair on 32-bit ones
  | 'pgoff' // file offset in 4 KiB units (mmap2): one register, marshalled as the byte offset
  | 'ptr' // guest pointer (printed 0x%016x or NULL)
  // refinements that marshal like the above but print decoded
  | 'fd' | 'dirfd' | 'signal' | 'clockid' | 'whence' | 'sighow' | 'fcntlcmd' | 'madvice' // int
  | 'openflags' | 'mode' | 'prot' | 'mapflags' | 'atflags' | 'unlinkflags' | 'accessmode' | 'futexop'
  | 'ioctlreq' | 'hex' // uint
  | 'sigsetsize' // ulong, not printed (qemu leaves it out)
  | 'path' | 'buf' | 'timespec'; // ptr: a NUL-terminated string; an I/O buffer (printed 0x%x); a struct

export type RetKind = 'int' | 'ptr';

/** A syscall's generic implementation: marshalled arguments in, a value or -errno out. */
export interface SyscallImpl {
  args: ArgKind[];
  ret?: RetKind;
  fn: (p: LinuxProcess, ...a: number[]) => number | bigint;
  /** -strace prints the six raw registers in decimal, as qemu does for calls it has no
   *  printer for (so the two traces can be compared line by line). */
  straceRaw?: boolean;
  /** -strace appends outputs after the result (clock_gettime's timespec). */
  straceOut?: (p: LinuxProcess, a: number[], result: number | bigint) => string;
}

export interface SyscallEntry {
  name: string;
  /** Generic implementation to run when it differs from `name` (e.g. ARM's fstat64 -> fstat). */
  impl?: string;
  /** Overrides the implementation's argument kinds (e.g. a padding register on ARM EABI). */
  args?: ArgKind[];
  /** Layouts this call uses in place of the arch's default ones, as generic name -> arch layout
   *  name: a 32-bit arch has both time widths (ARM's clock_gettime64 writes 'timespec64' where
   *  the generic clock_gettime writes 'timespec'). */
  layouts?: Record<string, string>;
}

export interface SyscallArch {
  name: string;
  /** Register width: 64 (one register per 64-bit argument) or 32 (ARM EABI: 64-bit arguments
   *  take an even/odd register pair, low word first). */
  wordBits: 64 | 32;
  table: Map<number, SyscallEntry>;
  /** Calls only this arch has (riscv_hwprobe, ARM's set_tls), by name. */
  archImpls: Record<string, SyscallImpl>;
  /** Struct layouts by name: stat, statfs, timespec, timeval, timezone, rusage, tms, sysinfo,
   *  utsname, rlimit, statx, dirent64, iovec, winsize, termios, sigaction, stack_t, sched_param. */
  layouts: Record<string, StructLayout>;
  /** open(2) flag values by name (they differ between arches: O_DIRECTORY is 040000 on ARM). */
  openFlags: Record<string, number>;
  /** uname's machine field. */
  machine: string;
  /** /proc/cpuinfo as the guest should see it, for this many CPUs. */
  cpuinfo: (cpus: number) => string;
  /** sizeof(sigset_t) that rt_sigaction/rt_sigprocmask accept (the kernel's _NSIG / 8). */
  sigsetSize: number;
}
