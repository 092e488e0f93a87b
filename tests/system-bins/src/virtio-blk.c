/* A virtio block device on the virt machine's virtio-mmio transports (tsemu's own, MIT), in
 * M-mode, as a legacy (version 1) driver: lists the eight transports, sets up the block
 * device's queue, reads its configuration, then reads, writes and flushes through split
 * virtqueue requests (several data segments, an indirect table, requests past the end and of
 * an unknown type) and follows the interrupt through the PLIC. The disk image is prepared by
 * the test: sector n holds the byte n everywhere. The output and the image afterwards are
 * compared with qemu-system-riscv64's. Register layout: virtio 1.1, 4.2.4 (legacy interface). */
#include "virt.h"
#include "virtio-mmio.h"

#define BLK VIRTIO(8)
#define BLK_IRQ 8
#define CONFIG 0x100

#define F_SEG_MAX (1u << 2)
#define F_BLK_SIZE (1u << 6)
#define F_FLUSH (1u << 9)
#define F_INDIRECT (1u << 28)
#define QN 8

struct req { uint32_t type, reserved; uint64_t sector; };

static uint8_t ring[2 * 4096] __attribute__((aligned(4096)));
static struct desc *const d = (struct desc *)ring;
static uint16_t used_seen;
static struct req hdr;
static uint8_t buf[3][512];
static volatile uint8_t status;
static struct desc table[4] __attribute__((aligned(16)));

static uint32_t reg(unsigned off) { return rd32(BLK + off); }
static void set(unsigned off, uint32_t v) { wr32(BLK + off, v); }

static void put(int i, void *addr, uint32_t len, uint16_t flags, uint16_t next) {
  d[i].addr = (uintptr_t)addr;
  d[i].len = len;
  d[i].flags = flags;
  d[i].next = next;
}

/* Makes the chain at descriptor 0 available, notifies, and waits for it to be used. */
static void submit(const char *what) {
  status = 0xee;
  volatile uint32_t *elem = run_chain0(BLK, ring, QN, &used_seen);
  puts_(what);
  puts_(": status ");
  puthex(status);
  puts_(", used id ");
  puthex(elem[0]);
  puts_(" len ");
  puthex(elem[1]);
  putc_('\n');
}

/* A request of one header, `n` data buffers of 512 bytes from buf, and the status. */
static void simple(const char *what, uint32_t type, uint64_t sector, int n, int device_writes) {
  hdr.type = type;
  hdr.sector = sector;
  put(0, &hdr, sizeof hdr, NEXT, 1);
  for (int i = 0; i < n; i++) put(1 + i, buf[i], 512, NEXT | (device_writes ? WRITE : 0), 2 + i);
  put(1 + n, (void *)&status, 1, WRITE, 0);
  submit(what);
}

static void show_buf(int i) {
  puts_("  bytes: ");
  for (int k = 0; k < 512; k += 128) {
    puthex(buf[i][k]);
    putc_(' ');
  }
  puthex(buf[i][511]);
  putc_('\n');
}

void trap(unsigned long mcause) {
  show("unexpected trap, mcause ", mcause);
  poweroff(1);
}

