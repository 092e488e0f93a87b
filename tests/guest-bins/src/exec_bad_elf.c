// execve of malformed ELF images of this program's own arch (copies of its own header with one
// field broken): Linux fails the call in load_elf_binary's header checks, before the old
// program is gone, and the caller goes on. fs/binfmt_elf.c answers ENOEXEC for each case here:
// the ident, type, e_phentsize and e_phnum checks, and program headers past the end of the
// file (load_elf_phdrs fails and load_elf_binary returns its initial -ENOEXEC).
// qemu-user cannot be the oracle here: its execve hands any ELF of the arch to the host kernel,
// whose binfmt_misc starts qemu, which then exits with its loader error. So this program is
// not recorded under qemu; tests/exec-errors.test.ts states Linux's answers.
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char image[4096];

/* Writes the first `len` bytes of `image` (after `patch`) to a file, tries to exec it and
   prints what execve said. */
static void try_exec(const char *what, size_t len, void (*patch)(ElfW(Ehdr) *)) {
  static unsigned char copy[sizeof image];
  memcpy(copy, image, sizeof image);
  if (patch) patch((ElfW(Ehdr) *)copy);
  char path[64];
  snprintf(path, sizeof path, "/tmp/tsemu-bad-elf-%d", (int)getpid());
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0700);
  if (fd < 0 || write(fd, copy, len) != (ssize_t)len) { perror("write"); return; }
  close(fd);
  errno = 0;
  execl(path, path, (char *)NULL);
  printf("%s: %s\n", what, strerror(errno));
  unlink(path);
}

static void no_phdrs(ElfW(Ehdr) *h) { h->e_phnum = 0; }
static void wrong_class(ElfW(Ehdr) *h) { h->e_ident[EI_CLASS] ^= 3; }
static void relocatable(ElfW(Ehdr) *h) { h->e_type = ET_REL; }
static void phentsize(ElfW(Ehdr) *h) { h->e_phentsize += 4; }
static void big_endian(ElfW(Ehdr) *h) { h->e_ident[EI_DATA] = ELFDATA2MSB; }

int main(void) {
  int fd = open("/proc/self/exe", O_RDONLY);
  if (fd < 0 || read(fd, image, sizeof image) != (ssize_t)sizeof image) { perror("/proc/self/exe"); return 1; }
  close(fd);
  fflush(stdout);
  try_exec("e_phnum 0", sizeof image, no_phdrs);
  try_exec("other class", sizeof image, wrong_class);
  try_exec("ET_REL", sizeof image, relocatable);
  try_exec("e_phentsize wrong", sizeof image, phentsize);
  try_exec("big-endian", sizeof image, big_endian);
  try_exec("program headers past the end", sizeof(ElfW(Ehdr)), NULL);
  try_exec("only half a header", sizeof(ElfW(Ehdr)) / 2, NULL);
  printf("still here\n");
  return 0;
}
