/* Accrued exception flags (fflags): each operation's flags are cleared, raised by one
   operation and read back with fetestexcept for every flag. */
#include <fenv.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>

static volatile double d0 = 0.0, d1 = 1.0, d3 = 3.0, dmax = DBL_MAX, dmin = DBL_MIN, dneg = -1.0, dnan = NAN, dbig = 1e30;
static volatile float f0 = 0.0f, f1 = 1.0f, f3 = 3.0f, fmaxv = FLT_MAX, fminv = FLT_MIN;
static volatile double sink;
static volatile long lsink;

static void show(const char *what) {
  int f = fetestexcept(FE_ALL_EXCEPT);
  printf("%-22s inexact=%d divbyzero=%d overflow=%d underflow=%d invalid=%d\n", what,
         !!(f & FE_INEXACT), !!(f & FE_DIVBYZERO), !!(f & FE_OVERFLOW), !!(f & FE_UNDERFLOW), !!(f & FE_INVALID));
}

#define CASE(label, expr) do { feclearexcept(FE_ALL_EXCEPT); expr; show(label); } while (0)

int main(void) {
  CASE("none", (void)0);
  CASE("1+1 exact", sink = d1 + d1);
  CASE("1/3", sink = d1 / d3);
  CASE("1/0", sink = d1 / d0);
  CASE("-1/0", sink = dneg / d0);
  CASE("max*2", sink = dmax * 2.0);
  CASE("min/3", sink = dmin / d3);
  CASE("min/2 exact", sink = dmin / 2.0);
  CASE("0/0", sink = d0 / d0);
  CASE("sqrt(-1)", sink = sqrt(dneg));
  CASE("nan+1 quiet", sink = dnan + d1);
  CASE("nan<1", lsink = dnan < d1);
  CASE("nan==1", lsink = dnan == d1);
  CASE("(long)1e30", lsink = (long)dbig);
  CASE("(int)1e30", lsink = (int)dbig);
  CASE("(int)nan", lsink = (int)dnan);
  CASE("(unsigned)-1.0", lsink = (unsigned)dneg);
  CASE("(long)1.5", lsink = (long)(d3 / 2.0));
  CASE("f 1/3", sink = f1 / f3);
  CASE("f 1/0", sink = f1 / f0);
  CASE("f max*2", sink = fmaxv * 2.0f);
  CASE("f min/3", sink = fminv / f3);
  CASE("f 0/0", sink = f0 / f0);
  CASE("(float)1/3", sink = (float)(d1 / d3));
  CASE("(float)dmax", sink = (float)dmax);
  CASE("fma inexact", sink = fma(d1 / d3, d3, d1));
  CASE("raise all", feraiseexcept(FE_ALL_EXCEPT));
  feclearexcept(FE_ALL_EXCEPT);
  feraiseexcept(FE_OVERFLOW | FE_INEXACT);
  fexcept_t saved;
  fegetexceptflag(&saved, FE_ALL_EXCEPT);
  feclearexcept(FE_ALL_EXCEPT);
  show("cleared");
  fesetexceptflag(&saved, FE_ALL_EXCEPT);
  show("restored");
  fenv_t env;
  feholdexcept(&env);
  sink = d1 / d0;
  show("held 1/0");
  feupdateenv(&env);
  show("updated");
  return 0;
}
