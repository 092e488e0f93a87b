/* Generates F/D test vectors: runs each case on the RISC-V FPU (run it under qemu-riscv64, the
 * oracle) and prints "op rm a b c result fflags" in hex, one case a line. Operands are raw 64-bit
 * register patterns (f32 values NaN-boxed, sometimes deliberately not), drawn from edge values
 * and a deterministic PRNG. Build: riscv64-linux-gnu-gcc -static -O2 fp-oracle.c -o fp-oracle */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef uint64_t u64;

/* One case: set frm and clear fflags, move a/b/c into ft0..ft2 (or use them as integers), run the
 * instruction, read the result (ft3 or an integer register) and fflags. */
#define FP_OP(fn, insn, res)                                                                    \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *fl) {                                        \
    u64 r, f;                                                                                   \
    asm volatile("fsrm %[rm]\n\tfsflags zero\n\t"                                               \
                 "fmv.d.x ft0,%[a]\n\tfmv.d.x ft1,%[b]\n\tfmv.d.x ft2,%[c]\n\t" insn "\n\t" res \
                 "\n\tfrflags %[f]"                                                             \
                 : [r] "=&r"(r), [f] "=&r"(f)                                                   \
                 : [a] "r"(a), [b] "r"(b), [c] "r"(c), [rm] "r"(rm)                             \
                 : "ft0", "ft1", "ft2", "ft3");                                                 \
    *fl = f;                                                                                    \
    return r;                                                                                   \
  }
#define FRES "fmv.x.d %[r],ft3"
#define XRES ""

FP_OP(fadd_s, "fadd.s ft3,ft0,ft1", FRES)
FP_OP(fsub_s, "fsub.s ft3,ft0,ft1", FRES)
FP_OP(fmul_s, "fmul.s ft3,ft0,ft1", FRES)
FP_OP(fdiv_s, "fdiv.s ft3,ft0,ft1", FRES)
FP_OP(fsqrt_s, "fsqrt.s ft3,ft0", FRES)
FP_OP(fmadd_s, "fmadd.s ft3,ft0,ft1,ft2", FRES)
FP_OP(fmsub_s, "fmsub.s ft3,ft0,ft1,ft2", FRES)
FP_OP(fnmadd_s, "fnmadd.s ft3,ft0,ft1,ft2", FRES)
FP_OP(fnmsub_s, "fnmsub.s ft3,ft0,ft1,ft2", FRES)
FP_OP(fmin_s, "fmin.s ft3,ft0,ft1", FRES)
FP_OP(fmax_s, "fmax.s ft3,ft0,ft1", FRES)
FP_OP(fsgnj_s, "fsgnj.s ft3,ft0,ft1", FRES)
FP_OP(fsgnjn_s, "fsgnjn.s ft3,ft0,ft1", FRES)
FP_OP(fsgnjx_s, "fsgnjx.s ft3,ft0,ft1", FRES)
FP_OP(feq_s, "feq.s %[r],ft0,ft1", XRES)
FP_OP(flt_s, "flt.s %[r],ft0,ft1", XRES)
FP_OP(fle_s, "fle.s %[r],ft0,ft1", XRES)
FP_OP(fclass_s, "fclass.s %[r],ft0", XRES)
FP_OP(fcvt_w_s, "fcvt.w.s %[r],ft0", XRES)
FP_OP(fcvt_wu_s, "fcvt.wu.s %[r],ft0", XRES)
FP_OP(fcvt_l_s, "fcvt.l.s %[r],ft0", XRES)
FP_OP(fcvt_lu_s, "fcvt.lu.s %[r],ft0", XRES)
FP_OP(fcvt_s_w, "fcvt.s.w ft3,%[a]", FRES)
FP_OP(fcvt_s_wu, "fcvt.s.wu ft3,%[a]", FRES)
FP_OP(fcvt_s_l, "fcvt.s.l ft3,%[a]", FRES)
FP_OP(fcvt_s_lu, "fcvt.s.lu ft3,%[a]", FRES)
FP_OP(fmv_x_w, "fmv.x.w %[r],ft0", XRES)
FP_OP(fadd_d, "fadd.d ft3,ft0,ft1", FRES)
FP_OP(fsub_d, "fsub.d ft3,ft0,ft1", FRES)
FP_OP(fmul_d, "fmul.d ft3,ft0,ft1", FRES)
FP_OP(fdiv_d, "fdiv.d ft3,ft0,ft1", FRES)
FP_OP(fsqrt_d, "fsqrt.d ft3,ft0", FRES)
FP_OP(fmadd_d, "fmadd.d ft3,ft0,ft1,ft2", FRES)
FP_OP(fmsub_d, "fmsub.d ft3,ft0,ft1,ft2", FRES)
FP_OP(fnmadd_d, "fnmadd.d ft3,ft0,ft1,ft2", FRES)
FP_OP(fnmsub_d, "fnmsub.d ft3,ft0,ft1,ft2", FRES)
FP_OP(fmin_d, "fmin.d ft3,ft0,ft1", FRES)
FP_OP(fmax_d, "fmax.d ft3,ft0,ft1", FRES)
FP_OP(feq_d, "feq.d %[r],ft0,ft1", XRES)
FP_OP(flt_d, "flt.d %[r],ft0,ft1", XRES)
FP_OP(fle_d, "fle.d %[r],ft0,ft1", XRES)
FP_OP(fclass_d, "fclass.d %[r],ft0", XRES)
FP_OP(fcvt_w_d, "fcvt.w.d %[r],ft0", XRES)
FP_OP(fcvt_wu_d, "fcvt.wu.d %[r],ft0", XRES)
FP_OP(fcvt_l_d, "fcvt.l.d %[r],ft0", XRES)
FP_OP(fcvt_lu_d, "fcvt.lu.d %[r],ft0", XRES)
FP_OP(fcvt_d_w, "fcvt.d.w ft3,%[a]", FRES)
FP_OP(fcvt_d_wu, "fcvt.d.wu ft3,%[a]", FRES)
FP_OP(fcvt_d_l, "fcvt.d.l ft3,%[a]", FRES)
FP_OP(fcvt_d_lu, "fcvt.d.lu ft3,%[a]", FRES)
FP_OP(fcvt_s_d, "fcvt.s.d ft3,ft0", FRES)
FP_OP(fcvt_d_s, "fcvt.d.s ft3,ft0", FRES)

