/* One virtual page, two address spaces (tsemu's own, MIT): two Sv39 page tables map the
 * virtual page 0x10000 to two different pages of code, and 0x20000 to two different data pages.
 * S-mode calls the code at 0x10000 and reads the word at 0x20000 often enough for a tiered
 * emulator to compile both, under the first table, then the second, then the first again. Each
 * must see its own code and data: translated code is keyed by virtual pc, so an emulator that
 * found compiled code by pc alone, or kept a translation across the satp switch, would run the
 * other space's. The results go to M-mode with an ecall, which prints them. */
#include "virt.h"

#define PTE_V 1UL
#define PTE_R 2UL
#define PTE_W 4UL
#define PTE_X 8UL
#define PTE_A 64UL
#define PTE_D 128UL
#define PTE(pa, flags) ((((unsigned long)(pa)) >> 12) << 10 | (flags) | PTE_V)
#define TABLE(t) PTE(t, 0)
#define SATP(root) (8UL << 60 | (unsigned long)(root) >> 12)
#define CALLS 200

typedef unsigned long table_t[512] __attribute__((aligned(4096)));
static table_t root_a, mid_a, leaf_a, root_b, mid_b, leaf_b;
static uint32_t code_a[1024] __attribute__((aligned(4096)));
static uint32_t code_b[1024] __attribute__((aligned(4096)));
static unsigned long data_a[512] __attribute__((aligned(4096)));
static unsigned long data_b[512] __attribute__((aligned(4096)));
/** The sums S-mode found under each table, in the order it ran them. */
static volatile unsigned long calls[3], reads[3];

/* A function of 50 iterations adding `step` to a0: li a0, 0; li t0, 50; 1: addi a0, a0, step;
 * addi t0, t0, -1; bnez t0, 1b; ret (RISC-V unprivileged ISA, chapter 2 encodings). */
static void write_code(uint32_t *code, unsigned step) {
  code[0] = 0x00000513;
  code[1] = 0x03200293;
  code[2] = step << 20 | 10 << 15 | 10 << 7 | 0x13;
  code[3] = 0xfff28293;
  code[4] = 0xfe029ce3;
  code[5] = 0x00008067;
}

static void map(unsigned long *root, unsigned long *mid, unsigned long *leaf, uint32_t *code, unsigned long *data) {
  root[2] = PTE(0x80000000UL, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D); /* RAM, where it is */
  root[0] = TABLE(mid);
  mid[0] = TABLE(leaf);
  leaf[16] = PTE(code, PTE_R | PTE_X | PTE_A);                    /* 0x10000 */
  leaf[32] = PTE(data, PTE_R | PTE_A);                            /* 0x20000 */
}

static void run(int phase) {
  unsigned long (*f)(void) = (unsigned long (*)(void))0x10000UL;
  volatile unsigned long *word = (volatile unsigned long *)0x20000UL;
  unsigned long c = 0, r = 0;
  for (int i = 0; i < CALLS; i++) {
    c += f();
    r += *word;
  }
  calls[phase] = c;
  reads[phase] = r;
}

static void s_main(void) {
  run(0);
  csr_write(satp, SATP(root_b));
  __asm__ volatile("sfence.vma" ::: "memory");
  run(1);
  csr_write(satp, SATP(root_a));
  __asm__ volatile("sfence.vma" ::: "memory");
  run(2);
  __asm__ volatile("ecall");
}

void trap(unsigned long mcause) {
  if (mcause != 9) {
    show("unexpected trap, mcause ", mcause);
    poweroff(1);
  }
  for (int i = 0; i < 3; i++) {
    puts_(i == 1 ? "second table: " : "first table: ");
    putdec(calls[i]);
    puts_(" from the code, ");
    putdec(reads[i]);
    puts_(" from the data\n");
  }
  poweroff(0);
}

int main(void) {
  write_code(code_a, 1);
  write_code(code_b, 2);
  __asm__ volatile("fence.i" ::: "memory");
  data_a[0] = 3;
  data_b[0] = 7;
  map(root_a, mid_a, leaf_a, code_a, data_a);
  map(root_b, mid_b, leaf_b, code_b, data_b);
  csr_write(satp, SATP(root_a));
  __asm__ volatile("sfence.vma" ::: "memory");
  /* mret to S-mode at s_main, with one PMP entry granting it all memory (privileged spec
   * 3.7.1: with PMP implemented and no entry matching, S-mode accesses fail; qemu refuses
   * the mret). */
  csr_write(pmpaddr0, -1UL);
  csr_write(pmpcfg0, 0x1f); /* NAPOT, R, W, X */
  csr_clear(mstatus, 3UL << 11);
  csr_set(mstatus, 1UL << 11);
  csr_write(mepc, (unsigned long)s_main);
  __asm__ volatile("mret");
  return 1;
}
