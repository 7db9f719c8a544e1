// A micro-benchmark of the MatMul kernels for `attnlab-cli bench`: how close each weight
// format gets to the machine's memory bandwidth. Single-threaded, like the kernels.
#pragma once
#include <cstddef>
#include <string>

namespace attn::kernels {

struct BenchOptions {
  size_t rows = 3072;              // outputs (GPT-2 small's MLP up-projection: 768 -> 3072)
  size_t cols = 768;               // inputs, a multiple of 32
  int repeats = 5;                 // each figure is the best of this many timed runs
  size_t working_set = 64u << 20;  // bytes of weights cycled through per run (see bench.cpp)
  size_t copy_bytes = 64u << 20;   // buffer size for the memcpy bandwidth reference
  bool scalar = true;              // also time the scalar kernels (T = 1) for the speed-up
};

// Runs the benchmark and returns a plain-text table (one line per weight format).
std::string BenchKernels(const BenchOptions& options = {});

}  // namespace attn::kernels
