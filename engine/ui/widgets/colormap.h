// Colour maps that stay readable for colour-blind readers and in greyscale print.
//   Viridis(t):   perceptually uniform sequential map for weights in [0, 1] (heatmaps)
//   Categorical(i): the Okabe–Ito palette for lines, heads and series
#pragma once
#include <imgui.h>

namespace attn::ui {

ImU32 Viridis(float t, float alpha = 1.0f);
ImU32 Categorical(int i, float alpha = 1.0f);
// Blue (negative) – light grey (0) – orange (positive): signed values such as q·k scores.
ImU32 Diverging(float t, float alpha = 1.0f);  // t in [-1, 1]
// Text colour (black or white) that reads on top of `background`.
ImU32 TextOn(ImU32 background);

}  // namespace attn::ui
