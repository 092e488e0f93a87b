/* abort() raises SIGABRT with the default action: the process dies by signal 6 (status 134).
   stdout is flushed first, since a signal death discards stdio buffers. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("about to abort\n");
  fflush(stdout);
  abort();
}
