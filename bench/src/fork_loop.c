/* Process creation: 100 times fork, the child exits at once with a status, the parent reaps it
   (issue 8 asks this loop to take under 10 s; qemu-user's fork is the host's, about 1 ms). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  enum { FORKS = 100 };
  int sum = 0;
  for (int i = 0; i < FORKS; i++) {
    pid_t pid = fork();
    if (pid == 0) _exit(i & 0x7f);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return 1;
    sum += WEXITSTATUS(status);
  }
  printf("%d forks, statuses sum %d\n", FORKS, sum);
  return 0;
}
