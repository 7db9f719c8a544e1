#include "app/bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
#else
#include <sys/resource.h>
#endif

#include "kernels/bench.h"
#include "kernels/kernels.h"
#include "kernels/threads.h"
#include "model/random_model.h"

namespace attn::app {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// Single-thread copy bandwidth (bytes copied per second), best of a few runs. Decoding one
// token streams every weight once, so weight bytes / this bandwidth bounds tokens/s.
double CopyBandwidth() {
  const size_t n = 64u << 20;
  std::vector<char> a(n, 1), b(n, 2);
  double best = 0.0;
  for (int run = 0; run < 5; ++run) {
    const auto t0 = Clock::now();
    std::memcpy(b.data(), a.data(), n);
    // Tell the optimizer the copy is used, or it may forward the bytes and drop the memcpy.
    asm volatile("" : : "r"(b.data()) : "memory");
    const auto t1 = Clock::now();
    best = std::max(best, n / Seconds(t0, t1));
  }
  return best;
}

double PeakMemoryMB() {
#ifdef __EMSCRIPTEN__
  return emscripten_get_heap_size() / 1048576.0;  // the wasm heap only grows: its size is the peak
#else
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // KiB on Linux
#endif
}

}  // namespace

// Threads (native, kernels/threads.h): a 128-token prefill and 16 decode steps at Q8_0, on one
// thread and on Threads(), alternating round by round so both meet the same machine (a shared
// one is noisy); the ratios are the medians of the rounds.
static void BenchThreads(const model::Config& config, bool quick) {
  const int threads = kernels::Threads(), rounds = quick ? 3 : 5, decode = 16;
  auto model = model::MakeRandomModel(config, quant::Type::Q8_0, 42);
  std::vector<int> prompt(128);
  for (size_t i = 0; i < prompt.size(); ++i) prompt[i] = static_cast<int>((i * 7919) % 50000);
  std::vector<double> prefill_ratio, decode_ratio;
  double best[2][2] = {{1e30, 1e30}, {1e30, 1e30}};  // [one, many][prefill, decode] seconds
  for (int round = 0; round < rounds; ++round) {
    double t[2][2];
    for (int k = 0; k < 2; ++k) {
      kernels::SetThreads(k == 0 ? 1 : threads);
      model::KvCache cache = model->NewCache();
      std::vector<float> logits;
      const auto t0 = Clock::now();
      if (!model->Forward(prompt, cache, {}, &logits).ok()) return;
      const auto t1 = Clock::now();
      for (int i = 0; i < decode; ++i)
        if (!model->Forward({static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin())}, cache, {}, &logits).ok())
          return;
      t[k][0] = Seconds(t0, t1);
      t[k][1] = Seconds(t1, Clock::now());
      for (int j = 0; j < 2; ++j) best[k][j] = std::min(best[k][j], t[k][j]);
    }
    prefill_ratio.push_back(t[0][0] / t[1][0]);
    decode_ratio.push_back(t[0][1] / t[1][1]);
  }
  kernels::SetThreads(threads);
  auto median = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
  std::printf("\nthreads, q8_0, 1 vs %d (%d alternating rounds; best times, median speed-up):\n"
              "  prefill of %zu tokens  %7.1f / %7.1f tok/s   %.2fx\n"
              "  decode                 %7.1f / %7.1f tok/s   %.2fx\n",
              threads, rounds, prompt.size(), prompt.size() / best[0][0], prompt.size() / best[1][0], median(prefill_ratio),
              decode / best[0][1], decode / best[1][1], median(decode_ratio));
}

