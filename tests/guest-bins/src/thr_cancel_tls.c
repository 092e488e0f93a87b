/* Thread cancellation, thread-local storage and thread-specific data. pthread_cancel of threads
   blocked in cancellation points (pause, read of an empty pipe, pthread_cond_wait, sem_wait)
   runs their cleanup handlers (last pushed first; after pthread_cond_wait with the mutex held
   again) and pthread_join returns PTHREAD_CANCELED; cancellation disabled is deferred to
   pthread_testcancel after re-enabling; asynchronous cancellation stops a thread spinning
   without system calls (glibc's SIGCANCEL signal); pthread_exit from a nested call. __thread
   variables start at their initial value in each thread and are distinct per thread;
   pthread_key_create destructors run at thread exit (also after cancellation) with each
   thread's non-NULL value; pthread_once runs its routine once for 4 threads. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int pipefd[2];
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never_signalled = PTHREAD_COND_INITIALIZER;
static sem_t started, never_posted;
static char log_buf[256];
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void note(const char *s) {
  pthread_mutex_lock(&log_lock);
  strncat(log_buf, s, sizeof log_buf - strlen(log_buf) - 1);
  pthread_mutex_unlock(&log_lock);
}

static void cleanup_note(void *arg) { note(arg); }

static void cleanup_unlock(void *arg) {
  /* The mutex is held again when a cancelled pthread_cond_wait runs the handlers. */
  int r = pthread_mutex_unlock(arg);
  note(r == 0 ? "[unlock ok]" : "[unlock failed]");
}

static void *in_pause(void *arg) {
  (void)arg;
  pthread_cleanup_push(cleanup_note, "[pause cleanup 1]");
  pthread_cleanup_push(cleanup_note, "[pause cleanup 2]");
  sem_post(&started);
  for (;;) pause();
  pthread_cleanup_pop(0);
  pthread_cleanup_pop(0);
  return NULL;
}

static void *in_read(void *arg) {
  (void)arg;
  char c;
  pthread_cleanup_push(cleanup_note, "[read cleanup]");
  sem_post(&started);
  ssize_t n = read(pipefd[0], &c, 1);
  note(n == 1 ? "[read returned a byte]" : "[read failed]");
  pthread_cleanup_pop(0);
  return NULL;
}

static void *in_cond_wait(void *arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  pthread_cleanup_push(cleanup_unlock, &m);
  sem_post(&started);
  for (;;) pthread_cond_wait(&never_signalled, &m);
  pthread_cleanup_pop(1);
  return NULL;
}

static void *in_sem_wait(void *arg) {
  (void)arg;
  pthread_cleanup_push(cleanup_note, "[sem cleanup]");
  sem_post(&started);
  sem_wait(&never_posted);
  pthread_cleanup_pop(0);
  return NULL;
}

static volatile int cancel_sent;

static void *disabled_then_test(void *arg) {
  (void)arg;
  int old;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
  sem_post(&started);
  while (!__atomic_load_n(&cancel_sent, __ATOMIC_ACQUIRE)) usleep(1000); /* not cancelled here */
  note("[survived while disabled]");
  pthread_cleanup_push(cleanup_note, "[testcancel cleanup]");
  pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
  pthread_testcancel();
  note("[after testcancel?]");
  pthread_cleanup_pop(0);
  return NULL;
}

static volatile unsigned long spin_counter;

static void *async_spin(void *arg) {
  (void)arg;
  int old;
  pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &old);
  sem_post(&started);
  for (;;) spin_counter++;
  return NULL;
}

static __attribute__((noinline)) void leave(long v) { pthread_exit((void *)v); }

static void *exits_nested(void *arg) {
  (void)arg;
  leave(1234);
  return NULL;
}

static void cancel_and_join(const char *what, void *(*fn)(void *)) {
  pthread_t t;
  void *ret = NULL;
  log_buf[0] = 0;
  pthread_create(&t, NULL, fn, NULL);
  sem_wait(&started);
  int c = pthread_cancel(t);
  if (fn == disabled_then_test) __atomic_store_n(&cancel_sent, 1, __ATOMIC_RELEASE);
  int j = pthread_join(t, &ret);
  printf("%s: cancel %d join %d PTHREAD_CANCELED %d log %s\n", what, c, j, ret == PTHREAD_CANCELED,
         log_buf);
}

