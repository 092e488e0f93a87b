/* Signals and threads: a new thread starts with its creator's mask; each thread has its own
   mask (thread A blocks SIGUSR1, thread B does not). pthread_kill to B runs the handler in B;
   pthread_kill to A leaves the signal pending on A (sigpending in A shows it, B does not take
   it) until A unblocks it, then it runs in A; a process-directed kill() goes to B, the one
   thread that does not block it; tgkill with a thread's tid reaches that thread; a thread
   dedicated to sigwait takes a process-directed SIGTERM that every thread blocks. The handler
   records which thread (a __thread index) ran it. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static __thread int my_index; /* main 0, A 1, B 2, C 3 */
static const char *const thread_name[] = {"main", "A", "B", "C"};
static volatile int ran_in[NSIG], count[NSIG];
static volatile int done, a_check, a_checked, a_saw_pending, b_saw_pending;
static volatile int inherited_blocked[4];
static volatile pid_t tids[4];
static pthread_barrier_t ready;
static volatile int sigwait_result = -1, sigwait_sig;

static void on_sig(int sig) {
  ran_in[sig] = my_index;
  __atomic_fetch_add(&count[sig], 1, __ATOMIC_SEQ_CST);
}

static void sleep_ms(long ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, NULL);
}

static void wait_count(int sig, int n) {
  for (int i = 0; i < 10000 && __atomic_load_n(&count[sig], __ATOMIC_SEQ_CST) < n; i++) sleep_ms(1);
}

static int blocked(int sig) {
  sigset_t s;
  pthread_sigmask(SIG_BLOCK, NULL, &s);
  return sigismember(&s, sig);
}

static void start(int index) {
  my_index = index;
  tids[index] = (pid_t)syscall(SYS_gettid);
  inherited_blocked[index] = blocked(SIGUSR1) && blocked(SIGTERM);
}

static void *thread_a(void *arg) {
  (void)arg;
  start(1);
  pthread_barrier_wait(&ready);
  while (!done) {
    if (a_check && !a_checked) {
      sigset_t p, usr1;
      sigpending(&p);
      a_saw_pending = sigismember(&p, SIGUSR1);
      sigemptyset(&usr1);
      sigaddset(&usr1, SIGUSR1);
      pthread_sigmask(SIG_UNBLOCK, &usr1, NULL); /* the handler runs here, in A */
      pthread_sigmask(SIG_BLOCK, &usr1, NULL);
      a_checked = 1;
    }
    sleep_ms(1);
  }
  return NULL;
}

static void *thread_b(void *arg) {
  (void)arg;
  start(2);
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
  pthread_barrier_wait(&ready);
  while (!done) {
    sigset_t p;
    sigpending(&p);
    if (sigismember(&p, SIGUSR1)) b_saw_pending = 1;
    sleep_ms(1);
  }
  return NULL;
}

static void *thread_c(void *arg) {
  (void)arg;
  start(3);
  pthread_barrier_wait(&ready);
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  int sig = 0;
  sigwait_result = sigwait(&term, &sig);
  sigwait_sig = sig;
  return NULL;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  sigaddset(&s, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &s, NULL);
  start(0);

  pthread_t a, b, c;
  pthread_barrier_init(&ready, NULL, 4);
  pthread_create(&a, NULL, thread_a, NULL);
  pthread_create(&b, NULL, thread_b, NULL);
  pthread_create(&c, NULL, thread_c, NULL);
  pthread_barrier_wait(&ready);
  printf("threads started with main's mask (SIGUSR1, SIGTERM blocked): A %d B %d C %d\n",
         inherited_blocked[1], inherited_blocked[2], inherited_blocked[3]);
  printf("tids distinct from the pid and each other: %d\n",
         tids[0] == getpid() && tids[1] != tids[0] && tids[2] != tids[0] && tids[3] != tids[0] &&
             tids[1] != tids[2] && tids[2] != tids[3] && tids[1] != tids[3]);
  printf("main's mask unchanged by B's unblock: SIGUSR1 blocked %d\n", blocked(SIGUSR1));

  pthread_kill(b, SIGUSR1);
  wait_count(SIGUSR1, 1);
  printf("pthread_kill(B, SIGUSR1): handled %d, in %s\n", count[SIGUSR1], thread_name[ran_in[SIGUSR1]]);

  pthread_kill(a, SIGUSR1);
  sleep_ms(100);
  printf("pthread_kill(A, SIGUSR1) while A blocks it: handled %d, B saw it pending %d\n",
         count[SIGUSR1] - 1, b_saw_pending);
  a_check = 1;
  while (!a_checked) sleep_ms(1);
  printf("A unblocks: it was pending in A %d, handled %d, in %s\n", a_saw_pending,
         count[SIGUSR1] - 1, thread_name[ran_in[SIGUSR1]]);

  ran_in[SIGUSR1] = -1;
  kill(getpid(), SIGUSR1);
  wait_count(SIGUSR1, 3);
  printf("kill(getpid(), SIGUSR1): handled %d, in %s (the only thread not blocking it)\n",
         count[SIGUSR1] - 2, ran_in[SIGUSR1] >= 0 ? thread_name[ran_in[SIGUSR1]] : "none");

  syscall(SYS_tgkill, getpid(), tids[2], SIGUSR2);
  wait_count(SIGUSR2, 1);
  printf("tgkill(B's tid, SIGUSR2): handled %d, in %s\n", count[SIGUSR2], thread_name[ran_in[SIGUSR2]]);
  syscall(SYS_tgkill, getpid(), tids[1], SIGUSR2);
  wait_count(SIGUSR2, 2);
  printf("tgkill(A's tid, SIGUSR2): handled %d, in %s\n", count[SIGUSR2] - 1, thread_name[ran_in[SIGUSR2]]);
  raise(SIGUSR2);
  printf("raise(SIGUSR2) in main: handled %d, in %s\n", count[SIGUSR2] - 2, thread_name[ran_in[SIGUSR2]]);

  kill(getpid(), SIGTERM);
  pthread_join(c, NULL);
  printf("sigwait in C: returned %d, signal SIGTERM %d, SIGTERM handler ran %d times\n",
         sigwait_result, sigwait_sig == SIGTERM, count[SIGTERM]);

  done = 1;
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  sigpending(&s);
  printf("nothing left pending in main: %d\n", !sigismember(&s, SIGUSR1) && !sigismember(&s, SIGTERM));
  return 0;
}
