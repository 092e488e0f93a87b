/* Reads stdin to the end (fed from NAME.stdin) and reports counts and a checksum, like wc. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>

int main(void) {
  long lines = 0, words = 0, bytes = 0;
  int in_word = 0, c;
  uint32_t h = 5381;
  char longest[128] = "", cur[128];
  int curlen = 0, bestlen = 0;
  while ((c = getchar()) != EOF) {
    bytes++;
    h = h * 33 + (uint32_t)c;
    if (c == '\n') lines++;
    if (isspace(c)) {
      if (in_word && curlen > bestlen) { cur[curlen] = 0; bestlen = curlen; for (int i = 0; i <= curlen; i++) longest[i] = cur[i]; }
      in_word = 0;
      curlen = 0;
    } else {
      if (!in_word) words++;
      in_word = 1;
      if (curlen < 127) cur[curlen++] = (char)c;
    }
  }
  printf("%ld lines %ld words %ld bytes hash %08x longest '%s'\n", lines, words, bytes, h, longest);
  return 0;
}
