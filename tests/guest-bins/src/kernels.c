/* Small CPU-bound kernels with known answers: sieve, double matrix multiply, SHA-256,
   CRC-32, and qsort of 100k ints. Sizes are small so every backend finishes quickly. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sieve(int n) {
  static unsigned char composite[200001];
  int count = 0;
  for (int i = 2; i <= n; i++) {
    if (composite[i]) continue;
    count++;
    for (long long j = (long long)i * i; j <= n; j += i) composite[j] = 1; /* i*i overflows 32 bits */
  }
  return count;
}

#define M 40
static double matmul_trace(void) {
  static double a[M][M], b[M][M], c[M][M];
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) { a[i][j] = (i + 1.0) / (j + 2.0); b[i][j] = (i - j) * 0.125; c[i][j] = 0; }
  for (int i = 0; i < M; i++)
    for (int k = 0; k < M; k++)
      for (int j = 0; j < M; j++) c[i][j] += a[i][k] * b[k][j];
  double t = 0;
  for (int i = 0; i < M; i++) t += c[i][i] + c[i][M - 1 - i] * 1e-3;
  return t;
}

/* SHA-256 as specified in FIPS 180-4, section 6.2. */
static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(uint32_t h[8], const unsigned char *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++) w[i] = (uint32_t)p[4 * i] << 24 | p[4 * i + 1] << 16 | p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256(const unsigned char *msg, size_t len, uint32_t h[8]) {
  static const uint32_t init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(h, init, sizeof init);
  size_t i = 0;
  for (; i + 64 <= len; i += 64) sha256_block(h, msg + i);
  unsigned char tail[128] = {0};
  size_t rest = len - i;
  memcpy(tail, msg + i, rest);
  tail[rest] = 0x80;
  size_t total = rest + 9 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)len * 8;
  for (int k = 0; k < 8; k++) tail[total - 1 - k] = (unsigned char)(bits >> (8 * k));
  for (size_t k = 0; k < total; k += 64) sha256_block(h, tail + k);
}

/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), bitwise. */
static uint32_t crc32(const unsigned char *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1));
  }
  return ~c;
}

static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }

int main(void) {
  printf("primes <= 200000: %d\n", sieve(200000));
  printf("matmul trace %.17g\n", matmul_trace());
  uint32_t h[8];
  sha256((const unsigned char *)"abc", 3, h);
  printf("sha256(abc) ");
  for (int i = 0; i < 8; i++) printf("%08x", h[i]);
  static unsigned char buf[20000];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * i + (i >> 7));
  sha256(buf, sizeof buf, h);
  printf("\nsha256(buf) ");
  for (int i = 0; i < 8; i++) printf("%08x", h[i]);
  printf("\ncrc32(123456789) %08x crc32(buf) %08x\n", crc32((const unsigned char *)"123456789", 9), crc32(buf, sizeof buf));
  enum { N = 100000 };
  int *v = malloc(N * sizeof *v);
  uint32_t s = 1;
  for (int i = 0; i < N; i++) { s = s * 1664525u + 1013904223u; v[i] = (int)s; }
  qsort(v, N, sizeof *v, cmp_int);
  int sorted = 1;
  uint64_t sum = 0;
  for (int i = 1; i < N; i++) { if (v[i - 1] > v[i]) sorted = 0; sum = sum * 31 + (uint32_t)v[i]; }
  printf("qsort %d ints sorted %d min %d max %d median %d hash %016" PRIx64 "\n", N, sorted, v[0], v[N - 1], v[N / 2], sum);
  free(v);
  return 0;
}
