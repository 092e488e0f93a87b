// The riscv64 cpu loop of linux-user: runs the vCPU and turns its exits into syscalls (ecall:
// number in a7, arguments in a0-a5, result in a0; RISC-V psABI / Linux riscv entry.S) and into
// guest signals (illegal instruction -> SIGILL, ebreak -> SIGTRAP, bad access -> SIGSEGV or
// SIGBUS). It returns only by an exception: the process or this thread ended.
import { CpuExec } from '../../tcg/cpu-exec.js';
import { ExitReason, FaultKind } from '../../tcg/ir.js';
import { GuestFault } from '../../memory/guest-memory.js';
import {
  EXCEPTION, EXC_BREAKPOINT, EXC_ILLEGAL_INSN, FAULT_ADDR, FAULT_KIND, XREG,
} from '../../target/riscv/cpu-state.js';
import { ILL_ILLOPC, TRAP_BRKPT } from '../generic/guest-thread.js';
import { SIGILL, SIGTRAP } from '../generic/signal-delivery.js';
import type { VcpuHost } from '../generic/vcpu-host.js';

const A0 = 10;
const A7 = 17;

export function riscvCpuLoop(cpu: CpuExec, host: VcpuHost): never {
  const view = cpu.mem.view;
  const reg = (i: number): bigint => view.getBigUint64(cpu.env + XREG(i), true);
  for (;;) {
    let r: ExitReason;
    try {
      r = cpu.run();
    } catch (e) {
      if (!(e instanceof GuestFault)) throw e;
      host.memFault(e.addr, false);
      continue;
    }
    switch (r) {
      case ExitReason.Syscall: {
        const args = [reg(A0), reg(A0 + 1), reg(A0 + 2), reg(A0 + 3), reg(A0 + 4), reg(A0 + 5)];
        cpu.pc += 4; // ecall has no compressed form; a restart steps back (signal-frame.ts)
        view.setBigUint64(cpu.env + XREG(A0), host.syscall(Number(reg(A7)), args), true);
        host.checkpoint();
        break;
      }
      case ExitReason.Exception: {
        const cause = view.getInt32(cpu.env + EXCEPTION, true);
        if (cause === EXC_BREAKPOINT) host.trap(SIGTRAP, TRAP_BRKPT, cpu.pc);
        else if (cause === EXC_ILLEGAL_INSN) host.trap(SIGILL, ILL_ILLOPC, cpu.pc);
        else throw new Error(`unexpected riscv exception cause ${cause}`);
        break;
      }
      case ExitReason.MemFault:
        host.memFault(Number(view.getBigUint64(cpu.env + FAULT_ADDR, true)), view.getInt32(cpu.env + FAULT_KIND, true) === FaultKind.Misaligned);
        break;
      case ExitReason.FlushCode:
        cpu.flush();
        break;
      case ExitReason.Interrupt:
        host.checkpoint();
        break;
      default:
        throw new Error(`unexpected exit reason ${r}`);
    }
  }
}
