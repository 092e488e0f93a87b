// TCP over loopback in one process: a listener on 127.0.0.1 (port chosen by the kernel), an
// echo server thread with read/write loops and a client checking echoes of 1, 1000 and 200000
// bytes byte for byte; getsockname/getpeername; shutdown(SHUT_WR) and EOF both ways; MSG_PEEK,
// MSG_DONTWAIT and MSG_WAITALL; a non-blocking connect (EINPROGRESS, POLLOUT, SO_ERROR);
// ECONNREFUSED; accept4 flags; socket options (SO_TYPE, SO_ACCEPTCONN, TCP_NODELAY,
// SO_KEEPALIVE, SO_REUSEADDR); EADDRINUSE; EPIPE with SIGPIPE ignored, with MSG_NOSIGNAL and
// with a handler; sendmsg/recvmsg with three iovecs; an echo over ::1 and IPV6_V6ONLY.
// Nothing printed depends on ports, pids, times or scheduling.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e) {
  switch (e) {
  case 0: return "0";
  case EAGAIN: return "EAGAIN";
  case EINPROGRESS: return "EINPROGRESS";
  case ECONNREFUSED: return "ECONNREFUSED";
  case ECONNRESET: return "ECONNRESET";
  case EADDRINUSE: return "EADDRINUSE";
  case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
  case EAFNOSUPPORT: return "EAFNOSUPPORT";
  case EPIPE: return "EPIPE";
  case EINVAL: return "EINVAL";
  case EBADF: return "EBADF";
  case ENOTCONN: return "ENOTCONN";
  case EISCONN: return "EISCONN";
  case EALREADY: return "EALREADY";
  case ENOTSOCK: return "ENOTSOCK";
  case ENOPROTOOPT: return "ENOPROTOOPT";
  case EOPNOTSUPP: return "EOPNOTSUPP";
  case ENOSYS: return "ENOSYS";
  case EINTR: return "EINTR";
  case ETIMEDOUT: return "ETIMEDOUT";
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

static struct sockaddr_in loopback4(int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

static int local_port(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) return -1;
  if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  return -1;
}

static const char *family_name(int f) {
  return f == AF_INET ? "AF_INET" : f == AF_INET6 ? "AF_INET6" : f == AF_UNIX ? "AF_UNIX" : "other";
}

/** "AF_INET 127.0.0.1 len 16" for a socket's own (peer = 0) or its peer's address, into buf (80
    bytes); *port gets the port. */
static const char *describe(int fd, int peer, int *port, char *buf) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  memset(&ss, 0, sizeof ss);
  int r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len) : getsockname(fd, (struct sockaddr *)&ss, &len);
  if (r < 0) {
    snprintf(buf, 80, "failed %s", errname(errno));
    return buf;
  }
  char addr[INET6_ADDRSTRLEN] = "?";
  if (ss.ss_family == AF_INET) {
    inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr, sizeof addr);
    if (port) *port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, addr, sizeof addr);
    if (port) *port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  }
  snprintf(buf, 80, "%s %s len %u", family_name(ss.ss_family), addr, (unsigned)len);
  return buf;
}

static ssize_t write_all(int fd, const char *p, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(fd, p + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return done ? (ssize_t)done : w;
    done += w;
  }
  return done;
}

static ssize_t read_full(int fd, char *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, p + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return got ? (ssize_t)got : r;
    got += r;
  }
  return got;
}

static int get_int_opt(int fd, int level, int opt, int *val) {
  socklen_t len = sizeof *val;
  *val = -1;
  int r = getsockopt(fd, level, opt, val, &len);
  return r < 0 ? -errno : (int)len;
}

/* A listener bound to 127.0.0.1 port 0, SO_REUSEADDR on when reuse. */
static int listener4(int reuse, int *port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  if (reuse) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = loopback4(0);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 16) < 0) {
    printf("listener: %s\n", errname(errno));
    exit(1);
  }
  *port = local_port(fd);
  return fd;
}

/* A connected pair through the listener: the client connects (the kernel completes the
   handshake), then the server side is accepted. */
static void tcp_pair(int lfd, int port, int *client, int *server) {
  *client = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = loopback4(port);
  if (connect(*client, (struct sockaddr *)&a, sizeof a) < 0) printf("pair: connect %s\n", errname(errno));
  *server = accept(lfd, NULL, NULL);
  if (*server < 0) printf("pair: accept %s\n", errname(errno));
}

