#include "model/sampling.h"

#include <algorithm>
#include <cmath>

namespace attn::model {

std::vector<TokenProb> NextTokenDistribution(const std::vector<float>& logits, const SamplingParams& params) {
  std::vector<TokenProb> dist;
  if (logits.empty()) return dist;
  if (params.temperature <= 0.0f) {
    const auto best = std::max_element(logits.begin(), logits.end());
    dist.push_back({static_cast<int>(best - logits.begin()), 1.0f});
    return dist;
  }
  // softmax(logits / T), in double so long tails of tiny probabilities still add up.
  const float max_logit = *std::max_element(logits.begin(), logits.end());
  dist.resize(logits.size());
  double sum = 0.0;
  for (size_t i = 0; i < logits.size(); ++i) {
    const double e = std::exp(static_cast<double>(logits[i] - max_logit) / params.temperature);
    dist[i] = {static_cast<int>(i), static_cast<float>(e)};
    sum += e;
  }
  std::sort(dist.begin(), dist.end(), [](const TokenProb& a, const TokenProb& b) {
    return a.p != b.p ? a.p > b.p : a.id < b.id;  // ties by id: deterministic everywhere
  });

  size_t keep = dist.size();
  if (params.top_k > 0) keep = std::min(keep, static_cast<size_t>(params.top_k));
  if (params.top_p < 1.0f) {
    double mass = 0.0;
    for (size_t i = 0; i < keep; ++i) {
      mass += dist[i].p / sum;
      if (mass >= params.top_p) { keep = i + 1; break; }
    }
  }
  dist.resize(std::max<size_t>(keep, 1));
  double kept = 0.0;
  for (const TokenProb& t : dist) kept += t.p;
  for (TokenProb& t : dist) t.p = static_cast<float>(t.p / kept);
  return dist;
}

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Rng::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

int SampleToken(const std::vector<TokenProb>& dist, Rng& rng) {
  if (dist.empty()) return -1;
  double u = rng.Uniform();
  for (const TokenProb& t : dist) {
    u -= t.p;
    if (u < 0.0) return t.id;
  }
  return dist.back().id;  // rounding left a sliver: the last kept token
}

}  // namespace attn::model
