/* The helpers of virt.h (tsemu's own, MIT). */
#include "virt.h"

void putc_(char c) {
  while (!(rd8(UART + 5) & 0x20)) {
  }
  wr8(UART, (uint8_t)c);
}

void puts_(const char *s) {
  while (*s) putc_(*s++);
}

void puthex(unsigned long v) {
  char buf[19];
  int i = 18;
  buf[i] = 0;
  do {
    buf[--i] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  buf[--i] = 'x';
  buf[--i] = '0';
  puts_(buf + i);
}

void putdec(unsigned long v) {
  char buf[21];
  int i = 20;
  buf[i] = 0;
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  puts_(buf + i);
}

void show(const char *label, unsigned long v) {
  puts_(label);
  puthex(v);
  putc_('\n');
}

void wfi(void) { __asm__ volatile("wfi"); }

void poweroff(int status) {
  wr32(TEST, status == 0 ? 0x5555 : 0x3333 | (uint32_t)status << 16);
  for (;;) {
  }
}

__attribute__((weak)) void secondary(unsigned long hartid) {
  (void)hartid;
  for (;;) wfi();
}
