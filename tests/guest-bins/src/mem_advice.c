// madvise, mincore and msync as Linux answers them (mm/madvise.c, mm/mincore.c, mm/msync.c),
// and a MAP_SHARED file mapping's stores reaching the file when its program exits without
// munmap or msync. qemu 7.2 is no oracle here (it accepts every advice and msync flag, and keeps
// a private file page's writes after MADV_DONTNEED): the host's Linux is (mem_advice.linux).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *err(int r) { return r == 0 ? "ok" : strerror(errno); }

/* The child's part: store into a shared mapping of the file and exit, nothing else. */
static int write_and_exit(const char *file) {
  int fd = open(file, O_RDWR);
  char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED) return 1;
  memcpy(m, "stored", 6);
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "write-and-exit") == 0) return write_and_exit(argv[2]);
  long pg = sysconf(_SC_PAGESIZE);
  char path[64];
  snprintf(path, sizeof path, "/tmp/tsemu-madv-%d", (int)getpid());
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  char buf[8192];
  for (int i = 0; i < (int)sizeof buf; i++) buf[i] = 'a' + i % 26;
  write(fd, buf, pg + 100); /* a page and a bit: the rest of the second page is past EOF */

  /* A private file mapping: DONTNEED drops what the process wrote, the file shows again. */
  char *priv = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  priv[0] = 'X'; priv[pg + 50] = 'Y'; priv[pg + 200] = 'Z';
  printf("private file before: %c %c %d\n", priv[0], priv[pg + 50], priv[pg + 200]);
  printf("MADV_DONTNEED: %s\n", err(madvise(priv, 2 * pg, MADV_DONTNEED)));
  /* (printf's arguments are read in no set order: each call is a statement of its own.) */
  printf("private file after: %c %c %d\n", priv[0], priv[pg + 50], priv[pg + 200]);
  printf("MADV_FREE on a file mapping: %s\n", err(madvise(priv, pg, MADV_FREE)));
  printf("MADV_REMOVE on a private mapping: %s\n", err(madvise(priv, pg, MADV_REMOVE)));

  /* Private anonymous: DONTNEED zeroes; FREE is accepted. */
  char *anon = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  anon[0] = 'Q'; anon[pg] = 'R';
  printf("MADV_FREE on private anonymous: %s\n", err(madvise(anon, pg, MADV_FREE)));
  const char *r = err(madvise(anon + pg, pg, MADV_DONTNEED));
  printf("MADV_DONTNEED anonymous: %s, then %d %d\n", r, anon[0] == 'Q' || anon[0] == 0, anon[pg]);

  /* Shared anonymous: REMOVE frees the backing, so the bytes read back as zero. */
  char *shm = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  shm[0] = 'S'; shm[pg] = 'T';
  r = err(madvise(shm, pg, MADV_REMOVE));
  printf("MADV_REMOVE shared anonymous: %s, then %d %c\n", r, shm[0], shm[pg]);
  printf("MADV_FREE shared anonymous: %s\n", err(madvise(shm, pg, MADV_FREE)));

  /* A shared file mapping: REMOVE punches a hole, so the file reads zero there too. */
  char *sf = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  sf[1] = 'W';
  r = err(madvise(sf, pg, MADV_REMOVE));
  char back[3] = {0};
  pread(fd, back, 2, 0);
  printf("MADV_REMOVE shared file: %s, then %d %d, file %d %d\n", r, sf[0], sf[1], back[0], back[1]);

  /* Bad arguments. */
  printf("unaligned: %s\n", err(madvise(anon + 1, pg, MADV_DONTNEED)));
  printf("unknown advice: %s\n", err(madvise(anon, pg, 12345)));
  munmap(anon + pg, pg);
  printf("range with a hole: %s\n", err(madvise(anon, 2 * pg, MADV_DONTNEED)));
  printf("range with a hole, MADV_NORMAL: %s\n", err(madvise(anon, 2 * pg, MADV_NORMAL)));

  /* mincore: one byte per page, bit 0 set for resident pages (both written, so resident). */
  unsigned char vec[4] = {0xff, 0xff, 0xff, 0xff};
  char *two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  two[0] = 1; two[pg] = 1;
  printf("mincore: %s", err(mincore(two, 2 * pg, vec)));
  printf(" [%d %d] %d\n", vec[0] & 1, vec[1] & 1, vec[2]);
  printf("mincore unaligned: %s\n", err(mincore(shm + 1, pg, vec)));
  printf("mincore over a hole: %s\n", err(mincore(anon, 2 * pg, vec)));
  printf("mincore bad vector: %s\n", err(mincore(shm, pg, (unsigned char *)8)));

  /* msync flags. */
  printf("msync MS_SYNC: %s\n", err(msync(priv, pg, MS_SYNC)));
  printf("msync MS_ASYNC|MS_SYNC: %s\n", err(msync(priv, pg, MS_ASYNC | MS_SYNC)));
  printf("msync bad flag: %s\n", err(msync(priv, pg, 8)));
  printf("msync unaligned: %s\n", err(msync(priv + 1, pg, MS_SYNC)));
  printf("msync over a hole: %s\n", err(msync(anon, 2 * pg, MS_SYNC)));
  printf("msync MS_INVALIDATE: %s\n", err(msync(priv, pg, MS_INVALIDATE)));
  close(fd);
  unlink(path);

  /* Another program maps a file shared, stores into it and exits: the file holds the bytes. */
  fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  ftruncate(fd, pg);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    execl("/proc/self/exe", "mem_advice", "write-and-exit", path, (char *)NULL);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  char got[7] = {0};
  pread(fd, got, 6, 0);
  printf("child exit %d, file holds \"%s\"\n", WEXITSTATUS(st), got);
  close(fd);
  unlink(path);
  return 0;
}
