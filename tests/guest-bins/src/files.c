/* File I/O inside a fresh directory under /tmp: create, write, read back, lseek, pread,
   pwrite, ftruncate, stat fields that do not depend on the host, rename, unlink, stdio. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void path(char *out, const char *name) { snprintf(out, 128, "%s/%s", dir, name); }

static void show_stat(const char *label, const char *p) {
  struct stat st;
  if (stat(p, &st) != 0) { printf("%s: stat failed: %s\n", label, strerror(errno)); return; }
  printf("%s: size %lld reg %d dir %d mode %03o nlink %lu\n", label, (long long)st.st_size, S_ISREG(st.st_mode),
         S_ISDIR(st.st_mode), st.st_mode & 0777, (unsigned long)st.st_nlink);
}

int main(void) {
  umask(022);
  snprintf(dir, sizeof dir, "/tmp/tsemu-files-%d", (int)getpid());
  if (mkdir(dir, 0755) != 0) { perror("mkdir"); return 1; }
  char a[128], b[128];
  path(a, "a.txt");
  path(b, "b.txt");
  int fd = open(a, O_CREAT | O_EXCL | O_RDWR, 0644);
  printf("open %d\n", fd >= 0);
  const char msg[] = "0123456789abcdefghijklmnopqrstuvwxyz\n";
  printf("write %zd\n", write(fd, msg, sizeof msg - 1));
  long cur = (long)lseek(fd, 0, SEEK_CUR), end = (long)lseek(fd, 0, SEEK_END), set = (long)lseek(fd, 10, SEEK_SET);
  printf("lseek cur %ld end %ld set %ld\n", cur, end, set);
  char buf[64] = {0};
  ssize_t got = read(fd, buf, 5);
  printf("read %zd '%s'\n", got, buf);
  memset(buf, 0, sizeof buf);
  got = pread(fd, buf, 4, 32);
  printf("pread %zd '%s' pos still %ld\n", got, buf, (long)lseek(fd, 0, SEEK_CUR));
  printf("pwrite %zd\n", pwrite(fd, "XY", 2, 0));
  long past = (long)lseek(fd, 100, SEEK_SET);
  printf("lseek past end %ld write %zd\n", past, write(fd, "!", 1));
  struct stat st;
  fstat(fd, &st);
  printf("fstat size %lld\n", (long long)st.st_size);
  lseek(fd, 0, SEEK_SET);
  char all[128];
  ssize_t n = read(fd, all, sizeof all);
  printf("read all %zd: ", n);
  for (ssize_t i = 0; i < n; i++) putchar(all[i] ? all[i] : '.');
  printf("\n");
  printf("ftruncate %d\n", ftruncate(fd, 12));
  printf("read after eof %zd\n", read(fd, buf, 10));
  close(fd);
  show_stat("a", a);
  chmod(a, 0600);
  show_stat("a chmod", a);
  printf("rename %d\n", rename(a, b));
  int old_ok = access(a, F_OK);
  printf("access old %d new %d\n", old_ok, access(b, R_OK | W_OK));
  FILE *f = fopen(b, "a+");
  fprintf(f, "line %d\nline %d\n", 1, 2);
  rewind(f);
  char line[64];
  while (fgets(line, sizeof line, f)) printf("fgets: %s", line[strlen(line) - 1] == '\n' ? line : strcat(line, "\n"));
  fclose(f);
  show_stat("b", b);
  fd = open(b, O_RDONLY);
  int fd2 = dup(fd);
  lseek(fd, 3, SEEK_SET);
  printf("dup shares offset %ld\n", (long)lseek(fd2, 0, SEEK_CUR));
  int fd3 = fcntl(fd, F_DUPFD, 50);
  printf("F_DUPFD >= 50 %d, O_RDONLY flags %d\n", fd3 >= 50, fcntl(fd3, F_GETFL) & O_ACCMODE);
  close(fd); close(fd2); close(fd3);
  got = write(fd, "x", 1);
  printf("write to closed fd %zd errno %s\n", got, strerror(errno));
  int first = unlink(b), again = unlink(b);
  printf("unlink %d again %d (%s)\n", first, again, strerror(errno));
  printf("rmdir %d\n", rmdir(dir));
  return 0;
}
