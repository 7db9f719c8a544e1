// What the four figures of 架构师视角 share (architect_parts.h).
#include "ui/panels/architect_parts.h"

#include <algorithm>
#include <cstdio>

#include "formats/json.h"
#include "session/token_labels.h"
#include "ui/fonts.h"
#include "core/numbers.h"
#include "ui/theme.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/heatmap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

void Flow(float width) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x * 3 + width <= right)
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
}

float SliderWidth() { return ImGui::GetFontSize() * 8; }

float LabeledWidth(Str label) {
  return SliderWidth() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(Tr(label)).x;
}

void SubHeading(Str s) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, GetPalette().accent);
  Paragraph(Tr(s));
  ImGui::PopStyleColor();
}

static std::string TokenText(const tokenizer::Gpt2Tokenizer& tok, int id) {
  return "\"" + session::DisplayText(tok.TokenBytes(id)) + "\"";
}

void Top5(const char* id, const std::vector<model::TokenProb>& top, const tokenizer::Gpt2Tokenizer& tok,
          const std::vector<model::TokenProb>* reference) {
  ImGui::PushID(id);
  const float em = ImGui::GetFontSize(), bar_w = std::min(6 * em, ImGui::GetContentRegionAvail().x * 0.35f);
  ImGui::TextDisabled("%s", Tr(Str::Top5Heading));
  for (const model::TokenProb& t : top) {
    const std::string text = TokenText(tok, t.id);
    RequestGlyphs(text);
    bool known = !reference;
    if (reference)
      for (const model::TokenProb& r : *reference) known = known || r.id == t.id;
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(o, ImVec2(o.x + bar_w, o.y + h), ImGui::GetColorU32(ImGuiCol_FrameBg));
    dl->AddRectFilled(o, ImVec2(o.x + bar_w * std::clamp(t.p, 0.0f, 1.0f), o.y + h), Categorical(known ? 1 : 5));
    ImGui::Dummy(ImVec2(bar_w, h));
    ImGui::SameLine();
    ImGui::Text("%5.1f%%", 100.0 * t.p);
    ImGui::SameLine();
    if (!known) ImGui::PushStyleColor(ImGuiCol_Text, GetPalette().accent);
    ImGui::TextUnformatted(text.c_str());
    if (!known) ImGui::PopStyleColor();
  }
  ImGui::PopID();
}

std::string Top5Json(const std::vector<model::TokenProb>& top, const tokenizer::Gpt2Tokenizer& tok) {
  std::string out = "[";
  char buf[64];
  for (size_t i = 0; i < top.size(); ++i) {
    std::snprintf(buf, sizeof buf, ",\"p\":%.9g}", top[i].p);
    out += (i ? ",{\"id\":" : "{\"id\":") + std::to_string(top[i].id) + ",\"token\":" +
           json::Quote(session::DisplayText(tok.TokenBytes(top[i].id))) + buf;
  }
  return out + "]";
}

void AttentionMap(const char* id, const std::vector<float>& map, int T, session::Session& session, float max_cell_em) {
  std::vector<std::string> names;
  for (const session::TokenLabel& l : session.labels()) names.push_back(l.text);
  HeatmapSpec spec;
  spec.values = map.data();
  spec.rows = spec.cols = T;
  spec.row_labels = spec.col_labels = static_cast<int>(names.size()) == T ? &names : nullptr;
  spec.max_cell_em = max_cell_em;
  Heatmap(id, spec);
}

bool RunsOverBudget(session::Session& session, uint64_t bytes) {
  if (bytes <= session.headroom()) return false;
  char line[512];
  std::snprintf(line, sizeof line, Tr(Str::RunsOverBudget), BinaryBytes(static_cast<double>(bytes)).c_str(),
                BinaryBytes(static_cast<double>(session.memory_budget())).c_str());
  Paragraph(line, GetPalette().badge_text);
  Hotspot("runs-over-budget");
  return true;
}

}  // namespace attn::ui
