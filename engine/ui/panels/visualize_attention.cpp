// 11.4 可视化注意力 (Vibe Coding 实践) — the attention-map explorer: any sentence, any layer
// and head of the loaded GPT-2, and the question the chapter asks of
// "The robot delivered the mail after it was fixed.": does "it" refer to the robot or the mail?
//
//   map      the T × T matrix of one head (or the mean of a layer's heads): row i = how token i
//            spreads its attention over tokens 0..i (causal)
//   row      one token's weights: the token strip tinted by them, its top 5
//   evidence one number pair per head, layers × heads: row's weight on token A vs on token B
//            (visualize_evidence.cpp)
//   export   the map as CSV, every layer and head as JSON (attnlab-cli attention's format),
//            and the Hugging Face code that computes the same map (visualize_export.cpp)
// Below it, the generation section (panels/generation.cpp) grows the sentence token by token.
// The files share the student's choices through visualize_parts.h.
//
// [SECTION] Index
//   - State and options
//   - Token choices (they follow the sentence as it changes)
//   - Controls: sentence, <|endoftext|>, layer and head
//   - Pin to the report
//   - Map and row
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
#include "session/report.h"
#include "ui/figure_png.h"
#include "ui/fonts.h"
#include "ui/model_dialog.h"
#include "ui/panels/exercises_parts.h"
#include "ui/panels/narration.h"
#include "ui/panels/panels.h"
#include "ui/panels/visualize_parts.h"
#include "ui/theme.h"
#include "ui/widgets/callout.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/heatmap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layer_head_picker.h"
#include "ui/widgets/layout.h"
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

static VisualizeState g;  // (visualize_parts.h)

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

void PickToken(TokenRef& r, const std::vector<session::TokenLabel>& labels, int i, bool chosen) {
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
    PickToken(g.row, labels, it >= 0 ? it : n - 1, false);
  }
  std::vector<int> starts;  // candidates for the compared pair
  for (int i = eot_first ? 1 : 0; i < n; ++i)
    if (labels[i].piece == 1) starts.push_back(i);
  while (starts.size() < 2) starts.push_back(std::min(static_cast<int>(starts.size()), n - 1));
  if (!g.a.chosen || !Follow(g.a, labels)) {
    const int robot = FindWord(labels, "robot");
    PickToken(g.a, labels, robot >= 0 ? robot : starts[0], false);
  }
  if (!g.b.chosen || !Follow(g.b, labels) || g.b.index == g.a.index) {  // a grown sentence has room for a pair now
    const int mail = FindWord(labels, "mail");
    PickToken(g.b, labels, mail >= 0 && mail != g.a.index ? mail : starts[starts[0] == g.a.index ? 1 : 0], false);
  }
  auto apply = [&](int* requested, TokenRef& r) {
    if (*requested >= 0) PickToken(r, labels, std::clamp(*requested, 0, n - 1));
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
static void DrawMapPng(const std::string& title, const HeatmapSpec& spec, ImVec2 on_screen) {
  ImDrawList* dl = BeginFigurePng(PngFileName(g));
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
  if (pick >= 0 && pick < n) PickToken(g.row, labels, pick);
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
  const PairTable pairs = AttentionPairs(trace, g);
  // The untrained twin runs the same tokens in the Session (never here); null when skipped.
  const model::Trace* twin_trace = session.twin_trace();
  const PairTable twin = twin_trace && twin_trace->count == trace.count ? AttentionPairs(*twin_trace, g) : PairTable{};
  DrawEvidence(g, labels, pairs, twin, causal);

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
    ExportPng(g);
  }
  if (g.export_on_start) {
    g.export_on_start = false;
    ExportCsv(g, names, matrix);
    ExportJson(g, session);
  }
  DrawPythonAndExport(g, session, names, matrix);
  Publish(names, matrix, pairs, twin, session.prepend_end_of_text());

  ImGui::Spacing();
  ImGui::Separator();
  DrawGenerationSection(app, session);
}

}  // namespace attn::ui
