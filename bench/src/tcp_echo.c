/* TCP echo server for the network benchmark (bench.ts) and tests/net-host.test.ts, not a CPU
   benchmark: binds 127.0.0.1 on argv[1]'s port (0 or absent: one the kernel picks), listens,
   prints "port N" (flushed) and serves every connection from one thread with a level-triggered
   epoll loop over non-blocking sockets, as event-driven servers do: what a connection sends is
   written back, and what the socket does not take at once waits in that connection's buffer
   (its reads pause meanwhile). It exits with status 0 once its stdin reaches EOF or on SIGTERM;
   status 1 when the socket cannot be set up. SIGPIPE is ignored, so a peer that goes away only
   ends its connection. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE 65536
#define MAX_EVENTS 64

/* A connection: what it read and has not been written back yet. */
struct conn {
  int fd;
  char *buf;
  size_t start, end;
};

static void on_term(int sig) {
  (void)sig;
  _exit(0);
}

static void watch(int ep, int fd, unsigned events, void *ptr, int op) {
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = events;
  ev.data.ptr = ptr;
  epoll_ctl(ep, op, fd, &ev);
}

static void drop(int ep, struct conn *c) {
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  free(c->buf);
  free(c);
}

/* Writes back what is pending; 0 when all is out, 1 when the socket is full, -1 on error. */
static int flush(struct conn *c) {
  while (c->start < c->end) {
    ssize_t w = write(c->fd, c->buf + c->start, c->end - c->start);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) return 1;
    if (w <= 0) return -1;
    c->start += (size_t)w;
  }
  c->start = c->end = 0;
  return 0;
}

/* Serves one readiness report: echo what can be read, keep what cannot be written yet. */
static void serve(int ep, struct conn *c, unsigned events) {
  if (events & EPOLLOUT) {
    int r = flush(c);
    if (r < 0) { drop(ep, c); return; }
    if (r == 0) watch(ep, c->fd, EPOLLIN, c, EPOLL_CTL_MOD);
    return;
  }
  for (;;) {
    ssize_t n = read(c->fd, c->buf, BUF_SIZE);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) { drop(ep, c); return; }
    c->start = 0;
    c->end = (size_t)n;
    int r = flush(c);
    if (r < 0) { drop(ep, c); return; }
    if (r > 0) { watch(ep, c->fd, EPOLLOUT, c, EPOLL_CTL_MOD); return; }
  }
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);

  int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (ls < 0) { perror("socket"); return 1; }
  int one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("bind"); return 1; }
  if (listen(ls, SOMAXCONN) < 0) { perror("listen"); return 1; }
  socklen_t len = sizeof addr;
  if (getsockname(ls, (struct sockaddr *)&addr, &len) < 0) { perror("getsockname"); return 1; }

  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) { perror("epoll_create1"); return 1; }
  /* The listener and stdin are told apart from connections by their data pointers. */
  static int listener_tag, stdin_tag;
  watch(ep, ls, EPOLLIN, &listener_tag, EPOLL_CTL_ADD);
  watch(ep, 0, EPOLLIN, &stdin_tag, EPOLL_CTL_ADD);

  printf("port %d\n", ntohs(addr.sin_port));
  fflush(stdout);

  struct epoll_event events[MAX_EVENTS];
  for (;;) {
    int n = epoll_wait(ep, events, MAX_EVENTS, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) { perror("epoll_wait"); return 1; }
    for (int i = 0; i < n; i++) {
      void *p = events[i].data.ptr;
      if (p == &stdin_tag) {
        char c[256];
        ssize_t r = read(0, c, sizeof c);
        if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) return 0;
      } else if (p == &listener_tag) {
        for (;;) {
          int fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK);
          if (fd < 0) break;
          /* Round trips of small messages: no waiting for more data before sending. */
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          struct conn *c = calloc(1, sizeof *c);
          char *buf = malloc(BUF_SIZE);
          if (!c || !buf) { free(c); free(buf); close(fd); continue; }
          c->fd = fd;
          c->buf = buf;
          watch(ep, fd, EPOLLIN, c, EPOLL_CTL_ADD);
        }
      } else {
        serve(ep, (struct conn *)p, events[i].events);
      }
    }
  }
}
