// 练习 1 · 多头注意力 — every head of one layer side by side as small maps on one sentence, a
// label per head (previous word, first token, same word, related noun, punctuation, other +
// a note), and what one head alone can do: the top-5 next tokens with all heads vs with all
// but one head zeroed (session::KeepOnlyHead, run on our own interventions — the session's
// are never touched).
//
// Predict first: "Layer L: which token will QUERY attend to most (mean of the heads)?"
// And for one head vs all: "on a short held-out text (session::kHeldOutText), will the model
// predict worse, about as well, or better?" — measured as the loss per token
// (session::ExerciseLoss, MeasureOneHead), not the top-1 token, and not scored when the change
// is below kClearLossChange (the loaded model does not show the effect).
//
// Options: ex.text1 (the sentence), ex.layer, ex.query (token index), ex.head (the head kept),
// ex.every=0|1 (keep it in every layer, or only in ex.layer), ex.guess1=J (commit token J),
// ex.guess1b=worse|same|better (the one-head question).
//
// [SECTION] Index
//   - State and numbers (the sentence run with every head, and with one)
//   - Update
//   - Draw: head maps with labels, one head vs all
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
#include "ui/widgets/hotspots.h"
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

constexpr char kDefaultSentence[] = "The robot delivered the mail after it was fixed.";

// The label choices: stored by id (language-independent), shown by name.
struct HeadLabel {
  const char* id;
  Str name;
};
constexpr HeadLabel kLabels[] = {
    {"", Str::ExLabelNone},        {"prev", Str::ExLabelPrev},   {"first", Str::ExLabelFirst},
    {"same", Str::ExLabelSame},    {"noun", Str::ExLabelNoun},   {"punct", Str::ExLabelPunct},
    {"other", Str::ExLabelOther},
};

struct HeadsState {
  std::string sentence = kDefaultSentence;
  std::string edit;  // the sentence field's text
  int layer = 0, query = -1, head = 0;
  bool every_layer = true;
  PredictionUi predict;
  int guess_option = -1;                   // ex.guess1
  // What the numbers were computed for, and the numbers (the passes: session/exercise_runs.h).
  uint64_t model_id = 0;
  std::string computed_sentence;
  std::vector<int> ids;
  std::vector<session::TokenLabel> labels;
  session::ExercisePass all, one;          // every head; one head kept
  Prediction prediction;
  // One head vs all, measured on the held-out text and on the sentence's next token.
  std::vector<int> held_out;
  session::ExerciseLoss loss_all, loss_one;
  session::OneHeadEffect effect;
  PredictionUi predict_one;
  std::string guess_one_option;            // ex.guess1b
  Prediction one_prediction;
};

HeadsState g;

std::string LabelKey(int l, int h) { return "ex1.label.L" + std::to_string(l) + "H" + std::to_string(h); }
std::string NoteKey(int l, int h) { return "ex1.note.L" + std::to_string(l) + "H" + std::to_string(h); }

const char* LabelName(const std::string& id) {
  for (const HeadLabel& l : kLabels)
    if (id == l.id) return Tr(l.name);
  return id.c_str();
}

bool Ready() { return g.all.run().ok() && static_cast<int>(g.labels.size()) == g.all.run().trace.count; }

// The query row of layer l, head h (h < 0: the mean of the heads).
std::vector<float> Row(int l, int h) {
  const model::Trace& t = g.all.run().trace;
  const int n = t.count;
  std::vector<float> row(n, 0.0f);
  for (int j = 0; j < n; ++j) {
    if (h >= 0) {
      row[j] = t.Attention(l, h, g.query, j);
    } else {
      for (int k = 0; k < t.n_head; ++k) row[j] += t.Attention(l, k, g.query, j);
      row[j] /= t.n_head;
    }
  }
  return row;
}

int ArgMax(const std::vector<float>& v) {
  return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
}

std::string Choice(int i) { return g.labels[i].text + " (#" + std::to_string(i) + ")"; }

