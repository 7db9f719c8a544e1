// 11.4 可视化注意力 (Vibe Coding 实践) — the attention-map explorer: any sentence, any layer
// and head of the loaded GPT-2, and the question the chapter asks of
// "The robot delivered the mail after it was fixed.": does "it" refer to the robot or the mail?
//
//   map      the T × T matrix of one head (or the mean of a layer's heads): row i = how token i
//            spreads its attention over tokens 0..i (causal)
//   row      one token's weights: the token strip tinted by them, its top 5
//   evidence one number pair per head, layers × heads: row's weight on token A vs on token B
//   export   the map as CSV, every layer and head as JSON (attnlab-cli attention's format),
//            and the Hugging Face code that computes the same map
// Below it, the generation section (panels/generation.cpp) grows the sentence token by token.
//
// [SECTION] Index
//   - State and options
//   - Token choices (they follow the sentence as it changes)
//   - Controls: sentence, <|endoftext|>, layer and head
//   - Map and row
//   - Evidence: layers × heads, A vs B
//   - Python and export
//   - Publish
//   - Panel
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "formats/json.h"
#include "session/export.h"
#include "ui/fonts.h"
#include "ui/figure_png.h"
#include "ui/model_dialog.h"
#include "ui/save_file.h"
#include "session/report.h"
#include "ui/panels/exercises_parts.h"
#include "ui/panels/panels.h"
#include "ui/clipboard.h"
#include "ui/theme.h"
#include "ui/panels/narration.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/callout.h"
#include "ui/widgets/heatmap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layer_head_picker.h"
#include "ui/widgets/layout.h"
#include "core/numbers.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"
#include "ui/widgets/text_field.h"
#include "ui/widgets/token_strip.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] State and options
//-----------------------------------------------------------------------------

constexpr char kDefaultSentence[] = "The robot delivered the mail after it was fixed.";

// A token the student chose, kept while the sentence changes: its index, and its text and
// which occurrence of that text it is, so that an <|endoftext|> in front or a generated tail
// does not lose it.
struct TokenRef {
  int index = -1;
  std::string text;
  int occurrence = 0;
  bool chosen = false;  // by the student (kept through edits); else a default, chosen afresh
};

struct VisualizeState {
  bool opened = false;                 // the default sentence is offered once
  SentenceField sentence;              // the session's text, edited here
  int layer = 0, head = 0;
  bool mean_heads = false;
  TokenRef row, a, b;                  // the selected row; the two tokens compared
  int requested_row = -1, requested_a = -1, requested_b = -1;  // vis.row / vis.a / vis.b
  int last_focused = -1;               // token strip keyboard focus, to act on changes only
  uint64_t seen_version = 0;
  bool export_on_start = false;        // vis.export=1: write both files at the first frame
  int png_at_frame = -1;               // vis.png=N: "Export PNG" at the N-th frame (tests)
  bool png_requested = false;          // "Export PNG": the map is drawn off screen next frame
  ImVec2 png_on_screen, png_size;      // where that PNG's pixels sit on screen (tests compare), its size
  std::string export_path[2];          // CSV, JSON: what was written last
  bool export_failed[2] = {false, false};
  std::string export_part;             // why the JSON holds one layer or head only, or ""
  double copied_at = -100.0;
  std::string python;                  // the snippet on screen (a buffer for InputTextMultiline)
};

static VisualizeState g;

// Start-up options (--option / URL): vis.layer, vis.head, vis.mean=1, vis.row (token index),
// vis.a, vis.b (the compared tokens), vis.eot=1 (<|endoftext|> first), vis.export=1.
static void ReadOptions(AppState& app, session::Session& session) {
  TakeIntOption(app, "vis.layer", &g.layer);
  TakeIntOption(app, "vis.head", &g.head);
  int flag = 0;
  if (TakeIntOption(app, "vis.mean", &flag)) g.mean_heads = flag != 0;
  if (TakeIntOption(app, "vis.eot", &flag)) session.SetPrependEndOfText(flag != 0);
  if (TakeIntOption(app, "vis.export", &flag)) g.export_on_start = flag != 0;
  if (TakeIntOption(app, "vis.png", &flag)) g.png_at_frame = flag;
  TakeIntOption(app, "vis.row", &g.requested_row);
  TakeIntOption(app, "vis.a", &g.requested_a);
  TakeIntOption(app, "vis.b", &g.requested_b);
}

//-----------------------------------------------------------------------------
// [SECTION] Token choices
//-----------------------------------------------------------------------------

static int Occurrence(const std::vector<session::TokenLabel>& labels, int i) {
  int k = 0;
  for (int j = 0; j < i; ++j) k += labels[j].text == labels[i].text;
  return k;
}