/* ---- the echo server thread ---- */
struct echo_state {
  int lfd;
  int cport;      // the client's port as the accepted socket sees it
  char self[80], peer[80];
  long echoed;    // bytes written back before EOF
  int eof_read;   // the read that ended the loop returned 0
};

static void *echo_server(void *arg) {
  struct echo_state *st = arg;
  int fd = accept(st->lfd, NULL, NULL);
  if (fd < 0) return NULL;
  describe(fd, 0, NULL, st->self);
  describe(fd, 1, &st->cport, st->peer);
  static char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      st->eof_read = n == 0;
      break;
    }
    if (write_all(fd, buf, n) != n) break;
    st->echoed += n;
  }
  close(fd);
  return NULL;
}

struct big_writer {
  int fd;
  const char *data;
  size_t size, chunk;
  int writes;
  long written;
};

static void *writer_thread(void *arg) {
  struct big_writer *w = arg;
  for (size_t off = 0; off < w->size; off += w->chunk) {
    size_t n = w->size - off < w->chunk ? w->size - off : w->chunk;
    ssize_t r = write_all(w->fd, w->data + off, n);
    if (r != (ssize_t)n) break;
    w->writes++;
    w->written += r;
  }
  return NULL;
}

static void echo_test(void) {
  int port;
  int lfd = listener4(1, &port);
  int v;
  get_int_opt(lfd, SOL_SOCKET, SO_REUSEADDR, &v);
  printf("listener: SO_REUSEADDR reads back %d\n", v);
  char db[80];
  describe(lfd, 0, NULL, db);
  printf("listener: getsockname %s, port nonzero %d\n", db, port > 0);
  get_int_opt(lfd, SOL_SOCKET, SO_ACCEPTCONN, &v);
  printf("listener: SO_ACCEPTCONN %d\n", v);

  struct echo_state st;
  memset(&st, 0, sizeof st);
  st.lfd = lfd;
  pthread_t th;
  pthread_create(&th, NULL, echo_server, &st);

  int c = socket(AF_INET, SOCK_STREAM, 0);
  get_int_opt(c, SOL_SOCKET, SO_ACCEPTCONN, &v);
  printf("client: SO_ACCEPTCONN %d before connect\n", v);
  struct sockaddr_in a = loopback4(port);
  int r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("client: connect %d %s\n", r, errname(r < 0 ? errno : 0));
  int peer_port = -1, own_port = local_port(c);
  printf("client: getsockname %s\n", describe(c, 0, NULL, db));
  describe(c, 1, &peer_port, db);
  printf("client: getpeername %s, port is the listener's %d\n", db, peer_port == port);

  char small[1000], back[1000];
  for (int i = 0; i < 1000; i++) small[i] = (char)(i * 7 + 3);
  write_all(c, "Q", 1);
  ssize_t n = read_full(c, back, 1);
  printf("tcp: echo 1 byte: %d, %s\n", (int)n, n == 1 && back[0] == 'Q' ? "ok" : "MISMATCH");
  write_all(c, small, 1000);
  n = read_full(c, back, 1000);
  printf("tcp: echo 1000 bytes in one write: %d, %s\n", (int)n, n == 1000 && memcmp(small, back, 1000) == 0 ? "ok" : "MISMATCH");

  // 200000 bytes in 8 writes from another thread while this one reads the echo.
  size_t big_size = 200000;
  char *big = malloc(big_size), *big_back = malloc(big_size);
  for (size_t i = 0; i < big_size; i++) big[i] = (char)((i * 131) ^ (i >> 9));
  struct big_writer w = {c, big, big_size, 25000, 0, 0};
  pthread_t wt;
  pthread_create(&wt, NULL, writer_thread, &w);
  n = read_full(c, big_back, big_size);
  pthread_join(wt, NULL);
  printf("tcp: echo 200000 bytes in %d writes (%ld written): read %ld, %s\n", w.writes, w.written, (long)n,
         n == (ssize_t)big_size && memcmp(big, big_back, big_size) == 0 ? "ok" : "MISMATCH");
  free(big);
  free(big_back);

  r = shutdown(c, SHUT_WR);
  n = read(c, back, sizeof back);
  printf("tcp: shutdown(SHUT_WR) %d, then the client reads EOF %d\n", r, (int)n);
  pthread_join(th, NULL);
  printf("server: accepted socket getsockname %s\n", st.self);
  printf("server: getpeername %s, port is the client's %d\n", st.peer, st.cport == own_port);
  printf("server: echoed %ld bytes, then read returned 0 (EOF) %d\n", st.echoed, st.eof_read);
  errno = 0;
  n = send(c, "x", 1, MSG_NOSIGNAL);
  printf("tcp: send MSG_NOSIGNAL after own SHUT_WR: %d %s\n", (int)n, errname(errno));
  close(c);
  close(lfd);
}

