// MAP_SHARED memory across fork: an anonymous shared region and a shared file mapping that
// parent and child both update, taking turns through pipes (stores, a read(2) into the region,
// a process-shared semaphore), next to a private mapping that each keeps for itself; mprotect of
// the shared region in the child; munmap in the child leaves the parent's mapping alone. Only the
// parent prints.
#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
  int a, b;
  long counter;
  sem_t sem;
  int posted;
  char buf[64];
  char tail[8192 - 128]; /* the region spans pages: the last int is on its third page */
  int last;
};

static int p2c[2], c2p[2];

static void send_token(int fd) {
  char t = 't';
  if (write(fd, &t, 1) != 1) _exit(90);
}

static void take_token(int fd) {
  char t;
  if (read(fd, &t, 1) != 1) _exit(91);
}

static void child(struct shared *s, int *priv, char *file) {
  take_token(p2c[0]);
  s->b = s->a * 10;              /* the parent set a after the fork */
  *priv = 222;                   /* private: the parent keeps its own */
  s->last = 0x5eed;
  send_token(c2p[1]);
  for (int i = 0; i < 500; i++) { /* turns: each side adds one, 500 times */
    take_token(p2c[0]);
    s->counter++;
    send_token(c2p[1]);
  }
  take_token(p2c[0]);
  if (read(p2c[0], s->buf, 20) != 20) _exit(92); /* a syscall writes into the region */
  strcpy(file, "written by the child");
  send_token(c2p[1]);
  s->posted = 7;
  sem_post(&s->sem);             /* wakes the parent's sem_wait from another process */
  take_token(p2c[0]);
  munmap(s, sizeof *s);          /* the child's mapping goes, the parent's stays */
  _exit(0);
}

int main(void) {
  struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  int *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char path[64];
  snprintf(path, sizeof path, "/tmp/proc_shm.%d", getpid());
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (s == MAP_FAILED || priv == MAP_FAILED || fd < 0 || ftruncate(fd, 4096) < 0) {
    perror("setup");
    return 1;
  }
  char *file = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (file == MAP_FAILED) {
    perror("mmap file");
    return 1;
  }
  unlink(path);
  s->a = 1;
  *priv = 111;
  sem_init(&s->sem, 1, 0);
  if (pipe(p2c) < 0 || pipe(c2p) < 0) return 1;
  pid_t pid = fork();
  if (pid == 0) child(s, priv, file);

  s->a = 2;
  send_token(p2c[1]);
  take_token(c2p[0]);
  printf("child computed b = a * 10 from the parent's later a: %d\n", s->b);
  printf("private mapping kept apart: %d\n", *priv);
  printf("the child's store on the region's third page: 0x%x\n", s->last);
  for (int i = 0; i < 500; i++) {
    s->counter++;
    send_token(p2c[1]);
    take_token(c2p[0]);
  }
  printf("counter after 500 turns each: %ld\n", s->counter);
  send_token(p2c[1]);
  if (write(p2c[1], "read(2) into shared!", 20) != 20) return 1;
  take_token(c2p[0]);
  printf("buffer the child's read(2) filled: %.20s\n", s->buf);
  char back[32] = {0};
  printf("shared file mapping: \"%s\", and the file itself: \"%s\"\n", file,
         pread(fd, back, 20, 0) == 20 ? back : "?");
  sem_wait(&s->sem);
  printf("sem_wait returned after the child's sem_post: posted = %d\n", s->posted);
  send_token(p2c[1]);
  int st;
  waitpid(pid, &st, 0);
  printf("child exit status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
  s->a = 3;
  printf("the parent's mapping after the child's munmap: a = %d\n", s->a);

  /* A child that makes the shared region read-only and writes to it dies of SIGSEGV. */
  pid = fork();
  if (pid == 0) {
    mprotect(s, sizeof *s, PROT_READ);
    s->a = 4;
    _exit(0);
  }
  waitpid(pid, &st, 0);
  printf("child writing after mprotect(PROT_READ): %s, a = %d\n",
         WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV ? "SIGSEGV" : "no signal", s->a);
  return 0;
}
