// The riscv64 cpu loop of linux-user: runs the vCPU and turns its exits into syscalls (ecall:
// number in a7, arguments in a0-a5, result in a0; RISC-V psABI / Linux riscv entry.S) and into
// guest signals (illegal instruction -> SIGILL, ebreak -> SIGTRAP, bad access -> SIGSEGV).
import { CpuExec } from '../../tcg/cpu-exec.js';
import { ExitReason } from '../../tcg/ir.js';
import { GuestFault } from '../../memory/guest-memory.js';
import { EXCEPTION, EXC_BREAKPOINT, EXC_ILLEGAL_INSN, XREG } from '../../target/riscv/cpu-state.js';
import { LinuxProcess, guestEnd } from '../generic/process.js';
import { GuestExitStatus, SIGILL, SIGSEGV, SIGTRAP } from '../generic/termination.js';

const A0 = 10;
const A7 = 17;

export function riscvCpuLoop(cpu: CpuExec, proc: LinuxProcess): GuestExitStatus {
  const view = cpu.mem.view;
  const reg = (i: number): bigint => view.getBigUint64(cpu.env + XREG(i), true);
  for (;;) {
    let r: ExitReason;
    try {
      r = cpu.run();
    } catch (e) {
      if (e instanceof GuestFault) return { signal: SIGSEGV };
      throw e;
    }
    switch (r) {
      case ExitReason.Syscall: {
        const args = [reg(A0), reg(A0 + 1), reg(A0 + 2), reg(A0 + 3), reg(A0 + 4), reg(A0 + 5)];
        let value: bigint;
        try {
          value = proc.syscall(Number(reg(A7)), args);
        } catch (e) {
          const end = guestEnd(e);
          if (end) return end;
          throw e;
        }
        view.setBigUint64(cpu.env + XREG(A0), BigInt.asUintN(64, value), true);
        cpu.pc += 4; // ecall has no compressed form
        break;
      }
      case ExitReason.Exception: {
        const cause = view.getInt32(cpu.env + EXCEPTION, true);
        if (cause === EXC_BREAKPOINT) return { signal: SIGTRAP };
        if (cause === EXC_ILLEGAL_INSN) return { signal: SIGILL };
        throw new Error(`unexpected riscv exception cause ${cause}`);
      }
      case ExitReason.MemFault:
        return { signal: SIGSEGV };
      case ExitReason.FlushCode:
        cpu.flush();
        break;
      default:
        throw new Error(`unexpected exit reason ${r}`);
    }
  }
}
