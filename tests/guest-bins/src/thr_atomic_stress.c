/* Atomic read-modify-write under contention: 4 threads x 250,000 increments through each
   primitive, all released together by a barrier, with exact final counts: __atomic_fetch_add
   on 32 bits (riscv amoadd.w, arm ldrex/strex), on 64 bits (amoadd.d, ldrexd/strexd) and on
   16 bits (riscv: libatomic's lr.w/sc.w loop on the containing word; arm ldrexh/strexh; the
   count wraps modulo 65536), a compare-exchange retry loop (lr/sc, ldrex/strex), a spinlock
   from __atomic_test_and_set / __atomic_clear (amoor.w, ldrexb/strexb) around a plain counter;
   on arm also the kernel user helpers __kuser_cmpxchg (0xffff0fc0) and __kuser_cmpxchg64
   (0xffff0f60) in retry loops. */
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 4
#define ITERS 250000

static pthread_barrier_t start;
static volatile int32_t add32;
static volatile uint64_t add64;
static volatile uint16_t add16;
static volatile int32_t cas32;
static volatile unsigned char lock_flag;
static volatile long locked_counter;

#if defined(__arm__)
typedef int(kuser_cmpxchg_t)(int oldval, int newval, volatile int *ptr);
#define __kuser_cmpxchg (*(kuser_cmpxchg_t *)0xffff0fc0)
typedef int(kuser_cmpxchg64_t)(const int64_t *oldval, const int64_t *newval, volatile int64_t *ptr);
#define __kuser_cmpxchg64 (*(kuser_cmpxchg64_t *)0xffff0f60)
#define __kuser_helper_version (*(int32_t *)0xffff0ffc)
static volatile int kuser32;
static volatile int64_t kuser64;
#endif

enum { FETCH_ADD32, FETCH_ADD64, FETCH_ADD16, CAS_LOOP, SPINLOCK, KUSER32, KUSER64, KINDS };
static const char *names[KINDS] = {"__atomic_fetch_add 32-bit", "__atomic_fetch_add 64-bit",
                                   "__atomic_fetch_add 16-bit", "compare-exchange loop",
                                   "test_and_set spinlock", "__kuser_cmpxchg", "__kuser_cmpxchg64"};

static void *run(void *arg) {
  int kind = (int)(long)arg;
  pthread_barrier_wait(&start);
  switch (kind) {
  case FETCH_ADD32:
    for (int i = 0; i < ITERS; i++) __atomic_fetch_add(&add32, 1, __ATOMIC_SEQ_CST);
    break;
  case FETCH_ADD64:
    for (int i = 0; i < ITERS; i++) __atomic_fetch_add(&add64, 1, __ATOMIC_SEQ_CST);
    break;
  case FETCH_ADD16:
    for (int i = 0; i < ITERS; i++) __atomic_fetch_add(&add16, 1, __ATOMIC_SEQ_CST);
    break;
  case CAS_LOOP:
    for (int i = 0; i < ITERS; i++) {
      int32_t old = __atomic_load_n(&cas32, __ATOMIC_RELAXED);
      while (!__atomic_compare_exchange_n(&cas32, &old, old + 1, 1, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
      }
    }
    break;
  case SPINLOCK:
    for (int i = 0; i < ITERS; i++) {
      while (__atomic_test_and_set(&lock_flag, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(&lock_flag, __ATOMIC_RELAXED)) {
        }
      }
      locked_counter = locked_counter + 1;
      __atomic_clear(&lock_flag, __ATOMIC_RELEASE);
    }
    break;
#if defined(__arm__)
  case KUSER32:
    for (int i = 0; i < ITERS; i++) {
      int old;
      do old = kuser32;
      while (__kuser_cmpxchg(old, old + 1, &kuser32) != 0);
    }
    break;
  case KUSER64:
    for (int i = 0; i < ITERS; i++) {
      int64_t old, next;
      do {
        old = kuser64;
        next = old + 1;
      } while (__kuser_cmpxchg64(&old, &next, &kuser64) != 0);
    }
    break;
#endif
  }
  return NULL;
}

static void phase(int kind) {
  pthread_t t[THREADS];
  pthread_barrier_init(&start, NULL, THREADS);
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, run, (void *)(long)kind);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  pthread_barrier_destroy(&start);
}

int main(void) {
  phase(FETCH_ADD32);
  printf("%s: %" PRId32 "\n", names[FETCH_ADD32], add32);
  phase(FETCH_ADD64);
  printf("%s: %" PRIu64 "\n", names[FETCH_ADD64], add64);
  phase(FETCH_ADD16);
  printf("%s: %u (%d mod 65536)\n", names[FETCH_ADD16], add16, THREADS * ITERS % 65536);
  phase(CAS_LOOP);
  printf("%s: %" PRId32 "\n", names[CAS_LOOP], cas32);
  phase(SPINLOCK);
  printf("%s: %ld, lock free at the end %d\n", names[SPINLOCK], locked_counter, lock_flag == 0);
#if defined(__arm__)
  printf("kuser helper version at least 5 (cmpxchg64): %d\n", __kuser_helper_version >= 5);
  phase(KUSER32);
  printf("%s: %d\n", names[KUSER32], kuser32);
  phase(KUSER64);
  printf("%s: %" PRId64 "\n", names[KUSER64], kuser64);
#endif
  return 0;
}
