/* Interactive (not recorded, see INTERACTIVE in the Makefile): a SIGUSR1 handler that writes
   "handler: SIGUSR1 N" (N counts deliveries) and returns, so the program keeps waiting; SIGTERM
   keeps its default action (status 143) unless the argument `term` installs a handler that
   writes "handler: SIGTERM after N SIGUSR1" and exits 0. `spin` waits in a busy loop without
   system calls instead of pause(). Prints "ready" (flushed) once the handlers are set. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t usr1;

static void put(const char *s) {
  if (write(1, s, strlen(s)) < 0) _exit(2);
}

static void put_count(void) {
  char buf[16];
  int n = usr1, i = sizeof buf;
  buf[--i] = 0;
  do buf[--i] = (char)('0' + n % 10); while ((n /= 10) > 0 && i > 0);
  put(buf + i);
}

static void on_usr1(int sig) {
  (void)sig;
  usr1++;
  put("handler: SIGUSR1 ");
  put_count();
  put("\n");
}

static void on_term(int sig) {
  (void)sig;
  put("handler: SIGTERM after ");
  put_count();
  put(" SIGUSR1\n");
  _exit(0);
}

int main(int argc, char **argv) {
  int term = 0, spin = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "term") == 0) term = 1;
    else if (strcmp(argv[i], "spin") == 0) spin = 1;
    else {
      fprintf(stderr, "usage: %s [term] [spin]\n", argv[0]);
      return 2;
    }
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  if (term) {
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
  }
  printf("ready\n");
  fflush(stdout);
  if (spin) {
    for (;;) {
    }
  }
  for (;;) pause();
}
