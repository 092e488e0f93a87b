/* Several harts (tsemu's own, MIT), for -smp 2 to 4: hart 0 counts the harts in the device tree
 * (the cpu@ nodes), then wakes the others one at a time with an inter-processor interrupt (its
 * CLINT msip word), each sleeping in wfi until then. A woken hart clears its msip and takes the
 * next slot of a shared table with an AMO, writing its mhartid there; then every hart adds 1 to
 * two shared counters ROUNDS times, one with LR/SC and one with amoadd, while the others do the
 * same. Hart 0 waits for all to finish and prints the table and the counters: exact totals show
 * that no increment was lost while the harts interleaved. Hart 1 then runs a function in RAM
 * that hart 0 rewrites, and after its fence.i runs the new code. Then each hart's CLINT mtimecmp:
 * hart 0 sets hart h's to 0, and only hart h sees its machine timer pending. Everything printed
 * is compared with qemu-system-riscv64's output. */
#include "virt.h"

#define MAX_HARTS 4
#define ROUNDS 20000
#define MIE_MSIE (1UL << 3)
#define MIP_MSIP (1UL << 3)
#define MIP_MTIP (1UL << 7)
#define CLINT_MSIP(h) (CLINT + 4 * (h))
#define CLINT_MTIMECMP(h) (CLINT + 0x4000 + 8 * (h))

static volatile unsigned long next_slot;
static volatile unsigned long table[MAX_HARTS];
static volatile unsigned long lrsc_count;
static volatile unsigned long amo_count;
static volatile unsigned long finished;
/* Hart h's view of its MTIP while its mtimecmp is the largest value, and once it is 0. */
static volatile unsigned long mtip_before[MAX_HARTS], mtip_after[MAX_HARTS];
/* A function in RAM, on a page of its own: c.li a0, 1; c.ret. Hart 0 rewrites its first
 * instruction to c.li a0, 2 while hart 1 has run it. */
static volatile uint16_t code[2] __attribute__((aligned(4096))) = {0x4505, 0x8082};
#define LI_A0_2 0x4509
static volatile unsigned long code_phase, code_results[2];

static unsigned long call_code(void) { return ((unsigned long (*)(void))(uintptr_t)code)(); }

/* Hart 1's side: run the code, let hart 0 rewrite it, fence.i, run it again. */
static void run_rewritten_code(void) {
  code_results[0] = call_code();
  code_phase = 1;
  while (code_phase != 2) {
  }
  __asm__ volatile("fence.i" ::: "memory");
  code_results[1] = call_code();
  code_phase = 3;
}

void trap(unsigned long mcause) {
  show("unexpected trap, mcause ", mcause);
  poweroff(1);
}

