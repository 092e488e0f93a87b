/* A signal handler that edits the interrupted context and returns (rt_sigreturn): SIGILL from
   UDF in Thumb (16-bit udf, 32-bit udf.w) and in ARM state; SIGTRAP from bkpt in both states
   and from the encodings the kernel reserves as breakpoints (Thumb udf #1, Thumb-2 udf.w #0,
   ARM udf #16). The handler finds the faulting pc in uc_mcontext.arm_pc (checked against a
   label on the instruction, and si_addr), sp, r0/r1 and the Thumb bit of arm_cpsr as they
   were, reads the instruction there for its length, sets r0 to a magic value, r1 to r1+1 and
   pc past the instruction; the program prints the registers seen after the return. A second
   handler finds the VFP record (magic 0x56465001) in uc_regspace and changes d1 and the
   rounding mode and cumulative flags in its fpscr; a third adds SIGUSR1 to uc_sigmask, which
   the mask shows after the return. */
#define _GNU_SOURCE
#include <fenv.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#define MAGIC 0x5eed1234UL
#define VFP_MAGIC 0x56465001UL

/* The kernel's struct vfp_sigframe inside uc_regspace. */
struct vfp_frame {
  unsigned long magic, size;
  unsigned long long fpregs[32];
  unsigned long fpscr;
  unsigned long fpexc, fpinst, fpinst2;
};

static volatile unsigned long seen_pc, seen_sp, seen_r0, seen_r1, seen_addr;
static volatile int seen_sig, seen_code, seen_len, seen_thumb, seen_usr2_blocked, seen_own_blocked;
static volatile int found_vfp;
static volatile uint64_t seen_d1;
static volatile unsigned long seen_fpscr;
static volatile int mode; /* 0: integer registers, 1: VFP registers, 2: signal mask */

static struct vfp_frame *find_vfp(ucontext_t *uc) {
  char *p = (char *)uc->uc_regspace, *end = p + sizeof uc->uc_regspace;
  while (p + 8 <= end) {
    unsigned long magic, size;
    memcpy(&magic, p, sizeof magic);
    memcpy(&size, p + 4, sizeof size);
    if (magic == VFP_MAGIC) return (struct vfp_frame *)p;
    if (magic == 0 || size == 0) break;
    p += size;
  }
  return NULL;
}

static void on_trap(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  mcontext_t *m = &uc->uc_mcontext;
  unsigned long pc = m->arm_pc;
  int thumb = (m->arm_cpsr >> 5) & 1;
  int len = 4;
  if (thumb) {
    uint16_t hw;
    memcpy(&hw, (void *)pc, sizeof hw);
    len = (hw >> 11) >= 0x1d ? 4 : 2;
  }
  seen_sig = sig;
  seen_code = si->si_code;
  seen_addr = (unsigned long)si->si_addr;
  seen_pc = pc;
  seen_sp = m->arm_sp;
  seen_r0 = m->arm_r0;
  seen_r1 = m->arm_r1;
  seen_len = len;
  seen_thumb = thumb;
  seen_usr2_blocked = sigismember(&uc->uc_sigmask, SIGUSR2);
  seen_own_blocked = sigismember(&uc->uc_sigmask, sig);
  if (mode == 0) {
    m->arm_r0 = MAGIC;
    m->arm_r1 += 1;
  } else if (mode == 1) {
    struct vfp_frame *v = find_vfp(uc);
    found_vfp = v != NULL;
    if (v) {
      seen_d1 = v->fpregs[1];
      seen_fpscr = v->fpscr;
      double d = -2.25;
      memcpy(&v->fpregs[1], &d, sizeof d);
      /* RMode (bits 23:22) = RP (1, toward +infinity); cumulative IXC (bit 4) and OFC (bit 2). */
      v->fpscr = (v->fpscr & ~((3UL << 22) | 0x9f)) | (1UL << 22) | 0x14;
    }
  } else {
    sigaddset(&uc->uc_sigmask, SIGUSR1);
  }
  m->arm_pc = pc + len;
}

struct result { unsigned long at, sp, r0, r1; };

#define TRAP_FN(NAME, INSN, ...)                                                        \
  static __attribute__((noinline)) __VA_ARGS__ struct result NAME(void) {               \
    struct result r;                                                                    \
    register unsigned long r0 __asm__("r0") = 1;                                        \
    register unsigned long r1 __asm__("r1") = 0x1234;                                   \
    __asm__ volatile("mov %[sp], sp\n\tadr %[at], 1f\n1:\t" INSN                        \
                     : "+r"(r0), "+r"(r1), [at] "=&r"(r.at), [sp] "=&r"(r.sp)           \
                     :                                                                  \
                     : "memory");                                                       \
    r.r0 = r0;                                                                          \
    r.r1 = r1;                                                                          \
    return r;                                                                           \
  }

