// The wasm backend's block chaining (goto_tb through table slots, goto_ptr through the jump
// cache, the budget, flush), memory faults, and loops (backward branches).
import { beforeEach, describe, expect, it } from 'vitest';
import { Cond, ExitReason, IRBlock } from '../../src/tcg/ir.js';
import { IRBuilder } from '../../src/tcg/ir-builder.js';
import { WasmBackend } from '../../src/tcg/wasm-backend.js';
import { DATA, ENV, G64, Harness, LAYOUT, RODATA, UNMAPPED } from './wasm-harness.js';

const h = new Harness();
const view = h.mem.view;
const reg = (i: number): bigint => view.getBigUint64(ENV + G64(i), true);
const setReg = (i: number, v: bigint): void => view.setBigUint64(ENV + G64(i), v, true);
const pc = (): bigint => view.getBigUint64(ENV + LAYOUT.pcOffset, true);
const budget = (): number => view.getInt32(ENV + LAYOUT.budgetOffset, true);
const setBudget = (n: number): void => view.setInt32(ENV + LAYOUT.budgetOffset, n, true);

function tb(at: number, body: (b: IRBuilder, g: (i: number) => number) => void): IRBlock {
  const b = new IRBuilder([]);
  const g = (i: number): number => b.global('i64', G64(i), `x${i}`);
  b.insnStart(at);
  body(b, g);
  return b.finish(at, 4, 1);
}
/** x[i] += 1, then `end`. */
const counting = (at: number, i: number, end: (b: IRBuilder, g: (i: number) => number) => void): IRBlock =>
  tb(at, (b, g) => { b.addi(g(i), g(i), 1); end(b, g); });

const A = 0x1000, B = 0x2000, C = 0x3000, D = 0x4000;
const blockA = counting(A, 0, (b) => b.gotoTb(B));
const blockB = counting(B, 1, (b) => b.gotoTb(A));
const blockC = counting(C, 0, (b, g) => b.gotoPtr(g(2)));
const blockD = counting(D, 1, (b) => b.exitTb(ExitReason.Syscall, D));

let wasm: WasmBackend;
beforeEach(() => {
  // A fresh backend per test; the jump cache lives in guest memory, so clear it via flush too.
  wasm = new WasmBackend(h.ctx);
  wasm.flush();
  h.reset(1, () => { for (let i = 0; i < 4; i++) setReg(i, 0n); });
});

