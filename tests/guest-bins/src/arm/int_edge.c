/* Integer corner cases with ARMv7's defined results, each in Thumb-2 and in ARM state (the
   same helpers compiled twice): SDIV/UDIV give 0 on division by zero and INT_MIN for
   INT_MIN/-1 (ARM ARM A8.8.165), shifts by register use the bottom byte of the amount
   (32 and more give 0, or the sign for ASR), NZCV after adds/subs/adcs, saturating
   arithmetic and the sticky Q flag, bit operations, long multiplies and 64-bit helpers. */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>


struct ops {
  int32_t (*sdiv)(int32_t, int32_t);
  uint32_t (*udiv)(uint32_t, uint32_t);
  uint32_t (*lsl)(uint32_t, uint32_t), (*lsr)(uint32_t, uint32_t), (*asr)(uint32_t, uint32_t), (*ror)(uint32_t, uint32_t);
  uint32_t (*adds_nzcv)(uint32_t, uint32_t), (*subs_nzcv)(uint32_t, uint32_t), (*adcs_nzcv)(uint32_t, uint32_t);
  uint32_t (*qadd)(uint32_t, uint32_t), (*qsub)(uint32_t, uint32_t), (*ssat8)(uint32_t), (*usat8)(uint32_t);
  uint32_t (*clz)(uint32_t), (*rbit)(uint32_t), (*rev)(uint32_t), (*rev16)(uint32_t), (*revsh)(uint32_t);
  uint32_t (*ubfx)(uint32_t), (*sbfx)(uint32_t), (*bfi)(uint32_t, uint32_t);
  uint32_t (*smmul)(uint32_t, uint32_t), (*smulbt)(uint32_t, uint32_t);
  uint64_t (*umull)(uint32_t, uint32_t), (*smull)(uint32_t, uint32_t), (*umaal)(uint32_t, uint32_t);
};

/* APSR bits 31..27: N Z C V Q; the flag-setting helpers return NZCV over the low 28 result bits. */
#define NZCVQ(apsr) ((apsr) >> 27)

