#define _GNU_SOURCE
/* Clocks and time formatting: monotonic clock increases, nanosleep sleeps at least as long
   as asked, gmtime/strftime/mktime of fixed instants (TZ forced to UTC). Prints no times. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static double secs(struct timespec t) { return (double)t.tv_sec + t.tv_nsec / 1e9; }

int main(void) {
  struct timespec a, b, res;
  clock_gettime(CLOCK_MONOTONIC, &a);
  int increasing = 1;
  struct timespec prev = a;
  for (int i = 0; i < 1000; i++) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (secs(t) < secs(prev)) increasing = 0;
    prev = t;
  }
  printf("monotonic never decreases %d\n", increasing);
  struct timespec req = {0, 10 * 1000 * 1000};
  printf("nanosleep %d\n", nanosleep(&req, NULL));
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("elapsed >= 10ms %d, < 5s %d\n", secs(b) - secs(a) >= 0.010, secs(b) - secs(a) < 5.0);
  printf("clock_getres monotonic ok %d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0);
  struct timespec rt;
  clock_gettime(CLOCK_REALTIME, &rt);
  time_t now = time(NULL);
  printf("realtime after 2020 %d, time() agrees %d\n", rt.tv_sec > 1577836800, now - rt.tv_sec >= 0 && now - rt.tv_sec <= 2);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("gettimeofday usec in range %d\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
  setenv("TZ", "UTC", 1);
  tzset();
  static const time_t fixed[] = {0, 86399, 951782400, 1234567890, 2147483647, 4102444800LL, -1};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
    struct tm tm;
    gmtime_r(&fixed[i], &tm);
    char s[128];
    strftime(s, sizeof s, "%Y-%m-%d %H:%M:%S %a %b %j %U %u %Z", &tm);
    printf("%lld -> %s | wday %d yday %d | mktime back %lld\n", (long long)fixed[i], s, tm.tm_wday, tm.tm_yday,
           (long long)mktime(&tm));
  }
  struct tm parsed = {0};
  strptime("2024-02-29 13:45:00", "%Y-%m-%d %H:%M:%S", &parsed);
  char s[64];
  strftime(s, sizeof s, "%A %d %B %Y, %I:%M %p", &parsed);
  printf("strptime/strftime: %s\n", s);
  clock_t c0 = clock();
  volatile double x = 0;
  for (int i = 0; i < 100000; i++) x += i;
  printf("clock() non-negative %d\n", clock() >= c0);
  return 0;
}
