// Our side of the comparison: the project's engine library (build/native or build/web
// libattnlab_engine.a) driven exactly as llama.cpp is driven on the other side — the prompt ids
// in one batched Forward, the greedy token taken from its logits (that is the prefill), then
// one-token Forwards through the KV cache (the decode). Nothing else is timed.
//
//   ours bench  MODEL.gguf IDS_FILE [--gen 128] [--runs 3]   one JSON line (times in ms)
//   ours logits MODEL.gguf IDS_FILE OUT.f32                  next-token logits, raw float32
//
// Natively the thread count is the engine's own: ATTNLAB_THREADS=N (default every core).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "kernels/threads.h"
#include "model/load_gguf.h"

namespace {

using Clock = std::chrono::steady_clock;
double Ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

int Flag(int argc, char** argv, const char* name, int fallback) {
  for (int i = 0; i + 1 < argc; ++i)
    if (!std::strcmp(argv[i], name)) return std::atoi(argv[i + 1]);
  return fallback;
}

int Greedy(const std::vector<float>& logits) {
  return static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

void PrintList(const char* name, const std::vector<double>& v) {
  std::printf(",\"%s\":[", name);
  for (size_t i = 0; i < v.size(); ++i) std::printf(i ? ",%.3f" : "%.3f", v[i]);
  std::printf("]");
}

int Fail(const std::string& why) {
  std::fprintf(stderr, "ours: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return Fail("usage: ours bench|logits MODEL.gguf IDS_FILE [OUT.f32] [--gen N] [--runs N]");
  const std::string mode = argv[1];
  std::vector<int> ids;
  std::ifstream ids_file(argv[3]);
  for (int id; ids_file >> id;) ids.push_back(id);
  if (ids.empty()) return Fail(std::string("no token ids in ") + argv[3]);

  const auto t0 = Clock::now();
  auto loaded = attn::model::LoadGpt2File(argv[2]);
  const double load_ms = Ms(t0, Clock::now());
  if (!loaded.ok()) return Fail(loaded.error());
  const attn::model::Model& model = *loaded->model;
  std::vector<float> logits;

  if (mode == "logits") {
    if (argc < 5) return Fail("logits needs OUT.f32");
    attn::model::KvCache cache = model.NewCache();
    if (auto s = model.Forward(ids, cache, {}, &logits); !s.ok()) return Fail(s.error());
    std::ofstream(argv[4], std::ios::binary).write(reinterpret_cast<const char*>(logits.data()), logits.size() * sizeof(float));
    return 0;
  }
  if (mode != "bench") return Fail("unknown mode " + mode);

  // One untimed warm-up run (page faults of the mapped file, the thread pool starting), then
  // `runs` timed ones; the caller takes their median.
  const int gen = Flag(argc, argv, "--gen", 128), runs = std::max(1, Flag(argc, argv, "--runs", 3));
  std::vector<double> prefill, decode;
  std::vector<int> first;
  // One KV cache for every run, emptied between them (its memory kept), as llama.mjs keeps one
  // context and clears its history: a fresh cache per run paid its allocation and page faults
  // inside the prefill (11 % of a 64-token prefill's samples in perf, on this VM).
  attn::model::KvCache cache = model.NewCache();
  for (int r = 0; r <= runs; ++r) {
    cache.Clear();
    const auto a = Clock::now();
    if (auto s = model.Forward(ids, cache, {}, &logits); !s.ok()) return Fail(s.error());
    int next = Greedy(logits);
    const auto b = Clock::now();
    for (int k = 0; k < gen; ++k) {
      if (r == 0 && first.size() < 8) first.push_back(next);
      if (auto s = model.Forward({next}, cache, {}, &logits); !s.ok()) return Fail(s.error());
      next = Greedy(logits);
    }
    const auto c = Clock::now();
    if (r > 0) {
      prefill.push_back(Ms(a, b));
      decode.push_back(Ms(b, c));
    }
  }
  std::printf("{\"engine\":\"attnlab\",\"weights\":\"%s\",\"threads\":%d,\"prompt_n\":%zu,\"gen_n\":%d,\"load_ms\":%.1f",
              loaded->weight_type.c_str(), attn::kernels::Threads(), ids.size(), gen, load_ms);
  PrintList("prefill_ms", prefill);
  PrintList("decode_ms", decode);
  std::printf(",\"first_tokens\":[");
  for (size_t i = 0; i < first.size(); ++i) std::printf(i ? ",%d" : "%d", first[i]);
  std::printf("]}\n");
  return 0;
}