/* Operand kinds: an f32 value (NaN-boxed), an f64 value, an integer. */
enum kind { S, D, I };
struct op { const char *name; u64 (*fn)(u64, u64, u64, u64, u64 *); enum kind k; int nargs; };
static const struct op ops[] = {
  {"fadd.s", fadd_s, S, 2}, {"fsub.s", fsub_s, S, 2}, {"fmul.s", fmul_s, S, 2},
  {"fdiv.s", fdiv_s, S, 2}, {"fsqrt.s", fsqrt_s, S, 1}, {"fmadd.s", fmadd_s, S, 3},
  {"fmsub.s", fmsub_s, S, 3}, {"fnmadd.s", fnmadd_s, S, 3}, {"fnmsub.s", fnmsub_s, S, 3},
  {"fmin.s", fmin_s, S, 2}, {"fmax.s", fmax_s, S, 2}, {"fsgnj.s", fsgnj_s, S, 2},
  {"fsgnjn.s", fsgnjn_s, S, 2}, {"fsgnjx.s", fsgnjx_s, S, 2}, {"feq.s", feq_s, S, 2},
  {"flt.s", flt_s, S, 2}, {"fle.s", fle_s, S, 2}, {"fclass.s", fclass_s, S, 1},
  {"fcvt.w.s", fcvt_w_s, S, 1}, {"fcvt.wu.s", fcvt_wu_s, S, 1}, {"fcvt.l.s", fcvt_l_s, S, 1},
  {"fcvt.lu.s", fcvt_lu_s, S, 1}, {"fcvt.s.w", fcvt_s_w, I, 1}, {"fcvt.s.wu", fcvt_s_wu, I, 1},
  {"fcvt.s.l", fcvt_s_l, I, 1}, {"fcvt.s.lu", fcvt_s_lu, I, 1}, {"fmv.x.w", fmv_x_w, S, 1},
  {"fadd.d", fadd_d, D, 2}, {"fsub.d", fsub_d, D, 2}, {"fmul.d", fmul_d, D, 2},
  {"fdiv.d", fdiv_d, D, 2}, {"fsqrt.d", fsqrt_d, D, 1}, {"fmadd.d", fmadd_d, D, 3},
  {"fmsub.d", fmsub_d, D, 3}, {"fnmadd.d", fnmadd_d, D, 3}, {"fnmsub.d", fnmsub_d, D, 3},
  {"fmin.d", fmin_d, D, 2}, {"fmax.d", fmax_d, D, 2}, {"feq.d", feq_d, D, 2},
  {"flt.d", flt_d, D, 2}, {"fle.d", fle_d, D, 2}, {"fclass.d", fclass_d, D, 1},
  {"fcvt.w.d", fcvt_w_d, D, 1}, {"fcvt.wu.d", fcvt_wu_d, D, 1}, {"fcvt.l.d", fcvt_l_d, D, 1},
  {"fcvt.lu.d", fcvt_lu_d, D, 1}, {"fcvt.d.w", fcvt_d_w, I, 1}, {"fcvt.d.wu", fcvt_d_wu, I, 1},
  {"fcvt.d.l", fcvt_d_l, I, 1}, {"fcvt.d.lu", fcvt_d_lu, I, 1}, {"fcvt.s.d", fcvt_s_d, D, 1},
  {"fcvt.d.s", fcvt_d_s, S, 1},
};

static u64 state = 0x9e3779b97f4a7c15ull;
static u64 rnd(void) { /* xorshift64* */
  state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
  return state * 0x2545f4914f6cdd1dull;
}

