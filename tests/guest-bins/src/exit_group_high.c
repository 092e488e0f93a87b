/* Only the low 8 bits of the exit status reach the parent: _exit(0x1234) shows as 0x34. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("exiting with 0x1234\n");
  fflush(stdout);
  _exit(0x1234);
}
