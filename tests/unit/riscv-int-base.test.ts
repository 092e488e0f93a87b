// RV64I and M through the frontend and the interpreter: register ops against a BigInt model of
// the spec, div/rem edge cases, W ops, shift amounts, loads/stores, branches, jumps, exits.
import { describe, expect, it } from 'vitest';
import { ExitReason } from '../../src/tcg/ir.js';
import { MAX_BLOCK_OPS } from '../../src/tcg/ir-builder.js';
import { EXCEPTION, EXC_BREAKPOINT, EXC_ILLEGAL_INSN, EXC_INFO } from '../../src/target/riscv/cpu-state.js';
import { B, BACKENDS, CODE, DATA, I, R, Rig, S, SH, U, ecall, jal } from './riscv-int-rig.js';

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const sw = (v: bigint): bigint => u64(BigInt.asIntN(32, v)); // sign-extend the low word
const lo = (v: bigint): bigint => BigInt.asUintN(32, v);
const MIN64 = 1n << 63n;

// The reference semantics (unprivileged ISA chapters 2, 4 and 13): a -> b -> 64-bit result.
const sdiv = (a: bigint, b: bigint, w: number): bigint => {
  const [x, y] = [BigInt.asIntN(w, a), BigInt.asIntN(w, b)];
  if (y === 0n) return -1n;
  if (x === -(1n << BigInt(w - 1)) && y === -1n) return x;
  return x / y;
};
const srem = (a: bigint, b: bigint, w: number): bigint => {
  const [x, y] = [BigInt.asIntN(w, a), BigInt.asIntN(w, b)];
  if (y === 0n) return x;
  if (x === -(1n << BigInt(w - 1)) && y === -1n) return 0n;
  return x % y;
};
const udiv = (a: bigint, b: bigint): bigint => (b === 0n ? -1n : a / b);
const urem = (a: bigint, b: bigint): bigint => (b === 0n ? a : a % b);

const OP = 0x33, OPW = 0x3b;
const REG_OPS: [string, number, (a: bigint, b: bigint) => bigint][] = [
  ['add', R(OP, 0, 0)(3, 1, 2), (a, b) => a + b],
  ['sub', R(OP, 0, 0x20)(3, 1, 2), (a, b) => a - b],
  ['sll', R(OP, 1, 0)(3, 1, 2), (a, b) => a << (b & 63n)],
  ['slt', R(OP, 2, 0)(3, 1, 2), (a, b) => (s64(a) < s64(b) ? 1n : 0n)],
  ['sltu', R(OP, 3, 0)(3, 1, 2), (a, b) => (a < b ? 1n : 0n)],
  ['xor', R(OP, 4, 0)(3, 1, 2), (a, b) => a ^ b],
  ['srl', R(OP, 5, 0)(3, 1, 2), (a, b) => a >> (b & 63n)],
  ['sra', R(OP, 5, 0x20)(3, 1, 2), (a, b) => s64(a) >> (b & 63n)],
  ['or', R(OP, 6, 0)(3, 1, 2), (a, b) => a | b],
  ['and', R(OP, 7, 0)(3, 1, 2), (a, b) => a & b],
  ['addw', R(OPW, 0, 0)(3, 1, 2), (a, b) => sw(a + b)],
  ['subw', R(OPW, 0, 0x20)(3, 1, 2), (a, b) => sw(a - b)],
  ['sllw', R(OPW, 1, 0)(3, 1, 2), (a, b) => sw(a << (b & 31n))],
  ['srlw', R(OPW, 5, 0)(3, 1, 2), (a, b) => sw(lo(a) >> (b & 31n))],
  ['sraw', R(OPW, 5, 0x20)(3, 1, 2), (a, b) => sw(BigInt.asIntN(32, a) >> (b & 31n))],
  ['mul', R(OP, 0, 1)(3, 1, 2), (a, b) => a * b],
  ['mulh', R(OP, 1, 1)(3, 1, 2), (a, b) => (s64(a) * s64(b)) >> 64n],
  ['mulhsu', R(OP, 2, 1)(3, 1, 2), (a, b) => (s64(a) * b) >> 64n],
  ['mulhu', R(OP, 3, 1)(3, 1, 2), (a, b) => (a * b) >> 64n],
  ['div', R(OP, 4, 1)(3, 1, 2), (a, b) => sdiv(a, b, 64)],
  ['divu', R(OP, 5, 1)(3, 1, 2), udiv],
  ['rem', R(OP, 6, 1)(3, 1, 2), (a, b) => srem(a, b, 64)],
  ['remu', R(OP, 7, 1)(3, 1, 2), urem],
  ['mulw', R(OPW, 0, 1)(3, 1, 2), (a, b) => sw(a * b)],
  ['divw', R(OPW, 4, 1)(3, 1, 2), (a, b) => sw(sdiv(a, b, 32))],
  ['divuw', R(OPW, 5, 1)(3, 1, 2), (a, b) => sw(udiv(lo(a), lo(b)))],
  ['remw', R(OPW, 6, 1)(3, 1, 2), (a, b) => sw(srem(a, b, 32))],
  ['remuw', R(OPW, 7, 1)(3, 1, 2), (a, b) => sw(urem(lo(a), lo(b)))],
];

