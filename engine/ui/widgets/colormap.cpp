#include "ui/widgets/colormap.h"

#include <algorithm>
#include <cmath>

#include "core/viridis.h"

namespace attn::ui {

static ImU32 Lerp(const unsigned char (*stops)[3], int n, float t, float alpha) {
  t = std::clamp(std::isfinite(t) ? t : 0.0f, 0.0f, 1.0f) * (n - 1);
  const int i = std::min(static_cast<int>(t), n - 2);
  const float f = t - i;
  auto mix = [&](int c) { return static_cast<int>(stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f + 0.5f); };
  return IM_COL32(mix(0), mix(1), mix(2), static_cast<int>(std::clamp(alpha, 0.0f, 1.0f) * 255 + 0.5f));
}

ImU32 Viridis(float t, float alpha) {
  const Rgb c = ViridisRgb(t);
  return IM_COL32(c.r, c.g, c.b, static_cast<int>(std::clamp(alpha, 0.0f, 1.0f) * 255 + 0.5f));
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
  const Rgb b{static_cast<unsigned char>((background >> IM_COL32_R_SHIFT) & 0xFF),
              static_cast<unsigned char>((background >> IM_COL32_G_SHIFT) & 0xFF),
              static_cast<unsigned char>((background >> IM_COL32_B_SHIFT) & 0xFF)};
  const Rgb t = attn::TextOn(b);
  return IM_COL32(t.r, t.g, t.b, 255);
}

}  // namespace attn::ui
