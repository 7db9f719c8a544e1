#include "ui/widgets/dense_heatmap.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ui/chart/axis.h"
#include "ui/theme.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/heatmap_image.h"

namespace attn::ui {

namespace {

constexpr float kMinBlockPx = 1.0f;  // cells smaller than a pixel are averaged into blocks

struct Layout {
  float left = 0, right = 0, top = 0, bottom = 0;  // room for ticks, axis names, colour bar
  float grid_w = 0, grid_h = 0;
};

std::string Label(int v) { return std::to_string(v); }

Layout ComputeLayout(const DenseHeatmapSpec& s, float width) {
  const float em = ImGui::GetFontSize(), line_h = ImGui::GetTextLineHeight();
  Layout l;
  if (s.ticks) {
    l.left = ImGui::CalcTextSize(Label(std::max(s.rows - 1, 0)).c_str()).x + 0.4f * em;
    l.bottom = line_h + 0.2f * em;
  }
  if (s.col_axis) l.bottom += line_h;
  if (s.row_axis) l.top = line_h + 0.2f * em;
  if (s.color_bar) {
    float w = 0.0f;
    for (float v : {s.vmin, s.vmax, 0.5f * (s.vmin + s.vmax)})
      w = std::max(w, ImGui::CalcTextSize(chart::FormatValue(v).c_str()).x);
    l.right = 0.6f * em + 0.8f * em + 0.3f * em + w;
  }
  if (s.ticks) l.right = std::max(l.right, 0.6f * em);  // the last column tick's label
  if (s.frame) {  // room for the frame inside the child window, which clips what lies outside
    l.left += 3.0f;
    l.right += 3.0f;
    l.top += 3.0f;
    l.bottom += 3.0f;
  }
  l.grid_w = std::max(width - l.left - l.right, 8.0f);
  l.grid_h = s.height > 0.0f ? s.height : l.grid_w * s.rows / std::max(s.cols, 1);
  if (s.height <= 0.0f && s.max_height > 0.0f) l.grid_h = std::min(l.grid_h, s.max_height);
  l.grid_h = std::max(l.grid_h, 8.0f);
  return l;
}

ImU32 Color(const DenseHeatmapSpec& s, float v) {
  const float range = std::max(s.vmax - s.vmin, 1e-12f);
  const float t = (v - s.vmin) / range;  // 0 … 1
  return s.diverging ? Diverging(2.0f * t - 1.0f) : Viridis(t);
}

// Cells per block along each axis: blocks of at least kMinBlockPx, and no more than
// kDenseHeatmapMaxBlocks of them (the blocks' shape on screen stays near square).
void BlockSize(int rows, int cols, float cell_w, float cell_h, int* by, int* bx) {
  *bx = std::max(1, static_cast<int>(std::ceil(kMinBlockPx / cell_w - 1e-4f)));
  *by = std::max(1, static_cast<int>(std::ceil(kMinBlockPx / cell_h - 1e-4f)));
  for (;;) {
    const long blocks = static_cast<long>((rows + *by - 1) / *by) * ((cols + *bx - 1) / *bx);
    if (blocks <= kDenseHeatmapMaxBlocks) return;
    if (*bx * cell_w <= *by * cell_h) ++*bx;  // grow the side that is smaller on screen
    else ++*by;
  }
}

// The fast path: the matrix as one texture coloured by shaders/heatmap.frag (ui/widgets/
// heatmap_image.h). Each cell becomes a level, its place in the colour range in 1/255 steps.
bool DrawAsImage(ImDrawList* dl, const DenseHeatmapSpec& s, bool gaps, ImVec2 min, ImVec2 max) {
  static std::vector<unsigned char> levels;  // reused: no allocation per frame
  levels.resize(static_cast<size_t>(s.rows) * s.cols);
  const float range = std::max(s.vmax - s.vmin, 1e-12f);
  for (size_t i = 0; i < levels.size(); ++i) levels[i] = HeatmapLevel((s.values[i] - s.vmin) / range);
  HeatmapImage image;
  image.id = ImGui::GetID("##levels");
  image.levels = levels.data();
  image.rows = s.rows;
  image.cols = s.cols;
  image.diverging = s.diverging;
  image.gaps = gaps;
  return DrawHeatmapImage(dl, image, min, max);
}

// The fallback: one rectangle per block of by × bx cells, coloured by the block's mean.
void DrawAsRectangles(ImDrawList* dl, const DenseHeatmapSpec& s, ImVec2 grid, float cell_w, float cell_h, int by,
                      int bx, float gap) {
  CountRectangleHeatmap();
  for (int r0 = 0; r0 < s.rows; r0 += by) {
    const int r1 = std::min(r0 + by, s.rows);
    for (int c0 = 0; c0 < s.cols; c0 += bx) {
      const int c1 = std::min(c0 + bx, s.cols);
      double sum = 0.0;  // the block's mean (one cell when blocks are single cells)
      for (int r = r0; r < r1; ++r)
        for (int c = c0; c < c1; ++c) sum += s.values[static_cast<size_t>(r) * s.cols + c];
      const float mean = static_cast<float>(sum / ((r1 - r0) * (c1 - c0)));
      dl->AddRectFilled(ImVec2(grid.x + c0 * cell_w, grid.y + r0 * cell_h),
                        ImVec2(grid.x + c1 * cell_w - gap, grid.y + r1 * cell_h - gap), Color(s, mean));
    }
  }
}

void DrawColorBar(ImDrawList* dl, const DenseHeatmapSpec& s, ImVec2 top_left, float height) {
  const float em = ImGui::GetFontSize(), line_h = ImGui::GetTextLineHeight();
  const float w = 0.8f * em;
  const int steps = 48;
  for (int i = 0; i < steps; ++i) {
    const float v = s.vmax - (s.vmax - s.vmin) * (i + 0.5f) / steps;
    dl->AddRectFilled(ImVec2(top_left.x, top_left.y + height * i / steps),
                      ImVec2(top_left.x + w, top_left.y + height * (i + 1) / steps + 0.5f), Color(s, v));
  }
  dl->AddRect(top_left, ImVec2(top_left.x + w, top_left.y + height), ImGui::GetColorU32(ImGuiCol_Border));
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const float x = top_left.x + w + 0.3f * em;
  dl->AddText(ImVec2(x, top_left.y), text, chart::FormatValue(s.vmax).c_str());
  if (height > 3.0f * line_h)
    dl->AddText(ImVec2(x, top_left.y + (height - line_h) / 2), text, chart::FormatValue(0.5f * (s.vmin + s.vmax)).c_str());
  dl->AddText(ImVec2(x, top_left.y + height - line_h), text, chart::FormatValue(s.vmin).c_str());
}

}  // namespace

float DenseHeatmapHeight(const DenseHeatmapSpec& spec, float width) {
  const Layout l = ComputeLayout(spec, width);
  return l.top + l.grid_h + l.bottom;
}

DenseHeatmapHover DenseHeatmap(const char* id, const DenseHeatmapSpec& s) {
  DenseHeatmapHover hover;
  const float width = s.width > 0.0f ? s.width : ImGui::GetContentRegionAvail().x;
  const Layout l = ComputeLayout(s, width);
  const ImVec2 size(width, l.top + l.grid_h + l.bottom);
  // Its own child window: its own draw list and vertex budget (see the header).
  ImGui::BeginChild(id, size, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##cells", size);
  const bool item_hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 grid(o.x + l.left, o.y + l.top);
  const float em = ImGui::GetFontSize(), line_h = ImGui::GetTextLineHeight();
  const ImU32 muted = GetPalette().muted_text;

  if (s.values && s.rows > 0 && s.cols > 0) {
    const float cell_w = l.grid_w / s.cols, cell_h = l.grid_h / s.rows;
    int by = 1, bx = 1;
    BlockSize(s.rows, s.cols, cell_w, cell_h, &by, &bx);
    const float gap = (bx == 1 && by == 1 && cell_w >= 8.0f && cell_h >= 8.0f) ? 1.0f : 0.0f;
    const ImVec2 grid_max(grid.x + l.grid_w, grid.y + l.grid_h);
    if (!DrawAsImage(dl, s, gap > 0.0f, grid, grid_max)) DrawAsRectangles(dl, s, grid, cell_w, cell_h, by, bx, gap);
    if (s.frame) {
      const float t = s.selected ? 3.0f : 1.0f, o = t / 2 + 0.5f;
      dl->AddRect(ImVec2(grid.x - o, grid.y - o), ImVec2(grid_max.x + o, grid_max.y + o),
                  s.selected ? GetPalette().accent : ImGui::GetColorU32(ImGuiCol_Border), 0.0f, 0, t);
    }

    // The selected cell (or row / column), at least a few pixels wide so it stays visible.
    if (s.mark_row >= 0 || s.mark_col >= 0) {
      const float min_px = 5.0f;
      float x0 = grid.x, x1 = grid_max.x, y0 = grid.y, y1 = grid_max.y;
      if (s.mark_col >= 0 && s.mark_col < s.cols) {
        const float cx = grid.x + (s.mark_col + 0.5f) * cell_w, hw = std::max(cell_w, min_px) / 2;
        x0 = cx - hw;
        x1 = cx + hw;
      }
      if (s.mark_row >= 0 && s.mark_row < s.rows) {
        const float cy = grid.y + (s.mark_row + 0.5f) * cell_h, hh = std::max(cell_h, min_px) / 2;
        y0 = cy - hh;
        y1 = cy + hh;
      }
      dl->AddRect(ImVec2(x0 - 1, y0 - 1), ImVec2(x1 + 1, y1 + 1), GetPalette().accent, 0.0f, 0, 2.0f);
    }

    if (s.ticks) {
      const int max_rows = std::max(2, static_cast<int>(l.grid_h / (1.8f * line_h)) + 1);
      for (const chart::Tick& t : chart::LinearTicks(0, s.rows - 1, max_rows, 1.0)) {
        const float y = grid.y + (static_cast<float>(t.value) + 0.5f) * cell_h;
        const float w = ImGui::CalcTextSize(t.text.c_str()).x;
        dl->AddText(ImVec2(grid.x - 0.3f * em - w, y - line_h / 2), muted, t.text.c_str());
      }
      const float widest = ImGui::CalcTextSize(Label(s.cols - 1).c_str()).x;
      const int max_cols = std::max(2, static_cast<int>(l.grid_w / (widest + 1.5f * em)) + 1);
      for (const chart::Tick& t : chart::LinearTicks(0, s.cols - 1, max_cols, 1.0)) {
        const float x = grid.x + (static_cast<float>(t.value) + 0.5f) * cell_w;
        const float w = ImGui::CalcTextSize(t.text.c_str()).x;
        dl->AddText(ImVec2(x - w / 2, grid_max.y + 0.15f * em), muted, t.text.c_str());
      }
    }
    if (s.row_axis) dl->AddText(ImVec2(o.x, o.y), muted, s.row_axis);
    if (s.col_axis) {
      const float w = ImGui::CalcTextSize(s.col_axis).x;
      dl->AddText(ImVec2(grid.x + std::max(0.0f, (l.grid_w - w) / 2), o.y + size.y - line_h), muted, s.col_axis);
    }
    if (s.color_bar) DrawColorBar(dl, s, ImVec2(grid_max.x + 0.6f * em, grid.y), l.grid_h);

    if (item_hovered) {
      const ImVec2 m = ImGui::GetIO().MousePos;
      const int c = static_cast<int>(std::floor((m.x - grid.x) / cell_w));
      const int r = static_cast<int>(std::floor((m.y - grid.y) / cell_h));
      if (r >= 0 && r < s.rows && c >= 0 && c < s.cols) {
        hover.row = r;
        hover.col = c;
        hover.value = s.values[static_cast<size_t>(r) * s.cols + c];
        hover.clicked = clicked;
        const float px = std::max(cell_w, 3.0f), py = std::max(cell_h, 3.0f);
        const float cx = grid.x + (c + 0.5f) * cell_w, cy = grid.y + (r + 0.5f) * cell_h;
        dl->AddRect(ImVec2(cx - px / 2 - 1, cy - py / 2 - 1), ImVec2(cx + px / 2 + 1, cy + py / 2 + 1),
                    ImGui::GetColorU32(ImGuiCol_Text), 0.0f, 0, 1.5f);
      }
    }
  }
  ImGui::EndChild();
  return hover;
}

}  // namespace attn::ui
