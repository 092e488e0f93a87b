// Guest of tests/api.test.ts (tsemu as a library): runs the file operations its arguments name,
// one line of output each, so a test sees what the guest saw of the root it was given. Without
// arguments it prints its usage (what the corpus test records).
//   write PATH TEXT      creates PATH (and its parent directory) holding TEXT
//   cat PATH             prints PATH's contents, or why it cannot
//   unlink PATH          removes PATH, or says why not
//   thread-unlink PATH   the same from a second thread (syscall hooks see every thread)
//   echo                 copies stdin to stdout and says so on stderr
//   fork                 forks a child that exits at once, and waits for it
//   bind PATH            binds a Unix socket to PATH
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *op, const char *path, int ok) {
  if (ok) printf("%s %s: ok\n", op, path);
  else printf("%s %s: %s\n", op, path, strerror(errno));
}

static void write_file(const char *path, const char *text) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  mkdir(dirname(dir), 0755); // EEXIST is fine
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
  if (fd >= 0) close(fd);
  report("write", path, ok);
}

static void cat(const char *path) {
  char buf[256];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return report("cat", path, 0);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) return report("cat", path, 0);
  buf[n] = 0;
  buf[strcspn(buf, "\n")] = 0;
  printf("cat %s: [%s]\n", path, buf);
}

static void *unlink_thread(void *path) {
  report("thread-unlink", path, unlink(path) == 0);
  return NULL;
}

static void echo(void) {
  char buf[4096];
  ssize_t n;
  size_t total = 0;
  while ((n = read(0, buf, sizeof buf)) > 0) {
    fwrite(buf, 1, n, stdout);
    total += n;
  }
  fflush(stdout);
  fprintf(stderr, "echo: %zu bytes\n", total);
}

static void fork_child(void) {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  if (pid > 0) waitpid(pid, NULL, 0);
  report("fork", "child", pid > 0);
}

static void bind_unix(const char *path) {
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  report("bind", path, fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
  if (fd >= 0) close(fd);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    printf("usage: api_fs (write PATH TEXT | cat PATH | unlink PATH | thread-unlink PATH | echo | fork | bind PATH)...\n");
    return 2;
  }
  for (int i = 1; i < argc; i++) {
    const char *op = argv[i];
    if (!strcmp(op, "write") && i + 2 < argc) {
      write_file(argv[i + 1], argv[i + 2]);
      i += 2;
    } else if (!strcmp(op, "cat") && i + 1 < argc) {
      cat(argv[++i]);
    } else if (!strcmp(op, "unlink") && i + 1 < argc) {
      const char *path = argv[++i];
      report("unlink", path, unlink(path) == 0);
    } else if (!strcmp(op, "thread-unlink") && i + 1 < argc) {
      pthread_t t;
      pthread_create(&t, NULL, unlink_thread, argv[++i]);
      pthread_join(t, NULL);
    } else if (!strcmp(op, "echo")) {
      echo();
    } else if (!strcmp(op, "fork")) {
      fork_child();
    } else if (!strcmp(op, "bind") && i + 1 < argc) {
      bind_unix(argv[++i]);
    } else {
      fprintf(stderr, "api_fs: bad command %s\n", op);
      return 2;
    }
    fflush(stdout);
  }
  return 0;
}
