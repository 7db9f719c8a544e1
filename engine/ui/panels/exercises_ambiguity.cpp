// 练习 3 · 歧义句 — "I saw a man on a hill with a telescope.": who has the telescope? The
// attention from "with" and from "telescope" to "saw", "man" and "hill" in every layer and
// head of the loaded model (no interventions, no <|endoftext|>: the numbers equal
// `attnlab-cli attention MODEL --text "I saw a man on a hill with a telescope."`), as
//
//   bars   per layer, the mean over its heads of w(source → saw / man / hill)
//   grid   layers × heads, each cell coloured by the target that gets the most weight
//
// and three guided questions with answer boxes. Predict first: "Across every layer and head:
// which of saw, man and hill does SOURCE attend to most (the mean over all heads)?" —
// session::VoteTargets; not scored when the means differ by less than kClearTargetMargin
// (a near-uniform model prefers no word). The layer and head sliders pick the cell outlined.
//
// Options: ex.source=with|telescope, ex.layer3, ex.head3, ex.guess3=saw|man|hill.
//
// [SECTION] Index
//   - State and numbers
//   - Update
//   - Draw: mean bars per layer, layers × heads grid, questions
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
#include "ui/widgets/heatmap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layer_head_picker.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/line_chart.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] State and numbers
//-----------------------------------------------------------------------------

