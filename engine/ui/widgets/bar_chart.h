// A bar per token: the scores q·k, the scaled scores, the softmax weights (11.2 step by step),
// top-k next-token probabilities (11.4). Negative values hang below the zero line.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

namespace attn::ui {

struct BarChartSpec {
  const std::vector<std::string>* labels = nullptr;  // under the bars
  const std::vector<float>* values = nullptr;
  const std::vector<bool>* dimmed = nullptr;         // greyed, drawn as "–" (e.g. masked)
  float vmin = 0.0f, vmax = 1.0f;                    // value range of the axis (0 is drawn)
  const char* format = "%.2f";                       // the number over each bar
  ImU32 color = 0;                                   // 0: the accent colour
  int highlight = -1;                                // one bar drawn stronger
  float height_em = 7.0f;
};

// Returns the bar under the pointer (-1 none). Width: the content region.
int BarChart(const char* id, const BarChartSpec& spec);

}  // namespace attn::ui
