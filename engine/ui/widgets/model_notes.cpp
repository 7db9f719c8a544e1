#include "ui/widgets/model_notes.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "ui/text/numbers.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

std::string ModelArrivalText(const session::Session::ModelArrival& a) {
  char buf[32];
  if (a.total > 0) std::snprintf(buf, sizeof buf, "%d %%", static_cast<int>(std::clamp(100.0 * a.loaded / a.total, 0.0, 100.0)));
  else std::snprintf(buf, sizeof buf, "%.1f MB", a.loaded / 1e6);
  return buf;
}

void NoModelNote(const session::Session& session, i18n::Str no_model, unsigned color) {
  const session::Session::ModelArrival& a = session.model_arrival();
  if (!a.pending) {
    Paragraph(i18n::Tr(no_model), color);
    return;
  }
  char line[256];
  std::snprintf(line, sizeof line, i18n::Tr(i18n::Str::ModelArriving), ModelArrivalText(a).c_str());
  Paragraph(line);
  const float fraction = a.total > 0 ? static_cast<float>(std::clamp(a.loaded / a.total, 0.0, 1.0)) : 0.0f;
  ImGui::ProgressBar(fraction, ImVec2(std::min(ImGui::GetContentRegionAvail().x, 28 * ImGui::GetFontSize()), 0),
                     ModelArrivalText(a).c_str());
  Hotspot("model-arriving");
}

bool TextProblemNote(session::Session& session, unsigned color) {
  if (session.pass_in_progress()) {  // a few pieces each frame (app_shell.cpp)
    const session::Session::PassProgress p = session.pass_progress();
    char line[400];
    std::snprintf(line, sizeof line, i18n::Tr(i18n::Str::LongPassProgress), p.done, p.total);
    Paragraph(line, color);
    const float fraction = p.total > 0 ? static_cast<float>(p.done) / p.total : 0.0f;
    ImGui::ProgressBar(fraction, ImVec2(std::min(ImGui::GetContentRegionAvail().x, 28 * ImGui::GetFontSize()), 0));
    Hotspot("long-pass-note");
    return true;
  }
  const int stage = session.non_finite_stage();
  if (stage >= 0) {  // translated here: the session's own sentence is English
    char line[256];
    const int n_layer = session.info().config.n_layer;
    if (stage == 0) std::snprintf(line, sizeof line, "%s", i18n::Tr(i18n::Str::NanInEmbeddings));
    else if (stage > n_layer) std::snprintf(line, sizeof line, "%s", i18n::Tr(i18n::Str::NanInOutput));
    else std::snprintf(line, sizeof line, i18n::Tr(i18n::Str::NanAtLayer), stage);
    Paragraph(line, color);
    Hotspot("nan-note");
    return true;
  }
  const session::Session::TextCut& cut = session.text_cut();
  if (cut.any()) {  // translated here from the numbers: the session's sentence is English
    char line[512];
    if (cut.by_memory)
      std::snprintf(line, sizeof line, i18n::Tr(i18n::Str::TextCutMemory), cut.typed,
                    BinaryBytes(static_cast<double>(session.memory_budget())).c_str(), cut.kept);
    else
      std::snprintf(line, sizeof line, i18n::Tr(i18n::Str::TextCutContext), cut.typed, cut.kept, cut.kept);
    Paragraph(line, color);
    Hotspot("text-cut-note");
    return true;
  }
  if (session.end_of_text_missing()) {
    Paragraph(i18n::Tr(i18n::Str::NoEndOfText), color);
    Hotspot("no-eot-note");
    return true;
  }
  if (session.text_error().empty()) return false;
  Paragraph(session.text_error(), color);
  return true;
}

void EmptyTraceNote(session::Session& session, unsigned color) {
  if (session.non_finite_stage() < 0 && !session.pass_in_progress()) Paragraph(i18n::Tr(i18n::Str::SelfAttnEmpty), color);
}

std::string LoadErrorText(const session::Session& session) {
  if (session.load_refused_bytes() == 0) return session.load_error();
  char line[512];
  std::snprintf(line, sizeof line, i18n::Tr(i18n::Str::ModelOverBudget),
                BinaryBytes(static_cast<double>(session.load_refused_bytes())).c_str(),
                BinaryBytes(static_cast<double>(session.memory_budget())).c_str());
  return line;
}

bool TraceDetailNote(session::Session& session, model::TraceOptions needs, unsigned color) {
  const session::PassPlan& plan = session.pass_plan();
  const bool missing_block = needs.block_outputs && !plan.options.block_outputs;
  const bool missing_qkv = needs.qkv && !plan.options.qkv;
  if (!missing_block && !missing_qkv) return false;
  char line[512];
  std::snprintf(line, sizeof line, i18n::Tr(missing_block ? i18n::Str::DetailNoBlockOutputs : i18n::Str::DetailNoQkv),
                BinaryBytes(static_cast<double>(session.memory_budget())).c_str(),
                missing_block ? plan.longest_full : plan.longest_with_qkv);
  Paragraph(line, color);
  Hotspot("trace-detail-note");
  return true;
}

}  // namespace attn::ui
