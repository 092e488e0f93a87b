/* Self-modifying code: generate functions into an RWX mapping, run them, patch them in
   place and run again after fence.i / __builtin___clear_cache, so stale translations show. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* RV64I encodings (unprivileged ISA, chapter 2): addi rd, rs1, imm and jalr x0, 0(ra). */
static uint32_t addi(int rd, int rs1, int imm) { return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13; }
static const uint32_t RET = 0x00008067;
enum { A0 = 10, A1 = 11 };

typedef long (*fn_t)(long);

int main(void) {
  uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) { perror("mmap"); return 1; }
  fn_t f = (fn_t)(uintptr_t)code;
  /* f(x) = x + k */
  code[0] = addi(A0, A0, 5);
  code[1] = RET;
  __asm__ volatile("fence.i" ::: "memory");
  printf("f(10) = %ld\n", f(10));
  code[0] = addi(A0, A0, -100);
  __asm__ volatile("fence.i" ::: "memory");
  printf("after patch f(10) = %ld\n", f(10));
  /* Patch repeatedly in a loop, mixing both flush methods. */
  long sum = 0;
  for (int k = 0; k < 200; k++) {
    code[0] = addi(A1, A0, k);
    code[1] = addi(A0, A1, k);
    code[2] = RET;
    if (k & 1) __builtin___clear_cache((char *)code, (char *)(code + 3));
    else __asm__ volatile("fence.i" ::: "memory");
    sum += f(k);
  }
  printf("loop sum %ld (expected %ld)\n", sum, 3L * 199 * 200 / 2);
  /* A longer body: a chain of adds that is shortened by writing a ret into the middle. */
  for (int i = 0; i < 100; i++) code[i] = addi(A0, A0, 1);
  code[100] = RET;
  __builtin___clear_cache((char *)code, (char *)(code + 101));
  printf("chain of 100: %ld\n", f(0));
  code[37] = RET;
  __builtin___clear_cache((char *)code, (char *)(code + 101));
  printf("cut at 37: %ld\n", f(0));
  /* Same code at another address via a second page: different translations. */
  uint32_t *code2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memcpy(code2, code, 101 * 4);
  code2[10] = RET;
  __builtin___clear_cache((char *)code2, (char *)(code2 + 101));
  printf("copy cut at 10: %ld, original still %ld\n", ((fn_t)(uintptr_t)code2)(0), f(0));
  /* Unmap and map again at the same place with new code: invalidation by munmap. */
  munmap(code, 4096);
  uint32_t *again = mmap(code, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  again[0] = addi(A0, A0, 77);
  again[1] = RET;
  __builtin___clear_cache((char *)again, (char *)(again + 2));
  printf("remapped f(1) = %ld\n", ((fn_t)(uintptr_t)again)(1));
  return 0;
}
