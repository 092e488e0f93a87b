// A C++ program on the shared libstdc++: containers, exceptions thrown through the shared
// library's unwinder, a std::thread with thread_local storage.
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>

thread_local int tl = 5;

int main() {
  std::map<std::string, int> m{{"a", 1}, {"b", 2}};
  for (auto &[k, v] : m) std::cout << k << "=" << v << "\n";
  try {
    throw std::runtime_error("boom");
  } catch (const std::exception &e) {
    std::cout << "caught " << e.what() << "\n";
  }
  int seen = 0;
  std::thread t([&] { tl = 9; seen = tl; });
  t.join();
  std::cout << "thread tl " << seen << ", main tl " << tl << "\n";
}