namespace {

constexpr char kSentence[] = "I saw a man on a hill with a telescope.";
constexpr const char* kSources[2] = {"with", "telescope"};
constexpr const char* kTargets[3] = {"saw", "man", "hill"};
constexpr int kTargetColor[3] = {3, 0, 2};  // Okabe–Ito orange, blue, bluish green

struct AmbiguityState {
  int source = 1;                      // telescope
  int layer = 0, head = 0;
  PredictionUi predict;
  std::string guess_option;            // ex.guess3
  uint64_t model_id = 0;               // what ids were made for
  std::vector<int> ids;
  std::vector<session::TokenLabel> labels;
  session::ExercisePass pass;          // the sentence, no interventions (session/exercise_runs.h)
  int src[2] = {-1, -1}, tgt[3] = {-1, -1, -1};
  int L = 0, H = 0;
  session::TargetVote vote[2];         // per source, across every layer and head
  Prediction prediction;
};

AmbiguityState g;

bool Found() {
  for (int s : g.src)
    if (s < 0) return false;
  for (int t : g.tgt)
    if (t < 0) return false;
  return true;
}

bool Ready() { return g.pass.run().ok() && Found(); }

float W(int s, int l, int h, int t) { return g.pass.run().trace.Attention(l, h, g.src[s], g.tgt[t]); }

float Mean(int s, int l, int t) {
  float sum = 0.0f;
  for (int h = 0; h < g.H; ++h) sum += W(s, l, h, t);
  return sum / g.H;
}

int Winner(int s, int l, int h) {
  int best = 0;
  for (int t = 1; t < 3; ++t)
    if (W(s, l, h, t) > W(s, l, h, best)) best = t;
  return best;
}

void Compute(session::Session& session) {
  const model::Config& c = session.info().config;
  g.layer = std::clamp(g.layer, 0, c.n_layer - 1);
  g.head = std::clamp(g.head, 0, c.n_head - 1);
  g.source = std::clamp(g.source, 0, 1);
  if (g.model_id != session.model_id()) {  // another tokenizer, maybe
    g.ids = session::ExerciseIds(session, kSentence);
    g.model_id = session.model_id();
  }
  if (!g.pass.Update(session, g.ids, {})) return;
  g.labels = session::MakeTokenLabels(session.tokenizer(), g.ids);
  g.L = g.pass.run().trace.n_layer;
  g.H = g.pass.run().trace.n_head;
  const int saw = session::FindWordToken(g.labels, "saw");
  g.tgt[0] = saw;
  g.tgt[1] = session::FindWordToken(g.labels, "man", saw + 1);
  g.tgt[2] = session::FindWordToken(g.labels, "hill", saw + 1);
  g.src[0] = session::FindWordToken(g.labels, "with", std::max(g.tgt[2], 0));
  g.src[1] = session::FindWordToken(g.labels, "telescope", std::max(g.src[0], 0));
  for (int s = 0; s < 2; ++s)
    g.vote[s] = Ready() ? session::VoteTargets(g.pass.run().trace, g.src[s], {g.tgt[0], g.tgt[1], g.tgt[2]}) : session::TargetVote{};
}

void MakePrediction() {
  Prediction& p = g.prediction;
  p = Prediction{};
  if (!Ready()) return;
  const session::TargetVote& v = g.vote[g.source];
  if (v.best < 0) return;
  p.id = std::string("ex3|") + kSources[g.source] + "|all";
  p.question = StrFormat(Tr(Str::ExAmbPredict), g.L, g.H, kSources[g.source]);
  p.choices = {kTargets[0], kTargets[1], kTargets[2]};
  p.answer = v.best;
  p.clear = v.clear;
  p.weak_note = StrFormat(Tr(Str::ExAmbWeak), session::kClearTargetMargin);
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Update
//-----------------------------------------------------------------------------

void UpdateAmbiguityExercise(AppState& app, session::Session& session) {
  const std::string source = TakeOption(app, "ex.source");
  if (source == "with") g.source = 0;
  if (source == "telescope") g.source = 1;
  TakeIntOption(app, "ex.layer3", &g.layer);
  TakeIntOption(app, "ex.head3", &g.head);
  const std::string guess = TakeOption(app, "ex.guess3");
  if (!guess.empty()) g.guess_option = guess;
  Compute(session);
  MakePrediction();
  if (!g.guess_option.empty()) {
    for (int t = 0; t < 3; ++t)
      if (g.guess_option == kTargets[t]) CommitGuess(g.prediction, t);
    g.guess_option.clear();
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Draw
//-----------------------------------------------------------------------------

namespace {

void Legend() {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float box = ImGui::GetTextLineHeight() * 0.7f;
  for (int t = 0; t < 3; ++t) {
    if (t) ImGui::SameLine(0, ImGui::GetFontSize());
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float y = p.y + (ImGui::GetTextLineHeight() - box) / 2;
    dl->AddRectFilled(ImVec2(p.x, y), ImVec2(p.x + box, y + box), OkabeIto(kTargetColor[t]), 2.0f);
    ImGui::Dummy(ImVec2(box + 4, ImGui::GetTextLineHeight()));
    ImGui::SameLine(0, 0);
    ImGui::TextUnformatted(kTargets[t]);
  }
}

// Per layer three bars (saw, man, hill): the mean over the layer's heads.
void MeanBars() {
  const float em = ImGui::GetFontSize(), line_h = ImGui::GetTextLineHeight();
  ImGui::TextWrapped("%s", StrFormat(Tr(Str::ExAmbMeans), kSources[g.source]).c_str());
  Legend();
  float vmax = 0.1f;
  for (int l = 0; l < g.L; ++l)
    for (int t = 0; t < 3; ++t) vmax = std::max(vmax, Mean(g.source, l, t));
  const float width = ImGui::GetContentRegionAvail().x, plot_h = 6.0f * em;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("ex3-means", ImVec2(width, plot_h + 2.6f * line_h));
  Hotspot("ex3_means");
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float top = o.y + line_h * 1.2f, base = top + plot_h;
  dl->AddLine(ImVec2(o.x, base), ImVec2(o.x + width, base), ImGui::GetColorU32(ImGuiCol_Border));
  const float group = width / g.L, bar = std::min(group * 0.8f / 3, 2.5f * em);
  const ImVec2 m = ImGui::GetIO().MousePos;
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  for (int l = 0; l < g.L; ++l) {
    const float gx = o.x + group * l + (group - 3 * bar) / 2;
    for (int t = 0; t < 3; ++t) {
      const float v = Mean(g.source, l, t);
      const float x0 = gx + t * bar, y = base - v / vmax * plot_h;
      dl->AddRectFilled(ImVec2(x0 + 1, y), ImVec2(x0 + bar - 1, base), OkabeIto(kTargetColor[t]), 0.1f * em);
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.2f", v);
      const float tw = ImGui::CalcTextSize(buf).x;
      if (tw < bar * 1.1f) dl->AddText(ImVec2(x0 + (bar - tw) / 2, y - line_h), text, buf);
      if (hovered && m.x >= x0 && m.x < x0 + bar && m.y >= top && m.y <= base)
        ImGui::SetTooltip("%s → %s: %.3f", kSources[g.source], kTargets[t], v);
    }
    const std::string name = StrFormat(Tr(Str::VisLayerShort), l + 1);
    const float nw = ImGui::CalcTextSize(name.c_str()).x;
    dl->AddText(ImVec2(o.x + group * l + (group - nw) / 2, base + 0.3f * line_h), text, name.c_str());
  }
}

// Layers × heads, the colour of the winning target, the number its weight.
void HeadGrid() {
  const float em = ImGui::GetFontSize(), line_h = ImGui::GetTextLineHeight();
  Paragraph(Tr(Str::ExAmbGrid), GetPalette().muted_text);
  float label_w = 0.0f;
  for (int l = 0; l < g.L; ++l) label_w = std::max(label_w, ImGui::CalcTextSize(StrFormat(Tr(Str::VisLayerShort), l + 1).c_str()).x);
  label_w += 0.6f * em;
  const float cell_w = std::clamp((ImGui::GetContentRegionAvail().x - label_w) / g.H, 1.4f * em, 3.4f * em);
  const float cell_h = 1.6f * em, header_h = 1.3f * line_h;
  const ImVec2 o = ImGui::GetCursorScreenPos(), grid(o.x + label_w, o.y + header_h);
  ImGui::InvisibleButton("ex3-grid", ImVec2(label_w + cell_w * g.H, header_h + cell_h * g.L));
  Hotspot("ex3_grid");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  for (int h = 0; h < g.H; ++h) {
    std::string name = StrFormat(Tr(Str::VisHeadShort), h + 1);
    if (ImGui::CalcTextSize(name.c_str()).x > cell_w - 2) name = std::to_string(h + 1);
    dl->AddText(ImVec2(grid.x + h * cell_w + (cell_w - ImGui::CalcTextSize(name.c_str()).x) / 2, o.y), text, name.c_str());
  }
  for (int l = 0; l < g.L; ++l) {
    const std::string name = StrFormat(Tr(Str::VisLayerShort), l + 1);
    dl->AddText(ImVec2(o.x, grid.y + l * cell_h + (cell_h - line_h) / 2), text, name.c_str());
    for (int h = 0; h < g.H; ++h) {
      const int t = Winner(g.source, l, h);
      const float w = W(g.source, l, h, t);
      const ImVec2 a(grid.x + h * cell_w, grid.y + l * cell_h), b(a.x + cell_w - 1, a.y + cell_h - 1);
      ImVec4 c = ImGui::ColorConvertU32ToFloat4(OkabeIto(kTargetColor[t]));
      c.w = 0.25f + 0.75f * std::min(1.0f, w / 0.5f);
      dl->AddRectFilled(a, b, ImGui::ColorConvertFloat4ToU32(c));
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.2f", w);
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      if (ts.x < cell_w - 2) dl->AddText(ImVec2((a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2), text, buf);
      if (l == g.layer && h == g.head)
        dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), GetPalette().accent, 0, 0, 2.0f);
    }
  }
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int h = static_cast<int>(std::floor((m.x - grid.x) / cell_w)), l = static_cast<int>(std::floor((m.y - grid.y) / cell_h));
    if (l >= 0 && l < g.L && h >= 0 && h < g.H) {
      ImGui::SetTooltip(Tr(Str::ExAmbCell), l + 1, h + 1, W(g.source, l, h, 0), W(g.source, l, h, 1), W(g.source, l, h, 2));
      if (ImGui::IsItemClicked()) {  // open that head's whole map below
        g.layer = l;
        g.head = h;
      }
    }
  }
}

// The chosen head's whole attention map, the source word's row outlined: every number
// behind the grid's cell, not just the three targets.
void FullMap() {
  const model::Trace& t = g.pass.run().trace;
  const int n = t.count;
  std::vector<float> m(static_cast<size_t>(n) * n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m[static_cast<size_t>(i) * n + j] = t.Attention(g.layer, g.head, i, j);
  std::vector<std::string> names;
  for (const auto& l : g.labels) names.push_back(l.text);
  Paragraph(StrFormat(Tr(Str::ExAmbFullMap), g.layer + 1, g.head + 1, kSources[g.source]), GetPalette().accent);
  HeatmapSpec spec;
  spec.values = m.data();
  spec.rows = spec.cols = n;
  spec.row_labels = spec.col_labels = &names;
  spec.highlight_row = g.src[g.source];
  spec.max_cell_em = 1.6f;
  Heatmap("##ex3-full-map", spec);
  Hotspot("ex3_full_map");
}

}  // namespace

void DrawAmbiguityExercise(session::Session& session) {
  const Palette& pal = GetPalette();
  const model::Config& c = session.info().config;
  ImGui::PushFont(ActiveFonts().heading);
  ImGui::TextWrapped("%s", kSentence);
  ImGui::PopFont();
  Paragraph(Tr(Str::ExAmbQuestion));
  if (!Ready()) {
    Paragraph(g.pass.run().error.message.empty() ? Tr(Str::ExAmbMissing) : i18n::Tr(g.pass.run().error), pal.badge_text);
  } else {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(Tr(Str::ExAmbSource));
    for (int s = 0; s < 2; ++s) {
      const std::string id = std::string(kSources[s]) + "###ex3-source-" + kSources[s];
      if (RadioInRow(id.c_str(), g.source == s)) g.source = s;
      Hotspot((std::string("ex3_source_") + kSources[s]).c_str());
    }
    LayerHeadPicker("ex3", &g.layer, &g.head, c.n_layer, c.n_head);
    ImGui::Spacing();
    MakePrediction();
    if (PredictBox(g.prediction, g.predict, "ex3")) {
      const session::TargetVote& v = g.vote[g.source];
      if (v.mean.size() == 3) {
        Paragraph(StrFormat(Tr(Str::ExAmbVote), g.L * g.H, v.mean[0], v.mean[1], v.mean[2], v.wins[0], v.wins[1], v.wins[2]));
        Hotspot("ex3_vote");
      }
      ImGui::Spacing();
      MeanBars();
      ImGui::Spacing();
      HeadGrid();
      ImGui::Spacing();
      FullMap();
    }
    ImGui::Spacing();
    const session::PinnedFigure fig = AmbiguityExerciseFigure();
    PinButton("ex3_pin", fig.title, fig.table);
  }
  ImGui::Spacing();
  ImGui::Separator();
  AnswerBox("ex3.q1", "ex3_q1", Tr(Str::ExAmbQ1), 3);
  AnswerBox("ex3.q2", "ex3_q2", Tr(Str::ExAmbQ2), 3);
  AnswerBox("ex3.q3", "ex3_q3", Tr(Str::ExAmbQ3), 3);
}

//-----------------------------------------------------------------------------
// [SECTION] State API, report, figure
//-----------------------------------------------------------------------------

std::string AmbiguityExerciseJson() {
  if (!g.pass.run().ok()) return "null";
  std::string j = "{\"sentence\":" + json::Quote(kSentence) + ",\"tokens\":[";
  for (size_t i = 0; i < g.labels.size(); ++i) {
    j += i ? "," : "";
    j += json::Quote(g.labels[i].text);
  }
  j += "],\"sources\":{\"with\":" + std::to_string(g.src[0]) + ",\"telescope\":" + std::to_string(g.src[1]) + "}";
  j += ",\"targets\":{\"saw\":" + std::to_string(g.tgt[0]) + ",\"man\":" + std::to_string(g.tgt[1]) +
       ",\"hill\":" + std::to_string(g.tgt[2]) + "}";
  if (!Found()) return j + ",\"found\":false}";
  std::string weights = ",\"weights\":{", means = ",\"means\":{";
  for (int s = 0; s < 2; ++s) {
    weights += s ? ",\"" : "\"";
    weights += std::string(kSources[s]) + "\":[";
    means += s ? ",\"" : "\"";
    means += std::string(kSources[s]) + "\":[";
    for (int l = 0; l < g.L; ++l) {
      weights += l ? ",[" : "[";
      for (int h = 0; h < g.H; ++h) {
        weights += h ? "," : "";
        weights += JsonFloats({W(s, l, h, 0), W(s, l, h, 1), W(s, l, h, 2)});
      }
      weights += "]";
      means += l ? "," : "";
      means += JsonFloats({Mean(s, l, 0), Mean(s, l, 1), Mean(s, l, 2)});
    }
    weights += "]";
    means += "]";
  }
  j += ",\"found\":true" + weights + "}" + means + "}";
  j += ",\"source\":" + json::Quote(kSources[g.source]) + ",\"layer\":" + std::to_string(g.layer) +
       ",\"head\":" + std::to_string(g.head) + ",\"question_id\":" + json::Quote(g.prediction.id);
  // The vote across every layer and head (what the prediction is scored on), per source.
  j += ",\"vote\":{";
  for (int s = 0; s < 2; ++s) {
    const session::TargetVote& v = g.vote[s];
    j += std::string(s ? "," : "") + "\"" + kSources[s] + "\":{\"mean\":" + JsonFloats(v.mean) + ",\"wins\":[";
    for (size_t k = 0; k < v.wins.size(); ++k) j += (k ? "," : "") + std::to_string(v.wins[k]);
    j += "],\"best\":" + std::to_string(v.best) + StrFormat(",\"margin\":%.6g", v.margin) + ",\"clear\":" + (v.clear ? "true" : "false") + "}";
  }
  j += "}}";
  return j;
}

session::ReportSection AmbiguityExerciseReport() {
  const session::Notes& notes = ExerciseNotes();
  session::ReportSection s;
  s.heading = Tr(Str::ExTabAmbiguity);
  s.question = Tr(Str::ExAmbQuestion);
  s.answers = {{Tr(Str::ExAmbQ1), notes.Field("ex3.q1")},
               {Tr(Str::ExAmbQ2), notes.Field("ex3.q2")},
               {Tr(Str::ExAmbQ3), notes.Field("ex3.q3")}};
  return s;
}

session::PinnedFigure AmbiguityExerciseFigure() {
  session::PinnedFigure f;
  if (!Ready()) return f;
  f.title = StrFormat(Tr(Str::ExFigAmbiguity), kSources[g.source]);
  std::string& md = f.table;
  md = std::string("| ") + Tr(Str::ExColLayer) + " | " + Tr(Str::ExColHead) + " | saw | man | hill |\n|---|---|---|---|---|\n";
  for (int l = 0; l < g.L; ++l) {
    for (int h = 0; h < g.H; ++h)
      md += StrFormat("| %d | %d | %.3f | %.3f | %.3f |\n", l + 1, h + 1, W(g.source, l, h, 0), W(g.source, l, h, 1), W(g.source, l, h, 2));
    md += StrFormat("| %d | %s | %.3f | %.3f | %.3f |\n", l, Tr(Str::ExMeanOfHeads), Mean(g.source, l, 0), Mean(g.source, l, 1),
                 Mean(g.source, l, 2));
  }
  return f;
}

}  // namespace attn::ui
