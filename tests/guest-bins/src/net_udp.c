// UDP over 127.0.0.1: sendto/recvfrom with the sender's address (family, address, and its port
// compared with the sender's getsockname), message boundaries (10, 0 and 500 bytes), truncation
// (MSG_TRUNC in msg_flags, and as a recv flag), MSG_PEEK, FIONREAD, connect() and send/recv,
// the filter of a connected socket, an AF_UNSPEC disconnect, ECONNREFUSED on a connected
// socket, MSG_DONTWAIT on empty (EAGAIN), poll before and after a send, SO_TYPE, EMSGSIZE and a
// round trip on ::1. Nothing printed depends on ports, pids or times.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *errname(int e) {
  switch (e) {
  case 0: return "0";
  case EAGAIN: return "EAGAIN";
  case ECONNREFUSED: return "ECONNREFUSED";
  case EADDRINUSE: return "EADDRINUSE";
  case EDESTADDRREQ: return "EDESTADDRREQ";
  case EMSGSIZE: return "EMSGSIZE";
  case EINVAL: return "EINVAL";
  case ENOTCONN: return "ENOTCONN";
  case EISCONN: return "EISCONN";
  case EAFNOSUPPORT: return "EAFNOSUPPORT";
  case EOPNOTSUPP: return "EOPNOTSUPP";
  case EPIPE: return "EPIPE";
  case EBADF: return "EBADF";
  default: {
    static char buf[32];
    snprintf(buf, sizeof buf, "errno %d", e);
    return buf;
  }
  }
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
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  if (getsockname(fd, (struct sockaddr *)&a, &len) < 0) return -1;
  return ntohs(a.sin_port);
}

static int udp_bound(void) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = loopback4(0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
    printf("udp: socket/bind failed %s\n", errname(errno));
    exit(1);
  }
  return fd;
}

/** Waits (at most 2 s) until fd is readable; returns poll's revents. */
static int wait_in(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  poll(&p, 1, 2000);
  return p.revents;
}

/** Prints "from AF_INET 127.0.0.1, port matches 1" for a recvfrom address. */
static void print_from(const char *what, struct sockaddr_in *from, socklen_t len, int expect_port) {
  char addr[INET_ADDRSTRLEN] = "?";
  inet_ntop(AF_INET, &from->sin_addr, addr, sizeof addr);
  printf("%s: from %s %s (addrlen %u), port matches %d\n", what, from->sin_family == AF_INET ? "AF_INET" : "other", addr,
         (unsigned)len, ntohs(from->sin_port) == expect_port);
}

