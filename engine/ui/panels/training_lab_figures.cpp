// 训练实验室's figures: loss and accuracy over steps, every head's attention on the probe
// sequence (layers × heads, one enlarged with its tokens), the head scores over steps, the
// events worded as sentences, and compare mode's overlaid curves with one computed verdict per
// variant. Every sentence is built from this run's numbers; nothing claims what was not measured.
//
// [SECTION] Index
//   - Words (task names, run labels, events, verdicts)
//   - Loss and accuracy
//   - Head maps
//   - Head scores
//   - Events
//   - Comparison
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ui/panels/architecture_parts.h"
#include "ui/panels/training_lab_parts.h"
#include "ui/theme.h"
#include "ui/widgets/dense_heatmap.h"
#include "ui/widgets/heatmap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/line_chart.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui::lab {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] Words
//-----------------------------------------------------------------------------

const char* TaskTitle(train::Task task) {
  switch (task) {
    case train::Task::Induction: return Tr(Str::LabTaskInduction);
    case train::Task::Order: return Tr(Str::LabTaskOrder);
    case train::Task::TwoLookups: return Tr(Str::LabTaskTwoLookups);
  }
  return "";
}

const char* PosLabel(train::PosEncoding pe) {
  switch (pe) {
    case train::PosEncoding::Learned: return Tr(Str::LabPosLearned);
    case train::PosEncoding::Sinusoidal: return Tr(Str::LabPosSin);
    case train::PosEncoding::None: return Tr(Str::LabPosNone);
  }
  return "";
}

std::string RunLabel(const LabState&, const LabRun& run) {
  const train::ToyConfig& c = run.config;
  if (c.task == train::Task::TwoLookups) return StrFormat(Tr(Str::LabRunHeads), c.heads, c.d_model / c.heads);
  return StrFormat(Tr(Str::LabRunPosCausal), Tr(c.pe == train::PosEncoding::None ? Str::LabOff : Str::LabOn),
                   Tr(c.bidirectional ? Str::LabBidiShort : Str::LabCausalShort));
}

std::vector<std::string> EventLines(const train::ToyTrainer& t) {
  std::vector<std::string> lines;
  for (const train::Event& e : t.events()) {
    switch (e.kind) {
      case train::EventKind::PrevTokenHead:
        lines.push_back(StrFormat(Tr(Str::LabEventPrev), e.step, e.layer + 1, e.head + 1, e.value));
        break;
      case train::EventKind::InductionHead:
        lines.push_back(StrFormat(Tr(Str::LabEventInduction), e.step, e.layer + 1, e.head + 1, e.value));
        break;
      case train::EventKind::AccuracyReached90:
        lines.push_back(StrFormat(Tr(Str::LabEventAccuracy), e.step, 100.0f * e.value));
        break;
    }
  }
  return lines;
}

// The highest score among the heads at the latest history point.
static BestHead Best(const LabRun& run, float train::HeadScore::*score) {
  BestHead best;
  const auto& h = run.trainer->history();
  if (h.empty()) return best;
  for (const train::HeadScore& s : h.back().heads)
    if (best.layer < 0 || s.*score > best.value) best = {s.layer, s.head, s.*score};
  return best;
}
BestHead BestPrevToken(const LabRun& run) { return Best(run, &train::HeadScore::prev_token); }
BestHead BestInduction(const LabRun& run) { return Best(run, &train::HeadScore::induction); }

// Guessing: A or B for order, one of n² pairs for two lookups, one of n symbols for induction.
float ChanceAccuracy(const train::ToyConfig& c) {
  const float n = static_cast<float>(std::max(1, c.symbols));
  if (c.task == train::Task::Order) return 0.5f;
  return c.task == train::Task::TwoLookups ? 1.0f / (n * n) : 1.0f / n;
}

// The run's accuracy: on fresh sequences once it finished, else the latest history point.
static float MeasuredAccuracy(const LabRun& run) {
  if (run.eval_accuracy >= 0) return run.eval_accuracy;
  return run.accuracy.empty() ? run.trainer->accuracy() : run.accuracy.back();
}

