// Loops gcc -O3 -mfpu=neon -ftree-vectorize turns into NEON code (sums, byte loops, saxpy,
// widening and narrowing, min/max, compare-and-select, strided loops as VLD2-4/VST2-4, shifts by
// a variable amount), on pseudo-random data whose lengths
// exercise the scalar tails: run under qemu-arm and tsemu-arm, the outputs must agree.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 1027
static uint32_t seed = 777;
static uint32_t rnd(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

static uint8_t b1[N], b2[N], b3[N];
static int16_t h1[N], h2[N];
static int32_t w1[N], w2[N], w3[N];
static int64_t q1[N];
static float f1[N], f2[N], f3[N];

__attribute__((noinline)) static uint32_t sum_u8(const uint8_t *a, int n) { uint32_t s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
__attribute__((noinline)) static int32_t sum_s16(const int16_t *a, int n) { int32_t s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
__attribute__((noinline)) static int64_t sum_s32_64(const int32_t *a, int n) { int64_t s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
__attribute__((noinline)) static void add_u8(uint8_t *d, const uint8_t *a, const uint8_t *b, int n) { for (int i = 0; i < n; i++) d[i] = a[i] + b[i]; }
__attribute__((noinline)) static void avg_u8(uint8_t *d, const uint8_t *a, const uint8_t *b, int n) { for (int i = 0; i < n; i++) d[i] = (a[i] + b[i] + 1) >> 1; }
__attribute__((noinline)) static void sat_u8(uint8_t *d, const uint8_t *a, const uint8_t *b, int n) { for (int i = 0; i < n; i++) { int v = a[i] + b[i]; d[i] = v > 255 ? 255 : v; } }
__attribute__((noinline)) static void max_s32(int32_t *d, const int32_t *a, const int32_t *b, int n) { for (int i = 0; i < n; i++) d[i] = a[i] > b[i] ? a[i] : b[i]; }
__attribute__((noinline)) static void sel_s32(int32_t *d, const int32_t *a, const int32_t *b, int n) { for (int i = 0; i < n; i++) d[i] = a[i] == b[i] ? 7 : a[i] < 0 ? -a[i] : b[i] >> 3; }
__attribute__((noinline)) static void mul_s32(int32_t *d, const int32_t *a, const int32_t *b, int n) { for (int i = 0; i < n; i++) d[i] = a[i] * b[i] + (a[i] ^ b[i]); }
__attribute__((noinline)) static void widen(int32_t *d, const int16_t *a, const int16_t *b, int n) { for (int i = 0; i < n; i++) d[i] = a[i] * b[i]; }
__attribute__((noinline)) static void narrow(uint8_t *d, const int32_t *a, int n) { for (int i = 0; i < n; i++) d[i] = (uint8_t)(a[i] >> 4); }
__attribute__((noinline)) static void to64(int64_t *d, const int32_t *a, int n) { for (int i = 0; i < n; i++) d[i] = (int64_t)a[i] << 3; }
__attribute__((noinline)) static void saxpy(float *y, const float *x, float a, int n) { for (int i = 0; i < n; i++) y[i] = a * x[i] + y[i]; }
__attribute__((noinline)) static void fmul(float *d, const float *a, const float *b, int n) { for (int i = 0; i < n; i++) d[i] = a[i] * b[i] - a[i]; }
__attribute__((noinline)) static void i2f(float *d, const int32_t *a, int n) { for (int i = 0; i < n; i++) d[i] = (float)a[i] * 0.25f; }
__attribute__((noinline)) static void f2i(int32_t *d, const float *a, int n) { for (int i = 0; i < n; i++) d[i] = (int32_t)a[i]; }
__attribute__((noinline)) static void upper(uint8_t *d, const uint8_t *a, int n) { for (int i = 0; i < n; i++) d[i] = (a[i] >= 'a' && a[i] <= 'z') ? a[i] - 32 : a[i]; }
__attribute__((noinline)) static int count_eq(const uint8_t *a, uint8_t c, int n) { int k = 0; for (int i = 0; i < n; i++) k += a[i] == c; return k; }

/* Strided: gcc uses the structure loads and stores (VLD3/VLD2/VST2/VLD4/VST4). */
__attribute__((noinline)) static void gray(uint8_t *d, const uint8_t *rgb, int n) { for (int i = 0; i < n; i++) d[i] = (rgb[3 * i] * 77 + rgb[3 * i + 1] * 150 + rgb[3 * i + 2] * 29) >> 8; }
__attribute__((noinline)) static void cmul(int16_t *d, const int16_t *a, const int16_t *b, int n) {
  for (int i = 0; i < n; i++) { d[2 * i] = a[2 * i] * b[2 * i] - a[2 * i + 1] * b[2 * i + 1]; d[2 * i + 1] = a[2 * i] * b[2 * i + 1] + a[2 * i + 1] * b[2 * i]; }
}
__attribute__((noinline)) static void swap4(uint8_t *d, const uint8_t *a, int n) { for (int i = 0; i < n; i++) { d[4 * i] = a[4 * i + 3]; d[4 * i + 1] = a[4 * i + 2] + 1; d[4 * i + 2] = a[4 * i + 1]; d[4 * i + 3] = a[4 * i] ^ 0x55; } }
__attribute__((noinline)) static void vshift(int32_t *d, const int32_t *a, const int32_t *b, int n) { for (int i = 0; i < n; i++) d[i] = (a[i] << (b[i] & 15)) ^ (a[i] >> (b[i] & 7)); }

static uint32_t hash(const void *p, int n) { const uint8_t *b = p; uint32_t h = 2166136261u; for (int i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u; return h; }

int main(void) {
  for (int round = 0; round < 6; round++) {
    int n = N - round * 37;
    for (int i = 0; i < N; i++) {
      b1[i] = rnd(); b2[i] = rnd(); h1[i] = rnd(); h2[i] = rnd(); w1[i] = rnd(); w2[i] = (rnd() & 1) ? w1[i] : (int32_t)rnd();
      f1[i] = (float)(int32_t)(rnd() % 20001 - 10000) / 64.0f; f2[i] = (float)(int32_t)(rnd() % 2001 - 1000) / 8.0f;
    }
    printf("sums %u %d %lld\n", sum_u8(b1, n), sum_s16(h1, n), (long long)sum_s32_64(w1, n));
    add_u8(b3, b1, b2, n); printf("add_u8 %08x\n", hash(b3, n));
    avg_u8(b3, b1, b2, n); printf("avg_u8 %08x\n", hash(b3, n));
    sat_u8(b3, b1, b2, n); printf("sat_u8 %08x\n", hash(b3, n));
    max_s32(w3, w1, w2, n); printf("max_s32 %08x\n", hash(w3, 4 * n));
    sel_s32(w3, w1, w2, n); printf("sel_s32 %08x\n", hash(w3, 4 * n));
    mul_s32(w3, w1, w2, n); printf("mul_s32 %08x\n", hash(w3, 4 * n));
    widen(w3, h1, h2, n); printf("widen %08x\n", hash(w3, 4 * n));
    narrow(b3, w1, n); printf("narrow %08x\n", hash(b3, n));
    to64(q1, w1, n); printf("to64 %08x\n", hash(q1, 8 * n));
    memcpy(f3, f2, sizeof f3); saxpy(f3, f1, 1.75f, n); printf("saxpy %08x\n", hash(f3, 4 * n));
    fmul(f3, f1, f2, n); printf("fmul %08x\n", hash(f3, 4 * n));
    i2f(f3, w1, n); printf("i2f %08x\n", hash(f3, 4 * n));
    f2i(w3, f1, n); printf("f2i %08x\n", hash(w3, 4 * n));
    for (int i = 0; i < n; i++) b1[i] = 32 + b1[i] % 95;
    upper(b3, b1, n); printf("upper %08x %.20s\n", hash(b3, n), (char *)b3);
    printf("count_eq %d\n", count_eq(b1, 'e', n));
    gray(b3, b1, n / 3); printf("gray %08x\n", hash(b3, n / 3));
    cmul(h2, h1, (const int16_t *)w1, n / 2); printf("cmul %08x\n", hash(h2, 2 * n));
    swap4(b3, b2, n / 4); printf("swap4 %08x\n", hash(b3, n));
    vshift(w3, w1, w2, n); printf("vshift %08x\n", hash(w3, 4 * n));
  }
  return 0;
}
