/* Thread scaling: the same integer work (a 32-bit multiply/xor-shift/rotate mixing chain per
   item, with a data-dependent branch; no shared memory while running) split evenly over
   argv[1] threads (1 or 2; 1 when absent). Each thread keeps its sum in registers and stores
   it once at the end; the printed checksum is the same for any thread count. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define ITEMS 32000000u
#define ROUNDS 24

struct slot {
  uint32_t from, to;
  uint64_t sum;
  char pad[64];
};

static void *work(void *arg) {
  struct slot *s = arg;
  uint64_t sum = 0;
  for (uint32_t i = s->from; i < s->to; i++) {
    uint32_t h = i * 0x9e3779b9u + 0x7f4a7c15u;
    for (int r = 0; r < ROUNDS; r++) {
      h ^= h >> 15;
      h *= 0x2c1b3c6du;
      h ^= h >> 12;
      if (h & 1) h = (h << 7) | (h >> 25);
      else h += 0x297a2d39u;
    }
    sum += h;
  }
  s->sum = sum;
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 16) {
    fprintf(stderr, "usage: %s [threads 1..16]\n", argv[0]);
    return 2;
  }
  struct slot slots[16];
  pthread_t t[16];
  for (int k = 0; k < threads; k++) {
    slots[k].from = (uint32_t)((uint64_t)ITEMS * k / threads);
    slots[k].to = (uint32_t)((uint64_t)ITEMS * (k + 1) / threads);
    if (k > 0) pthread_create(&t[k], NULL, work, &slots[k]);
  }
  work(&slots[0]);
  uint64_t total = slots[0].sum;
  for (int k = 1; k < threads; k++) {
    pthread_join(t[k], NULL);
    total += slots[k].sum;
  }
  printf("threads_cpu %016llx\n", (unsigned long long)total);
  return 0;
}
