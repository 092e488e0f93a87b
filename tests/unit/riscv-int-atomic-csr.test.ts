// RV64A (LR/SC reservation, AMOs, alignment and fault kinds) and Zicsr (fflags, frm, fcsr, the
// counters). AMO and CSR words come from GNU as (binutils 2.40, -march=rv64gc) with rd = a0,
// rs1 = a1, rs2 = a2.
import { describe, expect, it } from 'vitest';
import { ExitReason, FaultKind } from '../../src/tcg/ir.js';
import { formatBlock } from '../../src/tcg/ir-printer.js';
import { EXCEPTION, EXC_ILLEGAL_INSN, FAULT_ADDR, FAULT_KIND, FFLAGS, FRM, RES_ADDR } from '../../src/target/riscv/cpu-state.js';
import { BACKENDS, CODE, DATA, I, Rig, S } from './riscv-int-rig.js';

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const sw = (v: bigint): bigint => u64(BigInt.asIntN(32, v));
const lo = (v: bigint): bigint => v & 0xffffffffn;
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);

const LR_W = 0x1005a52f, LR_D = 0x1005b52f, SC_W = 0x18c5a52f, SC_D = 0x18c5b52f;

// [word, size, the value stored from the old memory value and rs2]
const AMOS: [string, number, 4 | 8, (m: bigint, v: bigint) => bigint][] = [
  ['amoswap.w', 0x08c5a52f, 4, (_m, v) => v],
  ['amoadd.w', 0x00c5a52f, 4, (m, v) => m + v],
  ['amoxor.w', 0x20c5a52f, 4, (m, v) => m ^ v],
  ['amoand.w', 0x60c5a52f, 4, (m, v) => m & v],
  ['amoor.w', 0x40c5a52f, 4, (m, v) => m | v],
  ['amomin.w', 0x80c5a52f, 4, (m, v) => (s32(m) < s32(v) ? m : v)],
  ['amomax.w', 0xa0c5a52f, 4, (m, v) => (s32(m) > s32(v) ? m : v)],
  ['amominu.w', 0xc0c5a52f, 4, (m, v) => (lo(m) < lo(v) ? m : v)],
  ['amomaxu.w', 0xe0c5a52f, 4, (m, v) => (lo(m) > lo(v) ? m : v)],
  ['amoswap.d.aqrl', 0x0ec5b52f, 8, (_m, v) => v],
  ['amoadd.d', 0x00c5b52f, 8, (m, v) => m + v],
  ['amoxor.d', 0x20c5b52f, 8, (m, v) => m ^ v],
  ['amoand.d', 0x60c5b52f, 8, (m, v) => m & v],
  ['amoor.d', 0x40c5b52f, 8, (m, v) => m | v],
  ['amomin.d', 0x80c5b52f, 8, (m, v) => (s64(m) < s64(v) ? m : v)],
  ['amomax.d', 0xa0c5b52f, 8, (m, v) => (s64(m) > s64(v) ? m : v)],
  ['amominu.d', 0xc0c5b52f, 8, (m, v) => (m < v ? m : v)],
  ['amomaxu.d', 0xe0c5b52f, 8, (m, v) => (m > v ? m : v)],
];
const VALUES = [0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x1_0000_0001n, 0x8000_0000_0000_0000n,
  u64(-1n), u64(-5n), 0x0123_4567_89ab_cdefn];
const ADDR = DATA + 0x100;

