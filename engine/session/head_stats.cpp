#include "session/head_stats.h"

#include <cmath>

namespace attn::session {

float RowEntropy(const float* w, int n) {
  double h = 0.0;
  for (int j = 0; j < n; ++j)
    if (w[j] > 0.0f) h -= static_cast<double>(w[j]) * std::log(static_cast<double>(w[j]));
  return static_cast<float>(h);
}

HeadStats ComputeHeadStats(const float* w, int rows, int cols, int first) {
  HeadStats s;
  if (rows <= 0 || cols <= 0) return s;
  double entropy = 0.0, prev = 0.0, sink = 0.0;
  int scored = 0;  // query rows at position ≥ 1
  for (int r = 0; r < rows; ++r) {
    const float* row = w + static_cast<size_t>(r) * cols;
    entropy += RowEntropy(row, cols);
    const int p = first + r;  // the query's position
    if (p < 1 || p - 1 >= cols) continue;
    prev += row[p - 1];       // weight on the token just before
    sink += row[0];           // weight on the very first token
    ++scored;
  }
  s.entropy = static_cast<float>(entropy / rows);
  if (scored > 0) {
    s.prev_token = static_cast<float>(prev / scored);
    s.first_token = static_cast<float>(sink / scored);
  }
  return s;
}

std::vector<HeadStats> LayerHeadStats(const model::Trace& t, int layer) {
  std::vector<HeadStats> out;
  if (layer < 0 || layer >= t.n_layer || t.count <= 0) return out;
  const int cols = t.first + t.count;
  for (int h = 0; h < t.n_head; ++h) {
    const float* w = t.HeadWeights(layer, h);
    HeadStats s = ComputeHeadStats(w, t.count, cols, t.first);
    s.layer = layer;
    s.head = h;
    out.push_back(s);
  }
  return out;
}

std::vector<HeadStats> AllHeadStats(const model::Trace& t) {
  std::vector<HeadStats> out;
  for (int l = 0; l < t.n_layer; ++l) {
    std::vector<HeadStats> layer = LayerHeadStats(t, l);
    out.insert(out.end(), layer.begin(), layer.end());
  }
  return out;
}

}  // namespace attn::session

namespace attn::session {

float InductionScore(const float* w, int rows, int cols, const int* repeat_of, int first) {
  double sum = 0.0;
  int scored = 0;
  for (int r = 0; r < rows; ++r) {
    const int j = repeat_of[first + r];
    if (j < 0 || j + 1 >= cols) continue;
    sum += w[static_cast<size_t>(r) * cols + j + 1];
    ++scored;
  }
  return scored ? static_cast<float>(sum / scored) : 0.0f;
}

}  // namespace attn::session
