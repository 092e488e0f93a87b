/* malloc/free/realloc/calloc over many sizes (brk and mmap-backed chunks), verifying
   contents survive realloc and printing a checksum of all data. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 512
static unsigned char *slot[SLOTS];
static size_t len[SLOTS];
static uint32_t rng = 12345;
static uint32_t next(void) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; }

static void fill(unsigned char *p, size_t n, size_t tag) { for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * 31 + tag); }
static int verify(const unsigned char *p, size_t n, size_t tag) {
  for (size_t i = 0; i < n; i++) if (p[i] != (unsigned char)(i * 31 + tag)) return 0;
  return 1;
}

int main(void) {
  uint64_t checksum = 0;
  int bad = 0;
  for (int round = 0; round < 1000; round++) {
    int i = next() % SLOTS;
    uint32_t r = next();
    /* mostly small, some medium, a few above the mmap threshold (128 KiB) */
    size_t n = (r & 7) == 0 ? (r >> 8) % 300000 : (r & 7) < 3 ? (r >> 8) % 4096 : (r >> 8) % 128;
    if (slot[i] && (r & 0x30) == 0x10) {
      size_t keep = len[i] < n ? len[i] : n;
      unsigned char *p = realloc(slot[i], n ? n : 1);
      if (!verify(p, keep, (size_t)i)) bad++;
      slot[i] = p;
      fill(p, n, (size_t)i);
      len[i] = n;
    } else {
      if (slot[i]) { if (!verify(slot[i], len[i], (size_t)i)) bad++; checksum += len[i]; }
      free(slot[i]);
      if ((r & 0x30) == 0x20) {
        slot[i] = calloc(n ? n : 1, 1);
        for (size_t k = 0; k < n; k++) if (slot[i][k]) { bad++; break; }
      } else {
        slot[i] = malloc(n ? n : 1);
      }
      fill(slot[i], n, (size_t)i);
      len[i] = n;
    }
    checksum = checksum * 1000003 + n;
  }
  for (int i = 0; i < SLOTS; i++) {
    if (slot[i] && !verify(slot[i], len[i], (size_t)i)) bad++;
    free(slot[i]);
  }
  /* aligned allocations */
  for (size_t al = 16; al <= 65536; al *= 4) {
    void *p = aligned_alloc(al, al * 3);
    printf("aligned_alloc %zu aligned %d\n", al, ((uintptr_t)p & (al - 1)) == 0);
    free(p);
  }
  void *q = NULL;
  printf("posix_memalign %d\n", posix_memalign(&q, 4096, 100));
  free(q);
  printf("bad %d checksum %016llx\n", bad, (unsigned long long)checksum);
  return 0;
}
