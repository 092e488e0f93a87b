/* qsort and bsearch with several element types and comparators (callbacks from libc into
   guest code), stability check by key, and lfind/lsearch. */
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec { int key; char name[12]; double weight; };

static int by_key(const void *a, const void *b) { return ((const struct rec *)a)->key - ((const struct rec *)b)->key; }
static int by_weight_desc(const void *a, const void *b) {
  double x = ((const struct rec *)a)->weight, y = ((const struct rec *)b)->weight;
  return (x < y) - (x > y);
}
static int by_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static int by_long(const void *a, const void *b) { long x = *(const long *)a, y = *(const long *)b; return (x > y) - (x < y); }

int main(void) {
  struct rec r[64];
  for (int i = 0; i < 64; i++) {
    r[i].key = (i * 37) % 64;
    snprintf(r[i].name, sizeof r[i].name, "n%02d", i);
    r[i].weight = ((i * 13) % 17) / 4.0;
  }
  qsort(r, 64, sizeof r[0], by_key);
  for (int i = 0; i < 64; i += 9) printf("key %d %s %.2f\n", r[i].key, r[i].name, r[i].weight);
  for (int k = -1; k <= 64; k += 13) {
    struct rec probe = {.key = k};
    struct rec *f = bsearch(&probe, r, 64, sizeof r[0], by_key);
    printf("bsearch %d -> %s\n", k, f ? f->name : "(none)");
  }
  qsort(r, 64, sizeof r[0], by_weight_desc);
  for (int i = 0; i < 64; i += 7) printf("weight %.2f\n", r[i].weight);
  const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape", "kiwi", "lemon"};
  const char *w[10];
  memcpy(w, words, sizeof w);
  qsort(w, 10, sizeof w[0], by_str);
  for (int i = 0; i < 10; i++) printf("%s%c", w[i], i == 9 ? '\n' : ' ');
  const char *key = "grape";
  const char **hit = bsearch(&key, w, 10, sizeof w[0], by_str);
  printf("bsearch grape at %ld\n", hit ? (long)(hit - w) : -1L);
  long nums[1000];
  for (int i = 0; i < 1000; i++) nums[i] = ((long)i * 7919) % 1000 - 500;
  qsort(nums, 1000, sizeof nums[0], by_long);
  printf("longs %ld %ld %ld %ld\n", nums[0], nums[1], nums[500], nums[999]);
  long probe = 123;
  size_t n = 1000;
  long *lf = lfind(&probe, nums, &n, sizeof nums[0], by_long);
  printf("lfind 123 at %ld\n", lf ? (long)(lf - nums) : -1L);
  return 0;
}
