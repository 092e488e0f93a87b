// RV64 CPU state layout inside the shared memory (one area per vCPU, see src/memory). Offsets are
// part of the contract between this frontend, its helpers, linux-user/riscv and the backends
// (through StateLayout).
import { StateLayout } from '../../tcg/ir.js';

export const XREG = (i: number): number => i * 8; // x0..x31, i64; x0 is never written
export const FREG = (i: number): number => 256 + i * 8; // f0..f31, 64-bit patterns (NaN-boxed f32)
export const PC = 512; // i64
export const FFLAGS = 520; // i32: accrued exception flags NV DZ OF UF NX (bits 4..0)
export const FRM = 524; // i32: dynamic rounding mode
export const FAULT_ADDR = 528; // i64
export const FAULT_KIND = 536; // i32
export const BUDGET = 540; // i32
export const EXCEPTION = 544; // i32: the exception cause of ExitReason.Exception (EXC_*)
export const RES_ADDR = 552; // i64: LR reservation address, -1 when none
export const RES_VAL = 560; // i64: the value LR loaded (SC succeeds if memory still holds it)
export const EXC_INFO = 568; // i64: extra information for an exception (the illegal insn bits)
export const STATE_SIZE = 576;

// Exception causes (RISC-V privileged spec, mcause values) used in EXCEPTION.
export const EXC_ILLEGAL_INSN = 2;
export const EXC_BREAKPOINT = 3;

export const RISCV_LAYOUT: StateLayout = {
  size: STATE_SIZE,
  pcOffset: PC,
  pcTy: 'i64',
  faultAddrOffset: FAULT_ADDR,
  faultKindOffset: FAULT_KIND,
  budgetOffset: BUDGET,
};
