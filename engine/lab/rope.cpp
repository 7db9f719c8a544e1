#include "lab/rope.h"

#include <cmath>

namespace attn::lab {

void ApplyRope(float* x, int d, float pos, float base) {
  for (int i = 0; i < d / 2; ++i) {
    const double theta = std::pow(static_cast<double>(base), -2.0 * i / d);
    const double angle = pos * theta;
    const double c = std::cos(angle), s = std::sin(angle);
    const double a = x[2 * i], b = x[2 * i + 1];
    x[2 * i] = static_cast<float>(a * c - b * s);  // the 2-D rotation of (a, b) by `angle`
    x[2 * i + 1] = static_cast<float>(a * s + b * c);
  }
}

float RopeScore(const std::vector<float>& q, const std::vector<float>& k, float m, float n, float base) {
  std::vector<float> qr = q, kr = k;
  ApplyRope(qr.data(), static_cast<int>(qr.size()), m, base);
  ApplyRope(kr.data(), static_cast<int>(kr.size()), n, base);
  double dot = 0.0;
  for (size_t i = 0; i < qr.size() && i < kr.size(); ++i) dot += static_cast<double>(qr[i]) * kr[i];
  return static_cast<float>(dot);
}

}  // namespace attn::lab