std::string Verdict(const LabState& st, const LabRun& run) {
  const train::ToyConfig& c = run.config;
  const float acc = MeasuredAccuracy(run), chance = ChanceAccuracy(c);
  Str word = Str::LabVerdictPartly;
  if (run.trainer->history().empty()) word = Str::LabVerdictTooEarly;
  else if (acc >= 0.9f) word = Str::LabVerdictLearned;
  else if (acc < chance + 0.1f * (1.0f - chance)) word = Str::LabVerdictChance;
  const std::string label = RunLabel(st, run);
  if (c.task == train::Task::Order)
    return StrFormat(Tr(Str::LabVerdictOrder), label.c_str(), run.trainer->step(), 100.0f * acc, Tr(word));
  return StrFormat(Tr(Str::LabVerdictLookups), label.c_str(), run.trainer->step(), run.trainer->last_loss(), 100.0f * acc,
                   100.0f * chance, Tr(word));
}

static void Subheading(Str text) { Paragraph(Tr(text), GetPalette().accent); }

//-----------------------------------------------------------------------------
// [SECTION] Loss and accuracy
//-----------------------------------------------------------------------------

// Two charts side by side where they fit (each at least 18 em), else one under the other.
static float ChartWidth(int* per_row) {
  const float em = ImGui::GetFontSize(), avail = ImGui::GetContentRegionAvail().x;
  *per_row = avail >= 2 * 18.0f * em ? 2 : 1;
  return *per_row == 2 ? (avail - ImGui::GetStyle().ItemSpacing.x) / 2 : avail;
}

// Loss (left) and accuracy with the chance level (right) for every run in `runs`.
static void LossAndAccuracy(LabState& st, const std::vector<const LabRun*>& runs, const char* id) {
  const float em = ImGui::GetFontSize();
  int per_row = 1;
  const float w = ChartWidth(&per_row), h = std::clamp(w * 0.55f, 9.0f * em, 14.0f * em);
  std::vector<std::string> labels;
  for (const LabRun* r : runs) labels.push_back(runs.size() > 1 ? RunLabel(st, *r) : Tr(Str::LabLoss));
  std::vector<ChartSeries> loss, acc;
  for (size_t i = 0; i < runs.size(); ++i) {
    const int n = static_cast<int>(runs[i]->steps.size());
    loss.push_back({labels[i].c_str(), runs[i]->steps.data(), runs[i]->loss.data(), n, static_cast<int>(i)});
    acc.push_back({runs.size() > 1 ? labels[i].c_str() : Tr(Str::LabAccuracy), runs[i]->steps.data(),
                   runs[i]->accuracy.data(), n, runs.size() > 1 ? static_cast<int>(i) : 2});
  }
  // The chance level as a dashed line across the steps trained so far.
  const float chance = ChanceAccuracy(runs[0]->config);
  const float last = std::max(1.0f, static_cast<float>(st.target));
  const float chance_x[] = {0.0f, last}, chance_y[] = {chance, chance};
  acc.push_back({Tr(Str::LabChance), chance_x, chance_y, 2, 6, true});
  ChartAxes axes;
  axes.x_label = Tr(Str::LabStepAxis);
  axes.x_integers = true;
  axes.x_min = 0.0f;
  axes.x_max = last;
  axes.y_label = Tr(Str::LabLoss);
  axes.y_min = 0.0f;
  LineChart((std::string("##loss-") + id).c_str(), axes, loss, w, h);
  Hotspot((std::string("lab_loss_chart") + (runs.size() > 1 ? "_compare" : "")).c_str());
  if (per_row == 2) ImGui::SameLine();
  axes.y_label = Tr(Str::LabAccuracy);
  axes.y_max = 1.0f;
  LineChart((std::string("##acc-") + id).c_str(), axes, acc, w, h);
  Hotspot((std::string("lab_accuracy_chart") + (runs.size() > 1 ? "_compare" : "")).c_str());
}

void DrawLossChart(LabState& st) {
  Subheading(Str::LabLossHeading);
  Paragraph(Tr(Str::LabLossText), GetPalette().muted_text);
  LossAndAccuracy(st, {&st.runs[0]}, "single");
}

//-----------------------------------------------------------------------------
// [SECTION] Head maps
//-----------------------------------------------------------------------------

static std::vector<std::string> ProbeLabels(const LabRun& run) {
  std::vector<std::string> labels;
  for (int i = 0; i < run.probe.T; ++i) labels.push_back(run.trainer->TokenLabel(run.probe.tokens[i]));
  return labels;
}

// The head's current scores (the probe after the latest step) for its tooltip and title.
static train::HeadScore ScoreOf(const LabRun& run, int layer, int head) {
  const auto& h = run.trainer->history();
  if (!h.empty())
    for (const train::HeadScore& s : h.back().heads)
      if (s.layer == layer && s.head == head) return s;
  return {};
}

