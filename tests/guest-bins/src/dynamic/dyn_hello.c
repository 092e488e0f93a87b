// A dynamically linked program, as the cross compiler builds one by default: started through
// the dynamic loader found in the guest's sysroot, with libc shared, a library opened at run
// time (dlopen/dlsym), and the auxv and /proc/self entries pointing at the program.
#include <dlfcn.h>
#include <elf.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static __thread int tls_counter = 40;

int main(int argc, char **argv) {
  printf("hello from a dynamic program, argc=%d\n", argc);
  void *h = dlopen("libm.so.6", RTLD_NOW);
  double (*cosine)(double) = h ? (double (*)(double))dlsym(h, "cos") : NULL;
  printf("dlopen libm: %s, cos(0) = %g\n", h ? "ok" : dlerror(), cosine ? cosine(0.0) : -1.0);
  void *missing = dlopen("libnot-there.so.9", RTLD_NOW);
  printf("dlopen of a missing library fails: %d\n", missing == NULL);
  printf("AT_BASE set (an interpreter ran): %d\n", getauxval(AT_BASE) != 0);
  printf("AT_ENTRY is the program's, not the loader's: %d\n", getauxval(AT_ENTRY) != 0 && getauxval(AT_ENTRY) != getauxval(AT_BASE));
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n > 0 ? n : 0] = 0;
  printf("/proc/self/exe names the program: %s\n", basename(exe));
  const char *fn = (const char *)getauxval(AT_EXECFN);
  printf("AT_EXECFN names the program: %s\n", fn ? basename((char *)fn) : "(none)");
  tls_counter += 2;
  printf("TLS in the program: %d\n", tls_counter);
  return 0;
}
