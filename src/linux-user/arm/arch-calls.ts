// Calls whose ARM shape differs from every generic one: 64-bit values split across registers
// in ways the 'off' pair cannot express, and statfs64's size argument.
import { E, SyscallError } from '../generic/errno.js';
import type { LinuxProcess } from '../generic/process.js';
import type { SyscallImpl } from '../generic/syscall-arch.js';
import { GENERIC_SYSCALLS } from '../generic/syscall-impls.js';
import { ARM_LAYOUTS } from './struct-layouts.js';
import { sigreturn } from '../generic/signal-delivery.js';

const run = (name: string, p: LinuxProcess, ...a: number[]): number => Number(GENERIC_SYSCALLS[name].fn(p, ...a));

/** A 64-bit value from two 32-bit registers, the high one signed. */
const join64 = (hi: number, lo: number): number => (hi | 0) * 2 ** 32 + (lo >>> 0);

/** _llseek(fd, offset_high, offset_low, loff_t *result, whence) (fs/read_write.c). */
function llseek(p: LinuxProcess, fd: number, hi: number, lo: number, result: number, whence: number): number {
  p.mem.check(result, 8, true);
  const pos = run('lseek', p, fd, join64(hi, lo), whence);
  p.mem.writeU64(result, BigInt(pos));
  return 0;
}

/** statfs64/fstatfs64 take sizeof(struct statfs64) and refuse any other (fs/statfs.c); ARM's
 *  entry wrapper also takes 88, the size EABI glibc passes (its struct is padded to 8 bytes,
 *  the kernel's packed to 4: same offsets), as 84 (arch/arm/kernel/entry-common.S). */
const GLIBC_STATFS64_SIZE = 88;
function checkStatfs64Size(size: number): void {
  if (size !== ARM_LAYOUTS.statfs64.size && size !== GLIBC_STATFS64_SIZE) throw new SyscallError(E.INVAL);
}

export const ARM_ARCH_SYSCALLS: Record<string, SyscallImpl> = {
  // The frame of a handler without SA_SIGINFO (signal-frame.ts).
  sigreturn: { args: [], restoresRegisters: true, fn: (p) => sigreturn(p, false) },
  _llseek: { args: ['fd', 'ulong', 'ulong', 'ptr', 'whence'], fn: llseek },
  statfs64: { args: ['path', 'ulong', 'ptr'], fn: (p, n, size, buf) => { checkStatfs64Size(size); return run('statfs', p, n, buf); } },
  fstatfs64: { args: ['fd', 'ulong', 'ptr'], fn: (p, fd, size, buf) => { checkStatfs64Size(size); return run('fstatfs', p, fd, buf); } },
  // preadv/pwritev pass the offset as two plain longs, low first and not pair-aligned
  // (fs/read_write.c pos_from_hilo).
  preadv: { args: ['fd', 'ptr', 'int', 'ulong', 'ulong'], fn: (p, fd, iov, cnt, lo, hi) => run('preadv', p, fd, iov, cnt, join64(hi, lo)) },
  pwritev: { args: ['fd', 'ptr', 'int', 'ulong', 'ulong'], fn: (p, fd, iov, cnt, lo, hi) => run('pwritev', p, fd, iov, cnt, join64(hi, lo)) },
};
