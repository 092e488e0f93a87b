/* Advanced SIMD encodings of every shape the disassembler spells (A7.4, A7.7), for the fixture
 * of tests/unit/arm-disas-qemu.test.ts: tests/tools/record-arm-disas.mjs builds this in A32 and
 * (with -DTHUMB) in Thumb state and keeps qemu-arm's listing of main, one block, translated and
 * listed before it runs (it then faults: the loads use whatever r0 holds). */
#include "arm-disas-main.h"
  vshr.s8 d0, d1, #3
  vshr.u64 q0, q1, #60
  vsra.u16 d2, d3, #15
  vrshr.s32 q2, q3, #1
  vsri.32 d4, d5, #7
  vshl.i16 d6, d7, #9
  vsli.8 d0, d1, #0
  vqshlu.s32 d0, d1, #31
  vqshl.u8 q1, q2, #3
  vshrn.i16 d0, q1, #3
  vrshrn.i64 d0, q1, #20
  vqshrun.s32 d0, q1, #5
  vqshrn.u16 d3, q4, #2
  vqrshrn.s64 d3, q4, #30
  vshll.u8 q0, d1, #3
  vmovl.s16 q0, d1
  vshll.i8 q0, d1, #8
  vcvt.f32.s32 d0, d1, #16
  vcvt.u32.f32 q0, q1, #32
  vrev64.8 d0, d1
  vrev32.16 q0, q1
  vpaddl.s8 d0, d1
  vpadal.u16 q0, q1
  vcls.s32 d0, d1
  vclz.i8 d0, d1
  vcnt.8 d0, d1
  vmvn d0, d1
  vqabs.s8 d0, d1
  vqneg.s16 q0, q1
  vcgt.s8 d0, d1, #0
  vceq.i16 d0, d1, #0
  vcle.s32 q0, q1, #0
  vclt.f32 d0, d1, #0
  vcge.f32 d0, d1, #0
  vabs.s16 d0, d1
  vneg.f32 q0, q1
  vswp d0, d1
  vtrn.8 d0, d1
  vuzp.16 q0, q1
  vzip.32 d0, d1
  vmovn.i32 d0, q1
  vqmovun.s16 d0, q1
  vqmovn.u64 d0, q1
  vqmovn.s32 d0, q1
  vcvt.f32.u32 d0, d1
  vcvt.s32.f32 q0, q1
  vrecpe.u32 d0, d1
  vrsqrte.f32 q0, q1
  vtbl.8 d0, {d1, d2, d3}, d4
  vtbx.8 d0, {d1}, d4
  vdup.16 d0, d1[3]
  vdup.8 q0, d1[7]
  vdup.32 q0, r3
  vext.8 d0, d1, d2, #3
  vext.8 q0, q1, q2, #11
  vaddl.s8 q0, d1, d2
  vaddw.u16 q0, q1, d2
  vsubl.u32 q0, d1, d2
  vsubw.s8 q0, q1, d2
  vaddhn.i16 d0, q1, q2
  vraddhn.i32 d0, q1, q2
  vrsubhn.i64 d0, q1, q2
  vsubhn.i16 d0, q1, q2
  vqdmlal.s16 q0, d1, d2
  vqdmlsl.s32 q0, d1, d2
  vqdmull.s16 q0, d1, d2
  vmull.p8 q0, d1, d2
  vmull.u8 q0, d1, d2
  vabal.s16 q0, d1, d2
  vabdl.u8 q0, d1, d2
  vmlal.s32 q0, d1, d2
  vmlsl.u16 q0, d1, d2
  vmla.i16 d0, d1, d2[3]
  vmls.i32 q0, q1, d2[1]
  vmul.f32 d0, d1, d2[1]
  vmla.f32 q0, q1, d3[0]
  vqdmulh.s16 d0, d1, d2[2]
  vqrdmulh.s32 q0, q1, d2[1]
  vmlal.u16 q0, d1, d2[3]
  vqdmull.s32 q0, d1, d2[1]
  vmull.s16 q0, d1, d7[2]
  vmov.i32 d0, #0x1000000
  vmov.i32 d0, #0xff
  vmvn.i32 q0, #0xff00
  vorr.i32 d0, #0x10000
  vbic.i16 q0, #0xff00
  vmov.i16 d0, #0x12
  vmov.i32 d0, #0x12ffff
  vmov.i32 d0, #0x12ff
  vmov.i8 q0, #0xab
  vmov.i64 d0, #0xff00ff0000ff00ff
  vmov.f32 d0, #1.5
  vmov.f32 q0, #-0.125
  vorr d0, d1, d2
  vmov d0, d1
  vmov q0, q1
  vld1.16 {d0, d1}, [r0:128]!
  vst2.8 {d0, d2}, [r1], r2
  vld3.32 {d0, d1, d2}, [r0]
  vld4.16 {d0, d2, d4, d6}, [r0:64]!
  vld1.8 {d0[3]}, [r0]
  vld1.16 {d0[1]}, [r0:16]!
  vld1.32 {d0[1]}, [r0:32], r2
  vst2.16 {d0[1], d2[1]}, [r0]
  vld3.8 {d0[2], d1[2], d2[2]}, [r0]!
  vld4.32 {d0[1], d2[1], d4[1], d6[1]}, [r0]
  vld1.8 {d0[]}, [r0]
  vld1.16 {d0[], d1[]}, [r0:16]!
  vld2.32 {d0[], d2[]}, [r0]
  vld3.8 {d0[], d1[], d2[]}, [r0]
  vld4.16 {d0[], d1[], d2[], d3[]}, [r0:64]
  vld1.64 {d0, d1, d2}, [r0:64]
  vrecps.f32 d0, d1, d2
  vacgt.f32 q0, q1, q2
  vpadd.f32 d0, d1, d2
  vmul.p8 d0, d1, d2
  vqdmulh.s32 q0, q1, q2
  bx lr
.size main, .-main
