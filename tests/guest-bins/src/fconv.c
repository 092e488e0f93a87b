/* Float/double conversions, saturating float-to-int (RISC-V fcvt semantics), subnormals,
   and NaN payloads: arithmetic returns the canonical NaN, sign injection keeps the bits. */
#include <float.h>
#include <math.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static double dfrom(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static float ffrom(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

static volatile double dv[] = {0.0, -0.0, 0.49999999999999994, 0.5, 1.5, -1.5, 2147483647.5, 2147483648.0, -2147483649.0,
                               4294967296.0, 9.2233720368547758e18, -9.2233720368547758e18, 1.8446744073709552e19,
                               1e30, -1e30, INFINITY, -INFINITY, NAN, -NAN, 4.9406564584124654e-324};

int main(void) {
  for (size_t i = 0; i < sizeof dv / sizeof dv[0]; i++) {
    double d = dv[i];
    float f = (float)d;
    /* Out-of-range conversions are undefined in C but compile to fcvt, which saturates. */
    printf("%-24.17g i32 %d u32 %u i64 %" PRId64 " u64 %" PRIu64 " | f %a i32 %d u64 %" PRIu64 "\n", d, (int32_t)d, (uint32_t)d,
           (int64_t)d, (uint64_t)d, (double)f, (int32_t)f, (uint64_t)f);
  }
  static const int64_t is[] = {0, 1, -1, 9007199254740993LL, -9007199254740993LL, INT64_MAX, INT64_MIN, 16777217, 0x7fffffbfLL};
  for (size_t i = 0; i < sizeof is / sizeof is[0]; i++) {
    volatile int64_t v = is[i];
    volatile uint64_t u = (uint64_t)is[i];
    volatile int32_t w = (int32_t)is[i];
    printf("int %" PRId64 " -> d %a f %a | u %" PRIu64 " -> d %a f %a | w %d -> f %a d %a\n", (int64_t)v, (double)v, (double)(float)v,
           (uint64_t)u, (double)u, (double)(float)u, (int)w, (double)(float)w, (double)w);
  }
  /* subnormals */
  volatile double tiny = DBL_MIN;
  volatile float ftiny = FLT_MIN;
  double sub = tiny / 1024.0;
  float fsub = ftiny / 1024.0f;
  printf("subnormal d %a bits %016" PRIx64 " *1024 %a classify %d\n", sub, dbits(sub), sub * 1024.0, fpclassify(sub));
  printf("subnormal f %a bits %08x *1024 %a classify %d\n", (double)fsub, fbits(fsub), (double)(fsub * 1024.0f), fpclassify(fsub));
  printf("true min %a /2 %a halfway %a\n", DBL_TRUE_MIN, DBL_TRUE_MIN / 2, 3 * DBL_TRUE_MIN / 2);
  printf("(float) of double subnormal %a, (double) of float subnormal %a\n", (double)(float)sub, (double)fsub);
  /* NaN payloads */
  volatile double pn = dfrom(0x7ff8000000012345ULL), sn = dfrom(0x7ff0000000000abcULL);
  volatile float pfn = ffrom(0x7fc01234u), sfn = ffrom(0x7f800123u);
  double r;
  r = pn + 1.0;          printf("qnan+1 %016" PRIx64 "\n", dbits(r));
  r = sn * 2.0;          printf("snan*2 %016" PRIx64 "\n", dbits(r));
  r = -pn;               printf("-qnan %016" PRIx64 "\n", dbits(r));
  r = fabs(dfrom(0xfff8000000000777ULL)); printf("fabs %016" PRIx64 "\n", dbits(r));
  r = copysign(pn, -1.0); printf("copysign %016" PRIx64 "\n", dbits(r));
  r = (double)pfn;       printf("(double)qnanf %016" PRIx64 "\n", dbits(r));
  float fr = (float)pn;  printf("(float)qnan %08x\n", fbits(fr));
  fr = sfn + 1.0f;       printf("snanf+1 %08x\n", fbits(fr));
  fr = -pfn;             printf("-qnanf %08x\n", fbits(fr));
  r = fmin(sn, 1.0);     printf("fmin(snan,1) %.17g\n", r);
  r = fmax(pn, pn);      printf("fmax(qnan,qnan) %016" PRIx64 "\n", dbits(r));
  r = sqrt(-1.0 * (double)pfn); printf("sqrt(nan) %016" PRIx64 "\n", dbits(r));
  r = 0.0 / (volatile double){0.0}; printf("0/0 %016" PRIx64 "\n", dbits(r));
  printf("-0.0 == 0.0 %d, nan != nan %d\n", -0.0 == 0.0, pn != pn);
  return 0;
}
