// eventfd (counting and semaphore modes, EAGAIN, the largest count), timerfd (one-shot,
// periodic, absolute, gettime, disarm), both with a pipe in one epoll set (level and edge
// triggered), a blocking pipe read woken by another thread's write, and EPIPE with SIGPIPE on
// a pipe without readers.
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static int pipe_fds[2];
static volatile sig_atomic_t got_sigpipe;

static void on_sigpipe(int sig) { (void)sig; got_sigpipe++; }

static void *late_writer(void *arg) {
  (void)arg;
  struct timespec ts = {0, 50 * 1000 * 1000};
  nanosleep(&ts, NULL);
  write(pipe_fds[1], "wake", 4);
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0); // the last line dies of SIGPIPE: flush each line
  uint64_t v;
  int efd = eventfd(3, EFD_NONBLOCK);
  v = 4;
  write(efd, &v, 8);
  read(efd, &v, 8);
  printf("eventfd: read %llu, then empty: %d %s\n", (unsigned long long)v, (int)read(efd, &v, 8), strerror(errno));
  v = 0xfffffffffffffffeULL;
  printf("eventfd: max count write %d, one more %d %s\n", (int)write(efd, &v, 8), (int)write(efd, &(uint64_t){1}, 8), strerror(errno));
  close(efd);
  int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
  uint64_t a = 0, b = 0, c = 0;
  read(sem, &a, 8);
  read(sem, &b, 8);
  printf("semaphore: %llu %llu, then %d\n", (unsigned long long)a, (unsigned long long)b, (int)read(sem, &c, 8));

  int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{0, 20 * 1000 * 1000}, {0, 30 * 1000 * 1000}};
  timerfd_settime(tfd, 0, &its, NULL);
  struct itimerspec cur;
  timerfd_gettime(tfd, &cur);
  printf("timerfd: interval %ld ns, armed %d\n", cur.it_interval.tv_nsec, cur.it_value.tv_nsec > 0);
  read(tfd, &v, 8); // blocks until the first expiry
  printf("timerfd: first read %s\n", v >= 1 ? ">= 1" : "0");
  struct timespec ts = {0, 100 * 1000 * 1000};
  nanosleep(&ts, NULL);
  read(tfd, &v, 8);
  printf("timerfd: several expiries counted %d\n", v >= 3);
  struct itimerspec off = {{0, 0}, {0, 0}};
  timerfd_settime(tfd, 0, &off, NULL);
  timerfd_gettime(tfd, &cur);
  printf("timerfd: disarmed %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  int abs = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct itimerspec at = {{0, 0}, {now.tv_sec, now.tv_nsec}};
  at.it_value.tv_sec += 1; // far enough ahead that a slow start of the next lines cannot reach it
  timerfd_settime(abs, TFD_TIMER_ABSTIME, &at, NULL);
  printf("absolute timer: not yet %d %s\n", (int)read(abs, &v, 8), strerror(errno));

  efd = eventfd(0, 0);
  pipe(pipe_fds);
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1};
  epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
  ev.data.u32 = 2;
  epoll_ctl(ep, EPOLL_CTL_ADD, abs, &ev);
  ev.events = EPOLLIN | EPOLLET;
  ev.data.u32 = 3;
  epoll_ctl(ep, EPOLL_CTL_ADD, pipe_fds[0], &ev);
  struct epoll_event out[4];
  int n = epoll_wait(ep, out, 4, 5000);
  printf("epoll: the absolute timer first: %d events, id %u\n", n, n > 0 ? out[0].data.u32 : 0);
  read(abs, &v, 8);
  v = 7;
  write(efd, &v, 8);
  write(pipe_fds[1], "xy", 2);
  n = epoll_wait(ep, out, 4, 1000);
  unsigned mask = 0;
  for (int i = 0; i < n; i++) mask |= 1u << out[i].data.u32;
  printf("epoll: eventfd and pipe ready: %d events, mask %#x\n", n, mask);
  n = epoll_wait(ep, out, 4, 0);
  printf("epoll: level-triggered eventfd again, edge-triggered pipe not: %d events, id %u\n", n, n > 0 ? out[0].data.u32 : 0);
  read(efd, &v, 8);
  char buf[8];
  read(pipe_fds[0], buf, sizeof buf);

  pthread_t th;
  pthread_create(&th, NULL, late_writer, NULL);
  memset(buf, 0, sizeof buf);
  ssize_t got = read(pipe_fds[0], buf, sizeof buf); // blocks until the thread writes
  pthread_join(th, NULL);
  printf("pipe read woken by a thread: %d %.4s\n", (int)got, buf);

  signal(SIGPIPE, on_sigpipe);
  close(pipe_fds[0]);
  errno = 0;
  printf("write without readers: %d %s, SIGPIPE %d\n", (int)write(pipe_fds[1], "z", 1), strerror(errno), (int)got_sigpipe);
  signal(SIGPIPE, SIG_DFL);
  write(pipe_fds[1], "z", 1);
  printf("not reached\n");
  return 0;
}
