/* Parsing: sscanf with many conversions, strtod (correct rounding of decimal input, hex
   floats, inf/nan), strtol/strtoul with bases, overflow to ERANGE, atoi. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  int i; unsigned u; long long l; double d; float f; char word[32], rest[32]; char c;
  int n = sscanf("  -42 0x1F 123456789012 3.25e-3 2.5 token ; tail", "%d %x %lld %lf %f %31s %c %31s", &i, &u, &l, &d, &f, word, &c, rest);
  printf("sscanf %d: %d %u %lld %.17g %g %s %c %s\n", n, i, u, l, d, f, word, c, rest);
  int a, b, consumed;
  n = sscanf("12:34:rest", "%d:%d:%n", &a, &b, &consumed);
  printf("sscanf %d: %d %d consumed %d\n", n, a, b, consumed);
  n = sscanf("abc", "%d", &a);
  printf("sscanf no match %d, empty %d\n", n, sscanf("", "%d", &a));
  char set[16];
  n = sscanf("hello123world", "%15[a-z]%d", set, &a);
  printf("scanset %d: %s %d\n", n, set, a);
  static const char *doubles[] = {"0", "-0", "1e308", "1e309", "-1e309", "2.2250738585072011e-308", "4.9e-324", "2e-324",
                                  "0.1", "0.30000000000000004", "123456789012345678901234567890", "0x1.8p3", "0X.1P-2",
                                  "inf", "-Infinity", "nan", "nan(0x123)", "  +7.5xyz", "1.7976931348623157e308",
                                  "9007199254740993", "2.4703282292062328e-324", ".5", "5.", "e5", "1e"};
  for (size_t k = 0; k < sizeof doubles / sizeof doubles[0]; k++) {
    char *end;
    errno = 0;
    double v = strtod(doubles[k], &end);
    printf("strtod(\"%s\") = %.17g %a end+%ld errno %d\n", doubles[k], v, v, (long)(end - doubles[k]), errno);
  }
  printf("strtof(\"0.1\") = %a, strtold(\"0.1\") = %La\n", (double)strtof("0.1", NULL), strtold("0.1", NULL));
  static const struct { const char *s; int base; } longs[] = {
    {"0", 10}, {"-123", 10}, {"0x7fffffffffffffff", 16}, {"0x8000000000000000", 16}, {"-9223372036854775809", 10},
    {"777", 8}, {"0777", 0}, {"0x1A", 0}, {"z", 36}, {"101010", 2}, {"  +12abc", 10}, {"", 10}};
  for (size_t k = 0; k < sizeof longs / sizeof longs[0]; k++) {
    char *end;
    errno = 0;
    long v = strtol(longs[k].s, &end, longs[k].base);
    int e1 = errno;
    errno = 0;
    unsigned long uv = strtoul(longs[k].s, NULL, longs[k].base);
    printf("strtol(\"%s\", %d) = %ld end+%ld errno %d | strtoul %lu errno %d\n", longs[k].s, longs[k].base, v,
           (long)(end - longs[k].s), e1, uv, errno);
  }
  printf("atoi %d atol %ld atof %g strtoll %lld strtoull %llu\n", atoi("  -17x"), atol("99999999999"), atof("1.5e2"),
         strtoll("-0x10", NULL, 16), strtoull("18446744073709551615", NULL, 10));
  return 0;
}
