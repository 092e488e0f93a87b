/* The guest gdb drives in tests/gdbstub.test.ts: no libc, so that it can be committed with its
 * symbols and stay a few KB. `report` is the function to break on, `counter` the global to
 * watch, `exit_code` a global gdb rewrites (the exit status shows it). With an argument: "crash"
 * stores through a null pointer (SIGSEGV), "spin" loops until interrupted. */

#if defined(__riscv)
#define SYS_write 64
#define SYS_exit_group 94
static long syscall3(long n, long a, long b, long c) {
  register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c, a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}
/* gp first: the linker relaxes accesses to small globals to gp-relative ones. */
__asm__(".globl _start\n_start:\n  .option push\n  .option norelax\n  la gp, __global_pointer$\n  .option pop\n"
        "  mv a0, sp\n  call start_c\n");
#elif defined(__arm__)
#define SYS_write 4
#define SYS_exit_group 248
static long syscall3(long n, long a, long b, long c) {
  register long r0 __asm__("r0") = a, r1 __asm__("r1") = b, r2 __asm__("r2") = c, r7 __asm__("r7") = n;
  __asm__ volatile("svc 0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
  return r0;
}
/* qemu-arm starts a program with r1, r2 and r10 set (argv, envp, the data segment), Linux with
 * them zero: zeroed here, so that gdb shows the same registers under both. */
__asm__(".globl _start\n_start:\n  mov r0, sp\n  mov r1, #0\n  mov r2, #0\n  mov r10, #0\n  bl start_c\n");
#endif

volatile int counter;
volatile int exit_code = 3;
volatile double scale = 1.5;

/* Prints "value N" for a non-negative N. */
__attribute__((noinline)) void report(int v) {
  static const char prefix[] = "value ";
  char buf[24], digits[12];
  int n = 0, len = 0;
  while (prefix[len]) buf[len] = prefix[len], len++;
  do digits[n++] = (char)('0' + v % 10); while ((v /= 10) > 0);
  while (n > 0) buf[len++] = digits[--n];
  buf[len++] = '\n';
  syscall3(SYS_write, 1, (long)buf, len);
}

__attribute__((noinline)) void crash(void) {
  *(volatile int *)0 = (int)scale;
}

__attribute__((noreturn)) void start_c(long *sp) {
  long argc = sp[0];
  const char *mode = argc > 1 ? (const char *)sp[2] : "";
  if (mode[0] == 's') for (;;) counter++;
  for (int i = 1; i <= 3; i++) {
    counter += i;
    report(counter * (int)scale);
  }
  if (mode[0] == 'c') crash();
  syscall3(SYS_exit_group, exit_code, 0, 0);
  for (;;) {}
}
