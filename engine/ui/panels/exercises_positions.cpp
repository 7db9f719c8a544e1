// 练习 2 · 位置编码 — 为什么翻译模型需要知道词序？ Two switches (no position vectors:
// Interventions.drop_positions; read both ways: .bidirectional) and a deterministic shuffle
// of the words (session::ShuffleOrder, the seed on screen; the last word stays so the next-
// token predictions compare). Both sentences run with the same switches:
//
//   A = attention of the original, B = of the shuffled words, order[k] = where word k came from
//   put back:  U[order[k]][order[m]] = B[k][m]      check:  max |U − A| over every layer and head
//
// Without positions *and* without the causal mask (which itself tells a word how many came
// before it) U equals A up to rounding: attention only permutes with the words, and the
// prediction after the unmoved last word does not change — the model reads a bag of words.
//
// The reveal measures what the model computes, not its top-1 token (which a weak model keeps
// by chance): the answer is "it changes" when the attention does not merely permute
// (max diff > kOrderAttentionTolerance) or the whole next-token distribution moves (total
// variation ≥ kClearDistributionChange); session::MeasureShuffle. When only the attention
// changes, the text says the loaded model's prediction makes little use of the order.
//
// Options: ex.text2, ex.nopos=0|1, ex.bidir=0|1, ex.seed, ex.layer2, ex.head2,
// ex.guess2=changes|stays.
//
// [SECTION] Index
//   - State and numbers (both sentences, the check)
//   - Update
//   - Draw: switches, shuffle, the three maps, the predictions
//   - State API, report, figure
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "formats/json.h"
#include "session/exercise_runs.h"
#include "session/experiments.h"
#include "ui/fonts.h"
#include "ui/panels/exercises_parts.h"
#include "ui/theme.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/heatmap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layer_head_picker.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/paragraph.h"
#include "ui/widgets/text_field.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] State and numbers
//-----------------------------------------------------------------------------

