// 11.3 多头注意力 — every head of a layer as a small attention heatmap, the "model view" of
// all layers × heads, one head enlarged with its token labels, and a sortable table of what
// each head does (session/head_stats.h: entropy, previous-token and first-token scores).
//
// Options (--option / URL): heads.layer=L, heads.view=layer|model, heads.head=H (enlarges
// head H of the chosen layer), heads.sort=head|entropy|prev|first (the table, descending).
// What the heads do is said from measurement (narration.h, session/head_patterns.h), beside
// the same grid for the model's untrained twin (Session::twin_trace(): the twin runs in the
// session, this panel only reads it).
//
// State API: "arch_heads" (Publish below). Layer and head indices in the JSON are 0-based;
// the screen counts from 1 (L1 H1).
//
// [SECTION] Index
//   - State and options
//   - Thumbnails: one layer, the whole model
//   - Enlarged head
//   - Statistics table
//   - Narration and the untrained twin
//   - Panel
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "formats/json.h"
#include "session/head_stats.h"
#include "ui/panels/narration.h"
#include "ui/i18n/i18n.h"
#include "ui/panels/architecture_parts.h"
#include "ui/theme.h"
#include "ui/widgets/dense_heatmap.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/heatmap.h"
#include "ui/widgets/hotspots.h"
#include "core/numbers.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] State and options
//-----------------------------------------------------------------------------

enum SortColumn { kSortHead = 0, kSortEntropy, kSortPrev, kSortFirst };

struct HeadsState {
  int layer = 0;
  bool model_view = false;
  int open_layer = -1, open_head = -1;  // the enlarged head, -1: none
  int requested_head = -1;              // heads.head, applied once the model's size is known
  int default_sort = kSortHead;         // heads.sort: the column sorted first (descending)
  SortColumn sort = kSortHead;          // what the table is sorted by now
  bool descending = false;
  uint64_t version = ~0ull;             // of the session the statistics belong to
  std::vector<session::HeadStats> stats;  // every head, layer-major
  std::vector<int> order;               // the table's rows: indices into stats, as shown
};

static HeadsState g;

// Heads with more tokens than this are enlarged as an image without token labels. Up to it,
// the labelled Heatmap keeps every n-th label readable (a Chinese sentence of 30 characters is
// 60–90 byte pieces) and reads out the full labels on hover.
constexpr int kLabelledTokens = 96;

static void ReadOptions(AppState& app) {
  TakeIntOption(app, "heads.layer", &g.layer);
  TakeIntOption(app, "heads.head", &g.requested_head);
  const std::string view = TakeOption(app, "heads.view");
  if (view == "model") g.model_view = true;
  if (view == "layer") g.model_view = false;
  const std::string sort = TakeOption(app, "heads.sort");
  if (sort == "entropy") g.default_sort = kSortEntropy;
  if (sort == "prev") g.default_sort = kSortPrev;
  if (sort == "first") g.default_sort = kSortFirst;
}

static void Open(int layer, int head) {
  g.open_layer = layer;
  g.open_head = head;
  g.layer = layer;
}

static const session::HeadStats& StatsOf(const model::Trace& t, int layer, int head) {
  return g.stats[static_cast<size_t>(layer) * t.n_head + head];
}


//-----------------------------------------------------------------------------
// [SECTION] Thumbnails
//-----------------------------------------------------------------------------

// One small heatmap with its name above; clicking it enlarges the head.
static void Thumbnail(const model::Trace& t, int layer, int head, float size, bool label) {
  ImGui::BeginGroup();
  const std::string name = StrFormat(Tr(Str::ArchHeadName), layer + 1, head + 1);
  if (label) ImGui::TextUnformatted(name.c_str());
  DenseHeatmapSpec spec;
  spec.values = t.HeadWeights(layer, head);
  spec.rows = t.count;
  spec.cols = t.first + t.count;
  spec.width = size;
  spec.height = 0.0f;  // square cells
  spec.ticks = false;
  spec.frame = true;
  spec.selected = layer == g.open_layer && head == g.open_head;
  const std::string id = "##thumb-" + std::to_string(layer) + "-" + std::to_string(head);
  const DenseHeatmapHover h = DenseHeatmap(id.c_str(), spec);
  Hotspot(("arch_heads_thumb_" + std::to_string(layer) + "_" + std::to_string(head)).c_str());
  if (ImGui::IsItemHovered()) {
    const session::HeadStats& s = StatsOf(t, layer, head);
    ImGui::SetTooltip("%s\n%s", name.c_str(), StrFormat(Tr(Str::ArchHeadsLargeStats), s.entropy, s.prev_token, s.first_token).c_str());
  }
  if (h.clicked) Open(layer, head);
  ImGui::EndGroup();
}

// Every head of one layer, in a grid of about 8 em a picture.
static void LayerGrid(const model::Trace& t) {
  const float em = ImGui::GetFontSize(), gap = ImGui::GetStyle().ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  int cols = std::clamp(static_cast<int>((avail + gap) / (8.0f * em + gap)), 1, t.n_head);
  const int rows = (t.n_head + cols - 1) / cols;
  cols = (t.n_head + rows - 1) / rows;  // balanced rows: 8 heads as 4 + 4, not 6 + 2
  const float size = std::min((avail - gap * (cols - 1)) / cols, 14.0f * em);
  for (int h = 0; h < t.n_head; ++h) {
    if (h % cols) ImGui::SameLine();
    Thumbnail(t, g.layer, h, size, true);
  }
}

// The rows of a layers × heads grid: each layer's label ("L1"), then draw_cell(layer, head) at the
// place of each head's cell, `size` wide, `gap` apart, the first `label_w` to the right of x0.
template <class DrawCell>
static void LayerRows(int n_layer, int n_head, float x0, float label_w, float size, float gap, DrawCell draw_cell) {
  for (int l = 0; l < n_layer; ++l) {
    const float y = ImGui::GetCursorPosY();
    ImGui::SetCursorPosY(y + (size - ImGui::GetTextLineHeight()) / 2);
    ImGui::TextUnformatted(StrFormat(Tr(Str::ArchLayerShort), l + 1).c_str());
    for (int h = 0; h < n_head; ++h) {
      ImGui::SameLine();
      ImGui::SetCursorPos(ImVec2(x0 + label_w + h * (size + gap), y));
      draw_cell(l, h);
    }
  }
}

// Layers as rows, heads as columns: the whole model at a glance.
static void ModelGrid(const model::Trace& t) {
  const float em = ImGui::GetFontSize(), gap = 0.3f * em;
  const float label_w = ImGui::CalcTextSize(StrFormat(Tr(Str::ArchLayerShort), t.n_layer).c_str()).x + 0.6f * em;
  const float avail = ImGui::GetContentRegionAvail().x - label_w;
  const float size = std::clamp((avail - gap * (t.n_head - 1)) / t.n_head, 1.5f * em, 6.0f * em);
  const float x0 = ImGui::GetCursorPosX();
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, gap));
  for (int h = 0; h < t.n_head; ++h) {  // column heads: H0 H1 …
    const std::string name = "H" + std::to_string(h + 1);  // 1-based on screen
    if (h) ImGui::SameLine();
    ImGui::SetCursorPosX(x0 + label_w + h * (size + gap) + std::max(0.0f, (size - ImGui::CalcTextSize(name.c_str()).x) / 2));
    ImGui::TextUnformatted(name.c_str());
  }
  LayerRows(t.n_layer, t.n_head, x0, label_w, size, gap, [&](int l, int h) { Thumbnail(t, l, h, size, false); });
  ImGui::PopStyleVar();
}

//-----------------------------------------------------------------------------
// [SECTION] Enlarged head
//-----------------------------------------------------------------------------