// Layers as rows, heads side by side (wrapping on narrow screens); click one to enlarge it.
void DrawHeadMaps(LabState& st) {
  Subheading(Str::LabHeadsHeading);
  Paragraph(Tr(Str::LabHeadsText), GetPalette().muted_text);
  if (st.compare && st.runs.size() > 1) {  // whose heads
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(Tr(Str::LabShowHeadsOf));
    for (int i = 0; i < static_cast<int>(st.runs.size()); ++i) {
      const std::string label = RunLabel(st, st.runs[i]) + "###lab-shown-" + std::to_string(i);
      SameLineIfFits(LabelledWidth(ImGui::GetFrameHeight(), label.c_str()));
      if (ImGui::RadioButton(label.c_str(), st.shown_run == i) && st.shown_run != i) {
        st.shown_run = i;
        st.open_layer = st.open_head = 0;
      }
      Hotspot(("lab_shown_" + std::to_string(i)).c_str());
    }
  }
  const LabRun& run = st.runs[st.shown_run];
  const train::ProbeAttention& p = run.probe;
  if (p.T == 0) return;
  const std::vector<std::string> labels = ProbeLabels(run);
  st.open_layer = std::clamp(st.open_layer, 0, p.layers - 1);
  st.open_head = std::clamp(st.open_head, 0, p.heads - 1);

  const float em = ImGui::GetFontSize(), gap = ImGui::GetStyle().ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float label_w = ImGui::CalcTextSize(StrFormat(Tr(Str::LabLayerRow), p.layers).c_str()).x + gap;
  const float fit = (avail - label_w - gap * (p.heads - 1)) / p.heads;
  const float size = std::clamp(fit, 4.0f * em, 9.0f * em);
  // Heads per line: as many as fit, balanced (4 heads on a phone as 2 + 2, not 3 + 1).
  int per_line = std::clamp(static_cast<int>((avail - label_w + gap) / (size + gap)), 1, p.heads);
  per_line = (p.heads + (p.heads + per_line - 1) / per_line - 1) / ((p.heads + per_line - 1) / per_line);
  for (int l = 0; l < p.layers; ++l) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(StrFormat(Tr(Str::LabLayerRow), l + 1).c_str());
    ImGui::SameLine(label_w);
    const float row_x = ImGui::GetCursorPosX();
    for (int h = 0; h < p.heads; ++h) {
      if (h % per_line) ImGui::SameLine();
      else if (h) ImGui::SetCursorPosX(row_x);  // the next line starts under the first map, not the label
      ImGui::BeginGroup();
      ImGui::TextUnformatted(StrFormat(Tr(Str::LabHeadShort), h + 1).c_str());
      DenseHeatmapSpec spec;
      spec.values = p.Map(l, h);
      spec.rows = spec.cols = p.T;
      spec.width = size;
      spec.ticks = false;
      spec.frame = true;
      spec.selected = l == st.open_layer && h == st.open_head;
      const std::string id = "##lab-map-" + std::to_string(l) + "-" + std::to_string(h);
      const DenseHeatmapHover hover = DenseHeatmap(id.c_str(), spec);
      Hotspot(("lab_map_" + std::to_string(l) + "_" + std::to_string(h)).c_str());
      if (hover.row >= 0) {
        const train::HeadScore s = ScoreOf(run, l, h);
        ImGui::SetTooltip("%s\n%s\n%s", StrFormat(Tr(Str::LabHeadName), l + 1, h + 1).c_str(),
                          StrFormat(Tr(Str::LabReadOut), labels[hover.row].c_str(), labels[hover.col].c_str(), hover.value).c_str(),
                          StrFormat(Tr(Str::LabHeadScores), s.prev_token, s.induction).c_str());
      }
      if (hover.clicked) {
        st.open_layer = l;
        st.open_head = h;
      }
      ImGui::EndGroup();
    }
  }
  // The enlarged head, with the probe's tokens along both edges.
  ImGui::Spacing();
  const train::HeadScore s = ScoreOf(run, st.open_layer, st.open_head);
  Paragraph(StrFormat(Tr(Str::LabHeadName), st.open_layer + 1, st.open_head + 1) + " · " +
                StrFormat(Tr(Str::LabHeadScores), s.prev_token, s.induction),
            GetPalette().accent);
  HeatmapSpec spec;
  spec.values = p.Map(st.open_layer, st.open_head);
  spec.rows = spec.cols = p.T;
  spec.row_labels = spec.col_labels = &labels;
  spec.max_cell_em = std::clamp(24.0f / p.T, 0.95f, 1.6f);  // ~24 em wide, labels kept legible
  spec.read_out = Tr(Str::LabReadOut);
  Heatmap("##lab-map-large", spec);
  Hotspot("lab_map_large");
}

