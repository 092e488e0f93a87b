/* POSIX threads (clone with CLONE_VM, futex): workers add into a mutex-protected total and
   an atomic counter, a condition variable hands work over, results joined in order. */
#include <pthread.h>
#include <stdio.h>

#define THREADS 4
#define ITERS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long total;
static long atomic_total;
static int stage;
static __thread int tls_value;

static void *worker(void *arg) {
  long id = (long)arg;
  tls_value = (int)id * 100;
  for (int i = 0; i < ITERS; i++) {
    pthread_mutex_lock(&lock);
    total += id + 1;
    pthread_mutex_unlock(&lock);
    __atomic_fetch_add(&atomic_total, 1, __ATOMIC_RELAXED);
  }
  pthread_mutex_lock(&lock);
  while (stage < 1) pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  return (void *)(long)(tls_value + 1);
}

int main(void) {
  pthread_t t[THREADS];
  tls_value = -1;
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
  pthread_mutex_lock(&lock);
  stage = 1;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < THREADS; i++) {
    void *ret;
    pthread_join(t[i], &ret);
    printf("thread %d returned %ld\n", i, (long)ret);
  }
  printf("total %ld (expected %d) atomic %ld main tls %d\n", total, ITERS * (1 + 2 + 3 + 4), atomic_total, tls_value);
  return 0;
}
