// A library given with LD_PRELOAD (tests/dynamic.test.ts): its constructor runs before main,
// and it replaces nothing else.
#include <cstdio>

__attribute__((constructor)) static void announce() { std::puts("preloaded: its constructor ran before main"); }
