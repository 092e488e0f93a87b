/* A signal handler that edits the interrupted context and returns (rt_sigreturn): SIGILL from
   the 16-bit illegal parcel (.2byte 0) and from the 32-bit unimp (csrrw x0, cycle, x0), and
   SIGTRAP from ebreak and c.ebreak. The handler finds the faulting pc in
   uc_mcontext.__gregs[REG_PC] (checked against a label on the instruction, and si_addr), the
   stack pointer and a0/a1 as they were, reads the instruction there for its length, sets a0
   to a magic value, a1 to a1+1 and pc past the instruction; the program prints the registers
   seen after the return. A second handler changes fa0 in __fpregs.__d.__f[10] and the
   rounding mode and flags in __fcsr; a third adds SIGUSR1 to uc_sigmask, which the mask
   shows after the return. */
#define _GNU_SOURCE
#include <fenv.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#define MAGIC 0x5eed1234L

static volatile unsigned long seen_pc, seen_sp, seen_a0, seen_a1, seen_addr;
static volatile int seen_sig, seen_code, seen_len, seen_usr2_blocked, seen_own_blocked;
static volatile uint64_t seen_fa0;
static volatile unsigned seen_fcsr;
static volatile int mode; /* 0: integer registers, 1: fp registers, 2: signal mask */

static void on_trap(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  unsigned long *g = uc->uc_mcontext.__gregs;
  unsigned long pc = g[REG_PC];
  uint16_t parcel;
  memcpy(&parcel, (void *)pc, sizeof parcel);
  int len = (parcel & 3) == 3 ? 4 : 2;
  seen_sig = sig;
  seen_code = si->si_code;
  seen_addr = (unsigned long)si->si_addr;
  seen_pc = pc;
  seen_sp = g[REG_SP];
  seen_a0 = g[REG_A0];
  seen_a1 = g[REG_A0 + 1];
  seen_len = len;
  seen_usr2_blocked = sigismember(&uc->uc_sigmask, SIGUSR2);
  seen_own_blocked = sigismember(&uc->uc_sigmask, sig);
  if (mode == 0) {
    g[REG_A0] = MAGIC;
    g[REG_A0 + 1] += 1;
  } else if (mode == 1) {
    seen_fa0 = uc->uc_mcontext.__fpregs.__d.__f[10];
    seen_fcsr = uc->uc_mcontext.__fpregs.__d.__fcsr;
    double d = -2.25;
    memcpy(&uc->uc_mcontext.__fpregs.__d.__f[10], &d, sizeof d);
    /* frm (bits 7:5) = RUP (3); fflags (bits 4:0) = NX (1) | OF (4). */
    uc->uc_mcontext.__fpregs.__d.__fcsr = (3u << 5) | 0x5;
  } else {
    sigaddset(&uc->uc_sigmask, SIGUSR1);
  }
  g[REG_PC] = pc + len;
}

struct result { unsigned long at, sp, a0, a1; };

#define TRAP_FN(NAME, INSN)                                                             \
  static __attribute__((noinline)) struct result NAME(void) {                           \
    struct result r;                                                                    \
    register unsigned long a0 __asm__("a0") = 1;                                        \
    register unsigned long a1 __asm__("a1") = 0x1234;                                   \
    __asm__ volatile("mv %[sp], sp\n\tlla %[at], 1f\n1:\t" INSN                        \
                     : "+r"(a0), "+r"(a1), [at] "=&r"(r.at), [sp] "=&r"(r.sp)           \
                     :                                                                  \
                     : "memory");                                                       \
    r.a0 = a0;                                                                          \
    r.a1 = a1;                                                                          \
    return r;                                                                           \
  }

TRAP_FN(illegal16, ".2byte 0x0000")
TRAP_FN(unimp32, ".4byte 0xc0001073")
TRAP_FN(ebreak32, ".4byte 0x00100073")
TRAP_FN(ebreak16, ".2byte 0x9002")

static const char *sig_name(int sig) {
  return sig == SIGILL ? "SIGILL" : sig == SIGTRAP ? "SIGTRAP" : "other";
}

static const char *code_name(int sig, int code) {
  if (sig == SIGILL) return code == ILL_ILLOPC ? "ILL_ILLOPC" : "other";
  if (sig == SIGTRAP) return code == TRAP_BRKPT ? "TRAP_BRKPT" : "other";
  return "other";
}

static void report(const char *what, struct result r) {
  printf("%s: %s %s, si_addr is pc %d, pc at label %d, sp matches %d, a0 before %lu, "
         "a1 before %#lx, length %d, own signal blocked %d, SIGUSR2 blocked %d -> after return "
         "a0 %#lx a1 %#lx\n",
         what, sig_name(seen_sig), code_name(seen_sig, seen_code), seen_addr == seen_pc,
         seen_pc == r.at, seen_sp == r.sp, seen_a0, seen_a1, seen_len, seen_own_blocked,
         seen_usr2_blocked, r.a0, r.a1);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_trap;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGILL, &sa, NULL);
  sigaction(SIGTRAP, &sa, NULL);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigprocmask(SIG_BLOCK, &usr2, NULL);

  report(".2byte 0", illegal16());
  report("unimp (csrrw x0, cycle, x0)", unimp32());
  report("ebreak", ebreak32());
  report("c.ebreak", ebreak16());
  report(".2byte 0 again", illegal16());

  /* fa0 = 1.5 into the trap, rounding toward zero and no flags; the handler sees that and
     leaves -2.25, round up, NX and OF. */
  mode = 1;
  fesetround(FE_TOWARDZERO);
  feclearexcept(FE_ALL_EXCEPT);
  register double fa0 __asm__("fa0") = 1.5;
  unsigned long at;
  __asm__ volatile("lla %[at], 1f\n1:\t.2byte 0" : "+f"(fa0), [at] "=r"(at) : : "memory");
  double got = fa0;
  int round = fegetround();
  int flags = fetestexcept(FE_ALL_EXCEPT);
  fesetround(FE_TONEAREST);
  feclearexcept(FE_ALL_EXCEPT);
  printf("fp: pc at label %d, fa0 in context %#" PRIx64 " (1.5 is 0x3ff8000000000000), frm %u "
         "fflags %#x -> after return fa0 %g, rounding upward %d, inexact %d overflow %d "
         "invalid %d\n",
         seen_pc == at, seen_fa0, (seen_fcsr >> 5) & 7, seen_fcsr & 0x1f, got, round == FE_UPWARD,
         !!(flags & FE_INEXACT), !!(flags & FE_OVERFLOW), !!(flags & FE_INVALID));

  /* The mask restored by rt_sigreturn is the context's. */
  mode = 2;
  illegal16();
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("mask: SIGUSR1 blocked after return %d, SIGUSR2 still blocked %d, SIGILL blocked %d\n",
         sigismember(&now, SIGUSR1), sigismember(&now, SIGUSR2), sigismember(&now, SIGILL));
  return 0;
}
