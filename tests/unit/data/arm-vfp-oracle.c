/* Generates VFP test vectors: runs each case on the ARM VFP (run it under qemu-arm, the oracle)
 * and prints "op mode a b c result fpscr" in hex, one case a line, after a "#op name insn" line
 * for each instruction. Before the instruction,
 * FPSCR = mode (RMode, FZ, DN; flags clear), d0 = a, d1 = b, d3 = c; the result is d3 afterwards
 * (single-precision forms use s0, s2 and s6, the low words). Operands are drawn from edge
 * values (zeros, denormals, infinities, NaNs, limits of the integer conversions) and a
 * deterministic PRNG biased toward exponents where rounding, underflow and overflow happen.
 * Build: arm-linux-gnueabihf-gcc -static -O2 -mfpu=vfpv4 arm-vfp-oracle.c -o arm-vfp-oracle */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
typedef uint64_t u64;
typedef uint32_t u32;

#define OP(fn, insn)                                                                           \
  static u64 fn(u64 a, u64 b, u64 c, u32 mode, u32 *fl) {                                      \
    u64 r;                                                                                     \
    u32 f;                                                                                     \
    asm volatile("vmsr fpscr, %[m]\n\tvmov d0, %Q[a], %R[a]\n\tvmov d1, %Q[b], %R[b]\n\t"      \
                 "vmov d3, %Q[c], %R[c]\n\t" insn "\n\tvmrs %[f], fpscr\n\t"                   \
                 "vmov %Q[r], %R[r], d3"                                                       \
                 : [r] "=&r"(r), [f] "=&r"(f)                                                  \
                 : [a] "r"(a), [b] "r"(b), [c] "r"(c), [m] "r"(mode)                           \
                 : "d0", "d1", "d3", "cc");                                                    \
    *fl = f;                                                                                   \
    return r;                                                                                  \
  }

/* name, instruction, operand kind: S single, D double, I 32-bit integer, H two binary16 values;
 * in-place forms read c */
