/* A NULL write in one thread with no SIGSEGV handler kills the whole process (status 139)
   while two other threads are busy computing and main waits in pthread_join: nothing after
   the fault is printed, by any thread. */
#include <pthread.h>
#include <stdio.h>

static volatile unsigned long progress[2];
static volatile int stop;

static void *busy(void *arg) {
  long id = (long)arg;
  unsigned long x = (unsigned long)id;
  while (!stop) {
    x = x * 1103515245u + 12345u;
    progress[id]++;
  }
  printf("busy thread %ld finished: not reached\n", id);
  return (void *)x;
}

static void *faulter(void *arg) {
  (void)arg;
  while (progress[0] < 1000 || progress[1] < 1000) {
  }
  printf("both busy threads are running; writing through NULL\n");
  fflush(stdout);
  *(volatile int *)0 = 1;
  stop = 1;
  printf("faulter survived: not reached\n");
  return NULL;
}

int main(void) {
  pthread_t b[2], f;
  for (long i = 0; i < 2; i++) pthread_create(&b[i], NULL, busy, (void *)i);
  pthread_create(&f, NULL, faulter, NULL);
  pthread_join(f, NULL);
  printf("join returned: not reached\n");
  return 0;
}
