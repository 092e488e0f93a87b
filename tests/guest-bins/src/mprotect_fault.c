/* Touching a PROT_NONE page is fatal: SIGSEGV with the default action (status 139),
   after reading the page while it was still readable. */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
  long page = sysconf(_SC_PAGESIZE);
  volatile char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  p[10] = 5;
  printf("before mprotect: %d\n", p[10]);
  mprotect((void *)p, page, PROT_NONE);
  printf("page is now PROT_NONE\n");
  fflush(stdout);
  printf("read %d\n", p[10]);
  return 0;
}
