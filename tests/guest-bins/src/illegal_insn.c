/* An all-zero 16-bit parcel is the defined illegal instruction (RISC-V unprivileged ISA,
   "C" extension): SIGILL with the default action (status 132). */
#include <stdio.h>

int main(void) {
  printf("executing an illegal instruction\n");
  fflush(stdout);
  __asm__ volatile(".2byte 0");
  printf("not reached\n");
  return 0;
}