/* TLS and thread-specific data. */
static __thread int tls_init = 42;
static __thread long tls_id;
static pthread_key_t key, unused_key;
static long destructor_sum, destructor_calls;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_barrier_t barrier;
static long *tls_addr[4];

static void destroy(void *v) {
  __atomic_fetch_add(&destructor_sum, *(long *)v, __ATOMIC_RELAXED);
  __atomic_fetch_add(&destructor_calls, 1, __ATOMIC_RELAXED);
}

static void destroy_unused(void *v) {
  (void)v;
  __atomic_fetch_add(&destructor_calls, 1000, __ATOMIC_RELAXED);
}

static void once_init(void) { once_runs++; }

static void *tls_worker(void *arg) {
  static long values[4];
  long id = (long)arg;
  int fresh = tls_init == 42;
  tls_init = (int)id;
  tls_id = id * 10;
  tls_addr[id] = &tls_id;
  values[id] = id + 1;
  pthread_setspecific(key, &values[id]);
  pthread_once(&once, once_init);
  pthread_barrier_wait(&barrier);
  /* Every thread has written its own copy before anyone reads. */
  int ok = fresh && tls_init == id && tls_id == id * 10 && pthread_getspecific(key) == &values[id] &&
           pthread_getspecific(unused_key) == NULL;
  return (void *)(long)ok;
}

static void *keyed_pause(void *arg) {
  static long value = 5;
  (void)arg;
  pthread_setspecific(key, &value);
  sem_post(&started);
  for (;;) pause();
  return NULL;
}

int main(void) {
  if (pipe(pipefd) != 0) return 1;
  sem_init(&started, 0, 0);
  sem_init(&never_posted, 0, 0);
  cancel_and_join("pause", in_pause);
  cancel_and_join("read", in_read);
  cancel_and_join("pthread_cond_wait", in_cond_wait);
  printf("mutex free after: trylock %d\n", pthread_mutex_trylock(&m));
  pthread_mutex_unlock(&m);
  cancel_and_join("sem_wait", in_sem_wait);
  cancel_and_join("disabled, then testcancel", disabled_then_test);
  cancel_and_join("asynchronous, spinning", async_spin);
  pthread_t t;
  void *ret;
  pthread_create(&t, NULL, exits_nested, NULL);
  pthread_join(t, &ret);
  printf("pthread_exit from a nested call: %ld\n", (long)ret);

  pthread_key_create(&key, destroy);
  pthread_key_create(&unused_key, destroy_unused);
  pthread_barrier_init(&barrier, NULL, 4);
  tls_init = 7;
  pthread_t w[4];
  for (long i = 0; i < 4; i++) pthread_create(&w[i], NULL, tls_worker, (void *)i);
  int all_ok = 1;
  for (int i = 0; i < 4; i++) {
    pthread_join(w[i], &ret);
    all_ok &= (long)ret == 1;
  }
  int distinct = 1;
  for (int i = 0; i < 4; i++)
    for (int j = i + 1; j < 4; j++) distinct &= tls_addr[i] != tls_addr[j];
  printf("tls: every thread saw its own values %d, addresses distinct %d, main's copy still %d\n",
         all_ok, distinct, tls_init);
  printf("key destructors: calls %ld sum %ld (expected 4 and 10), main's value NULL %d\n",
         destructor_calls, destructor_sum, pthread_getspecific(key) == NULL);
  printf("pthread_once: routine ran %d time(s)\n", once_runs);

  /* A cancelled thread's key values are destroyed too. */
  destructor_calls = destructor_sum = 0;
  pthread_create(&t, NULL, keyed_pause, NULL);
  sem_wait(&started);
  pthread_cancel(t);
  pthread_join(t, &ret);
  printf("cancelled thread with a key value: PTHREAD_CANCELED %d, destructor calls %ld sum %ld\n",
         ret == PTHREAD_CANCELED, destructor_calls, destructor_sum);
  return 0;
}
