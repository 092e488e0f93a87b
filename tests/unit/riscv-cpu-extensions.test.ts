// -cpu rv64,<ext>=off removes an extension's instructions: they decode as illegal.
import { describe, expect, it } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ } from '../../src/memory/guest-memory.js';
import { Opc } from '../../src/tcg/ir.js';
import { createRiscvFrontend } from '../../src/target/riscv/frontend.js';

const mem = new GuestMemory();
const CODE = 0x10000;
mem.setProt(CODE, 0x1000, PROT_READ | PROT_EXEC);

/** Translates one instruction and tells whether it became an illegal-instruction exit. */
function illegal(bits: number, size: 2 | 4, ext: Record<string, boolean>): boolean {
  if (size === 4) mem.view.setUint32(CODE, bits, true);
  else mem.view.setUint16(CODE, bits, true);
  const ir = createRiscvFrontend(mem, ext).translate(CODE, 1);
  return ir.ops.some((op) => op.opc === Opc.ExitTb);
}

const CLZ_A0_A1 = 0x60059513; // clz a0, a1 (Zbb)
const SH1ADD = 0x20b52533; // sh1add a0, a0, a1 (Zba)
const MUL = 0x02b50533; // mul a0, a0, a1 (M)
const FADD_D = 0x02b50553; // fadd.d fa0, fa0, fa1, rne (D; a static rounding mode needs no run-time check)
const C_ADDI = 0x0505; // c.addi a0, 1 (C)
const C_FLD = 0x2108; // c.fld fa0, 0(a0) (C and D)

describe('-cpu extension switches', () => {
  it.each([
    ['zbb', CLZ_A0_A1, 4], ['zba', SH1ADD, 4], ['m', MUL, 4], ['d', FADD_D, 4], ['f', FADD_D, 4],
    ['c', C_ADDI, 2], ['d', C_FLD, 2], ['c', C_FLD, 2],
  ] as const)('%s=off makes 0x%s illegal, on by default', (ext, bits, size) => {
    expect(illegal(bits, size, {})).toBe(false);
    expect(illegal(bits, size, { [ext]: false })).toBe(true);
  });
});
