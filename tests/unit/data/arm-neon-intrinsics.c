// NEON intrinsics on pseudo-random inputs, each result printed as hex: run under qemu-arm and
// tsemu-arm, the outputs must agree (tests/unit/arm-neon-oracle.test.ts).
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t seed = 12345;
static uint32_t rnd(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }
/* Random bytes, with some lanes pushed to the edges (0, -1, min, max) to reach saturation. */
static void fill(void *p, int n) {
  uint8_t *b = p;
  for (int i = 0; i < n; i++) {
    uint32_t r = rnd();
    b[i] = (r & 0x700) == 0 ? 0x7f : (r & 0x700) == 0x100 ? 0x80 : (r & 0x700) == 0x200 ? 0xff : (uint8_t)r;
  }
}
static void out(const char *name, const void *p, int n) {
  const uint8_t *b = p;
  printf("%s ", name);
  for (int i = n - 1; i >= 0; i--) printf("%02x", b[i]);
  putchar('\n');
}
#define P(name, v) do { __typeof__(v) r_ = (v); out(name, &r_, sizeof r_); } while (0)
static float rf(void) {
  uint32_t r = rnd();
  float f;
  if ((r & 7) == 0) { memcpy(&f, &r, 4); return f; } /* any bit pattern: NaNs, denormals */
  return (float)(int32_t)(rnd() % 2000001 - 1000000) / (float)(1 + (r >> 24));
}

