/* The legacy (version 1) virtio-mmio transport's registers and the split virtqueue's
 * descriptor, for the bare-metal virtio test programs. Layout: virtio 1.1, 4.2.4 (legacy
 * interface) and 2.6.5 (the descriptor table). */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H
#include "virt.h"

#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_VENDOR_ID 0x00c
#define R_HOST_FEATURES 0x010
#define R_GUEST_FEATURES 0x020
#define R_GUEST_PAGE_SIZE 0x028
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_ALIGN 0x03c
#define R_QUEUE_PFN 0x040
#define R_QUEUE_NOTIFY 0x050
#define R_INTERRUPT_STATUS 0x060
#define R_INTERRUPT_ACK 0x064
#define R_STATUS 0x070

/* Descriptor flags. */
#define NEXT 1
#define WRITE 2
#define INDIRECT 4

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };

/* Queue 0 of the transport at `base`, a legacy split virtqueue of `n` entries laid out in
 * `ring` (page aligned: the descriptors, the available ring after them, the used ring at the
 * next page): makes the chain at descriptor 0 available, notifies, waits until the device has
 * used it, and returns its used element (id, len). `*used_seen` counts the elements seen. */
static inline volatile uint32_t *run_chain0(uintptr_t base, uint8_t *ring, unsigned n, uint16_t *used_seen) {
  volatile uint16_t *avail = (volatile uint16_t *)(ring + 16 * n);
  uint16_t idx = avail[1];
  avail[2 + idx % n] = 0;
  fence();
  avail[1] = idx + 1;
  fence();
  wr32(base + R_QUEUE_NOTIFY, 0);
  while (*(volatile uint16_t *)(ring + 4096 + 2) == *used_seen) {
  }
  fence();
  volatile uint32_t *elem = (volatile uint32_t *)(ring + 4096) + 1 + 2 * (*used_seen % n);
  (*used_seen)++;
  return elem;
}

#endif
