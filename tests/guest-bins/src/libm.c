/* libm results printed with %.17g: glibc's implementations are correctly rounded or fixed
   algorithms, so any difference points at an fp instruction or rounding bug. */
#include <math.h>
#include <stdio.h>

static const double xs[] = {0.0, -0.0, 1e-10, 0.5, 1.0, -1.0, 2.0, 3.0, 10.0, -7.5, 100.25, 1e6, 1e-300, 710.0, -745.0, 0.7853981633974483};

int main(void) {
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    double x = xs[i];
    printf("x=%.17g\n", x);
    printf("  sin %.17g cos %.17g tan %.17g\n", sin(x), cos(x), tan(x));
    printf("  exp %.17g log %.17g log2 %.17g log10 %.17g\n", exp(x), log(x), log2(x), log10(x));
    printf("  sqrt %.17g cbrt %.17g atan %.17g asinh %.17g\n", sqrt(x), cbrt(x), atan(x), asinh(x));
    printf("  pow(x,1.5) %.17g pow(2,x) %.17g hypot %.17g atan2 %.17g\n", pow(x, 1.5), pow(2.0, x), hypot(x, 3.0), atan2(x, -2.0));
    printf("  floor %.17g ceil %.17g round %.17g trunc %.17g rint %.17g nearbyint %.17g\n",
           floor(x), ceil(x), round(x), trunc(x), rint(x), nearbyint(x));
    printf("  fma %.17g fmod %.17g remainder %.17g\n", fma(x, 1.0 / 3.0, -x / 3.0), fmod(x, 0.75), remainder(x, 0.75));
    float f = (float)x;
    printf("  f: sinf %.9g expf %.9g sqrtf %.9g floorf %.9g roundf %.9g fmaf %.9g\n",
           sinf(f), expf(f), sqrtf(f), floorf(f), roundf(f), fmaf(f, 3.0f, 0.1f));
    int e;
    double m = frexp(x, &e);
    printf("  frexp %.17g %d ldexp %.17g lround %ld llrint %lld\n", m, e, ldexp(x, 3), lround(x), llrint(x));
  }
  printf("fmin %g fmax %g fmin(nan,1) %g copysign %g nextafter %a\n",
         fmin(-0.0, 0.0), fmax(-0.0, 0.0), fmin(NAN, 1.0), copysign(3.0, -0.0), nextafter(1.0, 2.0));
  printf("isnan %d isinf %d signbit %d fpclassify %d %d %d\n",
         isnan(sqrt(-1.0)), isinf(exp(1000.0)), signbit(-0.0), fpclassify(1e-310), fpclassify(0.0), fpclassify(1.0));
  return 0;
}
