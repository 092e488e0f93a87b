/* SIGSEGV caught by an SA_SIGINFO handler that leaves by siglongjmp: si_signo, si_code and
   si_addr of a read and a write on a PROT_NONE page (SEGV_ACCERR), of a read of a page that
   was munmap'd and of a null pointer (SEGV_MAPERR), of a write to a read-only page and to
   the program's read-only data (SEGV_ACCERR); SIGSEGV is blocked while the handler runs and
   siglongjmp restores the mask; the fault repeats after recovery; mprotect then makes the
   page usable. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf recover;
static volatile int got_signo, got_code, got_errno_field, segv_blocked_in_handler, handled;
static void *volatile got_addr;

static void on_segv(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  segv_blocked_in_handler = sigismember(&now, SIGSEGV);
  got_signo = si->si_signo;
  got_code = si->si_code;
  got_errno_field = si->si_errno;
  got_addr = si->si_addr;
  handled++;
  (void)sig;
  siglongjmp(recover, 1);
}

static const char *code_name(int code) {
  return code == SEGV_ACCERR ? "SEGV_ACCERR" : code == SEGV_MAPERR ? "SEGV_MAPERR" : "other";
}

static const char rodata[64] = "read-only data";

/* Faults on addr by a read (write == 0) or a write, and reports what the handler saw. */
static void probe(const char *what, volatile char *addr, int write) {
  got_signo = got_code = 0;
  got_addr = NULL;
  if (sigsetjmp(recover, 1) == 0) {
    if (write) *addr = 1;
    else (void)*addr;
    printf("%s: no fault\n", what);
    return;
  }
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("%s: signo %d (SIGSEGV %d) code %s addr matches %d errno %d blocked in handler %d, after %d\n",
         what, got_signo, got_signo == SIGSEGV, code_name(got_code), got_addr == (void *)addr,
         got_errno_field, segv_blocked_in_handler, sigismember(&now, SIGSEGV));
}

int main(void) {
  long page = sysconf(_SC_PAGESIZE);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  printf("sigaction %d\n", sigaction(SIGSEGV, &sa, NULL));

  char *none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  probe("read PROT_NONE page start", none, 0);
  probe("read PROT_NONE page +123", none + 123, 0);
  probe("write PROT_NONE page +4095", none + page - 1, 1);
  probe("read PROT_NONE again", none + 8, 0);

  char *ro = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  strcpy(ro, "written before mprotect");
  mprotect(ro, page, PROT_READ);
  printf("read-only page reads \"%s\"\n", ro);
  probe("write read-only page +32", ro + 32, 1);
  probe("write .rodata", (volatile char *)&rodata[3], 1);
  printf(".rodata unchanged: \"%s\"\n", rodata);

  char *gone = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  gone[0] = 7;
  gone[page] = 8;
  printf("munmap %d\n", munmap(gone + page, page));
  probe("read munmap'd page +200", gone + page + 200, 0);
  probe("write munmap'd page", gone + page, 1);
  printf("page before it still there: %d\n", gone[0]);
  probe("read NULL", (volatile char *)0, 0);
  probe("write address 16", (volatile char *)16, 1);

  printf("mprotect rw %d\n", mprotect(none, page, PROT_READ | PROT_WRITE));
  none[123] = 42;
  printf("PROT_NONE page now rw: %d %d\n", none[0], none[123]);
  printf("handler ran %d times\n", handled);
  return 0;
}