int RunBench(bool quick, bool kernels_too) {
  // "The robot delivered the mail after it was fixed." in GPT-2's tokens (the 11.4 sentence).
  const std::vector<int> sentence = {464, 9379, 6793, 262, 6920, 706, 340, 373, 5969, 13};
  model::Config config = model::Gpt2SmallConfig();
  if (quick) config.n_layer = 2;
  const int decode_steps = quick ? 4 : 32;

  std::printf("Attention Lab bench — kernels: %s, GPT-2 %s shape (%d layers, %d heads, C=%d, vocab %d)\n",
              kernels::SimdName(), quick ? "(2-layer quick)" : "124M", config.n_layer, config.n_head,
              config.n_embd, config.vocab_size);
  struct Row {
    quant::Type type;
    double weight_bytes, prefill_first_ms, prefill_ms, tok_s, peak_mb;
  };
  std::vector<Row> rows;

  // q8_0 first: the peak-memory column is a high-water mark, so its figure is q8_0's own.
  for (quant::Type type : {quant::Type::Q8_0, quant::Type::Q4_0, quant::Type::F32}) {
    auto model = model::MakeRandomModel(config, type, 42);
    model::KvCache cache = model->NewCache();
    std::vector<float> logits;
    model::Trace trace;
    trace.options = {true, true, true, true};  // the full trace the 11.x panels ask for

    // The traced prefill, three times: the first run also pays for warming up (in the browser,
    // the JIT's optimizing tier arrives after a few calls), the best one is the steady state.
    double first_ms = 0.0, best_ms = 1e30;
    for (int run = 0; run < 3; ++run) {
      cache.Clear();
      const auto t0 = Clock::now();
      Status s = model->Forward(sentence, cache, {}, &logits, &trace);
      const auto t1 = Clock::now();
      if (!s.ok()) { std::fprintf(stderr, "bench: %s\n", s.error().c_str()); return 1; }
      if (run == 0) first_ms = 1e3 * Seconds(t0, t1);
      best_ms = std::min(best_ms, 1e3 * Seconds(t0, t1));
    }

    int next = sentence.back();
    const auto t2 = Clock::now();
    for (int i = 0; i < decode_steps; ++i) {
      next = static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
      Status s = model->Forward({next}, cache, {}, &logits);  // no trace: pure generation
      if (!s.ok()) { std::fprintf(stderr, "bench: %s\n", s.error().c_str()); return 1; }
    }
    const auto t3 = Clock::now();

    rows.push_back({type, static_cast<double>(model->WeightBytes()), first_ms, best_ms,
                    decode_steps / Seconds(t2, t3), PeakMemoryMB()});
  }

  // The app's generation (11.4): each new token with the full trace the figures draw. Through
  // the KV cache (one position, its trace appended: what Session::AppendToken does) against
  // re-running the whole text, the two alternating token by token on the same growing text.
  double kv_s = 0.0, rerun_s = 0.0;
  {
    auto model = model::MakeRandomModel(config, quant::Type::Q8_0, 42);
    model::KvCache cache = model->NewCache(), scratch = model->NewCache();
    model::Trace whole, step, full;
    whole.options = step.options = full.options = {true, true, true, false};
    std::vector<float> logits;
    std::vector<int> text = sentence;
    if (!model->Forward(text, cache, {}, &logits, &whole).ok()) return 1;
    for (int i = 0; i < decode_steps; ++i) {
      const int next = static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
      text.push_back(next);
      const auto t0 = Clock::now();
      if (!model->Forward({next}, cache, {}, &logits, &step).ok() || !model::AppendTrace(whole, step)) return 1;
      const auto t1 = Clock::now();
      scratch.Clear();
      std::vector<float> again;
      if (!model->Forward(text, scratch, {}, &again, &full).ok()) return 1;
      const auto t2 = Clock::now();
      kv_s += Seconds(t0, t1);
      rerun_s += Seconds(t1, t2);
    }
  }

  // Measured after the models, so the copy buffers do not count in their peak memory.
  const double bandwidth = CopyBandwidth();
  std::printf("single-thread memcpy: %.2f GB/s\n\n", bandwidth / 1e9);
  std::printf("%-6s %10s %22s %12s %14s %10s %10s\n", "type", "weights", "prefill+trace 1st/best", "decode",
              "bound", "ratio", "peak mem");
  for (const Row& r : rows) {
    const double bound = bandwidth / r.weight_bytes;
    std::printf("%-6s %8.1f MB %9.1f / %6.1f ms %8.1f tok/s %8.1f tok/s %9.2fx %7.0f MB\n", quant::TypeName(r.type),
                r.weight_bytes / 1e6, r.prefill_first_ms, r.prefill_ms, r.tok_s, bound, bound / r.tok_s, r.peak_mb);
  }
  std::printf("\nbound = memcpy bandwidth / weight bytes per token; ratio = bound / measured decode speed\n"
              "(a copy reads and writes, so decoding, which only reads, can beat it: ratio < 1).\n"
              "peak mem: the process's (native) or wasm heap's high-water mark after that model (cumulative,\n"
              "q8_0 first so its figure is its own).\n");
  std::printf("\napp generation, q8_0, full trace, %d tokens after the %zu-token sentence:\n"
              "  through the KV cache %.1f ms/token, re-running the text %.1f ms/token (%.1fx)\n",
              decode_steps, sentence.size(), 1e3 * kv_s / decode_steps, 1e3 * rerun_s / decode_steps,
              rerun_s / std::max(kv_s, 1e-12));
  if (kernels_too) std::printf("\n%s", kernels::BenchKernels().c_str());
  if (kernels::Threads() > 1) BenchThreads(config, quick);
  return 0;
}

}  // namespace attn::app
