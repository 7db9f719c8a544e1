// What 11.3's "FFN · residual · LayerNorm" figures show, computed from a Trace (no ImGui):
//
//   ResidualNorms     ‖x‖ of the residual stream of every token, into every block and after
//                     the last: the "highway" each block only adds to.
//   Moments           mean, standard deviation, min, max of a vector (before / after LayerNorm).
//   MakeHistogram     counts in equal bins, for the value distributions.
//   NearZeroFraction  the share of values with |x| < threshold: how sparse the GELU outputs of
//                     the feed-forward network are.
//   BlockParameters   where a block's weights live (the FFN holds about two thirds of them).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/gpt2.h"

namespace attn::session {

// norms[l * count + i] = ‖residual[l][i]‖₂ for l = 0 .. n_layer (l = n_layer: after the last
// block), i = 0 .. count−1. Empty if the trace has no residual stream.
std::vector<float> ResidualNorms(const model::Trace& t);

struct Moments {
  float mean = 0.0f, std = 0.0f;  // population standard deviation (÷ n, as LayerNorm uses)
  float min = 0.0f, max = 0.0f;
};
Moments ComputeMoments(const float* x, size_t n);

struct Histogram {
  float lo = 0.0f, hi = 1.0f;   // bin b covers [lo + b·w, lo + (b+1)·w), the last one includes hi
  std::vector<int> counts;
  int below = 0, above = 0;     // values outside [lo, hi] (not in any bin); NaN is skipped
  float BinWidth() const { return counts.empty() ? 0.0f : (hi - lo) / counts.size(); }
};
// `bins` ≥ 1 equal bins over [lo, hi] (hi > lo).
Histogram MakeHistogram(const float* x, size_t n, int bins, float lo, float hi);

// Fraction of the n values with |x| < threshold (0 for n = 0).
float NearZeroFraction(const float* x, size_t n, float threshold);

// NearZeroFraction of the MLP activations (after GELU) of every layer, over all tokens.
std::vector<float> FfnNearZero(const model::Trace& t, float threshold);

// Weights and biases of one block of a GPT-2 with this shape.
struct BlockParameters {
  uint64_t attention = 0;   // W_qkv, b_qkv, W_o, b_o:        4C² + 4C
  uint64_t ffn = 0;         // W_up, b_up, W_down, b_down:   2·C·n_ff + n_ff + C
  uint64_t layernorm = 0;   // two LayerNorms' gain and bias: 4C
  uint64_t Total() const { return attention + ffn + layernorm; }
};
BlockParameters CountBlockParameters(const model::Config& c);

}  // namespace attn::session
