#include "session/block_stats.h"

#include <algorithm>
#include <cmath>

namespace attn::session {

std::vector<float> ResidualNorms(const model::Trace& t) {
  const size_t C = t.n_embd, rows = static_cast<size_t>(t.n_layer + 1) * t.count;
  if (t.count <= 0 || C == 0 || t.residual.size() < rows * C) return {};
  std::vector<float> norms(rows);
  for (size_t r = 0; r < rows; ++r) {
    const float* x = t.residual.data() + r * C;
    double s = 0.0;
    for (size_t d = 0; d < C; ++d) s += static_cast<double>(x[d]) * x[d];
    norms[r] = static_cast<float>(std::sqrt(s));
  }
  return norms;
}

Moments ComputeMoments(const float* x, size_t n) {
  Moments m;
  if (n == 0) return m;
  double sum = 0.0;
  m.min = m.max = x[0];
  for (size_t i = 0; i < n; ++i) {
    sum += x[i];
    m.min = std::min(m.min, x[i]);
    m.max = std::max(m.max, x[i]);
  }
  const double mean = sum / n;
  double var = 0.0;
  for (size_t i = 0; i < n; ++i) var += (x[i] - mean) * (x[i] - mean);
  m.mean = static_cast<float>(mean);
  m.std = static_cast<float>(std::sqrt(var / n));
  return m;
}

Histogram MakeHistogram(const float* x, size_t n, int bins, float lo, float hi) {
  Histogram h;
  h.lo = lo;
  h.hi = hi;
  h.counts.assign(std::max(bins, 1), 0);
  const int nb = static_cast<int>(h.counts.size());
  const double width = (static_cast<double>(hi) - lo) / nb;
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    if (std::isnan(v)) continue;
    if (v < lo) { ++h.below; continue; }
    if (v > hi) { ++h.above; continue; }
    const int b = width > 0 ? static_cast<int>((v - lo) / width) : 0;
    ++h.counts[std::clamp(b, 0, nb - 1)];  // v == hi falls in the last bin
  }
  return h;
}

float NearZeroFraction(const float* x, size_t n, float threshold) {
  if (n == 0) return 0.0f;
  size_t near = 0;
  for (size_t i = 0; i < n; ++i) near += std::fabs(x[i]) < threshold;
  return static_cast<float>(static_cast<double>(near) / n);
}

std::vector<float> FfnNearZero(const model::Trace& t, float threshold) {
  const size_t per_layer = static_cast<size_t>(t.count) * t.n_ff;
  std::vector<float> out;
  if (per_layer == 0 || t.mlp_act.size() < per_layer * t.n_layer) return out;
  for (int l = 0; l < t.n_layer; ++l) out.push_back(NearZeroFraction(t.mlp_act.data() + l * per_layer, per_layer, threshold));
  return out;
}

BlockParameters CountBlockParameters(const model::Config& c) {
  const uint64_t C = c.n_embd, F = c.n_ff;
  BlockParameters p;
  p.attention = 3 * C * C + 3 * C + C * C + C;
  p.ffn = C * F + F + F * C + C;
  p.layernorm = 4 * C;
  return p;
}

}  // namespace attn::session
