// epoll over 100 TCP connections on 127.0.0.1 in one process (non-blocking clients, their
// accepted ends matched up by port): level-triggered readiness of exactly the sockets written
// to, reported again without reading, maxevents smaller than the ready set; edge-triggered
// (nothing new, no event; a new byte, an event); EPOLLONESHOT until EPOLL_CTL_MOD; EPOLLRDHUP
// after a client's shutdown(SHUT_WR); EPOLLIN and read 0 after clients close; EPOLLOUT on the
// clients; a timerfd and an eventfd in the same set as the sockets; epoll_ctl errors.
// Indices of connections are printed, never fds, ports or times.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define N 100
#define ID_TIMER 1000
#define ID_EVENT 1001

static int clients[N], servers[N];

static const char *errname(int e) {
  switch (e) {
  case 0: return "0";
  case EAGAIN: return "EAGAIN";
  case EINPROGRESS: return "EINPROGRESS";
  case EEXIST: return "EEXIST";
  case ENOENT: return "ENOENT";
  case EINVAL: return "EINVAL";
  case EBADF: return "EBADF";
  case EPERM: return "EPERM";
  case ELOOP: return "ELOOP";
  case EMFILE: return "EMFILE";
  default: {
    static char buf[32];
    snprintf(buf, sizeof buf, "errno %d", e);
    return buf;
  }
  }
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static int port_of(int fd, int peer) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
  return r < 0 ? -1 : ntohs(a.sin_port);
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Waits until epoll_wait reports at least want events (each call is a fresh level-triggered
   look, so retrying does not lose any), at most about 2 s; returns the last count. */
static int wait_for(int ep, struct epoll_event *ev, int max, int want) {
  int n = 0;
  for (int tries = 0; tries < 200; tries++) {
    n = epoll_wait(ep, ev, max, 10);
    if (n >= want || n < 0) break;
  }
  return n;
}

/* Prints "n events: i1 i2 ..." with the data.u32 ids sorted. */
static void print_ids(const char *what, struct epoll_event *ev, int n) {
  uint32_t ids[2 * N + 4];
  for (int i = 0; i < n; i++) ids[i] = ev[i].data.u32;
  qsort(ids, n, sizeof ids[0], cmp_u32);
  printf("%s: %d events:", what, n);
  for (int i = 0; i < n; i++) printf(" %u", ids[i]);
  printf("\n");
}

static const char *event_names(uint32_t e) {
  static char buf[128];
  buf[0] = 0;
  if (e & EPOLLIN) strcat(buf, "|EPOLLIN");
  if (e & EPOLLOUT) strcat(buf, "|EPOLLOUT");
  if (e & EPOLLRDHUP) strcat(buf, "|EPOLLRDHUP");
  if (e & EPOLLHUP) strcat(buf, "|EPOLLHUP");
  if (e & EPOLLERR) strcat(buf, "|EPOLLERR");
  if (e & EPOLLPRI) strcat(buf, "|EPOLLPRI");
  return buf[0] ? buf + 1 : "none";
}

static void drain(int fd) {
  char buf[64];
  while (read(fd, buf, sizeof buf) > 0) {}
}

int main(void) {
  alarm(10);
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < 512) {
    rl.rlim_cur = rl.rlim_max < 512 ? rl.rlim_max : 512;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  getrlimit(RLIMIT_NOFILE, &rl);
  printf("RLIMIT_NOFILE allows %d connections' fds: %d\n", 2 * N + 10, rl.rlim_cur >= 2 * N + 10);

  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 128) < 0) {
    printf("listener: %s\n", errname(errno));
    return 1;
  }
  a.sin_port = htons(port_of(lfd, 0));

  // 100 non-blocking clients; each connect is in progress or done.
  int other = 0;
  for (int i = 0; i < N; i++) {
    clients[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (clients[i] < 0) {
      printf("client %d: socket %s\n", i, errname(errno));
      return 1;
    }
    if (connect(clients[i], (struct sockaddr *)&a, sizeof a) < 0) {
      if (errno != EINPROGRESS) other++;
    }
  }
  printf("100 non-blocking connects: in progress or done %d, failed %d\n", N - other, other);

  // Accept them all and match each accepted socket to its client by port.
  int ports[N];
  for (int i = 0; i < N; i++) ports[i] = port_of(clients[i], 0);
  int matched = 0;
  for (int k = 0; k < N; k++) {
    int s = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
    if (s < 0) {
      printf("accept %d: %s\n", k, errname(errno));
      return 1;
    }
    int pp = port_of(s, 1);
    for (int i = 0; i < N; i++)
      if (ports[i] == pp) {
        servers[i] = s;
        matched++;
        break;
      }
  }
  printf("accepted %d, matched to their clients %d\n", N, matched);

  // EPOLLOUT on all clients once their connects complete.
  int epo = epoll_create1(EPOLL_CLOEXEC);
  printf("epoll_create1(EPOLL_CLOEXEC): FD_CLOEXEC %d\n", (fcntl(epo, F_GETFD) & FD_CLOEXEC) != 0);
  for (int i = 0; i < N; i++) {
    struct epoll_event ev = {.events = EPOLLOUT, .data.u32 = i};
    epoll_ctl(epo, EPOLL_CTL_ADD, clients[i], &ev);
  }
  struct epoll_event evs[2 * N + 4];
  int n = wait_for(epo, evs, 2 * N, N);
  int all_out = 1;
  for (int i = 0; i < n; i++) all_out &= (evs[i].events & EPOLLOUT) != 0;
  printf("clients writable: %d events, all EPOLLOUT %d\n", n, all_out);
  close(epo);

  // Level-triggered: 10 chosen clients write one byte each.
  int ep = epoll_create1(0);
  for (int i = 0; i < N; i++) {
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, servers[i], &ev) < 0) printf("epoll_ctl ADD %d: %s\n", i, errname(errno));
  }
  n = epoll_wait(ep, evs, 2 * N, 0);
  printf("level: nothing written yet: %d events\n", n);
  int chosen[10] = {0, 3, 7, 18, 42, 55, 61, 77, 90, 99};
  for (int k = 0; k < 10; k++) write(clients[chosen[k]], "L", 1);
  n = wait_for(ep, evs, 2 * N, 10);
  print_ids("level: after 10 writes", evs, n);
  n = epoll_wait(ep, evs, 2 * N, 0);
  print_ids("level: again without reading", evs, n);
  n = epoll_wait(ep, evs, 4, 0);
  printf("level: maxevents 4 with 10 ready: %d events\n", n);
  for (int k = 0; k < 10; k++) drain(servers[chosen[k]]);
  n = epoll_wait(ep, evs, 2 * N, 0);
  printf("level: after reading them: %d events\n", n);

  // Edge-triggered on a few of the accepted sockets.
  int et = epoll_create1(0);
  for (int i = 0; i < 5; i++) {
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u32 = i};
    epoll_ctl(et, EPOLL_CTL_ADD, servers[i], &ev);
  }
  write(clients[2], "E", 1);
  n = wait_for(et, evs, 8, 1);
  print_ids("edge: one byte on 2", evs, n);
  n = epoll_wait(et, evs, 8, 0);
  printf("edge: again without reading: %d events\n", n);
  write(clients[2], "F", 1);
  n = wait_for(et, evs, 8, 1);
  print_ids("edge: a second byte on 2", evs, n);
  char buf[16];
  ssize_t r = read(servers[2], buf, sizeof buf);
  printf("edge: read %d bytes \"%.*s\"\n", (int)r, (int)(r > 0 ? r : 0), buf);
  n = epoll_wait(et, evs, 8, 0);
  printf("edge: after reading: %d events\n", n);
  close(et);

  // EPOLLONESHOT: one report until re-armed with EPOLL_CTL_MOD.
  int os = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT, .data.u32 = 9};
  epoll_ctl(os, EPOLL_CTL_ADD, servers[9], &ev);
  write(clients[9], "O", 1);
  n = wait_for(os, evs, 8, 1);
  print_ids("oneshot: first byte", evs, n);
  n = epoll_wait(os, evs, 8, 0);
  printf("oneshot: again (data unread): %d events\n", n);
  write(clients[9], "P", 1);
  sleep_ms(20);
  n = epoll_wait(os, evs, 8, 0);
  printf("oneshot: another byte, still disarmed: %d events\n", n);
  ev.events = EPOLLIN | EPOLLONESHOT;
  int mr = epoll_ctl(os, EPOLL_CTL_MOD, servers[9], &ev);
  n = wait_for(os, evs, 8, 1);
  printf("oneshot: EPOLL_CTL_MOD %d, then", mr);
  print_ids("", evs, n);
  drain(servers[9]);
  close(os);

  // EPOLLRDHUP when the client shuts down its write side.
  epoll_ctl(ep, EPOLL_CTL_DEL, servers[20], NULL);
  int rd = epoll_create1(0);
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.u32 = 20;
  epoll_ctl(rd, EPOLL_CTL_ADD, servers[20], &ev);
  n = epoll_wait(rd, evs, 8, 0);
  printf("rdhup: before shutdown: %d events\n", n);
  shutdown(clients[20], SHUT_WR);
  n = wait_for(rd, evs, 8, 1);
  printf("rdhup: after the client's shutdown(SHUT_WR): %d events, id %u, %s\n", n, n > 0 ? evs[0].data.u32 : 0,
         n > 0 ? event_names(evs[0].events) : "-");
  r = read(servers[20], buf, sizeof buf);
  printf("rdhup: read %d\n", (int)r);
  close(rd);

  // Closing 10 clients: their accepted ends report EPOLLIN and read 0.
  for (int i = 30; i < 40; i++) close(clients[i]);
  n = wait_for(ep, evs, 2 * N, 10);
  print_ids("close: 10 clients closed", evs, n);
  int all_in = 1, all_eof = 1;
  for (int i = 0; i < n; i++) {
    all_in &= evs[i].events == EPOLLIN;
    all_eof &= read(servers[evs[i].data.u32], buf, sizeof buf) == 0;
  }
  printf("close: events exactly EPOLLIN %d, read 0 on each %d\n", all_in, all_eof);
  for (int i = 30; i < 40; i++) {
    epoll_ctl(ep, EPOLL_CTL_DEL, servers[i], NULL);
    close(servers[i]);
  }
  n = epoll_wait(ep, evs, 2 * N, 0);
  printf("close: after removing them: %d events\n", n);

  // A timerfd and an eventfd in the same set as the sockets.
  int efd = eventfd(0, EFD_NONBLOCK);
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  ev.events = EPOLLIN;
  ev.data.u32 = ID_EVENT;
  epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
  ev.data.u32 = ID_TIMER;
  epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
  uint64_t v = 5;
  write(efd, &v, 8);
  n = epoll_wait(ep, evs, 2 * N, 0);
  print_ids("mixed: eventfd written", evs, n);
  read(efd, &v, 8);
  printf("mixed: eventfd read %llu\n", (unsigned long long)v);
  struct itimerspec its = {{0, 0}, {0, 30 * 1000 * 1000}};
  timerfd_settime(tfd, 0, &its, NULL);
  n = epoll_wait(ep, evs, 2 * N, 2000); // only the timer can become ready now
  print_ids("mixed: timer armed, epoll_wait blocks until", evs, n);
  read(tfd, &v, 8);
  printf("mixed: timerfd expirations >= 1: %d\n", v >= 1);
  write(clients[50], "M", 1);
  v = 1;
  write(efd, &v, 8);
  n = wait_for(ep, evs, 2 * N, 2);
  print_ids("mixed: socket 50 and eventfd", evs, n);
  drain(servers[50]);
  read(efd, &v, 8);
  n = epoll_wait(ep, evs, 2 * N, 0);
  printf("mixed: all drained: %d events\n", n);

  // epoll_ctl errors.
  ev.events = EPOLLIN;
  ev.data.u32 = 0;
  errno = 0;
  int e = epoll_ctl(ep, EPOLL_CTL_ADD, servers[0], &ev);
  printf("epoll_ctl ADD twice: %d %s\n", e, errname(errno));
  errno = 0;
  e = epoll_ctl(ep, EPOLL_CTL_MOD, servers[20], &ev);
  printf("epoll_ctl MOD of an fd not in the set: %d %s\n", e, errname(errno));
  errno = 0;
  e = epoll_ctl(ep, EPOLL_CTL_DEL, servers[20], NULL);
  printf("epoll_ctl DEL of an fd not in the set: %d %s\n", e, errname(errno));
  errno = 0;
  e = epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev);
  printf("epoll_ctl ADD of itself: %d %s\n", e, errname(errno));
  int fd = open("/proc/self/exe", O_RDONLY);
  errno = 0;
  e = epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  printf("epoll_ctl ADD of a regular file: %d %s\n", e, errname(errno));
  close(fd);
  errno = 0;
  e = epoll_ctl(ep, EPOLL_CTL_ADD, 0x7ff0, &ev);
  printf("epoll_ctl ADD of a bad fd: %d %s\n", e, errname(errno));
  errno = 0;
  n = epoll_wait(ep, evs, 0, 0);
  printf("epoll_wait maxevents 0: %d %s\n", n, errname(errno));

  // A closed fd leaves the set by itself.
  close(clients[60]);
  close(servers[60]);
  write(clients[61], "Z", 1);
  n = wait_for(ep, evs, 2 * N, 1);
  print_ids("closed fd gone from the set; a byte on 61", evs, n);

  close(ep);
  close(efd);
  close(tfd);
  for (int i = 0; i < N; i++) {
    if (i >= 30 && i < 40) continue;
    if (i == 60) continue;
    close(clients[i]);
    close(servers[i]);
  }
  close(lfd);
  printf("done\n");
  return 0;
}
