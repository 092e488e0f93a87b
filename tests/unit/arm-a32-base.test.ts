// A32: hand-checked results of data processing and flags, shifts with carry, conditions,
// multiplies, bit operations, loads and stores of each addressing mode, exclusives and SWP
// (with their alignment faults), branches and interworking, UNPREDICTABLE writes of pc, and
// the exits (SVC, BKPT, UDF, memory faults), under both backends.
// Encodings from GNU as (cached in tests/unit/data/arm-asm-cache.json).
import { afterAll, describe, expect, it } from 'vitest';
import { ExitReason, FaultKind } from '../../src/tcg/ir.js';
import { EXCEPTION, EXC_BKPT, EXC_INFO, EXC_UDEF, FAULT_ADDR, FAULT_KIND, PC, TPIDRURO } from '../../src/target/arm/cpu-state.js';
import { ArmRig, BACKENDS, CODE, DATA, asm, saveAsmCache } from './arm-rig.js';

afterAll(saveAsmCache);

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

describe.each(BACKENDS)('A32 under %s', (backend) => {
  const rig = new ArmRig(backend);
  const run = (src: string, setup: (r: ArmRig) => void = () => {}): ArmRig => {
    rig.load(asm(src));
    setup(rig);
    expect(rig.run()).toBe(ExitReason.Next);
    return rig;
  };

  it('adds and subtracts with the AddWithCarry flags', () => {
    // 0x7fffffff + 1: signed overflow, no carry.
    let r = run('adds r0, r1, r2', (g) => g.setR(1, 0x7fffffff).setR(2, 1));
    expect(hex(r.r(0))).toBe('0x80000000');
    expect(r.flags).toEqual({ n: 1, z: 0, c: 0, v: 1 });
    // 0xffffffff + 1: carry and zero.
    r = run('adds r0, r1, #1', (g) => g.setR(1, 0xffffffff));
    expect(r.r(0)).toBe(0);
    expect(r.flags).toEqual({ n: 0, z: 1, c: 1, v: 0 });
    // 3 - 5 borrows (C clear), 5 - 3 does not (C set).
    r = run('subs r0, r1, r2', (g) => g.setR(1, 3).setR(2, 5));
    expect(hex(r.r(0))).toBe('0xfffffffe');
    expect(r.flags).toEqual({ n: 1, z: 0, c: 0, v: 0 });
    r = run('cmp r1, r2', (g) => g.setR(1, 5).setR(2, 3));
    expect(r.flags).toEqual({ n: 0, z: 0, c: 1, v: 0 });
    // 0x80000000 - 1 overflows.
    r = run('rsbs r0, r2, r1', (g) => g.setR(1, 0x80000000).setR(2, 1));
    expect(hex(r.r(0))).toBe('0x7fffffff');
    expect(r.flags).toEqual({ n: 0, z: 0, c: 1, v: 1 });
    // A 64-bit add and subtract through the carry.
    r = run('adds r0, r0, r2\nadc r1, r1, r3', (g) => g.setR(0, 0xffffffff).setR(1, 1).setR(2, 1).setR(3, 2));
    expect([r.r(0), r.r(1)]).toEqual([0, 4]);
    r = run('subs r0, r0, r2\nsbc r1, r1, r3', (g) => g.setR(0, 0).setR(1, 5).setR(2, 1).setR(3, 2));
    expect([hex(r.r(0)), r.r(1)]).toEqual(['0xffffffff', 2]);
    r = run('rscs r0, r1, #0', (g) => g.setR(1, 1).setFlags({ c: 1 }));
    expect(hex(r.r(0))).toBe('0xffffffff');
    expect(r.flags.c).toBe(0);
    r = run('cmn r1, r2', (g) => g.setR(1, 1).setR(2, 0xffffffff));
    expect(r.flags).toEqual({ n: 0, z: 1, c: 1, v: 0 });
  });

  it('logical ops take C from the shifter and keep V', () => {
    let r = run('movs r0, r1, lsl #1', (g) => g.setR(1, 0x80000001).setFlags({ v: 1 }));
    expect(r.r(0)).toBe(2);
    expect(r.flags).toEqual({ n: 0, z: 0, c: 1, v: 1 });
    r = run('movs r0, r1, lsr #32', (g) => g.setR(1, 0x80000000));
    expect(r.r(0)).toBe(0);
    expect(r.flags).toEqual({ n: 0, z: 1, c: 1, v: 0 });
    r = run('movs r0, r1, asr #32', (g) => g.setR(1, 0x80000000));
    expect(hex(r.r(0))).toBe('0xffffffff');
    expect(r.flags.c).toBe(1);
    r = run('movs r0, r1, rrx', (g) => g.setR(1, 3).setFlags({ c: 1 }));
    expect(hex(r.r(0))).toBe('0x80000001');
    expect(r.flags.c).toBe(1);
    r = run('movs r0, r1, ror #4', (g) => g.setR(1, 0x18));
    expect(hex(r.r(0))).toBe('0x80000001');
    expect(r.flags).toEqual({ n: 1, z: 0, c: 1, v: 0 });
    // An immediate with a rotation sets C from its bit 31; without one C is kept.
    r = run('ands r0, r1, #0x80000000', (g) => g.setR(1, 0xffffffff));
    expect(r.flags).toEqual({ n: 1, z: 0, c: 1, v: 0 });
    r = run('ands r0, r1, #0xff', (g) => g.setR(1, 0x100).setFlags({ c: 1 }));
    expect(r.flags).toEqual({ n: 0, z: 1, c: 1, v: 0 });
    r = run('bic r0, r1, r2\nmvn r3, r2\norr r4, r1, r2, lsl #8\neor r5, r1, r2\ntst r1, #1\nteq r1, r1',
      (g) => g.setR(1, 0xf0f0).setR(2, 0x30));
    expect([hex(r.r(0)), hex(r.r(3)), hex(r.r(4)), hex(r.r(5))]).toEqual(['0xf0c0', '0xffffffcf', '0xf0f0', '0xf0c0']);
    expect(r.flags.z).toBe(1);
  });

  it('shifts by register use the bottom byte, with the carry of each range', () => {
    const cases: [string, number, number, number, number][] = [
      // op, value, amount, result, carry (C starts set)
      ['lsl', 0x80000001, 0, 0x80000001, 1],
      ['lsl', 0x80000001, 1, 2, 1],
      ['lsl', 0x00000001, 32, 0, 1],
      ['lsl', 0x00000001, 33, 0, 0],
      ['lsr', 0x80000001, 1, 0x40000000, 1],
      ['lsr', 0x80000000, 32, 0, 1],
      ['lsr', 0x80000000, 0x121, 0, 0], // 0x21 after the byte mask
      ['asr', 0x80000000, 40, 0xffffffff, 1],
      ['asr', 0x40000000, 31, 0, 1],
      ['ror', 0x00000001, 33, 0x80000000, 1],
      ['ror', 0x80000000, 32, 0x80000000, 1],
      ['ror', 0x00000002, 1, 1, 0],
    ];
    for (const [op, v, amt, res, c] of cases) {
      const r = run(`movs r0, r1, ${op} r2`, (g) => g.setR(1, v).setR(2, amt).setFlags({ c: 1 }));
      expect([op, amt, hex(r.r(0)), r.flags.c]).toEqual([op, amt, hex(res), c]);
    }
  });

  it('executes only instructions whose condition passes', () => {
    const src = 'cmp r0, r1\nmovgt r2, #1\nmovle r3, #1\nmovhi r4, #1\nmovls r5, #1\nmovlt r6, #1\nmovcs r7, #1\nmoveq r8, #1';
    let r = run(src, (g) => g.setR(0, 0xffffffff).setR(1, 1)); // -1 vs 1: signed less, unsigned higher
    expect([2, 3, 4, 5, 6, 7, 8].map((i) => r.r(i))).toEqual([0, 1, 1, 0, 1, 1, 0]);
    r = run(src, (g) => g.setR(0, 7).setR(1, 7));
    expect([2, 3, 4, 5, 6, 7, 8].map((i) => r.r(i))).toEqual([0, 1, 0, 1, 0, 1, 1]);
    // A conditional instruction writing the flags only does so when it runs.
    r = run('cmp r0, #0\naddsne r1, r1, #1', (g) => g.setR(0, 0).setR(1, 0xffffffff));
    expect(r.r(1)).toBe(0xffffffff);
    expect(r.flags.z).toBe(1);
  });

  it('a multiply into pc (UNPREDICTABLE) branches to the product within the instruction set, as qemu-arm does', () => {
    // mul pc, r1, r0: bits 1:0 of the product are cleared in ARM state; the flags of a
    // multiply without S stay.
    const r = run('.inst 0xe00f0091', (g) => g.setR(1, CODE + 4 + 3).setR(0, 1).setFlags({ z: 1 }));
    expect(hex(r.pc)).toBe(hex(CODE + 4));
    expect(r.flags.z).toBe(1);
    // The same in Thumb (T32 MUL with Rd = 15): bit 0 cleared, then the Thumb bit.
    rig.load(asm('.inst.w 0xfb01ff00', true), true);
    rig.setR(1, CODE + 4).setR(0, 1);
    expect(rig.run()).toBe(ExitReason.Next);
    expect(hex(rig.pc)).toBe(hex((CODE + 4) | 1));
  });

  it('an exclusive naming pc (UNPREDICTABLE) is undefined, as qemu-arm makes it', () => {
    for (const [src, thumb] of [['.inst 0xe193ff9f', false], ['.inst 0xe183ff90', false], ['.inst.w 0xe8430f00', true]] as const) {
      rig.load(asm(src, thumb), thumb); // ldrex pc, [r3]; strex pc, r0, [r3]; T32 strex pc, r0, [r3]
      rig.setR(3, DATA);
      expect(rig.run(), src).toBe(ExitReason.Exception);
      expect(rig.mem.view.getInt32(rig.env + EXCEPTION, true)).toBe(EXC_UDEF);
    }
  });

  it('multiplies', () => {
    let r = run('mul r0, r1, r2\nmla r3, r1, r2, r4\nmls r5, r1, r2, r4', (g) => g.setR(1, 7).setR(2, 0xfffffffd).setR(4, 100));
    expect([hex(r.r(0)), r.r(3), r.r(5)]).toEqual(['0xffffffeb', 79, 121]);
    r = run('umull r0, r1, r2, r3\nsmull r4, r5, r2, r3', (g) => g.setR(2, 0xffffffff).setR(3, 2));
    expect([r.r(0), r.r(1), r.r(4), r.r(5)].map(hex)).toEqual(['0xfffffffe', '0x1', '0xfffffffe', '0xffffffff']);
    r = run('umlal r0, r1, r2, r3\numaal r4, r5, r2, r3', (g) =>
      g.setR(0, 0xffffffff).setR(1, 1).setR(2, 0xffffffff).setR(3, 0xffffffff).setR(4, 0xffffffff).setR(5, 0xffffffff));
    // umlal: 0x1_ffffffff + 0xfffffffe_00000001 wraps to 0; umaal: all ones, the largest sum.
    expect([r.r(0), r.r(1), r.r(4), r.r(5)].map(hex)).toEqual(['0x0', '0x0', '0xffffffff', '0xffffffff']);
    r = run('smulls r0, r1, r2, r3', (g) => g.setR(2, 0).setR(3, 5));
    expect(r.flags).toEqual({ n: 0, z: 1, c: 0, v: 0 });
    r = run('smulbt r0, r1, r2\nsmlatb r3, r1, r2, r4\nsmulwt r5, r1, r2\nsmmulr r6, r1, r2\nsmmul r7, r1, r2',
      (g) => g.setR(1, 0x8000fffe).setR(2, 0x00030004).setR(4, 10));
    // smulbt: -2 * 3; smlatb: -32768 * 4 + 10; smulwt: (0x8000fffe * 3) >> 16;
    // smmul: high word of 0x8000fffe * 0x30004 (signed), +0x80000000 first for smmulr.
    const p = BigInt.asIntN(32, 0x8000fffen) * 0x30004n;
    expect([r.r(0), r.r(3), r.r(5), r.r(6), r.r(7)].map(hex)).toEqual([
      hex(-6), hex(-131062), hex(Number(BigInt.asUintN(32, (BigInt.asIntN(32, 0x8000fffen) * 3n) >> 16n))),
      hex(Number(BigInt.asUintN(32, (p + 0x80000000n) >> 32n))), hex(Number(BigInt.asUintN(32, p >> 32n))),
    ]);
    // SMLABB overflowing sets Q (and only Q).
    r = run('smlabb r0, r1, r2, r3', (g) => g.setR(1, 0x7fff).setR(2, 0x7fff).setR(3, 0x7fffffff));
    expect(hex(r.r(0))).toBe(hex(0x7fffffff + 0x3fff0001));
    expect((r.cpsr >>> 27) & 1).toBe(1);
    r = run('sdiv r0, r1, r2\nudiv r3, r1, r2\nsdiv r4, r1, r5\nudiv r6, r1, r5\nsdiv r7, r8, r9',
      (g) => g.setR(1, -7).setR(2, 2).setR(5, 0).setR(8, 0x80000000).setR(9, -1));
    expect([r.r(0), r.r(3), r.r(4), r.r(6), r.r(7)].map(hex)).toEqual([hex(-3), '0x7ffffffc', '0x0', '0x0', '0x80000000']);
  });

  it('saturates and sets Q', () => {
    let r = run('qadd r0, r1, r2\nqsub r3, r4, r2\nqdadd r5, r6, r1', (g) =>
      g.setR(1, 0x7fffffff).setR(2, 1).setR(4, 0x80000000).setR(6, 0));
    expect([r.r(0), r.r(3), r.r(5)].map(hex)).toEqual(['0x7fffffff', '0x80000000', '0x7fffffff']);
    expect((r.cpsr >>> 27) & 1).toBe(1);
    r = run('ssat r0, #8, r1\nusat r2, #8, r3\nssat r4, #16, r5, asr #4\nusat16 r6, #4, r7', (g) =>
      g.setR(1, 300).setR(3, -5).setR(5, 0x12345).setR(7, 0x00200003));
    expect([r.r(0), r.r(2), r.r(4), r.r(6)].map(hex)).toEqual(['0x7f', '0x0', '0x1234', '0xf0003']);
    r = run('qadd r0, r1, r2', (g) => g.setR(1, 1).setR(2, 2));
    expect([r.r(0), (r.cpsr >>> 27) & 1]).toEqual([3, 0]);
  });

  it('parallel add/subtract with GE, and SEL', () => {
    const r = run('uadd8 r0, r1, r2\nsel r3, r4, r5\nssub16 r6, r1, r2\nmrs r7, apsr\nuqadd8 r8, r1, r2\nshadd16 r9, r1, r2\nqasx r10, r1, r2',
      (g) => g.setR(1, 0x80ff0102).setR(2, 0x80020304).setR(4, 0x11223344).setR(5, 0x55667788));
    expect([r.r(0), r.r(3), r.r(6), r.r(8), r.r(9), r.r(10)].map(hex)).toEqual([
      '0x10406', // bytes: 0x80+0x80 and 0xff+0x02 carry out, the low two do not
      '0x11227788', // GE = 1100 after uadd8
      '0xfdfdfe', // 0x80ff - 0x8002 = 0x00fd (>= 0), 0x0102 - 0x0304 = -0x202 (< 0)
      // uqadd8 saturates the carrying bytes; shadd16 halves -0x7f01 + -0x7ffe rounding down
      '0xffff0406', '0x80800203',
      // qasx: lo = sat(0x0102 - -0x7ffe) = 0x7fff; hi = -0x7f01 + 0x0304 = -0x7bfd
      '0x84037fff',
    ]);
    expect(hex((r.r(7) >>> 16) & 0xf)).toBe('0xc'); // ssub16: GE[3:2] set, GE[1:0] clear
  });

  it('bit operations and extends', () => {
    const r = run([
      'clz r0, r1', 'rbit r2, r1', 'rev r3, r1', 'rev16 r4, r1', 'revsh r5, r1',
      'ubfx r6, r1, #4, #8', 'sbfx r7, r1, #28, #4', 'bfi r8, r1, #8, #4', 'bfc r9, #0, #16',
      'uxtb r10, r1, ror #8', 'sxtah r11, r12, r1', 'uxtab16 r12, r12, r1',
    ].join('\n'), (g) => g.setR(1, 0x8234c6f8).setR(8, 0xffffffff).setR(9, 0x12345678).setR(12, 0x10000001));
    expect([0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((i) => hex(r.r(i)))).toEqual([
      '0x0', '0x1f632c41', '0xf8c63482', '0x3482f8c6', '0xfffff8c6', '0x6f', '0xfffffff8', '0xfffff8ff',
      '0x12340000', '0xc6', hex(0x10000001 + (0xc6f8 - 0x10000)), '0x103400f9',
    ]);
    const p = run('pkhbt r0, r1, r2, lsl #16\npkhtb r3, r1, r2, asr #16\nmovw r4, #0x1234\nmovt r4, #0xabcd\nusada8 r5, r1, r2, r6',
      (g) => g.setR(1, 0x11112222).setR(2, 0x33334444).setR(6, 1));
    expect([p.r(0), p.r(3), p.r(4), p.r(5)].map(hex)).toEqual(['0x44442222', '0x11113333', '0xabcd1234', hex(1 + 0x22 * 2 + 0x22 * 2)]);
  });

  it('loads and stores with each addressing mode', () => {
    const r = run([
      'str r1, [r0, #4]', 'str r2, [r0, #8]!', 'strb r3, [r0], #1', 'strh r3, [r0, #2]',
      'ldr r4, [r0, #-5]', 'ldrsb r5, [r0, #-1]', 'ldrh r6, [r0, #2]', 'ldrsh r7, [r0, #2]',
      'mov r8, #5', 'ldr r9, [r0, -r8]', 'ldr r10, [r0, r8, lsr #2]!', 'ldrd r2, r3, [r0, #-8]',
    ].join('\n'), (g) => g.setR(0, DATA).setR(1, 0x11223344).setR(2, 0x55667788).setR(3, 0x8899));
    // Memory from DATA+4: 44 33 22 11 | 99 77 66 99 | 88 (str, str + strb, strh).
    // r0: DATA+8 (pre-indexed writeback), +1 (post-indexed), +1 (register offset writeback).
    expect(hex(r.r(0))).toBe(hex(DATA + 10));
    expect([r.r(4), r.r(5), r.r(6), r.r(7), r.r(9), r.r(10), r.r(2), r.r(3)].map(hex)).toEqual([
      '0x11223344', '0xffffff99', '0x8899', '0xffff8899', '0x11223344', '0x889966', '0x33440000', '0x77991122',
    ]);
    expect(hex(r.u32(DATA + 8))).toBe('0x99667799');
  });

  it('block transfers, push and pop, including pc', () => {
    const r = run([
      'stmia r0!, {r1-r3}', 'stmdb r0, {r4, r5}', 'ldmda r0, {r6, r7}', 'ldmib r8, {r9, r10}',
      'push {r1, r2}', 'pop {r11, r12}',
      'adr r1, 1f', 'push {r1}', 'pop {pc}', 'mov r2, #99', '1:',
    ].join('\n'), (g) => g.setR(0, DATA).setR(1, 1).setR(2, 2).setR(3, 3).setR(4, 4).setR(5, 5).setR(8, DATA).setR(13, DATA + 0x800));
    expect(hex(r.r(0))).toBe(hex(DATA + 12));
    // stmdb r0 (no writeback) stored r4, r5 at DATA+4, DATA+8 over r2, r3.
    expect([r.u32(DATA), r.u32(DATA + 4), r.u32(DATA + 8)]).toEqual([1, 4, 5]);
    // ldmda r0 reads DATA+8 and DATA+12; ldmib r8 reads DATA+4 and DATA+8.
    expect([r.r(6), r.r(7), r.r(9), r.r(10), r.r(11), r.r(12), r.r(2), r.r(13)]).toEqual([5, 0, 4, 5, 1, 2, 2, DATA + 0x800]);
  });

  it('exclusives: STREX succeeds once after LDREX, fails after CLREX or another address', () => {
    const r = run([
      'ldrex r1, [r0]', 'add r1, r1, #1', 'strex r2, r1, [r0]', 'strex r3, r1, [r0]',
      'ldrex r4, [r0]', 'clrex', 'strex r5, r1, [r0]',
      'ldrexd r6, r7, [r0]', 'strexd r8, r6, r7, [r9]',
      'ldrexb r10, [r0]', 'strexb r11, r10, [r0]',
    ].join('\n'), (g) => g.setR(0, DATA).setR(9, DATA + 8));
    expect([r.u32(DATA), r.r(2), r.r(3), r.r(5), r.r(8), r.r(11)]).toEqual([1, 0, 1, 1, 1, 0]);
  });

  it('exclusives: STREX reports exactly whether it stored, whatever the size of the LDREX', () => {
    // ldrex then strexb on its address: compared on the byte, so it stores unless the byte
    // changed in between (and rd says which).
    for (const [between, want] of [['nop', [0, '0x11223355']], ['strb r4, [r0]', [1, '0x11223366']]] as const) {
      const r = run(`ldrex r1, [r0]\n${between}\nstrexb r2, r3, [r0]`, (g) => {
        g.setR(0, DATA).setR(3, 0x55).setR(4, 0x66);
        g.mem.view.setUint32(DATA, 0x11223344, true);
      });
      expect([r.r(2), hex(r.u32(DATA))], between).toEqual(want);
    }
    // ldrexd / strexd of a pair, the monitor open: one doubleword cmpxchg.
    const r = run('ldrexd r2, r3, [r0]\nadds r2, r2, #1\nadc r3, r3, #0\nstrexd r4, r2, r3, [r0]', (g) => {
      g.setR(0, DATA);
      g.mem.view.setBigUint64(DATA, 0x1_ffff_ffffn, true);
    });
    expect([r.r(4), r.mem.view.getBigUint64(DATA, true)]).toEqual([0, 0x2_0000_0000n]);
  });

  it('SWP and SWPB exchange atomically', () => {
    const r = run('swp r1, r2, [r0]\nswpb r3, r4, [r5]', (g) => {
      g.setR(0, DATA).setR(2, 0xabcd).setR(5, DATA + 9).setR(4, 0x1ee);
      g.mem.view.setUint32(DATA, 0x1234, true);
      g.mem.view.setUint32(DATA + 8, 0x7700, true);
    });
    expect([r.r(1), r.u32(DATA), r.r(3), r.u32(DATA + 8)].map(hex)).toEqual(['0x1234', '0xabcd', '0x77', '0xee00']);
  });

  it('misaligned exclusives and SWP fault as misaligned, before any protection check', () => {
    for (const [src, addr] of [['ldrex r1, [r0]', DATA + 2], ['ldrexh r1, [r0]', DATA + 1], ['ldrexd r2, r3, [r0]', DATA + 4],
      ['strex r1, r2, [r0]', DATA + 1], ['strexh r1, r2, [r0]', DATA + 3], ['strexd r1, r2, r3, [r0]', DATA + 4],
      ['swp r1, r2, [r0]', DATA + 2], ['ldrex r1, [r0]', 0x102]] as const) {
      rig.load(asm(src));
      rig.setR(0, addr).setR(1, 77);
      expect(rig.run(), src).toBe(ExitReason.MemFault);
      const kind = rig.mem.view.getInt32(rig.env + FAULT_KIND, true);
      expect([kind, Number(rig.mem.view.getBigUint64(rig.env + FAULT_ADDR, true)), rig.r(1), rig.pc], src)
        .toEqual([FaultKind.Misaligned, addr, 77, CODE]);
    }
    // Aligned, a STREX on a page it may not write faults as a store even with the monitor closed.
    rig.load(asm('strex r1, r2, [r0]'));
    rig.setR(0, CODE).setR(1, 77);
    expect(rig.run()).toBe(ExitReason.MemFault);
    expect([rig.mem.view.getInt32(rig.env + FAULT_KIND, true), rig.r(1)]).toEqual([FaultKind.Write, 77]);
  });

  it('branches, calls and interworking to Thumb', () => {
    // bl to a function returning with bx lr; blx to a Thumb function (bx lr: 0x4770).
    const r = run([
      'bl 1f', 'mov r1, #1', 'adr r3, 3f + 1', 'blx r3', 'b 4f',
      '1: mov r0, #5', 'bx lr',
      '.thumb', '3: bx lr', '.arm', '.align 2', '4: mov r2, #2',
    ].join('\n'));
    expect([r.r(0), r.r(1), r.r(2)]).toEqual([5, 1, 2]);
    expect(r.pc & 1).toBe(0);
  });

  it('interworks on loads to pc and ALU writes to pc (ARMv7 A32)', () => {
    // pop {pc} and mov pc, rN with bit 0 set enter Thumb state; the Thumb code returns with bx.
    const r = run([
      'adr r0, 3f + 1', 'push {r0}', 'adr lr, 1f', 'pop {pc}',
      '1: adr r0, 4f + 1', 'adr lr, 2f', 'mov pc, r0',
      '2: b 5f',
      '.thumb', '3: adds r1, #1', 'bx lr', '4: adds r2, #2', 'bx lr', '.arm', '.align 2', '5: mov r3, #3',
    ].join('\n'), (g) => g.setR(13, DATA + 0x100));
    expect([r.r(1), r.r(2), r.r(3), r.r(13)]).toEqual([1, 2, 3, DATA + 0x100]);
  });

  it('reads TPIDRURO and treats barriers and hints as no-ops', () => {
    const r = run('mrc p15, 0, r0, c13, c0, 3\ndmb ish\ndsb\nisb\nnop\nyield\npld [r0]', (g) => {
      g.mem.view.setUint32(g.env + TPIDRURO, 0xcafe, true);
    });
    expect(r.r(0)).toBe(0xcafe);
  });

  it('keys blocks by address and instruction set', () => {
    // e3a00001 is "mov r0, #1" in ARM state; as Thumb its halfwords are "movs r1, r0" and a
    // 32-bit instruction with an UNDEFINED first half.
    rig.load(asm('mov r0, #1'));
    const arm = rig.fe.translate(CODE, 1), thumb = rig.fe.translate(CODE | 1, 1);
    expect([arm.pc, thumb.pc, arm.size, thumb.size]).toEqual([CODE, CODE | 1, 4, 2]);
    expect(rig.fe.disassemble(CODE, 4)).toEqual(['0x00010000:  e3a00001  mov      r0, #1']);
    rig.setR(0, 5).setR(1, 9);
    rig.mem.view.setUint32(rig.env + PC, CODE | 1, true);
    expect(rig.be.compile([thumb])[0](rig.env)).toBe(ExitReason.Next);
    expect([rig.r(0), rig.r(1), rig.pc]).toEqual([5, 5, (CODE + 2) | 1]);
  });

  it('dumps the registers and PSR in qemu\'s layout', () => {
    rig.load(asm('nop')).setR(0, 1).setR(13, 0x1234).setFlags({ n: 1, c: 1 });
    rig.mem.view.setUint32(rig.env + PC, CODE | 1, true); // Thumb: R15 shows the address, PSR T
    expect(rig.fe.dumpState!(rig.env)).toBe([
      'R00=00000001 R01=00000000 R02=00000000 R03=00000000',
      'R04=00000000 R05=00000000 R06=00000000 R07=00000000',
      'R08=00000000 R09=00000000 R10=00000000 R11=00000000',
      `R12=00000000 R13=00001234 R14=00000000 R15=${CODE.toString(16).padStart(8, '0')}`,
      'PSR=a0000030 N-C- T usr32', '',
    ].join('\n'));
  });

  it('exits for SVC, BKPT, UDF and memory faults with the instruction as pc', () => {
    rig.load(asm('mov r7, #1\nsvc #0'));
    expect(rig.run()).toBe(ExitReason.Syscall);
    expect(rig.pc).toBe(CODE + 4);
    rig.load(asm('nop\nbkpt #0x12'));
    expect(rig.run()).toBe(ExitReason.Exception);
    expect([rig.pc, rig.mem.view.getInt32(rig.env + EXCEPTION, true), rig.mem.view.getInt32(rig.env + EXC_INFO, true)])
      .toEqual([CODE + 4, EXC_BKPT, 0x12]);
    rig.load(asm('nop\nudf #3'));
    expect(rig.run()).toBe(ExitReason.Exception);
    expect([rig.pc, rig.mem.view.getInt32(rig.env + EXCEPTION, true)]).toEqual([CODE + 4, EXC_UDEF]);
    rig.load(asm('mov r0, #0x100\nmov r1, #1\nldr r2, [r0]'));
    expect(rig.run()).toBe(ExitReason.MemFault);
    expect([rig.pc, rig.r(1), Number(rig.mem.view.getBigUint64(rig.env + FAULT_ADDR, true))]).toEqual([CODE + 8, 1, 0x100]);
    // A conditional SVC that does not run.
    rig.load(asm('cmp r0, r0\nsvcne #0\nmov r1, #7'));
    expect(rig.run()).toBe(ExitReason.Next);
    expect(rig.r(1)).toBe(7);
  });
});