static unsigned long amo_add(volatile unsigned long *p, unsigned long v) {
  unsigned long old;
  __asm__ volatile("amoadd.d %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
  return old;
}

/* An increment by LR/SC. The never-taken branch ends the translated block between the LR and
 * the SC, so that under tsemu another hart's turn may come there: its stores to the counter
 * must make this SC fail, and the loop retry. */
static void lrsc_increment(volatile unsigned long *p) {
  unsigned long v, failed;
  __asm__ volatile(
      "1: lr.d %0, (%2)\n"
      "   bne zero, zero, 1b\n"
      "   addi %0, %0, 1\n"
      "   sc.d %1, %0, (%2)\n"
      "   bnez %1, 1b\n"
      : "=&r"(v), "=&r"(failed)
      : "r"(p)
      : "memory");
}

static void set_mtimecmp(unsigned long h, unsigned long v) { *(volatile unsigned long *)CLINT_MTIMECMP(h) = v; }

/* A hart's slot in the table, and its MTIP with its mtimecmp at the largest value. */
static void check_in(unsigned long hartid) {
  unsigned long slot = amo_add(&next_slot, 1);
  table[slot] = hartid;
  set_mtimecmp(hartid, -1UL);
  mtip_before[hartid] = csr_read(mip) & MIP_MTIP;
}

static void count(void) {
  for (int i = 0; i < ROUNDS; i++) {
    lrsc_increment(&lrsc_count);
    amo_add(&amo_count, 1);
  }
  amo_add(&finished, 1);
}

void secondary(unsigned long hartid) {
  csr_set(mie, MIE_MSIE);
  while (!(csr_read(mip) & MIP_MSIP)) wfi();
  wr32(CLINT_MSIP(hartid), 0);
  check_in(hartid);
  count();
  if (hartid == 1) run_rewritten_code();
  while (!(csr_read(mip) & MIP_MTIP)) {
  }
  mtip_after[hartid] = 1;
}

static uint32_t be32(const void *p) { return __builtin_bswap32(*(const uint32_t *)p); }

/* The cpu@ nodes in the flattened device tree's structure block (the devicetree specification,
 * 5.4: FDT_BEGIN_NODE 1 and its name, FDT_END_NODE 2, FDT_PROP 3 with its length and name
 * offset, FDT_NOP 4, FDT_END 9; everything 4-byte aligned). */
static unsigned long count_cpus(const uint8_t *fdt) {
  const uint8_t *p = fdt + be32(fdt + 8);
  unsigned long cpus = 0;
  for (;;) {
    uint32_t token = be32(p);
    p += 4;
    if (token == 1) {
      const char *name = (const char *)p;
      if (name[0] == 'c' && name[1] == 'p' && name[2] == 'u' && name[3] == '@') cpus++;
      unsigned long len = 0;
      while (name[len]) len++;
      p += (len + 4) & ~3UL;
    } else if (token == 3) {
      p += 8 + ((be32(p) + 3) & ~3UL);
    } else if (token == 9) {
      return cpus;
    }
  }
}

/* start.S leaves a0 and a1 as the machine's reset set them: the hart id and the device tree. */
int main(unsigned long hartid, const uint8_t *fdt) {
  unsigned long harts = count_cpus(fdt);
  puts_("harts in the device tree: ");
  putdec(harts);
  putc_('\n');
  if (harts < 2 || harts > MAX_HARTS) return 1;
  check_in(hartid);
  /* One hart at a time, each woken only after the one before took its slot: the table's order
   * is the order of the IPIs. */
  for (unsigned long h = 1; h < harts; h++) {
    wr32(CLINT_MSIP(h), 1);
    while (next_slot <= h) {
    }
    puts_("hart ");
    putdec(h);
    puts_(" woke, msip now ");
    putdec(rd32(CLINT_MSIP(h)));
    putc_('\n');
  }
  count();
  while (finished < harts) {
  }
  puts_("table:");
  for (unsigned long h = 0; h < harts; h++) {
    putc_(' ');
    putdec(table[h]);
  }
  puts_("\nLR/SC increments: ");
  putdec(lrsc_count);
  puts_("\nAMO increments: ");
  putdec(amo_count);
  putc_('\n');
  while (code_phase != 1) {
  }
  code[0] = LI_A0_2;
  fence();
  code_phase = 2;
  while (code_phase != 3) {
  }
  show("hart 1's code before hart 0 rewrote it returned ", code_results[0]);
  show("and after, with its fence.i ", code_results[1]);
  for (unsigned long h = 1; h < harts; h++) {
    set_mtimecmp(h, 0);
    while (!mtip_after[h]) {
    }
    puts_("hart ");
    putdec(h);
    puts_(": MTIP ");
    putdec(mtip_before[h] >> 7);
    puts_(" until hart 0 set its mtimecmp to 0, then 1; hart 0's MTIP ");
    putdec((csr_read(mip) & MIP_MTIP) >> 7);
    putc_('\n');
    set_mtimecmp(h, -1UL);
  }
  return lrsc_count == harts * ROUNDS && amo_count == harts * ROUNDS ? 0 : 1;
}