const VALUES = [0n, 1n, 2n, 7n, u64(-1n), u64(-7n), MIN64, MIN64 - 1n, 0x80000000n, 0x7fffffffn,
  0xffffffff80000000n, 0x123456789abcdef0n, 0xfedcba9876543210n, 63n, 64n, 0x1fn, 0x21n];

describe.each(BACKENDS)('riscv RV64I/M register ops (%s)', (kind) => {
  const rig = new Rig(kind);
  for (const [name, word, ref] of REG_OPS) {
    it(name, () => {
      rig.load([word]);
      for (const a of VALUES) {
        for (const b of VALUES) {
          rig.reset().setX(1, a).setX(2, b).run();
          expect(rig.x(3), `${name} ${a.toString(16)} ${b.toString(16)}`).toBe(u64(ref(a, b)));
        }
      }
    });
  }

  it('division edge cases (13.2: no trap, defined results)', () => {
    const run = (word: number, a: bigint, b: bigint): bigint => {
      rig.load([word]).setX(1, a).setX(2, b).run();
      return rig.xs(3);
    };
    const [div, rem, divu, remu] = ['div', 'rem', 'divu', 'remu'].map((n) => REG_OPS.find((o) => o[0] === n)![1]);
    const [divw, remw, divuw] = ['divw', 'remw', 'divuw'].map((n) => REG_OPS.find((o) => o[0] === n)![1]);
    expect(run(div, 5n, 0n)).toBe(-1n);
    expect(run(divu, 5n, 0n)).toBe(-1n);
    expect(run(rem, u64(-5n), 0n)).toBe(-5n);
    expect(run(remu, 5n, 0n)).toBe(5n);
    expect(run(div, MIN64, u64(-1n))).toBe(-MIN64);
    expect(run(rem, MIN64, u64(-1n))).toBe(0n);
    expect(run(div, u64(-7n), 2n)).toBe(-3n); // rounds towards zero
    expect(run(rem, u64(-7n), 2n)).toBe(-1n); // sign of the dividend
    expect(run(divw, 0x80000000n, u64(-1n))).toBe(-0x80000000n);
    expect(run(remw, 0x80000000n, u64(-1n))).toBe(0n);
    expect(run(divw, 0x1_00000005n, 0n)).toBe(-1n);
    expect(run(divuw, 0x1_00000005n, 0x1_00000000n)).toBe(-1n); // low word of rs2 is 0
  });

  it('writes to x0 are dropped', () => {
    rig.load([R(OP, 0, 0)(0, 1, 2)]).setX(1, 5).setX(2, 6).run();
    expect(rig.x(0)).toBe(0n);
  });
});

