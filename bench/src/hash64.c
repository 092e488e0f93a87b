/* Latency-bound 64-bit integer loop: a multiply/xor-shift mixing chain (splitmix64-style
   finalizer constants) over a counter, plus rotates and a data-dependent branch. */
#include <stdint.h>
#include <stdio.h>

int main(void) {
  uint64_t h = 0x9e3779b97f4a7c15ULL, acc = 0;
  for (uint64_t i = 0; i < 200000000ULL; i++) {
    h ^= i;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
    if (h & 1) acc += (h << 7) | (h >> 57);
    else acc ^= h;
  }
  printf("hash64 %016llx %016llx\n", (unsigned long long)h, (unsigned long long)acc);
  return 0;
}
