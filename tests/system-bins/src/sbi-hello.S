# An S-mode payload for firmware that implements the SBI (tsemu's own, MIT), linked at
# 0x80200000 where OpenSBI's fw_jump jumps: prints a line through the legacy console putchar
# call (SBI v0.1, EID 1), then asks the SBI System Reset extension (EID "SRST") for a shutdown,
# which OpenSBI does through the virt machine's SiFive test device (exit status 0).
  .equ SBI_CONSOLE_PUTCHAR, 1
  .equ SBI_SRST, 0x53525354
  .equ SRST_SHUTDOWN, 0

  .section .text
  .globl _start
_start:
  la s0, msg
1:
  lbu a0, 0(s0)
  beqz a0, 2f
  li a7, SBI_CONSOLE_PUTCHAR
  ecall
  addi s0, s0, 1
  j 1b
2:
  li a7, SBI_SRST
  li a6, 0                  # function: system_reset
  li a0, SRST_SHUTDOWN
  li a1, 0                  # reason: none
  ecall
3:
  wfi
  j 3b

  .section .rodata
msg:
  .asciz "hello from S-mode through the SBI\n"