describe.each(BACKENDS)('riscv RV64A (%s)', (kind) => {
  const rig = new Rig(kind);
  const mem = (): bigint => rig.mem.view.getBigUint64(ADDR, true);
  const setMem = (v: bigint): void => rig.mem.view.setBigUint64(ADDR, u64(v), true);

  for (const [name, word, size, op] of AMOS) {
    it(name, () => {
      rig.load([word]);
      for (const m of VALUES) {
        for (const v of VALUES) {
          setMem(m);
          rig.reset().setX(11, ADDR).setX(12, v).run();
          const what = `${name} ${m.toString(16)} ${v.toString(16)}`;
          if (size === 8) {
            expect(rig.x(10), what).toBe(m);
            expect(mem(), what).toBe(u64(op(m, v)));
          } else {
            expect(rig.x(10), what).toBe(sw(m)); // the loaded word, sign-extended
            expect(mem(), what).toBe((m & 0xffffffff00000000n) | lo(op(m, v))); // upper word untouched
          }
        }
      }
    });
  }

  it('an AMO with rd = rs1 = rs2 uses the operands read before rd is written', () => {
    setMem(5n);
    const amoaddD = (rd: number, rs1: number, rs2: number) =>
      ((rs2 << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x2f) >>> 0;
    rig.load([amoaddD(11, 11, 11)]).setX(11, ADDR).run();
    expect(rig.x(11)).toBe(5n);
    expect(mem()).toBe(5n + BigInt(ADDR));
  });

  it('an AMO whose store faults leaves rd unchanged', () => {
    expect(rig.load([0x00c5b52f]).setX(11, CODE).setX(10, 77).run()).toBe(ExitReason.MemFault);
    expect(rig.x(10)).toBe(77n);
  });

  it('LR/SC succeed as a pair and SC clears the reservation', () => {
    setMem(0x1111n);
    rig.load([LR_D, I(0x13, 0)(13, 10, 0), SC_D, I(0x13, 0)(14, 10, 0), SC_D]);
    rig.setX(11, ADDR).setX(12, 0x2222).setX(10, 99).run();
    expect(rig.x(13)).toBe(0x1111n); // lr result
    expect(rig.x(14)).toBe(0n); // first sc succeeded
    expect(rig.x(10)).toBe(1n); // second sc failed: no reservation
    expect(mem()).toBe(0x2222n);
    expect(rig.get64(RES_ADDR)).toBe(u64(-1n));
  });

  it('SC fails without a matching reservation, and after the value changed', () => {
    setMem(7n);
    // sc with no lr
    rig.load([SC_D]).setX(11, ADDR).setX(12, 1).run();
    expect([rig.x(10), mem()]).toEqual([1n, 7n]);
    // lr on ADDR, sc on ADDR + 8
    rig.load([LR_D, I(0x13, 0)(11, 11, 8), SC_D]).setX(11, ADDR).setX(12, 1).run();
    expect([rig.x(10), mem()]).toEqual([1n, 7n]);
    // lr, then a plain store of another value to the address, then sc
    rig.load([LR_D, S(3)(13, 11, 0), SC_D]).setX(11, ADDR).setX(12, 1).setX(13, 8).run();
    expect([rig.x(10), mem()]).toEqual([1n, 8n]);
  });

  const fault = (): [number, bigint] => [rig.mem.view.getInt32(rig.env + FAULT_KIND, true), rig.get64(FAULT_ADDR)];

  it('a misaligned LR, SC or AMO faults as misaligned, before any protection check, writing nothing', () => {
    const AMOADD_W = 0x00c5a52f, AMOADD_D = 0x00c5b52f, AMOMAX_D = 0xa0c5b52f;
    for (const [word, addr] of [[LR_W, ADDR + 2], [LR_D, ADDR + 4], [SC_W, ADDR + 1], [SC_D, ADDR + 4],
      [AMOADD_W, ADDR + 2], [AMOADD_D, ADDR + 4], [AMOMAX_D, ADDR + 6], [AMOADD_D, CODE + 4]]) {
      setMem(0x1234n);
      rig.load([word]).setX(11, addr).setX(12, 5).setX(10, 77);
      expect(rig.run(), word.toString(16)).toBe(ExitReason.MemFault);
      expect([fault(), rig.x(10), mem(), rig.pc]).toEqual([[FaultKind.Misaligned, BigInt(addr)], 77n, 0x1234n, CODE]);
    }
  });

  it('AMOs and SC need write permission (a failed SC too); LR only read permission', () => {
    const AMOMIN_D = 0x80c5b52f;
    for (const word of [AMOMIN_D, SC_D]) {
      expect(rig.load([word]).setX(11, CODE).setX(10, 77).run()).toBe(ExitReason.MemFault);
      expect([fault(), rig.x(10)]).toEqual([[FaultKind.Write, BigInt(CODE)], 77n]);
    }
    rig.load([LR_D]).setX(11, CODE).run();
    expect(rig.x(10)).toBe(BigInt(rig.mem.view.getUint32(CODE, true)));
  });

  it('SC reports exactly whether it stored, whatever the sizes of the LR and SC', () => {
    // lr.d then sc.w, lr.w then sc.d: rd = 0 iff memory now holds what SC stored.
    for (const [lrWord, scWord, m] of [[LR_D, SC_W, 0x5555_5555_8000_0000n], [LR_W, SC_D, 0xffff_ffff_8000_0000n],
      [LR_W, SC_D, 0x0000_0001_8000_0000n], [LR_D, SC_W, 0x7n]]) {
      setMem(m);
      rig.load([lrWord, scWord]).setX(11, ADDR).setX(12, 0x42).run();
      const stored = mem() !== m;
      expect(rig.x(10), `${lrWord.toString(16)} ${scWord.toString(16)} ${m.toString(16)}`).toBe(stored ? 0n : 1n);
    }
  });

  it('AMOs and SC read as IR atomics in -d op', () => {
    rig.load([0x00c5a52f, SC_D, 0xa0c5b52f]);
    const text = formatBlock(rig.fe.translate(CODE, 3), rig.fe.helpers.map((h) => h.name));
    expect(text).toContain(' atomic_add32s_i64 ');
    expect(text).toMatch(/ atomic_cmpxchg64s_i64 \w+,x11,0,res_val,\w+\n/);
    expect(text).toContain(' atomic_or64s_i64 '); // amomax.d's first read
  });

  it('LR.W sign-extends and SC.W stores a word', () => {
    setMem(0x5555_5555_8000_0000n);
    rig.load([LR_W, I(0x13, 0)(13, 10, 0), SC_W]).setX(11, ADDR).setX(12, 0x1_0000_0042n).run();
    expect(rig.x(13)).toBe(0xffff_ffff_8000_0000n);
    expect(rig.x(10)).toBe(0n);
    expect(mem()).toBe(0x5555_5555_0000_0042n);
  });
});

describe.each(BACKENDS)('riscv Zicsr (%s)', (kind) => {
  const rig = new Rig(kind);
  const csr = (f3: number, rd: number, rs1: number, n: number): number => I(0x73, f3)(rd, rs1, n);
  const get32 = (off: number): number => rig.mem.view.getUint32(rig.env + off, true);
  const state = (fflags: number, frm: number): Rig => {
    rig.mem.view.setUint32(rig.env + FFLAGS, fflags, true);
    rig.mem.view.setUint32(rig.env + FRM, frm, true);
    return rig;
  };
  const loadState = (code: number[]): Rig => { rig.load(code); return rig; };

  it('fflags, frm and fcsr read and write their fields (fcsr = frm << 5 | fflags)', () => {
    loadState([0x00159573]); // csrrw a0, fflags, a1
    state(0x11, 0).setX(11, 0xff).run();
    expect([rig.x(10), get32(FFLAGS)]).toEqual([0x11n, 0x1f]);

    loadState([0x0025a573]); // csrrs a0, frm, a1
    state(0, 1).setX(11, 6).run();
    expect([rig.x(10), get32(FRM)]).toEqual([1n, 7]);

    loadState([0x0035b573]); // csrrc a0, fcsr, a1
    state(0x1f, 4).setX(11, 0x81).run();
    expect([rig.x(10), get32(FFLAGS), get32(FRM)]).toEqual([0x9fn, 0x1e, 0]);

    loadState([csr(1, 10, 11, 3)]); // csrrw a0, fcsr, a1: bits above 7 are dropped
    state(0, 0).setX(11, 0xfff).run();
    expect([rig.x(10), get32(FFLAGS), get32(FRM)]).toEqual([0n, 0x1f, 7]);

    loadState([0x001ad573, 0x0022e573, 0x0031f573]); // csrrwi fflags 21; csrrsi frm 5; csrrci fcsr 3
    state(0, 2).run();
    expect([get32(FFLAGS), get32(FRM)]).toEqual([21 & ~3, 7]);
  });

  it('csrrw with rd = rs1 writes the old value of rs1 and returns the old CSR', () => {
    loadState([csr(1, 11, 11, 1)]); // csrrw a1, fflags, a1
    state(3, 0).setX(11, 0x14).run();
    expect([rig.x(11), get32(FFLAGS)]).toEqual([3n, 0x14]);
  });

  it('csrrs/csrrc with x0 or uimm 0 do not write', () => {
    loadState([csr(2, 10, 0, 2), csr(7, 11, 0, 2)]); // csrrs a0, frm, x0; csrrci a1, frm, 0
    state(0, 6).run();
    expect([rig.x(10), rig.x(11), get32(FRM)]).toEqual([6n, 6n, 6]);
  });

  it('the counters are readable and monotonic', () => {
    const read = (w: number): bigint => {
      loadState([w]).run();
      return rig.x(10);
    };
    const reads = [0xc0002573, 0xc0102573, 0xc0202573].map((w) => {
      const a = read(w);
      const b = read(w);
      expect(b >= a).toBe(true);
      return b;
    });
    // time counts at 10 MHz, cycle and instret at 1 GHz, from one base.
    expect(reads[1] <= reads[0]).toBe(true);
  });

  it('unknown CSRs and writes to read-only ones are illegal', () => {
    // csrrw a0, cycle, a1; csrrs a0, time, a1; csrrwi a0, instret, 0; csrrs a0, mstatus, x0
    for (const w of [csr(1, 10, 11, 0xc00), csr(2, 10, 11, 0xc01), csr(5, 10, 0, 0xc02), csr(2, 10, 0, 0x300)]) {
      expect(loadState([w]).run(), w.toString(16)).toBe(ExitReason.Exception);
      expect(Number(rig.get64(EXCEPTION) & 0xffffffffn)).toBe(EXC_ILLEGAL_INSN);
    }
  });
});
