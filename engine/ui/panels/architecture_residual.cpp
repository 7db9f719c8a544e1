// 11.3 FFN · 残差 · LayerNorm — what happens around attention inside a block, read from the
// session's Trace (residual stream, LayerNorm outputs, GELU activations):
//
//   the highway        ‖x‖ of the residual stream for every token, into every block and after
//                      the last (a heatmap layers × tokens, and a line for the selected token)
//   LayerNorm          one token's values before (the residual stream) and after LN₁
//   the FFN            how many GELU outputs are near zero, per layer; their distribution;
//                      and the share of the block's parameters that live in the FFN
//
// Options: res.layer (the LayerNorm / FFN layer), res.token (the selected token).
// State API: "arch_residual" (Publish below). Statistics: session/block_stats.h.
//
// [SECTION] Index
//   - State and options
//   - The residual highway
//   - LayerNorm
//   - The FFN
//   - Panel
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "formats/json.h"
#include "session/block_stats.h"
#include "ui/i18n/i18n.h"
#include "ui/panels/architecture_parts.h"
#include "ui/theme.h"
#include "ui/widgets/bar_chart.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/heatmap.h"
#include "ui/widgets/histogram.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/line_chart.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] State and options
//-----------------------------------------------------------------------------

constexpr int kBins = 40;

struct ResidualState {
  int layer = 0;
  int token = -1;              // -1: the last token (set when the sentence changes)
  float threshold = 0.05f;     // "near zero" for GELU outputs
  uint64_t version = ~0ull;
  std::vector<float> norms;    // [l * count + i], l = 0 … n_layer
  float cached_threshold = -1.0f;
  std::vector<float> near_zero;  // per layer
};

static ResidualState g;

static void ReadOptions(AppState& app) {
  TakeIntOption(app, "res.layer", &g.layer);
  TakeIntOption(app, "res.token", &g.token);
}

static const float* Row(const std::vector<float>& all, int layer, int token, int count, int width) {
  return all.data() + (static_cast<size_t>(layer) * count + token) * width;
}

//-----------------------------------------------------------------------------
// [SECTION] The residual highway
//-----------------------------------------------------------------------------

static void NormHeatmap(const model::Trace& t, const std::vector<std::string>& tokens) {
  ArchFigureTitle(Tr(Str::ArchResNormTitle));
  std::vector<std::string> rows;
  for (int l = 0; l < t.n_layer; ++l) rows.push_back(StrFormat(Tr(Str::ArchResRowBefore), l + 1));
  rows.push_back(Tr(Str::ArchResRowAfter));
  float lo = INFINITY, hi = 0.0f;
  for (float v : g.norms)
    if (v > 0.0f) { lo = std::min(lo, v); hi = std::max(hi, v); }
  HeatmapSpec spec;
  spec.values = g.norms.data();
  spec.rows = t.n_layer + 1;
  spec.cols = t.count;
  spec.row_labels = &rows;
  spec.col_labels = &tokens;
  spec.vmin = std::isfinite(lo) ? lo : 1e-3f;
  spec.vmax = std::max(hi, spec.vmin * 1.01f);
  spec.log_color = true;
  spec.highlight_col = g.token;
  spec.read_out = Tr(Str::ArchResNormReadOut);
  const HeatmapHover h = Heatmap("##res-norms", spec);
  Hotspot("arch_res_norms");
  if (h.clicked && h.col >= 0) g.token = h.col;
  Paragraph(Tr(Str::ArchResNormHelp), GetPalette().muted_text);
}

static void NormChart(const model::Trace& t, const std::vector<std::string>& tokens) {
  const int n = t.n_layer + 1;
  std::vector<float> x(n), mine(n), mean(n, 0.0f);
  float lo = INFINITY, hi = 0.0f;
  for (int l = 0; l < n; ++l) {
    x[l] = static_cast<float>(l);
    mine[l] = g.norms[static_cast<size_t>(l) * t.count + g.token];
    for (int i = 0; i < t.count; ++i) mean[l] += g.norms[static_cast<size_t>(l) * t.count + i] / t.count;
    for (float v : {mine[l], mean[l]}) { lo = std::min(lo, v); hi = std::max(hi, v); }
  }
  const std::string name = StrFormat(Tr(Str::ArchResSeriesToken), tokens[g.token].c_str());
  const ChartSeries series[] = {
      {name.c_str(), x.data(), mine.data(), n, 1, false},
      {Tr(Str::ArchResSeriesMean), x.data(), mean.data(), n, 0, true},
  };
  ChartAxes axes;
  axes.x_label = Tr(Str::ArchResChartX);
  axes.y_label = Tr(Str::ArchResChartY);
  axes.x_integers = true;
  axes.log_y = lo > 0.0f && hi / lo > 30.0f;  // the first token can be far longer than the rest
  if (!axes.log_y) axes.y_min = 0.0f;
  LineChart("##res-norm-chart", axes, series, 0.0f, 12.0f * ImGui::GetFontSize());
  Hotspot("arch_res_norm_chart");
}