describe.each(BACKENDS)('riscv RV64I immediates and shifts (%s)', (kind) => {
  const rig = new Rig(kind);
  const one = (word: number, x1: bigint): bigint => { rig.load([word]).setX(1, x1).run(); return rig.x(3); };

  it('I-type ALU ops sign-extend the 12-bit immediate', () => {
    expect(one(I(0x13, 0)(3, 1, -1), 5n)).toBe(4n); // addi
    expect(one(I(0x13, 2)(3, 1, -1), u64(-2n))).toBe(1n); // slti
    expect(one(I(0x13, 3)(3, 1, -1), 5n)).toBe(1n); // sltiu: imm is 2^64-1 unsigned
    expect(one(I(0x13, 4)(3, 1, -1), 0x0fn)).toBe(u64(~0x0fn)); // xori -1 = not
    expect(one(I(0x13, 6)(3, 1, 0x800), 0n)).toBe(u64(-2048n)); // ori
    expect(one(I(0x13, 7)(3, 1, 0x7ff), u64(-1n))).toBe(0x7ffn); // andi
    expect(one(I(0x1b, 0)(3, 1, 1), 0x7fffffffn)).toBe(u64(-0x80000000n)); // addiw overflows
    expect(one(I(0x1b, 0)(3, 1, 0), 0x1_80000000n)).toBe(u64(-0x80000000n)); // sext.w
  });

  it('6-bit shift amounts on RV64, 5-bit for the W forms', () => {
    const x = 0x8000_0000_0000_0001n;
    expect(one(SH(0x13, 1, 0)(3, 1, 63), 1n)).toBe(MIN64); // slli 63
    expect(one(SH(0x13, 5, 0)(3, 1, 63), x)).toBe(1n); // srli 63
    expect(one(SH(0x13, 5, 0x10)(3, 1, 62), x)).toBe(u64(-2n)); // srai 62
    expect(one(SH(0x1b, 1, 0)(3, 1, 31), 3n)).toBe(u64(-0x80000000n)); // slliw 31
    expect(one(SH(0x1b, 5, 0)(3, 1, 4), 0xffff_ffff_8000_0000n)).toBe(0x0800_0000n); // srliw
    expect(one(SH(0x1b, 5, 0x10)(3, 1, 4), 0x8000_0000n)).toBe(u64(-0x0800_0000n)); // sraiw
  });

  it('W shifts with shamt[5] set are illegal', () => {
    for (const word of [SH(0x1b, 1, 0)(3, 1, 32), SH(0x1b, 5, 0)(3, 1, 33), SH(0x1b, 5, 0x10)(3, 1, 40)]) {
      expect(rig.load([word]).run()).toBe(ExitReason.Exception);
      expect(Number(rig.get64(EXCEPTION) & 0xffffffffn)).toBe(EXC_ILLEGAL_INSN);
      expect(rig.get64(EXC_INFO)).toBe(BigInt(word));
    }
  });

  it('lui and auipc', () => {
    rig.load([U(0x37)(3, 0x80000), U(0x17)(4, 0xfffff), U(0x17)(5, 1)]).run();
    expect(rig.x(3)).toBe(0xffff_ffff_8000_0000n);
    expect(rig.x(4)).toBe(BigInt(CODE + 4 - 0x1000));
    expect(rig.x(5)).toBe(BigInt(CODE + 8 + 0x1000));
  });
});

