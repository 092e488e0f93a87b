/* Thumb-only encodings (16-bit forms, IT blocks, Thumb-2 forms A32 lacks), for the fixture of
 * tests/unit/arm-disas-qemu.test.ts, recorded as arm-disas-core.S is. */
#define THUMB
#include "arm-disas-main.h"
  sub sp, sp, #4096
  add r4, sp, #2048
  add r5, sp, #1024
  adr r0, 2f
  adr.w r0, 2f
  add r0, pc, #8
  sub r0, pc, #8
  addw r0, r1, #0xfff
  subw r0, sp, #1
  add sp, sp, #508
  sub sp, #4
  add r0, sp, #1020
  ldr r0, 2f
  ldr.w r0, 2f
  ldrb r0, 2f
  ldrsh r0, [pc, #-4]
  ldrd r0, r1, 2f
  ldr r0, [sp, #1020]
  str r0, [r4, #124]
  ldrh r0, [r4, #62]
  strb r0, [r4, #31]
  ldr r0, [r4, r2]
  ldrsb r0, [r4, r2]
  movs r0, #255
  mov r8, r9
  mov sp, r0
  cmp r8, r0
  negs r0, r1
  mvns r0, r1
  muls r0, r1, r0
  ands r0, r1
  orrs r0, r1
  bics r0, r1
  adcs r0, r1
  asrs r0, r1, #32
  lsrs r0, r1, #1
  lsls r0, r1
  it eq
  addeq r0, r1
  ite ne
  movne r0, #1
  lsleq r0, r1, #2
  itt cs
  ldrcs r0, [r4]
  addcs.w r0, r1, r2
  ldm r4, {r0, r1}
  ldm r4!, {r1, r2}
  stm r5!, {r1, r2}
  push {r0, lr}
  pop {r0, r1}
  sxtb r0, r1
  uxth.w r0, r1
  rev r0, r1
  rev.w r0, r1
  nop.w
  sev.w
  ldr r0, [r4, #-1]
  ldrt r0, [r4, #4]
  str r0, [r4, #255]!
  str r0, [r4], #-255
  ldr.w r0, [r4, #4]
  ldr r0, [r4, r2, lsl #2]
  ldrex r0, [r4, #1020]
  strex r2, r0, [r4, #4]
  mov.w r0, #0x10001
  mov.w r0, #0x1000000
  orn r0, r1, #1
  orns r0, r1, r2, lsl #3
  teq.w r0, #1
  movs.w r0, r1
  mov.w r0, r1
  rrx r0, r1
  ror r0, r1, #3
  add sp, sp, #4096
  bx lr
.align 2
2: .word 0
.size main, .-main