//-----------------------------------------------------------------------------
// [SECTION] LayerNorm
//-----------------------------------------------------------------------------

struct Distribution {
  session::Moments moments;
  session::Histogram histogram;
};

static Distribution Describe(const float* x, size_t n) {
  Distribution d;
  d.moments = session::ComputeMoments(x, n);
  const float pad = std::max(1e-3f, 0.02f * (d.moments.max - d.moments.min));
  d.histogram = session::MakeHistogram(x, n, kBins, d.moments.min - pad, d.moments.max + pad);
  return d;
}

static void DistributionFigure(const char* id, const char* title, const Distribution& d, float width, const char* hotspot) {
  ImGui::BeginGroup();
  Paragraph(title, ImGui::GetColorU32(ImGuiCol_Text), width);
  HistogramSpec spec;
  spec.histogram = &d.histogram;
  spec.x_label = Tr(Str::ArchResValue);
  spec.y_label = Tr(Str::ArchResCount);
  spec.marker_x = 0.0f;
  spec.width = width;
  spec.height = 10.0f * ImGui::GetFontSize();
  HistogramChart(id, spec);
  Hotspot(hotspot);
  const session::Moments& m = d.moments;
  Paragraph(StrFormat(Tr(Str::ArchResMoments), m.mean, m.std, m.min, m.max), GetPalette().muted_text, width);
  ImGui::EndGroup();
}

static void LayerNormFigures(const model::Trace& t, Distribution* before, Distribution* after) {
  ArchFigureTitle(Tr(Str::ArchResLnTitle));
  Paragraph(Tr(Str::ArchResLnHelp));
  ImGui::SetNextItemWidth(8.0f * ImGui::GetFontSize());
  IndexSlider((std::string(Tr(Str::ArchLayer)) + "###res-layer").c_str(), &g.layer, t.n_layer);
  Hotspot("arch_res_layer");
  const float* x = Row(t.residual, g.layer, g.token, t.count, t.n_embd);
  const float* y = Row(t.ln1, g.layer, g.token, t.count, t.n_embd);
  *before = Describe(x, t.n_embd);
  *after = Describe(y, t.n_embd);
  const float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  const bool side_by_side = avail >= 30.0f * ImGui::GetFontSize();
  const float w = side_by_side ? (avail - gap) / 2 : avail;
  DistributionFigure("##res-ln-before", StrFormat(Tr(Str::ArchResBefore), g.layer + 1).c_str(), *before, w, "arch_res_ln_before");
  if (side_by_side) ImGui::SameLine();
  DistributionFigure("##res-ln-after", StrFormat(Tr(Str::ArchResAfter), g.layer + 1).c_str(), *after, w, "arch_res_ln_after");
}

//-----------------------------------------------------------------------------
// [SECTION] The FFN
//-----------------------------------------------------------------------------

static void FfnFigures(const model::Trace& t, const model::Config& c) {
  ArchFigureTitle(Tr(Str::ArchResFfnTitle));
  const session::BlockParameters p = session::CountBlockParameters(c);
  const double total = static_cast<double>(p.Total());
  char count[32];
  std::snprintf(count, sizeof count, "%llu", static_cast<unsigned long long>(p.ffn));
  // Shares of the whole model, from its shape: the embedding table can outweigh every FFN
  // together in a small model, so "most parameters" is measured, not said.
  const double model_total = static_cast<double>(session::ParameterCount(c));
  const double ffn_all = static_cast<double>(p.ffn) * c.n_layer, wte = static_cast<double>(c.vocab_size) * c.n_embd;
  Paragraph(StrFormat(Tr(Str::ArchResFfnHelp), c.n_embd, c.n_ff, c.n_embd, count, 100.0 * p.ffn / total,
                      100.0 * p.attention / total, 100.0 * ffn_all / model_total, 100.0 * wte / model_total));

  ImGui::SetNextItemWidth(8.0f * ImGui::GetFontSize());
  ImGui::SliderFloat((std::string(Tr(Str::ArchResThreshold)) + "###res-threshold").c_str(), &g.threshold, 0.005f, 0.5f,
                     "%.3f", ImGuiSliderFlags_Logarithmic);
  Hotspot("arch_res_threshold");
  if (g.threshold != g.cached_threshold || g.near_zero.size() != static_cast<size_t>(t.n_layer)) {
    g.near_zero = session::FfnNearZero(t, g.threshold);
    g.cached_threshold = g.threshold;
  }
  Paragraph(Tr(Str::ArchResNearZero), GetPalette().muted_text);
  std::vector<std::string> labels;
  for (int l = 0; l < t.n_layer; ++l) labels.push_back(StrFormat(Tr(Str::ArchLayerShort), l + 1));
  BarChartSpec bars;
  bars.labels = &labels;
  bars.values = &g.near_zero;
  bars.vmin = 0.0f;
  bars.vmax = g.near_zero.empty() ? 1.0f : std::max(0.05f, *std::max_element(g.near_zero.begin(), g.near_zero.end()) * 1.2f);
  bars.format = "%.3f";
  bars.highlight = g.layer;
  bars.height_em = 4.5f;
  const int hovered = BarChart("##res-near-zero", bars);
  Hotspot("arch_res_near_zero");
  if (hovered >= 0 && ImGui::IsMouseClicked(0)) g.layer = hovered;

  const size_t per_layer = static_cast<size_t>(t.count) * t.n_ff;
  const Distribution d = Describe(t.mlp_act.data() + g.layer * per_layer, per_layer);
  DistributionFigure("##res-ffn-hist", StrFormat(Tr(Str::ArchResFfnHist), g.layer + 1, t.n_ff).c_str(), d,
                     ImGui::GetContentRegionAvail().x, "arch_res_ffn_hist");
}

