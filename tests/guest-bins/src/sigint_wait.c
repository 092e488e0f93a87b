/* Interactive (not recorded, see INTERACTIVE in the Makefile): waits for a SIGINT sent from
   outside. Arguments, in any order: `handler` installs a SIGINT handler that writes
   "handler: SIGINT" and exits 0 (without it the default action kills the process: status
   130); `spin` waits in a busy loop without system calls instead of pause(). Prints "ready"
   (flushed) once the disposition is set, so the sender knows when to send. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t never;

static void on_int(int sig) {
  static const char msg[] = "handler: SIGINT\n";
  (void)sig;
  if (write(1, msg, sizeof msg - 1) < 0) _exit(2);
  _exit(0);
}

int main(int argc, char **argv) {
  int handler = 0, spin = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "handler") == 0) handler = 1;
    else if (strcmp(argv[i], "spin") == 0) spin = 1;
    else {
      fprintf(stderr, "usage: %s [handler] [spin]\n", argv[0]);
      return 2;
    }
  }
  if (handler) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_int;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
  }
  printf("ready\n");
  fflush(stdout);
  if (spin) {
    unsigned long n = 0;
    while (!never) n++;
    printf("spin ended %lu\n", n);
  } else {
    for (;;) pause();
  }
  return 1;
}
