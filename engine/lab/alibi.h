// ALiBi — Attention with Linear Biases (Press et al., 2022), the 11.3 architect's view.
//
// No position embeddings at all: each head h adds −slope_h · (i − j) to the score of query i
// for key j, so far-away keys are penalised linearly, each head with its own reach. Slopes are
// the geometric sequence 2^(−8/n), 2^(−16/n), … for n heads (n a power of two; otherwise the
// paper interleaves two sequences).
#pragma once
#include <vector>

namespace attn::lab {

std::vector<float> AlibiSlopes(int n_heads);

// (T × T) bias for one head: −slope · (i − j) for j ≤ i, −∞ above the diagonal (causal).
std::vector<float> AlibiBias(int T, float slope);

// softmax(scores + bias) row by row: the attention pattern ALiBi gives to a toy score matrix.
std::vector<float> AlibiAttention(const std::vector<float>& scores, int T, float slope);

}  // namespace attn::lab