describe.each(BACKENDS)('riscv RV64I memory (%s)', (kind) => {
  const rig = new Rig(kind);
  it('loads sign- or zero-extend, stores write their width', () => {
    const code = [
      S(3)(2, 1, 8), // sd x2, 8(x1)
      ...[0, 1, 2, 3, 4, 5, 6].map((f3, k) => I(0x03, f3)(10 + k, 1, 8)), // lb lh lw ld lbu lhu lwu
      S(0)(2, 1, 16), S(1)(2, 1, 24), S(2)(2, 1, 32), // sb sh sw
      I(0x03, 3)(20, 1, 16), I(0x03, 3)(21, 1, 24), I(0x03, 3)(22, 1, 32),
      I(0x03, 3)(23, 1, 2040), // the largest 8-aligned positive offset
      I(0x03, 1)(0, 1, 8), // a load to x0 still happens and writes nothing
    ];
    rig.mem.view.setBigUint64(DATA + 16, u64(-1n), true);
    rig.mem.view.setBigUint64(DATA + 24, u64(-1n), true);
    rig.mem.view.setBigUint64(DATA + 32, u64(-1n), true);
    rig.mem.view.setBigUint64(DATA + 2040, 0x55n, true);
    rig.load(code).setX(1, DATA).setX(2, 0x8182_8384_8586_8788n).run();
    expect([10, 11, 12, 13, 14, 15, 16].map((r) => rig.x(r))).toEqual([
      u64(-0x78n), u64(-0x7878n), u64(-0x7a797878n), 0x8182_8384_8586_8788n, 0x88n, 0x8788n, 0x8586_8788n,
    ]);
    expect(rig.x(20)).toBe(0xffff_ffff_ffff_ff88n);
    expect(rig.x(21)).toBe(0xffff_ffff_ffff_8788n);
    expect(rig.x(22)).toBe(0xffff_ffff_8586_8788n);
    expect(rig.x(23)).toBe(0x55n);
  });

  it('a store to an unwritable page is a memory fault at that instruction', () => {
    expect(rig.load([I(0x13, 0)(5, 0, 1), S(3)(2, 1, 0)]).setX(1, CODE).run()).toBe(ExitReason.MemFault);
    expect(rig.pc).toBe(CODE + 4);
    expect(rig.x(5)).toBe(1n);
  });
});

