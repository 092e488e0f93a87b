/* A compression-like byte loop: LZ77-style greedy matching with a hash table over a
   generated text, counting literals and matches, then a decoder that rebuilds the text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 1 << 20, HBITS = 14, MINMATCH = 4, ROUNDS = 200 };

int main(void) {
  static const char *words[] = {"tiny ", "emulator ", "guest ", "block ", "translate ", "the ", "of ", "wasm ", "\n", "register "};
  unsigned char *text = malloc(N), *out = malloc(N + 16);
  uint32_t *token = malloc(sizeof(uint32_t) * N);
  int32_t *table = malloc(sizeof(int32_t) << HBITS);
  uint32_t s = 1;
  size_t len = 0;
  while (len < N - 16) {
    s = s * 1103515245u + 12345u;
    const char *w = words[(s >> 16) % 10];
    size_t wl = strlen(w);
    memcpy(text + len, w, wl);
    len += wl;
    if ((s >> 8) % 13 == 0) text[len++] = (unsigned char)('A' + (s >> 20) % 26);
  }
  uint64_t check = 0;
  for (int r = 0; r < ROUNDS; r++) {
    memset(table, 0xff, sizeof(int32_t) << HBITS);
    size_t ntok = 0, literals = 0, matches = 0, i = 0;
    while (i + MINMATCH <= len) {
      uint32_t v;
      memcpy(&v, text + i, 4);
      uint32_t h = (v * 2654435761u) >> (32 - HBITS);
      int32_t cand = table[h];
      table[h] = (int32_t)i;
      size_t m = 0;
      if (cand >= 0 && i - (size_t)cand < 65536)
        while (i + m < len && m < 255 && text[cand + m] == text[i + m]) m++;
      if (m >= MINMATCH) { token[ntok++] = 0x80000000u | (uint32_t)(i - (size_t)cand) << 8 | (uint32_t)m; i += m; matches++; }
      else { token[ntok++] = text[i++]; literals++; }
    }
    while (i < len) { token[ntok++] = text[i++]; literals++; }
    size_t o = 0;
    for (size_t t = 0; t < ntok; t++) {
      uint32_t k = token[t];
      if (k & 0x80000000u) {
        size_t dist = (k >> 8) & 0x7fffff, m = k & 0xff;
        for (size_t q = 0; q < m; q++, o++) out[o] = out[o - dist];
      } else out[o++] = (unsigned char)k;
    }
    check = check * 1000003 + literals * 7 + matches + (o == len && memcmp(out, text, len) == 0);
    text[(r * 7919) % len] ^= 0x20;
  }
  printf("lz %llu\n", (unsigned long long)check);
  return 0;
}