void Compute(session::Session& session) {
  const model::Config& c = session.info().config;
  g.layer = std::clamp(g.layer, 0, c.n_layer - 1);
  g.head = std::clamp(g.head, 0, c.n_head - 1);
  if (g.computed_sentence != g.sentence || g.model_id != session.model_id()) {
    if (g.computed_sentence != g.sentence) g.query = -1;  // a new sentence: "it" again
    g.ids = session::ExerciseIds(session, g.sentence);
    g.labels = session::MakeTokenLabels(session.tokenizer(), g.ids);
    g.held_out = session::ExerciseIds(session, session::kHeldOutText);
    g.computed_sentence = g.sentence;
    g.model_id = session.model_id();
  }
  const model::Interventions keep = session::KeepOnlyHead(c, g.every_layer ? -1 : g.layer, g.head);
  bool ran = g.all.Update(session, g.ids, {});
  ran |= g.one.Update(session, g.ids, keep);
  ran |= g.loss_all.Update(session, g.held_out, {});
  ran |= g.loss_one.Update(session, g.held_out, keep);
  if (ran) g.effect = session::MeasureOneHead(g.loss_all.loss(), g.loss_one.loss(), g.all.run().logits, g.one.run().logits);
}

void MakePrediction() {
  Prediction& p = g.prediction;
  p = Prediction{};
  if (!Ready()) return;
  const int n = static_cast<int>(g.labels.size());
  if (g.query < 0 || g.query >= n) {
    const int it = session::FindWordToken(g.labels, "it");
    g.query = it >= 0 ? it : n - 1;
  }
  p.id = "ex1|" + g.sentence + "|L" + std::to_string(g.layer) + "|q" + std::to_string(g.query);
  p.question = StrFormat(Tr(Str::ExHeadsPredict), g.layer + 1, g.labels[g.query].text.c_str());
  for (int j = 0; j <= g.query; ++j) p.choices.push_back(Choice(j));  // later tokens are masked
  const std::vector<float> mean = Row(g.layer, -1);
  p.answer = ArgMax(std::vector<float>(mean.begin(), mean.begin() + g.query + 1));

  Prediction& q = g.one_prediction;
  q = Prediction{};
  if (!std::isfinite(g.effect.loss_all) || !std::isfinite(g.effect.loss_one)) return;
  const std::string where = g.every_layer ? std::string(Tr(Str::ExOneWhereEvery)) : StrFormat(Tr(Str::ExOneWhereLayer), g.layer + 1);
  q.id = "ex1b|H" + std::to_string(g.head) + (g.every_layer ? std::string("|every") : "|L" + std::to_string(g.layer));
  q.question = StrFormat(Tr(Str::ExOnePredict), g.head + 1, where.c_str());
  q.choices = {Tr(Str::ExChoiceWorse), Tr(Str::ExChoiceSame), Tr(Str::ExChoiceBetter)};
  q.answer = static_cast<int>(g.effect.outcome);
  q.clear = g.effect.clear;
  q.weak_note = StrFormat(Tr(Str::ExOneWeak), session::kClearLossChange);
}

}  // namespace


//-----------------------------------------------------------------------------
// [SECTION] Update
//-----------------------------------------------------------------------------

void UpdateHeadsExercise(AppState& app, session::Session& session) {
  const std::string text = TakeOption(app, "ex.text1");
  if (!text.empty()) g.sentence = text;
  TakeIntOption(app, "ex.layer", &g.layer);
  TakeIntOption(app, "ex.head", &g.head);
  int every = -1;
  TakeIntOption(app, "ex.every", &every);
  if (every >= 0) g.every_layer = every != 0;
  TakeIntOption(app, "ex.guess1", &g.guess_option);
  int query = -1;
  TakeIntOption(app, "ex.query", &query);
  Compute(session);
  if (query >= 0) g.query = query;
  MakePrediction();
  if (g.guess_option >= 0) {
    CommitGuess(g.prediction, g.guess_option);
    g.guess_option = -1;
  }
  const std::string one = TakeOption(app, "ex.guess1b");
  if (!one.empty()) g.guess_one_option = one;
  if (!g.guess_one_option.empty()) {
    const int choice = g.guess_one_option == "worse" ? 0 : g.guess_one_option == "same" ? 1 : 2;
    CommitGuess(g.one_prediction, choice);
    g.guess_one_option.clear();
  }
}


//-----------------------------------------------------------------------------
// [SECTION] Draw
//-----------------------------------------------------------------------------