static void Pick(TokenRef& r, const std::vector<session::TokenLabel>& labels, int i, bool chosen = true) {
  r.chosen = chosen;
  r.index = i;
  r.text = labels[i].text;
  r.occurrence = Occurrence(labels, i);
}

// Finds the token again in a changed sentence; false if it is gone.
static bool Follow(TokenRef& r, const std::vector<session::TokenLabel>& labels) {
  if (r.index < 0) return false;
  int k = 0;
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i].text == r.text && k++ == r.occurrence) {
      r.index = static_cast<int>(i);
      return true;
    }
  return false;
}

static std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The first token that reads `word` (any case), or -1.
static int FindWord(const std::vector<session::TokenLabel>& labels, const char* word) {
  for (size_t i = 0; i < labels.size(); ++i)
    if (Lower(labels[i].text) == word) return static_cast<int>(i);
  return -1;
}

// After the sentence changed: keep what the student chose where it still exists, else the
// defaults — the row "it" (or the last token), the pair robot / mail (or the first two tokens
// that start a word or character, never the <|endoftext|> sink). Defaults are found again in
// every new sentence: typing "… it …" letter by letter ends on "it".
static void ResolveChoices(const std::vector<session::TokenLabel>& labels, bool eot_first) {
  const int n = static_cast<int>(labels.size());
  if (!g.row.chosen || !Follow(g.row, labels)) {
    const int it = FindWord(labels, "it");
    Pick(g.row, labels, it >= 0 ? it : n - 1, false);
  }
  std::vector<int> starts;  // candidates for the compared pair
  for (int i = eot_first ? 1 : 0; i < n; ++i)
    if (labels[i].piece == 1) starts.push_back(i);
  while (starts.size() < 2) starts.push_back(std::min(static_cast<int>(starts.size()), n - 1));
  if (!g.a.chosen || !Follow(g.a, labels)) {
    const int robot = FindWord(labels, "robot");
    Pick(g.a, labels, robot >= 0 ? robot : starts[0], false);
  }
  if (!g.b.chosen || !Follow(g.b, labels) || g.b.index == g.a.index) {  // a grown sentence has room for a pair now
    const int mail = FindWord(labels, "mail");
    Pick(g.b, labels, mail >= 0 && mail != g.a.index ? mail : starts[starts[0] == g.a.index ? 1 : 0], false);
  }
  auto apply = [&](int* requested, TokenRef& r) {
    if (*requested >= 0) Pick(r, labels, std::clamp(*requested, 0, n - 1));
    *requested = -1;
  };
  apply(&g.requested_row, g.row);
  apply(&g.requested_a, g.a);
  apply(&g.requested_b, g.b);
}

//-----------------------------------------------------------------------------
// [SECTION] Controls
//-----------------------------------------------------------------------------


// "第 2 层 · 第 3 个头" (or the mean of the layer's heads): the map's title, and the pin's.
static std::string MapTitle() {
  char title[128];
  if (g.mean_heads) std::snprintf(title, sizeof title, Tr(Str::VisMapTitleMean), g.layer + 1);
  else std::snprintf(title, sizeof title, Tr(Str::VisMapTitle), g.layer + 1, g.head + 1);
  return title;
}

// "Export PNG": the title and the whole map at its natural size (cells of max_cell_em), in a
// draw list of its own, with a margin of the panel's colour: the same pixels whether the map is
// scrolled half out of view, squeezed on a phone or covered (ui/figure_png.h). `on_screen` is
// where the title starts in the panel, for the state's png_rect.
static std::string PngFileName();
static void DrawMapPng(const std::string& title, const HeatmapSpec& spec, ImVec2 on_screen) {
  ImDrawList* dl = BeginFigurePng(PngFileName());
  // The margin keeps the fraction of a pixel the figure has on screen (a table's cell padding
  // is 0.6 em): edges then fall on the same pixels, and the PNG equals the screen's.
  const float pad = std::floor(0.75f * ImGui::GetFontSize());
  const ImVec2 o(pad + on_screen.x - std::floor(on_screen.x), pad + on_screen.y - std::floor(on_screen.y));
  dl->AddText(o, ImGui::GetColorU32(ImGuiCol_Text), title.c_str());
  const float top = o.y + ImGui::GetTextLineHeightWithSpacing();  // as ImGui::TextUnformatted advances
  const ImVec2 map = DrawHeatmapPicture(dl, ImVec2(o.x, top), HeatmapNaturalWidth(spec), spec, ImGui::GetID("vis-png"));
  g.png_size = ImVec2(std::ceil(o.x + std::max(map.x, ImGui::CalcTextSize(title.c_str()).x) + pad), std::ceil(top + map.y + pad));
  g.png_on_screen = ImVec2(std::floor(on_screen.x) - pad, std::floor(on_screen.y) - pad);
  EndFigurePng(g.png_size);
}

