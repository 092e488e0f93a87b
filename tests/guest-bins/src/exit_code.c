/* exit(3) after atexit handlers run in reverse order and stdio is flushed. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit first (runs last)\n"); }
static void second(void) { printf("atexit second (runs first)\n"); }

int main(void) {
  atexit(first);
  atexit(second);
  printf("buffered line, flushed by exit\n");
  exit(3);
}
