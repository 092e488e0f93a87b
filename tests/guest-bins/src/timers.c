/* POSIX per-process timers. timer_create with SIGEV_SIGNAL: a relative one-shot delivers its
   signal to an SA_SIGINFO handler with si_code SI_TIMER and the sigev_value; timer_gettime of
   an armed timer reports its interval exactly and a remaining time within the setting, and
   all zeros after expiry; timer_settime returns the old setting; an absolute
   (TIMER_ABSTIME) expiry on CLOCK_REALTIME fires; a periodic timer whose signal stays blocked
   accumulates overruns (si_overrun and timer_getoverrun > 0); timer_delete, after which the
   id is invalid (EINVAL). SIGEV_THREAD runs the notify function with its sigev_value in
   another thread. SIGEV_THREAD_ID (raw timer_create, with the tid of one thread) delivers to
   that thread only. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static __thread int my_index; /* main 0, the target thread 1 */
static volatile int fired, fired_code, fired_value, fired_in = -1;

static void on_timer(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  fired_code = si->si_code;
  fired_value = si->si_value.sival_int;
  fired_in = my_index;
  __atomic_fetch_add(&fired, 1, __ATOMIC_SEQ_CST);
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

static void wait_fired(int n) {
  for (int i = 0; i < 5000 && __atomic_load_n(&fired, __ATOMIC_SEQ_CST) < n; i++) sleep_ms(1);
}

static const char *code_name(int code) {
  return code == SI_TIMER ? "SI_TIMER" : code == SI_TKILL ? "SI_TKILL" : code == SI_USER ? "SI_USER" : "other";
}

static void set_ms(struct itimerspec *it, long value_ms, long interval_ms) {
  it->it_value.tv_sec = value_ms / 1000;
  it->it_value.tv_nsec = (value_ms % 1000) * 1000000L;
  it->it_interval.tv_sec = interval_ms / 1000;
  it->it_interval.tv_nsec = (interval_ms % 1000) * 1000000L;
}

static volatile int thread_notified, notify_value;
static pthread_t main_thread;
static volatile int notify_other_thread;

static void notify(union sigval v) {
  notify_value = v.sival_int;
  notify_other_thread = !pthread_equal(pthread_self(), main_thread);
  __atomic_store_n(&thread_notified, 1, __ATOMIC_SEQ_CST);
}

static volatile pid_t target_tid;
static volatile int target_done;

static void *target(void *arg) {
  (void)arg;
  my_index = 1;
  target_tid = (pid_t)syscall(SYS_gettid);
  while (!target_done) sleep_ms(1);
  return NULL;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_timer;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGRTMIN + 1, &sa, NULL);
  sigaction(SIGUSR1, &sa, NULL);
  main_thread = pthread_self();

  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGRTMIN + 1;
  sev.sigev_value.sival_int = 99;
  timer_t t;
  printf("timer_create(CLOCK_MONOTONIC, SIGEV_SIGNAL): %d\n", timer_create(CLOCK_MONOTONIC, &sev, &t));

  struct itimerspec it, cur, old;
  set_ms(&it, 10000, 250);
  timer_settime(t, 0, &it, NULL);
  timer_gettime(t, &cur);
  printf("armed for 10 s every 250 ms: interval %ld.%09ld, remaining in (9 s, 10 s] %d\n",
         (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec,
         cur.it_value.tv_sec == 9 || (cur.it_value.tv_sec == 10 && cur.it_value.tv_nsec == 0));
  set_ms(&it, 50, 0);
  timer_settime(t, 0, &it, &old);
  printf("re-armed for 50 ms once: old interval %ld.%09ld, old remaining at most 10 s %d\n",
         (long)old.it_interval.tv_sec, old.it_interval.tv_nsec, old.it_value.tv_sec <= 10);
  wait_fired(1);
  printf("fired %d: si_code %s si_value %d in main %d\n", fired, code_name(fired_code), fired_value,
         fired_in == 0);
  timer_gettime(t, &cur);
  printf("after expiry: all zero %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0 &&
                                            cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0);

  /* Absolute expiry on CLOCK_REALTIME. */
  timer_t rt;
  sev.sigev_value.sival_int = 7;
  timer_create(CLOCK_REALTIME, &sev, &rt);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  it.it_interval.tv_sec = it.it_interval.tv_nsec = 0;
  it.it_value = now;
  it.it_value.tv_nsec += 50000000L;
  if (it.it_value.tv_nsec >= 1000000000L) {
    it.it_value.tv_sec++;
    it.it_value.tv_nsec -= 1000000000L;
  }
  printf("TIMER_ABSTIME in 50 ms: %d\n", timer_settime(rt, TIMER_ABSTIME, &it, NULL));
  wait_fired(2);
  printf("fired %d: si_code %s si_value %d\n", fired, code_name(fired_code), fired_value);
  clock_gettime(CLOCK_REALTIME, &now);
  printf("not before the deadline %d\n", now.tv_sec > it.it_value.tv_sec ||
                                             (now.tv_sec == it.it_value.tv_sec && now.tv_nsec >= it.it_value.tv_nsec));
  timer_delete(rt);

  /* Overruns: a 10 ms periodic timer whose signal stays blocked for 200 ms. */
  sigset_t rtset;
  sigemptyset(&rtset);
  sigaddset(&rtset, SIGRTMIN + 1);
  pthread_sigmask(SIG_BLOCK, &rtset, NULL);
  set_ms(&it, 10, 10);
  timer_settime(t, 0, &it, NULL);
  sleep_ms(200);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  int sig = sigwaitinfo(&rtset, &si);
  int overrun = timer_getoverrun(t);
  set_ms(&it, 0, 0);
  timer_settime(t, 0, &it, NULL);
  printf("periodic, blocked: sigwaitinfo SIGRTMIN+1 %d si_code %s, si_overrun > 0 %d, "
         "timer_getoverrun > 0 %d\n",
         sig == SIGRTMIN + 1, code_name(si.si_code), si.si_overrun > 0, overrun > 0);
  struct timespec zero = {0, 0};
  while (sigtimedwait(&rtset, &si, &zero) > 0) {
  }
  pthread_sigmask(SIG_UNBLOCK, &rtset, NULL);

  printf("timer_delete %d\n", timer_delete(t));
  errno = 0;
  int r = timer_settime(t, 0, &it, NULL);
  printf("timer_settime after delete: %d %s\n", r, errno == EINVAL ? "EINVAL" : "other");

  /* SIGEV_THREAD. */
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD;
  sev.sigev_notify_function = notify;
  sev.sigev_value.sival_int = 31;
  timer_t th;
  printf("timer_create(SIGEV_THREAD): %d\n", timer_create(CLOCK_MONOTONIC, &sev, &th));
  set_ms(&it, 30, 0);
  timer_settime(th, 0, &it, NULL);
  for (int i = 0; i < 5000 && !__atomic_load_n(&thread_notified, __ATOMIC_SEQ_CST); i++) sleep_ms(1);
  printf("SIGEV_THREAD: notified %d with value %d in another thread %d\n", thread_notified, notify_value,
         notify_other_thread);
  timer_delete(th);

  /* SIGEV_THREAD_ID through the raw system call. */
  pthread_t tt;
  pthread_create(&tt, NULL, target, NULL);
  while (!target_tid) sleep_ms(1);
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = SIGUSR1;
  sev.sigev_value.sival_int = 55;
  sev._sigev_un._tid = target_tid; /* sigev_notify_thread_id in the kernel headers */
  int kid = -1;
  r = (int)syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &kid);
  printf("raw timer_create(SIGEV_THREAD_ID): %d\n", r);
  fired_in = -1;
  int before = fired;
  set_ms(&it, 30, 0);
  r = (int)syscall(SYS_timer_settime, kid, 0, &it, NULL);
  wait_fired(before + 1);
  printf("raw timer_settime %d: fired %d, si_code %s si_value %d, in the target thread %d\n", r,
         fired - before, code_name(fired_code), fired_value, fired_in == 1);
  printf("raw timer_delete %d\n", (int)syscall(SYS_timer_delete, kid));
  target_done = 1;
  pthread_join(tt, NULL);
  return 0;
}
