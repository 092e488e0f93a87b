/* sigaltstack: unbounded recursion overflows the stack and the SIGSEGV handler, installed with
   SA_ONSTACK, runs on the alternate stack (a local's address is inside it, and
   sigaltstack(NULL, &old) reports SS_ONSTACK), cannot change the stack while on it (EPERM),
   and leaves by siglongjmp; twice, so the alternate stack is usable again. Also: a too-small
   stack is refused (ENOMEM), sigaltstack reports the stack set, an SA_ONSTACK handler for a
   raised signal runs on it while one without SA_ONSTACK does not, and SS_DISABLE turns it
   off. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ALT_SIZE (256 * 1024)
static char alt[ALT_SIZE] __attribute__((aligned(16)));
static sigjmp_buf recover;
static volatile int on_alt, reported_onstack, change_errno, sig_seen;
static volatile long depth, max_depth;
static volatile long stop_at = -1; /* never reached: keeps the recursion a real one */

static int in_alt(const void *p) {
  return (const char *)p >= alt && (const char *)p < alt + ALT_SIZE;
}

static void look_around(int sig) {
  volatile char local;
  stack_t cur, try = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0};
  sig_seen = sig;
  on_alt = in_alt((const void *)&local);
  sigaltstack(NULL, &cur);
  reported_onstack = (cur.ss_flags & SS_ONSTACK) != 0;
  errno = 0;
  change_errno = sigaltstack(&try, NULL) == -1 ? errno : 0;
}

static void on_segv(int sig) {
  look_around(sig);
  siglongjmp(recover, 1);
}

static void on_usr(int sig) { look_around(sig); }

static __attribute__((noinline)) long recurse(long n) {
  volatile char frame[512];
  frame[0] = (char)n;
  frame[511] = (char)(n >> 8);
  depth = n;
  if (n == stop_at) return 0;
  return recurse(n + 1) + frame[n & 511];
}

static void overflow(int round) {
  depth = 0;
  on_alt = reported_onstack = change_errno = sig_seen = 0;
  if (sigsetjmp(recover, 1) == 0) {
    long r = recurse(1);
    printf("recursion returned %ld?\n", r);
    return;
  }
  stack_t cur;
  sigaltstack(NULL, &cur);
  printf("overflow %d: SIGSEGV %d, deeper than 1000 frames %d, handler on alternate stack %d, "
         "SS_ONSTACK in handler %d, change while on it %s, SS_ONSTACK after siglongjmp %d\n",
         round, sig_seen == SIGSEGV, depth > 1000, on_alt, reported_onstack,
         change_errno == EPERM ? "EPERM" : "allowed", (cur.ss_flags & SS_ONSTACK) != 0);
}

int main(void) {
  stack_t ss, old;
  ss.ss_sp = alt;
  ss.ss_size = 512;
  ss.ss_flags = 0;
  errno = 0;
  int r = sigaltstack(&ss, NULL);
  printf("512-byte stack: %d %s\n", r, errno == ENOMEM ? "ENOMEM" : "other");
  sigaltstack(NULL, &old);
  printf("initially: SS_DISABLE %d\n", (old.ss_flags & SS_DISABLE) != 0);
  ss.ss_size = ALT_SIZE;
  printf("sigaltstack %d\n", sigaltstack(&ss, &old));
  sigaltstack(NULL, &old);
  printf("reported: sp matches %d size %zu flags %d\n", old.ss_sp == (void *)alt, old.ss_size,
         old.ss_flags);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_usr;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_flags = 0;
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR1);
  printf("SIGUSR1 with SA_ONSTACK: on alternate stack %d, SS_ONSTACK %d\n", on_alt, reported_onstack);
  raise(SIGUSR2);
  printf("SIGUSR2 without SA_ONSTACK: on alternate stack %d, SS_ONSTACK %d\n", on_alt, reported_onstack);

  sa.sa_handler = on_segv;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGSEGV, &sa, NULL);
  overflow(1);
  overflow(2);

  ss.ss_flags = SS_DISABLE;
  printf("disable %d\n", sigaltstack(&ss, NULL));
  sigaltstack(NULL, &old);
  printf("after disable: SS_DISABLE %d\n", (old.ss_flags & SS_DISABLE) != 0);
  raise(SIGUSR1);
  printf("SIGUSR1 with SA_ONSTACK, stack disabled: on alternate stack %d\n", on_alt);
  return 0;
}
