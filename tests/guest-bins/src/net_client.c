/* Interactive (not recorded, see INTERACTIVE in the Makefile; run by tests/net-host.test.ts
   against a server of the test): a TCP client of 127.0.0.1 port argv[1]. Protocol, one line
   per request: "ping N" is answered "pong N"; "data L" followed by L bytes is answered by the
   FNV-1a 32-bit hash of those bytes as 8 lower-case hex digits. Sends "ping 1".."ping 5" (with
   send) and prints each reply line, then "data 300000" and the pattern byte i = (i * 7 +
   (i >> 9)) & 0xff (with write, in one call that may be partly done), prints the server's
   "checksum HHHHHHHH" and whether it matches its own, shuts its side down, waits for the
   server to close (EOF) and exits 0. Any failure prints to stderr and exits 1. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DATA_LEN 300000

static int fd;
static char rbuf[4096];
static size_t rlen;

static void fail(const char *what) {
  fprintf(stderr, "net_client: %s: %s\n", what, strerror(errno));
  exit(1);
}

/* Reads one line (without its newline) into line; returns 0 at EOF before any byte. */
static int read_line(char *line, size_t cap) {
  for (;;) {
    char *nl = memchr(rbuf, '\n', rlen);
    if (nl) {
      size_t n = (size_t)(nl - rbuf);
      if (n >= cap) { errno = EMSGSIZE; fail("reply line too long"); }
      memcpy(line, rbuf, n);
      line[n] = 0;
      rlen -= n + 1;
      memmove(rbuf, nl + 1, rlen);
      return 1;
    }
    if (rlen == sizeof rbuf) { errno = EMSGSIZE; fail("reply line too long"); }
    ssize_t got = recv(fd, rbuf + rlen, sizeof rbuf - rlen, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail("recv");
    if (got == 0) {
      if (rlen == 0) return 0;
      errno = EPROTO;
      fail("connection closed in the middle of a line");
    }
    rlen += (size_t)got;
  }
}

static void send_all(const void *p, size_t n, int use_write) {
  const char *c = p;
  while (n > 0) {
    ssize_t w = use_write ? write(fd, c, n) : send(fd, c, n, 0);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) fail(use_write ? "write" : "send");
    c += w;
    n -= (size_t)w;
  }
}

static uint32_t fnv1a(const unsigned char *p, size_t n) {
  uint32_t h = 0x811c9dc5u;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x01000193u;
  }
  return h;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: net_client PORT\n");
    return 2;
  }
  fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) fail("socket");
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(argv[1]));
  if (inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr) != 1) fail("inet_pton");
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) fail("connect");

  char line[256];
  for (int i = 1; i <= 5; i++) {
    char req[32];
    int n = snprintf(req, sizeof req, "ping %d\n", i);
    send_all(req, (size_t)n, 0);
    if (!read_line(line, sizeof line)) { errno = EPROTO; fail("no reply to ping"); }
    printf("%s\n", line);
  }

  static unsigned char data[DATA_LEN];
  for (size_t i = 0; i < DATA_LEN; i++) data[i] = (unsigned char)((i * 7 + (i >> 9)) & 0xff);
  char head[32];
  int hn = snprintf(head, sizeof head, "data %d\n", DATA_LEN);
  send_all(head, (size_t)hn, 0);
  send_all(data, DATA_LEN, 1);
  if (!read_line(line, sizeof line)) { errno = EPROTO; fail("no checksum"); }
  char mine[16];
  snprintf(mine, sizeof mine, "%08x", fnv1a(data, DATA_LEN));
  printf("checksum %s\n", line);
  if (strcmp(line, mine) == 0) printf("checksum matches\n");
  else printf("checksum differs from mine %s\n", mine);

  if (shutdown(fd, SHUT_WR) < 0) fail("shutdown");
  if (read_line(line, sizeof line)) { errno = EPROTO; fail("unexpected data after the checksum"); }
  printf("server closed\n");
  if (close(fd) < 0) fail("close");
  return 0;
}