#define HELPERS(ISA, SFX)                                                                                        \
  __attribute__((target(ISA), noinline)) static int32_t sdiv_##SFX(int32_t a, int32_t b) {                      \
    int32_t r; __asm__(".arch_extension idiv\n\tsdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }                               \
  __attribute__((target(ISA), noinline)) static uint32_t udiv_##SFX(uint32_t a, uint32_t b) {                   \
    uint32_t r; __asm__(".arch_extension idiv\n\tudiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }                              \
  __attribute__((target(ISA), noinline)) static uint32_t lsl_##SFX(uint32_t a, uint32_t s) {                    \
    uint32_t r; __asm__("lsl %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }                               \
  __attribute__((target(ISA), noinline)) static uint32_t lsr_##SFX(uint32_t a, uint32_t s) {                    \
    uint32_t r; __asm__("lsr %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }                               \
  __attribute__((target(ISA), noinline)) static uint32_t asr_##SFX(uint32_t a, uint32_t s) {                    \
    uint32_t r; __asm__("asr %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }                               \
  __attribute__((target(ISA), noinline)) static uint32_t ror_##SFX(uint32_t a, uint32_t s) {                    \
    uint32_t r; __asm__("ror %0, %1, %2" : "=r"(r) : "r"(a), "r"(s)); return r; }                               \
  __attribute__((target(ISA), noinline)) static uint32_t adds_##SFX(uint32_t a, uint32_t b) {                   \
    uint32_t r, f; __asm__("adds %0, %2, %3\n\tmrs %1, apsr" : "=&r"(r), "=r"(f) : "r"(a), "r"(b) : "cc");      \
    return (f & 0xf0000000u) | (r & 0xfffffff); }                                                                  \
  __attribute__((target(ISA), noinline)) static uint32_t subs_##SFX(uint32_t a, uint32_t b) {                   \
    uint32_t r, f; __asm__("subs %0, %2, %3\n\tmrs %1, apsr" : "=&r"(r), "=r"(f) : "r"(a), "r"(b) : "cc");      \
    return (f & 0xf0000000u) | (r & 0xfffffff); }                                                                  \
  /* carry in set by comparing b with itself (cmp sets C when no borrow) */                                     \
  __attribute__((target(ISA), noinline)) static uint32_t adcs_##SFX(uint32_t a, uint32_t b) {                   \
    uint32_t r, f; __asm__("cmp %3, %3\n\tadcs %0, %2, %3\n\tmrs %1, apsr"                                      \
                           : "=&r"(r), "=r"(f) : "r"(a), "r"(b) : "cc");                                          \
    return (f & 0xf0000000u) | (r & 0xfffffff); }                                                                  \
  /* Q is sticky: clear it first (msr APSR_nzcvq), then report it with the result */                            \
  __attribute__((target(ISA), noinline)) static uint32_t qadd_##SFX(uint32_t a, uint32_t b) {                   \
    uint32_t r, f, z = 0; __asm__("msr APSR_nzcvq, %4\n\tqadd %0, %2, %3\n\tmrs %1, apsr"                        \
                                  : "=&r"(r), "=&r"(f) : "r"(a), "r"(b), "r"(z) : "cc");                         \
    return r ^ (NZCVQ(f) & 1); }                                                                                  \
  __attribute__((target(ISA), noinline)) static uint32_t qsub_##SFX(uint32_t a, uint32_t b) {                   \
    uint32_t r, f, z = 0; __asm__("msr APSR_nzcvq, %4\n\tqsub %0, %2, %3\n\tmrs %1, apsr"                        \
                                  : "=&r"(r), "=&r"(f) : "r"(a), "r"(b), "r"(z) : "cc");                         \
    return r ^ (NZCVQ(f) & 1); }                                                                                  \
  __attribute__((target(ISA), noinline)) static uint32_t ssat8_##SFX(uint32_t a) {                              \
    uint32_t r, f, z = 0; __asm__("msr APSR_nzcvq, %3\n\tssat %0, #8, %2\n\tmrs %1, apsr"                        \
                                  : "=&r"(r), "=&r"(f) : "r"(a), "r"(z) : "cc");                                  \
    return r << 1 | (NZCVQ(f) & 1); }                                                                             \
  __attribute__((target(ISA), noinline)) static uint32_t usat8_##SFX(uint32_t a) {                              \
    uint32_t r, f, z = 0; __asm__("msr APSR_nzcvq, %3\n\tusat %0, #8, %2, asr #4\n\tmrs %1, apsr"                \
                                  : "=&r"(r), "=&r"(f) : "r"(a), "r"(z) : "cc");                                  \
    return r << 1 | (NZCVQ(f) & 1); }                                                                             \
  __attribute__((target(ISA), noinline)) static uint32_t clz_##SFX(uint32_t a) {                                \
    uint32_t r; __asm__("clz %0, %1" : "=r"(r) : "r"(a)); return r; }                                           \
  __attribute__((target(ISA), noinline)) static uint32_t rbit_##SFX(uint32_t a) {                               \
    uint32_t r; __asm__("rbit %0, %1" : "=r"(r) : "r"(a)); return r; }                                          \
  __attribute__((target(ISA), noinline)) static uint32_t rev_##SFX(uint32_t a) {                                \
    uint32_t r; __asm__("rev %0, %1" : "=r"(r) : "r"(a)); return r; }                                           \
  __attribute__((target(ISA), noinline)) static uint32_t rev16_##SFX(uint32_t a) {                              \
    uint32_t r; __asm__("rev16 %0, %1" : "=r"(r) : "r"(a)); return r; }                                         \
  __attribute__((target(ISA), noinline)) static uint32_t revsh_##SFX(uint32_t a) {                              \
    uint32_t r; __asm__("revsh %0, %1" : "=r"(r) : "r"(a)); return r; }                                         \
  __attribute__((target(ISA), noinline)) static uint32_t ubfx_##SFX(uint32_t a) {                               \
    uint32_t r; __asm__("ubfx %0, %1, #7, #13" : "=r"(r) : "r"(a)); return r; }                                 \
  __attribute__((target(ISA), noinline)) static uint32_t sbfx_##SFX(uint32_t a) {                               \
    uint32_t r; __asm__("sbfx %0, %1, #7, #13" : "=r"(r) : "r"(a)); return r; }                                 \
  __attribute__((target(ISA), noinline)) static uint32_t bfi_##SFX(uint32_t a, uint32_t b) {                    \
    __asm__("bfi %0, %1, #5, #11" : "+r"(a) : "r"(b)); return a; }                                              \
  __attribute__((target(ISA), noinline)) static uint32_t smmul_##SFX(uint32_t a, uint32_t b) {                  \
    uint32_t r; __asm__("smmul %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }                             \
  __attribute__((target(ISA), noinline)) static uint32_t smulbt_##SFX(uint32_t a, uint32_t b) {                 \
    uint32_t r; __asm__("smulbt %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }                            \
  __attribute__((target(ISA), noinline)) static uint64_t umull_##SFX(uint32_t a, uint32_t b) {                  \
    uint32_t lo, hi; __asm__("umull %0, %1, %2, %3" : "=&r"(lo), "=&r"(hi) : "r"(a), "r"(b));                   \
    return (uint64_t)hi << 32 | lo; }                                                                             \
  __attribute__((target(ISA), noinline)) static uint64_t smull_##SFX(uint32_t a, uint32_t b) {                  \
    uint32_t lo, hi; __asm__("smull %0, %1, %2, %3" : "=&r"(lo), "=&r"(hi) : "r"(a), "r"(b));                   \
    return (uint64_t)hi << 32 | lo; }                                                                             \
  /* umaal adds both accumulators: a*b + a + b never overflows 64 bits */                                        \
  __attribute__((target(ISA), noinline)) static uint64_t umaal_##SFX(uint32_t a, uint32_t b) {                  \
    uint32_t lo = a, hi = b; __asm__("umaal %0, %1, %2, %3" : "+&r"(lo), "+&r"(hi) : "r"(a), "r"(b));           \
    return (uint64_t)hi << 32 | lo; }                                                                             \
  static const struct ops ops_##SFX = {sdiv_##SFX, udiv_##SFX, lsl_##SFX, lsr_##SFX, asr_##SFX, ror_##SFX,     \
                                       adds_##SFX, subs_##SFX, adcs_##SFX, qadd_##SFX, qsub_##SFX, ssat8_##SFX,  \
                                       usat8_##SFX, clz_##SFX, rbit_##SFX, rev_##SFX, rev16_##SFX, revsh_##SFX,  \
                                       ubfx_##SFX, sbfx_##SFX, bfi_##SFX, smmul_##SFX, smulbt_##SFX,             \
                                       umull_##SFX, smull_##SFX, umaal_##SFX};

