/* Timer signals interrupting code that makes no system calls: SIGALRM from alarm(1) ends a
   loop spinning on a volatile flag; alarm() returns the seconds left of the previous alarm;
   setitimer(ITIMER_REAL) with a 50 ms interval delivers periodic SIGALRMs to a spinning loop
   until it has counted 5, getitimer reports the interval, and disarming stops them;
   ITIMER_VIRTUAL (SIGVTALRM) and ITIMER_PROF (SIGPROF) fire once on a CPU-bound loop. Only
   facts that do not depend on timing are printed. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms, vtalrms, profs;
static volatile sig_atomic_t last_sig;
static volatile unsigned long sink;

static void on_timer(int sig) {
  last_sig = sig;
  if (sig == SIGALRM) alarms++;
  else if (sig == SIGVTALRM) vtalrms++;
  else if (sig == SIGPROF) profs++;
}

/* Spins (no system calls) until *counter reaches target. */
static void spin_until(volatile sig_atomic_t *counter, int target) {
  unsigned long n = 0;
  while (*counter < target) n++;
  sink += n;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_timer;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  sigaction(SIGVTALRM, &sa, NULL);
  sigaction(SIGPROF, &sa, NULL);

  printf("alarm(5) returned %u\n", alarm(5));
  unsigned left = alarm(0);
  printf("alarm(0) after it: left between 1 and 5: %d\n", left >= 1 && left <= 5);

  alarm(1);
  spin_until(&alarms, 1);
  printf("alarm(1): SIGALRM ended the spin, alarms %d, last signal SIGALRM %d\n", alarms,
         last_sig == SIGALRM);

  struct itimerval it = {{0, 50000}, {0, 50000}}, cur;
  alarms = 0;
  printf("setitimer ITIMER_REAL 50 ms: %d\n", setitimer(ITIMER_REAL, &it, NULL));
  getitimer(ITIMER_REAL, &cur);
  printf("getitimer: interval %ld.%06ld s, value at most 50 ms %d\n", (long)cur.it_interval.tv_sec,
         (long)cur.it_interval.tv_usec,
         cur.it_value.tv_sec == 0 && cur.it_value.tv_usec <= 50000);
  spin_until(&alarms, 5);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, &cur);
  printf("periodic: at least 5 ticks %d, old interval %ld.%06ld s\n", alarms >= 5,
         (long)cur.it_interval.tv_sec, (long)cur.it_interval.tv_usec);
  int seen = alarms;
  sleep_ms(200);
  getitimer(ITIMER_REAL, &cur);
  printf("disarmed: no tick in 200 ms %d, getitimer all zero %d\n", alarms == seen,
         cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0 && cur.it_interval.tv_sec == 0 &&
             cur.it_interval.tv_usec == 0);

  struct itimerval once = {{0, 0}, {0, 100000}};
  printf("setitimer ITIMER_VIRTUAL 100 ms: %d\n", setitimer(ITIMER_VIRTUAL, &once, NULL));
  spin_until(&vtalrms, 1);
  printf("ITIMER_VIRTUAL: SIGVTALRM %d, last signal SIGVTALRM %d\n", vtalrms, last_sig == SIGVTALRM);
  printf("setitimer ITIMER_PROF 100 ms: %d\n", setitimer(ITIMER_PROF, &once, NULL));
  spin_until(&profs, 1);
  printf("ITIMER_PROF: SIGPROF %d, last signal SIGPROF %d\n", profs, last_sig == SIGPROF);
  getitimer(ITIMER_VIRTUAL, &cur);
  printf("one-shot timers expired: virtual %d", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
  getitimer(ITIMER_PROF, &cur);
  printf(" prof %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
  printf("at the end: at least 5 alarms %d, vtalrms %d, profs %d\n", alarms >= 5, vtalrms, profs);
  return 0;
}
