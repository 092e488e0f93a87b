// 32-bit ARM signal frames and thread registers (arch/arm/kernel/signal.c and signal.h,
// uapi/asm/sigcontext.h, asm/ucontext.h, the VFP record of asm/ucontext.h). Frames are 8-byte
// aligned below the stack pointer:
//   rt_sigframe (SA_SIGINFO): siginfo (128), then a sigframe
//   sigframe:   ucontext (744), retcode[4]
//   ucontext:   uc_flags 0, uc_link 4, uc_stack 8 (sp, flags, size), uc_mcontext 20 = sigcontext
//               (trap_no, error_code, oldmask, r0..r10, fp, ip, sp, lr, pc, cpsr, fault_address),
//               uc_sigmask 104, uc_regspace 232: the VFP record (magic 0x56465001, size 288,
//               d0..d31, fpscr, fpexc, fpinst, fpinst2), then a zero end marker
// The handler gets r0 = signal (and r1 = &info, r2 = &uc for SA_SIGINFO), lr = sa_restorer or the
// kernel's trampoline for the handler's instruction set, and runs in Thumb state if its address
// has bit 0 set.
import { GuestFault, toAddr } from '../../memory/guest-memory.js';
import {
  DREG, EXCL_ADDR, FPSCR, ITSTATE, PC, REG, TPIDRURO, cpsrFromState, cpsrToState,
} from '../../target/arm/cpu-state.js';
import { SA_RESTORER, SA_SIGINFO } from '../generic/signal-delivery.js';
import type { SignalArch } from '../generic/syscall-arch.js';
import { sigreturnCode } from './kuser-page.js';

const SIGINFO_SIZE = 128;
const UCONTEXT_SIZE = 744;
const RETCODE_SIZE = 16;
const UC_STACK = 8;
const SC = 20; // uc_mcontext
const SC_OLDMASK = SC + 8;
const SC_R0 = SC + 12;
const SC_CPSR = SC + 76;
const SC_FAULT_ADDRESS = SC + 80;
const UC_SIGMASK = 104;
const VFP = 232; // uc_regspace
const VFP_MAGIC = 0x56465001;
const VFP_STORAGE_SIZE = 288;
/** Non-rt frames mark uc_flags with a value trap_no never has (setup_frame in signal.c). */
const SIGFRAME_FLAGS = 0x5ac3c35a;
/** FPEXC.EN: the VFP is enabled. */
const FPEXC_EN = 0x40000000;
const SP = 13, LR = 14;

