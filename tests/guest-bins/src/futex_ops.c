/* The futex system call directly. FUTEX_WAIT: a value mismatch fails with EAGAIN, a relative
   timeout with ETIMEDOUT, an unaligned address with EINVAL; FUTEX_WAIT_BITSET with absolute
   CLOCK_MONOTONIC and CLOCK_REALTIME (FUTEX_CLOCK_REALTIME) deadlines times out no earlier
   than the deadline; a zero bitset is EINVAL. Waiter threads are made deterministic by
   requeueing: FUTEX_REQUEUE from the word they wait on to a second word, repeated until the
   counts returned add up to all of them, proves they are all asleep in the kernel. Then:
   FUTEX_WAKE of 2 of 4 waiters wakes exactly 2, the rest after; FUTEX_WAKE_BITSET wakes only
   the waiters whose bitset matches; FUTEX_CMP_REQUEUE fails with EAGAIN on a value mismatch
   and otherwise wakes 1 and requeues the rest; FUTEX_WAKE_OP adds to the second word and wakes
   its waiter only when the old value compares as asked. Private (FUTEX_PRIVATE_FLAG) and
   shared forms are both used. Only counts and outcomes are printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long futex(volatile int *uaddr, int op, int val, const void *timeout_or_val2, volatile int *uaddr2,
                  int val3) {
  return syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
}

static const char *err_name(long r, int e) {
  if (r >= 0) return "ok";
  return e == EAGAIN ? "EAGAIN" : e == ETIMEDOUT ? "ETIMEDOUT" : e == EINVAL ? "EINVAL" : e == EINTR ? "EINTR" : "other";
}

static int after(struct timespec a, struct timespec b) { /* a >= b */
  return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec >= b.tv_nsec);
}

static struct timespec in_ms(clockid_t clock, long ms) {
  struct timespec t;
  clock_gettime(clock, &t);
  t.tv_nsec += ms * 1000000L;
  while (t.tv_nsec >= 1000000000L) {
    t.tv_sec++;
    t.tv_nsec -= 1000000000L;
  }
  return t;
}

/* Waiter threads. */
struct waiter {
  pthread_t thread;
  volatile int *word;
  int op;      /* FUTEX_WAIT or FUTEX_WAIT_BITSET, maybe | FUTEX_PRIVATE_FLAG */
  int bitset;
  long result; /* 0 when woken */
  int err;
  volatile int returned;
};

static volatile int started;

static void *wait_thread(void *arg) {
  struct waiter *w = arg;
  __atomic_fetch_add(&started, 1, __ATOMIC_SEQ_CST);
  long r = futex(w->word, w->op, 0, NULL, NULL, w->bitset);
  w->err = r < 0 ? errno : 0;
  w->result = r;
  __atomic_store_n(&w->returned, 1, __ATOMIC_SEQ_CST);
  return NULL;
}

static void start_waiters(struct waiter *w, int n, volatile int *word, int op, const int *bitsets) {
  started = 0;
  for (int i = 0; i < n; i++) {
    memset(&w[i], 0, sizeof w[i]);
    w[i].word = word;
    w[i].op = op;
    w[i].bitset = bitsets ? bitsets[i] : FUTEX_BITSET_MATCH_ANY;
    pthread_create(&w[i].thread, NULL, wait_thread, &w[i]);
  }
  while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < n) usleep(200);
}

/* Requeues waiters from `from` to `to`, `n` at most per call, until `total` have moved: then all
   of them are known to be asleep on `to`. */
static long requeue_all(volatile int *from, volatile int *to, int total, int per_call, int private_flag) {
  long moved = 0;
  while (moved < total) {
    long r = futex(from, FUTEX_REQUEUE | private_flag, 0, (void *)(intptr_t)(per_call < total - moved ? per_call : total - moved), to, 0);
    if (r < 0) return -1;
    moved += r;
    if (r == 0) usleep(200);
  }
  return moved;
}