HELPERS("thumb", thumb)
HELPERS("arm", arm)

static volatile uint32_t v32[] = {0, 1, 0xffffffffu, 7, 0xfffffff9u, 0x7fffffffu, 0x80000000u, 0x12345678u, 0xaaaaaaaau};
static volatile uint32_t shifts[] = {0, 1, 4, 31, 32, 33, 255, 256, 0xffffff01u};
static volatile int64_t v64[] = {1, -1, 7, -7, INT64_MAX, INT64_MIN, 0x123456789abcdefLL, -0x5555555555555556LL};

static void run(const char *isa, const struct ops *o) {
  int n = sizeof v32 / sizeof v32[0], ns = sizeof shifts / sizeof shifts[0];
  printf("== %s\n", isa);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      uint32_t a = v32[i], b = v32[j];
      printf("%08" PRIx32 " %08" PRIx32 ": sdiv %" PRId32 " udiv %" PRIu32 " adds %08" PRIx32 " subs %08" PRIx32
             " adcs %08" PRIx32 " qadd %08" PRIx32 " qsub %08" PRIx32 " smmul %08" PRIx32 " smulbt %08" PRIx32
             " umull %016" PRIx64 " smull %016" PRIx64 " umaal %016" PRIx64 " bfi %08" PRIx32 "\n",
             a, b, o->sdiv((int32_t)a, (int32_t)b), o->udiv(a, b), o->adds_nzcv(a, b), o->subs_nzcv(a, b),
             o->adcs_nzcv(a, b), o->qadd(a, b), o->qsub(a, b), o->smmul(a, b), o->smulbt(a, b), o->umull(a, b),
             o->smull(a, b), o->umaal(a, b), o->bfi(a, b));
    }
  for (int i = 0; i < n; i++) {
    uint32_t a = v32[i];
    printf("%08" PRIx32 ":", a);
    for (int s = 0; s < ns; s++)
      printf(" <<%" PRIu32 " %" PRIx32 " %" PRIx32 " %" PRIx32 " %" PRIx32, shifts[s], o->lsl(a, shifts[s]),
             o->lsr(a, shifts[s]), o->asr(a, shifts[s]), o->ror(a, shifts[s]));
    printf("\n  clz %" PRIu32 " rbit %08" PRIx32 " rev %08" PRIx32 " rev16 %08" PRIx32 " revsh %08" PRIx32
           " ubfx %" PRIx32 " sbfx %08" PRIx32 " ssat %08" PRIx32 " usat %08" PRIx32 "\n",
           o->clz(a), o->rbit(a), o->rev(a), o->rev16(a), o->revsh(a), o->ubfx(a), o->sbfx(a), o->ssat8(a), o->usat8(a));
  }
}

