/* A program whose symbol table keeps main and nothing else (see the Makefile's `symbols`
 * target): under -d in_asm, qemu-user names the blocks that lie in main `IN: main` and leaves
 * every other block's name empty. The loop gives main blocks that start inside it. */
#include <stdio.h>

int main(int argc, char **argv) {
  unsigned sum = 0;
  for (int i = 0; argv[0][i] != '\0'; i++) sum = sum * 31 + (unsigned char)argv[0][i] + (unsigned)argc;
  printf("named_main %s\n", sum ? "ran" : "ran (empty name)");
  return 0;
}
