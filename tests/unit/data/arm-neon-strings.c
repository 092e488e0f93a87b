// glibc's string functions on random lengths and alignments: with AT_HWCAP's NEON bit a static
// armhf glibc runs __memcpy_neon (memcpy, memmove) and __memchr_neon; the others are shared with
// the non-NEON build. Run under qemu-arm and tsemu-arm, the outputs must agree.
#include <stdio.h>
#include <string.h>
#include <stdint.h>
static uint32_t seed = 99;
static uint32_t rnd(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }
static char a[4096], b[4096];
int main(void) {
  uint32_t h = 0;
  for (int it = 0; it < 3000; it++) {
    int len = rnd() % (it < 2000 ? 200 : 3000), sa = rnd() % 32, sb = rnd() % 32;
    for (int i = 0; i < 4096; i++) a[i] = 1 + rnd() % 50;
    a[sa + len] = 0;
    memcpy(b + sb, a + sa, len + 1); h = h * 31 + (uint32_t)b[sb + len / 2];
    memmove(b + sb + 3, b + sb, len); h = h * 31 + (uint8_t)b[sb + len];
    memset(b + sb, (int)(rnd() & 0xff), len); h = h * 31 + (uint8_t)b[sb + len - 1 + (len == 0)];
    h = h * 31 + strlen(a + sa);
    char *p = memchr(a + sa, 1 + rnd() % 50, len); h = h * 31 + (p ? p - a : -1);
    p = strchr(a + sa, 1 + rnd() % 60); h = h * 31 + (p ? p - a : -1);
    strcpy(b + sb, a + sa); if (len && rnd() & 1) b[sb + rnd() % len] ^= 1;
    h = h * 31 + (strcmp(a + sa, b + sb) > 0) - (strcmp(a + sa, b + sb) < 0);
    h = h * 31 + (memcmp(a + sa, b + sb, len) > 0);
    p = memrchr(a + sa, 7, len); h = h * 31 + (p ? p - a : -1);
    if (it % 500 == 0) printf("%d %08x\n", it, h);
  }
  printf("%08x\n", h);
  return 0;
}
