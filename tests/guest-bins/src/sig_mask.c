/* Signal masks and the ways to take a signal: sigprocmask blocking (raise while blocked is
   pending in sigpending and delivered as soon as it is unblocked; SIGKILL/SIGSTOP cannot be
   blocked or caught); several pending signals unblocked at once run highest number first
   with empty sa_masks (each frame set up over the previous one; real-time signals queued),
   lowest first when each handler's sa_mask blocks the others (not on riscv64, see below);
   the signal itself (and its sa_mask) blocked while its handler runs; sigsuspend waiting for
   an itimer signal and restoring the mask; sigtimedwait taking a blocked pending signal
   (si_signo, si_code) and timing out with EAGAIN; sigwaitinfo after kill() (SI_USER,
   si_pid); signalfd reading a blocked signal (ssi_signo, ssi_code), after sigqueue too
   (ssi_int), and EAGAIN when none is pending; sigqueue with an int si_value (SI_QUEUE) to an
   SA_SIGINFO handler; SA_RESETHAND (the disposition is back to SIG_DFL); SA_NODEFER (the
   handler re-entered, nesting depth 3) against the default (depth 1, deliveries in
   sequence); pause() woken by an itimer. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t count, depth, max_depth;
static volatile int order[16], norder;
static volatile int in_handler_self_blocked, in_handler_mask_blocked, in_handler_other_blocked;
static volatile int q_signo, q_code, q_value, q_pid_ok;

static void on_count(int sig) {
  (void)sig;
  count++;
}

static void on_order(int sig) {
  if (norder < 16) order[norder++] = sig;
}

static void on_check_mask(int sig) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  in_handler_self_blocked = sigismember(&now, sig);
  in_handler_mask_blocked = sigismember(&now, SIGUSR2);
  in_handler_other_blocked = sigismember(&now, SIGHUP);
}

static void on_nest(int sig) {
  depth++;
  if (depth > max_depth) max_depth = depth;
  count++;
  if (count < 3) raise(sig);
  depth--;
}

static void on_queue(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  q_signo = sig;
  q_code = si->si_code;
  q_value = si->si_value.sival_int;
  q_pid_ok = si->si_pid == getpid();
}

static void handle(int sig, void (*fn)(int), int flags, const int *mask_sigs) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  for (; mask_sigs && *mask_sigs; mask_sigs++) sigaddset(&sa.sa_mask, *mask_sigs);
  sigaction(sig, &sa, NULL);
}

static void block(int how, int sig) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  sigprocmask(how, &s, NULL);
}

static int is_pending(int sig) {
  sigset_t p;
  sigpending(&p);
  return sigismember(&p, sig);
}

static const char *code_name(int code) {
  return code == SI_USER ? "SI_USER" : code == SI_TKILL ? "SI_TKILL" : code == SI_QUEUE ? "SI_QUEUE"
       : code == SI_TIMER ? "SI_TIMER" : code == SI_KERNEL ? "SI_KERNEL" : "other";
}

static void arm_ms(long ms) {
  struct itimerval it = {{0, 0}, {0, ms * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
}

int main(void) {
  /* Blocked, pending, delivered on unblock. */
  handle(SIGUSR1, on_count, 0, NULL);
  block(SIG_BLOCK, SIGUSR1);
  raise(SIGUSR1);
  raise(SIGUSR1);
  printf("blocked: handled %d, pending %d\n", count, is_pending(SIGUSR1));
  block(SIG_UNBLOCK, SIGUSR1);
  printf("unblocked: handled %d (a standard signal is pending once), pending %d\n", count,
         is_pending(SIGUSR1));

  sigset_t all, now;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, NULL);
  sigprocmask(SIG_SETMASK, NULL, &now);
  /* (Not SIGRTMAX: qemu-user 7.2 cannot block the top two real-time signals.) */
  printf("mask all: SIGKILL blocked %d, SIGSTOP blocked %d, SIGUSR1 blocked %d, SIGRTMIN "
         "blocked %d\n",
         sigismember(&now, SIGKILL), sigismember(&now, SIGSTOP), sigismember(&now, SIGUSR1),
         sigismember(&now, SIGRTMIN));
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_count;
  errno = 0;
  int r = sigaction(SIGKILL, &sa, NULL);
  int e = errno;
  errno = 0;
  int r2 = sigaction(SIGSTOP, &sa, NULL);
  printf("sigaction(SIGKILL) %d %s, sigaction(SIGSTOP) %d %s\n", r, e == EINVAL ? "EINVAL" : "other",
         r2, errno == EINVAL ? "EINVAL" : "other");

  /* Several pending signals, unblocked at once. With an empty sa_mask each delivery is set up
     on top of the previous one before any handler runs, so the handlers run highest number
     first; real-time signals are queued (each raise is delivered). */
  static const int several[] = {SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, 0};
  sigset_t pend;
  sigemptyset(&pend);
  for (const int *s = several; *s; s++) {
    handle(*s, on_order, 0, NULL);
    sigaddset(&pend, *s);
  }
  handle(SIGRTMIN, on_order, 0, NULL);
  handle(SIGRTMIN + 1, on_order, 0, NULL);
  sigaddset(&pend, SIGRTMIN);
  sigaddset(&pend, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &pend, NULL);
  raise(SIGRTMIN + 1);
  raise(SIGALRM);
  raise(SIGUSR2);
  raise(SIGRTMIN);
  raise(SIGHUP);
  raise(SIGUSR1);
  raise(SIGRTMIN);
  raise(SIGRTMIN + 1);
  raise(SIGHUP);
  sigprocmask(SIG_UNBLOCK, &pend, NULL);
  printf("delivery order, empty sa_mask (SIGRTMIN as 100):");
  for (int i = 0; i < norder; i++) printf(" %d", order[i] >= SIGRTMIN ? order[i] - SIGRTMIN + 100 : order[i]);
  printf("\n");

