// The training lab's random numbers: SplitMix64 (Steele, Lea, Flood 2014), and the few
// distributions it needs built from its raw bits with integer and float arithmetic only.
// std::uniform_*_distribution and std::normal_distribution are implementation-defined, so
// libstdc++ (native) and Emscripten's libc++ (web) would draw different weights and batches.
#pragma once
#include <cstdint>

namespace attn::train {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (multiply-shift: a bias below 2^-32, irrelevant here).
  int Below(int n) { return static_cast<int>(((Next() >> 32) * static_cast<uint64_t>(n)) >> 32); }
  // Uniform in [lo, hi] inclusive.
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  // Uniform in [0, 1) with 24 random bits: exact in float32, identical everywhere.
  float Unit() { return static_cast<float>(Next() >> 40) * (1.0f / 16777216.0f); }
  // Uniform in [−a, a).
  float Symmetric(float a) { return (2.0f * Unit() - 1.0f) * a; }

 private:
  uint64_t state_;
};

}  // namespace attn::train
