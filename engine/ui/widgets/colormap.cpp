#include "ui/widgets/colormap.h"

#include <algorithm>
#include <cmath>

namespace attn::ui {

static ImU32 Lerp(const unsigned char (*stops)[3], int n, float t, float alpha) {
  t = std::clamp(std::isfinite(t) ? t : 0.0f, 0.0f, 1.0f) * (n - 1);
  const int i = std::min(static_cast<int>(t), n - 2);
  const float f = t - i;
  auto mix = [&](int c) { return static_cast<int>(stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f + 0.5f); };
  return IM_COL32(mix(0), mix(1), mix(2), static_cast<int>(std::clamp(alpha, 0.0f, 1.0f) * 255 + 0.5f));
}

ImU32 Viridis(float t, float alpha) {
  // matplotlib's viridis sampled at 0, 0.1, …, 1
  static const unsigned char kStops[][3] = {{68, 1, 84},    {72, 36, 117},  {65, 68, 135},  {53, 95, 141},
                                            {42, 120, 142}, {33, 145, 140}, {34, 168, 132}, {68, 191, 112},
                                            {122, 209, 81}, {189, 223, 38}, {253, 231, 37}};
  return Lerp(kStops, 11, t, alpha);
}

ImU32 Diverging(float t, float alpha) {
  static const unsigned char kStops[][3] = {{33, 102, 172}, {146, 197, 222}, {240, 240, 240}, {244, 165, 130}, {178, 24, 43}};
  return Lerp(kStops, 5, (t + 1.0f) * 0.5f, alpha);
}

ImU32 Categorical(int i, float alpha) {
  // Okabe & Ito (2008): orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, grey
  static const unsigned char kStops[][3] = {{230, 159, 0}, {86, 180, 233}, {0, 158, 115}, {240, 228, 66},
                                            {0, 114, 178}, {213, 94, 0},   {204, 121, 167}, {153, 153, 153}};
  const unsigned char* c = kStops[((i % 8) + 8) % 8];
  return IM_COL32(c[0], c[1], c[2], static_cast<int>(std::clamp(alpha, 0.0f, 1.0f) * 255 + 0.5f));
}

ImU32 TextOn(ImU32 background) {
  const float r = (background >> IM_COL32_R_SHIFT) & 0xFF, g = (background >> IM_COL32_G_SHIFT) & 0xFF,
              b = (background >> IM_COL32_B_SHIFT) & 0xFF;
  return 0.299f * r + 0.587f * g + 0.114f * b > 150 ? IM_COL32(20, 20, 20, 255) : IM_COL32(250, 250, 250, 255);
}

}  // namespace attn::ui