#if !defined(__riscv)
  /* With each handler's sa_mask blocking the others they run one at a time, lowest number
     first; the handler's own signal and its sa_mask are blocked while it runs. Left out on
     riscv64: qemu-riscv64 7.2, the oracle, does not block sa_mask while a handler runs. */
  norder = 0;
  for (const int *s = several; *s; s++) handle(*s, on_order, 0, several);
  sigprocmask(SIG_BLOCK, &pend, NULL);
  raise(SIGALRM);
  raise(SIGUSR2);
  raise(SIGHUP);
  raise(SIGUSR1);
  sigprocmask(SIG_UNBLOCK, &pend, NULL);
  printf("delivery order, sa_mask blocking the others:");
  for (int i = 0; i < norder; i++) printf(" %d", order[i]);
  printf("\n");

  static const int usr2[] = {SIGUSR2, 0};
  handle(SIGUSR1, on_check_mask, 0, usr2);
  raise(SIGUSR1);
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("in handler: sa_mask signal blocked %d, other blocked %d; after: %d\n",
         in_handler_mask_blocked, in_handler_other_blocked, sigismember(&now, SIGUSR2));
#endif
  handle(SIGUSR1, on_check_mask, 0, NULL);
  raise(SIGUSR1);
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("in handler: own signal blocked %d, other blocked %d; after: %d\n",
         in_handler_self_blocked, in_handler_other_blocked, sigismember(&now, SIGUSR1));

  /* sigsuspend: SIGALRM blocked, waited for with an empty mask. */
  handle(SIGALRM, on_count, 0, NULL);
  block(SIG_BLOCK, SIGALRM);
  count = 0;
  arm_ms(50);
  sigset_t empty;
  sigemptyset(&empty);
  errno = 0;
  r = sigsuspend(&empty);
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("sigsuspend returned %d %s, handled %d, SIGALRM blocked again %d\n", r,
         errno == EINTR ? "EINTR" : "other", count, sigismember(&now, SIGALRM));
  block(SIG_UNBLOCK, SIGALRM);

  /* sigtimedwait / sigwaitinfo. */
  sigset_t w;
  sigemptyset(&w);
  sigaddset(&w, SIGUSR1);
  sigprocmask(SIG_BLOCK, &w, NULL);
  handle(SIGUSR1, on_count, 0, NULL);
  count = 0;
  raise(SIGUSR1);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  struct timespec zero = {0, 0}, short_wait = {0, 50000000L};
  /* raise() is tgkill (SI_TKILL), which glibc's sigtimedwait reports as SI_USER. */
  r = sigtimedwait(&w, &si, &zero);
  printf("sigtimedwait: returned %d si_signo %d si_code %s, handler ran %d, still pending %d\n", r,
         si.si_signo, code_name(si.si_code), count, is_pending(SIGUSR1));
  errno = 0;
  r = sigtimedwait(&w, &si, &short_wait);
  printf("sigtimedwait with nothing pending: %d %s\n", r, errno == EAGAIN ? "EAGAIN" : "other");
  kill(getpid(), SIGUSR1);
  memset(&si, 0, sizeof si);
  r = sigwaitinfo(&w, &si);
  printf("sigwaitinfo after kill: returned %d si_code %s si_pid is getpid %d si_uid is getuid %d\n",
         r, code_name(si.si_code), si.si_pid == getpid(), si.si_uid == getuid());
  block(SIG_UNBLOCK, SIGUSR1);

  /* signalfd. */
  sigset_t sfs;
  sigemptyset(&sfs);
  sigaddset(&sfs, SIGUSR2);
  sigprocmask(SIG_BLOCK, &sfs, NULL);
  int sfd = signalfd(-1, &sfs, SFD_NONBLOCK | SFD_CLOEXEC);
  printf("signalfd: fd valid %d\n", sfd >= 0);
  struct signalfd_siginfo ssi;
  errno = 0;
  ssize_t n = read(sfd, &ssi, sizeof ssi);
  printf("signalfd empty: read %zd %s\n", n, errno == EAGAIN ? "EAGAIN" : "other");
  raise(SIGUSR2);
  struct pollfd p = {sfd, POLLIN, 0};
  int pr = poll(&p, 1, 1000);
  printf("signalfd poll: %d revents POLLIN %d\n", pr, (p.revents & POLLIN) != 0);
  memset(&ssi, 0, sizeof ssi);
  n = read(sfd, &ssi, sizeof ssi);
  printf("signalfd read %zd (size %zu): ssi_signo %u ssi_code %s ssi_pid is getpid %d, pending "
         "after %d\n",
         n, sizeof ssi, ssi.ssi_signo, code_name(ssi.ssi_code), ssi.ssi_pid == (unsigned)getpid(),
         is_pending(SIGUSR2));
  sigqueue(getpid(), SIGUSR2, (union sigval){.sival_int = 77});
  memset(&ssi, 0, sizeof ssi);
  n = read(sfd, &ssi, sizeof ssi);
  printf("signalfd after sigqueue: %zd ssi_signo %u ssi_code %s ssi_int %d\n", n, ssi.ssi_signo,
         code_name(ssi.ssi_code), ssi.ssi_int);
  close(sfd);
  sigprocmask(SIG_UNBLOCK, &sfs, NULL);

  /* sigqueue to an SA_SIGINFO handler. */
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_queue;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGRTMIN + 2, &sa, NULL);
  r = sigqueue(getpid(), SIGRTMIN + 2, (union sigval){.sival_int = 4242});
  printf("sigqueue: %d handler saw signal SIGRTMIN+%d si_code %s si_value %d si_pid is getpid %d\n", r,
         q_signo - SIGRTMIN, code_name(q_code), q_value, q_pid_ok);

  /* SA_RESETHAND: one delivery, then the default disposition. */
  handle(SIGUSR1, on_count, SA_RESETHAND, NULL);
  count = 0;
  raise(SIGUSR1);
  struct sigaction old;
  sigaction(SIGUSR1, NULL, &old);
  printf("SA_RESETHAND: handled %d, disposition now SIG_DFL %d\n", count, old.sa_handler == SIG_DFL);

  /* SA_NODEFER: the handler raising its own signal is re-entered. */
  handle(SIGUSR2, on_nest, SA_NODEFER, NULL);
  count = depth = max_depth = 0;
  raise(SIGUSR2);
  printf("SA_NODEFER: deliveries %d, deepest nesting %d\n", count, max_depth);
  handle(SIGUSR2, on_nest, 0, NULL);
  count = depth = max_depth = 0;
  raise(SIGUSR2);
  printf("default: deliveries %d, deepest nesting %d\n", count, max_depth);

  /* pause() until an itimer's SIGALRM. */
  handle(SIGALRM, on_count, 0, NULL);
  count = 0;
  arm_ms(50);
  errno = 0;
  r = pause();
  printf("pause returned %d %s, handled %d\n", r, errno == EINTR ? "EINTR" : "other", count);
  return 0;
}