static void peek_test(void) {
  int port, c, s;
  int lfd = listener4(1, &port);
  tcp_pair(lfd, port, &c, &s);
  char buf[32];
  errno = 0;
  ssize_t n = recv(s, buf, sizeof buf, MSG_DONTWAIT);
  printf("recv MSG_DONTWAIT on empty: %d %s\n", (int)n, errname(errno));
  int fl = fcntl(s, F_GETFL);
  printf("accepted socket blocking by default: O_NONBLOCK %d\n", (fl & O_NONBLOCK) != 0);
  send(c, "peekdata", 8, 0);
  struct pollfd p = {s, POLLIN, 0};
  int pr = poll(&p, 1, 2000);
  printf("poll after send: %d, POLLIN %d\n", pr, (p.revents & POLLIN) != 0);
  memset(buf, 0, sizeof buf);
  n = recv(s, buf, 4, MSG_PEEK);
  printf("MSG_PEEK 4: %d \"%.*s\"\n", (int)n, (int)(n > 0 ? n : 0), buf);
  memset(buf, 0, sizeof buf);
  n = recv(s, buf, 4, MSG_PEEK);
  printf("MSG_PEEK again: %d \"%.*s\"\n", (int)n, (int)(n > 0 ? n : 0), buf);
  memset(buf, 0, sizeof buf);
  n = recv(s, buf, sizeof buf, 0);
  printf("recv after peek: %d \"%.*s\"\n", (int)n, (int)(n > 0 ? n : 0), buf);
  errno = 0;
  n = recv(s, buf, sizeof buf, MSG_DONTWAIT);
  printf("recv MSG_DONTWAIT drained: %d %s\n", (int)n, errname(errno));

  // MSG_WAITALL gathers two sends.
  send(c, "wait", 4, 0);
  send(c, "all!", 4, 0);
  memset(buf, 0, sizeof buf);
  n = recv(s, buf, 8, MSG_WAITALL);
  printf("MSG_WAITALL 8 over two sends: %d \"%.*s\"\n", (int)n, (int)(n > 0 ? n : 0), buf);

  // sendmsg with three iovecs, recvmsg into three others.
  struct iovec out[3] = {{"abc", 3}, {"defgh", 5}, {"ij", 2}};
  struct msghdr m;
  memset(&m, 0, sizeof m);
  m.msg_iov = out;
  m.msg_iovlen = 3;
  n = sendmsg(c, &m, 0);
  printf("sendmsg 3 iovecs: %d\n", (int)n);
  char b1[5] = {0}, b2[5] = {0}, b3[5] = {0};
  struct iovec in[3] = {{b1, 4}, {b2, 4}, {b3, 2}};
  memset(&m, 0, sizeof m);
  m.msg_iov = in;
  m.msg_iovlen = 3;
  n = recvmsg(s, &m, MSG_WAITALL);
  printf("recvmsg 3 iovecs (4,4,2): %d \"%s\" \"%s\" \"%s\" flags %d\n", (int)n, b1, b2, b3, m.msg_flags);

  // readv/writev are the same path through the file interface.
  struct iovec wv[2] = {{"read", 4}, {"v", 1}};
  writev(c, wv, 2);
  char rb[8] = {0};
  n = read_full(s, rb, 5);
  printf("writev 2 iovecs, read: %d \"%s\"\n", (int)n, rb);

  // Peer close: EOF on the other side.
  close(c);
  n = read(s, buf, sizeof buf);
  printf("read after the peer closed: %d\n", (int)n);
  close(s);
  close(lfd);
}

