// HistogramChart(): the bins of a session::Histogram as bars over a value axis with ticks,
// a count axis, and the bin under the pointer (its range and count in a tooltip). Used by
// 11.3 for values before / after LayerNorm and for the FFN's GELU outputs.
#pragma once
#include <imgui.h>

#include <cmath>

#include "session/block_stats.h"

namespace attn::ui {

struct HistogramSpec {
  const session::Histogram* histogram = nullptr;
  const char* x_label = "";     // under the value axis
  const char* y_label = "";     // above the plot, left-aligned
  ImU32 color = 0;              // 0: the accent colour
  float marker_x = NAN;         // a dashed vertical guide (e.g. 0, or the mean)
  float width = 0.0f;           // ≤ 0: the available width
  float height = 0.0f;          // whole chart; ≤ 0: 11 em
};

// Returns the bin under the pointer, -1 if none.
int HistogramChart(const char* id, const HistogramSpec& spec);

}  // namespace attn::ui
