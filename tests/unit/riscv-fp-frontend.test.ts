// F/D instructions through the translation path: decode tables, translators and helpers, run by
// each backend (the IR interpreter and the wasm generator). Encodings come from riscv64-linux-gnu-as (objdump shown next to each).
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { CPU_STATE_BASE, GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/memory/guest-memory.js';
import { HelperRegistry } from '../../src/tcg/frontend.js';
import { InterpBackend } from '../../src/tcg/interp-backend.js';
import { WasmBackend } from '../../src/tcg/wasm-backend.js';
import { Backend } from '../../src/tcg/backend.js';
import { ExitReason, Opc } from '../../src/tcg/ir.js';
import { hostFusedMadd, withoutHostFma } from '../../src/tcg/host-fma.js';
import { EXCEPTION, EXC_ILLEGAL_INSN, EXC_INFO, FFLAGS, FREG, FRM, PC, RISCV_LAYOUT, XREG } from '../../src/target/riscv/cpu-state.js';
import { RVD_PATTERNS, RVD_RVC_PATTERNS, RVF_PATTERNS, registerFpHelpers } from '../../src/target/riscv/fp-extensions.js';
import { translateBlock } from '../../src/target/riscv/translate.js';

const mem = new GuestMemory();
const helpers = new HelperRegistry();
registerFpHelpers(helpers, mem);
const ctx = { mem, layout: RISCV_LAYOUT, helpers: helpers.list };
const backends: Backend[] = [new InterpBackend(ctx), new WasmBackend(ctx)];
let backend: Backend = backends[0];
const tables = { insn32: [RVF_PATTERNS, RVD_PATTERNS], insn16: RVD_RVC_PATTERNS };
const CODE = 0x10000;
const DATA = 0x20000;
const env = CPU_STATE_BASE;
const v = mem.view;
mem.setProt(CODE, 4096, PROT_READ | PROT_EXEC);
mem.setProt(DATA, 4096, PROT_READ | PROT_WRITE);
mem.setProt(env, 4096, PROT_READ | PROT_WRITE);

/** Places the instructions (16-bit ones are those whose low two bits are not 11) at CODE and
 *  returns a runner for the block they form. */
function block(insns: number[]): () => number {
  let a = CODE;
  for (const i of insns) {
    if ((i & 3) === 3) { v.setUint32(a, i >>> 0, true); a += 4; } else { v.setUint16(a, i, true); a += 2; }
  }
  const [code] = backend.compile([translateBlock(tables, helpers, mem, CODE, insns.length)]);
  return () => code(env);
}
const f = (i: number): bigint => v.getBigUint64(env + FREG(i), true);
const setF = (i: number, x: bigint): void => v.setBigUint64(env + FREG(i), x, true);
const x = (i: number): bigint => v.getBigUint64(env + XREG(i), true);
const setX = (i: number, val: bigint): void => v.setBigUint64(env + XREG(i), val, true);
const fflags = (): number => v.getInt32(env + FFLAGS, true);
/** The instruction with its rd field (bits 11:7) replaced. */
const withRd = (insn: number, rd: number): number => ((insn & ~0xf80) | (rd << 7)) >>> 0;
const dbl = (d: number): bigint => { const t = new DataView(new ArrayBuffer(8)); t.setFloat64(0, d); return t.getBigUint64(0); };

beforeEach(() => {
  mem.u8.fill(0, env, env + 1024);
});

for (const be of backends) {
  describe(be.name, () => {
    beforeEach(() => { backend = be; });

    describe('rounding mode', () => {
      it('dynamic rm follows FRM', () => {
        const run = block([0x0220f253]); // fadd.d ft4,ft1,ft2 (dyn)
        setF(1, dbl(1));
        setF(2, dbl(2 ** -60));
        v.setInt32(env + FRM, 3, true); // RUP
        expect(run()).toBe(ExitReason.Next);
        expect(f(4)).toBe(0x3ff0000000000001n);
        expect(fflags()).toBe(1);
        v.setInt32(env + FRM, 0, true);
        run();
        expect(f(4)).toBe(0x3ff0000000000000n);
      });
      it('static rm overrides FRM', () => {
        const run = block([0x0220b253]); // fadd.d ft4,ft1,ft2,rup
        setF(1, dbl(1));
        setF(2, dbl(2 ** -60));
        run();
        expect(f(4)).toBe(0x3ff0000000000001n);
      });
      it('FRM holding 5..7 makes a dynamic-rm instruction illegal', () => {
        const run = block([0x0220f253]);
        v.setInt32(env + FRM, 5, true);
        expect(run()).toBe(ExitReason.Exception);
        expect(v.getInt32(env + EXCEPTION, true)).toBe(EXC_ILLEGAL_INSN);
        expect(v.getBigUint64(env + EXC_INFO, true)).toBe(0x0220f253n);
        expect(v.getBigUint64(env + PC, true)).toBe(BigInt(CODE));
        expect(f(4)).toBe(0n);
      });
      it('a reserved static rm (5) is illegal', () => {
        const run = block([0x0220d253]); // fadd.d with funct3 = 5
        expect(run()).toBe(ExitReason.Exception);
        expect(v.getInt32(env + EXCEPTION, true)).toBe(EXC_ILLEGAL_INSN);
      });
    });

    // The oracle's sign-injection and fmv.x.w cases (done in IR, not by helpers) run here.
    describe('IR-translated instructions match qemu-riscv64', () => {
      const encodings: Record<string, number> = {
        'fsgnj.s': 0x20208253, 'fsgnjn.s': 0x20209253, 'fsgnjx.s': 0x2020a253, 'fmv.x.w': 0xe0008253,
      };
      const lines = gunzipSync(readFileSync(new URL('./data/fp-oracle.txt.gz', import.meta.url))).toString().split('\n');
      for (const [op, insn] of Object.entries(encodings)) {
        it(op, () => {
          const run = block([insn]);
          const cases = lines.filter((l) => l.startsWith(op + ' '));
          expect(cases.length).toBeGreaterThan(100);
          const bad: string[] = [];
          for (const l of cases) {
            const [, , a, b, , res] = l.split(' ');
            setF(1, BigInt('0x' + a));
            setF(2, BigInt('0x' + b));
            run();
            const got = op === 'fmv.x.w' ? x(4) : f(4);
            if (got !== BigInt('0x' + res)) bad.push(`${l} => ${got.toString(16)}`);
          }
          expect(bad.slice(0, 5)).toEqual([]);
        });
      }
      // The arithmetic has inline paths in IR when NX is already set and rounding is RNE: run
      // every RNE vector in that state (static and dynamic rm) and in the helper's (FFLAGS clear).
      // funct7 of OP-FP, or rs3 = f3 and fmt = D (bits 31:25) for the fused ops, and the major opcode.
      const inlineEnc: Record<string, [number, number]> = {
        'fmul.d': [0x09, 0x53], 'fadd.d': [0x01, 0x53], 'fsub.d': [0x05, 0x53], 'fdiv.d': [0x0d, 0x53],
        'fsqrt.d': [0x2d, 0x53], 'fmul.s': [0x08, 0x53], 'fadd.s': [0x00, 0x53], 'fsub.s': [0x04, 0x53],
        'fdiv.s': [0x0c, 0x53], 'fsqrt.s': [0x2c, 0x53],
        'fmadd.d': [0x0d, 0x43], 'fmsub.d': [0x0d, 0x47], 'fnmsub.d': [0x0d, 0x4b], 'fnmadd.d': [0x0d, 0x4f],
      };
      // The fused ops' inline path is the host's fused multiply-add where it has one, else an
      // integer expansion (src/fpu/inline-fp.ts): both are checked here.
      const bothFma = (op: string, name: string, check: () => void): void => {
        it(name, check);
        if (/^fn?m(add|sub)\.d$/.test(op)) it(`${name} (integer fma expansion)`, () => withoutHostFma(check));
      };
      it('fmadd.d takes the host\'s fused multiply-add where it has one, else the expansion', () => {
        const fused = (): boolean => translateBlock(tables, helpers, mem, CODE, 1).ops.some((op) => op.opc === Opc.FMulAdd);
        v.setUint32(CODE, (((0x0d << 25) | (2 << 20) | (1 << 15) | (7 << 12) | (4 << 7) | 0x43) >>> 0), true);
        expect(fused()).toBe(hostFusedMadd() !== null);
        expect(withoutHostFma(fused)).toBe(false);
        // On x86-64 with FMA3 (this project's CI machines) V8's relaxed_madd is fused.
        if (process.platform === 'linux' && process.arch === 'x64' && /\bfma\b/.test(readFileSync('/proc/cpuinfo', 'utf8'))) expect(hostFusedMadd()).not.toBeNull();
      });
      for (const [op, [funct7, opcode]] of Object.entries(inlineEnc)) {
        bothFma(op, `${op}: inline RNE path and helper agree with qemu-riscv64`, () => {
          const rs2 = op.startsWith('fsqrt') ? 0 : 2;
          const insn = (rm: number): number => ((funct7 << 25) | (rs2 << 20) | (1 << 15) | (rm << 12) | (4 << 7) | opcode) >>> 0;
          const runs = [block([insn(0)]), block([insn(7)])];
          const cases = lines.filter((l) => l.startsWith(op + ' 0 '));
          expect(cases.length).toBeGreaterThan(100);
          const bad: string[] = [];
          for (const l of cases) {
            const [, , a, b, c, res, fl] = l.split(' ');
            for (const [i, run] of runs.entries()) {
              for (const nx of [0, 1]) {
                setF(1, BigInt('0x' + a));
                setF(2, BigInt('0x' + b));
                setF(3, BigInt('0x' + c));
                v.setInt32(env + FFLAGS, nx, true);
                run();
                const want = `${res.padStart(16, '0')} ${(parseInt(fl, 16) | nx).toString(16)}`;
                const got = `${f(4).toString(16).padStart(16, '0')} ${fflags().toString(16)}`;
                if (got !== want) bad.push(`${l} (rm ${i ? 'dyn' : 'rne'}, NX ${nx}) => ${got}`);
              }
            }
          }
          expect(bad.slice(0, 5)).toEqual([]);
        });
      }
      // Random operands made to hit the inline paths' edges: significands with few bits set (so
      // results land exactly on or next to a rounding tie) and exponents near either end of the
      // normal range; for sums, exponents close together (cancellation) or up to 70 apart. The
      // helper (FFLAGS clear) is the reference.
      let seed = 12345;
      const rnd = (n: number): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; }; // xorshift32
      const operand = (exp: number): bigint => {
        let frac = 0n;
        for (let k = rnd(4); k >= 0; k--) frac |= 1n << BigInt(rnd(52));
        if (rnd(4) === 0) frac = (1n << 52n) - 1n - frac;
        return (BigInt(rnd(2)) << 63n) | (BigInt(exp) << 52n) | frac;
      };
      const edge = (): number => (rnd(2) ? 1 : 0x7fd) + rnd(7) - 3;
      const exponents: Record<string, () => [number, number]> = {
        // a product's exponent is ea + eb - 1023 (+1): spread around both ends.
        'fmul.d': () => { const sum = 1023 + edge(); const ea = 1 + rnd(0x7fe); return [ea, sum - ea]; },
        'fadd.d': () => { const ea = rnd(3) ? 1 + rnd(0x7fe) : edge(); return [ea, ea - 70 + rnd(141)]; },
      };
      exponents['fsub.d'] = exponents['fadd.d'];
      const inlineOps: Record<string, number> = { 'fmul.d': 0x1220f253, 'fadd.d': 0x0220f253, 'fsub.d': 0x0a20f253 }; // ft4,ft1,ft2 (dyn)
      // ft4,ft1,ft2,ft3 (dyn); the addend's exponent lies within 70 of the product's, or at a range end.
      for (const [op, opcode] of [['fmadd.d', 0x43], ['fmsub.d', 0x47], ['fnmsub.d', 0x4b], ['fnmadd.d', 0x4f]] as const) {
        inlineOps[op] = ((3 << 27) | (1 << 25) | (2 << 20) | (1 << 15) | (7 << 12) | (4 << 7) | opcode) >>> 0;
        exponents[op] = () => { const ea = 1 + rnd(0x7fe); return [ea, 1023 + (rnd(4) ? rnd(200) - 100 : edge()) - ea]; };
      }
      it('fadd.d inline: bits shifted out of the smaller operand still break a tie', () => {
        const run = block([0x0220f253]); // fadd.d ft4,ft1,ft2 (dyn)
        v.setInt32(env + FFLAGS, 1, true);
        setF(1, dbl(1));
        setF(2, dbl(2 ** -53 * (1 + 2 ** -27)));
        run();
        expect(f(4)).toBe(0x3ff0000000000001n);
      });
      // fcvt.d.w / fcvt.d.wu are IR (exact, no flags): every oracle vector, each in its own rm,
      // with x1's upper half set as the vectors have it (the instruction reads the low 32 bits).
      for (const [op, rs2] of [['fcvt.d.w', 0], ['fcvt.d.wu', 1]] as const) {
        it(`${op} matches qemu-riscv64`, () => {
          const runs = [0, 1, 2, 3, 4].map((rm) => block([((0x69 << 25) | (rs2 << 20) | (1 << 15) | (rm << 12) | (4 << 7) | 0x53) >>> 0]));
          const cases = lines.filter((l) => l.startsWith(op + ' '));
          expect(cases.length).toBeGreaterThan(100);
          const bad: string[] = [];
          for (const l of cases) {
            const [, rm, a, , , res, fl] = l.split(' ');
            setX(1, BigInt('0x' + a));
            setF(4, 0n);
            v.setInt32(env + FFLAGS, 0, true);
            runs[Number(rm) === 7 ? 0 : Number(rm)]();
            if (f(4) !== BigInt('0x' + res) || fflags() !== parseInt(fl, 16)) bad.push(`${l} => ${f(4).toString(16)} ${fflags()}`);
          }
          expect(bad.slice(0, 5)).toEqual([]);
        });
      }
      // feq / flt / fle are inline unless an operand is a NaN: every oracle vector.
      for (const [op, funct3] of [['fle.d', 0], ['flt.d', 1], ['feq.d', 2], ['fle.s', 0], ['flt.s', 1], ['feq.s', 2]] as const) {
        it(`${op} matches qemu-riscv64`, () => {
          const funct7 = op.endsWith('d') ? 0x51 : 0x50;
          const run = block([((funct7 << 25) | (2 << 20) | (1 << 15) | (funct3 << 12) | (4 << 7) | 0x53) >>> 0]);
          const cases = lines.filter((l) => l.startsWith(op + ' '));
          expect(cases.length).toBeGreaterThan(100);
          const bad: string[] = [];
          for (const l of cases) {
            const [, , a, b, , res, fl] = l.split(' ');
            setF(1, BigInt('0x' + a));
            setF(2, BigInt('0x' + b));
            setX(4, 7n);
            v.setInt32(env + FFLAGS, 0, true);
            run();
            if (x(4) !== BigInt('0x' + res) || fflags() !== parseInt(fl, 16)) bad.push(`${l} => ${x(4)} ${fflags()}`);
          }
          expect(bad.slice(0, 5)).toEqual([]);
        });
      }
      bothFma('fmadd.d', 'fmadd.d inline: an addend far below a tied product still breaks the tie', () => {
        const run = block([inlineOps['fmadd.d']]);
        v.setInt32(env + FFLAGS, 1, true);
        setF(1, dbl(1 + 2 ** -26));
        setF(2, dbl(1 + 2 ** -27)); // product 1 + 2^-26 + 2^-27 + 2^-53: halfway
        setF(3, dbl(2 ** -130)); // shifted out of the 128-bit window entirely
        run();
        expect(f(4)).toBe(dbl(1 + 2 ** -26 + 2 ** -27 + 2 ** -52));
      });
      it('inline paths leave rounding overflow (OF) to the helper', () => {
        const max = 0x7fefffffffffffffn;
        const cases: [string, bigint, bigint][] = [
          ['fadd.d', max, dbl(2 ** 970)], // half an ulp of the largest double: a tie, rounds up
          ['fsub.d', max, dbl(-(2 ** 970))],
          ['fmul.d', max, dbl(1 + 2 ** -52)],
        ];
        for (const [op, a, b] of cases) {
          const run = block([inlineOps[op]]);
          setF(1, a);
          setF(2, b);
          v.setInt32(env + FFLAGS, 1, true);
          run();
          expect([op, f(4), fflags()]).toEqual([op, 0x7ff0000000000000n, 5]); // inf, OF | NX
        }
      });
      for (const [op, insn] of Object.entries(inlineOps)) {
        bothFma(op, `${op}: inline RNE path against the helper near ties and range ends`, () => {
          const run = block([insn]);
          const bad: string[] = [];
          let tried = 0;
          while (tried < 20000) {
            const [ea, eb] = exponents[op]();
            if (ea < 1 || ea > 0x7fe || eb < 1 || eb > 0x7fe) continue;
            tried++;
            const a = operand(ea);
            const b = rnd(8) === 0 && op.length === 6 && op !== 'fmul.d' ? a ^ (BigInt(rnd(2)) << 63n) ^ BigInt(rnd(4)) : operand(eb);
            // The addend: near the product (cancellation), or anywhere up to 70 binades off it.
            const ep = Number((a >> 52n) & 0x7ffn) + eb - 1023;
            const cx = rnd(4) === 0 ? dbl(-Number(BigInt.asIntN(64, 0n)) + new Float64Array(new BigUint64Array([a, b]).buffer).reduce((p, q) => p * q)) ^ BigInt(rnd(2)) << 63n ^ BigInt(rnd(4))
              : operand(Math.min(0x7fe, Math.max(1, ep - 70 + rnd(141))));
            const out: string[] = [];
            for (const nx of [0, 1]) {
              setF(1, a);
              setF(2, b);
              setF(3, cx);
              v.setInt32(env + FFLAGS, nx, true);
              run();
              out.push(`${f(4).toString(16)} ${(fflags() | 1).toString(16)}`);
            }
            if (out[0] !== out[1]) bad.push(`${op} ${a.toString(16)} ${b.toString(16)} ${cx.toString(16)}: helper ${out[0]}, inline ${out[1]}`);
          }
          expect(bad.slice(0, 5)).toEqual([]);
        });
      }
      it('fsgnj.d / fsgnjn.d / fsgnjx.d', () => {
        const run = block([0x22208253, withRd(0x22209253, 5), withRd(0x2220a253, 6)]);
        setF(1, 0x7ff0000000000001n); // a sNaN: sign injection never looks at the value
        setF(2, 0x8000000000000000n);
        run();
        expect([f(4), f(5), f(6)]).toEqual([0xfff0000000000001n, 0x7ff0000000000001n, 0xfff0000000000001n]);
        expect(fflags()).toBe(0);
      });
    });

    describe('moves, loads and stores', () => {
      it('fmv.w.x NaN-boxes, fmv.x.d and fmv.d.x copy bits', () => {
        const run = block([0xf0008253, withRd(0xe2008253, 5), withRd(0xf2008253, 6)]); // fmv.w.x ft4,ra; fmv.x.d t0,ft1; fmv.d.x ft6,ra
        setX(1, 0x123456789abcdef0n);
        setF(1, 0xfedcba9876543210n);
        run();
        expect(f(4)).toBe(0xffffffff9abcdef0n);
        expect(x(5)).toBe(0xfedcba9876543210n);
        expect(f(6)).toBe(0x123456789abcdef0n);
      });
      it('flw boxes, fsw/fld/fsd move raw bytes', () => {
        const run = block([0x0080a207, 0x0040a627, 0xff80b287, 0x0050b827]); // flw ft4,8(ra); fsw ft4,12(ra); fld ft5,-8(ra); fsd ft5,16(ra)
        setX(1, BigInt(DATA + 64));
        v.setUint32(DATA + 72, 0x3f800000, true);
        v.setBigUint64(DATA + 56, 0x0123456789abcdefn, true);
        expect(run()).toBe(ExitReason.Next);
        expect(f(4)).toBe(0xffffffff3f800000n);
        expect(v.getUint32(DATA + 76, true)).toBe(0x3f800000);
        expect(f(5)).toBe(0x0123456789abcdefn);
        expect(v.getBigUint64(DATA + 80, true)).toBe(0x0123456789abcdefn);
      });
      it('c.fld, c.fsd, c.fldsp, c.fsdsp', () => {
        const run = block([0x2504, 0xad04, 0x3222, 0xb812]); // c.fld fs1,8(a0); c.fsd fs1,24(a0); c.fldsp ft4,40(sp); c.fsdsp ft4,48(sp)
        setX(10, BigInt(DATA));
        setX(2, BigInt(DATA + 256));
        v.setBigUint64(DATA + 8, 0x1122334455667788n, true);
        v.setBigUint64(DATA + 256 + 40, 0x99aabbccddeeff00n, true);
        run();
        expect(f(9)).toBe(0x1122334455667788n);
        expect(v.getBigUint64(DATA + 24, true)).toBe(0x1122334455667788n);
        expect(f(4)).toBe(0x99aabbccddeeff00n);
        expect(v.getBigUint64(DATA + 256 + 48, true)).toBe(0x99aabbccddeeff00n);
      });
      it('a store to a read-only page faults at its pc', () => {
        const run = block([0x0050b827]); // fsd ft5,16(ra)
        setX(1, BigInt(CODE));
        expect(run()).toBe(ExitReason.MemFault);
        expect(v.getBigUint64(env + PC, true)).toBe(BigInt(CODE));
      });
    });

    describe('integer results', () => {
      it('fcvt.w.d sign-extends into x[rd]; with rd = x0 it only sets the flags', () => {
        const run = block([0xc2009253, 0xc2009053]); // fcvt.w.d tp,ft1,rtz; fcvt.w.d zero,ft1,rtz
        setF(1, dbl(-3.7));
        run();
        expect(x(4)).toBe(0xfffffffffffffffdn);
        expect(fflags()).toBe(1);
        setF(1, 0x7ff8000000000000n);
        run();
        expect(x(4)).toBe(0x7fffffffn);
        expect(x(0)).toBe(0n);
        expect(fflags()).toBe(0x11);
      });
      it('feq.s, fclass.d, fmadd.s', () => {
        const run = block([0xa020a253, withRd(0xe2009253, 5), 0x1820f243]); // feq.s tp,ft1,ft2; fclass.d t0,ft1; fmadd.s ft4,ft1,ft2,ft3
        setF(1, 0xffffffff3f800000n); // 1.0f
        setF(2, 0xffffffff3f800000n);
        setF(3, 0xffffffff3f000000n); // 0.5f
        run();
        expect(x(4)).toBe(1n);
        expect(x(5)).toBe(1n << 9n); // a boxed binary32 seen as binary64 is a quiet NaN
        expect(f(4)).toBe(0xffffffff3fc00000n);
        expect(fflags()).toBe(0);
      });
    });
  });
}
