/* Struct copies and passing by value (in registers, split, and by reference per the
   LP64D calling convention), struct returns, and variadic functions with mixed types. */
#include <stdarg.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct small { int32_t a; int8_t b; };
struct pair { double x; double y; };
struct mixed { float f; int64_t i; };
struct big { char name[40]; int64_t v[6]; double d; };

static struct small make_small(int a, int b) { return (struct small){a, (int8_t)b}; }
static struct pair add_pair(struct pair p, struct pair q) { return (struct pair){p.x + q.x, p.y + q.y}; }
static struct mixed twice(struct mixed m) { m.f *= 2; m.i *= 2; return m; }
static struct big bump(struct big b, int by) {
  for (int i = 0; i < 6; i++) b.v[i] += by;
  b.d /= by;
  b.name[0] = 'B';
  return b;
}

static double sum_mixed(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  double total = 0;
  for (const char *p = fmt; *p; p++) {
    switch (*p) {
      case 'i': total += va_arg(ap, int); break;
      case 'l': total += (double)va_arg(ap, long long); break;
      case 'd': total += va_arg(ap, double); break;
      case 's': total += strlen(va_arg(ap, const char *)); break;
      case 'p': { struct pair q = va_arg(ap, struct pair); total += q.x * q.y; break; }
    }
  }
  va_end(ap);
  return total;
}

static int vformat(char *out, size_t n, const char *fmt, ...) {
  va_list ap, copy;
  va_start(ap, fmt);
  va_copy(copy, ap);
  int len = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  vsnprintf(out, n, fmt, ap);
  va_end(ap);
  return len;
}

int main(void) {
  struct small s = make_small(-5, 300);
  printf("small %d %d\n", s.a, s.b);
  struct pair p = add_pair((struct pair){1.5, -2.25}, (struct pair){0.25, 10});
  printf("pair %g %g\n", p.x, p.y);
  struct mixed m = twice((struct mixed){1.25f, -7});
  printf("mixed %g %ld\n", m.f, (long)m.i);
  struct big b = {"original", {1, 2, 3, 4, 5, 6}, 9.0};
  struct big c = bump(b, 3);
  printf("big orig %s %ld %g | copy %s %ld %ld %g\n", b.name, (long)b.v[5], b.d, c.name, (long)c.v[0], (long)c.v[5], c.d);
  struct big arr[4];
  for (int i = 0; i < 4; i++) { arr[i] = c; arr[i].v[0] = i; }
  struct big tmp = arr[0]; arr[0] = arr[3]; arr[3] = tmp;
  printf("array swap %ld %ld equal-tail %d\n", (long)arr[0].v[0], (long)arr[3].v[0], memcmp(&arr[1].v[1], &arr[2].v[1], 40) == 0);
  printf("varargs %.17g\n", sum_mixed("ildsp", 1, 2LL << 40, 0.5, "hello", (struct pair){3, 4}));
  printf("varargs many %.17g\n", sum_mixed("iiiiiiiiidddddddddd", 1, 2, 3, 4, 5, 6, 7, 8, 9, .1, .2, .3, .4, .5, .6, .7, .8, .9, 1.0));
  char out[16];
  int len = vformat(out, sizeof out, "%s-%d-%x-%c", "truncated string", 42, 255, 'z');
  printf("vformat len %d out '%s'\n", len, out);
  union { double d; uint64_t u; struct { uint32_t lo, hi; } w; } u = {.d = -1.5};
  printf("union %016" PRIx64 " hi %08x lo %08x\n", u.u, u.w.hi, u.w.lo);
  struct __attribute__((packed)) { char c; int32_t i; int64_t l; } pk = {'x', 0x11223344, -2};
  printf("packed size %zu i %x l %" PRId64 "\n", sizeof pk, pk.i, pk.l);
  struct { unsigned a : 3, b : 7; signed c : 5; } bits = {5, 100, -3};
  bits.a += 4;
  printf("bitfields %u %u %d\n", bits.a, bits.b, bits.c);
  return 0;
}
