/* Signal delivery: handlers for raise/kill, SA_SIGINFO with si_code, blocked signals
   pending until unblocked, SIG_IGN, and a SIGSEGV handler on an alternate stack that
   leaves by siglongjmp and checks si_addr and si_code of each fault. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile sig_atomic_t hits;
static volatile int last_sig, last_code;
static volatile uintptr_t fault_addr;
static sigjmp_buf recover;

static void on_usr(int sig) { hits++; last_sig = sig; }
static void on_info(int sig, siginfo_t *si, void *uc) { (void)uc; last_sig = sig; last_code = si->si_code; hits++; }
static void on_segv(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  last_sig = sig;
  last_code = si->si_code;
  fault_addr = (uintptr_t)si->si_addr;
  siglongjmp(recover, 1);
}

int main(void) {
  signal(SIGUSR1, on_usr);
  raise(SIGUSR1);
  printf("raise: hits %d sig %d\n", hits, last_sig);
  kill(getpid(), SIGUSR1);
  printf("kill self: hits %d\n", hits);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_info;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR2);
  printf("siginfo: sig %d code is SI_TKILL %d\n", last_sig, last_code == SI_TKILL);
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, &old);
  hits = 0;
  raise(SIGUSR1);
  sigset_t pending;
  sigpending(&pending);
  printf("blocked: hits %d pending %d\n", hits, sigismember(&pending, SIGUSR1));
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("unblocked: hits %d\n", hits);
  signal(SIGUSR1, SIG_IGN);
  raise(SIGUSR1);
  printf("ignored: hits %d\n", hits);
  static char alt[65536];
  stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
  printf("sigaltstack %d\n", sigaltstack(&ss, NULL));
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigaction(SIGSEGV, &sa, NULL);
  long page = sysconf(_SC_PAGESIZE);
  char *guard = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (int i = 0; i < 3; i++) {
    if (sigsetjmp(recover, 1) == 0) {
      volatile char *target = i == 2 ? (char *)16 : guard + 100 * i;
      if (i == 1) *target = 1; else (void)*target;
      printf("no fault?\n");
    } else {
      uintptr_t expect = i == 2 ? 16 : (uintptr_t)guard + 100 * i;
      printf("SIGSEGV %d recovered: sig %d addr matches %d code %s\n", i, last_sig, fault_addr == expect,
             last_code == SEGV_ACCERR ? "ACCERR" : last_code == SEGV_MAPERR ? "MAPERR" : "other");
    }
  }
  mprotect(guard, page, PROT_READ | PROT_WRITE);
  guard[0] = 42;
  printf("after mprotect rw: %d\n", guard[0]);
  return 0;
}
