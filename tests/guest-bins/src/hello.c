/* The smallest end-to-end check: stdout, argv passing, exit status 0. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  /* argv[0] is printed by base name so the output does not depend on the caller's path. */
  const char *slash = strrchr(argv[0], '/');
  printf("Hello, world!\n%s\n", slash ? slash + 1 : argv[0]);
  for (int i = 1; i < argc; i++) printf("%s\n", argv[i]);
  return 0;
}