//-----------------------------------------------------------------------------
// [SECTION] Pin to the report
//-----------------------------------------------------------------------------

// The chapter asks students to compare sentences and heads and write it up: each pin puts
// this head's numbers and the student's note into the report (grouped under 11.4 there).
static void PinToReport(const session::Session& session, const std::vector<std::string>& names,
                        const std::vector<float>& matrix) {
  const Palette& pal = GetPalette();
  ImGui::PushFont(ActiveFonts().heading);
  ImGui::TextUnformatted(Tr(Str::VisPinHeading));
  ImGui::PopFont();
  Paragraph(Tr(Str::VisPinHelp), pal.muted_text);
  session::Notes& notes = ExerciseNotes();
  std::string note = notes.Field("vis.note");  // kept with the notes: never lost on reload
  ImGui::TextUnformatted(Tr(Str::VisPinNote));
  if (InputStringMultiline("###vis-pin-note", &note, ImVec2(-1, ImGui::GetTextLineHeight() * 3.5f))) {
    notes.SetField("vis.note", note);
    NotesChanged(false);
  }
  Hotspot("vis_pin_note");
  static int pinned = 0;
  if (ImGui::Button(IdLabel(Str::ExPin, "vis-pin").c_str())) {
    char row[256];
    std::snprintf(row, sizeof row, Tr(Str::VisPinRow), names[g.row.index].c_str());
    session::AttentionPinText text;
    std::string sentence = session.text();
    if (sentence.size() > 80) sentence = sentence.substr(0, 80) + "…";
    text.title = MapTitle() + " · “" + names[g.row.index] + "” · " + sentence;
    text.section = Tr(Str::NavVisualize);
    text.row_heading = row;
    text.col_token = Tr(Str::VisPinToken);
    text.col_weight = Tr(Str::VisPinWeight);
    text.matrix_heading = Tr(Str::VisPinMatrix);
    text.note_heading = Tr(Str::VisPinNoteHeading);
    notes.figures.push_back(session::AttentionPinFigure(names, matrix, g.row.index, text, note));
    NotesChanged(true);
    ++pinned;
  }
  Hotspot("vis_pin");
  if (pinned > 0) {
    ImGui::SameLine();
    char done[128];
    std::snprintf(done, sizeof done, Tr(Str::ExPinned), static_cast<int>(notes.figures.size()));
    ImGui::TextDisabled("%s", done);
  }
}

static void SentenceControls(session::Session& session) {
  const Palette& pal = GetPalette();
  ImGui::SetNextItemWidth(-1);
  SessionSentenceField(g.sentence, "###vis-sentence", Tr(Str::VisSentence), session);
  Hotspot("vis_sentence");
  ByteSplitNote(session);
  bool eot = session.prepend_end_of_text();
  if (ImGui::Checkbox(IdLabel(Str::VisEot, "vis-eot").c_str(), &eot)) session.SetPrependEndOfText(eot);
  Hotspot("vis_eot");
  Paragraph(Tr(Str::VisEotNote), pal.muted_text);
  if (session.HasModel() && session.trace().count > 0) {  // the sink, measured on this model
    const std::vector<std::string> lines = NarrationLines(session.narration());
    if (lines.size() > 1) Paragraph(lines[1]);
  }
  Paragraph(Tr(Str::VisBertNote), pal.muted_text);
  DemoModelHint(session);
}

static void HeadControls(const model::Config& c) {
  LayerHeadPicker("vis", &g.layer, &g.head, c.n_layer, c.n_head, &g.mean_heads);
}

//-----------------------------------------------------------------------------
// [SECTION] Map and row
//-----------------------------------------------------------------------------

// The selected row's five largest weights (positions after it are masked: weight 0).
static std::vector<int> TopTokens(const std::vector<float>& row, int limit) {
  std::vector<int> order(row.size());
  for (size_t j = 0; j < row.size(); ++j) order[j] = static_cast<int>(j);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return row[x] > row[y]; });
  order.resize(std::min<size_t>(order.size(), limit));
  return order;
}

