// DenseHeatmap(): a matrix too large for one labelled cell per value — positions × dimensions
// of a positional encoding (up to 256 × 512), position × position similarities, the
// thumbnails of every attention head — drawn as an image with index ticks, an optional colour
// bar, and the exact cell under the pointer.
//
// The matrix is drawn as one texture coloured by shaders/heatmap.frag when the app installed
// the GPU renderer (ui/widgets/heatmap_image.h); mip levels average cells smaller than a pixel.
// The fallback draws rectangles, and its cost stays bounded whatever the matrix: when cells
// are smaller than a pixel, or there would be more than kDenseHeatmapMaxBlocks rectangles,
// neighbouring cells are averaged into blocks (a box filter down to the screen's resolution). Each heatmap is drawn in its own child
// window, so its rectangles have a vertex budget of their own (the web renderer uses 16-bit
// indices: 65 536 vertices per draw list). The hover read-out always names one exact cell.
//
//   DenseHeatmapSpec s;  s.values = pe.data();  s.rows = length;  s.cols = d;  s.vmin = -1;
//   const DenseHeatmapHover h = DenseHeatmap("##pe", s);
//   if (h.row >= 0) ImGui::SetTooltip("pos %d, dim %d: %.4f", h.row, h.col, h.value);
#pragma once
#include <cmath>

namespace attn::ui {

inline constexpr int kDenseHeatmapMaxBlocks = 12000;

struct DenseHeatmapSpec {
  const float* values = nullptr;   // row-major rows × cols
  int rows = 0, cols = 0;
  float vmin = 0.0f, vmax = 1.0f;  // colour range; values outside are clamped
  bool diverging = false;          // blue – grey – orange with the middle of the range grey;
                                   // else viridis (weights, norms)
  float width = 0.0f;              // whole widget in pixels (ticks and colour bar included);
                                   // ≤ 0: the available width
  float height = 0.0f;             // the grid's height; ≤ 0: square cells, at most max_height
  float max_height = 0.0f;         // 0: no limit
  bool ticks = true;               // row and column indices along the left and bottom edges
  bool color_bar = false;          // the colour scale, right of the grid
  const char* row_axis = nullptr;  // axis names: rows above the grid, columns below the ticks
  const char* col_axis = nullptr;
  int mark_row = -1, mark_col = -1;  // a selected cell, outlined (either alone: a row or column)
  bool frame = false;              // a thin border (thumbnails); accent-coloured if `selected`
  bool selected = false;
};

struct DenseHeatmapHover {
  int row = -1, col = -1;  // the cell under the pointer, -1 if none
  float value = NAN;       // its exact value
  bool clicked = false;
};

// Draws the heatmap as one item (Hotspot() and IsItemHovered() apply to it afterwards); the
// caller shows the read-out, e.g. with ImGui::SetTooltip, when hover.row ≥ 0.
DenseHeatmapHover DenseHeatmap(const char* id, const DenseHeatmapSpec& spec);

// The widget's total height for a spec (to lay out figures side by side).
float DenseHeatmapHeight(const DenseHeatmapSpec& spec, float width);

}  // namespace attn::ui
