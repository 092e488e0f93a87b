/* /proc/self emulation: maps has lines with the expected shape (a stack and an executable
   mapping), /proc/self/exe resolves, /proc/self/fd lists the open descriptors, cmdline. */
#include <dirent.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) { perror("fopen maps"); return 1; }
  char line[512];
  int lines = 0, well_formed = 0, stack = 0, exec = 0;
  while (fgets(line, sizeof line, f)) {
    lines++;
    unsigned long lo, hi;
    char perms[8];
    if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && lo < hi && strlen(perms) == 4) well_formed++;
    if (strstr(line, "[stack]")) stack++;
    if (perms[2] == 'x') exec++;
  }
  fclose(f);
  printf("maps lines > 0: %d, all well formed: %d, has [stack]: %d, has executable: %d\n", lines > 0, well_formed == lines,
         stack == 1, exec > 0);
  char exe[256];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n > 0 ? n : 0] = 0;
  const char *base = strrchr(exe, '/');
  printf("exe base name: %s\n", base ? base + 1 : exe);
  int fd = open("/proc/self/cmdline", O_RDONLY);
  char cmd[256];
  n = read(fd, cmd, sizeof cmd);
  close(fd);
  int nul = 0;
  for (ssize_t i = 0; i < n; i++) if (!cmd[i]) nul++;
  printf("cmdline has %d NUL-terminated args (argc %d)\n", nul, argc);
  int extra = open("/proc/self/maps", O_RDONLY);
  DIR *d = opendir("/proc/self/fd");
  int fds = 0, has_extra = 0;
  for (struct dirent *e; d && (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    fds++;
    if (atoi(e->d_name) == extra) has_extra = 1;
  }
  if (d) closedir(d);
  printf("/proc/self/fd has stdio and the extra fd: %d\n", fds >= 4 && has_extra);
  close(extra);
  (void)argv;
  return 0;
}
