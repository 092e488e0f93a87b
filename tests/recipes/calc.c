/* calc OP A B EXPECTED: exits 0 when A OP B is EXPECTED, else prints both and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: calc add|mul A B EXPECTED\n");
    return 2;
  }
  long a = atol(argv[2]), b = atol(argv[3]), want = atol(argv[4]);
  long got = strcmp(argv[1], "mul") == 0 ? a * b : a + b;
  printf("%s %ld %ld = %ld\n", argv[1], a, b, got);
  if (got != want) {
    fprintf(stderr, "expected %ld\n", want);
    return 1;
  }
  return 0;
}