static void nonblocking_test(void) {
  int port;
  int lfd = listener4(1, &port);
  int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  printf("SOCK_NONBLOCK socket: O_NONBLOCK %d\n", (fcntl(c, F_GETFL) & O_NONBLOCK) != 0);
  struct sockaddr_in a = loopback4(port);
  errno = 0;
  int r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("nonblocking connect: %d %s\n", r, errname(r < 0 ? errno : 0));
  struct pollfd p = {c, POLLOUT, 0};
  int pr = poll(&p, 1, 2000);
  printf("poll POLLOUT: %d, POLLOUT %d, POLLERR %d\n", pr, (p.revents & POLLOUT) != 0, (p.revents & POLLERR) != 0);
  int err = -1;
  socklen_t len = sizeof err;
  getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len);
  printf("SO_ERROR after connect: %s\n", errname(err));
  errno = 0;
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("connect again after completion: %d %s\n", r, errname(r < 0 ? errno : 0));
  errno = 0;
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("connect a third time: %d %s\n", r, errname(r < 0 ? errno : 0));

  int s = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  printf("accept4 SOCK_NONBLOCK|SOCK_CLOEXEC: ok %d, O_NONBLOCK %d, FD_CLOEXEC %d\n", s >= 0,
         (fcntl(s, F_GETFL) & O_NONBLOCK) != 0, (fcntl(s, F_GETFD) & FD_CLOEXEC) != 0);
  char buf[8];
  errno = 0;
  ssize_t n = read(s, buf, sizeof buf);
  printf("read on the non-blocking accepted socket: %d %s\n", (int)n, errname(errno));
  write(c, "nb", 2);
  p.fd = s;
  p.events = POLLIN;
  poll(&p, 1, 2000);
  n = read(s, buf, sizeof buf);
  printf("then after a write: %d \"%.*s\"\n", (int)n, (int)(n > 0 ? n : 0), buf);

  // The listener non-blocking: accept on an empty queue.
  fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
  errno = 0;
  r = accept(lfd, NULL, NULL);
  printf("accept on an empty non-blocking listener: %d %s\n", r, errname(errno));
  close(s);
  close(c);
  close(lfd);

  // A port that was just bound and closed refuses connections.
  int tmp = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in z = loopback4(0);
  bind(tmp, (struct sockaddr *)&z, sizeof z);
  int dead = local_port(tmp);
  close(tmp);
  c = socket(AF_INET, SOCK_STREAM, 0);
  a = loopback4(dead);
  errno = 0;
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("connect to a closed port: %d %s\n", r, errname(errno));
  close(c);
  c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  errno = 0;
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  int first = errno;
  p.fd = c;
  p.events = POLLOUT;
  p.revents = 0;
  poll(&p, 1, 2000);
  err = -1;
  len = sizeof err;
  getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len);
  printf("nonblocking connect to a closed port: in progress or refused %d, then %s\n",
         first == EINPROGRESS || first == ECONNREFUSED, first == ECONNREFUSED ? "ECONNREFUSED" : errname(err));
  close(c);
}

