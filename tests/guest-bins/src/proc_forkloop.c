// Many short-lived children, as shells and test runners make them: a loop of fork, exit with a
// status, reap (tsemu serves most of them from a host process that ran an earlier child); the
// children's writes to a pipe and to stdout (unbuffered: with stdout a regular file, parent and
// children share its offset); waitpid WNOHANG polling; two children alive at once have
// different pids; a child that exits after its sibling is reaped still reports its own status.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int reap(pid_t pid) {
  int status;
  if (waitpid(pid, &status, 0) != pid) { printf("waitpid: %s\n", strerror(errno)); exit(1); }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int p[2];
  if (pipe(p)) return 1;
  enum { N = 60 };
  int bad = 0;
  for (int i = 0; i < N; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      char c = 'a' + i % 26;
      write(p[1], &c, 1);
      if (i % 20 == 0) printf("child %d writes to stdout\n", i);
      _exit(i * 3 % 256);
    }
    if (reap(pid) != i * 3 % 256) bad++;
  }
  printf("%d children reaped, %d wrong statuses\n", N, bad);

  pid_t pid = fork();
  if (pid == 0) _exit(42);
  int status, polls = 0;
  pid_t got;
  while ((got = waitpid(pid, &status, WNOHANG)) == 0) { polls++; usleep(1000); }
  printf("WNOHANG: %s, status %d\n", got == pid ? "reaped" : "failed", WEXITSTATUS(status));

  int gate[2];
  if (pipe(gate)) return 1;
  pid_t a = fork();
  if (a == 0) {
    char c;
    close(gate[1]);
    read(gate[0], &c, 1); // until the sibling has been reaped
    _exit(7);
  }
  pid_t b = fork();
  if (b == 0) _exit(8);
  printf("two children alive: pids %s\n", a != b ? "differ" : "equal");
  printf("second child: %d\n", reap(b));
  close(gate[0]);
  write(gate[1], "x", 1);
  printf("first child: %d\n", reap(a));
  printf("no more children: %s\n", waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD ? "ECHILD" : "some left");

  close(p[1]);
  char buf[N + 1];
  int n = 0, r;
  while ((r = read(p[0], buf + n, sizeof buf - 1 - n)) > 0) n += r;
  buf[n] = 0;
  printf("pipe: %d bytes: %s\n", n, buf);
  return 0;
}
