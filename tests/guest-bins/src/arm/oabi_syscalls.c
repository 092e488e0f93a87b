/* ARM's old-ABI syscall form: `swi 0x900000+n` takes the syscall number from the immediate
   (n XOR 0x900000), while SVC 0 (and every Thumb SVC) takes the EABI number in r7. The kernel
   (with OABI_COMPAT) and qemu-arm run both; numbers above the reserved ARM private range
   (0x0f0000-0x0f07ff) raise SIGILL with si_code ILL_ILLTRP at the SVC; unknown numbers below
   it return -ENOSYS. The assembly is in ARM state (the function's target attribute). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* An SVC with immediate IMM and r7 = R7, r0 = A: returns r0. */
#define SVC(IMM, R7, A) ({                                                        \
  register long r0_ asm("r0") = (long)(A);                                        \
  register long r7_ asm("r7") = (long)(R7);                                       \
  asm volatile("swi " #IMM : "+r"(r0_) : "r"(r7_) : "memory", "r1", "r2");        \
  r0_; })

__attribute__((target("arm"), noinline)) static long oabi_write(const char *s, long n) {
  register long r0 asm("r0") = 1;
  register long r1 asm("r1") = (long)s;
  register long r2 asm("r2") = n;
  register long r7 asm("r7") = 0; /* ignored by the old ABI */
  asm volatile("swi 0x900004" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
  return r0;
}

static volatile sig_atomic_t ill_code;
static void *volatile ill_addr;
static void on_ill(int sig, siginfo_t *si, void *uc) {
  (void)sig; (void)uc;
  ill_code = si->si_code;
  ill_addr = si->si_addr;
}

__attribute__((target("arm"), noinline)) static long svc_bad_private(void) { return SVC(0, 0x0f0800, 77); }
__attribute__((target("arm"), noinline)) static long swi_bad_imm(void) { return SVC(0x123, 20, 77); }
__attribute__((target("arm"), noinline)) static long oabi_getpid(void) { return SVC(0x900014, 0, 0); }
__attribute__((target("arm"), noinline)) static long oabi_unknown(void) { return SVC(0x9001f4, 20, 77); }
__attribute__((target("arm"), noinline)) static long oabi_set_tls(long v) { return SVC(0x9f0005, 0, v); }
__attribute__((target("arm"), noinline)) static long reserved_unknown(void) { return SVC(0, 0x0f07ff, 77); }

__attribute__((target("arm"))) static unsigned long read_tls(void) {
  unsigned long v;
  asm volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(v));
  return v;
}

int main(void) {
  const char msg[] = "written through swi 0x900004\n";
  fflush(stdout);
  printf("write returned %ld\n", oabi_write(msg, (long)strlen(msg)));
  printf("old-ABI getpid equals getpid: %d\n", oabi_getpid() == getpid());
  printf("old-ABI number 500: %ld\n", oabi_unknown());
  printf("reserved private 0x0f07ff: %ld\n", reserved_unknown());
  /* glibc's thread pointer is the TLS register: put it back before calling into libc. */
  unsigned long tls = read_tls();
  long set = oabi_set_tls(0x1234abcd);
  unsigned long now = read_tls();
  oabi_set_tls((long)tls);
  printf("old-ABI set_tls: %ld, tls then 0x%lx\n", set, now);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_ill;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGILL, &sa, NULL);
  long r = svc_bad_private();
  printf("r7 = 0x0f0800: SIGILL si_code %d, at the svc: %d, r0 kept %ld\n", (int)ill_code,
         (char *)ill_addr >= (char *)svc_bad_private && (char *)ill_addr < (char *)svc_bad_private + 64, r);
  ill_code = 0;
  r = swi_bad_imm();
  printf("swi 0x123: SIGILL si_code %d, at the svc: %d, r0 kept %ld\n", (int)ill_code,
         (char *)ill_addr >= (char *)swi_bad_imm && (char *)ill_addr < (char *)swi_bad_imm + 64, r);
  return 0;
}