int main(void) {
  for (int n = 1; n <= 8; n++) {
    puts_("transport ");
    puthex(VIRTIO(n));
    show(": magic ", rd32(VIRTIO(n) + R_MAGIC));
    show("  version ", rd32(VIRTIO(n) + R_VERSION));
    show("  device ", rd32(VIRTIO(n) + R_DEVICE_ID));
  }
  show("vendor ", reg(R_VENDOR_ID));
  set(R_STATUS, 0);
  set(R_STATUS, 1);     /* ACKNOWLEDGE */
  set(R_STATUS, 1 | 2); /* DRIVER */
  uint32_t want = F_SEG_MAX | F_BLK_SIZE | F_FLUSH | F_INDIRECT;
  show("offered of SEG_MAX, BLK_SIZE, FLUSH, INDIRECT_DESC: ", reg(R_HOST_FEATURES) & want);
  set(R_GUEST_FEATURES, reg(R_HOST_FEATURES) & want);
  set(R_GUEST_PAGE_SIZE, 4096);
  set(R_QUEUE_SEL, 0);
  show("queue 0 max ", reg(R_QUEUE_NUM_MAX));
  set(R_QUEUE_SEL, 1);
  show("queue 1 max ", reg(R_QUEUE_NUM_MAX));
  set(R_QUEUE_SEL, 0);
  set(R_QUEUE_NUM, QN);
  set(R_QUEUE_ALIGN, 4096);
  set(R_QUEUE_PFN, (uint32_t)((uintptr_t)ring >> 12));
  puts_(reg(R_QUEUE_PFN) == (uintptr_t)ring >> 12 ? "queue pfn reads back\n" : "queue pfn reads otherwise\n");
  set(R_STATUS, 1 | 2 | 4); /* DRIVER_OK */
  show("status ", reg(R_STATUS));
  show("capacity (sectors) ", rd32(BLK + CONFIG) | (unsigned long)rd32(BLK + CONFIG + 4) << 32);
  show("seg_max ", rd32(BLK + CONFIG + 0x0c));
  show("blk_size ", rd32(BLK + CONFIG + 0x14));

  simple("read sector 0", 0, 0, 1, 1);
  show_buf(0);
  show("interrupt status ", reg(R_INTERRUPT_STATUS));
  show("pending word 0 ", rd32(PLIC_PENDING(0)) & (1 << BLK_IRQ));
  set(R_INTERRUPT_ACK, 1);
  show("interrupt status after ack ", reg(R_INTERRUPT_STATUS));

  simple("read sectors 2 and 3 into two buffers", 0, 2, 2, 1);
  show_buf(0);
  show_buf(1);
  for (int k = 0; k < 512; k++) buf[0][k] = (uint8_t)(k ^ 0x5a);
  simple("write sector 5", 1, 5, 1, 0);
  simple("flush", 4, 0, 0, 0);
  simple("read sector 5 back", 0, 5, 1, 1);
  show_buf(0);

  /* An indirect table: the header, two data buffers and the status. */
  for (int k = 0; k < 512; k++) buf[1][k] = 0xa1, buf[2][k] = 0xb2;
  hdr.type = 1;
  hdr.sector = 6;
  table[0] = (struct desc){(uintptr_t)&hdr, sizeof hdr, NEXT, 1};
  table[1] = (struct desc){(uintptr_t)buf[1], 512, NEXT, 2};
  table[2] = (struct desc){(uintptr_t)buf[2], 512, NEXT, 3};
  table[3] = (struct desc){(uintptr_t)&status, 1, WRITE, 0};
  put(0, table, sizeof table, INDIRECT, 0);
  submit("write sectors 6 and 7 through an indirect table");

  unsigned long capacity = rd32(BLK + CONFIG);
  simple("read the last sector", 0, capacity - 1, 1, 1);
  show_buf(0);
  simple("read past the end", 0, capacity, 1, 1);
  simple("read across the end", 0, capacity - 1, 2, 1);
  simple("unknown request type 99", 99, 0, 1, 1);

  /* The interrupt taken through the PLIC, out of wfi. */
  set(R_INTERRUPT_ACK, reg(R_INTERRUPT_STATUS));
  wr32(PLIC_PRIORITY(BLK_IRQ), 1);
  wr32(PLIC_ENABLE(0, 0), 1 << BLK_IRQ);
  wr32(PLIC_THRESHOLD(0), 0);
  uint32_t stale = rd32(PLIC_CLAIM(0));
  if (stale) wr32(PLIC_CLAIM(0), stale);
  show("mip.MEIP before ", csr_read(mip) & MIP_MEIP);
  simple("read sector 1", 0, 1, 1, 1);
  show("mip.MEIP after ", csr_read(mip) & MIP_MEIP);
  show("claim ", rd32(PLIC_CLAIM(0)));
  set(R_INTERRUPT_ACK, 1);
  wr32(PLIC_CLAIM(0), BLK_IRQ);
  show("mip.MEIP after ack and complete ", csr_read(mip) & MIP_MEIP);

  set(R_STATUS, 0);
  show("queue pfn after reset ", reg(R_QUEUE_PFN));
  show("status after reset ", reg(R_STATUS));
  return 0;
}
