# A bare M-mode program for the virt machine (tsemu's own, MIT): prints a line on the NS16550A
# UART, arms the CLINT timer 1 ms ahead, waits for the machine timer interrupt in wfi, prints a
# second line from the handler and powers off through the SiFive test device (status 0); any
# other trap powers off with status 1. Addresses: qemu's virt memory map.
  .equ UART, 0x10000000
  .equ CLINT_MTIMECMP, 0x2004000
  .equ CLINT_MTIME, 0x200bff8
  .equ TEST, 0x100000

  .section .text
  .globl _start
_start:
  la t0, trap
  csrw mtvec, t0
  la a0, hello
  call puts
  li t0, CLINT_MTIME
  ld t1, 0(t0)
  li t2, 10000              # 1 ms at the 10 MHz timebase
  add t1, t1, t2
  li t0, CLINT_MTIMECMP
  sd t1, 0(t0)
  li t0, 0x80               # mie.MTIE
  csrs mie, t0
  csrsi mstatus, 8          # mstatus.MIE
1:
  wfi
  j 1b

trap:
  csrr t0, mcause
  li t1, 0x8000000000000007 # interrupt, machine timer
  bne t0, t1, fail
  la a0, tick
  call puts
  li t0, TEST
  li t1, 0x5555             # pass
  sw t1, 0(t0)
fail:
  li t0, TEST
  li t1, 0x13333            # fail, status 1
  sw t1, 0(t0)
  j fail

# puts(a0): the NUL-terminated string to the UART.
puts:
  li t1, UART
2:
  lbu t0, 0(a0)
  beqz t0, 3f
  sb t0, 0(t1)
  addi a0, a0, 1
  j 2b
3:
  ret

  .section .rodata
hello:
  .asciz "hello from the virt machine\n"
tick:
  .asciz "timer interrupt taken\n"
