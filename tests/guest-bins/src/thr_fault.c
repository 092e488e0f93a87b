/* A fault in one thread while others run: SIGSEGV from a NULL write goes to the faulting thread
   (pthread_self() in the handler is that thread, si_addr is 0), whose handler leaves by
   siglongjmp to a per-thread (__thread) sigjmp_buf; it faults and recovers three times. Two
   threads then fault at once, each recovering in itself. The other threads keep counting
   (their totals are exact) and everyone is joined. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define WORKERS 2
#define WORK 3000000L

static __thread sigjmp_buf *recover;
static __thread int faults_here;
static pthread_t expected_thread[2];
static volatile int handler_thread_ok[2] = {1, 1}, addr_ok[2] = {1, 1};
static volatile int fault_index;
static pthread_barrier_t go, both;

static void on_segv(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  int i = fault_index == 2 ? (pthread_equal(pthread_self(), expected_thread[0]) ? 0 : 1) : fault_index;
  if (!pthread_equal(pthread_self(), expected_thread[i])) handler_thread_ok[i] = 0;
  if (si->si_addr != NULL) addr_ok[i] = 0;
  faults_here++;
  if (recover) siglongjmp(*recover, 1);
}

static void fault_once(void) {
  sigjmp_buf env;
  recover = &env;
  if (sigsetjmp(env, 1) == 0) {
    *(volatile int *)0 = 1;
  }
  recover = NULL;
}

static volatile long progress[WORKERS];

static void *worker(void *arg) {
  long id = (long)arg;
  uint64_t x = (uint64_t)id + 1;
  for (long i = 0; i < WORK; i++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    progress[id] = i + 1;
  }
  return (void *)(uintptr_t)(uint32_t)(x >> 40);
}

static void *faulter(void *arg) {
  long rounds = (long)arg;
  pthread_barrier_wait(&go); /* main has noted which thread this is */
  /* Fault while the workers are mid-way. */
  for (int i = 0; i < WORKERS; i++)
    while (progress[i] == 0) {
    }
  for (long r = 0; r < rounds; r++) fault_once();
  return (void *)(long)faults_here;
}

static void *pair_faulter(void *arg) {
  (void)arg;
  pthread_barrier_wait(&both);
  fault_once();
  return (void *)(long)faults_here;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);

  pthread_t w[WORKERS], f;
  for (long i = 0; i < WORKERS; i++) pthread_create(&w[i], NULL, worker, (void *)i);
  fault_index = 0;
  pthread_barrier_init(&go, NULL, 2);
  pthread_create(&f, NULL, faulter, (void *)3L);
  expected_thread[0] = f;
  pthread_barrier_wait(&go);
  void *ret;
  pthread_join(f, &ret);
  printf("faulting thread: faults recovered %ld, handler ran in it %d, si_addr NULL %d\n", (long)ret,
         handler_thread_ok[0], addr_ok[0]);
  for (int i = 0; i < WORKERS; i++) {
    pthread_join(w[i], &ret);
    printf("worker %d: progress %ld of %ld, result %#lx\n", i, progress[i], WORK, (unsigned long)ret);
  }
  printf("main thread faults %d\n", faults_here);

  fault_index = 2;
  pthread_barrier_init(&both, NULL, 3);
  pthread_t p[2];
  pthread_create(&p[0], NULL, pair_faulter, NULL);
  pthread_create(&p[1], NULL, pair_faulter, NULL);
  expected_thread[0] = p[0];
  expected_thread[1] = p[1];
  pthread_barrier_wait(&both);
  long got = 0;
  for (int i = 0; i < 2; i++) {
    pthread_join(p[i], &ret);
    got += (long)ret;
  }
  printf("two threads faulting at once: faults recovered %ld, each handler in its own thread %d %d\n",
         got, handler_thread_ok[0], handler_thread_ok[1]);
  fault_once();
  printf("main thread recovers too: faults %d\n", faults_here);
  return 0;
}
