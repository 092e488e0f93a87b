/* The virt machine's Goldfish RTC (tsemu's own, MIT), in M-mode: prints the time it reads (the
 * test compares it with the host's clock), then what its registers read back and its alarm
 * interrupt through the PLIC (source 11) taken as a trap out of wfi, an alarm already in the
 * past, a cleared alarm, and the time after the guest sets it. Everything but the first line
 * is compared with qemu-system-riscv64's output. */
#include "virt.h"

#define TIME_LOW (RTC + 0x00)
#define TIME_HIGH (RTC + 0x04)
#define ALARM_LOW (RTC + 0x08)
#define ALARM_HIGH (RTC + 0x0c)
#define IRQ_ENABLED (RTC + 0x10)
#define CLEAR_ALARM (RTC + 0x14)
#define ALARM_STATUS (RTC + 0x18)
#define CLEAR_INTERRUPT (RTC + 0x1c)
#define MS 1000000UL

static volatile int traps;
static volatile uint32_t claimed;

void trap(unsigned long mcause) {
  if (mcause != MCAUSE_MEI) {
    show("unexpected trap, mcause ", mcause);
    poweroff(1);
  }
  uint32_t id = rd32(PLIC_CLAIM(0));
  claimed = id;
  traps++;
  wr32(CLEAR_INTERRUPT, 1);
  wr32(PLIC_CLAIM(0), id);
}

static unsigned long now(void) {
  unsigned long lo = rd32(TIME_LOW);
  return (unsigned long)rd32(TIME_HIGH) << 32 | lo;
}

static void set_alarm(unsigned long t) {
  wr32(ALARM_HIGH, (uint32_t)(t >> 32));
  wr32(ALARM_LOW, (uint32_t)t);
}

int main(void) {
  unsigned long t0 = now();
  puts_("seconds since the epoch: ");
  putdec(t0 / 1000000000UL);
  putc_('\n');
  unsigned long t1 = now();
  puts_(t1 > t0 ? "time advances\n" : "time stands still\n");
  show("irq enabled at reset: ", rd32(IRQ_ENABLED));
  show("alarm status at reset: ", rd32(ALARM_STATUS));

  wr32(PLIC_PRIORITY(RTC_IRQ), 1);
  wr32(PLIC_ENABLE(0, 0), 1 << RTC_IRQ);
  wr32(PLIC_THRESHOLD(0), 0);
  unsigned long alarm = now() + 20 * MS;
  set_alarm(alarm);
  show("alarm status when set 20 ms ahead: ", rd32(ALARM_STATUS));
  puts_(((unsigned long)rd32(ALARM_HIGH) << 32 | rd32(ALARM_LOW)) == alarm ? "alarm reads back\n" : "alarm reads otherwise\n");
  wr32(IRQ_ENABLED, 1);
  show("irq enabled after writing 1: ", rd32(IRQ_ENABLED));
  show("pending word 0 before the alarm: ", rd32(PLIC_PENDING(0)));
  csr_set(mie, MIP_MEIP);
  csr_set(mstatus, 8);
  while (!traps) wfi();
  csr_clear(mstatus, 8);
  puts_(now() >= alarm ? "the alarm fired on time\n" : "the alarm fired early\n");
  show("claimed: ", claimed);
  show("alarm status after it fired: ", rd32(ALARM_STATUS));

  set_alarm(now() - 1000 * MS);
  show("alarm status when set in the past: ", rd32(ALARM_STATUS));
  show("pending word 0 after an alarm in the past: ", rd32(PLIC_PENDING(0)));
  claimed = rd32(PLIC_CLAIM(0));
  show("claimed: ", claimed);
  wr32(CLEAR_INTERRUPT, 1);
  wr32(PLIC_CLAIM(0), claimed);

  set_alarm(now() + 100000 * MS);
  show("alarm status when set 100 s ahead: ", rd32(ALARM_STATUS));
  wr32(CLEAR_ALARM, 1);
  show("alarm status after clearing it: ", rd32(ALARM_STATUS));
  wr32(IRQ_ENABLED, 0);

  wr32(TIME_HIGH, 0);
  wr32(TIME_LOW, 1000000000);
  unsigned long t2 = now();
  puts_(t2 >= 1000000000UL && t2 < 2000000000UL ? "time set to 1 s\n" : "time not set\n");
  return 0;
}