#define OPS(X)                                                                                 \
  X(vadd_f32, "vadd.f32 s6, s0, s2", S) X(vsub_f32, "vsub.f32 s6, s0, s2", S)                  \
  X(vmul_f32, "vmul.f32 s6, s0, s2", S) X(vnmul_f32, "vnmul.f32 s6, s0, s2", S)                \
  X(vdiv_f32, "vdiv.f32 s6, s0, s2", S) X(vmla_f32, "vmla.f32 s6, s0, s2", S)                  \
  X(vmls_f32, "vmls.f32 s6, s0, s2", S) X(vnmla_f32, "vnmla.f32 s6, s0, s2", S)                \
  X(vnmls_f32, "vnmls.f32 s6, s0, s2", S) X(vfma_f32, "vfma.f32 s6, s0, s2", S)                \
  X(vfms_f32, "vfms.f32 s6, s0, s2", S) X(vfnma_f32, "vfnma.f32 s6, s0, s2", S)                \
  X(vfnms_f32, "vfnms.f32 s6, s0, s2", S) X(vsqrt_f32, "vsqrt.f32 s6, s0", S)                  \
  X(vabs_f32, "vabs.f32 s6, s0", S) X(vneg_f32, "vneg.f32 s6, s0", S)                          \
  X(vcmp_f32, "vcmp.f32 s0, s2", S) X(vcmpe_f32, "vcmpe.f32 s0, s2", S)                        \
  X(vcmpz_f32, "vcmp.f32 s0, #0", S) X(vcmpez_f32, "vcmpe.f32 s0, #0", S)                      \
  X(vcvt_f64_f32, "vcvt.f64.f32 d3, s0", S) X(vcvt_s32_f32, "vcvt.s32.f32 s6, s0", S)          \
  X(vcvt_u32_f32, "vcvt.u32.f32 s6, s0", S) X(vcvtr_s32_f32, "vcvtr.s32.f32 s6, s0", S)        \
  X(vcvtr_u32_f32, "vcvtr.u32.f32 s6, s0", S) X(vcvt_f32_s32, "vcvt.f32.s32 s6, s0", I)        \
  X(vcvt_f32_u32, "vcvt.f32.u32 s6, s0", I)                                                    \
  X(vcvt_s32_f32_16, "vcvt.s32.f32 s6, s6, #16", S) X(vcvt_u32_f32_1, "vcvt.u32.f32 s6, s6, #1", S) \
  X(vcvt_s16_f32_8, "vcvt.s16.f32 s6, s6, #8", S) X(vcvt_u16_f32_3, "vcvt.u16.f32 s6, s6, #3", S) \
  X(vcvt_f32_s32_16, "vcvt.f32.s32 s6, s6, #16", I) X(vcvt_f32_u32_32, "vcvt.f32.u32 s6, s6, #32", I) \
  X(vcvt_f32_s16_4, "vcvt.f32.s16 s6, s6, #4", I) X(vcvt_f32_u16_16, "vcvt.f32.u16 s6, s6, #16", I) \
  X(vcvtb_f16_f32, "vcvtb.f16.f32 s6, s0", S) X(vcvtt_f16_f32, "vcvtt.f16.f32 s6, s0", S)      \
  X(vcvtb_f32_f16, "vcvtb.f32.f16 s6, s0", H) X(vcvtt_f32_f16, "vcvtt.f32.f16 s6, s0", H)      \
  X(vadd_f64, "vadd.f64 d3, d0, d1", D) X(vsub_f64, "vsub.f64 d3, d0, d1", D)                  \
  X(vmul_f64, "vmul.f64 d3, d0, d1", D) X(vnmul_f64, "vnmul.f64 d3, d0, d1", D)                \
  X(vdiv_f64, "vdiv.f64 d3, d0, d1", D) X(vmla_f64, "vmla.f64 d3, d0, d1", D)                  \
  X(vmls_f64, "vmls.f64 d3, d0, d1", D) X(vnmla_f64, "vnmla.f64 d3, d0, d1", D)                \
  X(vnmls_f64, "vnmls.f64 d3, d0, d1", D) X(vfma_f64, "vfma.f64 d3, d0, d1", D)                \
  X(vfms_f64, "vfms.f64 d3, d0, d1", D) X(vfnma_f64, "vfnma.f64 d3, d0, d1", D)                \
  X(vfnms_f64, "vfnms.f64 d3, d0, d1", D) X(vsqrt_f64, "vsqrt.f64 d3, d0", D)                  \
  X(vabs_f64, "vabs.f64 d3, d0", D) X(vneg_f64, "vneg.f64 d3, d0", D)                          \
  X(vcmp_f64, "vcmp.f64 d0, d1", D) X(vcmpe_f64, "vcmpe.f64 d0, d1", D)                        \
  X(vcmpz_f64, "vcmp.f64 d0, #0", D) X(vcmpez_f64, "vcmpe.f64 d0, #0", D)                      \
  X(vcvt_f32_f64, "vcvt.f32.f64 s6, d0", D) X(vcvt_s32_f64, "vcvt.s32.f64 s6, d0", D)          \
  X(vcvt_u32_f64, "vcvt.u32.f64 s6, d0", D) X(vcvtr_s32_f64, "vcvtr.s32.f64 s6, d0", D)        \
  X(vcvtr_u32_f64, "vcvtr.u32.f64 s6, d0", D) X(vcvt_f64_s32, "vcvt.f64.s32 d3, s0", I)        \
  X(vcvt_f64_u32, "vcvt.f64.u32 d3, s0", I)                                                    \
  X(vcvt_s32_f64_16, "vcvt.s32.f64 d3, d3, #16", D) X(vcvt_u32_f64_1, "vcvt.u32.f64 d3, d3, #1", D) \
  X(vcvt_s16_f64_8, "vcvt.s16.f64 d3, d3, #8", D) X(vcvt_u16_f64_3, "vcvt.u16.f64 d3, d3, #3", D) \
  X(vcvt_f64_s32_16, "vcvt.f64.s32 d3, d3, #16", I) X(vcvt_f64_u32_32, "vcvt.f64.u32 d3, d3, #32", I) \
  X(vcvt_f64_s16_4, "vcvt.f64.s16 d3, d3, #4", I) X(vcvt_f64_u16_16, "vcvt.f64.u16 d3, d3, #16", I)

