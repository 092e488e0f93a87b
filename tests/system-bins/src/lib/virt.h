/* The virt machine as tsemu's bare-metal C test programs see it (tsemu's own, MIT): qemu's
 * virt memory map, MMIO accessors, console output on the NS16550A and the PLIC's registers
 * (the SiFive PLIC layout qemu's virt uses: priorities from 0x0, pending bits at 0x1000,
 * enables at 0x2000 + 0x80 per context, threshold and claim at 0x200000 + 0x1000 per context;
 * context 0 is hart 0's M-mode, 1 its S-mode). */
#ifndef VIRT_H
#define VIRT_H
#include <stdint.h>

#define UART 0x10000000UL
#define TEST 0x100000UL
#define RTC 0x101000UL
#define PLIC 0xc000000UL
#define CLINT 0x2000000UL
#define VIRTIO(n) (0x10000000UL + 0x1000UL * (n))
#define UART_IRQ 10
#define RTC_IRQ 11

#define PLIC_PRIORITY(irq) (PLIC + 4 * (irq))
#define PLIC_PENDING(word) (PLIC + 0x1000 + 4 * (word))
#define PLIC_ENABLE(ctx, word) (PLIC + 0x2000 + 0x80 * (ctx) + 4 * (word))
#define PLIC_THRESHOLD(ctx) (PLIC + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (PLIC + 0x200004 + 0x1000 * (ctx))

#define MIP_SEIP (1UL << 9)
#define MIP_MEIP (1UL << 11)
#define MCAUSE_MEI 0x800000000000000bUL

static inline uint32_t rd32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint8_t rd8(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline void wr8(uintptr_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline void fence(void) { __asm__ volatile("fence" ::: "memory"); }

#define csr_read(name) ({ unsigned long v_; __asm__ volatile("csrr %0, " #name : "=r"(v_)); v_; })
#define csr_set(name, v) __asm__ volatile("csrs " #name ", %0" ::"r"((unsigned long)(v)))
#define csr_clear(name, v) __asm__ volatile("csrc " #name ", %0" ::"r"((unsigned long)(v)))
#define csr_write(name, v) __asm__ volatile("csrw " #name ", %0" ::"r"((unsigned long)(v)))

void putc_(char c);
void puts_(const char *s);
/** 0x-prefixed lower-case hex of v, with no leading zeros. */
void puthex(unsigned long v);
void putdec(unsigned long v);
/** puts_(label), puthex(v), newline. */
void show(const char *label, unsigned long v);
void wfi(void);
__attribute__((noreturn)) void poweroff(int status);
/** What the harts other than hart 0 run (start.S), on their own stacks; by default (virt.c)
 *  they wait in wfi for ever. */
void secondary(unsigned long hartid);
/** Called from the trap entry with mcause (start.S); each program defines it. */
void trap(unsigned long mcause);
#endif