namespace {

// One head's map, rows × columns = tokens, `cell` pixels a cell; the query row outlined, the
// whole map outlined when selected. Returns true when clicked; hover gives a read-out.
bool MiniMap(const char* id, int l, int h, float cell, bool selected) {
  const model::Trace& t = g.all.run().trace;
  const int n = t.count;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const bool clicked = ImGui::InvisibleButton(id, ImVec2(cell * n + 2, cell * n + 2));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const ImVec2 a(o.x + 1 + j * cell, o.y + 1 + i * cell);
      dl->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), Viridis(t.Attention(l, h, i, j)));
    }
  const ImU32 accent = GetPalette().accent;
  dl->AddRect(ImVec2(o.x + 1, o.y + 1 + g.query * cell), ImVec2(o.x + 1 + n * cell, o.y + 1 + (g.query + 1) * cell),
              IM_COL32(255, 255, 255, 200), 0, 0, 1.0f);
  if (selected) dl->AddRect(o, ImVec2(o.x + cell * n + 2, o.y + cell * n + 2), accent, 0, 0, 2.0f);
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int j = static_cast<int>(std::floor((m.x - o.x - 1) / cell)), i = static_cast<int>(std::floor((m.y - o.y - 1) / cell));
    if (i >= 0 && i < n && j >= 0 && j < n)
      ImGui::SetTooltip(Tr(Str::VisReadOut), i, g.labels[i].text.c_str(), j, g.labels[j].text.c_str(), t.Attention(l, h, i, j));
  }
  return clicked;
}

void LabelCombo(int l, int h, float width) {
  session::Notes& notes = ExerciseNotes();
  const std::string key = LabelKey(l, h);
  const std::string current = notes.Field(key);
  ImGui::SetNextItemWidth(width);
  const std::string id = "###ex1-label-" + std::to_string(h);
  if (ImGui::BeginCombo(id.c_str(), LabelName(current))) {
    for (const HeadLabel& lab : kLabels)
      if (ImGui::Selectable(Tr(lab.name), current == lab.id)) {
        notes.SetField(key, lab.id);
        NotesChanged(true);
      }
    ImGui::EndCombo();
  }
  Hotspot(("ex1_label_" + std::to_string(h)).c_str());
  NoteField(NoteKey(l, h).c_str(), ("ex1_note_" + std::to_string(h)).c_str(), Tr(Str::ExLabelNoteHint), width);
}

void HeadGrid() {
  const model::Trace& t = g.all.run().trace;
  const float em = ImGui::GetFontSize(), gap = ImGui::GetStyle().ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  const int cols = std::clamp(static_cast<int>(avail / (10.5f * em)), 2, 4);
  const float col_w = (avail - gap * (cols - 1)) / cols;
  ImGui::TextUnformatted(StrFormat(Tr(Str::ExHeadsGrid), g.layer + 1).c_str());
  Paragraph(Tr(Str::ExHeadsGridHelp), GetPalette().muted_text);
  const float cell = std::clamp((col_w - 2) / t.count, 2.0f, 0.9f * em);
  for (int h = 0; h < t.n_head; ++h) {  // groups in rows of `cols`, one column wide each
    if (h % cols) ImGui::SameLine(0, gap);
    ImGui::BeginGroup();
    ImGui::PushID(h);
    const bool selected = h == g.head;
    if (selected) ImGui::PushStyleColor(ImGuiCol_Text, GetPalette().accent);
    ImGui::AlignTextToFramePadding();  // the same baseline in every group of a row
    ImGui::TextUnformatted(StrFormat(Tr(Str::ExHeadShort), h + 1).c_str());
    if (selected) ImGui::PopStyleColor();
    if (MiniMap("map", g.layer, h, cell, selected)) g.head = h;
    Hotspot(("ex1_map_" + std::to_string(h)).c_str());
    LabelCombo(g.layer, h, col_w);
    ImGui::PopID();
    ImGui::EndGroup();
  }
}

void Comparison(const session::Session& s) {
  const model::Config& c = s.info().config;
  ExerciseHeading(Tr(Str::ExCompareHeading));
  Paragraph(Tr(Str::ExCompareText));
  const float w = ImGui::GetFontSize() * 8;
  ImGui::SetNextItemWidth(w);
  IndexSlider(IdLabel(Str::ExKeepHead, "ex1-keep").c_str(), &g.head, c.n_head);
  Hotspot("ex1_keep");
  const std::string every = IdLabel(Str::ExEveryLayer, "ex1-every");
  SameLineIfFits(LabelledWidth(ImGui::GetFrameHeight(), every.c_str()));
  ImGui::Checkbox(every.c_str(), &g.every_layer);
  Hotspot("ex1_every");
  const bool side = ImGui::GetContentRegionAvail().x > 26 * ImGui::GetFontSize();
  const bool table = side && ImGui::BeginTable("ex1-bars", 2);
  if (table) ImGui::TableNextColumn();
  ImGui::TextUnformatted(Tr(Str::ExAllHeads));
  TopBars(s, "ex1_bars_all", g.all.top5(), TopBarsMax(g.all.top5(), g.one.top5()), Categorical(4));
  if (table) ImGui::TableNextColumn();
  ImGui::TextUnformatted(StrFormat(Tr(Str::ExOneHead), g.head + 1).c_str());
  TopBars(s, "ex1_bars_one", g.one.top5(), TopBarsMax(g.all.top5(), g.one.top5()), Categorical(0));
  if (table) ImGui::EndTable();
  ImGui::Spacing();
  // Predict, then the measurement: the loss on a held-out text and the whole distribution,
  // not whether the top-1 token happens to survive.
  if (PredictBox(g.one_prediction, g.predict_one, "ex1b")) {
    const session::OneHeadEffect& e = g.effect;
    Paragraph(std::string(Tr(Str::ExHeldOut)) + session::kHeldOutText, GetPalette().muted_text);
    Paragraph(StrFormat(Tr(Str::ExOneLoss), e.loss_all, g.head + 1, e.loss_one, e.loss_one - e.loss_all));
    Paragraph(StrFormat(Tr(Str::ExOneNext), e.next.total_variation, e.next.top5_overlap));
    Hotspot("ex1b_measure");
  }
}

}  // namespace

