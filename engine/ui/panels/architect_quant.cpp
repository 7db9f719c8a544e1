// 11.3 架构师视角 · Quantization lens: the loaded model's weights stored three ways, and what
// each does to one head's attention and to the next-token top 5.
//
//   f32   4 bytes a weight      Q8_0  34 bytes per 32 weights (an f16 scale, 32 int8)
//                               Q4_0  18 bytes per 32 weights (an f16 scale, 32 4-bit values)
//
// session::QuantLens requantizes the model (model/requantize.h) and runs the three copies on the
// session's text; this figure draws them side by side.
#include <imgui.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "formats/json.h"
#include "session/architect_runs.h"
#include "session/token_labels.h"
#include "ui/panels/architect_parts.h"
#include "ui/text/format.h"
#include "core/numbers.h"
#include "ui/theme.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layer_head_picker.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;
using session::QuantLens;

namespace {

constexpr const char* kLensNames[QuantLens::kVariants] = {"f32", "Q8_0", "Q4_0"};

struct LensState {
  QuantLens lens;
  bool build_requested = false;  // a big model's copies are made only after a click
  int layer = 0, head = 0;
  std::string json;
};
LensState g;

}  // namespace

static void DrawQuant(session::Session& session) {
  const Palette& pal = GetPalette();
  Paragraph(Tr(Str::QuantIntro));
  if (!session.HasModel()) {
    NoModelNote(session, Str::ArchNeedsModel, pal.badge_text);
    return;
  }
  const session::ModelInfo& info = session.info();
  Paragraph(StrFormat(Tr(Str::QuantSource), info.weight_type.c_str()), pal.muted_text);
  if (RunsOverBudget(session, QuantLens::BytesNeeded(session))) {  // the copies count whether built or not
    g.lens.Drop();
    return;
  }
  if (!g.lens.built(session)) {
    g.lens.Drop();  // free the old model's copies first
    g.json.clear();
    if (info.parameters > QuantLens::kAutoBuildParameters && !g.build_requested) {
      Paragraph(StrFormat(Tr(Str::QuantBig), BinaryBytes(4.0 * info.parameters).c_str()), pal.badge_text);
      if (ImGui::Button(IdLabel(Str::QuantBuild, "quant-build").c_str())) g.build_requested = true;
      Hotspot("quant_build");
      return;
    }
    g.lens.Build(session);
    g.build_requested = false;
  }
  const model::Config& c = info.config;
  LayerHeadPicker("quant", &g.layer, &g.head, c.n_layer, c.n_head);

  if (session.tokens().empty()) return;
  // A long text still running in pieces: its own runs would block the app for as long again.
  if (session.pass_in_progress()) {
    TextProblemNote(session, GetPalette().muted_text);
    return;
  }
  g.lens.Update(session);
  for (int i = 0; i < QuantLens::kVariants; ++i)
    if (!g.lens.run(i).ok()) {
      Paragraph(i18n::Tr(g.lens.run(i).error), pal.badge_text);
      return;
    }
  const int T = g.lens.run(0).trace.count;
  const std::vector<float> ref = g.lens.run(0).trace.HeadMatrix(g.layer, g.head);
  std::vector<float> maps[QuantLens::kVariants];
  float change[QuantLens::kVariants];
  std::string variants_json;
  for (int i = 0; i < QuantLens::kVariants; ++i) {
    maps[i] = g.lens.run(i).trace.HeadMatrix(g.layer, g.head);
    change[i] = session::MaxAbsDifference(ref, maps[i]);
    variants_json += std::string(i ? "," : "") + "{\"type\":" + json::Quote(quant::TypeName(QuantLens::kTypes[i])) +
                     ",\"weight_bytes\":" + std::to_string(g.lens.weight_bytes(i)) +
                     ",\"max_attention_change\":" + JsonNumber(change[i]) +
                     ",\"top5\":" + Top5Json(g.lens.run(i).top5, session.tokenizer()) + "}";
  }
  Columns("quant-lens", QuantLens::kVariants, 13, [&](int i) {
    const double bytes = static_cast<double>(g.lens.weight_bytes(i));
    ImGui::Text("%s · %s", kLensNames[i], BinaryBytes(bytes).c_str());
    Paragraph(StrFormat(Tr(Str::QuantWeightBytes), GroupDigits(g.lens.weight_bytes(i)).c_str()), pal.muted_text);
  }, [&](int i) {
    AttentionMap("quant-map", maps[i], T, session, 1.4f);
    Hotspot((std::string("quant_map_") + kLensNames[i]).c_str());
    Top5("quant-top", g.lens.run(i).top5, session.tokenizer(), i > 0 ? &g.lens.run(0).top5 : nullptr);
    if (i > 0) Paragraph(StrFormat(Tr(Str::QuantMaxDiff), change[i]));
  });
  ImGui::Spacing();
  Paragraph(Tr(Str::QuantWhy));
  // What the formats cost here, from the runs above: never a claim the screen does not show.
  const std::vector<model::TokenProb>& f32_top = g.lens.run(0).top5;
  std::string verdicts;  // the lines as shown, for the state JSON
  auto quoted = [&](int id) { return session::DisplayText(session.tokenizer().TokenBytes(id)); };
  for (int i = 1; i < QuantLens::kVariants && !f32_top.empty(); ++i) {
    const std::vector<model::TokenProb>& top = g.lens.run(i).top5;
    if (top.empty()) continue;
    const std::string line =
        top[0].id == f32_top[0].id
            ? StrFormat(Tr(Str::QuantKeepsTop), kLensNames[i], change[i], quoted(top[0].id).c_str(), 100.0 * f32_top[0].p, 100.0 * top[0].p)
            : StrFormat(Tr(Str::QuantChangesTop), kLensNames[i], change[i], quoted(f32_top[0].id).c_str(), quoted(top[0].id).c_str());
    Paragraph(line);
    Hotspot((std::string("quant_verdict_") + kLensNames[i]).c_str());
    verdicts += std::string(verdicts.empty() ? "" : ",") + json::Quote(line);
  }
  g.json = "{\"source_type\":" + json::Quote(info.weight_type) + ",\"layer\":" + std::to_string(g.layer) +
           ",\"head\":" + std::to_string(g.head) + ",\"tokens\":" + std::to_string(T) + ",\"variants\":[" +
           variants_json + "],\"verdicts\":[" + verdicts + "]}";
}

// quant.layer, quant.head.
static void ReadQuantOptions(AppState& app) {
  TakeIntOption(app, "quant.layer", &g.layer);
  TakeIntOption(app, "quant.head", &g.head);
}

// Published only while the copies belong to the loaded model.
static std::string QuantJson(session::Session& session) {
  return !g.json.empty() && g.lens.built(session) ? "\"quant\":" + g.json : "";
}

extern const ArchitectFigure kArchitectQuant = {"quant", Str::ArchViewQuant, DrawQuant, ReadQuantOptions, nullptr,
                                                QuantJson};

}  // namespace attn::ui
