/* Interrupted system calls and SA_RESTART. A one-shot ITIMER_REAL SIGALRM whose handler writes
   one byte into a pipe interrupts a blocking read of that (empty) pipe: without SA_RESTART
   the read fails with EINTR and the byte is then readable; with SA_RESTART the read is
   restarted and returns the byte. nanosleep and relative clock_nanosleep are never restarted:
   EINTR (clock_nanosleep returns it) and a remaining time between 0 and the request, with or
   without SA_RESTART; an absolute clock_nanosleep leaves the remaining time alone; poll and
   select fail with EINTR even with SA_RESTART. A signal that is ignored interrupts nothing. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static volatile sig_atomic_t handled;

static void on_alarm(int sig) {
  (void)sig;
  handled++;
  char c = 'x';
  if (write(fds[1], &c, 1) != 1) handled = -100;
}

static void install(int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
}

static void arm_ms(long ms) {
  struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
}

static const char *err_name(int e) {
  return e == EINTR ? "EINTR" : e == EAGAIN ? "EAGAIN" : e == 0 ? "none" : "other";
}

static void drain(void) {
  char buf[16];
  struct pollfd p = {fds[0], POLLIN, 0};
  while (poll(&p, 1, 0) == 1 && read(fds[0], buf, sizeof buf) > 0) {
  }
}

static void read_test(const char *what, int flags) {
  install(flags);
  handled = 0;
  char c = 0;
  arm_ms(150);
  errno = 0;
  ssize_t n = read(fds[0], &c, 1);
  int e = errno;
  printf("%s: read returned %zd errno %s byte '%c', handler ran %d\n", what, n, err_name(e),
         n == 1 ? c : '-', handled);
  if (n != 1) {
    n = read(fds[0], &c, 1);
    printf("  then read returned %zd byte '%c'\n", n, n == 1 ? c : '-');
  }
}

static int plausible(struct timespec rem, time_t req_sec) {
  return (rem.tv_sec > 0 || rem.tv_nsec > 0) && rem.tv_sec < req_sec && rem.tv_nsec >= 0 &&
         rem.tv_nsec < 1000000000L;
}

static void sleep_tests(const char *what, int flags) {
  install(flags);
  struct timespec req = {2, 0}, rem = {-1, -1};
  handled = 0;
  arm_ms(100);
  errno = 0;
  int r = nanosleep(&req, &rem);
  printf("%s: nanosleep(2 s) returned %d errno %s, remaining in (0, 2 s) %d, handler ran %d\n",
         what, r, err_name(errno), plausible(rem, 2), handled);
  drain();

  rem.tv_sec = rem.tv_nsec = -1;
  handled = 0;
  arm_ms(100);
  r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
  printf("%s: clock_nanosleep(MONOTONIC, 2 s) returned %s, remaining in (0, 2 s) %d, handler ran "
         "%d\n",
         what, err_name(r), plausible(rem, 2), handled);
  drain();

  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 2;
  rem.tv_sec = 77;
  rem.tv_nsec = 88;
  handled = 0;
  arm_ms(100);
  r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, &rem);
  printf("%s: clock_nanosleep(REALTIME, absolute) returned %s, remaining untouched %d, handler "
         "ran %d\n",
         what, err_name(r), rem.tv_sec == 77 && rem.tv_nsec == 88, handled);
  drain();
}

int main(void) {
  if (pipe(fds) != 0) return 1;
  read_test("no SA_RESTART", 0);
  read_test("SA_RESTART", SA_RESTART);
  sleep_tests("no SA_RESTART", 0);
  sleep_tests("SA_RESTART", SA_RESTART);

  install(SA_RESTART);
  struct pollfd p = {fds[0], POLLIN, 0};
  fd_set set;
  struct timeval tv = {0, 0};
  /* A first poll and select that return at once: under an emulator that translates code as it
     first runs, the alarm below must not go off before the call has even started. */
  poll(&p, 1, 0);
  FD_ZERO(&set);
  FD_SET(fds[0], &set);
  select(fds[0] + 1, &set, NULL, NULL, &tv);
  handled = 0;
  arm_ms(100);
  errno = 0;
  int r = poll(&p, 1, 5000);
  printf("SA_RESTART: poll returned %d errno %s, handler ran %d\n", r, err_name(errno), handled);
  drain();

  FD_ZERO(&set);
  FD_SET(fds[0], &set);
  tv.tv_sec = 5;
  handled = 0;
  arm_ms(100);
  errno = 0;
  r = select(fds[0] + 1, &set, NULL, NULL, &tv);
  printf("SA_RESTART: select returned %d errno %s, handler ran %d\n", r, err_name(errno), handled);
  drain();

  signal(SIGALRM, SIG_IGN);
  struct timespec req = {0, 300000000L}, rem = {0, 0};
  arm_ms(50);
  errno = 0;
  r = nanosleep(&req, &rem);
  printf("SIG_IGN: nanosleep(300 ms) returned %d errno %s\n", r, err_name(errno));
  return 0;
}
