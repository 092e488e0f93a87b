# Start-up and trap entry of tsemu's bare-metal C programs for the virt machine (tsemu's own,
# MIT): M-mode at 0x80000000, a stack in .bss, main(), then power off through the SiFive test
# device with main's return value as the status (0 = pass). Every hart of -smp starts here
# (a0 = its mhartid): hart 0 runs main, the others secondary(mhartid) on stacks of their own
# (virt.c's parks them in wfi). Traps save the caller-saved registers and call trap(mcause) in
# C, then mret.
  .equ SECONDARY_STACK, 4096
  .equ MAX_SECONDARIES, 3

  .section .text.start
  .globl _start
_start:
  csrr t0, mhartid
  bnez t0, secondary_start
  la sp, stack_top
  la t0, trap_entry
  csrw mtvec, t0
  call main
  call poweroff

# Hart h (1 .. MAX_SECONDARIES) takes the h-th stack down from secondary_stacks_top.
secondary_start:
  addi t1, t0, -1
  li t2, SECONDARY_STACK
  mul t1, t1, t2
  la sp, secondary_stacks_top
  sub sp, sp, t1
  la t1, trap_entry
  csrw mtvec, t1
  mv a0, t0
  call secondary
1:
  wfi
  j 1b

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
  .space SECONDARY_STACK * MAX_SECONDARIES
secondary_stacks_top:
