// 11.3 架构师视角 is four design choices of modern Transformers, one figure per file, shown as
// tabs by architects_view.cpp:
//
//   MQA / GQA      architect_kv.cpp     KV-cache bytes = 2 · L · kv_heads · head_dim · T · bytes, and
//                                       K/V sharing on the loaded model (session/architect_runs.h)
//   RoPE           architect_rope.cpp   q and k rotated by their positions; q·k depends on m − n
//   ALiBi          architect_alibi.cpp  −slope · (i − j) added to the scores, per head
//   Quantization   architect_quant.cpp  the loaded model requantized to f32, Q8_0 and Q4_0
//
// Each file owns its figure's state, its start-up options and its part of the published state.
// The runs on the loaded model live in session/architect_runs.h; the figures only draw them.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

#include "model/sampling.h"
#include "session/session.h"
#include "ui/app_shell.h"
#include "ui/i18n/i18n.h"

namespace attn::ui {

struct ArchitectFigure {
  const char* id;                                  // "kv": arch.view=kv, hotspot arch_view_kv
  i18n::Str title;                                 // the tab
  void (*draw)(session::Session& session);
  void (*read_options)(AppState& app);             // its start-up options (--option, URL), clamped
  void (*model_loaded)(const model::Config& c);    // another model: what it pre-fills (or nullptr)
  std::string (*state_json)(session::Session& s);  // its members of the state: "\"kv\":{…}"
};
extern const ArchitectFigure kArchitectKv, kArchitectRope, kArchitectAlibi, kArchitectQuant;

//-----------------------------------------------------------------------------
// [SECTION] Shared by the four figures (architects_view.cpp)
//-----------------------------------------------------------------------------

// Puts the next item on the same line when `width` more pixels still fit.
void Flow(float width);
float SliderWidth();
float LabeledWidth(i18n::Str label);  // a slider and its label
void SubHeading(i18n::Str s);         // one line in the accent colour

// n figures, each a head (title, a line of numbers) and a body, side by side when each gets
// `min_em` ems, else one under the other. Side by side the heads share a row, so the bodies
// line up even when one head wraps onto more lines.
template <typename Head, typename Body>
void Columns(const char* id, int n, float min_em, Head head, Body body) {
  const bool side = ImGui::GetContentRegionAvail().x / n >= min_em * ImGui::GetFontSize();
  if (!ImGui::BeginTable(id, side ? n : 1, ImGuiTableFlags_SizingStretchSame)) return;
  for (int pass = 0; pass < (side ? 2 : 1); ++pass)
    for (int i = 0; i < n; ++i) {
      ImGui::TableNextColumn();  // moves to a new row after the last column
      ImGui::PushID(i);
      if (!side || pass == 0) head(i);
      if (!side || pass == 1) body(i);
      if (!side && i + 1 < n) ImGui::Dummy(ImVec2(0, ImGui::GetFontSize()));  // stacked: air between figures
      ImGui::PopID();
    }
  ImGui::EndTable();
}

// Five next-token candidates as bars; tokens missing from `reference` are drawn in the accent colour.
void Top5(const char* id, const std::vector<model::TokenProb>& top, const tokenizer::Gpt2Tokenizer& tok,
          const std::vector<model::TokenProb>* reference);
std::string Top5Json(const std::vector<model::TokenProb>& top, const tokenizer::Gpt2Tokenizer& tok);
// A T × T attention map labelled with the session's tokens when it has T of them.
void AttentionMap(const char* id, const std::vector<float>& map, int T, session::Session& session,
                  float max_cell_em = 1.6f);
// More passes than the memory budget has room for (Session::headroom): says so and how much
// they would need, and returns true, instead of running them.
bool RunsOverBudget(session::Session& session, uint64_t bytes);

}  // namespace attn::ui
