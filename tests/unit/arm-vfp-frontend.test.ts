// VFP through the frontend under both backends, A32 and T32: the loads and stores, the moves
// (core <-> single, two cores <-> double or two singles, scalars, immediates), VMRS/VMSR and the
// APSR_nzcv transfer that conditional code depends on, conditional execution (A32 condition, IT
// block), the upper 16 D registers, and the encodings that must be UNDEFINED. The arithmetic
// itself is checked bit for bit against qemu-arm in arm-vfp-oracle.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { ExitReason } from '../../src/tcg/ir.js';
import { DREG, EXCEPTION, EXC_UDEF, FPSCR } from '../../src/target/arm/cpu-state.js';
import { ArmRig, BACKENDS, DATA } from './arm-rig.js';
import { saveVfpAsmCache, vfpAsm } from './arm-vfp-asm.js';

afterAll(saveVfpAsmCache);

const f64Bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0];
const f32Bits = (x: number): number => new Uint32Array(new Float32Array([x]).buffer)[0];

describe.each(BACKENDS)('VFP under %s', (backend) => {
  for (const thumb of [false, true]) {
    const rig = new ArmRig(backend);
    const v = rig.mem.view;
    const d = (i: number): bigint => v.getBigUint64(rig.env + DREG(i), true);
    const setD = (i: number, x: bigint): void => v.setBigUint64(rig.env + DREG(i), x, true);
    const sreg = (i: number): number => v.getUint32(rig.env + DREG(0) + 4 * i, true);
    const fpscr = (): number => v.getUint32(rig.env + FPSCR, true);
    const run = (src: string, setup: (r: ArmRig) => void = () => {}): ArmRig => {
      rig.load(vfpAsm(src, thumb), thumb);
      setup(rig);
      expect(rig.run()).toBe(ExitReason.Next);
      return rig;
    };
    const mode = thumb ? 'T32' : 'A32';

    it(`${mode}: VLDR/VSTR of singles and doubles, with negative offsets and d16-d31`, () => {
      run(`vldr d17, [r0, #8]\nvldr s3, [r0, #-4]\nvstr d17, [r0, #16]\nvstr s3, [r0, #-8]`, (r) => {
        r.setR(0, DATA + 0x100);
        v.setBigUint64(DATA + 0x108, 0x0123456789abcdefn, true);
        v.setUint32(DATA + 0xfc, 0xdeadbeef, true);
      });
      expect(d(17)).toBe(0x0123456789abcdefn);
      expect(sreg(3)).toBe(0xdeadbeef);
      expect(v.getBigUint64(DATA + 0x110, true)).toBe(0x0123456789abcdefn);
      expect(v.getUint32(DATA + 0xf8, true)).toBe(0xdeadbeef);
    });

    it(`${mode}: VLDR from a literal pool reads relative to Align(PC, 4)`, () => {
      run('vldr d5, 1f\nvldr s1, 2f\nb 3f\n.align 3\n1: .word 0x11111111, 0x22222222\n2: .word 0x33333333\n3:');
      expect(d(5)).toBe(0x2222222211111111n);
      expect(sreg(1)).toBe(0x33333333);
    });

    it(`${mode}: VPUSH/VPOP and VLDM/VSTM with writeback`, () => {
      run(`vpush {d8-d10}\nvmov.f64 d8, #1.0\nvmov.f64 d9, #2.0\nvmov.f64 d10, #3.0\nvpop {d8-d10}\n` +
        `vstmia r1!, {s4-s6}\nvldmia r2, {d20-d21}\nvstmdb r3!, {d20}`, (r) => {
        r.setR(13, DATA + 0x800).setR(1, DATA).setR(2, DATA).setR(3, DATA + 0x400);
        for (const i of [8, 9, 10]) setD(i, BigInt(i) * 0x1111111111111111n);
        setD(2, 0xaaaaaaaa99999999n);
        setD(3, 0xcccccccc_bbbbbbbbn);
      });
      for (const i of [8, 9, 10]) expect(d(i)).toBe(BigInt(i) * 0x1111111111111111n);
      expect(rig.r(13)).toBe(DATA + 0x800);
      // The pushed block sits below the stack pointer, lowest register first.
      expect(v.getBigUint64(DATA + 0x800 - 24, true)).toBe(8n * 0x1111111111111111n);
      expect(rig.r(1)).toBe(DATA + 12);
      expect([rig.u32(DATA), rig.u32(DATA + 4), rig.u32(DATA + 8)]).toEqual([0x99999999, 0xaaaaaaaa, 0xbbbbbbbb]);
      expect(d(20)).toBe(0xaaaaaaaa99999999n);
      expect(d(21) & 0xffffffffn).toBe(0xbbbbbbbbn);
      expect(rig.r(3)).toBe(DATA + 0x3f8);
      expect(v.getBigUint64(DATA + 0x3f8, true)).toBe(0xaaaaaaaa99999999n);
    });

    it(`${mode}: VMOV between core registers, singles, doubles and scalars`, () => {
      run(`vmov s5, r0\nvmov r1, s5\nvmov d18, r2, r3\nvmov r4, r5, d18\nvmov s8, s9, r0, r2\n` +
        `vmov r6, r7, s8, s9\nvmov.32 d7[1], r0\nvmov.32 r8, d18[1]\nvmov.f32 s0, s5\nvmov.f64 d1, d18`, (r) => {
        r.setR(0, 0x11111111).setR(2, 0x22222222).setR(3, 0x33333333);
      });
      expect(sreg(5)).toBe(0x11111111);
      expect(rig.r(1)).toBe(0x11111111);
      expect(d(18)).toBe(0x3333333322222222n);
      expect([rig.r(4), rig.r(5)]).toEqual([0x22222222, 0x33333333]);
      expect([sreg(8), sreg(9)]).toEqual([0x11111111, 0x22222222]);
      expect([rig.r(6), rig.r(7)]).toEqual([0x11111111, 0x22222222]);
      expect(sreg(15)).toBe(0x11111111);
      expect(rig.r(8)).toBe(0x33333333);
      expect(sreg(0)).toBe(0x11111111);
      expect(d(1)).toBe(0x3333333322222222n);
    });

    it(`${mode}: VMOV immediates, VABS and VNEG are bit operations`, () => {
      run(`vmov.f32 s0, #-1.5\nvmov.f64 d1, #0.125\nvmov.f64 d2, #31.0\nvabs.f64 d3, d4\nvneg.f32 s10, s11`, () => {
        setD(4, 0xfff0000000000001n); // a signalling NaN keeps its payload and raises nothing
        v.setUint32(rig.env + DREG(0) + 44, 0x7f800001, true);
      });
      expect(sreg(0)).toBe(f32Bits(-1.5));
      expect(d(1)).toBe(f64Bits(0.125));
      expect(d(2)).toBe(f64Bits(31));
      expect(d(3)).toBe(0x7ff0000000000001n);
      expect(sreg(10)).toBe(0xff800001);
      expect(fpscr()).toBe(0);
    });

    it(`${mode}: VCMP then VMRS APSR_nzcv drives conditional code; VMSR/VMRS keep the writable bits`, () => {
      const src = thumb
        ? 'vcmp.f64 d0, d1\nvmrs APSR_nzcv, fpscr\nite gt\nmovgt r0, #1\nmovle r0, #2\nvmrs r1, fpscr'
        : 'vcmp.f64 d0, d1\nvmrs APSR_nzcv, fpscr\nmovgt r0, #1\nmovle r0, #2\nvmrs r1, fpscr';
      for (const [a, b, r0, nzcv] of [[2, 1, 1, 0x2], [1, 2, 2, 0x8], [1, 1, 2, 0x6], [NaN, 1, 2, 0x3]]) {
        run(src, () => { setD(0, f64Bits(a)); setD(1, f64Bits(b)); });
        expect(rig.r(0)).toBe(r0);
        expect(rig.r(1) >>> 28).toBe(nzcv);
        expect(rig.flags).toEqual({ n: nzcv >> 3, z: (nzcv >> 2) & 1, c: (nzcv >> 1) & 1, v: nzcv & 1 });
      }
      run('vmsr fpscr, r0\nvmrs r1, fpscr', (r) => r.setR(0, 0xffffffff));
      expect(rig.r(1)).toBe(0xffff009f);
    });

    it(`${mode}: arithmetic under the rounding mode and flags of FPSCR`, () => {
      // 1 + 2^-60 rounds to 1 under RN, up under RP; both set IXC. 1/0 sets DZC.
      const one = f64Bits(1), tiny = f64Bits(2 ** -60);
      run('vadd.f64 d2, d0, d1', () => { setD(0, one); setD(1, tiny); });
      expect(d(2)).toBe(one);
      expect(fpscr()).toBe(0x10);
      run('vmsr fpscr, r0\nvadd.f64 d2, d0, d1\nvdiv.f32 s8, s6, s7', (r) => {
        r.setR(0, 1 << 22);
        setD(0, one); setD(1, tiny);
        v.setUint32(rig.env + DREG(3), f32Bits(1), true);
      });
      expect(d(2)).toBe(one + 1n);
      expect(sreg(8)).toBe(0x7f800000);
      expect(fpscr()).toBe((1 << 22) | 0x12);
      run('vcvt.s32.f64 s0, d1\nvcvt.f64.u32 d2, s2', (r) => { setD(1, f64Bits(-7.9)); v.setUint32(rig.env + DREG(1), 0xffffffff, true); r.setR(0, 0); });
      expect(sreg(0) | 0).toBe(-7);
      expect(d(2)).toBe(f64Bits(4294967295));
    });

    it(`${mode}: register fields: odd S registers (Vx:X) and D16-D31 (X:Vx) in every operand slot`, () => {
      const setS = (i: number, x: number): void => v.setUint32(rig.env + DREG(0) + 4 * i, f32Bits(x), true);
      run('vadd.f32 s31, s13, s27\nvmul.f64 d31, d17, d30\nvmla.f64 d16, d17, d30\nvfma.f32 s9, s11, s13\n' +
        'vcvt.f64.f32 d25, s31\nvcvt.f32.f64 s29, d17\nvsqrt.f64 d19, d30\nvcvt.s32.f64 s17, d31\n' +
        'vmov.f32 s21, #2.5\nvcvt.s32.f32 s21, s21, #4\nvcmp.f32 s31, s13\nvmrs r0, fpscr', () => {
        setS(13, 1.25); setS(27, 2.5); setS(9, 1); setS(11, 3);
        setD(17, f64Bits(3)); setD(30, f64Bits(4)); setD(16, f64Bits(0.5));
      });
      expect(sreg(31)).toBe(f32Bits(3.75));
      expect(d(31)).toBe(f64Bits(12));
      expect(d(16)).toBe(f64Bits(12.5));
      expect(sreg(9)).toBe(f32Bits(1 + 3 * 1.25));
      expect(d(25)).toBe(f64Bits(3.75));
      expect(sreg(29)).toBe(f32Bits(3));
      expect(d(19)).toBe(f64Bits(2));
      expect(sreg(17)).toBe(12);
      expect(sreg(21)).toBe(40); // 2.5 * 2^4
      expect(rig.r(0) >>> 28).toBe(0x2); // 3.75 > 1.25
    });

    it(`${mode}: conditional VFP instructions (condition false) do nothing`, () => {
      const src = thumb ? 'cmp r0, #1\nit eq\nvaddeq.f64 d2, d0, d1\nvmov r1, s4' : 'cmp r0, #1\nvaddeq.f64 d2, d0, d1\nvmov r1, s4';
      run(src, (r) => { r.setR(0, 0); setD(0, f64Bits(1)); setD(1, f64Bits(2)); setD(2, 5n); });
      expect(d(2)).toBe(5n);
      run(src, (r) => { r.setR(0, 1); setD(0, f64Bits(1)); setD(1, f64Bits(2)); setD(2, 5n); });
      expect(d(2)).toBe(f64Bits(3));
      expect(rig.r(1)).toBe(0);
    });

    it(`${mode}: VMRS of FPEXC/FPSID/MVFR0 (not user-accessible) is UNDEFINED`, () => {
      for (const reg of ['fpexc', 'fpsid', 'mvfr0']) {
        rig.load(vfpAsm(`vmrs r0, ${reg}`, thumb), thumb);
        expect(rig.run()).toBe(ExitReason.Exception);
        expect(v.getInt32(rig.env + EXCEPTION, true)).toBe(EXC_UDEF);
      }
    });
  }
});