static void TopTable(const std::vector<std::string>& names, const std::vector<float>& row) {
  char title[256];
  std::snprintf(title, sizeof title, Tr(Str::VisTopTitle), names[g.row.index].c_str());
  ImGui::TextUnformatted(title);
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("vis-top5", 3, flags)) {
    ImGui::TableSetupColumn(Tr(Str::VisColToken), ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn(Tr(Str::VisColPos), ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 2.5f);
    ImGui::TableSetupColumn(Tr(Str::VisColWeight), ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableHeadersRow();
    for (int j : TopTokens(row, 5)) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(names[j].c_str());
      ImGui::TableNextColumn();
      ImGui::AlignTextToFramePadding();
      ImGui::Text("%d", j);
      ImGui::TableNextColumn();
      char value[32];
      std::snprintf(value, sizeof value, "%.3f", row[j]);
      ImGui::PushStyleColor(ImGuiCol_PlotHistogram, Viridis(0.35f + 0.6f * row[j]));
      ImGui::ProgressBar(row[j], ImVec2(-1, 0), value);
      ImGui::PopStyleColor();
    }
    ImGui::EndTable();
  }
  Hotspot("vis_top5");
}

static void MapAndRow(const std::vector<session::TokenLabel>& labels, const std::vector<std::string>& names,
                      const std::vector<float>& matrix, bool causal) {
  const Palette& pal = GetPalette();
  const int n = static_cast<int>(labels.size());
  const std::vector<float> row(matrix.begin() + static_cast<size_t>(g.row.index) * n,
                               matrix.begin() + static_cast<size_t>(g.row.index + 1) * n);
  Paragraph(Tr(Str::VisPickRow), pal.muted_text);
  std::vector<bool> future(n, false);
  if (causal)
    for (int j = g.row.index + 1; j < n; ++j) future[j] = true;
  TokenStripStyle style;
  style.tint = row.data();
  style.dimmed = &future;
  style.numbers = &row;
  style.selected = g.row.index;
  const TokenStripResult r = TokenStrip("vis", labels, style, nullptr);  // hotspots vis-token-0, …
  int pick = r.clicked;
  if (r.focused >= 0 && r.focused != g.last_focused) pick = r.focused;  // keyboard walks the strip
  g.last_focused = r.focused;

  const std::string title = MapTitle();
  const float em = ImGui::GetFontSize();
  const bool side_by_side = ImGui::GetContentRegionAvail().x > 36 * em;
  ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(0.6f * em, ImGui::GetStyle().CellPadding.y));  // a gap between map and table
  const bool table = side_by_side && ImGui::BeginTable("vis-map-layout", 2);
  ImGui::PopStyleVar();
  if (table) {
    ImGui::TableSetupColumn("map", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("top", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableNextColumn();
  }
  const ImVec2 figure_min = ImGui::GetCursorScreenPos();  // "Export PNG" takes the title too
  ImGui::TextUnformatted(title.c_str());
  HeatmapSpec spec;
  spec.values = matrix.data();
  spec.rows = spec.cols = n;
  spec.row_labels = spec.col_labels = &names;
  spec.highlight_row = g.row.index;
  const HeatmapHover h = Heatmap("vis-heatmap", spec);
  Hotspot("vis_heatmap");
  if (g.png_requested) {
    g.png_requested = false;
    DrawMapPng(title, spec, figure_min);
  }
  if (h.row >= 0 && h.col >= 0)  // the read-out with positions: a sentence can hold "the" twice
    ImGui::SetTooltip(Tr(Str::VisReadOut), h.row, names[h.row].c_str(), h.col, names[h.col].c_str(),
                      matrix[static_cast<size_t>(h.row) * n + h.col]);
  if (h.clicked) pick = h.row;
  if (table) ImGui::TableNextColumn();
  else ImGui::Spacing();
  TopTable(names, row);
  if (table) ImGui::EndTable();
  Paragraph(Tr(Str::VisMapHelp), pal.muted_text);
  if (pick >= 0 && pick < n) Pick(g.row, labels, pick);
}

//-----------------------------------------------------------------------------
// [SECTION] Evidence
//-----------------------------------------------------------------------------

// weights[l][h] = {row → A, row → B}, what the table shows and the state publishes.
using PairTable = std::vector<std::vector<std::pair<float, float>>>;

static PairTable Pairs(const model::Trace& t) {
  PairTable out(t.n_layer, std::vector<std::pair<float, float>>(t.n_head));
  for (int l = 0; l < t.n_layer; ++l)
    for (int h = 0; h < t.n_head; ++h)
      out[l][h] = {t.Attention(l, h, g.row.index, g.a.index), t.Attention(l, h, g.row.index, g.b.index)};
  return out;
}

constexpr float kComboEm = 9.0f;  // width of the token combos

static void TokenCombo(const char* id, const char* hotspot, TokenRef& r, const std::vector<session::TokenLabel>& labels) {
  char preview[160];
  std::snprintf(preview, sizeof preview, "%d: %s", r.index, labels[r.index].text.c_str());
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * kComboEm);
  if (ImGui::BeginCombo(id, preview)) {
    for (int i = 0; i < static_cast<int>(labels.size()); ++i) {
      char item[160];
      std::snprintf(item, sizeof item, "%d: %s", i, labels[i].text.c_str());
      ImGui::PushID(i);
      if (ImGui::Selectable(item, i == r.index)) Pick(r, labels, i);
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  Hotspot(hotspot);
}

// Layers × heads, each cell coloured by w(row→A) − w(row→B); both values on hover; a click
// opens that head in the map above.
static void PairGrid(const PairTable& pairs, const std::string& name_a, const std::string& name_b) {
  const int L = static_cast<int>(pairs.size()), H = L ? static_cast<int>(pairs[0].size()) : 0;
  if (!L || !H) return;
  const float em = ImGui::GetFontSize(), line_h = ImGui::GetTextLineHeight();
  char buf[256];
  float label_w = 0.0f;
  for (int l = 0; l < L; ++l) {
    std::snprintf(buf, sizeof buf, Tr(Str::VisLayerShort), l + 1);
    label_w = std::max(label_w, ImGui::CalcTextSize(buf).x);
  }
  label_w += 0.6f * em;
  const float cell_w = std::clamp((ImGui::GetContentRegionAvail().x - label_w) / H, 1.0f * em, 3.6f * em);
  const float cell_h = std::min(1.8f * em, std::max(cell_w, 1.0f * em));
  const float header_h = line_h * 1.3f;
  float scale = 0.1f;  // colour range: the largest difference, at least 0.1
  for (const auto& r : pairs)
    for (const auto& p : r) scale = std::max(scale, std::fabs(p.first - p.second));

  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 grid(o.x + label_w, o.y + header_h);
  ImGui::InvisibleButton("vis-compare-grid", ImVec2(label_w + cell_w * H, header_h + cell_h * L));
  Hotspot("vis_compare_table");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  for (int h = 0; h < H; ++h) {  // column headers: "H3", or just "3" when narrow
    std::snprintf(buf, sizeof buf, Tr(Str::VisHeadShort), h + 1);
    if (ImGui::CalcTextSize(buf).x > cell_w - 2) std::snprintf(buf, sizeof buf, "%d", h + 1);
    const float w = ImGui::CalcTextSize(buf).x;
    dl->AddText(ImVec2(grid.x + h * cell_w + (cell_w - w) / 2, o.y), text, buf);
  }
  for (int l = 0; l < L; ++l) {
    std::snprintf(buf, sizeof buf, Tr(Str::VisLayerShort), l + 1);
    dl->AddText(ImVec2(o.x, grid.y + l * cell_h + (cell_h - line_h) / 2), text, buf);
    for (int h = 0; h < H; ++h) {
      const float d = pairs[l][h].first - pairs[l][h].second;
      const ImVec2 a(grid.x + h * cell_w, grid.y + l * cell_h), b(a.x + cell_w - 1, a.y + cell_h - 1);
      const ImU32 c = Diverging(d / scale);
      dl->AddRectFilled(a, b, c);
      std::snprintf(buf, sizeof buf, std::fabs(d) < 0.005f ? "0.00" : "%+.2f", d);
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      if (ts.x < cell_w - 2) dl->AddText(ImVec2((a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2), TextOn(c), buf);
      if (!g.mean_heads && l == g.layer && h == g.head) dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), GetPalette().accent, 0, 0, 2.0f);
    }
  }
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int h = static_cast<int>(std::floor((m.x - grid.x) / cell_w)), l = static_cast<int>(std::floor((m.y - grid.y) / cell_h));
    if (l >= 0 && l < L && h >= 0 && h < H) {
      ImGui::SetTooltip(Tr(Str::VisCompareCell), l + 1, h + 1, name_a.c_str(), pairs[l][h].first, name_b.c_str(), pairs[l][h].second);
      if (ImGui::IsItemClicked()) {
        g.layer = l;
        g.head = h;
        g.mean_heads = false;
      }
    }
  }
}

