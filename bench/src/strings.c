/* glibc's string functions as the hot path: strlen, strcmp, strcpy, memcpy and strchr over a
   pool of pseudo-random strings of mixed lengths (short ones, as in most programs, and some
   long ones), so that the word-at-a-time library code (on armv7: UADD8 + SEL per word) runs
   for most of the time. Strings are built at run time and the calls go through pointers the
   compiler cannot see into, so none of them is folded away. Prints a checksum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL 256
#define MAXLEN 300

static uint32_t rng = 0x12345678u;
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

static char *pool[POOL];
static size_t lens[POOL];

int main(void) {
  for (int i = 0; i < POOL; i++) {
    /* Three in four short (up to 32 bytes), the rest up to MAXLEN; pairs share prefixes so
       that strcmp reads past the first word. */
    size_t len = (next() & 3) ? next() % 33 : next() % MAXLEN;
    char *s = malloc(MAXLEN + 8);
    for (size_t k = 0; k < len; k++) s[k] = (char)('a' + (i & 1 ? k % 26 : next() % 26));
    s[len] = 0;
    pool[i] = s;
    lens[i] = len;
  }
  static char buf[MAXLEN + 8], copy[MAXLEN + 8];
  uint32_t sum = 0;
  for (int round = 0; round < 9000; round++) {
    for (int i = 0; i < POOL; i++) {
      const char *s = pool[i], *t = pool[(i + round) & (POOL - 1)];
      size_t n = strlen(s);
      strcpy(buf + (round & 3), s); /* also at unaligned destinations */
      int c = strcmp(buf + (round & 3), t);
      const char *p = strchr(s, 'a' + (round % 26));
      memcpy(copy + (i & 3), t, lens[(i + round) & (POOL - 1)] + 1);
      sum = sum * 31 + (uint32_t)n + (uint32_t)(c > 0) - (uint32_t)(c < 0);
      sum += p ? (uint32_t)(p - s) : 7u;
      sum ^= (uint32_t)strlen(copy + (i & 3));
    }
  }
  printf("strings %08x\n", sum);
  return 0;
}
