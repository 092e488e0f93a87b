// The 32-bit ARM cpu loop of linux-user: runs the vCPU and turns its exits into syscalls (SVC:
// EABI number in r7, arguments in r0-r6, result in r0; the SVC immediate is ignored) and into
// guest signals (undefined instruction -> SIGILL, BKPT -> SIGTRAP, bad access -> SIGSEGV).
import { CpuExec } from '../../tcg/cpu-exec.js';
import { InterpBackend } from '../../tcg/interp-backend.js';
import { ExitReason } from '../../tcg/ir.js';
import { GuestFault } from '../../memory/guest-memory.js';
import { EXCEPTION, EXC_BKPT, EXC_UDEF, ITSTATE, REG } from '../../target/arm/cpu-state.js';
import type { ArmFrontend } from '../../target/arm/frontend.js';
import { LinuxProcess, guestEnd } from '../generic/process.js';
import { GuestExitStatus, SIGILL, SIGSEGV, SIGTRAP } from '../generic/termination.js';
import { ARM_PRIVATE_CALLS } from './private-calls.js';

const R7 = 7;
const ARG_REGS = 7;
/** Instructions of a one-off block: an IT block has at most four. */
const IT_BLOCK_INSNS = 4;

export function armCpuLoop(cpu: CpuExec, proc: LinuxProcess): GuestExitStatus {
  const view = cpu.mem.view;
  const reg = (i: number): number => view.getUint32(cpu.env + REG(i), true);
  const frontend = cpu.frontend as ArmFrontend;
  let oneOff: InterpBackend | undefined;
  // After an SVC inside an IT block the rest of that block runs under the saved ITSTATE: such a
  // translation depends on more than pc, so it runs once, interpreted, outside the TB cache
  // (src/target/arm/thumb-it.ts).
  const runInIt = (itState: number): ExitReason => {
    oneOff ??= new InterpBackend({ mem: cpu.mem, layout: frontend.layout, helpers: frontend.helpers });
    const ir = frontend.translateInIt(cpu.pc, IT_BLOCK_INSNS, itState);
    return oneOff.compile([ir])[0](cpu.env) as ExitReason;
  };
  for (;;) {
    let r: ExitReason;
    try {
      const itState = view.getInt32(cpu.env + ITSTATE, true);
      r = itState !== 0 ? runInIt(itState) : cpu.run();
    } catch (e) {
      if (e instanceof GuestFault) return { signal: SIGSEGV };
      throw e;
    }
    switch (r) {
      case ExitReason.Next: // the end of a one-off block
        break;
      case ExitReason.Syscall: {
        // pc is the SVC's own, with the Thumb bit: go on after it (2 bytes in Thumb state).
        const pc = cpu.pc;
        cpu.pc = pc + (pc & 1 ? 2 : 4);
        const nr = reg(R7);
        let value: number;
        try {
          const own = ARM_PRIVATE_CALLS.get(nr);
          value = own
            ? own(cpu, reg(0), reg(1), reg(2))
            : Number(BigInt.asIntN(32, proc.syscall(nr, Array.from({ length: ARG_REGS }, (_, i) => BigInt(reg(i))))));
        } catch (e) {
          const end = guestEnd(e);
          if (end) return end;
          throw e;
        }
        view.setUint32(cpu.env + REG(0), value >>> 0, true);
        break;
      }
      case ExitReason.Exception: {
        const cause = view.getInt32(cpu.env + EXCEPTION, true);
        if (cause === EXC_BKPT) return { signal: SIGTRAP };
        if (cause === EXC_UDEF) return { signal: SIGILL };
        throw new Error(`unexpected arm exception cause ${cause}`);
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
