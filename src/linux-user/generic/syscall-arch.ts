// What an architecture tells the generic syscall layer: its numbers, how raw argument registers
// become host values, its struct layouts, and the few calls that only it has. The generic layer
// implements calls by name; this is the only place numbers, offsets and ABI rules come from.
import type { GuestMemory } from '../../memory/guest-memory.js';
import type { StructLayout } from './struct-layout.js';
import type { LinuxProcess } from './process.js';
import type { AltStack } from './guest-thread.js';

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
  /** sigreturn: the result is the restored register, not an outcome (no SIGPIPE on -EPIPE). */
  restoresRegisters?: boolean;
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
  signals: SignalArch;
}

/** A handler's frame as the generic layer decided it (signal-delivery.ts). */
export interface SignalFrame {
  sig: number;
  /** The siginfo, encoded in the arch's 'siginfo' layout. */
  info: Uint8Array;
  handler: number;
  /** sa_flags: SA_SIGINFO picks ARM's rt frame, SA_RESTORER the return address. */
  flags: number;
  restorer: number;
  /** Where the frame goes: below this (the alternate stack's top, or the interrupted sp). */
  sp: number;
  /** The signal mask the handler's return restores. */
  mask: bigint;
  /** The alternate stack as the frame's uc_stack records it. */
  stack: AltStack;
  /** The faulting address of SIGSEGV and SIGBUS (ARM's sigcontext keeps it), else 0. */
  faultAddr: number;
}

/** What signals and threads need of an arch's registers, in the arch's own layout. */
export interface SignalArch {
  /** The stack pointer of the interrupted code. */
  sp(mem: GuestMemory, env: number): number;
  /** Writes the frame below f.sp and points the registers at the handler (arguments, stack,
   *  return address). Throws GuestFault when the stack cannot take it. */
  setupFrame(p: LinuxProcess, env: number, f: SignalFrame): void;
  /** rt_sigreturn (rt) or ARM's sigreturn: restores the registers from the frame at the stack
   *  pointer; returns the mask and the alternate stack it saved (rt frames only) and the
   *  restored result register. */
  restoreFrame(p: LinuxProcess, env: number, rt: boolean): { mask: bigint; stack?: AltStack; result: bigint };
  /** Sets the pc back onto the syscall instruction and its first argument register back to
   *  `arg0`, so that the call runs again (pc already points past the instruction). */
  restartSyscall(mem: GuestMemory, env: number, arg0: bigint): void;
  /** Writes a syscall's result register. */
  setResult(mem: GuestMemory, env: number, value: bigint): void;
  /** clone's child, whose state is a copy of the parent's: result 0, the new stack pointer when
   *  non-zero, the thread pointer when `tls` is given. */
  initThread(mem: GuestMemory, env: number, stack: number, tls: number | undefined): void;
}