static void options_test(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0), v, len;
  len = get_int_opt(s, SOL_SOCKET, SO_TYPE, &v);
  printf("SO_TYPE: SOCK_STREAM %d (optlen %d)\n", v == SOCK_STREAM, len);
  get_int_opt(s, IPPROTO_TCP, TCP_NODELAY, &v);
  printf("TCP_NODELAY default %d", v);
  int one = 1;
  int r = setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  get_int_opt(s, IPPROTO_TCP, TCP_NODELAY, &v);
  printf(", set %d, reads back %d\n", r, v);
  get_int_opt(s, SOL_SOCKET, SO_KEEPALIVE, &v);
  printf("SO_KEEPALIVE default %d", v);
  r = setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  get_int_opt(s, SOL_SOCKET, SO_KEEPALIVE, &v);
  printf(", set %d, reads back %d\n", r, v != 0);
  get_int_opt(s, SOL_SOCKET, SO_REUSEADDR, &v);
  printf("SO_REUSEADDR default %d", v);
  r = setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  get_int_opt(s, SOL_SOCKET, SO_REUSEADDR, &v);
  printf(", set %d, reads back %d\n", r, v != 0);
  int zero = 0;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &zero, sizeof zero);
  get_int_opt(s, IPPROTO_TCP, TCP_NODELAY, &v);
  printf("TCP_NODELAY cleared reads back %d\n", v);
  int err = get_int_opt(s, SOL_SOCKET, SO_ERROR, &v);
  printf("SO_ERROR on a fresh socket: %d (getsockopt %d)\n", v, err > 0);
  errno = 0;
  r = setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, 1);
  printf("setsockopt with optlen 1: %d %s\n", r, errname(r < 0 ? errno : 0));
  int f = socket(AF_INET, SOCK_DGRAM, 0);
  get_int_opt(f, SOL_SOCKET, SO_TYPE, &v);
  printf("SO_TYPE of a UDP socket: SOCK_DGRAM %d\n", v == SOCK_DGRAM);
  close(f);
  errno = 0;
  r = getpeername(s, (struct sockaddr *)&(struct sockaddr_in){0}, &(socklen_t){sizeof(struct sockaddr_in)});
  printf("getpeername unconnected: %d %s\n", r, errname(errno));
  char c;
  errno = 0;
  r = (int)send(s, "x", 1, MSG_NOSIGNAL);
  printf("send MSG_NOSIGNAL unconnected: %d %s\n", r, errname(errno));
  errno = 0;
  r = (int)recv(s, &c, 1, MSG_DONTWAIT);
  printf("recv unconnected: %d %s\n", r, errname(errno));
  errno = 0;
  r = listen(s, 1);
  printf("listen without bind (autobind): %d %s\n", r, errname(r < 0 ? errno : 0));
  close(s);
  errno = 0;
  int p = getsockopt(0x7ff0, SOL_SOCKET, SO_TYPE, &v, &(socklen_t){4});
  printf("getsockopt on a bad fd: %d %s\n", p, errname(errno));
  int pfd[2];
  pipe(pfd);
  errno = 0;
  p = getsockopt(pfd[0], SOL_SOCKET, SO_TYPE, &v, &(socklen_t){4});
  printf("getsockopt on a pipe: %d %s\n", p, errname(errno));
  close(pfd[0]);
  close(pfd[1]);
}

static void addrinuse_test(void) {
  int port;
  int a = listener4(0, &port);
  int b = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = loopback4(port);
  errno = 0;
  int r = bind(b, (struct sockaddr *)&addr, sizeof addr);
  printf("bind the listening port again: %d %s\n", r, errname(errno));
  close(b);
  b = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  errno = 0;
  r = bind(b, (struct sockaddr *)&addr, sizeof addr);
  printf("bind it again with SO_REUSEADDR on the second only: %d %s\n", r, errname(errno));
  close(b);
  b = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in z = loopback4(0);
  bind(b, (struct sockaddr *)&z, sizeof z);
  errno = 0;
  r = bind(b, (struct sockaddr *)&z, sizeof z);
  printf("bind a bound socket: %d %s\n", r, errname(errno));
  close(b);
  b = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in bad = z;
  bad.sin_addr.s_addr = inet_addr("192.0.2.123"); // TEST-NET-1: not a local address
  errno = 0;
  r = bind(b, (struct sockaddr *)&bad, sizeof bad);
  printf("bind a non-local address: %d %s\n", r, errname(errno));
  errno = 0;
  r = bind(b, (struct sockaddr *)&z, sizeof z - 1);
  printf("bind with a short address length: %d %s\n", r, errname(errno));
  close(b);
  close(a);
}

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

