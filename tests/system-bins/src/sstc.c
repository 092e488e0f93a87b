/* The Sstc extension (tsemu's own, MIT): stimecmp and menvcfg.STCE. In M-mode: without STCE,
 * stimecmp holds a value but drives nothing and software owns mip.STIP; with STCE, STIP is
 * stimecmp's comparison with time and ignores writes; a supervisor timer interrupt, not
 * delegated, is taken in M-mode out of wfi. Then in S-mode (satp bare): stimecmp is an illegal
 * instruction without mcounteren.TM, and without STCE; with both it reads and writes. S-mode
 * asks M-mode for each change with an ecall (the request in `req`). Everything printed is
 * compared with qemu-system-riscv64's output. */
#include "virt.h"

/* stimecmp is CSR 0x14d and menvcfg 0x30a (by number: csr_read stringizes its argument). */
#define STCE (1UL << 63)
#define MIP_STIP (1UL << 5)
#define MIE_STIE (1UL << 5)
#define MCAUSE_STI 0x8000000000000005UL
#define MCAUSE_ILLEGAL 2
#define MCAUSE_ECALL_S 9
#define MSTATUS_MIE (1UL << 3)
#define MSTATUS_MPP (3UL << 11)
#define MSTATUS_MPP_S (1UL << 11)

enum { REQ_TM_ON = 1, REQ_STCE_OFF, REQ_STCE_ON };
static volatile int req;
static volatile int timer_traps;
static volatile int illegal_traps;

void trap(unsigned long mcause) {
  if (mcause == MCAUSE_STI) {
    timer_traps++;
    csr_write(0x14d, -1UL);
    return;
  }
  unsigned long epc = csr_read(mepc);
  if (mcause == MCAUSE_ILLEGAL) {
    illegal_traps++;
  } else if (mcause == MCAUSE_ECALL_S) {
    if (req == REQ_TM_ON) csr_set(mcounteren, 2);
    if (req == REQ_STCE_OFF) csr_clear(0x30a, STCE);
    if (req == REQ_STCE_ON) csr_set(0x30a, STCE);
  } else {
    show("unexpected trap, mcause ", mcause);
    poweroff(1);
  }
  csr_write(mepc, epc + 4);
}

static void ask(int r) {
  req = r;
  __asm__ volatile("ecall" ::: "memory");
}

/* S-mode: each access to stimecmp, and whether it trapped. */
static void supervisor(void) {
  puts_("S-mode\n");
  int before = illegal_traps;
  unsigned long v = csr_read(0x14d);
  show("  read without mcounteren.TM: illegal instructions ", (unsigned long)(illegal_traps - before));
  ask(REQ_TM_ON);
  before = illegal_traps;
  csr_write(0x14d, 0x123456789UL);
  v = csr_read(0x14d);
  show("  with TM and STCE: illegal instructions ", (unsigned long)(illegal_traps - before));
  show("  stimecmp reads back ", v);
  unsigned long t = csr_read(time);
  csr_write(0x14d, t + 10000000UL);
  show("  sip.STIP with stimecmp a second ahead ", csr_read(sip) & MIP_STIP);
  csr_write(0x14d, 0);
  show("  sip.STIP with stimecmp 0 ", csr_read(sip) & MIP_STIP);
  ask(REQ_STCE_OFF);
  before = illegal_traps;
  v = csr_read(0x14d);
  show("  read without STCE: illegal instructions ", (unsigned long)(illegal_traps - before));
  ask(REQ_STCE_ON);
  poweroff(0);
}

int main(void) {
  show("menvcfg at reset ", csr_read(0x30a));
  csr_write(0x14d, 0);
  show("without STCE, stimecmp 0: mip.STIP ", csr_read(mip) & MIP_STIP);
  csr_set(mip, MIP_STIP);
  show("without STCE, software sets mip.STIP ", csr_read(mip) & MIP_STIP);
  csr_clear(mip, MIP_STIP);

  csr_set(0x30a, STCE);
  show("menvcfg with STCE ", csr_read(0x30a));
  show("with STCE, stimecmp 0: mip.STIP ", csr_read(mip) & MIP_STIP);
  csr_clear(mip, MIP_STIP);
  show("  after software clears it ", csr_read(mip) & MIP_STIP);
  csr_write(0x14d, -1UL);
  show("with STCE, stimecmp all ones: mip.STIP ", csr_read(mip) & MIP_STIP);
  csr_set(mip, MIP_STIP);
  show("  after software sets it ", csr_read(mip) & MIP_STIP);

  /* A supervisor timer interrupt 2 ms ahead, taken in M-mode (not delegated). */
  csr_set(mie, MIE_STIE);
  csr_write(0x14d, csr_read(time) + 20000);
  csr_set(mstatus, MSTATUS_MIE);
  while (!timer_traps) wfi();
  csr_clear(mstatus, MSTATUS_MIE);
  csr_clear(mie, MIE_STIE);
  show("supervisor timer interrupts taken ", (unsigned long)timer_traps);

  /* To S-mode, with mcounteren.TM clear, STIP delegated (so that sip shows it; sie.STIE
   * stays clear), and a PMP entry granting S-mode all memory (without one qemu refuses every
   * S-mode access). */
  csr_write(mcounteren, 0);
  csr_write(mideleg, MIP_STIP);
  csr_write(pmpaddr0, -1UL >> 10);
  csr_write(pmpcfg0, 0x1f);
  csr_write(mepc, (unsigned long)supervisor);
  csr_clear(mstatus, MSTATUS_MPP);
  csr_set(mstatus, MSTATUS_MPP_S);
  __asm__ volatile("mret");
  return 1;
}
