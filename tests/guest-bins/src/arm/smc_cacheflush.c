/* Self-modifying code: generate Thumb and ARM functions into an RWX mapping, run them,
   patch them in place and run again after __builtin___clear_cache (the cacheflush system
   call on ARM Linux), so stale translations show. Thumb code is entered with bit 0 of the
   address set, ARM code with it clear (interworking through BLX register). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* Thumb T1 encodings (ARM ARM A8.8.4, A8.8.222, A8.8.27): adds/subs r0,#imm8 and bx lr. */
static uint16_t t_adds(int imm) { return (uint16_t)(0x3000 | (imm & 0xff)); }
static uint16_t t_subs(int imm) { return (uint16_t)(0x3800 | (imm & 0xff)); }
static const uint16_t T_BX_LR = 0x4770;
/* ARM A1 encodings: add r0,r0,#imm8 (no rotation), sub likewise, bx lr. */
static uint32_t a_add(int imm) { return 0xe2800000u | (imm & 0xff); }
static uint32_t a_sub(int imm) { return 0xe2400000u | (imm & 0xff); }
static const uint32_t A_BX_LR = 0xe12fff1eu;

typedef int (*fn_t)(int);
static fn_t thumb(void *p) { return (fn_t)((uintptr_t)p | 1); }
static fn_t arm(void *p) { return (fn_t)(uintptr_t)p; }
static void flush(void *p, size_t n) { __builtin___clear_cache((char *)p, (char *)p + n); }

int main(void) {
  uint16_t *t = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  uint32_t *a = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (t == MAP_FAILED || a == MAP_FAILED) { perror("mmap"); return 1; }
  t[0] = t_adds(5); t[1] = T_BX_LR;
  flush(t, 4);
  printf("thumb f(10) = %d\n", thumb(t)(10));
  t[0] = t_subs(100);
  flush(t, 4);
  printf("thumb after patch f(10) = %d\n", thumb(t)(10));
  a[0] = a_add(5); a[1] = A_BX_LR;
  flush(a, 8);
  printf("arm f(10) = %d\n", arm(a)(10));
  a[0] = a_sub(100);
  flush(a, 8);
  printf("arm after patch f(10) = %d\n", arm(a)(10));
  /* Patch repeatedly in a loop, alternating the instruction set of the same bytes' page. */
  long sum = 0;
  for (int k = 0; k < 200; k++) {
    if (k & 1) { a[0] = a_add(k); a[1] = a_add(k); a[2] = A_BX_LR; flush(a, 12); sum += arm(a)(k); }
    else { t[0] = t_adds(k); t[1] = t_adds(k); t[2] = T_BX_LR; flush(t, 6); sum += thumb(t)(k); }
  }
  printf("loop sum %ld (expected %ld)\n", sum, 3L * 199 * 200 / 2);
  /* A longer body: a chain of adds that is shortened by writing a return into the middle. */
  for (int i = 0; i < 100; i++) t[i] = t_adds(1);
  t[100] = T_BX_LR;
  flush(t, 202);
  printf("thumb chain of 100: %d\n", thumb(t)(0));
  t[37] = T_BX_LR;
  flush(t, 202);
  printf("cut at 37: %d\n", thumb(t)(0));
  /* The same bytes at another address: a different translation. */
  uint16_t *t2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memcpy(t2, t, 202);
  t2[10] = T_BX_LR;
  flush(t2, 202);
  printf("copy cut at 10: %d, original still %d\n", thumb(t2)(0), thumb(t)(0));
  /* Unmap and map again at the same place with new code: invalidation by munmap. */
  munmap(t, 4096);
  uint16_t *again = mmap(t, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  again[0] = t_adds(77); again[1] = T_BX_LR;
  flush(again, 4);
  printf("remapped f(1) = %d\n", thumb(again)(1));
  return 0;
}
