# Start-up and trap entry of tsemu's bare-metal C programs for the virt machine (tsemu's own,
# MIT): M-mode at 0x80000000, a stack in .bss, main(), then power off through the SiFive test
# device with main's return value as the status (0 = pass). Traps save the caller-saved
# registers and call trap(mcause) in C, then mret.
  .section .text.start
  .globl _start
_start:
  la sp, stack_top
  la t0, trap_entry
  csrw mtvec, t0
  call main
  call poweroff

  .align 2
trap_entry:
  addi sp, sp, -128
  sd ra, 0(sp)
  sd t0, 8(sp)
  sd t1, 16(sp)
  sd t2, 24(sp)
  sd a0, 32(sp)
  sd a1, 40(sp)
  sd a2, 48(sp)
  sd a3, 56(sp)
  sd a4, 64(sp)
  sd a5, 72(sp)
  sd a6, 80(sp)
  sd a7, 88(sp)
  sd t3, 96(sp)
  sd t4, 104(sp)
  sd t5, 112(sp)
  sd t6, 120(sp)
  csrr a0, mcause
  call trap
  ld ra, 0(sp)
  ld t0, 8(sp)
  ld t1, 16(sp)
  ld t2, 24(sp)
  ld a0, 32(sp)
  ld a1, 40(sp)
  ld a2, 48(sp)
  ld a3, 56(sp)
  ld a4, 64(sp)
  ld a5, 72(sp)
  ld a6, 80(sp)
  ld a7, 88(sp)
  ld t3, 96(sp)
  ld t4, 104(sp)
  ld t5, 112(sp)
  ld t6, 120(sp)
  addi sp, sp, 128
  mret

  .section .bss
  .align 4
  .space 16384
stack_top:
