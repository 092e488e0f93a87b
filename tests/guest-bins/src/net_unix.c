// AF_UNIX sockets: a SOCK_STREAM socketpair between parent and a forked child (both
// directions, then EOF when the child exits), SOCK_DGRAM and SOCK_SEQPACKET socketpairs keeping
// message boundaries (and MSG_TRUNC), a socketpair's SO_PEERCRED, a path-bound SOCK_STREAM
// server that a child connects to (getsockname gives back the path; the accepted socket's peer
// is unnamed; bind EADDRINUSE, connect ENOENT) and an abstract-namespace name. Paths are unique
// per process (the pid is in them) and never printed. What tsemu does not do (SCM_RIGHTS,
// datagram sockets on paths, SO_PEERCRED of path sockets) is listed in the README.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errname(int e) {
  switch (e) {
  case 0: return "0";
  case EAGAIN: return "EAGAIN";
  case ENOENT: return "ENOENT";
  case ECONNREFUSED: return "ECONNREFUSED";
  case EADDRINUSE: return "EADDRINUSE";
  case EINVAL: return "EINVAL";
  case ENOTCONN: return "ENOTCONN";
  case EOPNOTSUPP: return "EOPNOTSUPP";
  case EPIPE: return "EPIPE";
  case EBADF: return "EBADF";
  case EMSGSIZE: return "EMSGSIZE";
  case ENOSYS: return "ENOSYS";
  case EAFNOSUPPORT: return "EAFNOSUPPORT";
  case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
  case ECONNRESET: return "ECONNRESET";
  default: {
    static char buf[32];
    snprintf(buf, sizeof buf, "errno %d", e);
    return buf;
  }
  }
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

/** Reads up to and including '\n' (or EOF) into buf, NUL-terminated. */
static ssize_t read_line(int fd, char *buf, size_t size) {
  size_t got = 0;
  while (got + 1 < size) {
    ssize_t r = read(fd, buf + got, 1);
    if (r <= 0) break;
    if (buf[got++] == '\n') break;
  }
  buf[got] = 0;
  return got;
}

/** Reads until EOF into buf, NUL-terminated. */
static size_t read_all(int fd, char *buf, size_t size) {
  size_t got = 0;
  for (ssize_t n; got + 1 < size && (n = read(fd, buf + got, size - 1 - got)) > 0;) got += n;
  buf[got] = 0;
  return got;
}

static void stream_pair_test(void) {
  int sv[2];
  int r = socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  printf("socketpair(SOCK_STREAM): %d\n", r);
  int v = -1;
  socklen_t vl = sizeof v;
  getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &vl);
  printf("socketpair: SO_TYPE is SOCK_STREAM %d\n", v == SOCK_STREAM);
  struct ucred cred;
  socklen_t cl = sizeof cred;
  memset(&cred, 0, sizeof cred);
  r = getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &cl);
  printf("socketpair: SO_PEERCRED %d, pid is ours %d, uid is ours %d, gid is ours %d\n", r, cred.pid == getpid(),
         cred.uid == getuid(), cred.gid == getgid());
  struct sockaddr_un un;
  socklen_t ul = sizeof un;
  memset(&un, 0x55, sizeof un);
  r = getsockname(sv[0], (struct sockaddr *)&un, &ul);
  printf("socketpair: getsockname %d, family AF_UNIX %d, unnamed (addrlen %u)\n", r, un.sun_family == AF_UNIX,
         (unsigned)ul);

  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    char buf[64];
    ssize_t n = read_full(sv[1], buf, 16);
    int ok = n == 16 && memcmp(buf, "ping from parent", 16) == 0;
    char reply[64];
    int len = snprintf(reply, sizeof reply, "pong from child, got ping %s", ok ? "ok" : "BAD");
    write(sv[1], reply, len);
    _exit(ok ? 0 : 1);
  }
  close(sv[1]);
  ssize_t n = write(sv[0], "ping from parent", 16);
  char buf[128];
  size_t got = read_all(sv[0], buf, sizeof buf); // the reply, then EOF once the child exits
  int st;
  waitpid(pid, &st, 0);
  printf("stream pair: parent wrote %d, read \"%s\" then EOF, child exit %d\n", (int)n, got ? buf : "",
         WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  n = read(sv[0], buf, sizeof buf);
  printf("stream pair: read after the child exited: %d\n", (int)n);
  errno = 0;
  n = send(sv[0], "x", 1, MSG_NOSIGNAL);
  printf("stream pair: send to the closed peer: %d %s\n", (int)n, errname(errno));
  close(sv[0]);

  socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv);
  printf("socketpair SOCK_NONBLOCK|SOCK_CLOEXEC: O_NONBLOCK %d, FD_CLOEXEC %d\n", (fcntl(sv[1], F_GETFL) & O_NONBLOCK) != 0,
         (fcntl(sv[1], F_GETFD) & FD_CLOEXEC) != 0);
  errno = 0;
  n = read(sv[1], buf, sizeof buf);
  printf("stream pair: read on empty non-blocking: %d %s\n", (int)n, errname(errno));
  write(sv[0], "abc", 3);
  write(sv[0], "def", 3);
  memset(buf, 0, sizeof buf);
  n = read(sv[1], buf, sizeof buf);
  printf("stream pair: two writes read as one stream: %d \"%s\"\n", (int)n, buf);
  shutdown(sv[0], SHUT_WR);
  n = read(sv[1], buf, sizeof buf);
  write(sv[1], "back", 4);
  memset(buf, 0, sizeof buf);
  ssize_t m = read(sv[0], buf, sizeof buf);
  printf("stream pair: after SHUT_WR the other end reads %d, and can still answer: %d \"%s\"\n", (int)n, (int)m, buf);
  close(sv[0]);
  close(sv[1]);
}

static void dgram_pair_test(void) {
  int sv[2];
  int r = socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  printf("socketpair(SOCK_DGRAM): %d\n", r);
  char msg[300], buf[1000];
  for (int i = 0; i < 300; i++) msg[i] = (char)(i * 5 + 2);
  int sizes[3] = {5, 0, 300};
  for (int i = 0; i < 3; i++) {
    ssize_t n = send(sv[0], msg, sizes[i], 0);
    printf("dgram pair: send %d: %d\n", sizes[i], (int)n);
  }
  for (int i = 0; i < 3; i++) {
    ssize_t n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
    printf("dgram pair: datagram %d: %d bytes, %s\n", i + 1, (int)n, n == sizes[i] && memcmp(buf, msg, n) == 0 ? "content ok" : "MISMATCH");
  }
  errno = 0;
  ssize_t n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
  printf("dgram pair: then empty: %d %s\n", (int)n, errname(errno));
  send(sv[1], msg, 300, 0);
  send(sv[1], "tail", 4, 0);
  struct iovec iov = {buf, 20};
  struct msghdr m;
  memset(&m, 0, sizeof m);
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  n = recvmsg(sv[0], &m, 0);
  printf("dgram pair: recvmsg 300 into 20: %d, MSG_TRUNC %d, content ok %d\n", (int)n, (m.msg_flags & MSG_TRUNC) != 0,
         n == 20 && memcmp(buf, msg, 20) == 0);
  memset(buf, 0, sizeof buf);
  n = recv(sv[0], buf, sizeof buf, 0);
  printf("dgram pair: the next datagram whole: %d \"%s\"\n", (int)n, buf);
  close(sv[0]);
  close(sv[1]);

  r = socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
  printf("socketpair(SOCK_SEQPACKET): %d\n", r);
  send(sv[0], "one", 3, 0);
  send(sv[0], "three", 5, 0);
  memset(buf, 0, sizeof buf);
  n = recv(sv[1], buf, sizeof buf, 0);
  ssize_t n2 = recv(sv[1], buf + 10, sizeof buf - 10, 0);
  printf("seqpacket pair: records %d \"%s\" and %d \"%s\"\n", (int)n, buf, (int)n2, buf + 10);
  close(sv[0]);
  n = recv(sv[1], buf, sizeof buf, 0);
  printf("seqpacket pair: EOF after the peer closed: %d\n", (int)n);
  close(sv[1]);
}