int main(void) {
  run("thumb", &ops_thumb);
  run("arm", &ops_arm);
  /* 64-bit arithmetic through the EABI run-time helpers (__aeabi_ldivmod, __aeabi_uldivmod,
     __aeabi_llsl...) and adds/adc pairs; divisors are non-zero (that is undefined in C). */
  int n64 = sizeof v64 / sizeof v64[0];
  for (int i = 0; i < n64; i++)
    for (int j = 0; j < n64; j++) {
      int64_t a = v64[i], b = v64[j];
      int64_t q = (a == INT64_MIN && b == -1) ? a : a / b, r = (a == INT64_MIN && b == -1) ? 0 : a % b;
      printf("64 %" PRId64 " %" PRId64 ": div %" PRId64 " rem %" PRId64 " divu %" PRIu64 " remu %" PRIu64
             " mul %" PRId64 " add %" PRId64 "\n", a, b, q, r, (uint64_t)a / (uint64_t)b, (uint64_t)a % (uint64_t)b,
             (int64_t)((uint64_t)a * (uint64_t)b), (int64_t)((uint64_t)a + (uint64_t)b));
    }
  for (int i = 0; i < n64; i++) {
    uint64_t x = (uint64_t)v64[i];
    volatile int s1 = 1, s31 = 31, s32 = 32, s63 = 63;
    printf("shift %016" PRIx64 ": %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " sra %" PRIx64 " %" PRIx64
           " popcount %d clz %d ctz %d bswap %016" PRIx64 "\n",
           x, x << s1, x << s63, x >> s32, x >> s31, (uint64_t)((int64_t)x >> s63), (uint64_t)((int64_t)x >> s31),
           __builtin_popcountll(x), __builtin_clzll(x), __builtin_ctzll(x), __builtin_bswap64(x));
    int64_t r;
    int ov = __builtin_add_overflow((int64_t)x, INT64_MAX, &r);
    int ov2 = __builtin_mul_overflow((int64_t)x, (int64_t)3, &r);
    int32_t r32;
    int ov3 = __builtin_sub_overflow((int32_t)x, INT32_MIN, &r32);
    printf("  overflow add %d mul %d sub32 %d (%" PRId32 ")\n", ov, ov2, ov3, r32);
  }
  volatile uint64_t big = 0xfedcba9876543210ULL;
  printf("ext %d %u %d %u %" PRId32 " %" PRIu32 "\n", (int8_t)big, (uint8_t)big, (int16_t)(big >> 8),
         (uint16_t)(big >> 8), (int32_t)(big >> 32), (uint32_t)(big >> 16));
  return 0;
}
