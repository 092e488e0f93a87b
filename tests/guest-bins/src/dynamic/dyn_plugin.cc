// Opens a library of its own (libdynplug.so, committed beside it) with dlopen and calls into it:
// plain calls, thread_local storage in the library from two threads, an exception thrown in the
// library and caught here; then checks /proc/self/maps lists the loader, libc and the plugin.
#include <dlfcn.h>
#include <libgen.h>
#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

int main() {
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n > 0 ? n : 0] = 0;
  std::string lib = std::string(dirname(exe)) + "/libdynplug.so";
  void *h = dlopen(lib.c_str(), RTLD_NOW);
  if (!h) {
    std::cout << "dlopen: " << dlerror() << "\n";
    return 1;
  }
  auto add = (int (*)(int, int))dlsym(h, "plug_add");
  auto bump = (int (*)())dlsym(h, "plug_bump");
  auto thrower = (void (*)(const char *))dlsym(h, "plug_throw");
  std::cout << "plug_add(2, 3) = " << add(2, 3) << "\n";
  int a = bump(), b = bump(), other = 0;
  std::thread t([&] { other = bump(); });
  t.join();
  std::cout << "library thread_local: main " << a << " " << b << ", other thread " << other << "\n";
  try {
    thrower("hi");
  } catch (const std::exception &e) {
    std::cout << "caught across the library boundary: " << e.what() << "\n";
  }
  std::ifstream maps("/proc/self/maps");
  bool loader = false, libc = false, plugin = false;
  for (std::string line; std::getline(maps, line);) {
    loader |= line.find("/ld-linux-") != std::string::npos;
    libc |= line.find("/libc.so.6") != std::string::npos;
    plugin |= line.find("/libdynplug.so") != std::string::npos;
  }
  std::cout << "/proc/self/maps lists the loader " << loader << ", libc " << libc << ", the plugin " << plugin << "\n";
  dlclose(h);
  return 0;
}