void DrawHeadsExercise(session::Session& session) {
  const Palette& pal = GetPalette();
  const model::Config& c = session.info().config;
  Paragraph(Tr(Str::ExHeadsQuestion));
  AnswerBox("ex1.answer", "ex1_answer", Tr(Str::ExYourAnswer));
  ImGui::Spacing();
  ImGui::Separator();

  if (g.edit != g.sentence && !ImGui::IsAnyItemActive()) g.edit = g.sentence;
  ImGui::SetNextItemWidth(-1);
  if (InputString("###ex1-sentence", Tr(Str::SelfAttnSentence), &g.edit)) g.sentence = g.edit;
  Hotspot("ex1_sentence");
  RequestGlyphs(g.sentence);
  if (!Ready()) {
    Paragraph(g.all.run().error.message.empty() ? Tr(Str::SelfAttnEmpty) : i18n::Tr(g.all.run().error), pal.badge_text);
    return;
  }
  const float w = ImGui::GetFontSize() * 8;
  ImGui::SetNextItemWidth(w);
  IndexSlider(IdLabel(Str::SelfAttnLayer, "ex1-layer").c_str(), &g.layer, c.n_layer);
  Hotspot("ex1_layer");
  const std::string query = IdLabel(Str::ExQuery, "ex1-query");
  SameLineIfFits(LabelledWidth(w, query.c_str()));
  ImGui::SetNextItemWidth(w);
  if (ImGui::BeginCombo(query.c_str(), Choice(g.query).c_str())) {
    for (int i = 0; i < static_cast<int>(g.labels.size()); ++i) {
      ImGui::PushID(i);
      if (ImGui::Selectable(Choice(i).c_str(), i == g.query)) g.query = i;
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  Hotspot("ex1_query");
  ImGui::Spacing();
  MakePrediction();  // the layer or the query may have just changed
  if (PredictBox(g.prediction, g.predict, "ex1")) {
    ImGui::Spacing();
    HeadGrid();
  }
  ImGui::Spacing();
  ImGui::Separator();
  Comparison(session);
  ImGui::Spacing();
  const session::PinnedFigure fig = HeadsExerciseFigure(session);
  PinButton("ex1_pin", fig.title, fig.table);
}


//-----------------------------------------------------------------------------
// [SECTION] State API, report, figure
//-----------------------------------------------------------------------------

std::string HeadsExerciseJson(const session::Session& session) {
  if (!Ready()) return "null";
  const model::Trace& t = g.all.run().trace;
  std::string j = "{\"sentence\":" + json::Quote(g.sentence) + ",\"tokens\":[";
  for (size_t i = 0; i < g.labels.size(); ++i) {
    j += i ? "," : "";
    j += json::Quote(g.labels[i].text);
  }
  j += "],\"layer\":" + std::to_string(g.layer) + ",\"query\":" + std::to_string(g.query);
  j += ",\"head\":" + std::to_string(g.head) + ",\"every_layer\":" + (g.every_layer ? "true" : "false");
  j += ",\"rows\":[";  // the query's row in every head of the layer
  std::string argmax = "[";
  for (int h = 0; h < t.n_head; ++h) {
    const std::vector<float> row = Row(g.layer, h);
    j += h ? "," : "";
    j += JsonFloats(row);
    argmax += h ? "," : "";
    argmax += std::to_string(ArgMax(row));
  }
  j += "],\"argmax\":" + argmax + "]";
  j += ",\"mean_argmax\":" + std::to_string(g.prediction.answer);
  j += ",\"question\":" + json::Quote(g.prediction.question) + ",\"question_id\":" + json::Quote(g.prediction.id);
  j += ",\"top_all\":" + TopJson(session, g.all.top5()) + ",\"top_one\":" + TopJson(session, g.one.top5());
  // One head vs all, as measured (answer: 0 worse, 1 about the same, 2 better; clear: scored).
  const session::OneHeadEffect& e = g.effect;
  j += StrFormat(",\"one_head\":{\"loss_all\":%.6g,\"loss_one\":%.6g,\"total_variation\":%.6g,\"kl\":%.6g,\"top5_overlap\":%d",
              std::isfinite(e.loss_all) ? e.loss_all : -1.0f, std::isfinite(e.loss_one) ? e.loss_one : -1.0f,
              e.next.total_variation, e.next.kl, e.next.top5_overlap);
  j += ",\"answer\":" + std::to_string(g.one_prediction.answer) + ",\"clear\":" + (e.clear ? "true" : "false");
  j += ",\"question_id\":" + json::Quote(g.one_prediction.id) + "}}";
  return j;
}

session::ReportSection HeadsExerciseReport() {
  const session::Notes& notes = ExerciseNotes();
  session::ReportSection s;
  s.heading = Tr(Str::ExTabHeads);
  s.question = Tr(Str::ExHeadsQuestion);
  s.answers = {{Tr(Str::ExYourAnswer), notes.Field("ex1.answer")}};
  // Every labelled head, in layer and head order (labels of heads this model lacks stay too).
  std::vector<std::pair<int, int>> heads;
  for (const auto& [key, value] : notes.fields) {
    int l = -1, h = -1;
    if (std::sscanf(key.c_str(), "ex1.label.L%dH%d", &l, &h) == 2 || std::sscanf(key.c_str(), "ex1.note.L%dH%d", &l, &h) == 2)
      if (std::find(heads.begin(), heads.end(), std::make_pair(l, h)) == heads.end()) heads.emplace_back(l, h);
  }
  std::sort(heads.begin(), heads.end());
  for (const auto& [l, h] : heads) {
    const std::string& label = notes.Field(LabelKey(l, h));
    const std::string& note = notes.Field(NoteKey(l, h));
    std::string value = label.empty() ? Tr(Str::ExLabelNone) : LabelName(label);
    if (!note.empty()) value += " — " + note;
    s.items.emplace_back(StrFormat(Tr(Str::ExHeadName), l + 1, h + 1), value);
  }
  return s;
}

session::PinnedFigure HeadsExerciseFigure(const session::Session& session) {
  session::PinnedFigure f;
  if (!Ready()) return f;
  const model::Trace& t = g.all.run().trace;
  f.title = StrFormat(Tr(Str::ExFigHeads), g.layer + 1, g.labels[g.query].text.c_str(), g.head + 1);
  std::string& md = f.table;
  md = session::MarkdownCell(g.sentence) + "\n\n";
  md += std::string("| ") + Tr(Str::ExColHead) + " | " + Tr(Str::ExColLabel) + " | " + Tr(Str::ExColTop) + " | " +
        Tr(Str::VisColWeight) + " |\n|---|---|---|---|\n";
  for (int h = 0; h <= t.n_head; ++h) {  // every head, then the mean
    const std::vector<float> row = Row(g.layer, h < t.n_head ? h : -1);
    const int top = ArgMax(row);
    const std::string head = h < t.n_head ? std::to_string(h + 1) : Tr(Str::ExMeanOfHeads);
    const std::string label = h < t.n_head ? LabelName(ExerciseNotes().Field(LabelKey(g.layer, h))) : "";
    md += "| " + head + " | " + session::MarkdownCell(label) + " | " + session::MarkdownCell(Choice(top)) +
          StrFormat(" | %.3f |\n", row[top]);
  }
  md += std::string("\n| ") + Tr(Str::ExColRank) + " | " + Tr(Str::ExAllHeads) + " | " + StrFormat(Tr(Str::ExOneHead), g.head + 1) +
        " |\n|---|---|---|\n";
  for (size_t k = 0; k < std::max(g.all.top5().size(), g.one.top5().size()); ++k) {
    auto cell = [&](const std::vector<model::TokenProb>& top) {
      return k < top.size() ? session::MarkdownCell(TokenText(session, top[k].id)) + StrFormat(" (%.3f)", top[k].p) : std::string();
    };
    md += "| " + std::to_string(k + 1) + " | " + cell(g.all.top5()) + " | " + cell(g.one.top5()) + " |\n";
  }
  return f;
}

}  // namespace attn::ui