describe('chaining', () => {
  it('goto_tb to a block not compiled yet returns Next with the pc stored; a forward goto spends no budget', () => {
    const [a] = wasm.compile([blockA]);
    setBudget(100);
    expect(a(ENV)).toBe(ExitReason.Next);
    expect([reg(0), pc(), budget()]).toEqual([1n, BigInt(B), 100]);
  });

  it('blocks of two modules chain to each other until the budget runs out', () => {
    const [a] = wasm.compile([blockA]);
    wasm.compile([blockB]); // compiled later, in another module: A's slot for B now reaches it
    setBudget(10);
    expect(a(ENV)).toBe(ExitReason.Next);
    // Only B's goto (backward, to a lower pc) spends budget: the tenth finds it at zero.
    expect([reg(0), reg(1), pc(), budget()]).toEqual([10n, 10n, BigInt(A), 0]);
  });

  it('a long chain across modules runs in constant stack (tail calls)', () => {
    const [a] = wasm.compile([blockA]);
    wasm.compile([blockB]);
    setBudget(500_000);
    expect(a(ENV)).toBe(ExitReason.Next);
    expect([reg(0), reg(1)]).toEqual([500_000n, 500_000n]);
  });

  it('blocks of one batch that chain to each other run as one region, with the same budget', () => {
    const [a, b] = wasm.compile([blockA, blockB, blockC]);
    setBudget(1_000_000);
    expect(a(ENV)).toBe(ExitReason.Next);
    expect([reg(0), reg(1), pc(), budget()]).toEqual([1_000_000n, 1_000_000n, BigInt(A), 0]);
    setBudget(3);
    expect(b(ENV)).toBe(ExitReason.Next); // entered at B: B, A, B, A, B
    expect([reg(0), reg(1), pc(), budget()]).toEqual([1_000_002n, 1_000_003n, BigInt(A), 0]);
    expect(wasm.listing().match(/^;; region/gm)).toHaveLength(2); // {A, B} and {C}
  });

  it('blocks that chain beyond a region\'s op limit stay separate regions and still chain', () => {
    // A and B each add 1 to x0 and x1 1,200 times: two blocks of 2,400 ops, more than one
    // region takes together (V8's optimizing compiler is superlinear in a function's size).
    const big = (at: number, to: number): IRBlock => tb(at, (b, g) => {
      for (let k = 0; k < 1200; k++) { b.addi(g(0), g(0), 1); b.addi(g(1), g(1), 1); }
      b.gotoTb(to);
    });
    const [a] = wasm.compile([big(A, B), big(B, A)]);
    expect(wasm.listing().match(/^;; region/gm)).toHaveLength(2);
    setBudget(3);
    expect(a(ENV)).toBe(ExitReason.Next); // A, B three times: each of B's backward gotos spends one
    expect([reg(0), reg(1), pc(), budget()]).toEqual([6n * 1200n, 6n * 1200n, BigInt(A), 0]);
  });

  it('with everyEdge (tracing each block), every goto_tb spends budget and leaves a region', () => {
    const tracing = new WasmBackend(h.ctx, 'every-edge');
    const [a] = tracing.compile([blockA, blockB]);
    setBudget(1);
    expect(a(ENV)).toBe(ExitReason.Next);
    expect([reg(0), reg(1), pc(), budget()]).toEqual([1n, 0n, BigInt(B), 0]);
  });

  it('flush() stops chaining into old translations; recompiling restores it', () => {
    const [a] = wasm.compile([blockA]);
    wasm.compile([blockB]);
    wasm.flush();
    setBudget(10);
    // The code compile() returned enters through A's slot, which holds the stub again: it runs
    // nothing and leaves the pc for the caller to look up.
    view.setBigUint64(ENV + LAYOUT.pcOffset, BigInt(A), true);
    expect(a(ENV)).toBe(ExitReason.Next);
    expect([reg(0), reg(1), pc(), budget()]).toEqual([0n, 0n, BigInt(A), 10]);
    const [b] = wasm.compile([blockB]); // A's slot still holds the stub: B, then stop at A
    expect(b(ENV)).toBe(ExitReason.Next);
    expect([reg(0), reg(1), pc(), budget()]).toEqual([0n, 1n, BigInt(A), 9]);
    const [a2] = wasm.compile([blockA]);
    setBudget(10);
    expect(a2(ENV)).toBe(ExitReason.Next);
    expect([reg(0), reg(1), budget()]).toEqual([10n, 11n, 0]);
  });

  it('code returned for a block runs the newest code compiled for its pc', () => {
    const [a] = wasm.compile([blockA]);
    // Compiled again (as a relative of a later batch would be), here with other IR: the cpu
    // loop's copy of the first code must run the new one, not keep an old region alive.
    wasm.compile([tb(A, (b, g) => { b.addi(g(0), g(0), 5); b.gotoTb(B); })]);
    setBudget(10);
    expect(a(ENV)).toBe(ExitReason.Next);
    expect([reg(0), pc(), budget()]).toEqual([5n, BigInt(B), 10]);
  });

  it('goto_ptr chains through the jump cache on a hit', () => {
    const [c] = wasm.compile([blockC, blockD]);
    setReg(2, BigInt(D));
    setBudget(10);
    expect(c(ENV)).toBe(ExitReason.Syscall);
    expect([reg(0), reg(1), pc(), budget()]).toEqual([1n, 1n, BigInt(D), 9]);
  });

  it('goto_ptr returns Next on a miss, a colliding pc, a pc above 4 GiB, an empty budget, or after flush', () => {
    const [c] = wasm.compile([blockC, blockD]);
    const miss = (target: bigint, budgetBefore: number): void => {
      setReg(2, target);
      setBudget(budgetBefore);
      setReg(1, 0n);
      expect(c(ENV)).toBe(ExitReason.Next);
      expect([reg(1), pc()]).toEqual([0n, target]);
    };
    miss(BigInt(D + 8), 10);
    miss(BigInt(D + 0x20000), 10); // same cache entry as D
    miss(0x100000000n + BigInt(D), 10);
    miss(BigInt(D), 1);
    wasm.flush();
    miss(BigInt(D), 10);
  });
});