struct PairSummary {
  int heads = 0, more_a = 0, more_b = 0;
  double mean_a = 0.0, mean_b = 0.0;
};

static PairSummary Summarize(const PairTable& pairs) {
  PairSummary s;
  for (const auto& r : pairs)
    for (const auto& p : r) {
      ++s.heads;
      s.more_a += p.first > p.second;
      s.more_b += p.second > p.first;
      s.mean_a += p.first;
      s.mean_b += p.second;
    }
  if (s.heads) {
    s.mean_a /= s.heads;
    s.mean_b /= s.heads;
  }
  return s;
}

// `twin`: the same table in the untrained twin (Session::twin_trace()), or null / empty.
static void Evidence(const std::vector<session::TokenLabel>& labels, const PairTable& pairs, const PairTable* twin, bool causal) {
  const Palette& pal = GetPalette();
  const std::string& row = labels[g.row.index].text;
  char line[512];
  ImGui::PushFont(ActiveFonts().heading);
  std::snprintf(line, sizeof line, Tr(Str::VisCompareTitle), row.c_str());
  ImGui::TextUnformatted(line);
  ImGui::PopFont();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(Tr(Str::VisCompare));
  ImGui::SameLine();
  TokenCombo("###vis-compare-a", "vis_compare_a", g.a, labels);
  SameLineIfFits(LabelledWidth(kComboEm * ImGui::GetFontSize(), Tr(Str::VisCompareWith)));
  ImGui::TextUnformatted(Tr(Str::VisCompareWith));
  ImGui::SameLine();
  TokenCombo("###vis-compare-b", "vis_compare_b", g.b, labels);
  if (g.a.index == g.b.index) {
    Paragraph(Tr(Str::VisCompareSame), pal.badge_text);
    return;
  }
  const std::string& name_a = labels[g.a.index].text;
  const std::string& name_b = labels[g.b.index].text;
  if (causal && (g.a.index > g.row.index || g.b.index > g.row.index)) Paragraph(Tr(Str::VisCompareFuture), pal.badge_text);
  PairGrid(pairs, name_a, name_b);
  const PairSummary sum = Summarize(pairs);
  std::snprintf(line, sizeof line, Tr(Str::VisCompareSummary), sum.heads, sum.more_a, name_a.c_str(), sum.more_b, name_b.c_str(),
                sum.mean_a, sum.mean_b);
  Paragraph(line);
  if (twin && !twin->empty()) {  // the same count in the untrained twin: what training added
    const PairSummary t = Summarize(*twin);
    std::snprintf(line, sizeof line, Tr(Str::VisTwinSummary), t.heads, t.more_a, name_a.c_str(), t.more_b, name_b.c_str(),
                  t.mean_a, t.mean_b);
    Paragraph(line, pal.muted_text);
    Hotspot("vis_twin_summary");
  }
  std::snprintf(line, sizeof line, Tr(Str::VisCompareHelp), name_a.c_str(), name_b.c_str());
  Paragraph(line, pal.muted_text);
  Paragraph(Tr(Str::VisCompareCaveat), pal.muted_text);
}

