// 11.4 可视化注意力, the evidence figure: does "it" look at "robot" or at "mail"? One cell per
// layer and head, coloured by w(row → A) − w(row → B), and how many heads lean each way — in
// the loaded model and in its untrained twin (what training added).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/fonts.h"
#include "ui/panels/visualize_parts.h"
#include "ui/theme.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] Evidence
//-----------------------------------------------------------------------------

PairTable AttentionPairs(const model::Trace& t, const VisualizeState& v) {
  PairTable out(t.n_layer, std::vector<std::pair<float, float>>(t.n_head));
  for (int l = 0; l < t.n_layer; ++l)
    for (int h = 0; h < t.n_head; ++h)
      out[l][h] = {t.Attention(l, h, v.row.index, v.a.index), t.Attention(l, h, v.row.index, v.b.index)};
  return out;
}

constexpr float kComboEm = 9.0f;  // width of the token combos

static void TokenCombo(const char* id, const char* hotspot, TokenRef& r, const std::vector<session::TokenLabel>& labels) {
  char preview[160];
  std::snprintf(preview, sizeof preview, "%d: %s", r.index, labels[r.index].text.c_str());
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * kComboEm);
  if (ImGui::BeginCombo(id, preview)) {
    for (int i = 0; i < static_cast<int>(labels.size()); ++i) {
      char item[160];
      std::snprintf(item, sizeof item, "%d: %s", i, labels[i].text.c_str());
      ImGui::PushID(i);
      if (ImGui::Selectable(item, i == r.index)) PickToken(r, labels, i);
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  Hotspot(hotspot);
}

// Layers × heads, each cell coloured by w(row→A) − w(row→B); both values on hover; a click
// opens that head in the map above.
static void PairGrid(VisualizeState& v, const PairTable& pairs, const std::string& name_a, const std::string& name_b) {
  const int L = static_cast<int>(pairs.size()), H = L ? static_cast<int>(pairs[0].size()) : 0;
  if (!L || !H) return;
  const float em = ImGui::GetFontSize(), line_h = ImGui::GetTextLineHeight();
  char buf[256];
  float label_w = 0.0f;
  for (int l = 0; l < L; ++l) {
    std::snprintf(buf, sizeof buf, Tr(Str::VisLayerShort), l + 1);
    label_w = std::max(label_w, ImGui::CalcTextSize(buf).x);
  }
  label_w += 0.6f * em;
  const float cell_w = std::clamp((ImGui::GetContentRegionAvail().x - label_w) / H, 1.0f * em, 3.6f * em);
  const float cell_h = std::min(1.8f * em, std::max(cell_w, 1.0f * em));
  const float header_h = line_h * 1.3f;
  float scale = 0.1f;  // colour range: the largest difference, at least 0.1
  for (const auto& r : pairs)
    for (const auto& p : r) scale = std::max(scale, std::fabs(p.first - p.second));

  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 grid(o.x + label_w, o.y + header_h);
  ImGui::InvisibleButton("vis-compare-grid", ImVec2(label_w + cell_w * H, header_h + cell_h * L));
  Hotspot("vis_compare_table");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  for (int h = 0; h < H; ++h) {  // column headers: "H3", or just "3" when narrow
    std::snprintf(buf, sizeof buf, Tr(Str::VisHeadShort), h + 1);
    if (ImGui::CalcTextSize(buf).x > cell_w - 2) std::snprintf(buf, sizeof buf, "%d", h + 1);
    const float w = ImGui::CalcTextSize(buf).x;
    dl->AddText(ImVec2(grid.x + h * cell_w + (cell_w - w) / 2, o.y), text, buf);
  }
  for (int l = 0; l < L; ++l) {
    std::snprintf(buf, sizeof buf, Tr(Str::VisLayerShort), l + 1);
    dl->AddText(ImVec2(o.x, grid.y + l * cell_h + (cell_h - line_h) / 2), text, buf);
    for (int h = 0; h < H; ++h) {
      const float d = pairs[l][h].first - pairs[l][h].second;
      const ImVec2 a(grid.x + h * cell_w, grid.y + l * cell_h), b(a.x + cell_w - 1, a.y + cell_h - 1);
      const ImU32 c = Diverging(d / scale);
      dl->AddRectFilled(a, b, c);
      std::snprintf(buf, sizeof buf, std::fabs(d) < 0.005f ? "0.00" : "%+.2f", d);
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      if (ts.x < cell_w - 2) dl->AddText(ImVec2((a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2), TextOn(c), buf);
      if (!v.mean_heads && l == v.layer && h == v.head) dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), GetPalette().accent, 0, 0, 2.0f);
    }
  }
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int h = static_cast<int>(std::floor((m.x - grid.x) / cell_w)), l = static_cast<int>(std::floor((m.y - grid.y) / cell_h));
    if (l >= 0 && l < L && h >= 0 && h < H) {
      ImGui::SetTooltip(Tr(Str::VisCompareCell), l + 1, h + 1, name_a.c_str(), pairs[l][h].first, name_b.c_str(), pairs[l][h].second);
      if (ImGui::IsItemClicked()) {
        v.layer = l;
        v.head = h;
        v.mean_heads = false;
      }
    }
  }
}

