/* POSIX threads (clone with CLONE_VM, futex): 4 workers add into an atomic counter
   (__atomic_fetch_add), a mutex-protected total and an rwlock-protected total, keep a __thread
   value, meet at a barrier (exactly one gets PTHREAD_BARRIER_SERIAL_THREAD), wait on a
   condition variable until main broadcasts, and return a value that join collects in order.
   Then a condvar-based bounded queue: 1 producer, 3 consumers, every item taken exactly once
   (the sums are deterministic, the split between consumers is not and is not printed). */
#include <pthread.h>
#include <stdio.h>

#define THREADS 4
#define ITERS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t barrier;
static long total, rw_total, waiting;
static long atomic_total;
static int stage, serial_count;
static __thread int tls_value;

static void *worker(void *arg) {
  long id = (long)arg;
  tls_value = (int)id * 100;
  for (int i = 0; i < ITERS; i++) {
    pthread_mutex_lock(&lock);
    total += id + 1;
    pthread_mutex_unlock(&lock);
    __atomic_fetch_add(&atomic_total, 1, __ATOMIC_RELAXED);
    if ((i & 15) == 0) {
      pthread_rwlock_wrlock(&rw);
      rw_total += 2;
      pthread_rwlock_unlock(&rw);
    }
  }
  int b = pthread_barrier_wait(&barrier);
  if (b == PTHREAD_BARRIER_SERIAL_THREAD) __atomic_fetch_add(&serial_count, 1, __ATOMIC_RELAXED);
  else if (b != 0) __atomic_fetch_add(&serial_count, 100, __ATOMIC_RELAXED);
  pthread_rwlock_rdlock(&rw);
  long seen = rw_total;
  pthread_rwlock_unlock(&rw);
  pthread_mutex_lock(&lock);
  waiting++;
  pthread_cond_broadcast(&cond);
  while (stage < 1) pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  return (void *)(long)(tls_value + 1 + (seen == THREADS * (ITERS / 16) * 2 ? 0 : 1000));
}

/* The bounded queue. */
#define QSIZE 8
#define ITEMS 3000
#define CONSUMERS 3
static long queue[QSIZE];
static int qhead, qcount;
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;

static void put(long v) {
  pthread_mutex_lock(&qlock);
  while (qcount == QSIZE) pthread_cond_wait(&not_full, &qlock);
  queue[(qhead + qcount) % QSIZE] = v;
  qcount++;
  pthread_cond_signal(&not_empty);
  pthread_mutex_unlock(&qlock);
}

static long take(void) {
  pthread_mutex_lock(&qlock);
  while (qcount == 0) pthread_cond_wait(&not_empty, &qlock);
  long v = queue[qhead];
  qhead = (qhead + 1) % QSIZE;
  qcount--;
  pthread_cond_signal(&not_full);
  pthread_mutex_unlock(&qlock);
  return v;
}

struct tally { long long sum, squares, count; };

static void *producer(void *arg) {
  (void)arg;
  for (long v = 1; v <= ITEMS; v++) put(v);
  for (int i = 0; i < CONSUMERS; i++) put(0); /* one stop marker per consumer */
  return NULL;
}

static void *consumer(void *arg) {
  struct tally *t = arg;
  for (;;) {
    long v = take();
    if (v == 0) return NULL;
    t->sum += v;
    t->squares += (long long)v * v;
    t->count++;
  }
}

int main(void) {
  pthread_t t[THREADS];
  tls_value = -1;
  pthread_barrier_init(&barrier, NULL, THREADS);
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
  pthread_mutex_lock(&lock);
  while (waiting < THREADS) pthread_cond_wait(&cond, &lock);
  stage = 1;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < THREADS; i++) {
    void *ret;
    int r = pthread_join(t[i], &ret);
    printf("thread %d: join %d returned %ld\n", i, r, (long)ret);
  }
  printf("mutex total %ld (expected %d), atomic %ld, rwlock %ld, barrier serial threads %d, "
         "main tls %d\n",
         total, ITERS * (1 + 2 + 3 + 4), atomic_total, rw_total, serial_count, tls_value);
  pthread_barrier_destroy(&barrier);

  pthread_t prod, cons[CONSUMERS];
  struct tally tallies[CONSUMERS] = {{0, 0, 0}};
  for (int i = 0; i < CONSUMERS; i++) pthread_create(&cons[i], NULL, consumer, &tallies[i]);
  pthread_create(&prod, NULL, producer, NULL);
  pthread_join(prod, NULL);
  struct tally all = {0, 0, 0};
  for (int i = 0; i < CONSUMERS; i++) {
    pthread_join(cons[i], NULL);
    all.sum += tallies[i].sum;
    all.squares += tallies[i].squares;
    all.count += tallies[i].count;
  }
  printf("queue: %lld items, sum %lld (expected %lld), sum of squares %lld, left in queue %d\n",
         all.count, all.sum, (long long)ITEMS * (ITEMS + 1) / 2, all.squares, qcount);
  return 0;
}