int main(void) {
  alarm(10);
  int a = udp_bound(), b = udp_bound();
  int pa = local_port(a), pb = local_port(b);
  printf("udp: two sockets bound, distinct nonzero ports %d\n", pa > 0 && pb > 0 && pa != pb);
  int v = -1;
  socklen_t vl = sizeof v;
  getsockopt(a, SOL_SOCKET, SO_TYPE, &v, &vl);
  printf("udp: SO_TYPE is SOCK_DGRAM %d\n", v == SOCK_DGRAM);

  char buf[2048];
  errno = 0;
  ssize_t n = recv(b, buf, sizeof buf, MSG_DONTWAIT);
  printf("udp: recv MSG_DONTWAIT on empty: %d %s\n", (int)n, errname(errno));
  struct pollfd p = {b, POLLIN, 0};
  int pr = poll(&p, 1, 0);
  printf("udp: poll before a send: %d revents %#x\n", pr, p.revents);

  struct sockaddr_in to_b = loopback4(pb), to_a = loopback4(pa), from;
  n = sendto(a, "hello", 5, 0, (struct sockaddr *)&to_b, sizeof to_b);
  printf("udp: sendto 5 bytes: %d\n", (int)n);
  p.revents = 0;
  pr = poll(&p, 1, 2000);
  printf("udp: poll after a send: %d, POLLIN %d\n", pr, (p.revents & POLLIN) != 0);
  int avail = -1;
  ioctl(b, FIONREAD, &avail);
  printf("udp: FIONREAD %d\n", avail);
  socklen_t fl = sizeof from;
  memset(&from, 0, sizeof from);
  memset(buf, 0, sizeof buf);
  n = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
  printf("udp: recvfrom %d \"%s\"\n", (int)n, buf);
  print_from("udp: recvfrom", &from, fl, pa);

  // Message boundaries: 10, 0 and 500 bytes arrive as three datagrams.
  char msg[500];
  for (int i = 0; i < 500; i++) msg[i] = (char)(i * 13 + 1);
  int sizes[3] = {10, 0, 500};
  for (int i = 0; i < 3; i++) {
    n = sendto(a, msg, sizes[i], 0, (struct sockaddr *)&to_b, sizeof to_b);
    printf("udp: sendto %d bytes: %d\n", sizes[i], (int)n);
  }
  for (int i = 0; i < 3; i++) {
    wait_in(b);
    fl = sizeof from;
    n = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    printf("udp: datagram %d: %d bytes, %s, port matches %d\n", i + 1, (int)n,
           n == sizes[i] && memcmp(buf, msg, n) == 0 ? "content ok" : "MISMATCH", ntohs(from.sin_port) == pa);
  }
  errno = 0;
  n = recv(b, buf, sizeof buf, MSG_DONTWAIT);
  printf("udp: then empty: %d %s\n", (int)n, errname(errno));

  // Truncation: a 100-byte datagram into 10 bytes; the rest is dropped.
  sendto(a, msg, 100, 0, (struct sockaddr *)&to_b, sizeof to_b);
  sendto(a, "next", 4, 0, (struct sockaddr *)&to_b, sizeof to_b);
  wait_in(b);
  struct iovec iov = {buf, 10};
  struct msghdr m;
  memset(&m, 0, sizeof m);
  m.msg_name = &from;
  m.msg_namelen = sizeof from;
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  n = recvmsg(b, &m, 0);
  printf("udp: recvmsg 100 into 10: %d, MSG_TRUNC %d, content ok %d, port matches %d\n", (int)n,
         (m.msg_flags & MSG_TRUNC) != 0, n == 10 && memcmp(buf, msg, 10) == 0, ntohs(from.sin_port) == pa);
  memset(buf, 0, sizeof buf);
  n = recv(b, buf, sizeof buf, 0);
  printf("udp: the next datagram is whole: %d \"%s\"\n", (int)n, buf);
  sendto(a, msg, 100, 0, (struct sockaddr *)&to_b, sizeof to_b);
  wait_in(b);
  n = recv(b, buf, 10, MSG_TRUNC);
  printf("udp: recv with flag MSG_TRUNC returns the real length: %d\n", (int)n);
  sendto(a, msg, 60, 0, (struct sockaddr *)&to_b, sizeof to_b);
  wait_in(b);
  n = recv(b, buf, 10, MSG_PEEK);
  printf("udp: MSG_PEEK 10 of 60: %d", (int)n);
  n = recv(b, buf, sizeof buf, 0);
  printf(", then recv %d\n", (int)n);

  // Without a destination on an unconnected socket.
  errno = 0;
  n = send(a, "x", 1, 0);
  printf("udp: send unconnected: %d %s\n", (int)n, errname(errno));
  errno = 0;
  struct sockaddr_in none;
  socklen_t nl = sizeof none;
  int r = getpeername(a, (struct sockaddr *)&none, &nl);
  printf("udp: getpeername unconnected: %d %s\n", r, errname(errno));

  // connect() on UDP, then send/recv.
  r = connect(a, (struct sockaddr *)&to_b, sizeof to_b);
  int r2 = connect(b, (struct sockaddr *)&to_a, sizeof to_a);
  printf("udp: connect both ways: %d %d\n", r, r2);
  nl = sizeof none;
  getpeername(a, (struct sockaddr *)&none, &nl);
  printf("udp: getpeername after connect: port is b's %d\n", ntohs(none.sin_port) == pb);
  n = send(a, "via connect", 11, 0);
  wait_in(b);
  memset(buf, 0, sizeof buf);
  fl = sizeof from;
  ssize_t got = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
  printf("udp: send %d, recv \"%s\", port matches %d\n", (int)n, got > 0 ? buf : "", ntohs(from.sin_port) == pa);
  n = write(b, "reply", 5);
  wait_in(a);
  memset(buf, 0, sizeof buf);
  got = read(a, buf, sizeof buf);
  printf("udp: write %d, read \"%s\"\n", (int)n, got > 0 ? buf : "");
  n = sendto(a, "explicit", 8, 0, (struct sockaddr *)&to_b, sizeof to_b);
  wait_in(b);
  got = recv(b, buf, sizeof buf, 0);
  printf("udp: sendto the connected peer %d, recv %d\n", (int)n, (int)got);

  // A connected socket takes datagrams only from its peer.
  int c = udp_bound();
  sendto(c, "stranger", 8, 0, (struct sockaddr *)&to_b, sizeof to_b);
  send(a, "peer", 4, 0);
  wait_in(b);
  memset(buf, 0, sizeof buf);
  got = recv(b, buf, sizeof buf, 0);
  errno = 0;
  n = recv(b, buf + 100, sizeof buf - 100, MSG_DONTWAIT);
  printf("udp: connected socket filters others: got \"%s\", then %d %s\n", got > 0 ? buf : "", (int)n, errname(errno));

  // Disconnect with AF_UNSPEC: no peer any more. (Linux also drops the port the kernel chose
  // at bind time, so the local port is not looked at.)
  struct sockaddr unspec;
  memset(&unspec, 0, sizeof unspec);
  unspec.sa_family = AF_UNSPEC;
  r = connect(b, &unspec, sizeof unspec);
  errno = 0;
  nl = sizeof none;
  r2 = getpeername(b, (struct sockaddr *)&none, &nl);
  printf("udp: connect AF_UNSPEC %d, getpeername then %d %s\n", r, r2, errname(errno));
  errno = 0;
  n = send(b, "x", 1, 0);
  printf("udp: send after disconnect: %d %s\n", (int)n, errname(errno));

  // A connected socket whose peer port is closed: the ICMP error comes back as ECONNREFUSED.
  int pc = local_port(c);
  close(c);
  int d = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in dead = loopback4(pc);
  connect(d, (struct sockaddr *)&dead, sizeof dead);
  n = send(d, "anyone?", 7, 0);
  p.fd = d;
  p.events = POLLIN;
  p.revents = 0;
  poll(&p, 1, 2000);
  errno = 0;
  got = recv(d, buf, sizeof buf, MSG_DONTWAIT);
  printf("udp: send to a closed port %d, poll POLLERR %d, recv %d %s\n", (int)n, (p.revents & POLLERR) != 0, (int)got,
         errname(errno));
  errno = 0;
  got = recv(d, buf, sizeof buf, MSG_DONTWAIT);
  printf("udp: the error is reported once: then %d %s\n", (int)got, errname(errno));
  close(d);

  // A datagram larger than the maximum.
  char *huge = calloc(1, 70000);
  errno = 0;
  n = sendto(a, huge, 70000, 0, (struct sockaddr *)&to_b, sizeof to_b);
  printf("udp: sendto 70000 bytes: %d %s\n", (int)n, errname(errno));
  free(huge);

  // IPv6 UDP on ::1.
  int s6 = socket(AF_INET6, SOCK_DGRAM, 0), t6 = socket(AF_INET6, SOCK_DGRAM, 0);
  if (s6 < 0 || t6 < 0) {
    printf("udp6: socket(AF_INET6) failed: %s\n", errname(errno));
  } else {
    struct sockaddr_in6 l6;
    memset(&l6, 0, sizeof l6);
    l6.sin6_family = AF_INET6;
    l6.sin6_addr = in6addr_loopback;
    bind(s6, (struct sockaddr *)&l6, sizeof l6);
    bind(t6, (struct sockaddr *)&l6, sizeof l6);
    struct sockaddr_in6 to6, src6;
    socklen_t sl = sizeof to6;
    getsockname(t6, (struct sockaddr *)&to6, &sl);
    sl = sizeof src6;
    getsockname(s6, (struct sockaddr *)&src6, &sl);
    n = sendto(s6, "six", 3, 0, (struct sockaddr *)&to6, sizeof to6);
    wait_in(t6);
    struct sockaddr_in6 f6;
    memset(&f6, 0, sizeof f6);
    sl = sizeof f6;
    memset(buf, 0, sizeof buf);
    got = recvfrom(t6, buf, sizeof buf, 0, (struct sockaddr *)&f6, &sl);
    char addr[INET6_ADDRSTRLEN] = "?";
    inet_ntop(AF_INET6, &f6.sin6_addr, addr, sizeof addr);
    printf("udp6: sendto %d, recvfrom %d \"%s\" from %s %s (addrlen %u), port matches %d\n", (int)n, (int)got, buf,
           f6.sin6_family == AF_INET6 ? "AF_INET6" : "other", addr, (unsigned)sl, f6.sin6_port == src6.sin6_port);
  }
  close(s6);
  close(t6);
  close(a);
  close(b);
  printf("done\n");
  return 0;
}
