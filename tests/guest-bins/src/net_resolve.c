// Name and address conversion in a static glibc: getaddrinfo for "localhost" (through
// /etc/nsswitch.conf and /etc/hosts), numeric IPv4 and IPv6 hosts (AI_NUMERICHOST), a null host
// with and without AI_PASSIVE, AI_V4MAPPED, the socket types of an unrestricted lookup, the
// EAI_* errors; inet_pton/inet_ntop round trips and rejects, inet_aton/inet_addr/inet_ntoa;
// getnameinfo with NI_NUMERICHOST|NI_NUMERICSERV. Nothing asks DNS: only names /etc/hosts has
// or numeric ones.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *family_name(int f) {
  return f == AF_INET ? "AF_INET" : f == AF_INET6 ? "AF_INET6" : f == AF_UNSPEC ? "AF_UNSPEC" : "other";
}

static const char *socktype_name(int t) {
  return t == SOCK_STREAM ? "SOCK_STREAM" : t == SOCK_DGRAM ? "SOCK_DGRAM" : t == SOCK_RAW ? "SOCK_RAW" : "other";
}

static const char *proto_name(int p) {
  return p == IPPROTO_TCP ? "IPPROTO_TCP" : p == IPPROTO_UDP ? "IPPROTO_UDP" : p == 0 ? "0" : "other";
}

static const char *gai_name(int e) {
  switch (e) {
  case 0: return "0";
  case EAI_NONAME: return "EAI_NONAME";
  case EAI_SERVICE: return "EAI_SERVICE";
  case EAI_FAMILY: return "EAI_FAMILY";
  case EAI_SOCKTYPE: return "EAI_SOCKTYPE";
  case EAI_BADFLAGS: return "EAI_BADFLAGS";
  case EAI_ADDRFAMILY: return "EAI_ADDRFAMILY";
  case EAI_AGAIN: return "EAI_AGAIN";
  case EAI_FAIL: return "EAI_FAIL";
  case EAI_NODATA: return "EAI_NODATA";
  case EAI_SYSTEM: return "EAI_SYSTEM";
  default: return "EAI_other";
  }
}

/** One line per result: family, socktype, protocol, address, port. */
static void show(const char *what, const char *host, const char *serv, int family, int socktype, int flags) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = family;
  hints.ai_socktype = socktype;
  hints.ai_flags = flags;
  int r = getaddrinfo(host, serv, &hints, &res);
  if (r != 0) {
    printf("%s: getaddrinfo %s (%s)\n", what, gai_name(r), gai_strerror(r));
    return;
  }
  int i = 0;
  for (struct addrinfo *ai = res; ai; ai = ai->ai_next, i++) {
    char addr[INET6_ADDRSTRLEN] = "?";
    int port = -1;
    if (ai->ai_family == AF_INET) {
      struct sockaddr_in *sin = (struct sockaddr_in *)ai->ai_addr;
      inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof addr);
      port = ntohs(sin->sin_port);
    } else if (ai->ai_family == AF_INET6) {
      struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ai->ai_addr;
      inet_ntop(AF_INET6, &sin6->sin6_addr, addr, sizeof addr);
      port = ntohs(sin6->sin6_port);
    }
    printf("%s: [%d] %s %s %s %s port %d addrlen %u", what, i, family_name(ai->ai_family), socktype_name(ai->ai_socktype),
           proto_name(ai->ai_protocol), addr, port, (unsigned)ai->ai_addrlen);
    if (ai->ai_canonname) printf(" canonname %s", ai->ai_canonname);
    printf("\n");
  }
  freeaddrinfo(res);
}

static void pton_ntop(int af, const char *in) {
  unsigned char bin[16];
  char out[INET6_ADDRSTRLEN];
  int r = inet_pton(af, in, bin);
  if (r != 1) {
    printf("inet_pton(%s, \"%s\"): %d\n", family_name(af), in, r);
    return;
  }
  printf("inet_pton(%s, \"%s\"): 1, bytes", family_name(af), in);
  for (int i = 0; i < (af == AF_INET ? 4 : 16); i++) printf("%s%02x", i ? ":" : " ", bin[i]);
  const char *s = inet_ntop(af, bin, out, sizeof out);
  printf(", inet_ntop \"%s\"\n", s ? s : "(null)");
}