static const uint32_t edge32[] = {
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000,
  0x7f800001, 0xffc00001, 0x00000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0x3fc00000,
  0x4b000000, 0x4f000000, 0xcf000000, 0x4f800000, 0x5f000000, 0xdf000000, 0x5f800000,
  0x3f000000, 0x3effffff, 0x00800001, 0x80800000, 0x3f800001, 0x4effffff, 0x7f000000,
};
static const u64 edge64[] = {
  0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
  0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000000001ull,
  0xfff8000000000001ull, 0x0000000000000001ull, 0x000fffffffffffffull, 0x0010000000000000ull,
  0x7fefffffffffffffull, 0x3ff8000000000000ull, 0x4330000000000000ull, 0x41e0000000000000ull,
  0xc1e0000000000000ull, 0x41f0000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull,
  0x43f0000000000000ull, 0x3fe0000000000000ull, 0x3fdfffffffffffffull, 0x41dfffffffc00000ull,
  0xc1e0000000200000ull, 0x36a0000000000000ull, 0x3810000000000000ull, 0x47efffffe0000000ull,
  0x47efffffffffffffull, 0x3690000000000000ull, 0x380fffffffffffffull, 0x3ff0000000000001ull,
};
static const u64 edgeInt[] = {
  0, 1, 0xffffffffffffffffull, 0x7fffffff, 0x80000000, 0xffffffff80000000ull, 0xffffffff,
  0x7fffffffffffffffull, 0x8000000000000000ull, 0x1000001, 0x20000000000001ull,
  0xfffffffffffffffeull, 0x7ffffffffffffe00ull, 0xffffff7fffffffffull, 0x0000000100000001ull,
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A random value with a bias toward exponents where rounding gets interesting. */
static u64 rand_val(enum kind k) {
  u64 r = rnd(), pick = rnd() % 16;
  if (k == I) {
    if (pick < 3) return edgeInt[rnd() % N(edgeInt)];
    if (pick < 8) return (u64)(int64_t)(int32_t)r;         /* a 32-bit value */
    if (pick < 10) return r >> (rnd() % 64);               /* any magnitude */
    return r;
  }
  if (k == S) {
    uint32_t v;
    if (pick < 3) v = edge32[rnd() % N(edge32)];
    else if (pick < 6) v = (uint32_t)r;
    else if (pick < 10) v = ((uint32_t)r & 0x807fffff) | ((uint32_t)(120 + rnd() % 16) << 23);
    else if (pick < 12) v = ((uint32_t)r & 0x807fffff) | ((uint32_t)(rnd() % 8) << 23);
    else if (pick < 13) v = ((uint32_t)r & 0x807fffff) | ((uint32_t)(247 + rnd() % 8) << 23);
    else if (pick < 14) v = ((uint32_t)r & 0x80000000) | ((uint32_t)(150 + rnd() % 40) << 23) | ((uint32_t)r & 0x7);
    else v = ((uint32_t)r & 0x807fffff) | ((uint32_t)(127 + rnd() % 64) << 23);
    /* One in 64 not NaN-boxed: the operand must read as the canonical NaN. */
    return (rnd() % 64 == 0) ? (u64)v : (0xffffffff00000000ull | v);
  }
  if (pick < 3) return edge64[rnd() % N(edge64)];
  if (pick < 6) return r;
  if (pick < 10) return (r & 0x800fffffffffffffull) | ((1016 + rnd() % 16) << 52);
  if (pick < 12) return (r & 0x800fffffffffffffull) | ((rnd() % 8) << 52);
  if (pick < 13) return (r & 0x800fffffffffffffull) | ((2039 + rnd() % 8) << 52);
  if (pick < 14) return (r & 0x8000000000000000ull) | ((1075 + rnd() % 70) << 52) | (r & 0xf);
  return (r & 0x800fffffffffffffull) | ((1023 + rnd() % 64) << 52);
}

int main(int argc, char **argv) {
  int per_op = argc > 1 ? atoi(argv[1]) : 1000;
  for (unsigned i = 0; i < N(ops); i++) {
    for (int n = 0; n < per_op; n++) {
      u64 a = rand_val(ops[i].k), b = rand_val(ops[i].k), c = rand_val(ops[i].k), fl;
      /* fma with cancellation: c close to -(a*b) is where single rounding matters. */
      if (ops[i].nargs == 3 && n % 4 == 0) {
        if (ops[i].k == D) {
          double x, y; memcpy(&x, &a, 8); memcpy(&y, &b, 8); x = -(x * y); memcpy(&c, &x, 8);
        } else {
          float x, y; uint32_t u; memcpy(&x, &a, 4); memcpy(&y, &b, 4); x = -(x * y); memcpy(&u, &x, 4);
          c = 0xffffffff00000000ull | u;
        }
      }
      u64 rm = rnd() % 5;
      u64 r = ops[i].fn(a, b, c, rm, &fl);
      printf("%s %d %llx %llx %llx %llx %x\n", ops[i].name, (int)rm, (unsigned long long)a,
             ops[i].nargs > 1 ? (unsigned long long)b : 0ull,
             ops[i].nargs > 2 ? (unsigned long long)c : 0ull, (unsigned long long)r, (unsigned)fl);
    }
  }
  return 0;
}