static void LargeHead(session::Session& session, const model::Trace& t) {
  if (g.open_layer < 0 || g.open_layer >= t.n_layer || g.open_head < 0 || g.open_head >= t.n_head) return;
  const session::HeadStats& s = StatsOf(t, g.open_layer, g.open_head);
  ArchFigureTitle(StrFormat(Tr(Str::ArchHeadsLarge), g.open_layer + 1, g.open_head + 1).c_str());
  ImGui::TextDisabled("%s", StrFormat(Tr(Str::ArchHeadsLargeStats), s.entropy, s.prev_token, s.first_token).c_str());
  const float* w = t.HeadWeights(g.open_layer, g.open_head);
  std::vector<std::string> names;
  for (const auto& l : session.labels()) names.push_back(l.text);
  if (t.count <= kLabelledTokens && static_cast<int>(names.size()) == t.count) {
    HeatmapSpec spec;
    spec.values = w;
    spec.rows = spec.cols = t.count;
    spec.row_labels = spec.col_labels = &names;
    spec.read_out = Tr(Str::ArchHeadsReadOut);
    Heatmap("##arch-heads-large", spec);
  } else {
    Paragraph(Tr(Str::ArchHeadsDense), GetPalette().muted_text);
    DenseHeatmapSpec spec;
    spec.values = w;
    spec.rows = spec.cols = t.count;
    spec.width = std::min(ImGui::GetContentRegionAvail().x, 30.0f * ImGui::GetFontSize());
    const DenseHeatmapHover h = DenseHeatmap("##arch-heads-large", spec);
    if (h.row >= 0 && h.row < static_cast<int>(names.size()) && h.col < static_cast<int>(names.size()))
      ImGui::SetTooltip(Tr(Str::ArchHeadsReadOut), names[h.row].c_str(), names[h.col].c_str(), h.value);
  }
  Hotspot("arch_heads_large");
}

//-----------------------------------------------------------------------------
// [SECTION] Statistics table
//-----------------------------------------------------------------------------

static float SortKey(const session::HeadStats& s, SortColumn c) {
  switch (c) {
    case kSortEntropy: return s.entropy;
    case kSortPrev: return s.prev_token;
    case kSortFirst: return s.first_token;
    case kSortHead: break;
  }
  return static_cast<float>(s.layer * 1000 + s.head);
}

// The rows of the table: the heads of the chosen layer (all heads in the model view), in the
// order of the table's sort specification.
static void SortRows() {
  g.order.clear();
  for (int i = 0; i < static_cast<int>(g.stats.size()); ++i)
    if (g.model_view || g.stats[i].layer == g.layer) g.order.push_back(i);
  std::stable_sort(g.order.begin(), g.order.end(), [&](int a, int b) {
    const float ka = SortKey(g.stats[a], g.sort), kb = SortKey(g.stats[b], g.sort);
    return g.descending ? ka > kb : ka < kb;
  });
}

static void StatsTable() {
  ArchFigureTitle(Tr(Str::ArchHeadsTable));
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchProp;
  const float width = std::min(ImGui::GetContentRegionAvail().x, 34.0f * ImGui::GetFontSize());
  if (!ImGui::BeginTable("arch-heads-table", 4, flags, ImVec2(width, 0))) return;
  auto column = [&](Str title, SortColumn id, float weight) {
    ImGuiTableColumnFlags f = ImGuiTableColumnFlags_PreferSortDescending;
    if (id == g.default_sort) f |= ImGuiTableColumnFlags_DefaultSort;
    if (id == kSortHead) f = ImGuiTableColumnFlags_PreferSortAscending | (id == g.default_sort ? ImGuiTableColumnFlags_DefaultSort : 0);
    ImGui::TableSetupColumn(Tr(title), f, weight, static_cast<ImGuiID>(id));
  };
  column(Str::ArchHeadsColHead, kSortHead, 0.8f);
  column(Str::ArchHeadsColEntropy, kSortEntropy, 1.0f);
  column(Str::ArchHeadsColPrev, kSortPrev, 1.0f);
  column(Str::ArchHeadsColFirst, kSortFirst, 1.0f);
  ImGui::TableHeadersRow();
  if (const ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
    g.sort = static_cast<SortColumn>(specs->Specs[0].ColumnUserID);
    g.descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
  }
  SortRows();
  // Numbers in the accent colour where a head stands out: a previous-token or first-token
  // score above one half.
  for (int i : g.order) {
    const session::HeadStats& s = g.stats[i];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const bool open = s.layer == g.open_layer && s.head == g.open_head;
    const std::string name = StrFormat(Tr(Str::ArchHeadName), s.layer + 1, s.head + 1);
    if (ImGui::Selectable((name + "##row").c_str(), open, ImGuiSelectableFlags_SpanAllColumns)) Open(s.layer, s.head);
    auto number = [&](float v, bool strong) {
      ImGui::TableNextColumn();
      if (strong) ImGui::PushStyleColor(ImGuiCol_Text, GetPalette().accent);
      ImGui::Text("%.3f", v);
      if (strong) ImGui::PopStyleColor();
    };
    number(s.entropy, false);
    number(s.prev_token, s.prev_token > 0.5f);
    number(s.first_token, s.first_token > 0.5f);
  }
  ImGui::EndTable();
  Hotspot("arch_heads_table");
}

