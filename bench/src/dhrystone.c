/* Dhrystone-like integer benchmark, written for tsemu (MIT) after the structure of Reinhold
   Weicker's Dhrystone 2.1 as published (CACM 1984, SIGPLAN Notices 1988): one main loop calling
   eight procedures and three functions that work on a pair of linked records with a variant
   part, global scalars, one- and two-dimensional global arrays, enumerations, characters and
   fixed 30-character strings (copied and compared through libc). The operations per loop and
   the final values follow the published benchmark, so the mix of calls, branches, record and
   array accesses and string work is the same; the code is our own, and it reports the final
   state instead of a time (the bench times the whole run from outside and compares the output
   between emulators).

   Every procedure is noipa (no inlining, cloning or constant propagation across calls): the
   original's procedures are real calls, most of them into a separate compilation unit; in one
   file gcc -O2 would fold much of the loop into main and measure much less. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNS 8000000L

typedef enum { ID_1, ID_2, ID_3, ID_4, ID_5 } ident;
typedef char str30[31];

typedef struct rec {
  struct rec *next;
  ident discr;
  union {
    struct {
      ident e;
      int i;
      str30 s;
    } v1;
    struct {
      ident e2;
      str30 s2;
    } v2;
    struct {
      char c1, c2;
    } v3;
  } u;
} rec;

#define NOINLINE __attribute__((noipa))

static rec *glob_rec, *glob_next;
static int glob_int;
static int glob_bool;
static char glob_ch1, glob_ch2;
static int glob_arr1[50];
static int glob_arr2[50][50];

static void proc_3(rec **out);
static void proc_6(ident in, ident *out);
static void proc_7(int a, int b, int *out);
static void proc_8(int arr1[50], int arr2[50][50], int a, int b);
static ident func_1(char a, char b);
static int func_2(const str30 a, const str30 b);
static int func_3(ident e);

/* Copies the global record into the one it links to, then updates one or the other. */
static NOINLINE void proc_1(rec *r) {
  rec *n = r->next;
  *n = *glob_rec;
  r->u.v1.i = 5;
  n->u.v1.i = r->u.v1.i;
  n->next = r->next;
  proc_3(&n->next);
  if (n->discr == ID_1) {
    n->u.v1.i = 6;
    proc_6(r->u.v1.e, &n->u.v1.e);
    n->next = glob_rec->next;
    proc_7(n->u.v1.i, 10, &n->u.v1.i);
  } else {
    *r = *r->next;
  }
}

/* A loop that runs once in practice, guarded by a character global. */
static NOINLINE void proc_2(int *io) {
  int v = *io + 10;
  ident e = ID_2;
  do {
    if (glob_ch1 == 'A') {
      v -= 1;
      *io = v - glob_int;
      e = ID_1;
    }
  } while (e != ID_1);
}

static NOINLINE void proc_3(rec **out) {
  if (glob_rec != NULL) *out = glob_rec->next;
  proc_7(10, glob_int, &glob_rec->u.v1.i);
}

static NOINLINE void proc_4(void) {
  int b = glob_ch1 == 'A';
  glob_bool = b | glob_bool;
  glob_ch2 = 'B';
}

static NOINLINE void proc_5(void) {
  glob_ch1 = 'A';
  glob_bool = 0;
}

/* An enumeration switch and a call on the way in. */
static NOINLINE void proc_6(ident in, ident *out) {
  *out = in;
  if (!func_3(in)) *out = ID_4;
  switch (in) {
    case ID_1: *out = ID_1; break;
    case ID_2: *out = glob_int > 100 ? ID_1 : ID_4; break;
    case ID_3: *out = ID_2; break;
    case ID_4: break;
    case ID_5: *out = ID_3; break;
  }
}

static NOINLINE void proc_7(int a, int b, int *out) {
  int t = a + 2;
  *out = b + t;
}

/* Stores into both global arrays around an index that arrives as a parameter. */
static NOINLINE void proc_8(int arr1[50], int arr2[50][50], int a, int b) {
  int at = a + 5;
  arr1[at] = b;
  arr1[at + 1] = arr1[at];
  arr1[at + 30] = at;
  for (int k = at; k <= at + 1; k++) arr2[at][k] = at;
  arr2[at][at - 1] += 1;
  arr2[at + 20][at] = arr1[at];
  glob_int = 5;
}

