/* TCP echo server for the network benchmark (bench.ts) and tests/net-host.test.ts, not a CPU
   benchmark: binds 127.0.0.1 on argv[1]'s port (0 or absent: one the kernel picks), listens,
   prints "port N" (flushed) and serves every connection in its own thread with blocking
   read/write loops, writing back whatever it reads until the peer closes. It exits with status
   0 once its stdin reaches EOF (a thread waits in read(0)) or on SIGTERM; status 1 when the
   socket cannot be set up. SIGPIPE is ignored, so a peer that goes away only ends its thread. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE 65536
#define THREAD_STACK (256 * 1024)

static void on_term(int sig) {
  (void)sig;
  _exit(0);
}

static void *serve(void *arg) {
  int fd = (int)(long)arg;
  char *buf = malloc(BUF_SIZE);
  if (buf) {
    for (;;) {
      ssize_t n = read(fd, buf, BUF_SIZE);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      ssize_t done = 0;
      while (done < n) {
        ssize_t w = write(fd, buf + done, (size_t)(n - done));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) goto out;
        done += w;
      }
    }
  }
out:
  free(buf);
  close(fd);
  return NULL;
}

/* Ends the process when stdin reaches EOF (or cannot be read). */
static void *watch_stdin(void *arg) {
  (void)arg;
  char c[256];
  for (;;) {
    ssize_t n = read(0, c, sizeof c);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) exit(0);
  }
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);

  int ls = socket(AF_INET, SOCK_STREAM, 0);
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

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, THREAD_STACK);
  pthread_t t;
  if (pthread_create(&t, &attr, watch_stdin, NULL) != 0) { fprintf(stderr, "pthread_create failed\n"); return 1; }

  printf("port %d\n", ntohs(addr.sin_port));
  fflush(stdout);

  for (;;) {
    int fd = accept(ls, NULL, NULL);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      perror("accept");
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) { usleep(10000); continue; }
      return 1;
    }
    /* Round trips of small messages: no waiting for more data before sending (best effort). */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (pthread_create(&t, &attr, serve, (void *)(long)fd) != 0) {
      fprintf(stderr, "pthread_create failed: closing a connection\n");
      close(fd);
    }
  }
}
