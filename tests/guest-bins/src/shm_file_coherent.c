// A MAP_SHARED file mapping and the file's other readers and writers agree at once, without
// msync, as Linux's one page cache makes them: stores through the mapping are what read() and
// pread() of the file give (on another fd, in this process and in a process that was forked
// before the mapping existed, told through a pipe), also after an mprotect round trip and a
// read(2) into the mapping, a store by another thread and an mremap that moves and grows the
// mapping; pwrite() and write() of the file are what the mapping shows.
// Every line is printed by the parent (the child sends what it read through a pipe).
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE 8192

static void readback(int fd, off_t at, const char *what) {
  char buf[64] = {0};
  if (pread(fd, buf, sizeof buf - 1, at) < 0) { perror("pread"); exit(1); }
  printf("%s: \"%s\"\n", what, buf);
}

static char *map;

static void *thread_store(void *arg) {
  strcpy(map + 300, "stored by a thread");
  map[4096 + 300] = 'T';
  return arg;
}

int main(void) {
  char path[] = "/tmp/tsemu-shm-coherent-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) { perror("mkstemp"); return 1; }
  if (ftruncate(fd, SIZE) != 0) { perror("ftruncate"); return 1; }

  // The child exists before the mapping: it shares nothing with it, and reads the file only.
  int go[2], back[2];
  if (pipe(go) || pipe(back)) { perror("pipe"); return 1; }
  pid_t pid = fork();
  if (pid == 0) {
    char t, buf[64] = {0};
    if (read(go[0], &t, 1) != 1) _exit(2);
    int rfd = open(path, O_RDONLY);
    if (rfd < 0 || lseek(rfd, 4096, SEEK_SET) != 4096) _exit(3);
    ssize_t n = read(rfd, buf, sizeof buf - 1);
    if (n < 0) _exit(4);
    if (write(back[1], buf, sizeof buf) != sizeof buf) _exit(5);
    _exit(0);
  }

  map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED) { perror("mmap"); return 1; }
  int other = open(path, O_RDWR);
  if (other < 0) { perror("open"); return 1; }

  strcpy(map, "stored through the mapping");
  readback(other, 0, "pread on another fd");
  char buf[64] = {0};
  if (lseek(fd, 0, SEEK_SET) != 0 || read(fd, buf, 26) != 26) { perror("read"); return 1; }
  printf("read on the mapped fd: \"%s\"\n", buf);

  strcpy(map + 4096, "second page, for the child");
  if (write(go[1], "t", 1) != 1) return 1;
  char seen[64];
  if (read(back[0], seen, sizeof seen) != sizeof seen) { perror("read child"); return 1; }
  int status;
  waitpid(pid, &status, 0);
  printf("the child read: \"%s\" (exit %d)\n", seen, WEXITSTATUS(status));

  // A store after the page was written back once, and after an mprotect round trip.
  map[0] = 'S';
  readback(other, 0, "second store");
  if (mprotect(map, SIZE, PROT_READ) || mprotect(map, SIZE, PROT_READ | PROT_WRITE)) { perror("mprotect"); return 1; }
  memcpy(map + 7, "THROUGH", 7);
  readback(other, 0, "after mprotect");

  // A syscall writes into the mapping.
  int p[2];
  if (pipe(p) || write(p[1], "from a pipe", 12) != 12 || read(p[0], map + 200, 12) != 12) { perror("pipe read"); return 1; }
  readback(other, 200, "read(2) into the mapping");

  // The other direction: writes to the file show in the mapping.
  if (pwrite(other, "PWRITE", 6, 0) != 6) { perror("pwrite"); return 1; }
  printf("mapping after pwrite: \"%s\"\n", map);
  if (lseek(fd, 4096, SEEK_SET) != 4096 || write(fd, "WRITE", 5) != 5) { perror("write"); return 1; }
  printf("mapping after write: \"%s\"\n", map + 4096);
  // Then a store over part of what pwrite wrote.
  map[1] = 'w';
  readback(other, 0, "store after pwrite");

  pthread_t th;
  if (pthread_create(&th, NULL, thread_store, NULL) || pthread_join(th, NULL)) { perror("pthread"); return 1; }
  readback(other, 300, "a thread's store");
  map[301] = 'T';
  readback(other, 300, "then the main thread's");
  readback(other, 4096 + 300, "the thread's on the second page");

  // mremap moves the mapping to a reserved place and grows it over the grown file: it is the
  // file's still, its new page included.
  char *to = mmap(NULL, 4 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (to == MAP_FAILED || ftruncate(fd, 3 * 4096)) { perror("reserve"); return 1; }
  if (pwrite(other, "third page", 10, 8192) != 10) { perror("pwrite"); return 1; }
  char *moved = mremap(map, SIZE, 3 * 4096, MREMAP_MAYMOVE | MREMAP_FIXED, to);
  if (moved != to) { perror("mremap"); return 1; }
  printf("moved mapping: \"%s\", \"%s\"\n", moved, moved + 8192);
  strcpy(moved + 8192 + 20, "stored after mremap");
  moved[2] = 'M';
  readback(other, 8192 + 20, "a store into the new page");
  readback(other, 0, "and into the old ones");
  if (pwrite(other, "P", 1, 8192) != 1) { perror("pwrite"); return 1; }
  printf("moved mapping after pwrite: \"%s\"\n", moved + 8192);
  map = moved;

  munmap(map, 3 * 4096);
  readback(other, 0, "after munmap");
  unlink(path);
  return 0;
}
