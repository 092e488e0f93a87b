// execve of malformed ELF images of this program's own arch (copies of its own header with one
// field broken): Linux fails the call in load_elf_binary's header checks, before the old
// program is gone, and the caller goes on. fs/binfmt_elf.c answers ENOEXEC for each case here:
// the ident, type, e_phentsize and e_phnum checks, and program headers past the end of the
// file (load_elf_phdrs fails and load_elf_binary returns its initial -ENOEXEC).
// qemu-user cannot be the oracle here: its execve hands any ELF of the arch to the host kernel,
// whose binfmt_misc starts qemu, which then exits with its loader error. So this program is
// not recorded under qemu: the host's Linux is the oracle (src/exec_bad_elf.linux).
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
/* (Not the other ELF class: a 64-bit kernel with 32-bit compat support takes such a file for
   a compat binary, x32 on x86-64 or rv32 on riscv64, and fails only past its point of no
   return, killing the caller. Not EI_DATA either: Linux does not look at it.) */
static void relocatable(ElfW(Ehdr) *h) { h->e_type = ET_REL; }
static void phentsize(ElfW(Ehdr) *h) { h->e_phentsize += 4; }

int main(void) {
  int fd = open("/proc/self/exe", O_RDONLY);
  if (fd < 0 || read(fd, image, sizeof image) != (ssize_t)sizeof image) { perror("/proc/self/exe"); return 1; }
  close(fd);
  fflush(stdout);
  try_exec("e_phnum 0", sizeof image, no_phdrs);
  try_exec("ET_REL", sizeof image, relocatable);
  try_exec("e_phentsize wrong", sizeof image, phentsize);
  try_exec("program headers past the end", sizeof(ElfW(Ehdr)), NULL);
  try_exec("only half a header", sizeof(ElfW(Ehdr)) / 2, NULL);
  printf("still here\n");
  return 0;
}