enum kind { S, D, I, H };
#define DEF(fn, insn, k) OP(fn, insn)
OPS(DEF)
struct op { const char *name, *insn; u64 (*fn)(u64, u64, u64, u32, u32 *); enum kind k; };
#define ROW(fn, insn, k) {#fn, insn, fn, k},
static const struct op ops[] = { OPS(ROW) };

static u64 state = 0x9e3779b97f4a7c15ull;
static u64 rnd(void) { /* xorshift64* */
  state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
  return state * 0x2545f4914f6cdd1dull;
}

static const u32 edge32[] = {
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000,
  0x7f800001, 0xffc00001, 0x7fa00000, 0xff812345, 0x00000001, 0x807fffff, 0x007fffff,
  0x00800000, 0x80800000, 0x7f7fffff, 0x3fc00000, 0x4b000000, 0x4f000000, 0xcf000000,
  0x4f800000, 0x3f000000, 0x3effffff, 0x00800001, 0x3f800001, 0x4effffff, 0x7f000000,
  0x47000000, 0xc7000000, 0x477fff00, 0x3f7fffff, 0x00400000,
  /* binary16 limits: max, halfway to 2^16, min normal and just below, min denormal, half of it */
  0x477fe000, 0x477ff000, 0x38800000, 0x387fc000, 0x33800000, 0x33000000, 0xb3400001,
};
static const u64 edge64[] = {
  0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
  0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000000001ull,
  0xfff8000000000001ull, 0x7ff4000012345678ull, 0x0000000000000001ull, 0x800fffffffffffffull,
  0x000fffffffffffffull, 0x0010000000000000ull, 0x7fefffffffffffffull, 0x3ff8000000000000ull,
  0x41e0000000000000ull, 0xc1e0000000000000ull, 0x41f0000000000000ull, 0x3fe0000000000000ull,
  0x3fdfffffffffffffull, 0x41dfffffffc00000ull, 0xc1e0000000200000ull, 0x36a0000000000000ull,
  0x3810000000000000ull, 0x47efffffe0000000ull, 0x47efffffffffffffull, 0x380fffffffffffffull,
  0x3ff0000000000001ull, 0x40e0000000000000ull, 0xc0e0000000000000ull, 0x3690000000000000ull,
};
static const u32 edgeInt[] = {
  0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x1000001, 0xffff, 0x8000, 0x7fff, 0xffff8000,
  0x12345678,
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const uint16_t edge16[] = {0, 0x8000, 0x3c00, 0x7c00, 0xfc00, 0x7e00, 0x7d00, 0xfe01,
                                   0x0001, 0x03ff, 0x0400, 0x7bff, 0xfbff, 0x8001};

static u64 rand_val(enum kind k) {
  u64 r = rnd(), pick = rnd() % 16;
  if (k == H) {
    u32 lo = pick < 6 ? edge16[rnd() % N(edge16)] : (u32)r & 0xffff;
    u32 hi = rnd() % 4 == 0 ? edge16[rnd() % N(edge16)] : (u32)(r >> 16) & 0xffff;
    return hi << 16 | lo;
  }
  if (k == I) {
    if (pick < 4) return edgeInt[rnd() % N(edgeInt)];
    if (pick < 8) return (u32)r >> (rnd() % 32);
    return (u32)r;
  }
  if (k == S) {
    u32 v;
    if (pick < 3) v = edge32[rnd() % N(edge32)];
    else if (pick < 6) v = (u32)r;
    else if (pick < 10) v = ((u32)r & 0x807fffff) | ((u32)(120 + rnd() % 16) << 23);
    else if (pick < 12) v = ((u32)r & 0x807fffff) | ((u32)(rnd() % 8) << 23);
    else if (pick < 13) v = ((u32)r & 0x807fffff) | ((u32)(247 + rnd() % 8) << 23);
    else if (pick < 14) v = ((u32)r & 0x80000000) | ((u32)(150 + rnd() % 40) << 23) | ((u32)r & 0x7);
    else v = ((u32)r & 0x807fffff) | ((u32)(60 + rnd() % 16) << 23);
    return v;
  }
  if (pick < 3) return edge64[rnd() % N(edge64)];
  if (pick < 6) return r;
  if (pick < 10) return (r & 0x800fffffffffffffull) | ((u64)(1016 + rnd() % 16) << 52);
  if (pick < 12) return (r & 0x800fffffffffffffull) | ((u64)(rnd() % 8) << 52);
  if (pick < 13) return (r & 0x800fffffffffffffull) | ((u64)(2040 + rnd() % 8) << 52);
  if (pick < 14) return (r & 0x8000000000000000ull) | ((u64)(1050 + rnd() % 40) << 52) | (r & 0x7);
  /* near the binary32 range ends (vcvt.f32.f64) */
  return (r & 0x800fffffffffffffull) | ((u64)(1023 - 150 + rnd() % 30 + (rnd() & 1) * 270) << 52);
}

/* Special operands: 0, -0, 1, -inf, a quiet NaN, a signalling NaN (negative), a denormal, the
 * smallest normal, +inf. Every pair is run (c cycling through them), plus the fused forms'
 * inf * 0 with a NaN addend. */
static const u32 special32[] = {0, 0x80000000, 0x3f800000, 0xff800000, 0x7fc12345, 0xff812345,
                                0x00012345, 0x00800000, 0x7f800000};
static const u64 special64[] = {0, 0x8000000000000000ull, 0x3ff0000000000000ull,
                                0xfff0000000000000ull, 0x7ff8000012345678ull, 0xfff0000012345678ull,
                                0x0000000123456789ull, 0x0010000000000000ull, 0x7ff0000000000000ull};
static void run(const struct op *o, u64 a, u64 b, u64 c, u32 mode) {
  u32 fl;
  u64 res = o->fn(a, b, c, mode, &fl);
  printf("%s %x %llx %llx %llx %llx %x\n", o->name, mode, (unsigned long long)a,
         (unsigned long long)b, (unsigned long long)c, (unsigned long long)res, fl);
}
static u64 special(enum kind k, unsigned i) {
  return k == D ? special64[i % 9] : k == S ? special32[i % 9] : k == H ? (u32)edge16[i % N(edge16)] << 16 | edge16[(i + 5) % N(edge16)] : edgeInt[i % N(edgeInt)];
}

int main(int argc, char **argv) {
  int per = argc > 1 ? atoi(argv[1]) : 400;
  for (unsigned i = 0; i < N(ops); i++) printf("#op %s %s\n", ops[i].name, ops[i].insn);
  for (unsigned i = 0; i < N(ops); i++) {
    enum kind k = ops[i].k;
    unsigned n = 0;
    for (unsigned x = 0; x < 9; x++)
      for (unsigned y = 0; y < 9; y++, n++) {
        /* modes cycle through RMode x {none, FZ, DN} */
        u32 mode = (n % 4) << 22 | ((n / 4) % 3 == 1 ? 1u << 24 : 0) |
                   ((n / 4) % 3 == 2 ? 1u << 25 : 0) | ((n / 12) % 2 ? 1u << 26 : 0);
        run(&ops[i], special(k, x), special(k, y), special(k, x + 2 * y + 1), mode);
      }
    for (unsigned q = 4; q <= 5; q++)
      for (unsigned dn = 0; dn < 2; dn++) {
        run(&ops[i], special(k, 8), special(k, 0), special(k, q), dn << 25);
        run(&ops[i], special(k, 1), special(k, 3), special(k, q), dn << 25);
      }
  }
  for (unsigned i = 0; i < N(ops); i++) {
    for (int n = 0; n < per; n++) {
      u64 a = rand_val(ops[i].k), b = rand_val(ops[i].k), c = rand_val(ops[i].k);
      /* Products near the underflow threshold: b close to 2^-emin / a. */
      if (n % 8 == 7 && ops[i].k == S) b = (b & 0x807fffff) | ((u64)((253 - ((a >> 23) & 0xff)) & 0xff) << 23);
      if (n % 8 == 7 && ops[i].k == D) b = (b & 0x800fffffffffffffull) | ((u64)((2045 - ((a >> 52) & 0x7ff)) & 0x7ff) << 52);
      /* Results at the smallest normal: a * b within an ulp of it (b = 2^emin / a rounded), the
       * addend of the accumulating forms +/-2^emin, where tininess before and after rounding
       * differ. */
      if (n % 16 == 15 && ops[i].k == S) {
        union { float f; u32 u; } x = {.u = (u32)a}, y;
        y.f = 0x1p-126f / x.f;
        b = y.u;
        c = 0x00800000u | (u32)(rnd() & 1) << 31;
      }
      if (n % 16 == 15 && ops[i].k == D) {
        union { double f; u64 u; } x = {.u = a}, y;
        y.f = 0x1p-1022 / x.f;
        b = y.u;
        c = 0x0010000000000000ull | (rnd() & 1) << 63;
      }
      /* Just below the binary32 normal range with more bits than it keeps (vcvt.f32.f64). */
      if (n % 16 == 14 && ops[i].k == D) a = 0x380fffffe0000000ull | (rnd() & 0x1fffffff) | (rnd() & 1) << 63;
      u32 mode = (u32)(rnd() % 4) << 22;
      u64 m = rnd() % 8;
      if (m == 1 || m == 2) mode |= 1u << 24; /* FZ */
      if (m == 2 || m == 3) mode |= 1u << 25; /* DN */
      if (m == 4 || m == 5) mode |= 1u << 26; /* AHP (binary16 conversions only) */
      run(&ops[i], a, b, c, mode);
    }
  }
  /* The edges of the translated code's fast paths (round to nearest, no FZ, IXC set; normal
   * operands and results): results one rounding from overflow (a near the largest finite value,
   * b near 1 or near half its ulp) and exact results (small integers over 4, whose sums and
   * products are exact), half of them in the fast paths' mode, the others in any. Appended so
   * that the cases above stay as they were. */
  for (unsigned i = 0; i < N(ops); i++) {
    enum kind k = ops[i].k;
    if (k != S && k != D) continue;
    for (int n = 0; n < 128; n++) {
      u64 a = rand_val(k), b = rand_val(k), c = rand_val(k), r = rnd(), sign = (r & 1) << (k == D ? 63 : 31);
      if (n % 2 == 0 && k == D) {
        a = (0x7fefffffffffffffull - (rnd() & 3)) | sign;
        b = n % 4 == 0 ? (r & 0x800000000000000full) | 0x3ff0000000000000ull
                       : (a & 0x8000000000000000ull) | (r & 0xfull) | (u64)(0x7fe - 53 - rnd() % 2) << 52;
        c = n % 8 < 4 ? a ^ (rnd() & 1) << 63 : c;
      } else if (n % 2 == 0) {
        a = (0x7f7fffff - (rnd() & 3)) | sign;
        b = n % 4 == 0 ? ((u32)r & 0x8000000f) | 0x3f800000 : ((u32)a & 0x80000000) | ((u32)r & 0xf) | (u32)(0xfe - 24 - rnd() % 2) << 23;
        c = n % 8 < 4 ? a ^ (rnd() & 1) << 31 : c;
      } else {
        union { double f; u64 u; } x, y, z;
        union { float f; u32 u; } xs, ys, zs;
        x.f = (double)((int)(rnd() % 2001) - 1000) / 4;
        y.f = (double)((int)(rnd() % 2001) - 1000) / 4;
        z.f = (double)((int)(rnd() % 2001) - 1000) / 4;
        xs.f = x.f, ys.f = y.f, zs.f = z.f;
        a = k == D ? x.u : xs.u, b = k == D ? y.u : ys.u, c = k == D ? z.u : zs.u;
      }
      u32 mode = (u32)(rnd() % 4) << 22;
      u64 m = rnd() % 4;
      if (m == 1) mode |= 1u << 24; /* FZ */
      if (m == 2) mode |= 1u << 25; /* DN */
      run(&ops[i], a, b, c, n / 4 % 2 ? mode : 0);
    }
  }
  return 0;
}