// One sentence naming the layer's most distinctive heads, from the numbers in the table.
static void Summary(const model::Trace& t) {
  const std::vector<session::HeadStats> layer(g.stats.begin() + static_cast<size_t>(g.layer) * t.n_head,
                                              g.stats.begin() + static_cast<size_t>(g.layer + 1) * t.n_head);
  auto best = [&](auto key) {
    return *std::max_element(layer.begin(), layer.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  };
  const session::HeadStats prev = best([](const session::HeadStats& s) { return s.prev_token; });
  const session::HeadStats first = best([](const session::HeadStats& s) { return s.first_token; });
  const session::HeadStats spread = best([](const session::HeadStats& s) { return s.entropy; });
  const session::HeadStats sharp = best([](const session::HeadStats& s) { return -s.entropy; });
  Paragraph(StrFormat(Tr(Str::ArchHeadsSummary), g.layer + 1, prev.head + 1, prev.prev_token, first.head + 1, first.first_token,
                      spread.head + 1, spread.entropy, sharp.head + 1, sharp.entropy));
}

//-----------------------------------------------------------------------------
// [SECTION] Narration and the untrained twin
//-----------------------------------------------------------------------------

// Every layer × head of a trace as small maps (rows: layers), `width` pixels wide in all.
static void CompactModelGrid(const model::Trace& t, float width, const char* id) {
  const float em = ImGui::GetFontSize(), gap = 0.2f * em;
  const float label_w = ImGui::CalcTextSize(StrFormat(Tr(Str::ArchLayerShort), t.n_layer).c_str()).x + 0.4f * em;
  const float size = std::max(0.8f * em, (width - label_w - gap * (t.n_head - 1)) / t.n_head);
  const float x0 = ImGui::GetCursorPosX();
  const int cols = t.first + t.count;
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, gap));
  LayerRows(t.n_layer, t.n_head, x0, label_w, size, gap, [&](int l, int h) {
    DenseHeatmapSpec spec;
    spec.values = t.HeadWeights(l, h);
    spec.rows = t.count;
    spec.cols = cols;
    spec.width = size;
    spec.height = 0.0f;
    spec.ticks = false;
    spec.frame = true;
    const std::string cell = std::string("##") + id + "-" + std::to_string(l) + "-" + std::to_string(h);
    DenseHeatmap(cell.c_str(), spec);
    if (ImGui::IsItemHovered()) {
      const session::HeadStats s = session::ComputeHeadStats(spec.values, t.count, cols, t.first);
      ImGui::SetTooltip("%s\n%s", HeadDisplayName(l, h).c_str(),
                        StrFormat(Tr(Str::ArchHeadsLargeStats), s.entropy, s.prev_token, s.first_token).c_str());
    }
  });
  ImGui::PopStyleVar();
}

