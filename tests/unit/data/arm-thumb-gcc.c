// Freestanding C for the Thumb-2 frontend test (arm-thumb-gcc.test.ts): gcc -O2 turns it into
// the instruction mix of real programs (IT blocks, TBB/TBH switches, CBZ/CBNZ, 64-bit
// arithmetic, bit fields, byte reversal, libgcc's division), without VFP. Only locals and
// constant tables: the code runs where it is linked, with no writable data section.
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;

static long sys3(long nr, long a, long b, long c) {
  register long r0 __asm__("r0") = a;
  register long r1 __asm__("r1") = b;
  register long r2 __asm__("r2") = c;
  register long r7 __asm__("r7") = nr;
  __asm__ volatile("svc 0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
  return r0;
}

// libgcc's division-by-zero handler calls raise(); the divisions here never divide by zero.
int raise(int sig) { return sig; }

static u32 mix(u32 h, u32 v) { return (h ^ v) * 16777619u; }

__attribute__((noinline)) static int classify(int c) {
  switch (c) { // a dense switch: a TBB/TBH table
    case 0: return 11; case 1: return 23; case 2: return 5; case 3: return 47;
    case 4: return 2; case 5: return 91; case 6: return 13; case 7: return 70;
    case 8: return 8; case 9: return 33; case 10: return 61; case 11: return 19;
    default: return -1;
  }
}

// Results that depend on x keep gcc from turning the switch into a table of constants: it
// becomes a jump table (TBB, or TBH for the long one).
__attribute__((noinline)) static u32 jump_switch(int c, u32 x) {
  switch (c) {
    case 0: return x * 3 + 1; case 1: return x ^ 0x55; case 2: return x << 7; case 3: return -x;
    case 4: return x * x; case 5: return 1000 - x; case 6: return x | 0x300; case 7: return x & 1;
    case 8: return x >> 3; case 9: return x + 300; case 10: return x * 12345; case 11: return x - 900;
    default: return 42;
  }
}

__attribute__((noinline)) static u32 long_switch(int c, u32 x) {
  switch (c) {
#define C8(n) case n: x = x * (n + 3) + (x >> (n % 7)); x ^= x << (n % 5 + 1); x += (u32)n << 9; return x ^ (x >> 11);
    C8(0) C8(1) C8(2) C8(3) C8(4) C8(5) C8(6) C8(7) C8(8) C8(9) C8(10) C8(11) C8(12) C8(13)
    C8(14) C8(15) C8(16) C8(17) C8(18) C8(19) C8(20) C8(21) C8(22) C8(23) C8(24) C8(25)
    C8(26) C8(27) C8(28) C8(29) C8(30) C8(31) C8(32) C8(33) C8(34) C8(35) C8(36) C8(37)
    C8(38) C8(39) C8(40) C8(41) C8(42) C8(43) C8(44) C8(45) C8(46) C8(47)
#undef C8
    default: return ~x;
  }
}

__attribute__((noinline)) static s32 clamp(s32 v, s32 lo, s32 hi) { return v < lo ? lo : v > hi ? hi : v; }
__attribute__((noinline)) static u32 umax3(u32 a, u32 b, u32 c) { u32 m = a > b ? a : b; return m > c ? m : c; }
__attribute__((noinline)) static u32 popcount(u32 x) { u32 n = 0; while (x) { x &= x - 1; n++; } return n; }
__attribute__((noinline)) static u32 bswap(u32 x) { return __builtin_bswap32(x); }
__attribute__((noinline)) static u32 clz(u32 x) { return x ? __builtin_clz(x) : 32; }
__attribute__((noinline)) static u32 ctz(u32 x) { return x ? __builtin_ctz(x) : 32; }

struct bits { u32 a : 3, b : 7, c : 12, d : 10; };
__attribute__((noinline)) static u32 bitfields(u32 seed) {
  struct bits s = { seed & 7, seed >> 3, seed >> 10, seed >> 22 };
  s.b += s.a;
  s.c ^= s.d;
  s.d = s.c + 1;
  return s.a | s.b << 3 | (u32)s.c << 10 | (u32)s.d << 22;
}

__attribute__((noinline)) static u64 mul64(u64 a, u64 b) { return a * b + (a >> 7); }
__attribute__((noinline)) static s64 smul(s32 a, s32 b) { return (s64)a * b; }
__attribute__((noinline)) static u64 div64(u64 a, u64 b) { return b ? a / b + a % b : a; }
__attribute__((noinline)) static s32 sdiv(s32 a, s32 b) { return b ? a / b - a % b : 0; }

__attribute__((noinline)) static int str_len(const char *s) { int n = 0; while (*s++) n++; return n; }
__attribute__((noinline)) static int str_cmp(const char *a, const char *b) {
  while (*a && *a == *b) { a++; b++; }
  return (unsigned char)*a - (unsigned char)*b;
}

__attribute__((noinline)) static void sort(s32 *v, int n) {
  for (int i = 1; i < n; i++) {
    s32 x = v[i];
    int j = i - 1;
    while (j >= 0 && v[j] > x) { v[j + 1] = v[j]; j--; }
    v[j + 1] = x;
  }
}

static char *put_hex(char *p, u32 v) {
  for (int i = 7; i >= 0; i--) *p++ = "0123456789abcdef"[(v >> (i * 4)) & 15];
  *p++ = '\n';
  return p;
}

void _start(void) {
  char out[512];
  char *p = out;
  u32 h = 2166136261u;
  u32 x = 0x12345678;
  for (int i = 0; i < 40; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    h = mix(h, classify(x % 14));
    h = mix(h, jump_switch(x % 14, h));
    h = mix(h, long_switch(x % 50, h));
    h = mix(h, clamp((s32)x, -100000, 100000));
    h = mix(h, umax3(x, h, x ^ h));
    h = mix(h, popcount(x) + bswap(x) + clz(x >> (i % 32)) + ctz(x << (i % 32)));
    h = mix(h, bitfields(x));
    u64 m = mul64(((u64)x << 32) | h, x * 2654435761u);
    h = mix(h, (u32)m ^ (u32)(m >> 32));
    s64 sm = smul((s32)x, (s32)h);
    h = mix(h, (u32)sm + (u32)(sm >> 32));
    u64 d = div64(m, (x & 0xffff) + 1);
    h = mix(h, (u32)d ^ (u32)(d >> 32));
    h = mix(h, sdiv((s32)x, (s32)(h % 1000) - 500));
    if (i % 8 == 0) p = put_hex(p, h);
  }
  s32 v[24];
  for (int i = 0; i < 24; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; v[i] = (s32)x >> (i % 9); }
  sort(v, 24);
  for (int i = 0; i < 24; i++) h = mix(h, v[i]);
  p = put_hex(p, h);
  const char *words[] = { "thumb", "thumb-2", "arm", "", "it block", "thumbs" };
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 6; j++) h = mix(h, str_cmp(words[i], words[j]) + str_len(words[i]) * 7);
  p = put_hex(p, h);
  sys3(4, 1, (long)out, p - out); // write
  sys3(1, 0, 0, 0); // exit
  for (;;) {}
}