static NOINLINE ident func_1(char a, char b) {
  char c = a;
  char d = c;
  if (d != b) return ID_1;
  glob_ch1 = d;
  return ID_2;
}

/* Compares two characters of the strings, then the strings themselves. */
static NOINLINE int func_2(const str30 a, const str30 b) {
  int k = 2;
  char c = 0;
  while (k <= 2)
    if (func_1(a[k], b[k + 1]) == ID_1) {
      c = 'A';
      k += 1;
    }
  if (c >= 'W' && c < 'Z') k = 7;
  if (c == 'R') return 1;
  if (strcmp(a, b) > 0) {
    k += 7;
    glob_int = k;
    return 1;
  }
  return 0;
}

static NOINLINE int func_3(ident e) {
  ident f = e;
  return f == ID_3;
}

int main(void) {
  glob_next = malloc(sizeof(rec));
  glob_rec = malloc(sizeof(rec));
  glob_rec->next = glob_next;
  glob_rec->discr = ID_1;
  glob_rec->u.v1.e = ID_3;
  glob_rec->u.v1.i = 40;
  strcpy(glob_rec->u.v1.s, "DHRYSTONE PROGRAM, SOME STRING");
  str30 s1, s2;
  strcpy(s1, "DHRYSTONE PROGRAM, 1'ST STRING");
  glob_arr2[8][7] = 10;

  int i1 = 0, i2 = 0, i3 = 0;
  ident e = ID_1;
  for (long run = 1; run <= RUNS; run++) {
    proc_5();
    proc_4();
    i1 = 2;
    i2 = 3;
    strcpy(s2, "DHRYSTONE PROGRAM, 2'ND STRING");
    e = ID_2;
    glob_bool = !func_2(s1, s2);
    while (i1 < i2) {
      i3 = 5 * i1 - i2;
      proc_7(i1, i2, &i3);
      i1 += 1;
    }
    proc_8(glob_arr1, glob_arr2, i1, i3);
    proc_1(glob_rec);
    for (char c = 'A'; c <= glob_ch2; c++) {
      if (e == func_1(c, 'C')) {
        proc_6(ID_1, &e);
        strcpy(s2, "DHRYSTONE PROGRAM, 3'RD STRING");
        i2 = (int)run;
        glob_int = (int)run;
      }
    }
    i2 = i2 * i1;
    i1 = i2 / i3;
    i2 = 7 * (i2 - i3) - i1;
    proc_2(&i1);
  }

  /* The published expected values, with the two that depend on the run count. */
  int ok = glob_int == 5 && glob_bool == 1 && glob_ch1 == 'A' && glob_ch2 == 'B' &&
           glob_arr1[8] == 7 && glob_arr2[8][7] == RUNS + 10 && glob_rec->discr == ID_1 &&
           glob_rec->u.v1.e == ID_3 && glob_rec->u.v1.i == 17 && glob_next->discr == ID_1 &&
           glob_next->u.v1.e == ID_2 && glob_next->u.v1.i == 18 && i1 == 5 && i2 == 13 &&
           i3 == 7 && e == ID_2 && strcmp(s1, "DHRYSTONE PROGRAM, 1'ST STRING") == 0 &&
           strcmp(s2, "DHRYSTONE PROGRAM, 2'ND STRING") == 0;
  printf("dhrystone-like, %ld runs\n", RUNS);
  printf("int_glob %d bool_glob %d ch1 %c ch2 %c arr1[8] %d arr2[8][7] %d\n", glob_int, glob_bool,
         glob_ch1, glob_ch2, glob_arr1[8], glob_arr2[8][7]);
  printf("rec discr %d enum %d int %d; next discr %d enum %d int %d\n", glob_rec->discr,
         glob_rec->u.v1.e, glob_rec->u.v1.i, glob_next->discr, glob_next->u.v1.e, glob_next->u.v1.i);
  printf("locals %d %d %d %d; %s; %s\n", i1, i2, i3, e, s1, s2);
  printf("%s\n", ok ? "final values as published" : "final values DIFFER from the published ones");
  return ok ? 0 : 1;
}