// The untrained twin beside the trained model, whole models, with the twin's facts.
static void TwinComparison(session::Session& session, const model::Trace& t) {
  const Palette& pal = GetPalette();
  ArchFigureTitle(Tr(Str::TwinHeading));
  const model::Config& c = session.info().config;
  if (session.twin_too_big()) {
    char have[32], limit[32];
    std::snprintf(have, sizeof have, "%llu", static_cast<unsigned long long>(session.info().parameters));
    std::snprintf(limit, sizeof limit, "%llu", static_cast<unsigned long long>(session::Session::kTwinMaxParameters));
    Paragraph(StrFormat(Tr(Str::TwinTooBig), have, limit), pal.muted_text);
    return;
  }
  if (session.twin_over_budget()) {
    Paragraph(StrFormat(Tr(Str::TwinOverBudget), BinaryBytes(static_cast<double>(session.memory_budget())).c_str()),
              pal.muted_text);
    Hotspot("twin-over-budget");
    return;
  }
  const model::Trace* twin = session.twin_trace();
  if (!twin) return;
  Paragraph(StrFormat(Tr(Str::TwinIntro), c.n_layer, c.n_head, c.n_embd), pal.muted_text);
  const float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetFontSize();
  const bool side = avail > 30 * ImGui::GetFontSize();
  const float w = std::min(side ? (avail - gap) / 2 : avail, 36.0f * ImGui::GetFontSize());
  ImGui::BeginGroup();
  ImGui::TextUnformatted(StrFormat(Tr(Str::TwinTrained), session.info().name.c_str()).c_str());
  CompactModelGrid(t, w, "trained");
  ImGui::EndGroup();
  Hotspot("arch_heads_trained_grid");
  if (side) ImGui::SameLine(0, gap);
  ImGui::BeginGroup();
  ImGui::TextUnformatted(Tr(Str::TwinUntrained));
  CompactModelGrid(*twin, w, "twin");
  ImGui::EndGroup();
  Hotspot("arch_heads_twin_grid");
  const session::HeadNarration n = session.twin_narration();
  Paragraph(StrFormat(Tr(Str::TwinFacts), n.uniform.count, n.n_layer * n.n_head, 100.0 * n.prev.value,
                      HeadDisplayName(n.prev.layer, n.prev.head).c_str(), 100.0 * n.first.value,
                      HeadDisplayName(n.first.layer, n.first.head).c_str()));
}

//-----------------------------------------------------------------------------
// [SECTION] Panel
//-----------------------------------------------------------------------------

static void AppendFloat(std::string& out, float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7g", std::isfinite(v) ? v : 0.0f);
  out += buf;
}

// {"layer","head","entropy","prev_token","first_token"}, after a comma unless it is the first.
static void AppendStatsJson(std::string& j, const session::HeadStats& s, bool comma) {
  j += (comma ? ",{" : "{") + std::string("\"layer\":") + std::to_string(s.layer) + ",\"head\":" + std::to_string(s.head);
  j += ",\"entropy\":";
  AppendFloat(j, s.entropy);
  j += ",\"prev_token\":";
  AppendFloat(j, s.prev_token);
  j += ",\"first_token\":";
  AppendFloat(j, s.first_token);
  j += "}";
}

static void Publish(session::Session& session, const model::Trace& t) {
  std::string j = "{\"layer\":" + std::to_string(g.layer);
  j += std::string(",\"view\":") + (g.model_view ? "\"model\"" : "\"layer\"");
  j += ",\"n_layer\":" + std::to_string(t.n_layer) + ",\"n_head\":" + std::to_string(t.n_head);
  j += ",\"open\":";
  j += g.open_layer >= 0 ? "[" + std::to_string(g.open_layer) + "," + std::to_string(g.open_head) + "]" : "null";
  static const char* kSortNames[] = {"head", "entropy", "prev", "first"};
  j += std::string(",\"sort\":\"") + kSortNames[g.sort] + "\",\"descending\":" + (g.descending ? "true" : "false");
  j += ",\"tokens\":[";
  const auto& labels = session.labels();
  for (size_t i = 0; i < labels.size(); ++i) j += (i ? "," : "") + json::Quote(labels[i].text);
  j += "],\"stats\":[";  // the table's rows, in the order shown
  for (size_t r = 0; r < g.order.size(); ++r) AppendStatsJson(j, g.stats[g.order[r]], r > 0);
  j += "]";
  // What the narration says and the numbers it was built from (0-based layer / head).
  const session::HeadNarration n = session.narration();
  j += ",\"narration\":" + NarrationJson(n, NarrationLines(n));
  // The untrained twin: its narration facts and every head's statistics, or why there is none.
  j += std::string(",\"twin\":{\"too_big\":") + (session.twin_too_big() ? "true" : "false");
  j += ",\"max_parameters\":" + std::to_string(session::Session::kTwinMaxParameters);
  j += ",\"seed\":" + std::to_string(session::Session::kTwinSeed);
  if (const std::vector<session::HeadPattern>* twin = session.twin_patterns()) {
    const session::HeadNarration tn = session.twin_narration();
    j += ",\"narration\":" + NarrationJson(tn, {}) + ",\"stats\":[";
    for (size_t i = 0; i < twin->size(); ++i) AppendStatsJson(j, (*twin)[i].stats, i > 0);
    j += "]";
  }
  j += "}";
  j += ",\"byte_split\":" + ByteSplitJson(session) + "}";
  PublishPanelState("arch_heads", std::move(j));
}

