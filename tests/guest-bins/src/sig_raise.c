/* raise() and kill() to self: a handler installed by signal() runs (and signal() returns the
   previous disposition); an SA_SIGINFO handler sees si_code SI_TKILL for raise and SI_USER
   with si_pid for kill; SIG_IGN discards the signal, and setting SIG_IGN discards one already
   pending; signals whose default action is to ignore (SIGCHLD, SIGURG, SIGWINCH, SIGCONT) do
   nothing; kill with signal 0 probes, an invalid signal number is EINVAL. Last, raise(SIGTERM)
   with the default action ends the process (status 143) with stdout flushed beforehand. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t hits, last_sig;
static volatile int last_code, pid_ok;

static void on_usr(int sig) {
  hits++;
  last_sig = sig;
}

static void on_info(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  hits++;
  last_sig = sig;
  last_code = si->si_code;
  pid_ok = si->si_pid == getpid();
}

static const char *code_name(int code) {
  return code == SI_USER ? "SI_USER" : code == SI_TKILL ? "SI_TKILL" : code == SI_QUEUE ? "SI_QUEUE" : "other";
}

int main(void) {
  void (*prev)(int) = signal(SIGUSR1, on_usr);
  printf("signal() returned SIG_DFL %d\n", prev == SIG_DFL);
  int r = raise(SIGUSR1);
  printf("raise returned %d: hits %d sig is SIGUSR1 %d\n", r, hits, last_sig == SIGUSR1);
  r = kill(getpid(), SIGUSR1);
  printf("kill(getpid()) returned %d: hits %d\n", r, hits);
  prev = signal(SIGUSR1, on_usr);
  printf("signal() again returned the handler %d\n", prev == on_usr);

  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_info;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR2, &sa, NULL);
  sigaction(SIGUSR2, NULL, &old);
  printf("sigaction reads back: handler %d SA_SIGINFO %d\n", old.sa_sigaction == on_info,
         (old.sa_flags & SA_SIGINFO) != 0);
  raise(SIGUSR2);
  printf("raise to SA_SIGINFO handler: sig is SIGUSR2 %d, si_code %s, si_pid is getpid %d\n",
         last_sig == SIGUSR2, code_name(last_code), pid_ok);
  kill(getpid(), SIGUSR2);
  printf("kill to SA_SIGINFO handler: si_code %s, si_pid is getpid %d\n", code_name(last_code), pid_ok);

  hits = 0;
  signal(SIGUSR1, SIG_IGN);
  raise(SIGUSR1);
  kill(getpid(), SIGUSR1);
  printf("SIG_IGN: hits %d\n", hits);

  signal(SIGUSR1, on_usr);
  sigset_t set, pending;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGUSR1);
  sigpending(&pending);
  printf("blocked and raised: pending %d\n", sigismember(&pending, SIGUSR1));
  signal(SIGUSR1, SIG_IGN);
  sigpending(&pending);
  printf("after SIG_IGN: pending %d\n", sigismember(&pending, SIGUSR1));
  signal(SIGUSR1, on_usr);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  printf("unblocked: hits %d\n", hits);

  raise(SIGCHLD);
  raise(SIGURG);
  raise(SIGWINCH);
  raise(SIGCONT);
  printf("default-ignored SIGCHLD, SIGURG, SIGWINCH, SIGCONT: still running\n");

  printf("kill(getpid(), 0) %d\n", kill(getpid(), 0));
  errno = 0;
  r = kill(getpid(), 1000);
  printf("kill(getpid(), 1000) %d %s\n", r, errno == EINVAL ? "EINVAL" : "other");
  errno = 0;
  r = raise(-1);
  printf("raise(-1) %d %s\n", r, errno == EINVAL ? "EINVAL" : "other");
  errno = 0;
  r = sigaction(0, &sa, NULL);
  printf("sigaction(0) %d %s\n", r, errno == EINVAL ? "EINVAL" : "other");

  printf("raising SIGTERM with the default action\n");
  fflush(stdout);
  raise(SIGTERM);
  printf("not reached\n");
  return 0;
}