int main(void) {
  for (int it = 0; it < 40; it++) {
    uint8x16_t a8, b8, c8; int16x8_t a16, b16, c16; int32x4_t a32, b32, c32; int64x2_t a64, b64;
    uint8x8_t d8, e8; int16x4_t d16; int32x2_t d32, e32;
    fill(&a8, 16); fill(&b8, 16); fill(&c8, 16); fill(&a16, 16); fill(&b16, 16); fill(&c16, 16);
    fill(&a32, 16); fill(&b32, 16); fill(&c32, 16); fill(&a64, 16); fill(&b64, 16);
    fill(&d8, 8); fill(&e8, 8); fill(&d16, 8); fill(&d32, 8); fill(&e32, 8);
    uint32_t core = rnd();
    P("vadd8", vaddq_u8(a8, b8)); P("vadd16", vaddq_s16(a16, b16)); P("vadd32", vadd_s32(d32, e32));
    P("vadd64", vaddq_s64(a64, b64)); P("vsub8", vsub_u8(d8, e8)); P("vsub64", vsubq_s64(a64, b64));
    P("vmul8", vmulq_u8(a8, b8)); P("vmul16", vmulq_s16(a16, b16)); P("vmul32", vmulq_s32(a32, b32));
    P("vmla16", vmlaq_s16(c16, a16, b16)); P("vmls32", vmlsq_s32(c32, a32, b32)); P("vmla8", vmla_u8(d8, e8, d8));
    P("vaddl.u8", vaddl_u8(d8, e8)); P("vaddl.s16", vaddl_s16(d16, vget_low_s16(a16)));
    P("vaddl.s32", vaddl_s32(d32, e32)); P("vaddw.u8", vaddw_u8(vreinterpretq_u16_u8(a8), d8));
    P("vaddw.s32", vaddw_s32(a64, d32)); P("vsubl.u16", vsubl_u16(vreinterpret_u16_u8(d8), vreinterpret_u16_u8(e8)));
    P("vsubw.s8", vsubw_s8(a16, vreinterpret_s8_u8(d8)));
    P("vmull.u8", vmull_u8(d8, e8)); P("vmull.s16", vmull_s16(d16, vget_high_s16(b16)));
    P("vmull.u32", vmull_u32(vreinterpret_u32_s32(d32), vreinterpret_u32_s32(e32)));
    P("vmull.s32", vmull_s32(d32, e32)); P("vmlal.s16", vmlal_s16(c32, d16, vget_low_s16(b16)));
    P("vmlal.u32", vmlal_u32(vreinterpretq_u64_s64(a64), vreinterpret_u32_s32(d32), vreinterpret_u32_s32(e32)));
    P("vpadd8", vpadd_u8(d8, e8)); P("vpadd32", vpadd_s32(d32, e32)); P("vpaddl.u8", vpaddlq_u8(a8));
    P("vpaddl.s32", vpaddlq_s32(a32)); P("vpadal.u16", vpadalq_u16(vreinterpretq_u32_s32(c32), vreinterpretq_u16_s16(a16)));
    P("vmax.s8", vmaxq_s8(vreinterpretq_s8_u8(a8), vreinterpretq_s8_u8(b8))); P("vmax.u16", vmaxq_u16(vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16)));
    P("vmin.u32", vmin_u32(vreinterpret_u32_s32(d32), vreinterpret_u32_s32(e32))); P("vmin.s16", vminq_s16(a16, b16));
    P("vpmax.u8", vpmax_u8(d8, e8)); P("vpmin.s16", vpmin_s16(d16, vget_low_s16(a16)));
    P("vabs8", vabsq_s8(vreinterpretq_s8_u8(a8))); P("vabs32", vabsq_s32(a32)); P("vneg16", vnegq_s16(a16));
    P("vqabs8", vqabsq_s8(vreinterpretq_s8_u8(a8))); P("vqneg32", vqnegq_s32(a32));
    P("vabd.u8", vabdq_u8(a8, b8)); P("vabd.s32", vabdq_s32(a32, b32)); P("vaba.s16", vabaq_s16(c16, a16, b16));
    P("vabdl.u8", vabdl_u8(d8, e8)); P("vabal.s16", vabal_s16(c32, d16, vget_low_s16(b16)));
    P("vhadd.u8", vhaddq_u8(a8, b8)); P("vrhadd.s16", vrhaddq_s16(a16, b16)); P("vhsub.s32", vhsubq_s32(a32, b32));
    P("vceq8", vceqq_u8(a8, b8)); P("vceq8s", vceqq_u8(a8, a8)); P("vcge.s16", vcgeq_s16(a16, b16));
    P("vcgt.u32", vcgtq_u32(vreinterpretq_u32_s32(a32), vreinterpretq_u32_s32(b32)));
    P("vcle.s8", vcleq_s8(vreinterpretq_s8_u8(a8), vreinterpretq_s8_u8(b8))); P("vclt.u16", vcltq_u16(vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16)));
    P("vceqz8", vceqq_u8(a8, vdupq_n_u8(0))); P("vcgez16", vcgeq_s16(a16, vdupq_n_s16(0)));
    P("vcgtz32", vcgtq_s32(a32, vdupq_n_s32(0))); P("vclez8", vcleq_s8(vreinterpretq_s8_u8(a8), vdupq_n_s8(0)));
    P("vcltz16", vcltq_s16(a16, vdupq_n_s16(0)));
    P("vtst8", vtstq_u8(a8, b8)); P("vtst32", vtst_u32(vreinterpret_u32_s32(d32), vreinterpret_u32_s32(e32)));
    P("vand", vandq_u8(a8, b8)); P("vbic", vbicq_u8(a8, b8)); P("vorr", vorrq_u8(a8, b8));
    P("vorn", vornq_u8(a8, b8)); P("veor", veorq_u8(a8, b8)); P("vbsl", vbslq_u8(c8, a8, b8)); P("vmvn", vmvnq_u8(a8));
    P("vshr.u8", vshrq_n_u8(a8, 3)); P("vshr.s16", vshrq_n_s16(a16, 15)); P("vshr.s32", vshrq_n_s32(a32, 31));
    P("vshr.u64", vshrq_n_u64(vreinterpretq_u64_s64(a64), 63)); P("vshr.s64", vshrq_n_s64(a64, 7));
    P("vshr.u8.8", vshrq_n_u8(a8, 8)); P("vshr.u32.32", vshrq_n_u32(vreinterpretq_u32_s32(a32), 32));
    P("vsra.u16", vsraq_n_u16(vreinterpretq_u16_s16(c16), vreinterpretq_u16_s16(a16), 5));
    P("vsra.s64", vsraq_n_s64(b64, a64, 33)); P("vrshr.s8", vrshrq_n_s8(vreinterpretq_s8_u8(a8), 2));
    P("vrshr.u32", vrshrq_n_u32(vreinterpretq_u32_s32(a32), 31)); P("vrsra.s16", vrsraq_n_s16(c16, a16, 4));
    P("vshl.8", vshlq_n_u8(a8, 7)); P("vshl.16", vshlq_n_s16(a16, 3)); P("vshl.32", vshlq_n_s32(a32, 31));
    P("vshl.64", vshlq_n_s64(a64, 40)); P("vsli.8", vsliq_n_u8(b8, a8, 3)); P("vsri.32", vsriq_n_u32(vreinterpretq_u32_s32(b32), vreinterpretq_u32_s32(a32), 9));
    P("vqshl.s16", vqshlq_n_s16(a16, 4)); P("vqshl.u8", vqshlq_n_u8(a8, 2)); P("vqshlu.s32", vqshluq_n_s32(a32, 1));
    P("vshrn.16", vshrn_n_u16(vreinterpretq_u16_s16(a16), 3)); P("vshrn.64", vshrn_n_s64(a64, 20));
    P("vrshrn.32", vrshrn_n_s32(a32, 16)); P("vqshrn.s16", vqshrn_n_s16(a16, 2)); P("vqshrn.u32", vqshrn_n_u32(vreinterpretq_u32_s32(a32), 3));
    P("vqshrun.s16", vqshrun_n_s16(a16, 1)); P("vqrshrn.s32", vqrshrn_n_s32(a32, 5));
    P("vshll.u8", vshll_n_u8(d8, 3)); P("vshll.s16", vshll_n_s16(d16, 15)); P("vshll.s32", vshll_n_s32(d32, 31));
    P("vmovl.u8", vmovl_u8(d8)); P("vmovl.s16", vmovl_s16(d16)); P("vmovl.s32", vmovl_s32(d32));
    P("vmovn.16", vmovn_u16(vreinterpretq_u16_s16(a16))); P("vmovn.64", vmovn_s64(a64));
    P("vqmovn.s32", vqmovn_s32(a32)); P("vqmovn.u16", vqmovn_u16(vreinterpretq_u16_s16(a16))); P("vqmovun.s16", vqmovun_s16(a16));
    P("vaddhn.32", vaddhn_s32(a32, b32)); P("vsubhn.16", vsubhn_s16(a16, b16));
    P("vqadd.s8", vqaddq_s8(vreinterpretq_s8_u8(a8), vreinterpretq_s8_u8(b8))); P("vqadd.u16", vqaddq_u16(vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16)));
    P("vqadd.s32", vqaddq_s32(a32, b32)); P("vqadd.u64", vqaddq_u64(vreinterpretq_u64_s64(a64), vreinterpretq_u64_s64(b64)));
    P("vqsub.u8", vqsubq_u8(a8, b8)); P("vqsub.s16", vqsubq_s16(a16, b16)); P("vqsub.s64", vqsubq_s64(a64, b64));
    { int8x16_t sh8 = vshrq_n_s8(vreinterpretq_s8_u8(c8), 3); int16x8_t sh16 = vshrq_n_s16(c16, 10); int32x4_t sh32 = vshrq_n_s32(c32, 25);
      int64x2_t sh64 = vreinterpretq_s64_s32(vshrq_n_s32(c32, 25));
      P("vshl.r.u8", vshlq_u8(a8, sh8)); P("vshl.r.s16", vshlq_s16(a16, sh16)); P("vshl.r.s32", vshlq_s32(a32, sh32));
      P("vshl.r.u64", vshlq_u64(vreinterpretq_u64_s64(a64), sh64)); P("vshl.r.s64", vshlq_s64(b64, sh64));
      P("vrshl.s8", vrshlq_s8(vreinterpretq_s8_u8(a8), sh8)); P("vrshl.u16", vrshlq_u16(vreinterpretq_u16_s16(a16), sh16));
      P("vrshl.s32", vrshlq_s32(a32, sh32)); P("vrshl.u64", vrshlq_u64(vreinterpretq_u64_s64(a64), sh64));
      P("vqshl.r.s8", vqshlq_s8(vreinterpretq_s8_u8(a8), sh8)); P("vqshl.r.u16", vqshlq_u16(vreinterpretq_u16_s16(a16), sh16));
      P("vqshl.r.s32", vqshlq_s32(a32, sh32)); P("vqshl.r.s64", vqshlq_s64(a64, sh64));
      P("vqrshl.u8", vqrshlq_u8(a8, sh8)); P("vqrshl.s16", vqrshlq_s16(a16, sh16)); P("vqrshl.u32", vqrshlq_u32(vreinterpretq_u32_s32(a32), sh32));
      P("vqrshl.u64", vqrshlq_u64(vreinterpretq_u64_s64(b64), sh64)); }
    P("vqdmulh.s16", vqdmulhq_s16(a16, b16)); P("vqdmulh.s32", vqdmulh_s32(d32, e32));
    P("vqrdmulh.s16", vqrdmulh_s16(d16, vget_low_s16(b16))); P("vqrdmulh.s32", vqrdmulhq_s32(a32, b32));
    P("vqdmulh.min", vqdmulhq_s16(vdupq_n_s16(-32768), vdupq_n_s16(-32768)));
    P("vraddhn.32", vraddhn_s32(a32, b32)); P("vrsubhn.16", vrsubhn_u16(vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16)));
    P("vraddhn.64", vraddhn_s64(a64, b64)); P("vqrshrun.s32", vqrshrun_n_s32(a32, 7)); P("vqrshrun.s16", vqrshrun_n_s16(b16, 1));
    P("vmul.p8", vmulq_p8(vreinterpretq_p8_u8(a8), vreinterpretq_p8_u8(b8))); P("vmull.p8", vmull_p8(vreinterpret_p8_u8(d8), vreinterpret_p8_u8(e8)));
    P("vqdmull.s16", vqdmull_s16(d16, vget_low_s16(a16))); P("vqdmull.s32", vqdmull_s32(d32, e32));
    P("vqdmull.min", vqdmull_s16(vdup_n_s16(-32768), vdup_n_s16(-32768)));
    P("vqdmlal.s16", vqdmlal_s16(c32, d16, vget_high_s16(b16))); P("vqdmlsl.s32", vqdmlsl_s32(a64, d32, e32));
    P("vqdmlal.sat", vqdmlal_s16(vdupq_n_s32(0x7fffffff), d16, vget_low_s16(a16)));
    P("vmull.lane16", vmull_lane_s16(d16, vget_low_s16(b16), 1)); P("vmull.lane32", vmull_lane_u32(vreinterpret_u32_s32(d32), vreinterpret_u32_s32(e32), 1));
    P("vmlal.lane16", vmlal_lane_u16(vreinterpretq_u32_s32(c32), vreinterpret_u16_s16(d16), vreinterpret_u16_s16(vget_high_s16(a16)), 3));
    P("vmlsl.lane32", vmlsl_lane_s32(b64, d32, e32, 0)); P("vqdmull.lane16", vqdmull_lane_s16(d16, vget_high_s16(b16), 2));
    P("vqdmlal.lane32", vqdmlal_lane_s32(a64, d32, e32, 1)); P("vqdmlsl.lane16", vqdmlsl_lane_s16(c32, d16, vget_low_s16(a16), 0));
    P("vqdmulh.lane16", vqdmulhq_lane_s16(a16, d16, 3)); P("vqrdmulh.lane32", vqrdmulh_lane_s32(d32, e32, 1));
    P("vqrdmulh.lane16", vqrdmulhq_lane_s16(b16, vdup_n_s16(-32768), 2));
    P("vdup.n8", vdupq_n_u8((uint8_t)core)); P("vdup.n16", vdup_n_s16((int16_t)core)); P("vdup.n32", vdupq_n_u32(core));
    P("vdup.l8", vdupq_lane_u8(d8, 5)); P("vdup.l16", vdup_lane_s16(d16, 3)); P("vdup.l32", vdupq_lane_s32(d32, 1));
    P("vext8", vextq_u8(a8, b8, 5)); P("vext16", vext_s16(d16, vget_low_s16(b16), 3)); P("vext32", vextq_s32(a32, b32, 3));
    P("vrev16", vrev16q_u8(a8)); P("vrev32.8", vrev32q_u8(a8)); P("vrev32.16", vrev32q_s16(a16));
    P("vrev64.8", vrev64q_u8(a8)); P("vrev64.16", vrev64_s16(d16)); P("vrev64.32", vrev64q_s32(a32));
    { uint8x16x2_t z = vzipq_u8(a8, b8); P("vzip8a", z.val[0]); P("vzip8b", z.val[1]); }
    { int16x4x2_t z = vzip_s16(d16, vget_low_s16(b16)); P("vzip16a", z.val[0]); P("vzip16b", z.val[1]); }
    { int32x4x2_t z = vuzpq_s32(a32, b32); P("vuzp32a", z.val[0]); P("vuzp32b", z.val[1]); }
    { uint8x8x2_t z = vuzp_u8(d8, e8); P("vuzp8a", z.val[0]); P("vuzp8b", z.val[1]); }
    { int16x8x2_t z = vtrnq_s16(a16, b16); P("vtrn16a", z.val[0]); P("vtrn16b", z.val[1]); }
    { uint8x8x2_t z = vtrn_u8(d8, e8); P("vtrn8a", z.val[0]); P("vtrn8b", z.val[1]); }
    { uint8x8_t idx = vand_u8(e8, vdup_n_u8(31)); uint8x8x2_t t = { { d8, vget_low_u8(a8) } };
      uint8x8x4_t t4 = { { d8, e8, vget_low_u8(a8), vget_high_u8(b8) } };
      P("vtbl1", vtbl1_u8(d8, e8)); P("vtbl2", vtbl2_u8(t, idx)); P("vtbl4", vtbl4_u8(t4, idx));
      P("vtbx2", vtbx2_u8(vget_high_u8(c8), t, idx)); P("vtbx1", vtbx1_u8(vget_low_u8(c8), d8, e8)); }
    P("vcnt", vcntq_u8(a8)); P("vclz8", vclzq_u8(a8)); P("vclz16", vclzq_s16(a16)); P("vclz32", vclzq_u32(vreinterpretq_u32_s32(a32)));
    P("vcls8", vclsq_s8(vreinterpretq_s8_u8(a8)));
    P("vmul.lane16", vmulq_lane_s16(a16, d16, 2)); P("vmla.lane32", vmlaq_lane_s32(c32, a32, d32, 1));
    P("vmls.lane16", vmls_lane_s16(d16, vget_low_s16(a16), vget_high_s16(b16), 3));
    P("vget.lane8", vgetq_lane_u8(a8, 11)); P("vget.lane16", vgetq_lane_s16(a16, 6));
    P("vset.lane8", vsetq_lane_u8((uint8_t)core, a8, 13)); P("vset.lane32", vsetq_lane_u32(core, vreinterpretq_u32_s32(a32), 2));
    P("vmov.i8", vdupq_n_u8(0xa5)); P("vmov.i16", vdupq_n_u16(0x3f00)); P("vmov.i32", vdupq_n_u32(0x00ab0000));
    P("vmov.i32ff", vdupq_n_u32(0x12ffff)); P("vmvn.i32", vdupq_n_u32(0xffff00ff)); P("vmov.i64", vdupq_n_u64(0xff00ffff0000ff00ull));
    P("vorr.i16", vorrq_u16(vreinterpretq_u16_s16(a16), vdupq_n_u16(0x1200))); P("vbic.i32", vandq_u32(vreinterpretq_u32_s32(a32), vdupq_n_u32(0xffff00ff)));
    P("vmov.f32", vdupq_n_f32(-1.5f));
    /* Memory forms: lanes, all lanes, 1-4 registers, with post-increment. */
    {
      uint8_t buf[64], dst[64];
      fill(buf, 64);
      memset(dst, 0, 64);
      const uint8_t *p = buf + (core & 7);
      { /* VLD1 of 3 and 4 registers, with register and immediate post-increment */
        uint64_t r[4]; const uint8_t *pp = p; int step = 3;
        __asm__ volatile("vld1.8 {d16-d18}, [%0], %2\n\tvst1.8 {d16-d18}, [%1]" : "+r"(pp) : "r"(r), "r"(step) : "d16", "d17", "d18", "memory");
        out("vld1x3", r, 24); printf("pp %d\n", (int)(pp - p));
        __asm__ volatile("vld1.16 {d16-d19}, [%0]!\n\tvst1.32 {d16-d19}, [%1]" : "+r"(pp) : "r"(r) : "d16", "d17", "d18", "d19", "memory");
        out("vld1x4", r, 32); printf("pp %d\n", (int)(pp - p));
      }
      P("vld1.lane16", vld1q_lane_u16((const uint16_t *)(p + 3), vreinterpretq_u16_s16(a16), 5));
      P("vld1.lane32", vld1_lane_u32((const uint32_t *)(p + 1), vreinterpret_u32_s32(d32), 1));
      P("vld1.dup8", vld1q_dup_u8(p + 9)); P("vld1.dup32", vld1q_dup_u32((const uint32_t *)(p + 4)));
      vst1q_u8(dst + 1, a8); vst1_lane_u16((uint16_t *)(dst + 20), vreinterpret_u16_s16(d16), 2);
      vst1q_lane_u8(dst + 30, b8, 9); vst1q_lane_u64((uint64_t *)(dst + 40), vreinterpretq_u64_s64(a64), 1);
      vst1_u8(dst + 32, d8); vst1q_s16((int16_t *)(dst + 48), a16);
      out("mem", dst, 64);
      /* Structure loads and stores: interleaved, one lane, all lanes, and the register-spaced forms. */
      { uint8x8x2_t v = vld2_u8(p); P("vld2.8a", v.val[0]); P("vld2.8b", v.val[1]);
        uint16x8x2_t w = vld2q_u16((const uint16_t *)(p + 2)); P("vld2q.16a", w.val[0]); P("vld2q.16b", w.val[1]);
        int32x2x3_t t = vld3_s32((const int32_t *)(p + 1)); P("vld3.32a", t.val[0]); P("vld3.32b", t.val[1]); P("vld3.32c", t.val[2]);
        uint8x16x3_t t8 = vld3q_u8(p + 5); P("vld3q.8a", t8.val[0]); P("vld3q.8c", t8.val[2]);
        uint16x4x4_t f = vld4_u16((const uint16_t *)p); P("vld4.16a", f.val[0]); P("vld4.16d", f.val[3]);
        uint32x4x4_t f32 = vld4q_u32((const uint32_t *)(p + 3)); P("vld4q.32b", f32.val[1]); P("vld4q.32c", f32.val[2]);
        uint8x8x2_t l2 = vld2_lane_u8(p + 7, v, 6); P("vld2.lane8a", l2.val[0]); P("vld2.lane8b", l2.val[1]);
        uint16x8x3_t l3 = vld3q_lane_u16((const uint16_t *)(p + 9), (uint16x8x3_t){ { vreinterpretq_u16_u8(a8), w.val[1], w.val[0] } }, 5);
        P("vld3q.lane16a", l3.val[0]); P("vld3q.lane16c", l3.val[2]);
        int32x2x4_t l4 = vld4_lane_s32((const int32_t *)(p + 2), (int32x2x4_t){ { d32, e32, t.val[0], t.val[2] } }, 1);
        P("vld4.lane32a", l4.val[0]); P("vld4.lane32d", l4.val[3]);
        uint8x8x2_t a2 = vld2_dup_u8(p + 11); P("vld2.dup8a", a2.val[0]); P("vld2.dup8b", a2.val[1]);
        uint16x4x3_t a3 = vld3_dup_u16((const uint16_t *)(p + 3)); P("vld3.dup16c", a3.val[2]);
        uint32x2x4_t a4 = vld4_dup_u32((const uint32_t *)(p + 1)); P("vld4.dup32b", a4.val[1]); P("vld4.dup32d", a4.val[3]);
        memset(dst, 0, 64);
        vst2_u8(dst, v); vst3_s32((int32_t *)(dst + 16), t); vst2q_lane_u16((uint16_t *)(dst + 41), w, 7);
        vst4_lane_u8(dst + 50, (uint8x8x4_t){ { d8, e8, v.val[0], v.val[1] } }, 3);
        vst3q_lane_u32((uint32_t *)(dst + 54), (uint32x4x3_t){ { vreinterpretq_u32_s32(a32), vreinterpretq_u32_s32(b32), f32.val[0] } }, 2);
        out("vst2-3", dst, 64);
        memset(dst, 0, 64);
        vst4q_u16((uint16_t *)dst, (uint16x8x4_t){ { vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16), w.val[0], w.val[1] } });
        out("vst4q", dst, 64);
        vst2q_u8(dst, (uint8x16x2_t){ { b8, c8 } }); vst3_u16((uint16_t *)(dst + 40), (uint16x4x3_t){ { f.val[0], f.val[1], f.val[2] } });
        out("vst2q-3", dst, 64);
        uint8_t *pp = dst;
        __asm__ volatile("vld2.8 {d16-d19}, [%1]!\n\tvst2.8 {d16,d18}, [%0]!" : "+r"(pp), "+r"(p) :: "d16", "d17", "d18", "d19", "memory");
        { uint32_t al[4] __attribute__((aligned(16))); uint64_t r[4]; memcpy(al, p + 3, 16);
          __asm__ volatile("vld4.32 {d16[],d17[],d18[],d19[]}, [%1 :128]\n\tvst1.8 {d16-d19}, [%0]" :: "r"(r), "r"(al) : "d16", "d17", "d18", "d19", "memory");
          out("vld4.dup32a", r, 32); }
        out("vld2x4", dst, 48); printf("pp %d\n", (int)(pp - dst)); p -= 32;
      }
      uint64_t acc = 0;
      const uint32_t *q = (const uint32_t *)buf;
      for (int i = 0; i < 4; i++) { uint32x4_t v = vld1q_u32(q); q += 4; acc = acc * 31 + vgetq_lane_u32(v, 1) + vgetq_lane_u32(v, 3); }
      P("vld1.pi", acc);
    }
    /* Float lanes: standard FPSCR (flush-to-zero, default NaN). */
    {
      float fa[4], fb[4], fc[4];
      for (int i = 0; i < 4; i++) { fa[i] = rf(); fb[i] = rf(); fc[i] = rf(); }
      float32x4_t x = vld1q_f32(fa), y = vld1q_f32(fb), z = vld1q_f32(fc);
      P("vadd.f32", vaddq_f32(x, y)); P("vsub.f32", vsubq_f32(x, y)); P("vmul.f32", vmulq_f32(x, y));
      P("vmla.f32", vmlaq_f32(z, x, y)); P("vmls.f32", vmlsq_f32(z, x, y));
      P("vcvt.s32", vcvtq_s32_f32(x)); P("vcvt.u32", vcvtq_u32_f32(y)); P("vcvt.f32s", vcvtq_f32_s32(a32));
      P("vcvt.f32u", vcvtq_f32_u32(vreinterpretq_u32_s32(b32)));
      P("vceq.f32", vceqq_f32(x, y)); P("vceq.f32s", vceqq_f32(x, x)); P("vcage.f32", vcageq_f32(x, y)); P("vcagt.f32", vcagtq_f32(x, z));
      P("vceqz.f32", vceqq_f32(x, vdupq_n_f32(0)));
      /* gcc 12 lowers the ordered compare intrinsics to scalar VCMPE without -ffast-math: asm. */
#define FCMP(name, insn, ...) do { uint32x4_t c_; __asm__(insn : "=w"(c_) : __VA_ARGS__); P(name, c_); } while (0)
      FCMP("vcge.f32", "vcge.f32 %q0, %q1, %q2", "w"(x), "w"(y)); FCMP("vcgt.f32", "vcgt.f32 %q0, %q1, %q2", "w"(y), "w"(z));
      FCMP("vcgez.f32", "vcge.f32 %q0, %q1, #0", "w"(y)); FCMP("vcgtz.f32", "vcgt.f32 %q0, %q1, #0", "w"(z));
      FCMP("vclez.f32", "vcle.f32 %q0, %q1, #0", "w"(x)); FCMP("vcltz.f32", "vclt.f32 %q0, %q1, #0", "w"(y));
      P("vmax.f32", vmaxq_f32(x, y)); P("vmin.f32", vminq_f32(x, z)); P("vmaxz.f32", vmaxq_f32(x, vdupq_n_f32(-0.0f)));
      P("vabs.f32", vabsq_f32(x)); P("vneg.f32", vnegq_f32(y)); P("vabd.f32", vabdq_f32(x, y));
      P("vpadd.f32", vpadd_f32(vget_low_f32(x), vget_high_f32(y))); P("vpmax.f32", vpmax_f32(vget_low_f32(y), vget_high_f32(z)));
      P("vpmin.f32", vpmin_f32(vget_high_f32(x), vget_low_f32(z)));
      P("vrecpe.f32", vrecpeq_f32(x)); P("vrsqrte.f32", vrsqrteq_f32(y)); P("vrsqrte.f32a", vrsqrteq_f32(vabsq_f32(z)));
      P("vrecpe.u32", vrecpeq_u32(vreinterpretq_u32_s32(a32))); P("vrsqrte.u32", vrsqrteq_u32(vreinterpretq_u32_s32(b32)));
      P("vrecps.f32", vrecpsq_f32(x, y)); P("vrsqrts.f32", vrsqrtsq_f32(y, z));
      P("vmul.lanef", vmulq_lane_f32(x, vget_low_f32(y), 1)); P("vmla.lanef", vmlaq_lane_f32(z, x, vget_high_f32(y), 0));
      P("vmls.lanef", vmls_lane_f32(vget_low_f32(z), vget_high_f32(x), vget_low_f32(y), 1)); P("vmul.nf", vmulq_n_f32(y, fa[2]));
      P("vcvt.n.f32s", vcvtq_n_f32_s32(a32, 16)); P("vcvt.n.f32u", vcvtq_n_f32_u32(vreinterpretq_u32_s32(b32), 32));
      P("vcvt.n.s32", vcvtq_n_s32_f32(x, 8)); P("vcvt.n.u32", vcvtq_n_u32_f32(y, 1)); P("vcvt.n.s32.1", vcvt_n_s32_f32(vget_low_f32(z), 31));
      uint32_t fpscr;
      __asm__ volatile("vmrs %0, fpscr" : "=r"(fpscr));
      printf("fpscr %08x\n", fpscr & 0x0800009f);
      __asm__ volatile("vmsr fpscr, %0" :: "r"(0));
    }
  }
  return 0;
}
