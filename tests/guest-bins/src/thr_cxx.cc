// C++ threads (libstdc++ over pthreads, static): std::thread with arguments and join;
// std::async(std::launch::async) returning values and rethrowing an exception thrown in its
// thread through the future; std::promise/std::future between threads; std::mutex with
// std::lock_guard; std::condition_variable for a ping-pong that alternates strictly;
// std::atomic counters and compare_exchange; thread_local objects constructed and destroyed
// once per thread; std::call_once; std::this_thread::get_id.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static std::atomic<int> constructed{0}, destroyed{0};

struct PerThread {
  int value = 0;
  PerThread() { constructed++; }
  ~PerThread() { destroyed++; }
};
static thread_local PerThread per_thread;

static long long sum_range(unsigned from, unsigned to) {
  long long s = 0;
  for (unsigned i = from; i < to; i++) s += (i % 1000) * (i % 1000) % 1000;
  per_thread.value++;
  return s;
}

int main() {
  // std::thread with arguments, results written through references.
  std::vector<long long> parts(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; i++)
    threads.emplace_back([&parts, i] { parts[i] = sum_range(i * 250000u, (i + 1) * 250000u); });
  for (auto &t : threads) t.join();
  long long total = std::accumulate(parts.begin(), parts.end(), 0LL);
  std::printf("threads: sum %lld, same as one thread %d\n", total, total == sum_range(0, 1000000));

  // std::async.
  std::vector<std::future<long long>> futures;
  for (int i = 0; i < 4; i++)
    futures.push_back(std::async(std::launch::async, sum_range, i * 250000u, (i + 1) * 250000u));
  long long async_total = 0;
  for (auto &f : futures) async_total += f.get();
  std::printf("async: sum %lld\n", async_total);
  auto failing = std::async(std::launch::async, []() -> int { throw std::runtime_error("from a thread"); });
  try {
    failing.get();
    std::printf("async exception: not thrown\n");
  } catch (const std::runtime_error &e) {
    std::printf("async exception: caught \"%s\"\n", e.what());
  }

  // promise / future.
  std::promise<std::string> promise;
  std::future<std::string> message = promise.get_future();
  std::thread sender([&promise] { promise.set_value("sent through a promise"); });
  std::printf("promise: %s\n", message.get().c_str());
  sender.join();

  // mutex + lock_guard.
  std::mutex m;
  long guarded = 0;
  std::vector<std::thread> adders;
  for (int i = 0; i < 4; i++)
    adders.emplace_back([&m, &guarded, i] {
      for (int k = 0; k < 20000; k++) {
        std::lock_guard<std::mutex> g(m);
        guarded += i + 1;
      }
    });
  for (auto &t : adders) t.join();
  std::printf("lock_guard: %ld (expected %d)\n", guarded, 20000 * 10);

  // condition_variable ping-pong: the turn alternates strictly, so the log is fixed.
  std::mutex pm;
  std::condition_variable cv;
  int turn = 0;
  std::string log;
  auto player = [&](int me, char mark) {
    for (int round = 0; round < 5; round++) {
      std::unique_lock<std::mutex> lk(pm);
      cv.wait(lk, [&] { return turn == me; });
      log += mark;
      turn = 1 - me;
      cv.notify_all();
    }
  };
  std::thread ping(player, 0, 'i'), pong(player, 1, 'o');
  ping.join();
  pong.join();
  std::printf("condition_variable: %s\n", log.c_str());

  // atomics.
  std::atomic<long> counter{0};
  std::atomic<int> maximum{0};
  std::vector<std::thread> bumpers;
  for (int i = 0; i < 4; i++)
    bumpers.emplace_back([&counter, &maximum, i] {
      for (int k = 0; k < 50000; k++) counter.fetch_add(1, std::memory_order_relaxed);
      int v = (i + 1) * 11, cur = maximum.load();
      while (cur < v && !maximum.compare_exchange_weak(cur, v)) {
      }
    });
  for (auto &t : bumpers) t.join();
  std::printf("atomic: counter %ld, max by compare_exchange %d\n", counter.load(), maximum.load());

  // call_once.
  std::once_flag flag;
  std::atomic<int> calls{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; i++)
    callers.emplace_back([&] { std::call_once(flag, [&] { calls++; }); });
  for (auto &t : callers) t.join();
  std::printf("call_once: %d call(s)\n", calls.load());

  // thread_local: one object per thread that touched it (main touched it for the check above).
  std::printf("thread_local: main's value %d, constructed %d, destroyed %d\n", per_thread.value,
              constructed.load(), destroyed.load());
  std::printf("this_thread::get_id differs from a new thread's: %d\n", [] {
    std::thread::id other;
    std::thread t([&other] { other = std::this_thread::get_id(); });
    t.join();
    return other != std::this_thread::get_id();
  }());
  return 0;
}
