#include "ui/widgets/model_notes.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "core/numbers.h"
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
  const Error& why = session.text_failure();  // NaN, a cut, no <|endoftext|>, a pass that failed
  if (why.message.empty()) return false;
  Paragraph(i18n::Tr(why), color);
  if (session.non_finite_stage() >= 0) Hotspot("nan-note");
  else if (why.id == Msg::TextCutContext || why.id == Msg::TextCutMemory) Hotspot("text-cut-note");
  else if (why.id == Msg::NoEndOfText) Hotspot("no-eot-note");
  return true;
}

void EmptyTraceNote(session::Session& session, unsigned color) {
  if (session.non_finite_stage() < 0 && !session.pass_in_progress()) Paragraph(i18n::Tr(i18n::Str::SelfAttnEmpty), color);
}

std::string LoadErrorText(const session::Session& session) {
  const session::Session::LoadFailure& f = session.load_failure();
  if (f.file.empty()) return i18n::Tr(f.error);
  return FormatMessage(Msg::InFile, {f.file, i18n::Tr(f.error)}, i18n::GetLanguage());
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