TRAP_FN(udf16, "udf #0")
TRAP_FN(udf32, "udf.w #1")
TRAP_FN(kbreak_thumb2, "udf.w #0")
TRAP_FN(kbreak_thumb, "udf #1")
TRAP_FN(bkpt16, "bkpt #0")
TRAP_FN(udf_arm, "udf #0", __attribute__((target("arm"))))
TRAP_FN(kbreak_arm, "udf #16", __attribute__((target("arm"))))
TRAP_FN(bkpt_arm, "bkpt #0", __attribute__((target("arm"))))
#undef TRAP_FN

static const char *sig_name(int sig) {
  return sig == SIGILL ? "SIGILL" : sig == SIGTRAP ? "SIGTRAP" : "other";
}

/* Linux reports UDF as ILL_ILLOPC; qemu-arm 7.2 says ILL_ILLOPN: either is accepted. The
   kernel's breakpoint encodings give TRAP_BRKPT; for BKPT (a debug exception on hardware)
   TRAP_HWBKPT is accepted too. */
static const char *code_name(int sig, int code) {
  if (sig == SIGILL) return code == ILL_ILLOPC || code == ILL_ILLOPN ? "ILL_ILLOPC/ILL_ILLOPN" : "other";
  if (sig == SIGTRAP) return code == TRAP_BRKPT || code == TRAP_HWBKPT ? "TRAP_BRKPT/TRAP_HWBKPT" : "other";
  return "other";
}

static void report(const char *what, struct result r) {
  printf("%s: %s %s, si_addr is pc %d, pc at label %d, thumb %d, sp matches %d, r0 before %lu, "
         "r1 before %#lx, length %d, own signal blocked %d, SIGUSR2 blocked %d -> after return "
         "r0 %#lx r1 %#lx\n",
         what, sig_name(seen_sig), code_name(seen_sig, seen_code), seen_addr == seen_pc,
         seen_pc == r.at, seen_thumb, seen_sp == r.sp, seen_r0, seen_r1, seen_len,
         seen_own_blocked, seen_usr2_blocked, r.r0, r.r1);
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

  report("thumb udf #0", udf16());
  report("thumb udf.w #1", udf32());
  report("thumb bkpt #0", bkpt16());
  report("thumb udf.w #0 (the kernel's Thumb-2 breakpoint)", kbreak_thumb2());
  report("thumb udf #1 (the kernel's Thumb breakpoint)", kbreak_thumb());
  report("arm udf #0", udf_arm());
  report("arm udf #16 (the kernel's ARM breakpoint)", kbreak_arm());
  report("arm bkpt #0", bkpt_arm());
  report("thumb udf #0 again", udf16());

  /* d1 = 1.5 into the trap, rounding toward zero and no flags; the handler sees that in the
     VFP record and leaves -2.25, round toward +infinity, IXC and OFC. */
  mode = 1;
  fesetround(FE_TOWARDZERO);
  feclearexcept(FE_ALL_EXCEPT);
  register double d1 __asm__("d1") = 1.5;
  unsigned long at;
  __asm__ volatile("adr %[at], 1f\n1:\tudf #0" : "+w"(d1), [at] "=r"(at) : : "memory");
  double got = d1;
  int round = fegetround();
  int flags = fetestexcept(FE_ALL_EXCEPT);
  fesetround(FE_TONEAREST);
  feclearexcept(FE_ALL_EXCEPT);
  printf("vfp: pc at label %d, record found %d, d1 in context %#" PRIx64 " (1.5 is "
         "0x3ff8000000000000), RMode %lu cumulative flags %#lx -> after return d1 %g, rounding "
         "upward %d, inexact %d overflow %d invalid %d\n",
         seen_pc == at, found_vfp, seen_d1, (seen_fpscr >> 22) & 3, seen_fpscr & 0x9f, got,
         round == FE_UPWARD, !!(flags & FE_INEXACT), !!(flags & FE_OVERFLOW),
         !!(flags & FE_INVALID));

  /* The mask restored by rt_sigreturn is the context's. */
  mode = 2;
  udf16();
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("mask: SIGUSR1 blocked after return %d, SIGUSR2 still blocked %d, SIGILL blocked %d\n",
         sigismember(&now, SIGUSR1), sigismember(&now, SIGUSR2), sigismember(&now, SIGILL));
  return 0;
}