describe.each(BACKENDS)('riscv RV64I control flow (%s)', (kind) => {
  const rig = new Rig(kind);
  const BR: [string, number, (a: bigint, b: bigint) => boolean][] = [
    ['beq', 0, (a, b) => a === b], ['bne', 1, (a, b) => a !== b],
    ['blt', 4, (a, b) => s64(a) < s64(b)], ['bge', 5, (a, b) => s64(a) >= s64(b)],
    ['bltu', 6, (a, b) => a < b], ['bgeu', 7, (a, b) => a >= b],
  ];
  for (const [name, f3, taken] of BR) {
    it(name, () => {
      // branch over "addi x3, x0, 1": x3 = 1 iff not taken.
      for (const [a, b] of [[1n, 1n], [1n, 2n], [2n, 1n], [u64(-1n), 1n], [1n, u64(-1n)]]) {
        rig.load([B(f3)(1, 2, 8), I(0x13, 0)(3, 0, 1)]).setX(1, a).setX(2, b).run();
        expect(rig.x(3), `${a} ${b}`).toBe(taken(a, b) ? 0n : 1n);
      }
    });
  }

  it('backward branches loop', () => {
    // x1 = 10; loop: x2 += x1; x1 -= 1; bne x1, x0, loop
    rig.load([I(0x13, 0)(1, 0, 10), R(0x33, 0, 0)(2, 2, 1), I(0x13, 0)(1, 1, -1), B(1)(1, 0, -8)]).run();
    expect(rig.x(2)).toBe(55n);
  });

  it('jal links the next pc; jalr clears bit 0 and reads rs1 before writing rd', () => {
    rig.load([jal(1, 8), I(0x13, 0)(3, 0, 1), I(0x13, 0)(5, 0, 5)]).run();
    expect(rig.x(1)).toBe(BigInt(CODE + 4));
    expect(rig.x(3)).toBe(0n);
    expect(rig.x(5)).toBe(5n);
    // jalr x6, 9(x6) with x6 = CODE: target CODE + 9 & ~1 = CODE + 8, x6 = CODE + 4.
    rig.load([I(0x67, 0)(6, 6, 9), I(0x13, 0)(3, 0, 1), I(0x13, 0)(5, 0, 5)]).setX(6, CODE).run();
    expect(rig.x(6)).toBe(BigInt(CODE + 4));
    expect(rig.x(3)).toBe(0n);
    expect(rig.x(5)).toBe(5n);
  });

  it('ecall exits with Syscall at its own pc; ebreak raises a breakpoint', () => {
    expect(rig.load([I(0x13, 0)(17, 0, 93), ecall]).run()).toBe(ExitReason.Syscall);
    expect(rig.pc).toBe(CODE + 4);
    expect(rig.x(17)).toBe(93n);
    expect(rig.load([0x00100073]).run()).toBe(ExitReason.Exception);
    expect(Number(rig.get64(EXCEPTION) & 0xffffffffn)).toBe(EXC_BREAKPOINT);
  });

  it('fence is a no-op, fence.i ends the block with FlushCode at the next pc', () => {
    expect(rig.load([0x0ff0000f, 0x8330000f, 0x0000100f, I(0x13, 0)(3, 0, 1)]).run()).toBe(ExitReason.FlushCode);
    expect(rig.pc).toBe(CODE + 12);
    expect(rig.x(3)).toBe(0n);
  });

  it('unknown encodings are illegal', () => {
    for (const word of [0xffffffff, 0x0000007f, R(0x33, 0, 0x40)(1, 2, 3)]) {
      expect(rig.load([word]).run()).toBe(ExitReason.Exception);
      expect(Number(rig.get64(EXCEPTION) & 0xffffffffn)).toBe(EXC_ILLEGAL_INSN);
    }
  });

  it('disassembles in qemu style', () => {
    rig.load([R(0x33, 0, 0)(10, 10, 10), B(0)(10, 11, 6 * 2), I(0x03, 3)(11, 2, 8), I(0x67, 0)(1, 15, 0)]);
    expect(rig.fe.disassemble(CODE, 16)).toEqual([
      '0x0000000000010000:  00a50533          add                     a0,a0,a0',
      '0x0000000000010004:  00b50663          beq                     a0,a1,12                # 0x10010',
      '0x0000000000010008:  00813583          ld                      a1,8(sp)',
      '0x000000000001000c:  000780e7          jalr                    ra,a5,0',
    ]);
  });

  it("disassembles qemu's pseudo-instructions (lines as qemu-riscv64 7.2 prints them)", () => {
    const QEMU: [number, string][] = [
      [0x00042417, 'auipc                   s0,270336               # 0x52000'],
      [0x07747d63, 'bleu                    s7,s0,122               # 0x1007a'],
      [0x0c07c263, 'bltz                    a5,196                  # 0x100c4'],
      [0x00e05e63, 'blez                    a4,28                   # 0x1001c'],
      [0x0005079b, 'sext.w                  a5,a0'],
      [0x413007b3, 'neg                     a5,s3'],
      [0x00a03533, 'snez                    a0,a0'],
      [0x0016b693, 'seqz                    a3,a3'],
      [0xfff64613, 'not                     a2,a2'],
      [0x0f50000f, 'fence                   iorw,ow'],
      [0x1ce5a62f, 'sc.w.aq                 a2,a4,(a1)'],
      [0x00171073, 'fsflags                 zero,a4'],
      [0x00202673, 'frrm                    a2'],
      [0x1af777d3, 'fdiv.d                  dyn,fa5,fa4,fa5'],
      [0x00008067, 'ret                     '],
    ];
    for (const [word, text] of QEMU) {
      rig.load([word]);
      expect(rig.fe.disassemble(CODE, 4)).toEqual([`0x0000000000010000:  ${word.toString(16).padStart(8, '0')}          ${text}`]);
    }
  });

  it('a block ends once it has MAX_BLOCK_OPS ops, at an instruction boundary, before maxInsns', () => {
    const div = R(OP, 4, 1)(5, 6, 7);
    rig.load(Array(1000).fill(div));
    const block = rig.fe.translate(CODE, 512);
    const before = rig.fe.translate(CODE, block.insnCount - 1).ops.length;
    expect(block.insnCount).toBeLessThan(512);
    expect(block.size).toBe(4 * block.insnCount);
    // The instruction that reached the budget is the last one: one instruction fewer is under it.
    expect(block.ops.length).toBeGreaterThanOrEqual(MAX_BLOCK_OPS);
    expect(before).toBeLessThan(MAX_BLOCK_OPS);
    // ... and the rest of the code is still there to run: 1000 divisions, 7 / 2 each time.
    rig.setX(6, 7).setX(7, 2);
    expect(rig.run()).toBe(ExitReason.Next);
    expect(rig.x(5)).toBe(3n);
    expect(rig.pc).toBe(CODE + 4000);
  });
});
