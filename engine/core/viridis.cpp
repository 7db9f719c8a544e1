#include "core/viridis.h"

#include <algorithm>
#include <cmath>

namespace attn {

Rgb ViridisRgb(float t) {
  // matplotlib's viridis sampled at 0, 0.1, …, 1
  static const unsigned char kStops[][3] = {{68, 1, 84},    {72, 36, 117},  {65, 68, 135},  {53, 95, 141},
                                            {42, 120, 142}, {33, 145, 140}, {34, 168, 132}, {68, 191, 112},
                                            {122, 209, 81}, {189, 223, 38}, {253, 231, 37}};
  constexpr int n = 11;
  t = std::clamp(std::isfinite(t) ? t : 0.0f, 0.0f, 1.0f) * (n - 1);
  const int i = std::min(static_cast<int>(t), n - 2);
  const float f = t - i;
  auto mix = [&](int c) { return static_cast<unsigned char>(kStops[i][c] + (kStops[i + 1][c] - kStops[i][c]) * f + 0.5f); };
  return {mix(0), mix(1), mix(2)};
}

Rgb TextOn(Rgb b) {
  return 0.299f * b.r + 0.587f * b.g + 0.114f * b.b > 150 ? Rgb{20, 20, 20} : Rgb{250, 250, 250};
}

}  // namespace attn
