// Atomic read-modify-writes on MAP_SHARED memory are atomic between processes: a parent and a
// forked child each add 1 to a shared counter 5000 times (AMO add / LDREX-STREX), and take and
// release a spin lock around a plain counter 500 times; no update is lost.
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ADDS 5000
#define LOCKED 500

struct shared { long counter; int lock; long plain; };

static void work(struct shared *s) {
  for (int i = 0; i < ADDS; i++) __atomic_fetch_add(&s->counter, 1, __ATOMIC_SEQ_CST);
  for (int i = 0; i < LOCKED; i++) {
    while (__atomic_exchange_n(&s->lock, 1, __ATOMIC_ACQUIRE)) {}
    s->plain++;
    __atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
  }
}

int main(void) {
  struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (s == MAP_FAILED) return 1;
  fflush(stdout);
  pid_t pid = fork();
  work(s);
  if (pid == 0) _exit(0);
  int st;
  waitpid(pid, &st, 0);
  printf("counter %ld (expected %d), plain %ld (expected %d)\n", s->counter, 2 * ADDS, s->plain, 2 * LOCKED);
  return 0;
}
