/* setjmp/longjmp across frames (saved callee registers, sp, fp registers) and
   sigsetjmp/siglongjmp restoring the signal mask. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf env;
static sigjmp_buf senv;
static int depth;

static void dive(int n) {
  volatile char pad[64];
  pad[0] = (char)n;
  depth = n + pad[0] - n;
  if (n == 50) longjmp(env, n * 2);
  if (n < 1000) dive(n + 1);
}

static double fp_across(void) {
  volatile double saved = 1.25;
  register double keep = 3.5; /* callee-saved fs registers are part of jmp_buf */
  if (setjmp(env) == 0) {
    keep = keep * 2;
    dive(0);
  }
  return saved + keep;
}

int main(void) {
  volatile int count = 0;
  int v = setjmp(env);
  printf("setjmp returned %d count %d\n", v, count);
  if (count++ < 3) longjmp(env, count * 10);
  printf("longjmp(env, 0) gives %d\n", setjmp(env) ? 1 : (count == 4 ? (count++, longjmp(env, 0), 0) : 0));
  printf("deep longjmp: %d, depth reached %d\n", (v = setjmp(env)) ? v : (dive(0), -1), depth);
  printf("fp across: %g\n", fp_across());
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  if (sigsetjmp(senv, 1) == 0) {
    sigprocmask(SIG_BLOCK, &set, NULL);
    siglongjmp(senv, 7);
  }
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("siglongjmp restored mask: USR1 blocked %d\n", sigismember(&now, SIGUSR1));
  return 0;
}