struct PairSummary {
  int heads = 0, more_a = 0, more_b = 0;
  double mean_a = 0.0, mean_b = 0.0;
};

static PairSummary Summarize(const PairTable& pairs) {
  PairSummary s;
  for (const auto& r : pairs)
    for (const auto& p : r) {
      ++s.heads;
      s.more_a += p.first > p.second;
      s.more_b += p.second > p.first;
      s.mean_a += p.first;
      s.mean_b += p.second;
    }
  if (s.heads) {
    s.mean_a /= s.heads;
    s.mean_b /= s.heads;
  }
  return s;
}

void DrawEvidence(VisualizeState& v, const std::vector<session::TokenLabel>& labels, const PairTable& pairs,
                  const PairTable& twin, bool causal) {
  const Palette& pal = GetPalette();
  const std::string& row = labels[v.row.index].text;
  char line[512];
  ImGui::PushFont(ActiveFonts().heading);
  std::snprintf(line, sizeof line, Tr(Str::VisCompareTitle), row.c_str());
  ImGui::TextUnformatted(line);
  ImGui::PopFont();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(Tr(Str::VisCompare));
  ImGui::SameLine();
  TokenCombo("###vis-compare-a", "vis_compare_a", v.a, labels);
  SameLineIfFits(LabelledWidth(kComboEm * ImGui::GetFontSize(), Tr(Str::VisCompareWith)));
  ImGui::TextUnformatted(Tr(Str::VisCompareWith));
  ImGui::SameLine();
  TokenCombo("###vis-compare-b", "vis_compare_b", v.b, labels);
  if (v.a.index == v.b.index) {
    Paragraph(Tr(Str::VisCompareSame), pal.badge_text);
    return;
  }
  const std::string& name_a = labels[v.a.index].text;
  const std::string& name_b = labels[v.b.index].text;
  if (causal && (v.a.index > v.row.index || v.b.index > v.row.index)) Paragraph(Tr(Str::VisCompareFuture), pal.badge_text);
  PairGrid(v, pairs, name_a, name_b);
  const PairSummary sum = Summarize(pairs);
  std::snprintf(line, sizeof line, Tr(Str::VisCompareSummary), sum.heads, sum.more_a, name_a.c_str(), sum.more_b, name_b.c_str(),
                sum.mean_a, sum.mean_b);
  Paragraph(line);
  if (!twin.empty()) {  // the same count in the untrained twin: what training added
    const PairSummary t = Summarize(twin);
    std::snprintf(line, sizeof line, Tr(Str::VisTwinSummary), t.heads, t.more_a, name_a.c_str(), t.more_b, name_b.c_str(),
                  t.mean_a, t.mean_b);
    Paragraph(line, pal.muted_text);
    Hotspot("vis_twin_summary");
  }
  std::snprintf(line, sizeof line, Tr(Str::VisCompareHelp), name_a.c_str(), name_b.c_str());
  Paragraph(line, pal.muted_text);
  Paragraph(Tr(Str::VisCompareCaveat), pal.muted_text);
}

}  // namespace attn::ui
