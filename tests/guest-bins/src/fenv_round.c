/* The four C rounding modes (fesetround sets frm; RISC-V dynamic rounding) applied to
   arithmetic, sqrt, fma, conversions and libm rint. */
#include <fenv.h>
#include <math.h>
#include <stdio.h>

static const struct { int mode; const char *name; } modes[] = {
  {FE_TONEAREST, "nearest"}, {FE_UPWARD, "upward"}, {FE_DOWNWARD, "downward"}, {FE_TOWARDZERO, "towardzero"},
};

int main(void) {
  volatile double one = 1.0, three = 3.0, ten = 10.0, big = 0x1p53, neg = -2.5, half = 0.5;
  volatile float fone = 1.0f, fthree = 3.0f;
  volatile long long ll = 0x20000000000001LL; /* 2^53 + 1: not representable in a double */
  for (int m = 0; m < 4; m++) {
    if (fesetround(modes[m].mode) != 0) { printf("fesetround failed\n"); return 1; }
    printf("%s: getround ok %d\n", modes[m].name, fegetround() == modes[m].mode);
    printf("  1/3 %a -1/3 %a 1/3f %a\n", one / three, -one / three, (double)(fone / fthree));
    printf("  sqrt(10) %a sqrtf(3) %a fma %a\n", sqrt(ten), (double)sqrtf(fthree), fma(one / three, three, -one));
    printf("  big+1 %a big-1.5 %a (float)(1/3) %a\n", big + one, big - 1.5 * one, (double)(float)(one / three));
    printf("  rint(-2.5) %g rint(0.5) %g nearbyint(2.5) %g lrint(-2.5) %ld llrint(2.5) %lld\n",
           rint(neg), rint(half), nearbyint(-neg), lrint(neg), llrint(-neg));
    printf("  (double)ll %a (float)ll %a\n", (double)ll, (double)(float)ll);
    printf("  10/3 printed %.20f\n", ten / three);
  }
  fesetround(FE_TONEAREST);
  return 0;
}