namespace {

constexpr char kDefaultSentence[] = "The dog chased the cat into the";
constexpr float kSameBelow = 1e-4f;  // "only rounding" below this

struct PositionsState {
  std::string sentence = kDefaultSentence;
  std::string edit;  // the sentence field's text
  bool drop = false, bidir = false;
  int seed = 1;
  int layer = 0, head = 0;
  PredictionUi predict;
  std::string guess_option;           // ex.guess2
  // What the numbers were computed for, and the numbers (the passes: session/exercise_runs.h).
  uint64_t model_id = 0;
  std::string computed_sentence;
  int computed_seed = -1;
  std::vector<int> ids, shuffled, order;
  std::vector<session::TokenLabel> labels, shuffled_labels;
  session::ExercisePass a, b;         // the sentence and its shuffle, with the same interventions
  float max_diff = INFINITY;
  session::ShuffleEffect effect;
  Prediction prediction;
};

PositionsState g;

bool Ready() { return g.a.run().ok() && g.b.run().ok() && g.order.size() == g.ids.size(); }

void Compute(session::Session& session) {
  const model::Config& c = session.info().config;
  g.layer = std::clamp(g.layer, 0, c.n_layer - 1);
  g.head = std::clamp(g.head, 0, c.n_head - 1);
  g.seed = std::max(g.seed, 0);
  if (g.computed_sentence != g.sentence || g.computed_seed != g.seed || g.model_id != session.model_id()) {
    g.ids = session::ExerciseIds(session, g.sentence);
    g.order = session::ShuffleOrder(static_cast<int>(g.ids.size()), static_cast<uint64_t>(g.seed), true);
    g.shuffled.clear();
    for (int k : g.order) g.shuffled.push_back(g.ids[k]);
    g.labels = session::MakeTokenLabels(session.tokenizer(), g.ids);
    g.shuffled_labels = session::MakeTokenLabels(session.tokenizer(), g.shuffled);
    g.computed_sentence = g.sentence;
    g.computed_seed = g.seed;
    g.model_id = session.model_id();
  }
  model::Interventions iv;
  iv.drop_positions = g.drop;
  iv.bidirectional = g.bidir;
  bool ran = g.a.Update(session, g.ids, iv);
  ran |= g.b.Update(session, g.shuffled, iv);
  if (!ran) return;
  g.effect = Ready() ? session::MeasureShuffle(g.a.run(), g.b.run(), g.order) : session::ShuffleEffect{};
  g.max_diff = Ready() ? g.effect.attention_diff : INFINITY;
}

void MakePrediction() {
  Prediction& p = g.prediction;
  p = Prediction{};
  if (!Ready() || g.a.top5().empty() || g.b.top5().empty() || g.ids.size() < 3) return;
  p.id = "ex2|" + g.sentence + "|nopos" + (g.drop ? "1" : "0") + "|bidir" + (g.bidir ? "1" : "0") + "|seed" +
         std::to_string(g.seed);
  p.question = Tr(Str::ExPosPredict) +
               StrFormat(Tr(Str::ExPosSettings), Tr(g.drop ? Str::ExYes : Str::ExNo), Tr(g.bidir ? Str::ExYes : Str::ExNo), g.seed);
  p.choices = {Tr(Str::ExChoiceChanges), Tr(Str::ExChoiceStays)};
  p.answer = g.effect.order_matters ? 0 : 1;
}

std::string Joined(const std::vector<session::TokenLabel>& labels) {
  std::string s;
  for (size_t i = 0; i < labels.size(); ++i) {
    s += i ? " " : "";
    s += labels[i].text;
  }
  return s;
}

std::vector<std::string> Names(const std::vector<session::TokenLabel>& labels) {
  std::vector<std::string> names;
  for (const auto& l : labels) names.push_back(l.text);
  return names;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Update
//-----------------------------------------------------------------------------

void UpdatePositionsExercise(AppState& app, session::Session& session) {
  const std::string text = TakeOption(app, "ex.text2");
  if (!text.empty()) g.sentence = text;
  int flag = 0;
  if (TakeIntOption(app, "ex.nopos", &flag)) g.drop = flag != 0;
  if (TakeIntOption(app, "ex.bidir", &flag)) g.bidir = flag != 0;
  TakeIntOption(app, "ex.seed", &g.seed);
  TakeIntOption(app, "ex.layer2", &g.layer);
  TakeIntOption(app, "ex.head2", &g.head);
  const std::string guess = TakeOption(app, "ex.guess2");
  if (!guess.empty()) g.guess_option = guess;
  Compute(session);
  MakePrediction();
  if (!g.guess_option.empty()) {
    CommitGuess(g.prediction, g.guess_option == "changes" || g.guess_option == "0" ? 0 : 1);
    g.guess_option.clear();
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Draw
//-----------------------------------------------------------------------------

namespace {

void Maps() {
  const int n = static_cast<int>(g.ids.size());
  const model::Trace &a = g.a.run().trace, &b = g.b.run().trace;
  std::vector<float> ma(n * n), mb(n * n), mu(n * n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      ma[i * n + j] = a.Attention(g.layer, g.head, i, j);
      mb[i * n + j] = b.Attention(g.layer, g.head, i, j);
      mu[g.order[i] * n + g.order[j]] = b.Attention(g.layer, g.head, i, j);
    }
  const std::vector<std::string> names = Names(g.labels), shuffled = Names(g.shuffled_labels);
  const float em = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  const int cols = avail > 36 * em ? 3 : avail > 22 * em ? 2 : 1;
  const bool table = ImGui::BeginTable("ex2-maps", cols, ImGuiTableFlags_SizingStretchSame);
  struct Map {
    Str title;
    const std::vector<float>* values;
    const std::vector<std::string>* names;
    const char* id;
  };
  const Map maps[] = {{Str::ExMapOriginal, &ma, &names, "ex2_map_original"},
                      {Str::ExMapShuffled, &mb, &shuffled, "ex2_map_shuffled"},
                      {Str::ExMapUnshuffled, &mu, &names, "ex2_map_unshuffled"}};
  for (const Map& m : maps) {
    if (table) ImGui::TableNextColumn();
    ImGui::TextUnformatted(Tr(m.title));
    HeatmapSpec spec;
    spec.values = m.values->data();
    spec.rows = spec.cols = n;
    spec.row_labels = spec.col_labels = m.names;
    spec.max_cell_em = 1.4f;
    Heatmap(m.id, spec);
    Hotspot(m.id);
  }
  if (table) ImGui::EndTable();
}

void Results(const session::Session& s) {
  const Palette& pal = GetPalette();
  const model::Config& c = s.info().config;
  LayerHeadPicker("ex2", &g.layer, &g.head, c.n_layer, c.n_head);
  Maps();
  const std::string check = StrFormat(Tr(Str::ExPermCheck), g.max_diff);
  ImGui::PushStyleColor(ImGuiCol_Text, pal.accent);
  ImGui::TextWrapped("%s", check.c_str());
  ImGui::PopStyleColor();
  Hotspot("ex2_check");
  Paragraph(Tr(g.max_diff < kSameBelow ? Str::ExPermSame : Str::ExPermDiffer));
  ImGui::Spacing();
  const bool side = ImGui::GetContentRegionAvail().x > 26 * ImGui::GetFontSize();
  const bool table = side && ImGui::BeginTable("ex2-bars", 2);
  if (table) ImGui::TableNextColumn();
  ImGui::TextUnformatted(Tr(Str::ExPredOriginal));
  TopBars(s, "ex2_bars_original", g.a.top5(), TopBarsMax(g.a.top5(), g.b.top5()), Categorical(4));
  if (table) ImGui::TableNextColumn();
  ImGui::TextUnformatted(Tr(Str::ExPredShuffled));
  TopBars(s, "ex2_bars_shuffled", g.b.top5(), TopBarsMax(g.a.top5(), g.b.top5()), Categorical(0));
  if (table) ImGui::EndTable();
  const session::DistributionChange& d = g.effect.next;
  Paragraph(StrFormat(Tr(Str::ExPosMeasure), d.total_variation, d.kl, d.top5_overlap));
  Hotspot("ex2_measure");
  if (g.effect.output_shows_it) Paragraph(StrFormat(Tr(Str::ExPosOutputMoves), session::kClearDistributionChange));
  else if (g.effect.order_matters) Paragraph(StrFormat(Tr(Str::ExPosOutputWeak), session::kClearDistributionChange), pal.muted_text);
}

}  // namespace

void DrawPositionsExercise(session::Session& session) {
  const Palette& pal = GetPalette();
  Paragraph(Tr(Str::ExPosQuestion));
  AnswerBox("ex2.answer", "ex2_answer", Tr(Str::ExYourAnswer));
  ImGui::Spacing();
  ImGui::Separator();
  if (g.edit != g.sentence && !ImGui::IsAnyItemActive()) g.edit = g.sentence;
  ImGui::SetNextItemWidth(-1);
  if (InputString("###ex2-sentence", Tr(Str::SelfAttnSentence), &g.edit)) g.sentence = g.edit;
  Hotspot("ex2_sentence");
  RequestGlyphs(g.sentence);
  ImGui::Checkbox(IdLabel(Str::ExDropPositions, "ex2-nopos").c_str(), &g.drop);
  Hotspot("ex2_nopos");
  ImGui::Checkbox(IdLabel(Str::ExBidirectional, "ex2-bidir").c_str(), &g.bidir);
  Hotspot("ex2_bidir");
  Paragraph(Tr(Str::ExBidirNote), pal.muted_text);
  if (ImGui::Button(IdLabel(Str::ExShuffle, "ex2-shuffle").c_str())) ++g.seed;
  Hotspot("ex2_shuffle");
  const std::string seed = IdLabel(Str::GenSeed, "ex2-seed");
  SameLineIfFits(LabelledWidth(ImGui::GetFontSize() * 7, seed.c_str()));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  ImGui::InputInt(seed.c_str(), &g.seed);
  g.seed = std::max(g.seed, 0);
  Hotspot("ex2_seed");
  if (!Ready()) {
    Paragraph(g.a.run().error.message.empty() ? Tr(Str::SelfAttnEmpty) : i18n::Tr(g.a.run().error), pal.badge_text);
    return;
  }
  Paragraph(StrFormat(Tr(Str::ExShuffled), g.seed) + " " + Joined(g.shuffled_labels));
  Hotspot("ex2_shuffled");
  ImGui::Spacing();
  MakePrediction();
  if (PredictBox(g.prediction, g.predict, "ex2")) Results(session);
  ImGui::Spacing();
  const session::PinnedFigure fig = PositionsExerciseFigure(session);
  PinButton("ex2_pin", fig.title, fig.table);
}

//-----------------------------------------------------------------------------
// [SECTION] State API, report, figure
//-----------------------------------------------------------------------------

std::string PositionsExerciseJson(const session::Session& session) {
  if (!Ready()) return "null";
  auto tokens = [](const std::vector<session::TokenLabel>& labels) {
    std::string j = "[";
    for (size_t i = 0; i < labels.size(); ++i) {
      j += i ? "," : "";
      j += json::Quote(labels[i].text);
    }
    return j + "]";
  };
  std::string order = "[";
  for (size_t k = 0; k < g.order.size(); ++k) {
    order += k ? "," : "";
    order += std::to_string(g.order[k]);
  }
  std::string j = "{\"sentence\":" + json::Quote(g.sentence) + ",\"tokens\":" + tokens(g.labels);
  j += ",\"shuffled_tokens\":" + tokens(g.shuffled_labels) + ",\"order\":" + order + "]";
  j += ",\"seed\":" + std::to_string(g.seed) + ",\"drop_positions\":" + (g.drop ? "true" : "false");
  j += ",\"bidirectional\":" + std::string(g.bidir ? "true" : "false");
  j += StrFormat(",\"max_diff\":%.6g", std::isfinite(g.max_diff) ? g.max_diff : -1.0f);
  j += ",\"layer\":" + std::to_string(g.layer) + ",\"head\":" + std::to_string(g.head);
  j += ",\"top_original\":" + TopJson(session, g.a.top5()) + ",\"top_shuffled\":" + TopJson(session, g.b.top5());
  j += ",\"same_top\":" + std::string(!g.a.top5().empty() && !g.b.top5().empty() && g.a.top5()[0].id == g.b.top5()[0].id ? "true" : "false");
  const session::DistributionChange& d = g.effect.next;
  j += StrFormat(",\"total_variation\":%.6g,\"kl\":%.6g,\"top5_overlap\":%d", d.total_variation, d.kl, d.top5_overlap);
  j += ",\"order_matters\":" + std::string(g.effect.order_matters ? "true" : "false");
  j += ",\"output_shows_it\":" + std::string(g.effect.output_shows_it ? "true" : "false");
  j += ",\"answer\":" + std::to_string(g.prediction.answer);  // 0: it changes, 1: it stays
  j += ",\"question_id\":" + json::Quote(g.prediction.id) + "}";
  return j;
}

session::ReportSection PositionsExerciseReport() {
  session::ReportSection s;
  s.heading = Tr(Str::ExTabPositions);
  s.question = Tr(Str::ExPosQuestion);
  s.answers = {{Tr(Str::ExYourAnswer), ExerciseNotes().Field("ex2.answer")}};
  return s;
}

session::PinnedFigure PositionsExerciseFigure(const session::Session& session) {
  session::PinnedFigure f;
  if (!Ready()) return f;
  f.title = StrFormat(Tr(Str::ExFigPositions), g.seed);
  auto row = [](const std::string& k, const std::string& v) { return "| " + k + " | " + session::MarkdownCell(v) + " |\n"; };
  std::string& md = f.table;
  md = std::string("| ") + Tr(Str::ExColSetting) + " | " + Tr(Str::ExColValue) + " |\n|---|---|\n";
  md += row(Tr(Str::ExSettingSentence), Joined(g.labels));
  md += row(Tr(Str::ExSettingShuffled), Joined(g.shuffled_labels));
  md += row(Tr(Str::ExDropPositions), Tr(g.drop ? Str::ExYes : Str::ExNo));
  md += row(Tr(Str::ExBidirectional), Tr(g.bidir ? Str::ExYes : Str::ExNo));
  md += row(Tr(Str::ExSettingMaxDiff), StrFormat("%.2g", g.max_diff));
  md += row("TV / KL / top-5", StrFormat("%.3f / %.3f / %d", g.effect.next.total_variation, g.effect.next.kl, g.effect.next.top5_overlap));
  md += std::string("\n| ") + Tr(Str::ExColRank) + " | " + Tr(Str::ExPredOriginal) + " | " + Tr(Str::ExPredShuffled) +
        " |\n|---|---|---|\n";
  for (size_t k = 0; k < std::max(g.a.top5().size(), g.b.top5().size()); ++k) {
    auto cell = [&](const std::vector<model::TokenProb>& top) {
      return k < top.size() ? session::MarkdownCell(TokenText(session, top[k].id)) + StrFormat(" (%.3f)", top[k].p) : std::string();
    };
    md += "| " + std::to_string(k + 1) + " | " + cell(g.a.top5()) + " | " + cell(g.b.top5()) + " |\n";
  }
  return f;
}

}  // namespace attn::ui
