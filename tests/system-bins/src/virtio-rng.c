/* A virtio entropy device on the virt machine's virtio-mmio transports (tsemu's own, MIT), in
 * M-mode, as a legacy (version 1) driver: finds the device by probing every transport's magic
 * and device ID, sets up its one queue, and asks for random bytes twice (one buffer, then a
 * chain of two), checking that the bytes are not all zero and that the two answers differ.
 * The output (the transports' device IDs, the used lengths, the checks' results) is compared
 * with qemu-system-riscv64's. Register layout: virtio 1.1, 4.2.4 (legacy interface); the
 * device: 5.4 "Entropy Device". */
#include "virt.h"
#include "virtio-mmio.h"

#define MAGIC 0x74726976
#define DEVICE_ENTROPY 4
#define QN 4
#define BYTES 64

static uint8_t ring[2 * 4096] __attribute__((aligned(4096)));
static struct desc *const d = (struct desc *)ring;
static uint16_t used_seen;
static uint8_t first[BYTES], second[BYTES];
static uintptr_t rng;

static uint32_t reg(unsigned off) { return rd32(rng + off); }
static void set(unsigned off, uint32_t v) { wr32(rng + off, v); }

/* Makes the chain at descriptor 0 available, notifies, waits for it to be used and prints the
 * used element. */
static void submit(const char *what) {
  volatile uint32_t *elem = run_chain0(rng, ring, QN, &used_seen);
  puts_(what);
  puts_(": used id ");
  puthex(elem[0]);
  puts_(" len ");
  puthex(elem[1]);
  putc_('\n');
}

static int all_zero(const uint8_t *b) {
  for (int k = 0; k < BYTES; k++)
    if (b[k]) return 0;
  return 1;
}

static int same(const uint8_t *a, const uint8_t *b) {
  for (int k = 0; k < BYTES; k++)
    if (a[k] != b[k]) return 0;
  return 1;
}

void trap(unsigned long mcause) {
  show("unexpected trap, mcause ", mcause);
  poweroff(1);
}

int main(void) {
  for (int n = 1; n <= 8; n++) {
    uintptr_t t = VIRTIO(n);
    puts_("transport ");
    puthex(t);
    show(": device ", rd32(t + R_DEVICE_ID));
    if (!rng && rd32(t + R_MAGIC) == MAGIC && rd32(t + R_DEVICE_ID) == DEVICE_ENTROPY) rng = t;
  }
  if (!rng) {
    puts_("no entropy device\n");
    return 1;
  }
  show("entropy device at ", rng);
  set(R_STATUS, 0);
  set(R_STATUS, 1);     /* ACKNOWLEDGE */
  set(R_STATUS, 1 | 2); /* DRIVER */
  /* Bits 0-23 are the device type's (virtio 1.1, 6 "Reserved Feature Bits"); the ring's above
   * them differ between qemu and tsemu. */
  show("device features ", reg(R_HOST_FEATURES) & 0xffffff);
  set(R_GUEST_FEATURES, 0);
  set(R_GUEST_PAGE_SIZE, 4096);
  set(R_QUEUE_SEL, 1);
  show("queue 1 max ", reg(R_QUEUE_NUM_MAX));
  set(R_QUEUE_SEL, 0);
  show("queue 0 max ", reg(R_QUEUE_NUM_MAX));
  set(R_QUEUE_NUM, QN);
  set(R_QUEUE_ALIGN, 4096);
  set(R_QUEUE_PFN, (uint32_t)((uintptr_t)ring >> 12));
  set(R_STATUS, 1 | 2 | 4); /* DRIVER_OK */

  d[0] = (struct desc){(uintptr_t)first, BYTES, WRITE, 0};
  submit("one buffer of 64 bytes");
  show("interrupt status ", reg(R_INTERRUPT_STATUS));
  set(R_INTERRUPT_ACK, 1);
  d[0] = (struct desc){(uintptr_t)second, 16, WRITE | NEXT, 1};
  d[1] = (struct desc){(uintptr_t)second + 16, BYTES - 16, WRITE, 0};
  submit("a chain of 16 and 48 bytes");
  puts_(all_zero(first) ? "first bytes all zero\n" : "first bytes not all zero\n");
  puts_(all_zero(second) ? "second bytes all zero\n" : "second bytes not all zero\n");
  puts_(same(first, second) ? "the two answers are the same\n" : "the two answers differ\n");
  return all_zero(first) || all_zero(second) || same(first, second);
}
