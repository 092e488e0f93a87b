/* snprintf corner cases: truncation and return values, zero size, widths and precisions
   from arguments, flags, integer lengths, %n, positional arguments, strings and chars. */
#include <limits.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Truncation is what this program tests. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static void show(const char *label, int ret, const char *buf) { printf("%-14s ret %3d [%s]\n", label, ret, buf); }

int main(void) {
  char b[32];
  int r;
  r = snprintf(b, sizeof b, "%s", "fits"); show("fits", r, b);
  r = snprintf(b, 8, "%s", "this is far too long"); show("truncated", r, b);
  r = snprintf(NULL, 0, "%d-%s", 12345, "abc"); printf("size only     ret %d\n", r);
  r = snprintf(b, 1, "xyz"); show("size 1", r, b);
  r = snprintf(b, sizeof b, "%*d|%-*d|", 6, 42, 6, 42); show("star width", r, b);
  r = snprintf(b, sizeof b, "%.*f|%.*s|", 3, 3.14159, 2, "abcdef"); show("star prec", r, b);
  r = snprintf(b, sizeof b, "%+d % d %05d %-5d|", 7, 7, -7, -7); show("flags", r, b);
  r = snprintf(b, sizeof b, "%#x %#o %#X %x", 255, 8, 0xabc, 0); show("alt", r, b);
  r = snprintf(b, sizeof b, "%hhd %hd %hhu %hu", 300, 70000, -1, -1); show("short", r, b);
  r = snprintf(b, sizeof b, "%ld %lu", LONG_MIN, ULONG_MAX); show("long", r, b);
  r = snprintf(b, sizeof b, "%lld %jd %zu", LLONG_MAX, (intmax_t)-1, (size_t)-1); show("ll/j/z", r, b);
  r = snprintf(b, sizeof b, "%" PRId64 "", (int64_t)INT64_MIN); show("inttypes", r, b);
  int pos = 0;
  r = snprintf(b, sizeof b, "abc%ndef", &pos); show("%n", r, b); printf("%%n stored %d\n", pos);
  r = snprintf(b, sizeof b, "%2$s %1$s %2$s", "world", "hello"); show("positional", r, b);
  r = snprintf(b, sizeof b, "%c%c%c %5c|%-3c|", 'a', 'b', 'c', 'd', 'e'); show("chars", r, b);
  r = snprintf(b, sizeof b, "%10.3s|%-10s|", "abcdef", "xy"); show("str width", r, b);
  r = snprintf(b, sizeof b, "%%|%%%%|"); show("percent", r, b);
  r = snprintf(b, sizeof b, "%s", ""); show("empty", r, b);
  r = snprintf(b, sizeof b, "%.0e %.0f %.0g %#.0f", 15.0, 2.5, 0.0001, 3.0); show("zero prec", r, b);
  r = snprintf(b, sizeof b, "%08.3f|%-8.2e|", -3.14159, 1234.5); show("fp pad", r, b);
  r = snprintf(b, sizeof b, "%.3a %A", 1.0 / 3, 0.5); show("hex fp", r, b);
  r = snprintf(b, sizeof b, "%p", (void *)0); show("null ptr", r, b);
  char big[300];
  memset(big, 'q', sizeof big - 1);
  big[sizeof big - 1] = 0;
  r = snprintf(b, sizeof b, "%s%s", big, big); printf("long args ret %d len %zu\n", r, strlen(b));
  char wide[512];
  r = snprintf(wide, sizeof wide, "%300d|", 5); printf("wide ret %d tail [%s]\n", r, wide + 295);
  return 0;
}
