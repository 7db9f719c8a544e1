#include "kernels/threads.h"

#include <algorithm>
#include <cstdlib>

// The browser's single-thread build has no threads; the threaded one (-pthread, loaded only
// when the page is cross-origin isolated: web/loader.js) uses the same pool as natively.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define ATTNLAB_NO_THREADS 1
#endif

#ifndef ATTNLAB_NO_THREADS
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace attn::kernels {

#ifdef ATTNLAB_NO_THREADS

void SetThreads(int) {}
int Threads() { return 1; }
void detail::ParallelRanges(size_t n, size_t, double, const std::function<void(size_t, size_t)>& fn) {
  if (n) fn(0, n);
}

#else

namespace {

// A hint to the core that this thread is waiting in a loop (x86 PAUSE), so a spinning thread
// uses less power and leaves the pipeline to its sibling.
inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Workers 1 … threads-1 (the caller is piece 0). A call publishes the job and a new
// generation number under the mutex; each worker whose piece exists runs it and counts down;
// the caller runs piece 0 and waits for the count to reach zero.
//
// Waking a sleeping thread costs a futex round trip: 20–100 µs on a virtual machine, where a
// forward pass is ~60 parallel calls of 100–500 µs each. So each side first watches for what it
// waits for, for at most kSpin, and only then sleeps. Inside a pass the next call comes within
// that time and nobody sleeps; between passes a worker gives its core back after kSpin (no
// lasting spin: a busy 2-core machine keeps its cores for its other work).
constexpr auto kSpin = std::chrono::microseconds(100);

// True if done() became true within kSpin.
template <typename Done>
bool SpinFor(Done done) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
      CpuRelax();
    }
    if (std::chrono::steady_clock::now() >= until) return done();
  }
}

class Pool {
 public:
  explicit Pool(int threads) {
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { Work(i); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_ = true;
    }
    start_.notify_all();
    for (std::thread& t : workers_) t.join();
  }
  int size() const { return static_cast<int>(workers_.size()) + 1; }

  void Run(int pieces, const std::function<void(int)>& piece) {
    {
      std::lock_guard<std::mutex> lock(m_);
      job_ = &piece;
      pieces_ = pieces;
      pending_.store(pieces - 1, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    start_.notify_all();
    piece(0);
    if (!SpinFor([this] { return pending_.load(std::memory_order_acquire) == 0; })) {
      std::unique_lock<std::mutex> lock(m_);
      done_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
    }
  }

 private:
  void Work(int index) {
    unsigned long long seen = 0;
    for (;;) {
      SpinFor([&] { return generation_.load(std::memory_order_acquire) != seen; });
      const std::function<void(int)>* job = nullptr;
      {
        std::unique_lock<std::mutex> lock(m_);
        start_.wait(lock, [&] { return stop_ || generation_.load(std::memory_order_relaxed) != seen; });
        if (stop_) return;
        seen = generation_.load(std::memory_order_relaxed);
        if (index >= pieces_) continue;  // fewer pieces than threads this time
        job = job_;
      }
      (*job)(index);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(m_);  // the caller checks pending_ under it before sleeping
        done_.notify_one();
      }
    }
  }

  std::vector<std::thread> workers_;
  std::mutex m_;
  std::condition_variable start_, done_;
  const std::function<void(int)>* job_ = nullptr;
  int pieces_ = 0;
  std::atomic<int> pending_{0};
  std::atomic<unsigned long long> generation_{0};
  bool stop_ = false;
};

#ifdef __EMSCRIPTEN__
// Each thread is a Web Worker started with the page (-sPTHREAD_POOL_SIZE, CMakeLists.txt): the
// main thread cannot wait for a new one to start, so the pool never asks for more.
constexpr int kMaxThreads = ATTNLAB_WEB_WORKERS + 1;
#else
constexpr int kMaxThreads = 64;
#endif

int DefaultThreads() {
  if (const char* env = std::getenv("ATTNLAB_THREADS"); env && *env) return std::clamp(std::atoi(env), 1, kMaxThreads);
  return std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, kMaxThreads);
}

int g_threads = 0;             // 0: not chosen yet
std::unique_ptr<Pool> g_pool;  // made on the first parallel call
std::mutex g_call;             // one parallel call at a time; a second caller runs alone

}  // namespace

void SetThreads(int n) {
  std::lock_guard<std::mutex> lock(g_call);
  g_threads = std::clamp(n, 1, kMaxThreads);
  if (g_pool && g_pool->size() != g_threads) g_pool.reset();
}

int Threads() {
  if (g_threads == 0) g_threads = DefaultThreads();
  return g_threads;
}

void detail::ParallelRanges(size_t n, size_t granule, double work, const std::function<void(size_t, size_t)>& fn) {
  if (n == 0) return;
  granule = std::max<size_t>(granule, 1);
  const size_t units = (n + granule - 1) / granule;
  const int threads = Threads();
  const int pieces = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), units));
  std::unique_lock<std::mutex> lock(g_call, std::try_to_lock);
  if (pieces <= 1 || work < kMinParallelWork || !lock.owns_lock()) return fn(0, n);
  if (!g_pool || g_pool->size() != threads) g_pool = std::make_unique<Pool>(threads);
  const std::function<void(int)> piece = [&](int p) {
    const size_t begin = std::min(n, units * p / pieces * granule), end = std::min(n, units * (p + 1) / pieces * granule);
    if (begin < end) fn(begin, end);
  };
  g_pool->Run(pieces, piece);
}

#endif

}  // namespace attn::kernels