//-----------------------------------------------------------------------------
// [SECTION] Panel
//-----------------------------------------------------------------------------

static void AppendMoments(std::string& j, const session::Moments& m) {
  j += StrFormat("{\"mean\":%.9g,\"std\":%.9g,\"min\":%.9g,\"max\":%.9g}", m.mean, m.std, m.min, m.max);
}

static std::string Floats(const float* v, size_t n) {
  std::string out = "[";
  for (size_t i = 0; i < n; ++i) out += StrFormat("%s%.9g", i ? "," : "", std::isfinite(v[i]) ? v[i] : 0.0f);
  return out + "]";
}

static void Publish(const model::Trace& t, const std::vector<std::string>& tokens, const Distribution& before,
                    const Distribution& after) {
  std::string j = StrFormat("{\"layer\":%d,\"token\":%d,\"n_layer\":%d,\"threshold\":%.9g", g.layer, g.token, t.n_layer,
                            g.threshold);
  j += ",\"tokens\":[";
  for (size_t i = 0; i < tokens.size(); ++i) j += (i ? "," : "") + json::Quote(tokens[i]);
  std::vector<float> mine(t.n_layer + 1);
  for (int l = 0; l <= t.n_layer; ++l) mine[l] = g.norms[static_cast<size_t>(l) * t.count + g.token];
  j += "],\"norms\":" + Floats(mine.data(), mine.size());  // the selected token, layer 0 … n_layer
  j += ",\"ln_before\":";
  AppendMoments(j, before.moments);
  j += ",\"ln_after\":";
  AppendMoments(j, after.moments);
  j += ",\"ffn_near_zero\":" + Floats(g.near_zero.data(), g.near_zero.size());
  j += "}";
  PublishPanelState("arch_residual", std::move(j));
}

void DrawResidualFigure(AppState& app, session::Session& session) {
  const Palette& pal = GetPalette();
  ReadOptions(app);
  Paragraph(Tr(Str::ArchResIntro));
  ArchSentenceInput(session);
  if (!session.HasModel()) {
    NoModelNote(session, Str::ArchNeedsModel, pal.badge_text);
    return;
  }
  model::TraceOptions needs;
  needs.block_outputs = true;
  if (TraceDetailNote(session, needs, pal.badge_text)) return;  // a long text over the memory budget
  const model::Trace& t = session.trace();
  const size_t rows = static_cast<size_t>(t.count) * t.n_embd;
  if (t.count == 0 || t.residual.size() < rows * (t.n_layer + 1) || t.ln1.size() < rows * t.n_layer ||
      t.mlp_act.size() < static_cast<size_t>(t.count) * t.n_ff * t.n_layer) {
    EmptyTraceNote(session, pal.muted_text);
    return;
  }
  if (session.version() != g.version) {
    if (g.version != ~0ull) g.token = -1;  // a new sentence: start from its last token
    g.norms = session::ResidualNorms(t);
    g.near_zero.clear();
    g.version = session.version();
  }
  if (g.token < 0 || g.token >= t.count) g.token = t.count - 1;
  g.layer = std::clamp(g.layer, 0, t.n_layer - 1);
  std::vector<std::string> tokens;
  for (const auto& l : session.labels()) tokens.push_back(l.text);
  tokens.resize(t.count);

  NormHeatmap(t, tokens);
  ImGui::TextUnformatted(StrFormat(Tr(Str::ArchResToken), tokens[g.token].c_str(), g.token).c_str());
  NormChart(t, tokens);
  ImGui::Separator();

  Distribution before, after;
  LayerNormFigures(t, &before, &after);
  ImGui::Separator();
  FfnFigures(t, session.info().config);
  Publish(t, tokens, before, after);
}

}  // namespace attn::ui
