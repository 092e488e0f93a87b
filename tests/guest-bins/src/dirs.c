/* Directories: mkdir, nested trees, opendir/readdir (getdents64) printed sorted, scandir,
   chdir/getcwd relative to the fresh directory, rmdir of non-empty and empty directories. */
/* On a 32-bit guest, plain readdir fails with EOVERFLOW when the filesystem hands out 64-bit
   directory offsets (ext4 hashes do): large-file readdir lists the same on every host. */
#define _FILE_OFFSET_BITS 64
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *p) {
  DIR *d = opendir(p);
  if (!d) { printf("opendir %s: %s\n", p, strerror(errno)); return; }
  char *names[256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 256) {
    char type = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_UNKNOWN ? '?' : 'o';
    names[n] = malloc(strlen(e->d_name) + 3);
    sprintf(names[n++], "%c %s", type, e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("%s: %d entries:", p, n);
  for (int i = 0; i < n; i++) { printf(" [%s]", names[i]); free(names[i]); }
  printf("\n");
}

int main(void) {
  umask(022);
  char dir[64];
  snprintf(dir, sizeof dir, "/tmp/tsemu-dirs-%d", (int)getpid());
  if (mkdir(dir, 0755) != 0 || chdir(dir) != 0) { perror("setup"); return 1; }
  char cwd[256];
  printf("getcwd matches %d\n", getcwd(cwd, sizeof cwd) && strcmp(cwd, dir) == 0);
  /* many entries so getdents needs several calls with a small buffer inside glibc */
  char name[64];
  for (int i = 0; i < 120; i++) {
    snprintf(name, sizeof name, "file-with-a-long-name-%03d", i);
    int fd = open(name, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) { perror("open"); return 1; }
    close(fd);
  }
  mkdir("sub", 0755);
  mkdir("sub/inner", 0700);
  close(open("sub/x", O_CREAT | O_WRONLY, 0600));
  printf("mkdir existing %d %s\n", mkdir("sub", 0755), strerror(errno));
  list("sub");
  list(".");
  struct dirent **ents;
  int n = scandir("sub", &ents, NULL, alphasort);
  printf("scandir %d:", n);
  for (int i = 0; i < n; i++) { printf(" %s", ents[i]->d_name); free(ents[i]); }
  free(ents);
  printf("\n");
  struct stat st;
  stat("sub/inner", &st);
  printf("inner dir %d mode %03o\n", S_ISDIR(st.st_mode), st.st_mode & 0777);
  printf("rmdir non-empty %d %s\n", rmdir("sub"), strerror(errno));
  printf("rmdir file %d %s\n", rmdir("sub/x"), strerror(errno));
  printf("unlink dir %d\n", unlink("sub/inner") == 0);
  unlink("sub/x");
  rmdir("sub/inner");
  printf("rmdir sub %d\n", rmdir("sub"));
  for (int i = 0; i < 120; i++) { snprintf(name, sizeof name, "file-with-a-long-name-%03d", i); unlink(name); }
  list(".");
  if (chdir("/") != 0) return 1;
  printf("rmdir top %d\n", rmdir(dir));
  DIR *gone = opendir(dir);
  printf("opendir removed dir fails %d (%s)\n", gone == NULL, strerror(errno));
  return 0;
}
