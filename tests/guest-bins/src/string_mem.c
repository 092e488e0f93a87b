/* glibc's string and memory routines over many sizes and alignments, checked against
   byte-by-byte reference loops; prints a checksum of everything it saw. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 512
static unsigned char src[N + 64], dst[N + 64], ref[N + 64];
static uint32_t sum = 2166136261u;

static void mix(uint32_t v) { sum = (sum ^ v) * 16777619u; }

static void fill(unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) { seed = seed * 1103515245u + 12345u; p[i] = (unsigned char)(seed >> 16); }
}

static int errors;
static void check(int ok, const char *what, size_t a, size_t b, size_t n) {
  if (!ok && errors++ < 10) printf("FAIL %s align %zu/%zu size %zu\n", what, a, b, n);
}

int main(void) {
  static const size_t sizes[] = {0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 256, 300, 447};
  for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
    size_t n = sizes[si];
    for (size_t a = 0; a < 8; a++) {
      for (size_t b = 0; b < 8; b += 3) {
        fill(src, sizeof src, (unsigned)(n * 31 + a));
        fill(dst, sizeof dst, 7);
        memcpy(ref, dst, sizeof dst);
        for (size_t i = 0; i < n; i++) ref[b + i] = src[a + i];
        memcpy(dst + b, src + a, n);
        check(memcmp(dst, ref, sizeof dst) == 0, "memcpy", a, b, n);
        /* overlapping moves, both directions */
        memcpy(ref, dst, sizeof dst);
        unsigned char tmp[N + 64];
        for (size_t i = 0; i < n; i++) tmp[i] = ref[a + i];
        for (size_t i = 0; i < n; i++) ref[b + 5 + i] = tmp[i];
        memmove(dst + b + 5, dst + a, n);
        check(memcmp(dst, ref, sizeof dst) == 0, "memmove", a, b, n);
        memset(dst + a, (int)(n & 0xff), n);
        for (size_t i = 0; i < n; i++) ref[a + i] = (unsigned char)n;
        for (size_t i = 0; i < n; i++) if (dst[a + i] != ref[a + i]) { check(0, "memset", a, b, n); break; }
        /* strings: fill non-zero then terminate */
        char s1[N + 64], s2[N + 64];
        for (size_t i = 0; i < n; i++) { s1[a + i] = (char)('a' + (i * 7 + a) % 26); s2[b + i] = s1[a + i]; }
        s1[a + n] = 0; s2[b + n] = 0;
        check(strlen(s1 + a) == n, "strlen", a, b, n);
        check(strcmp(s1 + a, s2 + b) == 0, "strcmp-eq", a, b, n);
        if (n > 0) {
          s2[b + n - 1] = 'z' + 1;
          check(strcmp(s1 + a, s2 + b) < 0, "strcmp-lt", a, b, n);
          check(strncmp(s1 + a, s2 + b, n - 1) == 0, "strncmp", a, b, n);
          check(memcmp(s1 + a, s2 + b, n) < 0, "memcmp-lt", a, b, n);
          s2[b + n - 1] = s1[a + n - 1];
          char *c = memchr(s1 + a, s1[a + n - 1], n);
          check(c != NULL && *c == s1[a + n - 1], "memchr", a, b, n);
          char *r = strrchr(s1 + a, s1[a + n / 2]);
          check(r != NULL && r >= s1 + a + n / 2, "strrchr", a, b, n);
        }
        char cat[2 * N + 8];
        strcpy(cat, s1 + a);
        strcat(cat, s2 + b);
        check(strlen(cat) == 2 * n, "strcat", a, b, n);
        mix((uint32_t)strlen(cat));
        for (size_t i = 0; i < sizeof dst; i++) mix(dst[i]);
      }
    }
  }
  const char *hay = "the quick brown fox jumps over the lazy dog; the end";
  const char *needles[] = {"the", "fox", "dog;", "end", "cat", "", "lazy dog; the end", "quick brown fox jumps over"};
  for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
    const char *p = strstr(hay, needles[i]);
    printf("strstr(\"%s\") = %ld\n", needles[i], p ? (long)(p - hay) : -1L);
  }
  printf("strspn %zu strcspn %zu strpbrk %s\n", strspn(hay, "the qui"), strcspn(hay, ";"), strpbrk(hay, "xyz"));
  char buf[64];
  strncpy(buf, "abcdef", sizeof buf);
  printf("strncpy %s strndup-like %.*s\n", buf, 3, hay + 4);
  char tok[] = "a,b,,c;d";
  char *save;
  for (char *t = strtok_r(tok, ",;", &save); t; t = strtok_r(NULL, ",;", &save)) printf("[%s]", t);
  printf("\nerrors %d checksum %08x\n", errors, sum);
  return 0;
}
