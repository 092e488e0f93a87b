// The ARM private syscalls at __ARM_NR_BASE 0x0f0000 (arch/arm/include/uapi/asm/unistd.h,
// arch/arm/kernel/traps.c arm_syscall). They act on the CPU (the TLS register, translated
// code), which the generic syscall layer never sees, so the cpu loop runs them on the vCPU's own
// thread; like qemu-arm, -strace does not print them. Numbers outside this table go on to the
// normal table, which answers ENOSYS, except those isBadSyscall names.
import type { CpuExec } from '../../tcg/cpu-exec.js';
import { invalidateCode } from '../../tcg/vcpu-control.js';
import { TPIDRURO } from '../../target/arm/cpu-state.js';
import { E } from '../generic/errno.js';
import { TRAP_BRKPT } from '../generic/guest-thread.js';
import { SIGTRAP } from '../generic/signal-delivery.js';
import type { VcpuHost } from '../generic/vcpu-host.js';

/** The private numbers above this one are not reserved: the kernel raises SIGILL for them. */
const ARM_NR_LAST_RESERVED = 0x0f07ff;

/** Whether the kernel answers syscall number `nr` with SIGILL (ILL_ILLTRP) instead of running it
 *  or returning ENOSYS: numbers from __ARM_NR_BASE up that are not in its reserved private
 *  range (traps.c arm_syscall and bad_syscall; numbers below it that no call has get ENOSYS).
 *  qemu-arm does the same. */
export const isBadSyscall = (nr: number): boolean => nr > ARM_NR_LAST_RESERVED;

/** A call's result for r0, or undefined when the call set the registers itself. */
type PrivateCall = (cpu: CpuExec, host: VcpuHost, r0: number, r1: number, r2: number) => number | undefined;

export const ARM_PRIVATE_CALLS = new Map<number, PrivateCall>([
  // breakpoint: what the kernel does for an ARM breakpoint instruction: SIGTRAP at the SVC
  // itself, which the loop has already stepped over
  [0x0f0001, (cpu, host) => {
    cpu.pc -= cpu.pc & 1 ? 2 : 4;
    host.trap(SIGTRAP, TRAP_BRKPT, cpu.pc & ~1);
    return undefined;
  }],
  // cacheflush(start, end, flags): the guest wrote code there. Any range drops the translations
  // of every vCPU (as riscv_flush_icache does); flags must be 0 and the range ordered.
  [0x0f0002, (cpu, _host, start, end, flags) => {
    if (flags !== 0 || end < start) return -E.INVAL;
    invalidateCode(cpu.mem, cpu.frontend.layout);
    return 0;
  }],
  // set_tls(value): the user read-only thread ID register that MRC p15 c13 and
  // __kuser_get_tls read
  [0x0f0005, (cpu, _host, value) => {
    cpu.mem.view.setUint32(cpu.env + TPIDRURO, value, true);
    return 0;
  }],
  // get_tls()
  [0x0f0006, (cpu) => cpu.mem.view.getUint32(cpu.env + TPIDRURO, true)],
]);
