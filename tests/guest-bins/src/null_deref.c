/* A store through a null pointer: SIGSEGV with the default action (status 139). */
#include <stdio.h>

int main(void) {
  printf("writing through NULL\n");
  fflush(stdout);
  volatile int *p = (int *)0;
  *p = 1;
  printf("not reached\n");
  return 0;
}