describe('memory faults', () => {
  // insn F: x0 = 7; insn F+4: x1 = load/store at x2 + 8; insn F+8: x0 = 9
  const F = 0x5000;
  const faulting = (store: boolean, size: 1 | 2 | 4 | 8): IRBlock => {
    const b = new IRBuilder([]);
    const x = [0, 1, 2, 3].map((i) => b.global('i64', G64(i), `x${i}`));
    b.insnStart(F);
    b.movi(x[0], 7);
    b.insnStart(F + 4);
    if (store) b.st(x[3], x[2], 8, size);
    else b.ld(x[1], x[2], 8, { size, signed: true });
    b.insnStart(F + 8);
    b.movi(x[0], 9);
    b.exitTb(ExitReason.Next, F + 12);
    return b.finish(F, 12, 3);
  };
  const cases: [string, boolean, 1 | 2 | 4 | 8, bigint, boolean][] = [
    ['load from an unmapped page', false, 8, BigInt(UNMAPPED), true],
    ['store to a read-only page', true, 4, BigInt(RODATA), true],
    ['load from a read-only page', false, 4, BigInt(RODATA), false],
    ['store straddling into a read-only page', true, 4, BigInt(DATA + 0x1ff6), true],
    ['load with address bits above 4 GiB', false, 1, 0x100000000n + BigInt(DATA), true],
    ['load running past 4 GiB', false, 2, 0xfffffff7n, true],
    ['store to mapped memory', true, 8, BigInt(DATA), false],
  ];
  for (const [name, store, size, addr, faults] of cases) {
    it(name, () => {
      const [code] = wasm.compile([faulting(store, size)]);
      setReg(1, 0x1111n);
      setReg(2, addr);
      setReg(3, 0x3333n);
      const reason = code(ENV);
      if (!faults) {
        expect([reason, reg(0), pc()]).toEqual([ExitReason.Next, 9n, BigInt(F + 12)]);
        return;
      }
      expect(reason).toBe(ExitReason.MemFault);
      expect(pc()).toBe(BigInt(F + 4));
      expect(view.getBigUint64(ENV + LAYOUT.faultAddrOffset, true)).toBe(BigInt.asUintN(64, addr + 8n));
      expect(view.getInt32(ENV + LAYOUT.faultKindOffset, true)).toBe(store ? 1 : 0);
      expect([reg(0), reg(1)]).toEqual([7n, 0x1111n]); // as before the faulting instruction
    });
  }
});

describe('backward branches', () => {
  it('a loop inside a block sums 1..n, as the interpreter does', () => {
    const loop = tb(0x6000, (b, g) => {
      const top = b.label(), out = b.label();
      b.movi(g(1), 0);
      b.brcond(Cond.EQ, g(0), b.c64(0), out);
      b.setLabel(top);
      b.add(g(1), g(1), g(0));
      b.addi(g(0), g(0), -1);
      b.brcond(Cond.NE, g(0), b.c64(0), top);
      b.setLabel(out);
      b.exitTb(ExitReason.Next, 0x6004);
    });
    const [code] = wasm.compile([loop]);
    for (const n of [0n, 1n, 10n, 1000n]) {
      setReg(0, n);
      expect(code(ENV)).toBe(ExitReason.Next);
      expect(reg(1)).toBe((n * (n + 1n)) / 2n);
    }
    h.compare([loop], [5, 6], (v, s) => v.setBigUint64(ENV + G64(0), BigInt(s * 3), true));
  });
});

describe('listing', () => {
  it('prints each function of the last batch', () => {
    const listed = new WasmBackend(h.ctx);
    listed.compile([blockA, blockC]);
    const text = listed.listing();
    expect(text).toContain(`;; TB pc=0x${A.toString(16)}`);
    expect(text).toContain(`;; TB pc=0x${C.toString(16)}`);
    expect(text).toContain('return_call_indirect (type 0)');
    expect(text).toContain('i64.store offset=0x100');
  });
});
