/* Error paths: the errno a failing syscall sets and glibc's messages for it, through
   perror (stderr) and strerror (stdout). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRY(label, call) do { errno = 0; long r_ = (long)(call); int e_ = errno; \
    printf("%-28s -> %ld errno %d (%s)\n", label, r_, e_, strerror(e_)); errno = e_; perror(label); } while (0)

int main(void) {
  struct stat st;
  char buf[8];
  TRY("open missing", open("/nonexistent-tsemu/file", O_RDONLY));
  TRY("stat missing", stat("/nonexistent-tsemu", &st));
  TRY("open dir for write", open("/tmp", O_WRONLY));
  TRY("read bad fd", read(99, buf, 1));
  TRY("close bad fd", close(-1));
  TRY("mkdir existing", mkdir("/tmp", 0755));
  TRY("rmdir non-dir", rmdir("/etc/passwd"));
  TRY("chdir to file", chdir("/etc/passwd"));
  TRY("open ENOTDIR", open("/etc/passwd/x", O_RDONLY));
  TRY("lseek on pipe", ({ int p[2]; pipe(p); long r = lseek(p[0], 0, SEEK_SET); int e = errno; close(p[0]); close(p[1]); errno = e; r; }));
  TRY("unlink empty path", unlink(""));
  for (int e = 0; e <= 40; e++) printf("strerror(%d) = %s\n", e, strerror(e));
  printf("strerror(9999) = %s\n", strerror(9999));
  return 0;
}
