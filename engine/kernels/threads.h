// Native MatMul threads (issue 17): a small pool of workers that sleep on a condition variable
// between forward passes, so a busy machine keeps its cores for its other work; inside a pass
// each waits by watching for at most 100 µs first (threads.cpp), since a wake-up costs as much
// as a small MatMul. A MatMul splits its output rows into one contiguous range per thread —
// each thread streams its own slice of W, the activations are shared read-only — as ggml does.
// Every row runs through the same tile code whatever the split, so the result is the same bits
// for any thread count (a unit test checks it). The browser's single-thread build runs everything on the caller; its
// threaded build (a cross-origin isolated page) has the same pool, of Web Workers.
#pragma once
#include <cstddef>
#include <functional>

namespace attn::kernels {

// 1 = the calling thread only; clamped to 1 … 64 (in the threaded browser build, to its
// workers + 1). Default: ATTNLAB_THREADS, else every core (std::thread::hardware_concurrency,
// the browser's navigator.hardwareConcurrency); 1 in the single-thread browser build.
void SetThreads(int n);
int Threads();

namespace detail {

// Calls fn(begin, end) for contiguous pieces of [0, n), one per thread (the calling thread
// takes the first), and returns when all are done. Pieces start at multiples of `granule`.
// Below kMinParallelWork (≈ multiply-adds) it is one call on the caller: waking threads costs
// more than a tiny matrix.
constexpr double kMinParallelWork = 1 << 18;
void ParallelRanges(size_t n, size_t granule, double work, const std::function<void(size_t, size_t)>& fn);

}  // namespace detail

// The same for the engine's own loops (attention's heads): fn(begin, end) over [0, n).
inline void ParallelFor(size_t n, double work, const std::function<void(size_t, size_t)>& fn) {
  detail::ParallelRanges(n, 1, work, fn);
}

}  // namespace attn::kernels
