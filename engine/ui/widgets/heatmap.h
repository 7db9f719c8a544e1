// An attention matrix (or any rows × cols grid of values in [vmin, vmax]) as coloured cells
// with row and column labels and a hover read-out. Rows are queries (who attends), columns
// keys (who is attended to), as in the chapter's figures. Non-finite values (a masked −∞
// score) are drawn as empty cells, outside the colour scale. The cells are one texture coloured
// by shaders/heatmap.frag when the app installed the GPU renderer (ui/widgets/heatmap_image.h).
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

namespace attn::ui {

struct HeatmapSpec {
  const float* values = nullptr;                     // row-major rows × cols
  int rows = 0, cols = 0;
  const std::vector<std::string>* row_labels = nullptr;
  const std::vector<std::string>* col_labels = nullptr;
  float vmin = 0.0f, vmax = 1.0f;
  bool log_color = false;                            // colour by log(v) between log(vmin) and log(vmax)
                                                     // (0 < vmin; for norms spanning decades)
  int highlight_row = -1;                            // outlined (the selected token)
  int highlight_col = -1;                            // outlined column
  float max_cell_em = 1.8f;                          // cells shrink to fit, never grow past this
  const char* read_out = "%s → %s: %.3f";           // hover text: row label, col label, value
};

struct HeatmapHover {
  int row = -1, col = -1;                            // under the pointer, -1 if none
  bool clicked = false;
};

HeatmapHover Heatmap(const char* id, const HeatmapSpec& spec);

// The map as a picture, no widget: drawn into `dl` with its top-left corner at `origin`, cells
// as large as `width` allows (at most max_cell_em). Returns its size. "Export PNG" draws it
// off screen this way (ui/figure_png.h); `image_id` keys its GPU texture.
ImVec2 DrawHeatmapPicture(ImDrawList* dl, ImVec2 origin, float width, const HeatmapSpec& spec, unsigned image_id);
// The width at which every cell reaches max_cell_em: the map's natural size.
float HeatmapNaturalWidth(const HeatmapSpec& spec);

}  // namespace attn::ui
