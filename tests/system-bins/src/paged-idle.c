/* A fixed Sv39 page table, then idling (tsemu's own, MIT): for the monitor's `info mem` and
 * `info registers`, which the test types after "ready". The table maps, with different
 * attributes: RAM's first GiB as a global gigapage, a 2 MiB megapage of it, three user pages
 * contiguous in both addresses (one run in `info mem`) and a fourth that is not, a read-only
 * page, a page in the upper half of the address space, and the UART. The hart stays in M-mode,
 * where satp does not translate, and waits in wfi with no interrupt enabled. */
#include "virt.h"

#define PTE_V 1UL
#define PTE_R 2UL
#define PTE_W 4UL
#define PTE_X 8UL
#define PTE_U 16UL
#define PTE_G 32UL
#define PTE_A 64UL
#define PTE_D 128UL
#define PTE(pa, flags) ((((unsigned long)(pa)) >> 12) << 10 | (flags) | PTE_V)
#define TABLE(t) PTE(t, 0)

static unsigned long root[512] __attribute__((aligned(4096)));
static unsigned long mid[512] __attribute__((aligned(4096)));
static unsigned long leaf[512] __attribute__((aligned(4096)));
static unsigned long high_mid[512] __attribute__((aligned(4096)));
static unsigned long high_leaf[512] __attribute__((aligned(4096)));

void trap(unsigned long mcause) {
  show("unexpected trap, mcause ", mcause);
  poweroff(1);
}

int main(void) {
  wr32(0x2004000, 0xffffffff); /* the CLINT's mtimecmp: no timer pending */
  wr32(0x2004004, 0xffffffff);
  root[2] = PTE(0x80000000UL, PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D);
  root[0] = TABLE(mid);
  mid[1] = PTE(0x80200000UL, PTE_R | PTE_X | PTE_A);            /* 0x200000: 2 MiB */
  mid[0] = TABLE(leaf);
  leaf[16] = PTE(0x80400000UL, PTE_R | PTE_W | PTE_U | PTE_A | PTE_D); /* 0x10000 */
  leaf[17] = PTE(0x80401000UL, PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
  leaf[18] = PTE(0x80402000UL, PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
  leaf[19] = PTE(0x80404000UL, PTE_R | PTE_W | PTE_U | PTE_A | PTE_D); /* not contiguous */
  leaf[32] = PTE(0x80405000UL, PTE_R);                                /* 0x20000, read-only */
  leaf[48] = PTE(UART, PTE_R | PTE_W | PTE_A | PTE_D);               /* 0x30000 */
  root[511] = TABLE(high_mid);                                        /* 0xffffffffc0000000 */
  high_mid[511] = TABLE(high_leaf);
  high_leaf[511] = PTE(0x80406000UL, PTE_R | PTE_X | PTE_G | PTE_A);  /* 0xfffffffffffff000 */
  csr_write(satp, 8UL << 60 | (unsigned long)root >> 12);
  __asm__ volatile("sfence.vma" ::: "memory");
  puts_("ready\n");
  for (;;) wfi();
}
