#include "ui/panels/narration.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "formats/json.h"
#include "session/session.h"
#include "session/token_labels.h"
#include "ui/theme.h"
#include "ui/i18n/i18n.h"
#include "ui/panels/architecture_parts.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

std::string HeadDisplayName(int layer, int head) { return StrFormat(Tr(Str::ArchHeadName), layer + 1, head + 1); }

static std::string Name(const session::PatternFact& f) { return f.layer >= 0 ? HeadDisplayName(f.layer, f.head) : "—"; }

std::vector<std::string> NarrationLines(const session::HeadNarration& n) {
  std::vector<std::string> lines;
  if (n.n_layer <= 0 || n.tokens <= 0) return lines;
  const int heads = n.n_layer * n.n_head;
  if (n.prev.count > 0)
    lines.push_back(StrFormat(Tr(Str::NarrPrevYes), Name(n.prev).c_str(), 100.0 * n.prev.value,
                              100.0 * session::kPrevTokenThreshold, n.prev.count));
  else
    lines.push_back(StrFormat(Tr(Str::NarrPrevNo), Name(n.prev).c_str(), 100.0 * n.prev.value, 100.0 * session::kPrevTokenThreshold));
  if (n.first.count > 0)
    lines.push_back(StrFormat(Tr(Str::NarrFirstYes), Name(n.first).c_str(), 100.0 * n.first.value,
                              100.0 * session::kFirstTokenThreshold, n.first.count));
  else
    lines.push_back(StrFormat(Tr(Str::NarrFirstNo), Name(n.first).c_str(), 100.0 * n.first.value, 100.0 * session::kFirstTokenThreshold));
  if (!n.induction_measurable)
    lines.push_back(Tr(Str::NarrInductionNone));
  else if (n.induction.count > 0)
    lines.push_back(StrFormat(Tr(Str::NarrInductionYes), Name(n.induction).c_str(), 100.0 * n.induction.value,
                              100.0 * session::kInductionThreshold, n.induction.count));
  else
    lines.push_back(StrFormat(Tr(Str::NarrInductionNo), Name(n.induction).c_str(), 100.0 * n.induction.value,
                              100.0 * session::kInductionThreshold));
  lines.push_back(StrFormat(Tr(Str::NarrUniform), n.uniform.count, heads, 100.0 * session::kUniformThreshold,
                            100.0 * n.mean_uniformity));
  if (n.prev.count == 0 && n.first.count == 0 && n.induction.count == 0) lines.push_back(Tr(Str::NarrNone));
  return lines;
}

static std::string Num(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7g", std::isfinite(v) ? v : 0.0f);
  return buf;
}

static std::string FactJson(const session::PatternFact& f) {
  return "{\"count\":" + std::to_string(f.count) + ",\"layer\":" + std::to_string(f.layer) + ",\"head\":" +
         std::to_string(f.head) + ",\"value\":" + Num(f.value) + "}";
}

std::string NarrationJson(const session::HeadNarration& n, const std::vector<std::string>& lines) {
  std::string j = "{\"prev\":" + FactJson(n.prev) + ",\"first\":" + FactJson(n.first) + ",\"induction\":" +
                  FactJson(n.induction) + ",\"uniform\":" + FactJson(n.uniform);
  j += std::string(",\"induction_measurable\":") + (n.induction_measurable ? "true" : "false");
  j += ",\"mean_uniformity\":" + Num(n.mean_uniformity) + ",\"n_layer\":" + std::to_string(n.n_layer) +
       ",\"n_head\":" + std::to_string(n.n_head) + ",\"tokens\":" + std::to_string(n.tokens);
  j += ",\"thresholds\":{\"prev_token\":" + Num(session::kPrevTokenThreshold) + ",\"first_token\":" +
       Num(session::kFirstTokenThreshold) + ",\"induction\":" + Num(session::kInductionThreshold) + ",\"uniform\":" +
       Num(session::kUniformThreshold) + "}";
  j += ",\"text\":[";
  for (size_t i = 0; i < lines.size(); ++i) j += (i ? "," : "") + json::Quote(lines[i]);
  return j + "]}";
}

void DrawNarration(const std::vector<std::string>& lines, const char* id) {
  ImGui::BeginGroup();
  for (const std::string& l : lines) Paragraph("• " + l);
  ImGui::EndGroup();
  Hotspot(id);
}

static session::ByteSplitStats SplitsOf(session::Session& s) {
  if (!s.HasModel()) return {};
  return session::CountByteSplits(s.tokenizer(), s.tokens(), s.labels());
}

void ByteSplitNote(session::Session& session) {
  const session::ByteSplitStats b = SplitsOf(session);
  if (b.byte_pieces == 0) return;
  const std::string& langs = session.info().languages;
  std::string text = StrFormat(Tr(Str::ByteNote), b.chars, b.BytesPerChar(), b.tokens, b.TokensPerChar(), b.byte_pieces) + " " +
                     (langs.empty() ? StrFormat(Tr(Str::ByteNoteLangUnknown), session.info().name.c_str())
                                    : StrFormat(Tr(Str::ByteNoteLang), langs.c_str()));
  Paragraph(text, GetPalette().muted_text);
  Hotspot("byte_note");
}

std::string ByteSplitJson(session::Session& session) {
  const session::ByteSplitStats b = SplitsOf(session);
  return "{\"chars\":" + std::to_string(b.chars) + ",\"bytes\":" + std::to_string(b.bytes) + ",\"tokens\":" +
         std::to_string(b.tokens) + ",\"byte_pieces\":" + std::to_string(b.byte_pieces) + ",\"languages\":" +
         json::Quote(session.info().languages) + "}";
}

}  // namespace attn::ui
