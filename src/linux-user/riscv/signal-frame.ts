// riscv64 signal frames and thread registers (arch/riscv/kernel/signal.c, uapi/asm/ucontext.h,
// uapi/asm/sigcontext.h, glibc's sys/ucontext.h). The rt_sigframe is a siginfo followed by a
// ucontext, 16-byte aligned below the stack pointer:
//   ucontext: uc_flags 0, uc_link 8, uc_stack 16 (sp, flags, size), uc_sigmask 40,
//             uc_mcontext 176 = sigcontext: sc_regs (pc, x1..x31) 0, f0..f31 256, fcsr 512
// The handler gets a0 = signal, a1 = &info, a2 = &uc, and returns through ra to a trampoline
// (`li a7, 139; ecall`, rt_sigreturn) in a page mapped at start-up, as qemu-riscv64 maps one
// (the kernel's is in the vDSO).
import { AddressSpace } from '../../memory/address-space.js';
import { GuestMemory, PAGE_SIZE, PROT_EXEC, PROT_READ, toAddr } from '../../memory/guest-memory.js';
import { FFLAGS, FREG, FRM, PC, RES_ADDR, XREG } from '../../target/riscv/cpu-state.js';
import type { SignalArch } from '../generic/syscall-arch.js';

const SIGINFO_SIZE = 128;
const UC_STACK = 16;
const UC_SIGMASK = 40;
const UC_MCONTEXT = 176;
const SC_FREGS = UC_MCONTEXT + 256;
const SC_FCSR = UC_MCONTEXT + 512;
const UCONTEXT_SIZE = 960;
const FRAME_SIZE = SIGINFO_SIZE + UCONTEXT_SIZE;
const SP = 2, TP = 4, A0 = 10, RA = 1;

/** li a7, 139 (__NR_rt_sigreturn); ecall */
const TRAMPOLINE = [0x08b00893, 0x00000073];
/** Where each address space's trampoline is (one per process). */
const trampolines = new WeakMap<GuestMemory, number>();

/** Maps the trampoline page, read+execute, where mmap would put a page. */
export function mapSigtrampPage(as: AddressSpace): void {
  const at = as.findFree(PAGE_SIZE)!;
  as.map(at, PAGE_SIZE, PROT_READ | PROT_EXEC);
  const code = new Uint8Array(new Uint32Array(TRAMPOLINE).buffer);
  as.mem.writeRaw(at, code);
  trampolines.set(as.mem, at);
}

const reg = (v: DataView, env: number, i: number): bigint => v.getBigUint64(env + XREG(i), true);
const setReg = (v: DataView, env: number, i: number, x: bigint): void => v.setBigUint64(env + XREG(i), BigInt.asUintN(64, x), true);

export const RISCV_SIGNALS: SignalArch = {
  sp: (mem, env) => toAddr(reg(mem.view, env, SP)),

  setupFrame(p, env, f) {
    const mem = p.mem;
    const v = mem.view;
    const below = f.sp - FRAME_SIZE;
    const frame = below - (below % 16);
    const uc = frame + SIGINFO_SIZE;
    const buf = new Uint8Array(FRAME_SIZE);
    const b = new DataView(buf.buffer);
    buf.set(f.info, 0);
    const u = SIGINFO_SIZE;
    b.setBigUint64(u + UC_STACK, BigInt(f.stack.sp), true);
    b.setInt32(u + UC_STACK + 8, f.stack.flags, true);
    b.setBigUint64(u + UC_STACK + 16, BigInt(f.stack.size), true);
    b.setBigUint64(u + UC_SIGMASK, f.mask, true);
    b.setBigUint64(u + UC_MCONTEXT, v.getBigUint64(env + PC, true), true);
    for (let i = 1; i < 32; i++) b.setBigUint64(u + UC_MCONTEXT + 8 * i, reg(v, env, i), true);
    for (let i = 0; i < 32; i++) b.setBigUint64(u + SC_FREGS + 8 * i, v.getBigUint64(env + FREG(i), true), true);
    b.setUint32(u + SC_FCSR, (v.getUint32(env + FRM, true) << 5) | v.getUint32(env + FFLAGS, true), true);
    mem.write(frame, buf);
    setReg(v, env, A0, BigInt(f.sig));
    setReg(v, env, A0 + 1, BigInt(frame));
    setReg(v, env, A0 + 2, BigInt(uc));
    setReg(v, env, SP, BigInt(frame));
    setReg(v, env, RA, BigInt(trampolines.get(mem) ?? 0));
    v.setBigUint64(env + PC, BigInt(f.handler), true);
    v.setBigInt64(env + RES_ADDR, -1n, true); // a trap ends any LR reservation
  },

  restoreFrame(p, env) {
    const mem = p.mem;
    const v = mem.view;
    const uc = RISCV_SIGNALS.sp(mem, env) + SIGINFO_SIZE;
    const raw = mem.read(uc, UCONTEXT_SIZE);
    const b = new DataView(raw.buffer);
    v.setBigUint64(env + PC, b.getBigUint64(UC_MCONTEXT, true), true);
    for (let i = 1; i < 32; i++) setReg(v, env, i, b.getBigUint64(UC_MCONTEXT + 8 * i, true));
    for (let i = 0; i < 32; i++) v.setBigUint64(env + FREG(i), b.getBigUint64(SC_FREGS + 8 * i, true), true);
    const fcsr = b.getUint32(SC_FCSR, true);
    v.setUint32(env + FFLAGS, fcsr & 0x1f, true);
    v.setUint32(env + FRM, (fcsr >>> 5) & 7, true);
    v.setBigInt64(env + RES_ADDR, -1n, true);
    return {
      mask: b.getBigUint64(UC_SIGMASK, true),
      stack: {
        sp: Number(BigInt.asUintN(32, b.getBigUint64(UC_STACK, true))),
        flags: b.getInt32(UC_STACK + 8, true),
        size: Number(BigInt.asUintN(32, b.getBigUint64(UC_STACK + 16, true))),
      },
      result: reg(v, env, A0),
    };
  },

  restartSyscall(mem, env, arg0) {
    const v = mem.view;
    v.setBigUint64(env + PC, v.getBigUint64(env + PC, true) - 4n, true); // ecall: 4 bytes
    setReg(v, env, A0, arg0);
  },

  setResult: (mem, env, value) => setReg(mem.view, env, A0, value),

  initThread(mem, env, stack, tls) {
    const v = mem.view;
    setReg(v, env, A0, 0n);
    if (stack) setReg(v, env, SP, BigInt(stack));
    if (tls !== undefined) setReg(v, env, TP, BigInt(tls));
    v.setBigInt64(env + RES_ADDR, -1n, true);
  },
};
