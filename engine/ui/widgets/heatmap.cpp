#include "ui/widgets/heatmap.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "ui/theme.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/heatmap_image.h"

namespace attn::ui {

static float LabelWidth(const std::vector<std::string>* labels) {
  float w = 0.0f;
  if (labels)
    for (const std::string& l : *labels) w = std::max(w, ImGui::CalcTextSize(l.c_str()).x);
  return w;
}

namespace {
struct Layout {
  float row_label_w = 0, col_label_h = 0, cell = 0;
  ImVec2 Size(const HeatmapSpec& s) const { return ImVec2(row_label_w + cell * s.cols, col_label_h + cell * s.rows); }
  // The cells' top-left corner on a whole pixel: cell edges then never sit on a half pixel,
  // where the screen and an off-screen render (Export PNG) could round them apart.
  ImVec2 Grid(ImVec2 o) const { return ImVec2(std::floor(o.x + row_label_w), std::floor(o.y + col_label_h)); }
};

Layout LayoutFor(const HeatmapSpec& spec, float width) {
  Layout L;
  const float em = ImGui::GetFontSize();
  L.row_label_w = LabelWidth(spec.row_labels) + 0.5f * em;
  L.col_label_h = spec.col_labels ? 2.3f * ImGui::GetTextLineHeight() : 0.0f;  // two staggered lines of labels
  L.cell = std::max(4.0f, std::min(spec.max_cell_em * em, (width - L.row_label_w) / spec.cols));
  return L;
}

// The picture: cells, outlines and labels, drawn into `dl` with its top-left corner at `o`.
void DrawPicture(ImDrawList* dl, ImGuiID image_id, const HeatmapSpec& spec, const Layout& L, ImVec2 o) {
  const float em = ImGui::GetFontSize();
  const float line_h = ImGui::GetTextLineHeight();
  const float cell = L.cell;
  const ImVec2 grid = L.Grid(o);
  const bool log = spec.log_color && spec.vmin > 0.0f;
  const float lo = log ? std::log(spec.vmin) : spec.vmin, hi = log ? std::log(std::max(spec.vmax, spec.vmin)) : spec.vmax;
  const float range = std::max(hi - lo, 1e-6f);
  auto shade = [&](float v) { return Viridis(((log ? std::log(std::max(v, spec.vmin)) : v) - lo) / range); };

  // The cells: one texture coloured by shaders/heatmap.frag when the app has the GPU renderer
  // (ui/widgets/heatmap_image.h), else one rectangle each. Either way a pixel of gap between cells.
  static std::vector<unsigned char> levels;
  levels.resize(static_cast<size_t>(spec.rows) * spec.cols);
  for (size_t i = 0; i < levels.size(); ++i) {  // non-finite cells are drawn empty on top
    const float v = spec.values[i];
    levels[i] = HeatmapLevel(std::isfinite(v) ? ((log ? std::log(std::max(v, spec.vmin)) : v) - lo) / range : 0.0f);
  }
  HeatmapImage image;
  image.id = image_id;
  image.levels = levels.data();
  image.rows = spec.rows;
  image.cols = spec.cols;
  image.gaps = true;
  const bool as_image =
      DrawHeatmapImage(dl, image, grid, ImVec2(grid.x + cell * spec.cols, grid.y + cell * spec.rows));
  if (!as_image) CountRectangleHeatmap();
  for (int r = 0; r < spec.rows; ++r)
    for (int c = 0; c < spec.cols; ++c) {
      const float v = spec.values[static_cast<size_t>(r) * spec.cols + c];
      if (as_image && std::isfinite(v)) continue;
      const ImVec2 a(grid.x + c * cell, grid.y + r * cell);
      // Non-finite (a masked score, −∞) is no colour of the scale: an empty cell. It covers the
      // whole cell, gap included: the GPU image under it holds level 0 there, and a one-pixel
      // gap that its shader rounds differently would show as a stray purple line.
      const bool empty = !std::isfinite(v);
      const ImU32 col = empty ? ImGui::GetColorU32(ImGuiCol_FrameBg) : shade(v);
      const float edge = empty ? cell : cell - 1;
      dl->AddRectFilled(a, ImVec2(a.x + edge, a.y + edge), col);
    }
  if (spec.highlight_row >= 0 && spec.highlight_row < spec.rows)
    dl->AddRect(ImVec2(grid.x - 1, grid.y + spec.highlight_row * cell - 1),
                ImVec2(grid.x + cell * spec.cols, grid.y + (spec.highlight_row + 1) * cell), GetPalette().accent, 0, 0, 2.0f);
  if (spec.highlight_col >= 0 && spec.highlight_col < spec.cols)
    dl->AddRect(ImVec2(grid.x + spec.highlight_col * cell - 1, grid.y - 1),
                ImVec2(grid.x + (spec.highlight_col + 1) * cell, grid.y + cell * spec.rows), GetPalette().accent, 0, 0, 2.0f);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  // Many tokens (a Chinese sentence in byte pieces): cells get smaller than a line of text, so
  // only every n-th label is drawn, n chosen so that labels never overlap; hovering a cell
  // still reads out its full row and column labels.
  const int row_step = std::max(1, static_cast<int>(std::ceil(line_h * 0.9f / cell)));
  if (spec.row_labels)
    for (int r = 0; r < spec.rows && r < static_cast<int>(spec.row_labels->size()); r += row_step) {
      const std::string& l = (*spec.row_labels)[r];
      dl->AddText(ImVec2(grid.x - 0.3f * em - ImGui::CalcTextSize(l.c_str()).x, grid.y + r * cell + (cell - line_h) / 2), text, l.c_str());
    }
  // Column labels stand upright over their column, on two staggered lines when crowded; a
  // label that would touch its neighbour on both lines is left out (hover reads it).
  const bool crowded = LabelWidth(spec.col_labels) > cell;
  if (spec.col_labels) {
    float line_end[2] = {-1e9f, -1e9f};
    const float gap = 0.3f * em;
    for (int c = 0; c < spec.cols && c < static_cast<int>(spec.col_labels->size()); ++c) {
      const std::string& l = (*spec.col_labels)[c];
      const float w = ImGui::CalcTextSize(l.c_str()).x;
      const float x = grid.x + c * cell + (cell - w) / 2;
      int line = -1;
      for (int k = 0; k < (crowded ? 2 : 1) && line < 0; ++k) {
        const int cand = crowded ? (c + k) % 2 : 0;  // alternate first, as before
        if (x >= line_end[cand] + gap || !crowded) line = cand;
      }
      if (line < 0) continue;
      line_end[line] = x + w;
      dl->AddText(ImVec2(x, grid.y - line_h * (line ? 2.1f : 1.1f)), text, l.c_str());
    }
  }
}
}  // namespace

float HeatmapNaturalWidth(const HeatmapSpec& spec) {
  return LabelWidth(spec.row_labels) + 0.5f * ImGui::GetFontSize() + spec.max_cell_em * ImGui::GetFontSize() * spec.cols;
}

ImVec2 DrawHeatmapPicture(ImDrawList* dl, ImVec2 origin, float width, const HeatmapSpec& spec, unsigned image_id) {
  if (!spec.values || spec.rows <= 0 || spec.cols <= 0) return ImVec2(0, 0);
  const Layout L = LayoutFor(spec, width);
  DrawPicture(dl, image_id, spec, L, origin);
  return L.Size(spec);
}

HeatmapHover Heatmap(const char* id, const HeatmapSpec& spec) {
  HeatmapHover hover;
  if (!spec.values || spec.rows <= 0 || spec.cols <= 0) return hover;
  const Layout L = LayoutFor(spec, ImGui::GetContentRegionAvail().x);
  const float cell = L.cell;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 grid = L.Grid(o);
  ImGui::InvisibleButton(id, L.Size(spec));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  DrawPicture(dl, ImGui::GetID(id), spec, L, o);
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int c = static_cast<int>(std::floor((m.x - grid.x) / cell)), r = static_cast<int>(std::floor((m.y - grid.y) / cell));
    if (r >= 0 && r < spec.rows && c >= 0 && c < spec.cols) {
      hover.row = r;
      hover.col = c;
      hover.clicked = ImGui::IsItemClicked();
      const float v = spec.values[static_cast<size_t>(r) * spec.cols + c];
      const char* rl = spec.row_labels && r < static_cast<int>(spec.row_labels->size()) ? (*spec.row_labels)[r].c_str() : "";
      const char* cl = spec.col_labels && c < static_cast<int>(spec.col_labels->size()) ? (*spec.col_labels)[c].c_str() : "";
      ImGui::SetTooltip(spec.read_out, rl, cl, v);
      dl->AddRect(ImVec2(grid.x + c * cell - 1, grid.y + r * cell - 1), ImVec2(grid.x + (c + 1) * cell, grid.y + (r + 1) * cell),
                  IM_COL32(255, 255, 255, 255), 0, 0, 2.0f);
    }
  }
  return hover;
}

}  // namespace attn::ui
