// The ARM private syscalls at __ARM_NR_BASE 0x0f0000 (arch/arm/include/uapi/asm/unistd.h,
// arch/arm/kernel/traps.c arm_syscall). They act on the CPU (the TLS register, translated
// code), which the generic syscall layer never sees, so the cpu loop runs them; like qemu-arm,
// -strace does not print them. Numbers outside this table go on to the normal table, which
// answers ENOSYS.
import type { CpuExec } from '../../tcg/cpu-exec.js';
import { TPIDRURO } from '../../target/arm/cpu-state.js';
import { E } from '../generic/errno.js';
import { GuestSignal } from '../generic/process.js';
import { SIGTRAP } from '../generic/termination.js';

type PrivateCall = (cpu: CpuExec, r0: number, r1: number, r2: number) => number;

export const ARM_PRIVATE_CALLS = new Map<number, PrivateCall>([
  // breakpoint: what the kernel does for an ARM breakpoint instruction
  [0x0f0001, () => { throw new GuestSignal(SIGTRAP); }],
  // cacheflush(start, end, flags): the guest wrote code there. Any range drops every
  // translation (as riscv_flush_icache does); flags must be 0 and the range ordered.
  [0x0f0002, (cpu, start, end, flags) => {
    if (flags !== 0 || end < start) return -E.INVAL;
    cpu.flush();
    return 0;
  }],
  // set_tls(value): the user read-only thread ID register that MRC p15 c13 and
  // __kuser_get_tls read
  [0x0f0005, (cpu, value) => {
    cpu.mem.view.setUint32(cpu.env + TPIDRURO, value, true);
    return 0;
  }],
  // get_tls()
  [0x0f0006, (cpu) => cpu.mem.view.getUint32(cpu.env + TPIDRURO, true)],
]);
