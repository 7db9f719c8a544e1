// 11.3 架构师视角 · ALiBi: no position vectors at all; each head adds a bias that falls with
// distance to its scores (lab/alibi.h):
//
//   score(i, j) = q_i·k_j / √d − slope_h · (i − j),   slopes 2^(−8/H), 2^(−16/H), …
//
// Shown on a toy sentence of 10 positions whose q·k are all 0, so what is left is the bias.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "lab/alibi.h"
#include "ui/panels/architect_parts.h"
#include "ui/text/format.h"
#include "ui/theme.h"
#include "ui/widgets/heatmap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

namespace {
constexpr int kAlibiT = 10;  // a toy sentence of 10 positions
struct AlibiState {
  int heads = 8, head = 0;
  bool filled = false;
};
AlibiState alibi;
}  // namespace

static void DrawAlibi(session::Session&) {
  Paragraph(Tr(Str::AlibiIntro));
  ImGui::Spacing();
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(IdLabel(Str::AlibiHeads, "alibi-heads").c_str(), &alibi.heads, 1, 32);
  Hotspot("alibi_heads");
  alibi.head = std::clamp(alibi.head, 0, alibi.heads - 1);
  Flow(LabeledWidth(Str::AlibiHead));
  ImGui::SetNextItemWidth(SliderWidth());
  IndexSlider(IdLabel(Str::AlibiHead, "alibi-head").c_str(), &alibi.head, alibi.heads);
  Hotspot("alibi_head");

  const std::vector<float> slopes = lab::AlibiSlopes(alibi.heads);
  std::string list = Tr(Str::AlibiSlopesLabel);
  char buf[48];
  for (int h = 0; h < alibi.heads; ++h) {
    std::snprintf(buf, sizeof buf, h == alibi.head ? " [%.4g]" : " %.4g", slopes[h]);
    list += buf;
  }
  Paragraph(list, GetPalette().muted_text);

  const float slope = slopes[alibi.head];
  const std::vector<float> bias = lab::AlibiBias(kAlibiT, slope);
  const std::vector<float> attention = lab::AlibiAttention(std::vector<float>(kAlibiT * kAlibiT, 0.0f), kAlibiT, slope);
  std::vector<std::string> positions;
  for (int i = 0; i < kAlibiT; ++i) positions.push_back(std::to_string(i));
  Columns("alibi-maps", 2, 14, [&](int i) {
    char title[128];
    std::snprintf(title, sizeof title, "%s", Tr(Str::AlibiAttnTitle));
    if (i == 0) std::snprintf(title, sizeof title, Tr(Str::AlibiBiasTitle), slope);
    Paragraph(title);
  }, [&](int i) {
    HeatmapSpec spec;
    spec.values = i == 0 ? bias.data() : attention.data();
    spec.rows = spec.cols = kAlibiT;
    spec.row_labels = spec.col_labels = &positions;
    spec.vmin = i == 0 ? -slope * (kAlibiT - 1) : 0.0f;  // the bias: 0 on the diagonal, falling with distance
    spec.vmax = i == 0 ? 0.0f : 1.0f;
    spec.max_cell_em = 1.6f;
    Heatmap(i == 0 ? "alibi-bias" : "alibi-attention", spec);
    Hotspot(i == 0 ? "alibi_bias" : "alibi_attention");
  });
  Paragraph(Tr(Str::AlibiRowsCols), GetPalette().muted_text);
  ImGui::Spacing();
  Paragraph(Tr(Str::AlibiWhy));
}

static std::string AlibiJson(session::Session&) {
  return "\"alibi\":{\"heads\":" + std::to_string(alibi.heads) + ",\"head\":" + std::to_string(alibi.head) +
         ",\"T\":" + std::to_string(kAlibiT) + ",\"slopes\":" + JsonFloats(lab::AlibiSlopes(alibi.heads)) + "}";
}

// The heads default to the loaded model's (once: a student's choice is not undone by a reload).
static void ModelLoaded(const model::Config& c) {
  if (!alibi.filled) alibi.heads = std::clamp(c.n_head, 1, 32);
  alibi.filled = true;
}

// alibi.heads, alibi.head.
static void ReadAlibiOptions(AppState& app) {
  TakeIntOption(app, "alibi.heads", &alibi.heads);
  TakeIntOption(app, "alibi.head", &alibi.head);
  alibi.heads = std::clamp(alibi.heads, 1, 32);
}

extern const ArchitectFigure kArchitectAlibi = {"alibi", Str::ArchViewAlibi, DrawAlibi, ReadAlibiOptions, ModelLoaded,
                                                AlibiJson};

}  // namespace attn::ui
