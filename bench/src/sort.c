/* Memory- and branch-heavy: a bottom-up merge sort of pseudo-random 32-bit keys, then a
   binary-search pass, repeated over fresh data. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void merge_sort(uint32_t *a, uint32_t *tmp, size_t n) {
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
      while (i < mid) tmp[k++] = a[i++];
      while (j < hi) tmp[k++] = a[j++];
    }
    memcpy(a, tmp, n * sizeof *a);
  }
}

int main(void) {
  enum { N = 1 << 19, ROUNDS = 16 };
  uint32_t *a = malloc(N * sizeof *a), *tmp = malloc(N * sizeof *tmp);
  uint32_t s = 2463534242u;
  uint64_t check = 0;
  for (int r = 0; r < ROUNDS; r++) {
    for (size_t i = 0; i < N; i++) { s ^= s << 13; s ^= s >> 17; s ^= s << 5; a[i] = s; }
    merge_sort(a, tmp, N);
    size_t found = 0;
    for (size_t i = 0; i < N; i += 7) {
      uint32_t key = a[i] ^ (uint32_t)(i & 1);
      size_t lo = 0, hi = N;
      while (lo < hi) { size_t m = (lo + hi) / 2; if (a[m] < key) lo = m + 1; else hi = m; }
      found += lo < N && a[lo] == key;
    }
    check = check * 31 + a[N / 3] + found;
  }
  printf("sort %llu\n", (unsigned long long)check);
  free(a);
  free(tmp);
  return 0;
}