void DrawMultiHeadFigure(AppState& app, session::Session& session) {
  const Palette& pal = GetPalette();
  ReadOptions(app);
  app.figure_layer = g.layer;  // what "Embed this figure" keeps
  Paragraph(Tr(Str::ArchHeadsIntro));
  ArchSentenceInput(session);
  if (!session.HasModel()) {
    NoModelNote(session, Str::ArchNeedsModel, pal.badge_text);
    return;
  }
  const model::Trace& t = session.trace();
  if (t.count == 0 || t.n_head == 0) {
    EmptyTraceNote(session, pal.muted_text);
    return;
  }
  if (session.version() != g.version) {
    g.stats = session::AllHeadStats(t);
    g.version = session.version();
  }
  g.layer = std::clamp(g.layer, 0, t.n_layer - 1);
  if (g.requested_head >= 0) {
    Open(g.layer, std::min(g.requested_head, t.n_head - 1));
    g.requested_head = -1;
  }
  if (g.open_layer >= t.n_layer || g.open_head >= t.n_head) g.open_layer = g.open_head = -1;  // a smaller model
  if (g.open_layer < 0) {  // start with the layer's clearest previous-token head enlarged
    int best = 0;
    for (int h = 1; h < t.n_head; ++h)
      if (StatsOf(t, g.layer, h).prev_token > StatsOf(t, g.layer, best).prev_token) best = h;
    Open(g.layer, best);
  }

  if (RadioInRow((std::string(Tr(Str::ArchHeadsViewLayer)) + "###arch-heads-layer-view").c_str(), !g.model_view, true))
    g.model_view = false;
  Hotspot("arch_heads_view_layer");
  if (RadioInRow((std::string(Tr(Str::ArchHeadsViewModel)) + "###arch-heads-model-view").c_str(), g.model_view))
    g.model_view = true;
  Hotspot("arch_heads_view_model");
  if (!g.model_view) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (IndexSlider((std::string(Tr(Str::ArchLayer)) + "###arch-heads-layer").c_str(), &g.layer, t.n_layer))
      Open(g.layer, g.open_head);  // the same head in the new layer stays enlarged
    Hotspot("arch_heads_layer");
  }
  Paragraph(Tr(Str::ArchHeadsClickHint), pal.muted_text);
  if (g.model_view) ModelGrid(t);
  else LayerGrid(t);
  Paragraph(Tr(Str::ArchHeadsAngles), pal.muted_text);  // models in general, marked as such
  ImGui::Spacing();
  LargeHead(session, t);
  ImGui::Spacing();
  // What this model does on this sentence, measured; then the same for its untrained twin.
  ArchFigureTitle(Tr(Str::NarrHeading));
  DrawNarration(NarrationLines(session.narration()), "arch_heads_narration");
  ImGui::Spacing();
  TwinComparison(session, t);
  ImGui::Spacing();
  Summary(t);
  StatsTable();
  Paragraph(Tr(Str::ArchHeadsTableHelp), pal.muted_text);
  Publish(session, t);
}

}  // namespace attn::ui
