// Processes: fork and waitpid (an exit status, a death by signal), pipes from child to parent
// and between two siblings, getppid, SIGCHLD with si_status, a three-level tree, WNOHANG and
// ECHILD, waitid, execve of this program (through /proc/self/exe) with an inherited pipe, a `#!`
// script whose interpreter is this program, system() and popen() (posix_spawn of the host's
// /bin/sh), and the errors of execve.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld_status = -1, chld_code = -1;

static void on_chld(int sig, siginfo_t *si, void *uc) {
  (void)sig; (void)uc;
  chld_status = si->si_status;
  chld_code = si->si_code;
}

/** Reads until EOF into buf (NUL-terminated); returns the byte count. */
static size_t read_all(int fd, char *buf, size_t size) {
  size_t got = 0;
  for (ssize_t n; got + 1 < size && (n = read(fd, buf + got, size - 1 - got)) > 0;) got += n;
  buf[got] = 0;
  return got;
}

static pid_t spawn_exit(int code) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) _exit(code);
  return pid;
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "exec-child") == 0) {
    dprintf(atoi(argv[2]), "exec'd: argv[0]=%s argc=%d\n", argv[0], argc);
    return 7;
  }
  if (argc > 1 && strcmp(argv[1], "script-mode") == 0) {
    // As the interpreter of a #! script: argv is interpreter, its argument, script, args.
    printf("8: interpreter argc=%d arg=%s script-ends-in-.sh=%d arg3=%s\n", argc, argv[1],
           strlen(argv[2]) > 3 && strcmp(argv[2] + strlen(argv[2]) - 3, ".sh") == 0, argc > 3 ? argv[3] : "-");
    return 0;
  }
  int st;
  pid_t pid = spawn_exit(42);
  pid_t w = waitpid(pid, &st, 0);
  printf("1: right pid %d, exited %d, status %d\n", w == pid, WIFEXITED(st), WEXITSTATUS(st));

  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    raise(SIGTERM);
    _exit(1);
  }
  waitpid(pid, &st, 0);
  printf("2: signaled %d, signal %d\n", WIFSIGNALED(st), WTERMSIG(st));

  int fds[2];
  char buf[256];
  pipe(fds);
  pid_t me = getpid();
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    int n = snprintf(buf, sizeof buf, "child sees parent %d, own pid differs %d", getppid() == me, getpid() != me);
    write(fds[1], buf, n);
    _exit(0);
  }
  close(fds[1]);
  read_all(fds[0], buf, sizeof buf);
  close(fds[0]);
  waitpid(pid, &st, 0);
  printf("3: %s\n", buf);

  // Two siblings: one writes 200000 bytes (more than a pipe holds), the other counts them.
  int data[2], report[2];
  pipe(data);
  pipe(report);
  fflush(stdout);
  pid_t writer = fork();
  if (writer == 0) {
    close(data[0]);
    static char block[1000];
    memset(block, 'x', sizeof block);
    for (int i = 0; i < 200; i++) write(data[1], block, sizeof block);
    _exit(0);
  }
  pid_t reader = fork();
  if (reader == 0) {
    close(data[1]);
    long total = 0;
    for (ssize_t n; (n = read(data[0], buf, sizeof buf)) > 0;) total += n;
    dprintf(report[1], "%ld", total);
    _exit(0);
  }
  close(data[0]);
  close(data[1]);
  close(report[1]);
  read_all(report[0], buf, sizeof buf);
  waitpid(writer, &st, 0);
  waitpid(reader, &st, 0);
  printf("4: sibling read %s bytes\n", buf);

  struct sigaction sa = {0};
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGCHLD, &sa, NULL);
  pid = spawn_exit(5);
  waitpid(pid, &st, 0);
  printf("5: SIGCHLD status %d, code is CLD_EXITED %d\n", (int)chld_status, chld_code == CLD_EXITED);
  signal(SIGCHLD, SIG_DFL);

  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    pid_t grandchild = spawn_exit(3);
    waitpid(grandchild, &st, 0);
    _exit(WEXITSTATUS(st) + 10);
  }
  waitpid(pid, &st, 0);
  printf("6: three levels, status %d\n", WEXITSTATUS(st));

  int hold[2];
  pipe(hold);
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    close(hold[1]);
    read(hold[0], buf, 1); // until the parent closes its end
    _exit(9);
  }
  close(hold[0]);
  printf("7: WNOHANG while running %d", waitpid(pid, &st, WNOHANG));
  close(hold[1]);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  int r = waitid(P_PID, pid, &si, WEXITED);
  printf(", waitid %d pid-ok %d status %d, then ECHILD %d\n", r, si.si_pid == pid, si.si_status,
         waitpid(-1, &st, 0) == -1 && errno == ECHILD);

  int msg[2];
  pipe(msg);
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    close(msg[0]);
    char fd[16];
    snprintf(fd, sizeof fd, "%d", msg[1]);
    execl("/proc/self/exe", "renamed", "exec-child", fd, (char *)NULL);
    _exit(99);
  }
  close(msg[1]);
  read_all(msg[0], buf, sizeof buf);
  waitpid(pid, &st, 0);
  printf("7b: %sexec'd child exit %d\n", buf, WEXITSTATUS(st));

  char self[512], script[64];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  self[n < 0 ? 0 : n] = 0;
  snprintf(script, sizeof script, "/tmp/tsemu-proc-fork-%d.sh", (int)getpid());
  FILE *f = fopen(script, "w");
  fprintf(f, "#!%s script-mode\n", self);
  fclose(f);
  chmod(script, 0700);
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    execl(script, script, "last", (char *)NULL);
    _exit(98);
  }
  waitpid(pid, &st, 0);
  unlink(script);
  printf("8b: script exit %d\n", WEXITSTATUS(st));

  fflush(stdout);
  int rc = system("echo system: from the shell; exit 3");
  printf("10: system status %d\n", WEXITSTATUS(rc));
  FILE *in = popen("echo popen line one; echo popen line two", "r");
  char line[64];
  while (fgets(line, sizeof line, in)) printf("10: read %s", line);
  printf("10: pclose %d\n", WEXITSTATUS(pclose(in)));

  errno = 0;
  execl("/nonexistent/prog", "prog", (char *)NULL);
  printf("9: missing program: %s\n", strerror(errno));
  execl("/proc/self/maps", "maps", (char *)NULL);
  printf("9: not executable: %s\n", strerror(errno));
  execl("/", "root", (char *)NULL);
  printf("9: a directory: %s\n", strerror(errno));
  return 0;
}
