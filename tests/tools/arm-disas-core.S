/* Core and VFP encodings of the shapes the disassembler spells (A32 and, with -DTHUMB, T32),
 * for the fixture of tests/unit/arm-disas-qemu.test.ts: tests/tools/record-arm-disas.mjs keeps
 * qemu-arm's listing of main. main runs (qemu lists a block when it translates it, and it only
 * translates what runs), so its loads and stores use a scratch area on the stack (r4, r5) and
 * the instructions that end a block come last. */
#include "arm-disas-main.h"
  sub sp, sp, #8192
  add r4, sp, #4096
  add r5, sp, #2048
  mov r7, #8
  adds r0, r1, #0
  adds r0, r1, r2
  add r0, r0, r1
  add r0, r1, r2, lsl #3
  add r8, r8, r9, asr #32
  sub r0, r1, #0x100
  subs r2, r3, r4, lsr #1
  rsb r0, r1, #5
  rsbs r0, r1, r2, ror #7
  and r0, r1, #0xff000000
  orr r0, r1, #0x000ff000
  eor r0, r1, r2, lsl #1
  bic r0, r1, #0x80000000
  mvn r0, #0x10
  mvns r0, r1, lsl #2
  mov r0, r1, rrx
  movs r2, r3, rrx
  tst r0, #0xff
  teq r0, r1
  cmn r0, #-1
  cmp r0, #0x3fc
  lsl r0, r1, #1
  lsr r0, r1, #32
  asr r0, r1, #32
  ror r0, r1, #31
  lsls r0, r1, r2
  rors r0, r1, r2
  adc r0, r1, r2
  sbcs r0, r1, #1
  mul r0, r1, r2
  muls r0, r1, r0
  mla r0, r1, r2, r3
  mls r0, r1, r2, r3
  umull r0, r1, r2, r3
  smlal r0, r1, r2, r3
  umaal r0, r1, r2, r3
  smulbb r0, r1, r2
  smultb r0, r1, r2
  smlabt r0, r1, r2, r3
  smlawb r0, r1, r2, r3
  smulwt r0, r1, r2
  smlalbt r0, r1, r2, r3
  smuad r0, r1, r2
  smuadx r0, r1, r2
  smlsd r0, r1, r2, r3
  smlald r0, r1, r2, r3
  smlsldx r0, r1, r2, r3
  smmul r0, r1, r2
  smmulr r0, r1, r2
  smmla r0, r1, r2, r3
  smmls r0, r1, r2, r3
  sdiv r0, r1, r2
  udiv r0, r1, r2
  qadd r0, r1, r2
  qdsub r0, r1, r2
  sadd16 r0, r1, r2
  uqsub8 r0, r1, r2
  shasx r0, r1, r2
  usax r0, r1, r2
  usad8 r0, r1, r2
  usada8 r0, r1, r2, r3
  sel r0, r1, r2
  ssat r0, #1, r1
  ssat r0, #32, r1, lsl #31
  usat r0, #0, r1, asr #1
  ssat16 r0, #16, r1
  usat16 r0, #0, r1
  sxtb r0, r1
  sxth r0, r1, ror #8
  uxtb16 r0, r1, ror #16
  sxtab r0, r1, r2
  uxtah r0, r1, r2, ror #24
  sxtab16 r0, r1, r2
  rev r0, r1
  rev16 r0, r1
  revsh r0, r1
  rbit r0, r1
  clz r0, r1
  pkhbt r0, r1, r2
  pkhtb r0, r1, r2, asr #32
  bfc r0, #3, #29
  bfi r0, r1, #0, #32
  sbfx r0, r1, #31, #1
  ubfx r0, r1, #0, #32
  movw r0, #0xffff
  movt r0, #0x1234
  mrs r0, apsr
  msr apsr_nzcvq, r0
  msr apsr_g, r1
  msr apsr_nzcvqg, r2
  ldr r0, [r4]
  ldr r0, [r4, #4095]
  ldr r0, [r4, #-255]
  ldr r0, [r4, #-4]!
  ldr r0, [r4], #-4
  ldr r0, [r4, r7]
  ldr r0, [r4, r7, lsl #3]
  ldrb r0, [r4, #1]!
  ldrsb r0, [r4, #-1]
  ldrh r0, [r4, #2]
  ldrsh r0, [r4], #2
  add r4, sp, #4096
  add r5, sp, #2048
  ldrd r0, r1, [r5, #8]
  ldrd r0, r1, [r5], #-8
  strd r0, r1, [r5, #-8]!
  strh r0, [r4, r7]
  strb r0, [r4, #-255]
  add r4, sp, #4096
  add r5, sp, #2048
  ldrt r0, [r4]
  strbt r0, [r4]
  add r4, sp, #4096
  add r5, sp, #2048
  ldrex r0, [r4]
  strex r0, r2, [r4]
  ldrexb r0, [r4]
  strexh r0, r2, [r4]
  ldrexd r0, r1, [r5]
  strexd r3, r0, r1, [r5]
  clrex
  dmb sy
  dsb ish
  isb sy
  dmb oshst
  pld [r4, #-4]
  pld [r4, r1]
  pldw [r4, #8]
  pli [r4, #12]
  add r4, sp, #4096
  add r5, sp, #2048
  ldm r4, {r1, r2}
  ldm r4!, {r1, r2}
  stmdb r5!, {r1, r2}
  ldmdb r5, {r1, r2}
  push {r4-r11, lr}
  pop {r6}
  push {r4}
  ldr r6, [sp], #4
  str r6, [sp, #-4]!
  mrc p15, 0, r0, c13, c0, 3
  add r4, sp, #4096
  add r5, sp, #2048
  vldmia r4!, {s0-s3}
  vstmdb r5!, {d0-d3}
  vldmia r4, {d4}
  vpush {s16-s17}
  vpop {d8}
  add r4, sp, #4096
  add r5, sp, #2048
  vldr s0, [r4, #-1020]
  vldr d0, [pc, #8]
  vmov s0, r0
  vmov r1, s3
  vmov r0, r1, d3
  vmov d3, r0, r1
  vmov r0, r1, s3, s4
  vmov.8 d0[7], r0
  vmov.16 d1[3], r0
  vmov.u8 r0, d2[5]
  vmov.s16 r0, d2[1]
  vmov.32 r0, d31[1]
  vmrs r0, fpscr
  vmsr fpscr, r0
  vmrs APSR_nzcv, fpscr
  vmov.f32 s0, #-31.0
  vmov.f64 d0, #0.125
  vcvtb.f32.f16 s0, s1
  vcvtt.f16.f32 s0, s1
  vcmp.f32 s0, #0
  vcmpe.f64 d0, #0
  vcvt.s32.f64 s0, d1
  vcvtr.u32.f32 s0, s1
  vcvt.f64.s32 d0, s1
  vcvt.f32.u32 s0, s1
  vfma.f32 s0, s1, s2
  vfnms.f64 d0, d1, d2
  vsqrt.f32 s0, s1
  vdiv.f64 d0, d1, d2
  vabs.f32 s0, s1
  vneg.f64 d0, d1
  nop
  svc #0x12
  vmrs r0, fpexc
  add sp, sp, #8192
  bx lr
.size main, .-main
