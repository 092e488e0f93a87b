/* UDF is the permanently undefined encoding (ARM ARM A8.8.247): SIGILL with the default
   action (status 132). The corpus is Thumb-2 by default, so this is the 16-bit T1 form. */
#include <stdio.h>

int main(void) {
  printf("executing an undefined instruction\n");
  fflush(stdout);
  __asm__ volatile("udf #0");
  printf("not reached\n");
  return 0;
}
