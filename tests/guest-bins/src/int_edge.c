/* Integer corner cases with RISC-V's defined results (no trap on division by zero,
   INT_MIN/-1 gives INT_MIN), word ops that sign-extend, shifts, mulh via __int128. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static volatile int64_t v64[] = {0, 1, -1, 7, -7, INT64_MAX, INT64_MIN, 0x123456789abcdefLL, -0x5555555555555556LL};
static volatile int32_t v32[] = {0, 1, -1, 7, -7, INT32_MAX, INT32_MIN, 0x12345678, -0x55555556};

/* The compiler may not fold these: each divide goes through the guest's div/rem. */
static int64_t sdiv64(int64_t a, int64_t b) { int64_t r; __asm__("div %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static int64_t srem64(int64_t a, int64_t b) { int64_t r; __asm__("rem %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint64_t udiv64(uint64_t a, uint64_t b) { uint64_t r; __asm__("divu %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint64_t urem64(uint64_t a, uint64_t b) { uint64_t r; __asm__("remu %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static int32_t sdiv32(int32_t a, int32_t b) { int32_t r; __asm__("divw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static int32_t srem32(int32_t a, int32_t b) { int32_t r; __asm__("remw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t udiv32(uint32_t a, uint32_t b) { uint32_t r; __asm__("divuw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t urem32(uint32_t a, uint32_t b) { uint32_t r; __asm__("remuw %0,%1,%2" : "=r"(r) : "r"(a), "r"(b)); return r; }

int main(void) {
  int n64 = sizeof v64 / sizeof v64[0], n32 = sizeof v32 / sizeof v32[0];
  for (int i = 0; i < n64; i++)
    for (int j = 0; j < n64; j++) {
      int64_t a = v64[i], b = v64[j];
      printf("64 %ld %ld: div %ld rem %ld divu %lu remu %lu mulhs %ld mulhu %lu mulhsu %ld mul %ld\n",
             (long)a, (long)b, (long)sdiv64(a, b), (long)srem64(a, b), (unsigned long)udiv64(a, b),
             (unsigned long)urem64(a, b), (long)(((__int128)a * b) >> 64),
             (unsigned long)(((unsigned __int128)(uint64_t)a * (uint64_t)b) >> 64),
             (long)(((__int128)a * (unsigned __int128)(uint64_t)b) >> 64), (long)((uint64_t)a * (uint64_t)b));
    }
  for (int i = 0; i < n32; i++)
    for (int j = 0; j < n32; j++) {
      int32_t a = v32[i], b = v32[j];
      printf("32 %d %d: div %d rem %d divu %u remu %u mul %d add %d sub %d\n", a, b, sdiv32(a, b), srem32(a, b),
             udiv32(a, b), urem32(a, b), (int32_t)((uint32_t)a * (uint32_t)b), (int32_t)((uint32_t)a + (uint32_t)b),
             (int32_t)((uint32_t)a - (uint32_t)b));
    }
  for (int i = 0; i < n64; i++) {
    uint64_t x = (uint64_t)v64[i];
    volatile int s1 = 1, s31 = 31, s32 = 32, s63 = 63, s64 = 64; /* 64: the shift amount is masked to 6 bits */
    printf("shift %016lx: sll %lx %lx srl %lx %lx sra %lx %lx sllw %x srlw %x sraw %x\n", (unsigned long)x,
           (unsigned long)(x << s1), (unsigned long)(x << (s64 & 63)), (unsigned long)(x >> s63),
           (unsigned long)(x >> s32), (unsigned long)((int64_t)x >> s63), (unsigned long)((int64_t)x >> s31),
           (uint32_t)x << s31, (uint32_t)x >> s31, (uint32_t)((int32_t)x >> s31));
    printf("  popcount %d clz %d ctz %d clz32 %d parity %d bswap %016lx rot %016lx\n", __builtin_popcountll(x),
           x ? __builtin_clzll(x) : 64, x ? __builtin_ctzll(x) : 64, (uint32_t)x ? __builtin_clz((uint32_t)x) : 32,
           __builtin_parityll(x), (unsigned long)__builtin_bswap64(x), (unsigned long)((x << 13) | (x >> 51)));
    int64_t r;
    int ov = __builtin_add_overflow((int64_t)x, INT64_MAX, &r);
    int ov2 = __builtin_mul_overflow((int64_t)x, (int64_t)3, &r);
    int32_t r32;
    int ov3 = __builtin_sub_overflow((int32_t)x, INT32_MIN, &r32);
    printf("  overflow add %d mul %d sub32 %d (%d)\n", ov, ov2, ov3, r32);
  }
  /* sign and zero extension through narrowing and widening */
  volatile uint64_t big = 0xfedcba9876543210ULL;
  printf("ext %d %u %d %u %ld %lu\n", (int8_t)big, (uint8_t)big, (int16_t)(big >> 8), (uint16_t)(big >> 8),
         (long)(int32_t)(big >> 32), (unsigned long)(uint32_t)(big >> 16));
  printf("cmp %d %d %d %d\n", (int64_t)big < 0, big > 1, (int32_t)big < 0, (uint32_t)big > 0x80000000u);
  return 0;
}
