/* argv as the loader lays it on the stack (argc, argv[], envp[]), and the environment
   through setenv/getenv/unsetenv. argv[0] is printed by base name only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv, char **envp) {
  const char *slash = strrchr(argv[0], '/');
  printf("argc %d argv0 %s\n", argc, slash ? slash + 1 : argv[0]);
  for (int i = 1; i < argc; i++) printf("argv[%d] = '%s' (%zu)\n", i, argv[i], strlen(argv[i]));
  printf("argv[argc] is NULL %d, envp follows argv %d, environ == envp %d\n", argv[argc] == NULL,
         envp == argv + argc + 1, environ == envp);
  printf("TSEMU_TEST_VAR before: %s\n", getenv("TSEMU_TEST_VAR") ? "set" : "unset");
  setenv("TSEMU_TEST_VAR", "hello=world", 1);
  printf("after setenv: %s\n", getenv("TSEMU_TEST_VAR"));
  setenv("TSEMU_TEST_VAR", "ignored", 0);
  printf("no overwrite: %s\n", getenv("TSEMU_TEST_VAR"));
  putenv("TSEMU_OTHER=42");
  printf("putenv: %s\n", getenv("TSEMU_OTHER"));
  int found = 0;
  for (char **e = environ; *e; e++) if (strncmp(*e, "TSEMU_", 6) == 0) found++;
  printf("TSEMU_ entries in environ %d\n", found);
  unsetenv("TSEMU_TEST_VAR");
  printf("after unsetenv: %s\n", getenv("TSEMU_TEST_VAR") ? "set" : "unset");
  return argc;
}
