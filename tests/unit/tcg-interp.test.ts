import { describe, expect, it } from 'vitest';
import { GuestMemory, CPU_STATE_BASE, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import { IRBuilder } from '../../src/tcg/ir-builder.js';
import { InterpBackend } from '../../src/tcg/interp-backend.js';
import { Cond, ExitReason, Opc, StateLayout } from '../../src/tcg/ir.js';
import { formatBlock } from '../../src/tcg/ir-printer.js';

const LAYOUT: StateLayout = { size: 64, pcOffset: 0, pcTy: 'i64', faultAddrOffset: 8, faultKindOffset: 16, budgetOffset: 20 };
const R = (i: number): number => 24 + i * 8;
const mem = new GuestMemory();
const env = CPU_STATE_BASE;
const run = (b: IRBuilder): number => new InterpBackend({ mem, layout: LAYOUT, helpers: b.helpers }).compile([b.finish(0x1000, 4, 1)])[0](env);
const reg = (i: number): bigint => mem.view.getBigUint64(env + R(i), true);

describe('IR interpreter', () => {
  it('computes arithmetic with 64-bit wrap-around and the total division semantics', () => {
    const b = new IRBuilder([]);
    const r = (i: number): number => b.global('i64', R(i), `r${i}`);
    b.insnStart(0x1000);
    b.movi(r(0), -1n);
    b.addi(r(1), r(0), 2); // wraps to 1
    b.binop(Opc.DivS, r(2), b.c64(-(1n << 63n)), b.c64(-1)); // MIN / -1 = MIN
    b.binop(Opc.DivU, r(3), b.c64(7), b.c64(0)); // x / 0 = all ones
    b.binop(Opc.RemS, r(4), b.c64(-7), b.c64(2)); // -1
    b.binop(Opc.MulHU, r(5), b.c64(-1), b.c64(-1)); // 0xffff...fffe
    b.unop(Opc.Clz, r(6), b.c64(1)); // 63
    b.gotoTb(0x2000);
    expect(run(b)).toBe(ExitReason.Next);
    expect([reg(0), reg(1), reg(2), reg(3), reg(4), reg(5), reg(6)]).toEqual([
      (1n << 64n) - 1n, 1n, 1n << 63n, (1n << 64n) - 1n, (1n << 64n) - 1n, (1n << 64n) - 2n, 63n,
    ]);
    expect(mem.view.getBigUint64(env, true)).toBe(0x2000n);
  });

  it('branches to labels and selects with movcond', () => {
    const b = new IRBuilder([]);
    const r = (i: number): number => b.global('i64', R(i), `r${i}`);
    const skip = b.label();
    b.movi(r(0), 5);
    b.brcond(Cond.LT, b.c64(-1), b.c64(0), skip); // signed: taken
    b.movi(r(0), 6);
    b.setLabel(skip);
    b.movcond(Cond.LTU, r(1), b.c64(-1), b.c64(0), b.c64(10), b.c64(20)); // unsigned: not less
    b.exitTb(ExitReason.Syscall, 0x1234);
    expect(run(b)).toBe(ExitReason.Syscall);
    expect([reg(0), reg(1)]).toEqual([5n, 20n]);
    expect(formatBlock(b.finish(0, 0, 0))).toContain('brcond_i64 $0xffffffffffffffff,$0x0,lt,$L0');
  });

  it('faults on an unmapped page with the instruction pc, and loads/stores a mapped one', () => {
    mem.setProt(0x10000, 0x1000, PROT_READ | PROT_WRITE);
    const b = new IRBuilder([]);
    const r = (i: number): number => b.global('i64', R(i), `r${i}`);
    b.insnStart(0x1000);
    b.st(b.c64(-2), b.c64(0x10ff8), 0, 8);
    b.ld(r(0), b.c64(0x10ff8), 0, { size: 4, signed: true });
    b.ld(r(1), b.c64(0x10ff8), 0, { size: 2, signed: false });
    b.insnStart(0x1004);
    b.ld(r(2), b.c64(0x10ffc), 0, { size: 8, signed: false }); // crosses into an unmapped page
    b.gotoTb(0);
    expect(run(b)).toBe(ExitReason.MemFault);
    expect([reg(0), reg(1)]).toEqual([(1n << 64n) - 2n, 0xfffen]);
    expect(mem.view.getBigUint64(env + 8, true)).toBe(0x10ffcn);
    expect(mem.view.getBigUint64(env, true)).toBe(0x1004n);
  });

  it('rejects a block whose globals share a state word (each has its own frame copy)', () => {
    const b = new IRBuilder([]);
    b.mov(b.global('i64', R(0), 'whole'), b.global('i32', R(0) + 4, 'high'));
    b.gotoTb(0);
    expect(() => run(b)).toThrow(/whole and high overlap/);
  });
});
