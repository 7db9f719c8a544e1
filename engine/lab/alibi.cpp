#include "lab/alibi.h"

#include <cmath>
#include <limits>

namespace attn::lab {

static std::vector<float> PowerOfTwoSlopes(int n) {
  std::vector<float> slopes(n);
  const double start = std::pow(2.0, -8.0 / n);
  for (int h = 0; h < n; ++h) slopes[h] = static_cast<float>(std::pow(start, h + 1));
  return slopes;
}

std::vector<float> AlibiSlopes(int n_heads) {
  if (n_heads <= 0) return {};
  int p = 1;
  while (p * 2 <= n_heads) p *= 2;
  std::vector<float> slopes = PowerOfTwoSlopes(p);
  if (p == n_heads) return slopes;
  // Not a power of two: take the closest power's slopes, then every other slope of twice that.
  const std::vector<float> extra = PowerOfTwoSlopes(2 * p);
  for (int i = 0; static_cast<int>(slopes.size()) < n_heads; i += 2) slopes.push_back(extra[i]);
  return slopes;
}

std::vector<float> AlibiBias(int T, float slope) {
  std::vector<float> bias(static_cast<size_t>(T) * T);
  for (int i = 0; i < T; ++i)
    for (int j = 0; j < T; ++j)
      bias[i * T + j] = j <= i ? -slope * static_cast<float>(i - j) : -std::numeric_limits<float>::infinity();
  return bias;
}

std::vector<float> AlibiAttention(const std::vector<float>& scores, int T, float slope) {
  std::vector<float> w = AlibiBias(T, slope);
  for (int i = 0; i < T; ++i) {
    double max = -1e300, sum = 0.0;
    for (int j = 0; j <= i; ++j) {
      w[i * T + j] += scores[i * T + j];
      max = std::fmax(max, w[i * T + j]);
    }
    for (int j = 0; j < T; ++j) {
      const double e = j <= i ? std::exp(w[i * T + j] - max) : 0.0;
      w[i * T + j] = static_cast<float>(e);
      sum += e;
    }
    for (int j = 0; j <= i; ++j) w[i * T + j] = static_cast<float>(w[i * T + j] / sum);
  }
  return w;
}

}  // namespace attn::lab
