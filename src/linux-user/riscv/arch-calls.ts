// Syscalls only RISC-V has: riscv_hwprobe and riscv_flush_icache.
import { GUEST_LIMIT } from '../../memory/guest-memory.js';
import { E, SyscallError } from '../generic/errno.js';
import type { LinuxProcess } from '../generic/process.js';
import type { SyscallImpl } from '../generic/syscall-arch.js';

// struct riscv_hwprobe { __s64 key; __u64 value; } (arch/riscv/include/uapi/asm/hwprobe.h)
const PAIR_SIZE = 16;
const KEY_MVENDORID = 0n, KEY_MARCHID = 1n, KEY_MIMPID = 2n, KEY_BASE_BEHAVIOR = 3n, KEY_IMA_EXT_0 = 4n, KEY_CPUPERF_0 = 5n;
const BASE_BEHAVIOR_IMA = 1n;
const IMA_FD = 1n << 0n, IMA_C = 1n << 1n, EXT_ZBA = 1n << 3n, EXT_ZBB = 1n << 4n, EXT_ZBS = 1n << 5n;
const MISALIGNED_FAST = 3n;
/** What tsemu's CPU answers, as qemu-user does (vendor/arch/impl ids are 0 for an emulator). */
const HWPROBE: Map<bigint, bigint> = new Map([
  [KEY_MVENDORID, 0n], [KEY_MARCHID, 0n], [KEY_MIMPID, 0n],
  [KEY_BASE_BEHAVIOR, BASE_BEHAVIOR_IMA],
  [KEY_IMA_EXT_0, IMA_FD | IMA_C | EXT_ZBA | EXT_ZBB | EXT_ZBS],
  [KEY_CPUPERF_0, MISALIGNED_FAST],
]);
/** Bound on the pairs one call may ask for (the kernel has none; this keeps a bad count cheap). */
const MAX_PAIRS = 1024;

function hwprobe(p: LinuxProcess, pairs: number, count: number, _cpuCount: number, _cpus: number, flags: number): number {
  if (flags !== 0) throw new SyscallError(E.INVAL);
  if (count > MAX_PAIRS) throw new SyscallError(E.INVAL);
  for (let i = 0; i < count; i++) {
    const at = pairs + i * PAIR_SIZE;
    const key = BigInt.asIntN(64, p.mem.readU64(at));
    const value = HWPROBE.get(key);
    // Unknown keys come back with key -1 and value 0.
    p.mem.writeU64(at, value === undefined ? -1n : key);
    p.mem.writeU64(at + 8, value ?? 0n);
  }
  return 0;
}

// SYS_RISCV_FLUSH_ICACHE_LOCAL: the only defined flag.
const FLUSH_ICACHE_LOCAL = 1;

/** Linux flushes the whole instruction cache whatever the range says, so does this. */
function flushIcache(p: LinuxProcess, _start: number, _end: number, flags: number): number {
  if (flags & ~FLUSH_ICACHE_LOCAL) throw new SyscallError(E.INVAL);
  p.codeChanged(0, GUEST_LIMIT);
  return 0;
}

export const RISCV_ARCH_SYSCALLS: Record<string, SyscallImpl> = {
  riscv_hwprobe: { args: ['ptr', 'ulong', 'ulong', 'ptr', 'uint'], fn: hwprobe },
  riscv_flush_icache: { args: ['ptr', 'ptr', 'ulong'], fn: flushIcache },
};