//-----------------------------------------------------------------------------
// [SECTION] Python and export
//-----------------------------------------------------------------------------

static std::string MapFileName() {
  return "attention-" + std::to_string(g.layer) + "-" + (g.mean_heads ? std::string("mean") : std::to_string(g.head)) + ".csv";
}

// Saves `bytes` as `name`: a file in the current folder natively, a download in the browser;
// remembers where (or the failure) for the line under the buttons.
static void Export(int which, const std::string& name, const char* mime, const std::string& bytes) {
  g.export_failed[which] = !SaveUserFile(name, mime, bytes, &g.export_path[which]);
}

static void ExportCsv(const std::vector<std::string>& names, const std::vector<float>& matrix) {
  Export(0, MapFileName(), "text/csv;charset=utf-8", session::AttentionCsv(names, matrix));
}

// Every layer and head when that fits the memory left (GPT-2 small on 1024 tokens would be
// about 1 GB of text), else the layer on screen, else the head on screen; the line under the
// buttons says which.
static void ExportJson(session::Session& session) {
  std::vector<std::string> bytes;
  for (int id : session.tokens()) bytes.push_back(session.tokenizer().TokenBytes(id));
  const model::Trace& t = session.trace();
  const uint64_t room = std::max<uint64_t>(session.headroom(), 32ull << 20) / 2;  // the text and its saved copy
  const session::JsonScope scope = session::ChooseJsonScope(t, room, g.layer, g.head, g.mean_heads);
  const int layer = scope.layer, head = scope.head;
  g.export_part.clear();
  if (!scope.whole()) {
    char what[128], line[512];
    if (head < 0) std::snprintf(what, sizeof what, Tr(Str::VisExportLayer), layer + 1);
    else std::snprintf(what, sizeof what, Tr(Str::VisMapTitle), layer + 1, head + 1);
    std::snprintf(line, sizeof line, Tr(Str::VisExportPart),
                  BinaryBytes(static_cast<double>(session::AttentionJsonMaxBytes(t))).c_str(), what);
    g.export_part = line;
  }
  const std::string name = layer < 0 ? "attention-trace.json"
                           : "attention-trace-L" + std::to_string(layer + 1) + (head < 0 ? "" : "-H" + std::to_string(head + 1)) + ".json";
  Export(1, name, "application/json", session::AttentionJson(bytes, session.tokens(), t, layer, head) + "\n");
}

static std::string PngFileName() {
  std::string name = MapFileName();
  return name.replace(name.size() - 4, 4, ".png");
}

static void ExportPng() {
  g.png_requested = true;  // the map draws itself off screen on the next frame
  RequestAnimation();
}

