/* Returning from main: the status is main's return value, through __libc_start_main. */
#include <stdio.h>

int main(void) {
  printf("returning 42\n");
  return 42;
}
