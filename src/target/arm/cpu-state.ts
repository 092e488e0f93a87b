// 32-bit ARM (ARMv7-A) CPU state layout inside the shared memory (one area per vCPU). Offsets are
// the contract between this frontend (A32, Thumb and VFP decoders), its helpers,
// linux-user/arm and the backends (through StateLayout).
//
// The flags are kept the way they are cheapest to produce, not packed as in the CPSR:
//   NF: bit 31 is N          ZF: Z is set iff ZF == 0
//   CF: 0 or 1               VF: bit 31 is V
//   QF: 0 or 1 (sticky)      GE: byte i is 0xff if GE[i] is set, else 0 (the mask SEL
//                                applies, which the parallel add/subtract ops make in two ops)
// cpsrFromState/cpsrToState below pack and unpack them (MRS/MSR, signal frames, -d cpu).
//
// The pc slot is also the Thumb bit: it holds the address of the next instruction with bit 0
// set in Thumb state (instructions are at least halfword aligned, so bit 0 is free). The TB
// cache keys blocks by this value, so an ARM block and a Thumb block at one address are
// distinct translations, and every exit (goto_tb, goto_ptr, a fault's insn_start pc) carries
// the instruction set with it. linux-user reads the Thumb bit from pc bit 0 too.
import { StateLayout } from '../../tcg/ir.js';

export const REG = (i: number): number => i * 4; // r0..r14 (i32); r15's slot is PC
export const PC = 60; // i32: next instruction address | Thumb bit
export const NF = 64;
export const ZF = 68;
export const CF = 72;
export const VF = 76;
export const QF = 80;
export const GE = 84;
/** i32: ITSTATE (ARM ARM A2.5.2) where a block or a signal left off inside an IT block. The
 *  translator never ends a block inside an IT block on its own; linux-user saves and restores
 *  this slot with the CPSR. */
export const ITSTATE = 88;
export const TPIDRURO = 92; // i32: the user read-only thread register (set_tls)
/** i32: the exclusive monitor's address, -1 when open (no LDREX outstanding). */
export const EXCL_ADDR = 96;
export const EXCL_VAL = 100; // i32: the value LDREX loaded (the low word for LDREXD)
export const EXCL_VAL_HI = 104; // i32: the high word for LDREXD
export const FPSCR = 108; // i32
export const FAULT_ADDR = 112; // i64
export const FAULT_KIND = 120; // i32
export const BUDGET = 124; // i32
export const EXCEPTION = 128; // i32: the cause of ExitReason.Exception (EXC_*)
export const EXC_INFO = 132; // i32: the undefined instruction's bits, or the BKPT immediate
// 136..255 are free for the VFP/NEON state beyond FPSCR (e.g. FPEXC, scratch).
export const DREG = (i: number): number => 256 + i * 8; // d0..d31, 64-bit patterns
export const STATE_SIZE = 512;

/** Exception causes in EXCEPTION. */
export const EXC_UDEF = 1; // undefined instruction -> SIGILL
export const EXC_BKPT = 2; // BKPT -> SIGTRAP

export const ARM_LAYOUT: StateLayout = {
  size: STATE_SIZE,
  pcOffset: PC,
  pcTy: 'i32',
  faultAddrOffset: FAULT_ADDR,
  faultKindOffset: FAULT_KIND,
  budgetOffset: BUDGET,
};

/** GE[3:0] from the GE slot's byte mask, and back. */
const geBits = (mask: number): number => ((mask >>> 7) & 1) | ((mask >>> 14) & 2) | ((mask >>> 21) & 4) | ((mask >>> 28) & 8);
const geMask = (bits: number): number =>
  (bits & 1 ? 0xff : 0) | (bits & 2 ? 0xff00 : 0) | (bits & 4 ? 0xff0000 : 0) | (bits & 8 ? 0xff000000 : 0);

/** The CPSR bits user code sees (APSR plus the execution state bits), ARM ARM B1.3.3. */
export function cpsrFromState(view: DataView, env: number): number {
  const g = (o: number): number => view.getInt32(env + o, true);
  const it = g(ITSTATE);
  return ((g(NF) & 0x80000000) | (g(ZF) === 0 ? 1 << 30 : 0) | ((g(CF) & 1) << 29) |
    ((g(VF) >>> 31) << 28) | ((g(QF) & 1) << 27) | ((it & 3) << 25) | (geBits(g(GE)) << 16) |
    ((it >>> 2) << 10) | ((view.getUint32(env + PC, true) & 1) << 5) | 0x10) >>> 0;
}

/** Writes the flags (NZCVQ, GE) and, with `execState`, the IT and Thumb bits of a CPSR value. */
export function cpsrToState(view: DataView, env: number, cpsr: number, execState: boolean): void {
  const s = (o: number, v: number): void => view.setInt32(env + o, v, true);
  s(NF, cpsr & 0x80000000);
  s(ZF, (cpsr >>> 30) & 1 ? 0 : 1);
  s(CF, (cpsr >>> 29) & 1);
  s(VF, ((cpsr >>> 28) & 1) << 31);
  s(QF, (cpsr >>> 27) & 1);
  s(GE, geMask((cpsr >>> 16) & 0xf));
  if (execState) {
    s(ITSTATE, (((cpsr >>> 10) & 0x3f) << 2) | ((cpsr >>> 25) & 3));
    const pc = view.getUint32(env + PC, true) & ~1;
    view.setUint32(env + PC, (pc | ((cpsr >>> 5) & 1)) >>> 0, true);
  }
}