static void PythonAndExport(session::Session& session, const std::vector<std::string>& names,
                            const std::vector<float>& matrix) {
  const Palette& pal = GetPalette();
  if (ImGui::CollapsingHeader(IdLabel(Str::VisPython, "vis-python-header").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
    Paragraph(Tr(Str::VisPythonHelp), pal.muted_text);
    const int lines = static_cast<int>(std::count(g.python.begin(), g.python.end(), '\n')) + 1;
    ImGui::InputTextMultiline("###vis-python", g.python.data(), g.python.size() + 1,
                              ImVec2(-1, ImGui::GetTextLineHeight() * std::min(lines + 1, 20) + 2 * ImGui::GetStyle().FramePadding.y),
                              ImGuiInputTextFlags_ReadOnly);
    Hotspot("vis_python");
    if (ImGui::Button(IdLabel(Str::VisCopy, "vis-copy").c_str())) {
      CopyToClipboard(g.python);
      g.copied_at = ImGui::GetTime();
    }
    Hotspot("vis_copy");
    if (ImGui::GetTime() - g.copied_at < 2.0) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", Tr(Str::VisCopied));
      RequestAnimation();  // hide the note again after 2 s
    }
  }
  if (!ImGui::CollapsingHeader(IdLabel(Str::VisExport, "vis-export-header").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (ImGui::Button(IdLabel(Str::VisExportCsv, "vis-export-csv").c_str())) ExportCsv(names, matrix);
  Hotspot("vis_export_csv");
  ImGui::SameLine();
  if (ImGui::Button(IdLabel(Str::VisExportJson, "vis-export-json").c_str())) ExportJson(session);
  Hotspot("vis_export_json");
  ImGui::SameLine();
  if (ImGui::Button(IdLabel(Str::VisExportPng, "vis-export-png").c_str())) ExportPng();
  Hotspot("vis_export_png");
#ifdef __EMSCRIPTEN__
  const Str done = Str::VisExportDownloaded;
#else
  const Str done = Str::VisExportWrote;
#endif
  Paragraph(Tr(Str::VisExportHelp), pal.muted_text);
  auto result_line = [&](const std::string& where, bool failed) {  // "Written: …" / "Could not …"
    if (!where.empty())
      Paragraph(std::string(Tr(failed ? Str::VisExportFailed : done)) + where,
                failed ? pal.badge_text : ImGui::GetColorU32(ImGuiCol_Text));
  };
  for (int k = 0; k < 2; ++k) result_line(g.export_path[k], g.export_failed[k]);
  if (!g.export_part.empty()) Paragraph(g.export_part, pal.muted_text);
  result_line(LastFigurePng().where, LastFigurePng().failed);
}

//-----------------------------------------------------------------------------
// [SECTION] Publish
//-----------------------------------------------------------------------------

static std::string Floats(const float* v, size_t n) {
  std::string out = "[";
  char buf[32];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%s%.6g", i ? "," : "", std::isfinite(v[i]) ? v[i] : 0.0f);
    out += buf;
  }
  return out + "]";
}

static std::string TableJson(const PairTable& pairs) {
  std::string j = "[";
  for (size_t l = 0; l < pairs.size(); ++l) {
    j += l ? ",[" : "[";
    for (size_t h = 0; h < pairs[l].size(); ++h) {
      const float p[2] = {pairs[l][h].first, pairs[l][h].second};
      if (h) j += ',';
      j += Floats(p, 2);
    }
    j += "]";
  }
  return j + "]";
}

static void Publish(const std::vector<std::string>& names, const std::vector<float>& matrix, const PairTable& pairs,
                    const PairTable& twin, bool prepend_eot) {
  const int n = static_cast<int>(names.size());
  const float* row = matrix.data() + static_cast<size_t>(g.row.index) * n;
  std::string j = "{\"layer\":" + std::to_string(g.layer) + ",\"head\":" + std::to_string(g.head);
  j += std::string(",\"mean_heads\":") + (g.mean_heads ? "true" : "false");
  j += std::string(",\"prepend_eot\":") + (prepend_eot ? "true" : "false");
  j += ",\"tokens\":[";
  for (int i = 0; i < n; ++i) {
    if (i) j += ',';
    j += json::Quote(names[i]);
  }
  // "selected" is what the embed API reports to the host page (web/loader.js, attnlab:hover).
  j += "],\"row\":" + std::to_string(g.row.index) + ",\"selected\":" + std::to_string(g.row.index) +
       ",\"weights\":" + Floats(row, n);
  j += ",\"top\":[";
  std::vector<float> r(row, row + n);
  const std::vector<int> top = TopTokens(r, 5);
  for (size_t k = 0; k < top.size(); ++k) {
    if (k) j += ',';
    j += std::to_string(top[k]);
  }
  j += "],\"compare\":[" + std::to_string(g.a.index) + "," + std::to_string(g.b.index) + "],\"table\":";
  j += TableJson(pairs) + ",\"twin_table\":" + TableJson(twin);  // the untrained twin's, [] when it is skipped
  j += ",\"python\":" + json::Quote(g.python);
  j += ",\"export\":{\"csv\":" + json::Quote(g.export_path[0]) + ",\"json\":" + json::Quote(g.export_path[1]);
  j += ",\"png\":" + json::Quote(LastFigurePng().where);
  char rect[96];
  std::snprintf(rect, sizeof rect, ",\"png_rect\":[%.0f,%.0f,%.0f,%.0f]", g.png_on_screen.x, g.png_on_screen.y,
                g.png_on_screen.x + g.png_size.x, g.png_on_screen.y + g.png_size.y);
  j += rect;
  j += std::string(",\"failed\":") + (g.export_failed[0] || g.export_failed[1] || LastFigurePng().failed ? "true" : "false") + "}}";
  PublishPanelState("visualize", std::move(j));
}

//-----------------------------------------------------------------------------
// [SECTION] Panel
//-----------------------------------------------------------------------------

void DrawVisualizeAttentionPanel(AppState& app, session::Session& session) {
  const Palette& pal = GetPalette();
  ReadOptions(app, session);
  app.figure_layer = g.layer;  // what "Embed this figure" keeps
  app.figure_head = g.mean_heads ? -1 : g.head;
  if (!g.opened) {  // the chapter's sentence, unless the student already typed their own
    g.opened = true;
    if (session.text() == session::Session::kDefaultText || session.text().empty()) session.SetText(kDefaultSentence);
  }
  ImGui::PushFont(ActiveFonts().heading);
  ImGui::TextUnformatted(Tr(Str::NavVisualize));
  ImGui::PopFont();
  Paragraph(Tr(Str::VisualizeIntro));
  Callout(Tr(Str::KeyIdeaHeading), Tr(Str::VisualizeKeyIdea));
  ImGui::Spacing();
  SentenceControls(session);
  if (!session.HasModel()) {
    NoModelNote(session, Str::SelfAttnNoModel, pal.badge_text);
    return;
  }
  TextProblemNote(session, pal.badge_text);

  const std::vector<session::TokenLabel>& labels = session.labels();
  const model::Trace& trace = session.trace();
  const int n = static_cast<int>(labels.size());
  if (n == 0 || trace.count != n) {
    EmptyTraceNote(session, pal.muted_text);
    ImGui::Separator();
    DrawGenerationSection(app, session);  // from <|endoftext|> alone the model can still write
    return;
  }
  if (session.version() != g.seen_version || g.requested_row >= 0 || g.requested_a >= 0 || g.requested_b >= 0) {
    ResolveChoices(labels, session.prepend_end_of_text());
    g.seen_version = session.version();
  }
  const bool causal = !session.interventions().bidirectional;

  HeadControls(session.info().config);
  std::vector<std::string> names;
  for (const auto& l : labels) names.push_back(l.text);
  const std::vector<float> matrix = session::AttentionMatrix(trace, g.layer, g.mean_heads ? -1 : g.head);
  ImGui::Spacing();
  MapAndRow(labels, names, matrix, causal);
  ImGui::Spacing();
  PinToReport(session, names, matrix);
  ImGui::Spacing();
  ImGui::Separator();
  const PairTable pairs = Pairs(trace);
  // The untrained twin runs the same tokens in the Session (never here); null when skipped.
  const model::Trace* twin_trace = session.twin_trace();
  const PairTable twin = twin_trace && twin_trace->count == trace.count ? Pairs(*twin_trace) : PairTable{};
  Evidence(labels, pairs, &twin, causal);

  ImGui::Spacing();
  session::PythonSnippetOptions py;
  py.text = session.text();
  py.layer = g.layer;
  py.head = g.head;
  py.mean_heads = g.mean_heads;
  py.prepend_eot = session.prepend_end_of_text();
  py.model_name = session.info().name;
  g.python = session::PythonSnippet(py);
  if (g.png_at_frame >= 0 && app.frame >= g.png_at_frame) {
    g.png_at_frame = -1;
    ExportPng();
  }
  if (g.export_on_start) {
    g.export_on_start = false;
    ExportCsv(names, matrix);
    ExportJson(session);
  }
  PythonAndExport(session, names, matrix);
  Publish(names, matrix, pairs, twin, session.prepend_end_of_text());

  ImGui::Spacing();
  ImGui::Separator();
  DrawGenerationSection(app, session);
}

}  // namespace attn::ui
