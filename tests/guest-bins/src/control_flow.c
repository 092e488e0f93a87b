/* Recursion (Ackermann, mutual recursion), dense and sparse switch statements (jump
   tables), function pointer tables and indirect calls, computed goto, tail calls. */
#include <stdio.h>

static long ack(long m, long n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static const char *dense(int x) {
  switch (x) {
    case 0: return "zero"; case 1: return "one"; case 2: return "two"; case 3: return "three";
    case 4: return "four"; case 5: return "five"; case 6: return "six"; case 7: return "seven";
    case 8: return "eight"; case 9: return "nine"; case 10: return "ten"; default: return "many";
  }
}

static int sparse(long long x) {
  switch (x) {
    case -1000000: return 1; case 7: return 2; case 1 << 20: return 3; case 123456789: return 4;
    case 0x7fffffffffLL: return 5; default: return 0;
  }
}

/* long long: the same 64-bit values on ILP32 and LP64 guests. */
static long long op_add(long long a, long long b) { return a + b; }
static long long op_sub(long long a, long long b) { return a - b; }
static long long op_mul(long long a, long long b) { return a * b; }
static long long op_shl(long long a, long long b) { return a << (b & 63); }
static long long (*const ops[])(long long, long long) = {op_add, op_sub, op_mul, op_shl};

static long interp(const unsigned char *code) {
  static void *labels[] = {&&push1, &&dup, &&add, &&loop, &&halt};
  long stack[16], sp = 0, counter = 5;
  const unsigned char *pc = code;
#define NEXT goto *labels[*pc++]
  NEXT;
push1: stack[sp++] = 1; NEXT;
dup: stack[sp] = stack[sp - 1]; sp++; NEXT;
add: sp--; stack[sp - 1] += stack[sp]; NEXT;
loop: if (--counter > 0) pc = code + 1; NEXT;
halt: return stack[sp - 1];
#undef NEXT
}

static unsigned long collatz_steps(unsigned long n, unsigned long steps) {
  if (n == 1) return steps; /* tail call: -O2 turns this into a loop */
  return collatz_steps(n & 1 ? 3 * n + 1 : n / 2, steps + 1);
}

int main(void) {
  for (int m = 0; m <= 3; m++) for (int n = 0; n <= 4; n++) printf("ack(%d,%d)=%ld%c", m, n, ack(m, n), n == 4 ? '\n' : ' ');
  printf("ack(2,200)=%ld\n", ack(2, 200));
  printf("even(10001) %d odd(777) %d\n", is_even(10001), is_odd(777));
  for (int i = -1; i <= 12; i++) printf("%s ", dense(i));
  printf("\n");
  long long keys[] = {-1000000, 7, 1 << 20, 123456789, 0x7fffffffffLL, 8, 0};
  for (int i = 0; i < 7; i++) printf("%d", sparse(keys[i]));
  printf("\n");
  long long acc = 3;
  for (int i = 0; i < 20; i++) acc = ops[i % 4](acc, i + 1) % 1000003;
  printf("ops acc %lld\n", acc);
  static const unsigned char prog[] = {0, 1, 2, 3, 4};
  printf("computed goto %ld\n", interp(prog));
  printf("collatz(27) %lu collatz(837799) %lu\n", collatz_steps(27, 0), collatz_steps(837799, 0));
  return 0;
}
