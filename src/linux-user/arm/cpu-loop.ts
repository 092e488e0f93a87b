// The 32-bit ARM cpu loop of linux-user: runs the vCPU and turns its exits into syscalls (SVC:
// EABI number in r7, arguments in r0-r6, result in r0; the old ABI's number in the SVC
// immediate, see syscallNumber) and into
// guest signals (undefined instruction -> SIGILL, BKPT -> SIGTRAP, bad access -> SIGSEGV or
// SIGBUS). It returns only by an exception: the process or this thread ended.
import { CpuExec } from '../../tcg/cpu-exec.js';
import { InterpBackend } from '../../tcg/interp-backend.js';
import { ExitReason, FaultKind } from '../../tcg/ir.js';
import { GuestFault } from '../../memory/guest-memory.js';
import {
  EXCEPTION, EXC_BKPT, EXC_INFO, EXC_UDEF, FAULT_ADDR, FAULT_KIND, ITSTATE, REG,
} from '../../target/arm/cpu-state.js';
import type { ArmFrontend } from '../../target/arm/frontend.js';
import { ILL_ILLOPC, ILL_ILLTRP, TRAP_BRKPT } from '../generic/guest-thread.js';
import { SIGILL, SIGTRAP } from '../generic/signal-delivery.js';
import type { VcpuHost } from '../generic/vcpu-host.js';
import { ARM_PRIVATE_CALLS, isBadSyscall } from './private-calls.js';

/** The undefined encodings the kernel keeps as breakpoints (arch/arm/kernel/ptrace.c, its
 *  break hooks): SIGTRAP rather than SIGILL. */
function isKernelBreakpoint(insn: number, thumb: boolean): boolean {
  return thumb ? insn === 0xde01 || insn >>> 0 === 0xf7f0a000 : (insn & 0x0fffffff) === 0x07f001f0;
}

const R7 = 7;
/** The old ABI (OABI) numbers its syscalls from here, in the SVC immediate. */
const OABI_SYSCALL_BASE = 0x900000;
const ARG_REGS = 7;
/** Instructions of a one-off block: an IT block has at most four. */
const IT_BLOCK_INSNS = 4;

export function armCpuLoop(cpu: CpuExec, host: VcpuHost): never {
  const view = cpu.mem.view;
  const reg = (i: number): number => view.getUint32(cpu.env + REG(i), true);
  const frontend = cpu.frontend as ArmFrontend;
  let oneOff: InterpBackend | undefined;
  // After an SVC inside an IT block the rest of that block runs under the saved ITSTATE: such a
  // translation depends on more than pc, so it runs once, interpreted, outside the TB cache
  // (src/target/arm/thumb-it.ts).
  const runInIt = (itState: number): ExitReason => {
    oneOff ??= new InterpBackend({ mem: cpu.mem, layout: frontend.layout, helpers: cpu.helpers });
    const ir = cpu.prepare(frontend.translateInIt(cpu.pc, IT_BLOCK_INSNS, itState));
    return oneOff.compile([ir])[0](cpu.env) as ExitReason;
  };
  /** The number of the syscall made by the SVC at pc, as the kernel (with its OABI_COMPAT) and
   *  qemu-arm take it: an ARM SVC with a nonzero immediate is an old-ABI call whose number is
   *  the immediate XOR 0x900000 (arch/arm/kernel/entry-common.S), so `swi 0x900004` is write;
   *  SVC 0 and every Thumb SVC take the EABI number in r7. */
  const syscallNumber = (pc: number): number => {
    const imm = pc & 1 ? 0 : view.getUint32(pc, true) & 0xffffff;
    return imm === 0 ? reg(R7) : (imm ^ OABI_SYSCALL_BASE) >>> 0;
  };
  for (;;) {
    let r: ExitReason;
    try {
      const itState = view.getInt32(cpu.env + ITSTATE, true);
      r = itState !== 0 ? runInIt(itState) : cpu.run();
    } catch (e) {
      if (!(e instanceof GuestFault)) throw e;
      host.memFault(e.addr, false);
      continue;
    }
    switch (r) {
      case ExitReason.Next: // the end of a one-off block
        break;
      case ExitReason.Syscall: {
        // pc is the SVC's own, with the Thumb bit: go on after it (2 bytes in Thumb state).
        const pc = cpu.pc;
        cpu.pc = pc + (pc & 1 ? 2 : 4);
        const nr = syscallNumber(pc);
        if (isBadSyscall(nr)) {
          host.trap(SIGILL, ILL_ILLTRP, pc & ~1);
          break;
        }
        const own = ARM_PRIVATE_CALLS.get(nr);
        const value = own
          ? own(cpu, host, reg(0), reg(1), reg(2))
          : host.syscall(nr, Array.from({ length: ARG_REGS }, (_, i) => BigInt(reg(i))));
        if (value !== undefined) view.setUint32(cpu.env + REG(0), Number(BigInt.asUintN(32, BigInt(value))), true);
        host.checkpoint();
        break;
      }
      case ExitReason.Exception: {
        const cause = view.getInt32(cpu.env + EXCEPTION, true);
        const pc = cpu.pc & ~1;
        const kernelBreak = cause === EXC_UDEF && isKernelBreakpoint(view.getUint32(cpu.env + EXC_INFO, true), (cpu.pc & 1) !== 0);
        if (cause === EXC_BKPT || kernelBreak) host.trap(SIGTRAP, TRAP_BRKPT, pc);
        else if (cause === EXC_UDEF) host.trap(SIGILL, ILL_ILLOPC, pc);
        else throw new Error(`unexpected arm exception cause ${cause}`);
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
