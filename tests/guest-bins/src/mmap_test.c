/* Guest memory management: anonymous and file mmap, MAP_FIXED, munmap holes, mprotect
   from read-write to read-only and back, mremap growth, brk via sbrk. No faults here. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
  long page = sysconf(_SC_PAGESIZE);
  printf("page size %ld\n", page);
  unsigned char *p = mmap(NULL, 16 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("anon mmap ok %d aligned %d zeroed %d\n", p != MAP_FAILED, ((uintptr_t)p % page) == 0, p[0] == 0 && p[16 * page - 1] == 0);
  for (long i = 0; i < 16 * page; i++) p[i] = (unsigned char)(i / page);
  printf("munmap middle %d\n", munmap(p + 4 * page, 2 * page));
  unsigned char *q = mmap(p + 4 * page, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  printf("MAP_FIXED into hole %d zeroed %d neighbours %d %d\n", q == p + 4 * page, q[0] == 0, p[3 * page], p[6 * page]);
  printf("mprotect ro %d read still %d\n", mprotect(p, 4 * page, PROT_READ), p[2 * page]);
  printf("mprotect rw %d\n", mprotect(p, 4 * page, PROT_READ | PROT_WRITE));
  p[0] = 99;
  printf("write after rw %d\n", p[0]);
  unsigned char *r = mremap(p + 6 * page, 10 * page, 20 * page, MREMAP_MAYMOVE);
  printf("mremap ok %d data kept %d %d new zero %d\n", r != MAP_FAILED, r[0], r[9 * page], r[19 * page]);
  munmap(r, 20 * page);
  munmap(p, 5 * page);
  char path[64];
  snprintf(path, sizeof path, "/tmp/tsemu-mmap-%d", (int)getpid());
  int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
  unlink(path);
  char text[] = "file backed mapping contents";
  write(fd, text, sizeof text);
  char *m = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
  printf("file mmap: '%s' tail zero %d\n", m, m[page - 1] == 0);
  char *s = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  memcpy(s, "FILE", 4);
  msync(s, page, MS_SYNC);
  char back[8] = {0};
  pread(fd, back, 4, 0);
  printf("shared write visible via read: %s\n", back);
  munmap(m, page);
  munmap(s, page);
  close(fd);
  void *b0 = sbrk(0);
  void *b1 = sbrk(3 * page);
  memset(b1, 7, 3 * page);
  printf("sbrk grows %d\n", (char *)sbrk(0) - (char *)b0 == 3 * page && b1 == b0);
  sbrk(-3 * page);
  printf("sbrk shrinks %d\n", sbrk(0) == b0);
  void *big = malloc(64 << 20);
  memset(big, 1, 64 << 20);
  printf("64 MiB malloc touched %d\n", ((unsigned char *)big)[(64 << 20) - 1]);
  free(big);
  printf("munmap unaligned %d\n", munmap(p + 1, page));
  return 0;
}
