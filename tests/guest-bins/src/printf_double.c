/* printf of doubles through glibc's formatting: exercises fp arithmetic, fp<->int moves
   and multi-precision code in glibc's printf_fp over many magnitudes. */
#include <float.h>
#include <math.h>
#include <stdio.h>

static const double values[] = {
  0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, 3.141592653589793, 2.718281828459045,
  1e-300, 1e-100, 1e-20, 1e-5, 123.456, 65536.0, 1e15, 1e16, 1e22, 1e100, 1e300,
  DBL_MAX, DBL_MIN, 4.9406564584124654e-324, 1.0 / 3.0, 2.0 / 3.0, 9.999999999999999e22,
  0.30000000000000004, 1234567890123456789.0, -987654.321,
};

int main(void) {
  int n = sizeof values / sizeof values[0];
  for (int i = 0; i < n; i++) {
    double v = values[i];
    printf("%d: %f | %e | %g | %a\n", i, v, v, v, v);
    printf("   %.0f %.3f %.10e %.17g %.3g %#g %+.2e %12.4f|%-12.4f|\n",
           v, v, v, v, v, v, v, v, v);
  }
  printf("%f %f %f %e %g\n", INFINITY, -INFINITY, NAN, -INFINITY, NAN);
  float f = 16777217.0f;
  printf("float %f %.9g %a\n", f, (double)1.1f, (double)0.1f);
  long double ld = 1.0L / 3.0L; /* long double is binary128 in software on riscv64 */
  printf("long double %.30Lf %La\n", ld, ld);
  double acc = 1.0;
  for (int i = 0; i < 40; i++) {
    acc *= -7.25;
    printf("%.6e ", acc);
    if (i % 5 == 4) printf("\n");
  }
  return 0;
}