static socklen_t path_addr(struct sockaddr_un *a, const char *path) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  strncpy(a->sun_path, path, sizeof a->sun_path - 1);
  return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static void path_test(void) {
  char path[108];
  snprintf(path, sizeof path, "/tmp/tsemu-net-unix-%d.sock", (int)getpid());
  unlink(path);
  struct sockaddr_un a;
  socklen_t alen = path_addr(&a, path);
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  int r = bind(l, (struct sockaddr *)&a, alen);
  int r2 = listen(l, 4);
  printf("path: bind %d, listen %d\n", r, r2);
  struct stat sb;
  r = stat(path, &sb);
  printf("path: stat %d, is a socket %d\n", r, r == 0 && S_ISSOCK(sb.st_mode));
  struct sockaddr_un got;
  socklen_t gl = sizeof got;
  memset(&got, 0, sizeof got);
  getsockname(l, (struct sockaddr *)&got, &gl);
  printf("path: getsockname family AF_UNIX %d, path matches %d, addrlen matches %d\n", got.sun_family == AF_UNIX,
         strcmp(got.sun_path, path) == 0, gl == alen);

  int again = socket(AF_UNIX, SOCK_STREAM, 0);
  errno = 0;
  r = bind(again, (struct sockaddr *)&a, alen);
  printf("path: bind the same path again: %d %s\n", r, errname(errno));
  close(again);

  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, alen) < 0) _exit(2);
    const char *hello = "hello from the child\n";
    write(c, hello, strlen(hello));
    char reply[64];
    read_line(c, reply, sizeof reply);
    _exit(strcmp(reply, "hello from the parent\n") == 0 ? 0 : 1);
  }
  int s = accept(l, NULL, NULL);
  char line[64];
  read_line(s, line, sizeof line);
  printf("path: accepted, read line: %s", line);
  const char *reply = "hello from the parent\n";
  write(s, reply, strlen(reply));
  int st;
  waitpid(pid, &st, 0);
  printf("path: the child checked the reply, exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  memset(&got, 0, sizeof got);
  gl = sizeof got;
  getsockname(s, (struct sockaddr *)&got, &gl);
  printf("path: accepted socket getsockname path matches %d\n", strcmp(got.sun_path, path) == 0);
  gl = sizeof got;
  memset(&got, 0x55, sizeof got);
  r = getpeername(s, (struct sockaddr *)&got, &gl);
  printf("path: accepted socket getpeername %d, family AF_UNIX %d, unnamed (addrlen %u)\n", r, got.sun_family == AF_UNIX,
         (unsigned)gl);
  // Not checked: SO_PEERCRED of a path socket (tsemu cannot learn the peer's pid from Node).
  close(s);
  close(l);

  // A removed path does not exist. (Not checked: a bound socket that does not listen refuses
  // under Linux; tsemu's bound stream sockets listen at once, since Node binds by listening.)
  r = unlink(path);
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  errno = 0;
  r2 = connect(c, (struct sockaddr *)&a, alen);
  printf("path: unlink %d, then connect: %d %s\n", r, r2, errname(errno));
  close(c);

  // Abstract namespace: a name starting with NUL, no file.
  struct sockaddr_un ab;
  memset(&ab, 0, sizeof ab);
  ab.sun_family = AF_UNIX;
  int len = snprintf(ab.sun_path + 1, sizeof ab.sun_path - 1, "tsemu-net-unix-abstract-%d", (int)getpid());
  socklen_t ablen = offsetof(struct sockaddr_un, sun_path) + 1 + len;
  l = socket(AF_UNIX, SOCK_STREAM, 0);
  r = bind(l, (struct sockaddr *)&ab, ablen);
  listen(l, 2);
  memset(&got, 0x55, sizeof got);
  gl = sizeof got;
  getsockname(l, (struct sockaddr *)&got, &gl);
  printf("abstract: bind %d, getsockname addrlen matches %d, name matches %d\n", r, gl == ablen,
         gl == ablen && memcmp(got.sun_path, ab.sun_path, ablen - offsetof(struct sockaddr_un, sun_path)) == 0);
  c = socket(AF_UNIX, SOCK_STREAM, 0);
  r = connect(c, (struct sockaddr *)&ab, ablen);
  s = accept(l, NULL, NULL);
  write(c, "abs", 3);
  char buf[8] = {0};
  ssize_t n = read_full(s, buf, 3);
  printf("abstract: connect %d, accept ok %d, read %d \"%s\"\n", r, s >= 0, (int)n, buf);
  close(s);
  close(c);
  close(l);

  // Not checked: datagram sockets bound to a path (Node has no Unix datagram sockets).
}

int main(void) {
  alarm(10);
  stream_pair_test();
  dgram_pair_test();
  path_test();
  int bad = socket(AF_UNIX, SOCK_STREAM, 99);
  printf("socket(AF_UNIX, SOCK_STREAM, 99): %d %s\n", bad, errname(errno));
  printf("done\n");
  return 0;
}
