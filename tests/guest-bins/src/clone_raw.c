/* A thread made by hand with glibc's clone() wrapper (CLONE_VM|CLONE_FS|CLONE_FILES|
   CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|
   CLONE_CHILD_CLEARTID) on an mmap'd stack. The child uses only raw system calls (its thread
   pointer is a fake): its gettid is the id clone returned and differs from the parent's, it
   runs on the new stack with the CLONE_SETTLS thread pointer, and the parent's tid word was
   written (PARENT_SETTID) before clone returned. The parent then sleeps in FUTEX_WAIT on that
   word; the child checks it is asleep (a FUTEX_REQUEUE onto the same word counts it) and
   ends with SYS_exit (that thread only): CHILD_CLEARTID zeroes the word and the futex wake
   returns the parent from FUTEX_WAIT with 0. The process goes on with the main thread.
   set_robust_list/get_robust_list round trip (or ENOSYS from both, as qemu-user gives); clone3
   (435) either fails with ENOSYS or creates a fork-like child that exits 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STACK_SIZE (256 * 1024)

/* A system call without errno (the child has no usable thread pointer). */
static long raw6(long n, long a, long b, long c, long d, long e, long f) {
#if defined(__riscv)
  register long a7 __asm__("a7") = n;
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a3 __asm__("a3") = d;
  register long a4 __asm__("a4") = e;
  register long a5 __asm__("a5") = f;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5) : "memory");
  return a0;
#elif defined(__arm__)
  register long r0 __asm__("r0") = a;
  register long r1 __asm__("r1") = b;
  register long r2 __asm__("r2") = c;
  register long r3 __asm__("r3") = d;
  register long r4 __asm__("r4") = e;
  register long r5 __asm__("r5") = f;
  register long nr __asm__("r6") = n;
  /* r7 (the syscall number register) is Thumb's frame pointer: saved around the call. */
  __asm__ volatile("push {r7}\n\tmov r7, %[nr]\n\tsvc #0\n\tpop {r7}"
                   : "+r"(r0)
                   : [nr] "r"(nr), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5)
                   : "memory");
  return r0;
#else
  return syscall(n, a, b, c, d, e, f);
#endif
}

static char *stack;
static char fake_tls[4096] __attribute__((aligned(64)));
static volatile pid_t tid_word; /* PARENT_SETTID writes it, CHILD_CLEARTID clears it */
static volatile pid_t child_gettid;
static volatile int child_on_stack, child_tp_ok, child_saw_parent_asleep;
static volatile int child_ran;

static int child(void *arg) {
  volatile char local;
  (void)arg;
  child_ran = 1;
  child_gettid = (pid_t)raw6(SYS_gettid, 0, 0, 0, 0, 0, 0);
  child_on_stack = (char *)&local >= stack && (char *)&local < stack + STACK_SIZE;
  child_tp_ok = __builtin_thread_pointer() == (void *)fake_tls;
  /* Wait until the parent sleeps on tid_word: requeueing it onto the same word counts it. */
  for (int i = 0; i < 10000; i++) {
    /* futex(uaddr, FUTEX_REQUEUE, wake 0, requeue at most 1, uaddr2 = the same word) */
    long r = raw6(SYS_futex, (long)&tid_word, FUTEX_REQUEUE, 0, 1, (long)&tid_word, 0);
    if (r == 1) {
      child_saw_parent_asleep = 1;
      break;
    }
    struct timespec ms = {0, 1000000L};
    raw6(SYS_nanosleep, (long)&ms, 0, 0, 0, 0, 0);
  }
  raw6(SYS_exit, 0, 0, 0, 0, 0, 0);
  return 0;
}

int main(void) {
  pid_t me = getpid();
  stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
              CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
  pid_t tid = clone(child, stack + STACK_SIZE, flags, NULL, &tid_word, fake_tls, &tid_word);
  pid_t written = tid_word;
  printf("clone returned a tid > 0 %d, not the pid %d; PARENT_SETTID wrote it %d\n", tid > 0, tid != me,
         written == tid);
  errno = 0;
  long r = syscall(SYS_futex, &tid_word, FUTEX_WAIT, tid, NULL, NULL, 0);
  int e = errno;
  printf("FUTEX_WAIT on the tid word returned %ld %s; word now %d\n", r,
         r == 0 ? "(woken)" : e == EAGAIN ? "EAGAIN" : "other", tid_word);
  printf("child: ran %d, gettid is the returned tid %d, differs from the parent's %d, on its stack %d, "
         "thread pointer from CLONE_SETTLS %d, saw the parent asleep %d\n",
         child_ran, child_gettid == tid, child_gettid != (pid_t)syscall(SYS_gettid), child_on_stack,
         child_tp_ok, child_saw_parent_asleep);
  printf("parent's thread pointer untouched %d\n", __builtin_thread_pointer() != (void *)fake_tls);
  munmap(stack, STACK_SIZE);

  /* set_robust_list / get_robust_list. */
  struct robust_list_head *orig = NULL, *got = NULL;
  size_t orig_len = 0, got_len = 0;
  static struct robust_list_head mine;
  mine.list.next = &mine.list;
  mine.futex_offset = 0;
  mine.list_op_pending = NULL;
  errno = 0;
  long g1 = syscall(SYS_get_robust_list, 0, &orig, &orig_len);
  int g1e = errno;
  long s1 = syscall(SYS_set_robust_list, &mine, sizeof mine);
  int s1e = errno;
  long g2 = syscall(SYS_get_robust_list, 0, &got, &got_len);
  errno = 0;
  long bad = syscall(SYS_set_robust_list, &mine, sizeof mine + 1);
  int bade = errno;
  if (g1 == 0) syscall(SYS_set_robust_list, orig, orig_len);
  int works = g1 == 0 && s1 == 0 && g2 == 0 && got == &mine && got_len == sizeof mine &&
              orig_len == sizeof mine && bad == -1 && bade == EINVAL;
  int enosys = g1 == -1 && g1e == ENOSYS && s1 == -1 && s1e == ENOSYS;
  printf("robust list: round trip (and EINVAL for a wrong size) works, or ENOSYS from both: %d\n",
         works || enosys);

  /* clone3: a fork-like child (no CLONE_VM, SIGCHLD on exit), or ENOSYS. */
  struct {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
  } args;
  memset(&args, 0, sizeof args);
  args.exit_signal = SIGCHLD;
  fflush(stdout);
  errno = 0;
  r = syscall(435, &args, sizeof args);
  if (r == 0) syscall(SYS_exit_group, 0); /* the child */
  int ok;
  if (r > 0) {
    int status = -1;
    ok = waitpid((pid_t)r, &status, 0) == r && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  } else {
    ok = errno == ENOSYS;
  }
  printf("clone3: ENOSYS, or a child that exited 0: %d\n", ok);
  printf("main thread still running\n");
  return 0;
}