export const ARM_SIGNALS: SignalArch = {
  sp: (mem, env) => mem.view.getUint32(env + REG(SP), true),

  setupFrame(p, env, f) {
    const mem = p.mem;
    const v = mem.view;
    const rt = (f.flags & SA_SIGINFO) !== 0;
    const size = (rt ? SIGINFO_SIZE : 0) + UCONTEXT_SIZE + RETCODE_SIZE;
    const below = f.sp - size;
    const frame = below - (below % 8);
    const u = rt ? SIGINFO_SIZE : 0;
    const buf = new Uint8Array(size);
    const b = new DataView(buf.buffer);
    if (rt) {
      buf.set(f.info, 0);
      b.setUint32(u + UC_STACK, f.stack.sp, true);
      b.setInt32(u + UC_STACK + 4, f.stack.flags, true);
      b.setUint32(u + UC_STACK + 8, f.stack.size, true);
    } else {
      b.setUint32(u, SIGFRAME_FLAGS, true);
    }
    b.setUint32(u + SC_OLDMASK, Number(f.mask & 0xffffffffn), true);
    for (let i = 0; i < 15; i++) b.setUint32(u + SC_R0 + 4 * i, v.getUint32(env + REG(i), true), true);
    b.setUint32(u + SC_R0 + 60, v.getUint32(env + PC, true) & ~1, true);
    b.setUint32(u + SC_CPSR, cpsrFromState(v, env), true);
    b.setUint32(u + SC_FAULT_ADDRESS, f.faultAddr, true);
    b.setBigUint64(u + UC_SIGMASK, f.mask, true);
    b.setUint32(u + VFP, VFP_MAGIC, true);
    b.setUint32(u + VFP + 4, VFP_STORAGE_SIZE, true);
    for (let i = 0; i < 32; i++) b.setBigUint64(u + VFP + 8 + 8 * i, v.getBigUint64(env + DREG(i), true), true);
    b.setUint32(u + VFP + 264, v.getUint32(env + FPSCR, true), true);
    b.setUint32(u + VFP + 268, FPEXC_EN, true);
    mem.write(frame, buf);
    const thumb = (f.handler & 1) !== 0;
    v.setUint32(env + REG(0), f.sig, true);
    if (rt) {
      v.setUint32(env + REG(1), frame, true);
      v.setUint32(env + REG(2), frame + u, true);
    }
    v.setUint32(env + REG(SP), frame, true);
    v.setUint32(env + REG(LR), f.flags & SA_RESTORER ? f.restorer : sigreturnCode(rt, thumb), true);
    // The handler's address carries its instruction set, as the pc slot does; IT state ends.
    v.setUint32(env + PC, f.handler, true);
    v.setInt32(env + ITSTATE, 0, true);
    v.setInt32(env + EXCL_ADDR, -1, true); // an exception return clears the monitor
  },

  restoreFrame(p, env, rt) {
    const mem = p.mem;
    const v = mem.view;
    const sp = ARM_SIGNALS.sp(mem, env);
    if (sp % 8) throw new GuestFault(sp, false); // the kernel's badframe: SIGSEGV
    const uc = sp + (rt ? SIGINFO_SIZE : 0);
    const raw = mem.read(uc, UCONTEXT_SIZE);
    const b = new DataView(raw.buffer);
    for (let i = 0; i < 15; i++) v.setUint32(env + REG(i), b.getUint32(SC_R0 + 4 * i, true), true);
    v.setUint32(env + PC, b.getUint32(SC_R0 + 60, true) & ~1, true);
    cpsrToState(v, env, b.getUint32(SC_CPSR, true), true);
    if (b.getUint32(VFP, true) === VFP_MAGIC && b.getUint32(VFP + 4, true) === VFP_STORAGE_SIZE) {
      for (let i = 0; i < 32; i++) v.setBigUint64(env + DREG(i), b.getBigUint64(VFP + 8 + 8 * i, true), true);
      v.setUint32(env + FPSCR, b.getUint32(VFP + 264, true), true);
    }
    v.setInt32(env + EXCL_ADDR, -1, true);
    return {
      mask: b.getBigUint64(UC_SIGMASK, true),
      stack: rt
        ? { sp: b.getUint32(UC_STACK, true), flags: b.getInt32(UC_STACK + 4, true), size: b.getUint32(UC_STACK + 8, true) }
        : undefined,
      result: BigInt(v.getUint32(env + REG(0), true)),
    };
  },

  restartSyscall(mem, env, arg0) {
    const v = mem.view;
    const pc = v.getUint32(env + PC, true);
    v.setUint32(env + PC, pc - (pc & 1 ? 2 : 4), true); // SVC: 2 bytes in Thumb, 4 in A32
    v.setUint32(env + REG(0), Number(BigInt.asUintN(32, arg0)), true);
  },

  setResult: (mem, env, value) => mem.view.setUint32(env + REG(0), Number(BigInt.asUintN(32, value)), true),

  initThread(mem, env, stack, tls) {
    const v = mem.view;
    v.setUint32(env + REG(0), 0, true);
    if (stack) v.setUint32(env + REG(SP), toAddr(stack), true);
    if (tls !== undefined) v.setUint32(env + TPIDRURO, tls, true);
    v.setInt32(env + EXCL_ADDR, -1, true);
  },
};