static void nameinfo(const struct sockaddr *sa, socklen_t len, int flags, const char *what) {
  char host[NI_MAXHOST] = "", serv[NI_MAXSERV] = "";
  int r = getnameinfo(sa, len, host, sizeof host, serv, sizeof serv, flags);
  if (r != 0) printf("getnameinfo %s: %s (%s)\n", what, gai_name(r), gai_strerror(r));
  else printf("getnameinfo %s: host \"%s\" serv \"%s\"\n", what, host, serv);
}

int main(void) {
  alarm(10);
  show("localhost:80 AF_INET stream", "localhost", "80", AF_INET, SOCK_STREAM, 0);
  show("localhost:80 AF_INET stream AI_CANONNAME", "localhost", "80", AF_INET, SOCK_STREAM, AI_CANONNAME);
  show("localhost AF_INET dgram", "localhost", "5353", AF_INET, SOCK_DGRAM, 0);
  show("127.0.0.1:443 AI_NUMERICHOST", "127.0.0.1", "443", AF_INET, SOCK_STREAM, AI_NUMERICHOST);
  show("127.0.0.1:443 AF_UNSPEC any type", "127.0.0.1", "443", AF_UNSPEC, 0, AI_NUMERICHOST);
  show("::1:22 AF_INET6", "::1", "22", AF_INET6, SOCK_STREAM, AI_NUMERICHOST);
  show("::1 AF_UNSPEC", "::1", "8080", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST);
  show("2001:db8::5 udp", "2001:db8::5", "53", AF_INET6, SOCK_DGRAM, AI_NUMERICHOST);
  show("null host passive", NULL, "8080", AF_INET, SOCK_STREAM, AI_PASSIVE);
  show("null host", NULL, "8080", AF_INET, SOCK_STREAM, 0);
  show("null host passive v6", NULL, "8080", AF_INET6, SOCK_STREAM, AI_PASSIVE);
  show("null host v6", NULL, "8080", AF_INET6, SOCK_STREAM, 0);
  show("127.0.0.1 as AF_INET6 AI_V4MAPPED", "127.0.0.1", "80", AF_INET6, SOCK_STREAM, AI_NUMERICHOST | AI_V4MAPPED);
  show("127.0.0.1 as AF_INET6", "127.0.0.1", "80", AF_INET6, SOCK_STREAM, AI_NUMERICHOST);
  show("::1 as AF_INET", "::1", "80", AF_INET, SOCK_STREAM, AI_NUMERICHOST);
  show("localhost with AI_NUMERICHOST", "localhost", "80", AF_INET, SOCK_STREAM, AI_NUMERICHOST);
  show("service name with AI_NUMERICSERV", "127.0.0.1", "http", AF_INET, SOCK_STREAM, AI_NUMERICHOST | AI_NUMERICSERV);
  show("null host and null service", NULL, NULL, AF_INET, SOCK_STREAM, 0);
  show("bad family", "127.0.0.1", "80", 12345, SOCK_STREAM, AI_NUMERICHOST);
  show("bad socktype", "127.0.0.1", "80", AF_INET, 12345, AI_NUMERICHOST);
  show("bad flags", "127.0.0.1", "80", AF_INET, SOCK_STREAM, 0x10000);
  show("port 65535", "127.0.0.1", "65535", AF_INET, SOCK_DGRAM, AI_NUMERICHOST);
  show("port 0x10 (not decimal)", "127.0.0.1", "0x10", AF_INET, SOCK_STREAM, AI_NUMERICHOST | AI_NUMERICSERV);
  show("127.1 shorthand", "127.1", "7", AF_INET, SOCK_STREAM, AI_NUMERICHOST);

  pton_ntop(AF_INET, "127.0.0.1");
  pton_ntop(AF_INET, "192.168.1.254");
  pton_ntop(AF_INET, "0.0.0.0");
  pton_ntop(AF_INET, "255.255.255.255");
  pton_ntop(AF_INET, "256.1.1.1");
  pton_ntop(AF_INET, "1.2.3");
  pton_ntop(AF_INET, "01.2.3.4");
  pton_ntop(AF_INET, " 1.2.3.4");
  pton_ntop(AF_INET6, "::1");
  pton_ntop(AF_INET6, "::");
  pton_ntop(AF_INET6, "2001:0db8:0000:0000:0000:0000:0000:0001");
  pton_ntop(AF_INET6, "2001:db8:0:1:0:0:0:1");
  pton_ntop(AF_INET6, "fe80::1:2:3:4");
  pton_ntop(AF_INET6, "::ffff:1.2.3.4");
  pton_ntop(AF_INET6, "1:2:3:4:5:6:7:8");
  pton_ntop(AF_INET6, "ABCD:EF01::");
  pton_ntop(AF_INET6, ":::");
  pton_ntop(AF_INET6, "1::2::3");
  pton_ntop(AF_INET6, "12345::");
  errno = 0;
  unsigned char bin[16];
  int r = inet_pton(12345, "1.2.3.4", bin);
  printf("inet_pton bad family: %d, EAFNOSUPPORT %d\n", r, errno == EAFNOSUPPORT);
  char small[8];
  inet_pton(AF_INET, "192.168.100.200", bin);
  errno = 0;
  const char *s = inet_ntop(AF_INET, bin, small, sizeof small);
  printf("inet_ntop into 8 bytes: %s, ENOSPC %d\n", s ? s : "NULL", errno == ENOSPC);

  struct in_addr ia;
  r = inet_aton("127.1", &ia);
  printf("inet_aton(\"127.1\"): %d, %s\n", r, inet_ntoa(ia));
  r = inet_aton("0x7f.0.0.2", &ia);
  printf("inet_aton(\"0x7f.0.0.2\"): %d, %s\n", r, inet_ntoa(ia));
  r = inet_aton("1.2.3.4.5", &ia);
  printf("inet_aton(\"1.2.3.4.5\"): %d\n", r);
  printf("inet_addr(\"10.1.2.3\") == htonl(0x0a010203) %d, inet_addr(\"x\") == INADDR_NONE %d\n",
         inet_addr("10.1.2.3") == htonl(0x0a010203), inet_addr("x") == INADDR_NONE);
  printf("htons(0x1234) bytes %02x %02x, ntohl(htonl(0xdeadbeef)) %#x\n", ((unsigned char *)&(uint16_t){htons(0x1234)})[0],
         ((unsigned char *)&(uint16_t){htons(0x1234)})[1], ntohl(htonl(0xdeadbeef)));

  struct sockaddr_in sin;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_port = htons(8080);
  inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
  nameinfo((struct sockaddr *)&sin, sizeof sin, NI_NUMERICHOST | NI_NUMERICSERV, "127.0.0.1:8080 numeric");
  sin.sin_port = htons(53);
  inet_pton(AF_INET, "10.20.30.40", &sin.sin_addr);
  nameinfo((struct sockaddr *)&sin, sizeof sin, NI_NUMERICHOST | NI_NUMERICSERV | NI_DGRAM, "10.20.30.40:53 numeric dgram");
  struct sockaddr_in6 sin6;
  memset(&sin6, 0, sizeof sin6);
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(443);
  sin6.sin6_addr = in6addr_loopback;
  nameinfo((struct sockaddr *)&sin6, sizeof sin6, NI_NUMERICHOST | NI_NUMERICSERV, "[::1]:443 numeric");
  inet_pton(AF_INET6, "2001:db8::1:0:0:1", &sin6.sin6_addr);
  sin6.sin6_port = htons(65535);
  nameinfo((struct sockaddr *)&sin6, sizeof sin6, NI_NUMERICHOST | NI_NUMERICSERV, "[2001:db8::1:0:0:1]:65535 numeric");
  nameinfo((struct sockaddr *)&sin6, sizeof sin6 - 1, NI_NUMERICHOST | NI_NUMERICSERV, "short addrlen");
  struct sockaddr bogus;
  memset(&bogus, 0, sizeof bogus);
  bogus.sa_family = 12345;
  nameinfo(&bogus, sizeof bogus, NI_NUMERICHOST | NI_NUMERICSERV, "bad family");
  printf("done\n");
  return 0;
}