static int count_returned(struct waiter *w, int n) {
  int c = 0;
  for (int i = 0; i < n; i++) c += __atomic_load_n(&w[i].returned, __ATOMIC_SEQ_CST);
  return c;
}

static void wait_returned(struct waiter *w, int n, int expected) {
  for (int i = 0; i < 10000 && count_returned(w, n) < expected; i++) usleep(1000);
}

static void join_all(struct waiter *w, int n, const char *what) {
  int ok = 1;
  for (int i = 0; i < n; i++) {
    pthread_join(w[i].thread, NULL);
    ok &= w[i].result == 0;
  }
  printf("%s: all %d waiters returned 0 %d\n", what, n, ok);
}

int main(void) {
  static volatile int word = 5, f1, f2, f3;
  static int unaligned_space[2];
  long r;

  errno = 0;
  r = futex(&word, FUTEX_WAIT, 4, NULL, NULL, 0);
  printf("FUTEX_WAIT, value 5 expected 4: %ld %s\n", r, err_name(r, errno));
  errno = 0;
  r = futex(&word, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0);
  printf("FUTEX_WAIT_PRIVATE, mismatch: %ld %s\n", r, err_name(r, errno));
  struct timespec rel = {0, 50000000L};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  errno = 0;
  r = futex(&word, FUTEX_WAIT, 5, &rel, NULL, 0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  struct timespec due = t0;
  due.tv_nsec += 50000000L;
  if (due.tv_nsec >= 1000000000L) {
    due.tv_sec++;
    due.tv_nsec -= 1000000000L;
  }
  printf("FUTEX_WAIT, 50 ms relative timeout: %ld %s, not early %d\n", r, err_name(r, errno), after(t1, due));
  errno = 0;
  r = futex((volatile int *)((char *)unaligned_space + 1), FUTEX_WAIT, 0, &rel, NULL, 0);
  printf("FUTEX_WAIT, unaligned: %ld %s\n", r, err_name(r, errno));

  struct timespec deadline = in_ms(CLOCK_MONOTONIC, 50);
  errno = 0;
  r = futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, &deadline, NULL, FUTEX_BITSET_MATCH_ANY);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("FUTEX_WAIT_BITSET_PRIVATE, absolute CLOCK_MONOTONIC: %ld %s, not early %d\n", r,
         err_name(r, errno), after(t1, deadline));
  deadline = in_ms(CLOCK_REALTIME, 50);
  errno = 0;
  r = futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 5, &deadline, NULL, FUTEX_BITSET_MATCH_ANY);
  clock_gettime(CLOCK_REALTIME, &t1);
  printf("FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, absolute CLOCK_REALTIME: %ld %s, not early %d\n", r,
         err_name(r, errno), after(t1, deadline));
  errno = 0;
  r = futex(&word, FUTEX_WAIT_BITSET, 5, &deadline, NULL, 0);
  printf("FUTEX_WAIT_BITSET, bitset 0: %ld %s\n", r, err_name(r, errno));
  printf("FUTEX_WAKE, nobody waiting: %ld\n", futex(&word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0));

  /* Wake exactly 2 of 4. */
  struct waiter w[4];
  start_waiters(w, 4, &f1, FUTEX_WAIT, NULL);
  r = requeue_all(&f1, &f2, 4, INT_MAX, 0);
  printf("4 waiters on f1 requeued to f2: %ld\n", r);
  printf("FUTEX_WAKE f1 now: %ld\n", futex(&f1, FUTEX_WAKE, INT_MAX, NULL, NULL, 0));
  r = futex(&f2, FUTEX_WAKE, 2, NULL, NULL, 0);
  wait_returned(w, 4, 2);
  usleep(20000);
  printf("FUTEX_WAKE f2, 2 of 4: woke %ld, returned %d\n", r, count_returned(w, 4));
  r = futex(&f2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
  printf("FUTEX_WAKE f2, the rest: woke %ld\n", r);
  join_all(w, 4, "wake");

  /* WAKE_BITSET: bitsets 1, 2, 1, 2. */
  static const int bitsets[4] = {1, 2, 1, 2};
  start_waiters(w, 4, &f1, FUTEX_WAIT_BITSET_PRIVATE, bitsets);
  r = requeue_all(&f1, &f2, 4, 1, FUTEX_PRIVATE_FLAG);
  printf("4 bitset waiters requeued one at a time (private): %ld\n", r);
  r = futex(&f2, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 2);
  wait_returned(w, 4, 2);
  usleep(20000);
  printf("FUTEX_WAKE_BITSET_PRIVATE bitset 2: woke %ld, returned:", r);
  for (int i = 0; i < 4; i++) printf(" %d", w[i].returned);
  printf("\n");
  r = futex(&f2, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 4);
  printf("FUTEX_WAKE_BITSET_PRIVATE bitset 4: woke %ld\n", r);
  r = futex(&f2, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 1);
  printf("FUTEX_WAKE_BITSET_PRIVATE bitset 1: woke %ld\n", r);
  join_all(w, 4, "bitset");

  /* CMP_REQUEUE: 3 waiters on f1 (value 0). */
  struct waiter c[3];
  start_waiters(c, 3, &f1, FUTEX_WAIT, NULL);
  r = requeue_all(&f1, &f3, 3, INT_MAX, 0);
  printf("3 waiters parked on f3: %ld\n", r);
  f3 = 1;
  errno = 0;
  r = futex(&f3, FUTEX_CMP_REQUEUE, 1, (void *)(intptr_t)INT_MAX, &f2, 0);
  printf("FUTEX_CMP_REQUEUE f3 -> f2 expecting 0, value 1: %ld %s\n", r, err_name(r, errno));
  r = futex(&f3, FUTEX_CMP_REQUEUE, 1, (void *)(intptr_t)INT_MAX, &f2, 1);
  wait_returned(c, 3, 1);
  usleep(20000);
  printf("FUTEX_CMP_REQUEUE f3 -> f2, wake 1 requeue the rest: %ld, returned %d\n", r, count_returned(c, 3));
  printf("FUTEX_WAKE f3: %ld\n", futex(&f3, FUTEX_WAKE, INT_MAX, NULL, NULL, 0));
  r = futex(&f2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
  printf("FUTEX_WAKE f2 (the requeued): %ld\n", r);
  join_all(c, 3, "cmp_requeue");

  /* WAKE_OP: one waiter parked on f1, one on f2; f2 = 0. */
  f1 = f2 = f3 = 0;
  struct waiter o[2];
  start_waiters(o, 2, &f3, FUTEX_WAIT_PRIVATE, NULL);
  long a = requeue_all(&f3, &f1, 1, 1, FUTEX_PRIVATE_FLAG);
  long b = requeue_all(&f3, &f2, 1, 1, FUTEX_PRIVATE_FLAG);
  printf("parked one waiter on f1 and one on f2: %ld %ld\n", a, b);
  int op = FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_GT, 0);
  r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)(intptr_t)1, &f2, op);
  wait_returned(o, 2, 1);
  usleep(20000);
  printf("FUTEX_WAKE_OP (f2 += 5; wake f1; wake f2 if old f2 > 0): woke %ld, returned %d, f2 %d\n", r,
         count_returned(o, 2), f2);
  r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)(intptr_t)1, &f2, op);
  wait_returned(o, 2, 2);
  printf("again (old f2 is 5): woke %ld, returned %d, f2 %d\n", r, count_returned(o, 2), f2);
  op = FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_EQ, 99);
  r = futex(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)(intptr_t)1, &f2, op);
  printf("FUTEX_OP_OR with OPARG_SHIFT (f2 |= 1 << 4), nobody waiting: woke %ld, f2 %d\n", r, f2);
  join_all(o, 2, "wake_op");
  return 0;
}
