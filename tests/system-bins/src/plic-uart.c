/* The virt machine's PLIC and the NS16550A's interrupts through it (tsemu's own, MIT), in
 * M-mode. Prints what the PLIC's registers read back after writes (priorities, enables,
 * thresholds, pending bits, claims), follows the UART's transmitter-empty interrupt through
 * pending, mip.MEIP, claim and complete, takes it as a trap, sees it on the S-mode context
 * (mip.SEIP), and reads a line from the UART's receiver through its interrupt. The output is
 * compared with qemu-system-riscv64's. */
#include "virt.h"

#define IER (UART + 1)
#define IIR (UART + 2)
#define LSR (UART + 5)
#define IER_RDI 1
#define IER_THRI 2
#define LSR_DR 1

static volatile int traps;
static volatile uint32_t claimed, iir_at_trap;
static char line[64];
static volatile int line_len, line_done;

void trap(unsigned long mcause) {
  if (mcause != MCAUSE_MEI) {
    show("unexpected trap, mcause ", mcause);
    poweroff(1);
  }
  uint32_t id = rd32(PLIC_CLAIM(0));
  traps++;
  claimed = id;
  if (id == UART_IRQ) {
    iir_at_trap = rd8(IIR);
    if (rd8(IER) & IER_THRI) wr8(IER, rd8(IER) & ~IER_THRI);
    while (rd8(LSR) & LSR_DR) {
      char c = (char)rd8(UART);
      if (c == '\n') line_done = 1;
      else if (line_len < (int)sizeof line - 1) line[line_len++] = c;
    }
  }
  wr32(PLIC_CLAIM(0), id);
}

static void plic_registers(void) {
  wr32(PLIC_PRIORITY(10), 0xffffffff);
  show("priority[10] after writing 0xffffffff: ", rd32(PLIC_PRIORITY(10)));
  wr32(PLIC_PRIORITY(10), 5);
  show("priority[10] after writing 5: ", rd32(PLIC_PRIORITY(10)));
  wr32(PLIC_PRIORITY(95), 3);
  show("priority[95] after writing 3: ", rd32(PLIC_PRIORITY(95)));
  wr32(PLIC_PRIORITY(10), 0);
  for (int w = 0; w < 3; w++) {
    wr32(PLIC_ENABLE(0, w), 0xffffffff);
    puts_("enable ctx0 word ");
    putdec(w);
    show(" after writing 0xffffffff: ", rd32(PLIC_ENABLE(0, w)));
    wr32(PLIC_ENABLE(0, w), 0);
  }
  wr32(PLIC_THRESHOLD(0), 0xffffffff);
  show("threshold ctx0 after writing 0xffffffff: ", rd32(PLIC_THRESHOLD(0)));
  wr32(PLIC_THRESHOLD(0), 2);
  show("threshold ctx0 after writing 2: ", rd32(PLIC_THRESHOLD(0)));
  wr32(PLIC_THRESHOLD(0), 0);
  show("pending word 0: ", rd32(PLIC_PENDING(0)));
  wr32(PLIC_PENDING(0), 0xffffffff);
  show("pending word 0 after writing 0xffffffff: ", rd32(PLIC_PENDING(0)));
  show("claim ctx0 with nothing pending: ", rd32(PLIC_CLAIM(0)));
}

/* The UART's transmitter-empty interrupt, followed by polling. */
static void thre_polled(void) {
  wr8(IER, IER_THRI);
  show("uart iir with THRI enabled: ", rd8(IIR));
  wr8(IER, 0);
  show("uart iir with nothing enabled: ", rd8(IIR));
  wr8(IER, IER_THRI);
  show("pending word 0 (source 10 raised, not enabled): ", rd32(PLIC_PENDING(0)));
  show("mip.MEIP while disabled: ", csr_read(mip) & MIP_MEIP);
  wr32(PLIC_PRIORITY(10), 1);
  wr32(PLIC_ENABLE(0, 0), 1 << UART_IRQ);
  /* (qemu 7.2 re-evaluates its outputs on a threshold write but not on an enable write: the
   * threshold is written before mip is read.) */
  wr32(PLIC_THRESHOLD(0), 1);
  show("mip.MEIP with threshold 1: ", csr_read(mip) & MIP_MEIP);
  show("claim with threshold 1: ", rd32(PLIC_CLAIM(0)));
  wr32(PLIC_THRESHOLD(0), 0);
  show("mip.MEIP with threshold 0: ", csr_read(mip) & MIP_MEIP);
  uint32_t id = rd32(PLIC_CLAIM(0));
  show("claim: ", id);
  show("pending word 0 after the claim: ", rd32(PLIC_PENDING(0)));
  show("mip.MEIP after the claim: ", csr_read(mip) & MIP_MEIP);
  show("claim again: ", rd32(PLIC_CLAIM(0)));
  wr8(IER, 0);
  wr32(PLIC_CLAIM(0), id);
  show("mip.MEIP after completing with the source lowered: ", csr_read(mip) & MIP_MEIP);
}

/* The same interrupt taken as a machine external interrupt trap out of wfi. */
static void thre_trap(void) {
  csr_set(mie, MIP_MEIP);
  csr_set(mstatus, 8);
  wr8(IER, IER_THRI);
  while (!traps) wfi();
  show("traps taken: ", traps);
  show("claimed in the handler: ", claimed);
  show("uart iir in the handler: ", iir_at_trap);
  csr_clear(mstatus, 8);
}

/* The S-mode context of hart 0 (context 1) drives mip.SEIP. */
static void s_context(void) {
  wr32(PLIC_ENABLE(0, 0), 0);
  wr32(PLIC_ENABLE(1, 0), 1 << UART_IRQ);
  wr32(PLIC_THRESHOLD(1), 0);
  wr8(IER, IER_THRI);
  show("mip.SEIP|MEIP with source 10 on context 1: ", csr_read(mip) & (MIP_SEIP | MIP_MEIP));
  uint32_t id = rd32(PLIC_CLAIM(1));
  show("claim ctx1: ", id);
  wr8(IER, 0);
  wr32(PLIC_CLAIM(1), id);
  show("mip.SEIP after complete: ", csr_read(mip) & MIP_SEIP);
  wr32(PLIC_ENABLE(1, 0), 0);
}

/* A line from the receiver, byte by byte through the received-data interrupt. */
static void receive(void) {
  traps = 0;
  wr32(PLIC_ENABLE(0, 0), 1 << UART_IRQ);
  csr_set(mstatus, 8);
  wr8(IER, IER_RDI);
  while (!line_done) wfi();
  wr8(IER, 0);
  line[line_len] = 0;
  puts_("received: ");
  puts_(line);
  putc_('\n');
}

int main(void) {
  plic_registers();
  thre_polled();
  thre_trap();
  s_context();
  receive();
  return 0;
}