static void epipe_test(void) {
  int port, c, s;
  int lfd = listener4(1, &port);
  tcp_pair(lfd, port, &c, &s);
  close(s); // FIN to the client; its next write draws a reset and then EPIPE
  char buf[4];
  ssize_t n = read(c, buf, sizeof buf);
  printf("epipe: the client reads EOF %d\n", (int)n);
  signal(SIGPIPE, SIG_IGN);
  int failed = 0, err = 0;
  for (int i = 0; i < 200 && !failed; i++) {
    errno = 0;
    if (write(c, "x", 1) < 0) {
      failed = 1;
      err = errno;
    } else {
      sleep_ms(5);
    }
  }
  printf("epipe: write after the peer closed fails %d with %s (SIGPIPE ignored)\n", failed, errname(err));
  errno = 0;
  n = write(c, "x", 1);
  printf("epipe: write again %d %s\n", (int)n, errname(errno));
  signal(SIGPIPE, on_sigpipe);
  errno = 0;
  n = send(c, "x", 1, MSG_NOSIGNAL);
  printf("epipe: send MSG_NOSIGNAL %d %s, SIGPIPE handler ran %d times\n", (int)n, errname(errno), (int)sigpipes);
  errno = 0;
  n = send(c, "x", 1, 0);
  printf("epipe: send without it %d %s, SIGPIPE handler ran %d times\n", (int)n, errname(errno), (int)sigpipes);
  errno = 0;
  n = write(c, "x", 1);
  printf("epipe: write %d %s, SIGPIPE handler ran %d times\n", (int)n, errname(errno), (int)sigpipes);
  signal(SIGPIPE, SIG_DFL);
  close(c);
  close(lfd);
}

static void ipv6_test(void) {
  int l = socket(AF_INET6, SOCK_STREAM, 0);
  if (l < 0) {
    printf("ipv6: socket(AF_INET6) failed: %s\n", errname(errno));
    return;
  }
  int v, one = 1;
  get_int_opt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v);
  printf("ipv6: IPV6_V6ONLY default %d", v);
  int r = setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  get_int_opt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v);
  printf(", set %d, reads back %d\n", r, v);
  struct sockaddr_in6 a;
  memset(&a, 0, sizeof a);
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 4) < 0) {
    printf("ipv6: bind ::1 failed: %s\n", errname(errno));
    close(l);
    return;
  }
  int port = local_port(l);
  char db[80];
  describe(l, 0, NULL, db);
  printf("ipv6: listener getsockname %s, port nonzero %d\n", db, port > 0);
  int c = socket(AF_INET6, SOCK_STREAM, 0);
  a.sin6_port = htons(port);
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("ipv6: connect %d %s\n", r, errname(r < 0 ? errno : 0));
  int s = accept(l, NULL, NULL);
  int cport = -1, pport = -1;
  describe(c, 1, &pport, db);
  printf("ipv6: client getpeername %s, port is the listener's %d\n", db, pport == port);
  describe(s, 1, &cport, db);
  printf("ipv6: server getpeername %s, port is the client's %d\n", db, cport == local_port(c));
  char msg[3000], back[3000];
  for (int i = 0; i < 3000; i++) msg[i] = (char)(i % 251);
  write_all(c, msg, sizeof msg);
  ssize_t n = read_full(s, back, sizeof back);
  write_all(s, back, n > 0 ? n : 0);
  memset(back, 0, sizeof back);
  n = read_full(c, back, sizeof back);
  printf("ipv6: echo 3000 bytes: %d, %s\n", (int)n, n == 3000 && memcmp(msg, back, 3000) == 0 ? "ok" : "MISMATCH");
  shutdown(c, SHUT_WR);
  n = read(s, back, sizeof back);
  printf("ipv6: EOF after shutdown %d\n", (int)n);
  close(s);
  close(c);
  close(l);

  // An AF_INET6 socket without IPV6_V6ONLY bound to the v4-mapped ::ffff:127.0.0.1 takes an
  // IPv4 client, whose address it sees v4-mapped.
  int d = socket(AF_INET6, SOCK_STREAM, 0);
  int zero = 0;
  setsockopt(d, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  struct sockaddr_in6 any;
  memset(&any, 0, sizeof any);
  any.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::ffff:127.0.0.1", &any.sin6_addr);
  r = bind(d, (struct sockaddr *)&any, sizeof any);
  listen(d, 4);
  port = local_port(d);
  int c4 = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a4 = loopback4(port);
  int cr = connect(c4, (struct sockaddr *)&a4, sizeof a4);
  s = accept(d, NULL, NULL);
  printf("ipv6: bind ::ffff:127.0.0.1 %d, IPv4 client connect %d, accepted peer %s\n", r, cr, describe(s, 1, NULL, db));
  close(s);
  close(c4);
  close(d);
}

int main(void) {
  alarm(10);
  echo_test();
  peek_test();
  nonblocking_test();
  options_test();
  addrinuse_test();
  epipe_test();
  ipv6_test();
  printf("done\n");
  return 0;
}
