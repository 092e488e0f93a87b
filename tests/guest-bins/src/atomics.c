/* Atomic read-modify-write (RV64A: lr/sc and amo*) through the __atomic builtins and C11
   <stdatomic.h>, on 8, 16, 32 and 64-bit objects, with the old values they return. */
#include <stdatomic.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

int main(void) {
  int64_t x = 10;
  printf("fetch_add %" PRId64 " -> %" PRId64 "\n", (int64_t)__atomic_fetch_add(&x, 5, __ATOMIC_SEQ_CST), x);
  printf("fetch_sub %" PRId64 " -> %" PRId64 "\n", (int64_t)__atomic_fetch_sub(&x, 20, __ATOMIC_ACQ_REL), x);
  printf("fetch_and %" PRId64 " -> %" PRId64 "\n", (int64_t)__atomic_fetch_and(&x, 0xff0, __ATOMIC_RELAXED), x);
  printf("fetch_or %" PRId64 " -> %" PRId64 "\n", (int64_t)__atomic_fetch_or(&x, 0x3, __ATOMIC_RELEASE), x);
  printf("fetch_xor %" PRId64 " -> %" PRId64 "\n", (int64_t)__atomic_fetch_xor(&x, -1, __ATOMIC_SEQ_CST), x);
  printf("exchange %" PRId64 " -> %" PRId64 "\n", (int64_t)__atomic_exchange_n(&x, 1234567890123LL, __ATOMIC_SEQ_CST), x);
  int64_t expected = 5;
  int ok = __atomic_compare_exchange_n(&x, &expected, 6, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  printf("cas fail %d expected now %" PRId64 "\n", ok, expected);
  ok = __atomic_compare_exchange_n(&x, &expected, 6, 1, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
  while (!ok) ok = __atomic_compare_exchange_n(&x, &expected, 6, 1, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
  printf("cas ok %d x %" PRId64 "\n", ok, x);
  int32_t w = -1;
  printf("32 add %d -> %d, max via cas loop ", __atomic_add_fetch(&w, 1, __ATOMIC_SEQ_CST), w);
  int32_t cur = __atomic_load_n(&w, __ATOMIC_ACQUIRE);
  while (!__atomic_compare_exchange_n(&w, &cur, cur > 77 ? cur : 77, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {}
  printf("%d\n", w);
  uint32_t uw = 0x80000000u;
  printf("32 unsigned fetch_add sign-extends correctly %u -> %u\n", __atomic_fetch_add(&uw, 0x7fffffffu, __ATOMIC_SEQ_CST), uw);
  /* sub-word atomics are lr/sc loops on the containing word */
  struct { uint8_t a, b; uint16_t h; uint32_t tail; } s = {1, 2, 0xfffe, 0xdeadbeef};
  __atomic_fetch_add(&s.b, 255, __ATOMIC_SEQ_CST);
  __atomic_fetch_add(&s.h, 3, __ATOMIC_SEQ_CST);
  __atomic_exchange_n(&s.a, 0x7f, __ATOMIC_SEQ_CST);
  printf("subword a %u b %u h %u tail %x\n", s.a, s.b, s.h, s.tail);
  atomic_long c11 = ATOMIC_VAR_INIT(100);
  atomic_fetch_add(&c11, 11);
  long e = 111;
  printf("c11 strong cas %d ", atomic_compare_exchange_strong(&c11, &e, 222));
  printf("value %ld\n", atomic_load(&c11));
  atomic_int flagged = 0;
  atomic_store_explicit(&flagged, 9, memory_order_release);
  printf("c11 int %d exchange %d\n", atomic_load_explicit(&flagged, memory_order_acquire), atomic_exchange(&flagged, 3));
  atomic_flag fl = ATOMIC_FLAG_INIT;
  int t1 = atomic_flag_test_and_set(&fl), t2 = atomic_flag_test_and_set(&fl);
  atomic_flag_clear(&fl);
  printf("flag %d %d %d lock-free long %d\n", t1, t2, atomic_flag_test_and_set(&fl), atomic_is_lock_free(&c11));
  atomic_thread_fence(memory_order_seq_cst);
  unsigned long total = 0;
  for (int i = 0; i < 100000; i++) __atomic_fetch_add(&total, (unsigned long)i, __ATOMIC_RELAXED);
  printf("sum %lu\n", total);
  return 0;
}