//-----------------------------------------------------------------------------
// [SECTION] Head scores
//-----------------------------------------------------------------------------

// Every head's previous-symbol score (solid) and, for the induction task, its induction score
// (dashed), one colour per head, over the steps.
void DrawHeadScoreChart(LabState& st) {
  Subheading(Str::LabScoresHeading);
  Paragraph(Tr(Str::LabScoresText), GetPalette().muted_text);
  const LabRun& run = st.runs[st.shown_run];
  const bool induction = run.config.task == train::Task::Induction;
  std::vector<std::string> names;
  const int heads = static_cast<int>(run.prev.size());
  for (int k = 0; k < heads; ++k) {
    const int l = k / run.config.heads + 1, h = k % run.config.heads + 1;
    names.push_back(StrFormat("L%dH%d %s", l, h, Tr(Str::LabScorePrev)));
    if (induction) names.push_back(StrFormat("L%dH%d %s", l, h, Tr(Str::LabScoreInd)));
  }
  std::vector<ChartSeries> series;
  const int n = static_cast<int>(run.steps.size());
  for (int k = 0; k < heads; ++k) {
    series.push_back({names[induction ? 2 * k : k].c_str(), run.steps.data(), run.prev[k].data(), n, k});
    if (induction) series.push_back({names[2 * k + 1].c_str(), run.steps.data(), run.induction[k].data(), n, k, true});
  }
  const float threshold_x[] = {0.0f, static_cast<float>(std::max(1, st.target))};
  const float threshold_y[] = {run.config.head_threshold, run.config.head_threshold};
  const std::string threshold = "0.5";
  series.push_back({threshold.c_str(), threshold_x, threshold_y, 2, 6, true});
  ChartAxes axes;
  axes.x_label = Tr(Str::LabStepAxis);
  axes.y_label = Tr(Str::LabScoreAxis);
  axes.x_integers = true;
  axes.x_min = 0.0f;
  axes.x_max = threshold_x[1];
  axes.y_min = 0.0f;
  axes.y_max = 1.0f;
  const float em = ImGui::GetFontSize();
  const float w = ImGui::GetContentRegionAvail().x;
  LineChart("##lab-scores", axes, series, w, std::clamp(w * 0.4f, 10.0f * em, 16.0f * em));
  Hotspot("lab_scores_chart");
}

//-----------------------------------------------------------------------------
// [SECTION] Events
//-----------------------------------------------------------------------------

void DrawEvents(LabState& st) {
  Subheading(Str::LabEventsHeading);
  const LabRun& run = st.runs[st.shown_run];
  const std::vector<std::string> lines = EventLines(*run.trainer);
  if (lines.empty())
    Paragraph(StrFormat(Tr(Str::LabNoEvents), run.trainer->step(), run.config.head_threshold));
  for (const std::string& line : lines) Paragraph("· " + line);
  const BestHead prev = BestPrevToken(run), ind = BestInduction(run);
  // The induction score means something only on the induction task's probe (a repeat).
  if (prev.layer >= 0 && run.config.task == train::Task::Induction)
    Paragraph(StrFormat(Tr(Str::LabBestHeads), prev.layer + 1, prev.head + 1, prev.value, ind.layer + 1, ind.head + 1,
                        ind.value),
              GetPalette().muted_text);
  else if (prev.layer >= 0)
    Paragraph(StrFormat(Tr(Str::LabBestPrev), prev.layer + 1, prev.head + 1, prev.value), GetPalette().muted_text);
  Hotspot("lab_events");
}

//-----------------------------------------------------------------------------
// [SECTION] Comparison
//-----------------------------------------------------------------------------

void DrawComparison(LabState& st) {
  Subheading(Str::LabCompareHeading);
  Paragraph(Tr(st.config.task == train::Task::Order ? Str::LabCompareOrderText : Str::LabCompareLookupsText),
            GetPalette().muted_text);
  std::vector<const LabRun*> runs;
  for (const LabRun& r : st.runs) runs.push_back(&r);
  LossAndAccuracy(st, runs, "compare");
  for (const LabRun& r : st.runs) Paragraph("· " + Verdict(st, r));
  Hotspot("lab_verdicts");
  Paragraph(Tr(Str::LabVerdictNote), GetPalette().muted_text);
}

}  // namespace attn::ui::lab
