// 11.3 位置编码 — the sinusoidal positional encoding of "Attention Is All You Need"
// (lab/positional_encoding.h) beside the position embeddings GPT-2 learned (wpe):
//
//   the code itself        positions × dimensions, diverging colours for [−1, 1]
//   curves                 chosen dimensions along the positions (sines and cosines)
//   similarity             PE(m)·PE(n) for the formula, cosine similarity for wpe
//
// Options: pe.d_model (16…512, even), pe.length (8…256), pe.pos + pe.dim (a selected cell).
// State API: "arch_pe" (Publish below) with the selected cell and fixed samples, so tests
// can compare the panel's numbers with the formula.
//
// [SECTION] Index
//   - State, options and caches
//   - Figures: the code, its similarity, the learned embeddings, the curves
//   - Panel
#include <imgui.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "kernels/kernels.h"
#include "lab/positional_encoding.h"
#include "ui/i18n/i18n.h"
#include "ui/panels/architecture_parts.h"
#include "ui/theme.h"
#include "ui/widgets/callout.h"
#include "ui/widgets/dense_heatmap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/line_chart.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] State, options and caches
//-----------------------------------------------------------------------------

constexpr int kMinD = 16, kMaxD = 512, kMinLength = 8, kMaxLength = 256;
constexpr int kCurves = 4;

// Row-major copies for the heatmaps (Eigen's default is column-major).
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct PeState {
  int d_model = 128, length = 64;
  int dims[kCurves] = {4, 5, 20, 42};  // the curves: a fast sine and its cosine, two slower ones
  bool dims_chosen = false;            // the student picked dimensions: keep them as d changes
  int sel_pos = -1, sel_dim = -1;      // the clicked cell (-1: none)
  // Caches, recomputed only when what they depend on changes (a slider, the model).
  int cached_d = 0, cached_length = 0;
  RowMatrix pe, pe_dot;                // length × d, length × length
  const void* cached_wpe = nullptr;    // the model's wpe data pointer
  int cached_wpe_positions = 0, cached_wpe_dims = 0;
  RowMatrix wpe, wpe_cos;              // positions × dims shown, positions × positions
  float wpe_range = 1.0f;              // colour range ± of the shown wpe values
};

static PeState g;

static void ReadOptions(AppState& app) {
  TakeIntOption(app, "pe.d_model", &g.d_model);
  TakeIntOption(app, "pe.length", &g.length);
  TakeIntOption(app, "pe.pos", &g.sel_pos);
  TakeIntOption(app, "pe.dim", &g.sel_dim);
}

static void Clamp() {
  g.d_model = std::clamp(g.d_model, kMinD, kMaxD) & ~1;  // even: dimensions come in sin/cos pairs
  g.length = std::clamp(g.length, kMinLength, kMaxLength);
  if (!g.dims_chosen) {  // the same wavelengths relative to d: dimension 2i turns at 10000^(−2i/d)
    g.dims[2] = (g.d_model / 6) & ~1;
    g.dims[3] = (g.d_model / 3) & ~1;
  }
  if (g.sel_pos >= g.length || g.sel_dim >= g.d_model) g.sel_pos = g.sel_dim = -1;
  for (int& d : g.dims) d = std::clamp(d, 0, g.d_model - 1);
}

static void UpdateFormula() {
  if (g.cached_d == g.d_model && g.cached_length == g.length) return;
  const Eigen::MatrixXf pe = lab::SinusoidalEncoding(g.length, g.d_model);
  g.pe = pe;
  g.pe_dot = lab::DotSimilarity(pe);
  g.cached_d = g.d_model;
  g.cached_length = g.length;
}

// The first `positions` rows of wpe, whole (for the cosines), and the first `dims` columns of
// them for the heatmap; colours span ± the 99th percentile of |value| so that a few outlier
// dimensions do not wash out the rest (the read-out stays exact).
static void UpdateLearned(const model::Model& m, int positions, int dims) {
  const kernels::Matrix& wpe = m.weights().wpe;
  if (g.cached_wpe == wpe.data && g.cached_wpe_positions == positions && g.cached_wpe_dims == dims) return;
  Eigen::MatrixXf rows(positions, static_cast<Eigen::Index>(wpe.cols));
  std::vector<float> row(wpe.cols);
  for (int p = 0; p < positions; ++p) {
    if (!kernels::MatrixRow(wpe, p, row.data())) std::fill(row.begin(), row.end(), 0.0f);
    for (size_t d = 0; d < wpe.cols; ++d) rows(p, static_cast<Eigen::Index>(d)) = row[d];
  }
  g.wpe = rows.leftCols(dims);
  g.wpe_cos = lab::CosineSimilarity(rows);
  std::vector<float> mags(g.wpe.data(), g.wpe.data() + g.wpe.size());
  for (float& v : mags) v = std::fabs(v);
  if (!mags.empty()) {
    const size_t k = std::min(mags.size() - 1, static_cast<size_t>(mags.size() * 0.99));
    std::nth_element(mags.begin(), mags.begin() + k, mags.end());
    g.wpe_range = std::max(mags[k], 1e-6f);
  }
  g.cached_wpe = wpe.data;
  g.cached_wpe_positions = positions;
  g.cached_wpe_dims = dims;
}

//-----------------------------------------------------------------------------
// [SECTION] Figures
//-----------------------------------------------------------------------------

// Height of the code heatmaps: square cells when that fits, else between 8 and 18 em.
static float CodeHeight(float width, int rows, int cols) {
  const float em = ImGui::GetFontSize();
  return std::clamp(width * rows / cols, 8.0f * em, 18.0f * em);
}

static void FormulaCode(float width) {
  ArchFigureTitle(StrFormat(Tr(Str::ArchPeSineTitle), g.length, g.d_model).c_str());
  DenseHeatmapSpec s;
  s.values = g.pe.data();
  s.rows = g.length;
  s.cols = g.d_model;
  s.vmin = -1.0f;
  s.vmax = 1.0f;
  s.diverging = true;
  s.width = width;
  s.height = CodeHeight(width, g.length, g.d_model);
  s.row_axis = Tr(Str::ArchPeAxisPos);
  s.col_axis = Tr(Str::ArchPeAxisDim);
  s.color_bar = true;
  s.mark_row = g.sel_pos;
  s.mark_col = g.sel_dim;
  const DenseHeatmapHover h = DenseHeatmap("##pe-code", s);
  Hotspot("arch_pe_heatmap");
  if (h.row >= 0) ImGui::SetTooltip(Tr(Str::ArchPeReadOut), h.row, h.col, h.value);
  if (h.clicked) {
    g.sel_pos = h.row;
    g.sel_dim = h.col;
    g.dims[kCurves - 1] = h.col;  // the clicked dimension joins the curves
    g.dims_chosen = true;
  }
}

// A position × position matrix (dot products, cosines) in the diverging map over [−range, range].
static DenseHeatmapSpec PositionByPosition(const float* values, int n, float range, float width) {
  DenseHeatmapSpec s;
  s.values = values;
  s.rows = s.cols = n;
  s.vmin = -range;
  s.vmax = range;
  s.diverging = true;
  s.width = width;
  s.max_height = 18.0f * ImGui::GetFontSize();
  s.row_axis = Tr(Str::ArchPeAxisPosM);
  s.col_axis = Tr(Str::ArchPeAxisPos2);
  s.color_bar = true;
  return s;
}

static void FormulaSimilarity(float width) {
  ArchFigureTitle(Tr(Str::ArchPeDotTitle));
  const float half = g.d_model / 2.0f;  // every row has norm √(d/2): the dot product's range
  const DenseHeatmapHover h = DenseHeatmap("##pe-dot", PositionByPosition(g.pe_dot.data(), g.length, half, width));
  Hotspot("arch_pe_dot");
  if (h.row >= 0) ImGui::SetTooltip(Tr(Str::ArchPeDotReadOut), h.row, h.col, h.value, h.value / half);
}

static void LearnedCode(float width) {
  ArchFigureTitle(StrFormat(Tr(Str::ArchPeLearnedTitle), static_cast<int>(g.wpe.rows()), static_cast<int>(g.wpe.cols())).c_str());
  DenseHeatmapSpec s;
  s.values = g.wpe.data();
  s.rows = static_cast<int>(g.wpe.rows());
  s.cols = static_cast<int>(g.wpe.cols());
  s.vmin = -g.wpe_range;
  s.vmax = g.wpe_range;
  s.diverging = true;
  s.width = width;
  s.height = CodeHeight(width, s.rows, s.cols);
  s.row_axis = Tr(Str::ArchPeAxisPos);
  s.col_axis = Tr(Str::ArchPeAxisDim);
  s.color_bar = true;
  const DenseHeatmapHover h = DenseHeatmap("##pe-wpe", s);
  Hotspot("arch_pe_wpe");
  if (h.row >= 0) ImGui::SetTooltip(Tr(Str::ArchPeReadOut), h.row, h.col, h.value);
}

static void LearnedSimilarity(float width, int n_embd) {
  ArchFigureTitle(StrFormat(Tr(Str::ArchPeCosTitle), n_embd).c_str());
  const int n = static_cast<int>(g.wpe_cos.rows());
  const DenseHeatmapHover h = DenseHeatmap("##pe-wpe-cos", PositionByPosition(g.wpe_cos.data(), n, 1.0f, width));
  Hotspot("arch_pe_wpe_cos");
  if (h.row >= 0) ImGui::SetTooltip(Tr(Str::ArchPeCosReadOut), h.row, h.col, h.value);
}

static void Curves() {
  ArchFigureTitle(Tr(Str::ArchPeCurvesTitle));
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x * 0.7f, 22.0f * ImGui::GetFontSize()));
  if (ImGui::SliderInt4((std::string(Tr(Str::ArchPeCurveDims)) + "###pe-dims").c_str(), g.dims, 0, g.d_model - 1))
    g.dims_chosen = true;
  Hotspot("arch_pe_dims");
  std::vector<float> x(g.length);
  for (int p = 0; p < g.length; ++p) x[p] = static_cast<float>(p);
  std::vector<std::vector<float>> y(kCurves, std::vector<float>(g.length));
  std::vector<std::string> names(kCurves);
  std::vector<ChartSeries> series;
  for (int c = 0; c < kCurves; ++c) {
    for (int p = 0; p < g.length; ++p) y[c][p] = g.pe(p, g.dims[c]);
    names[c] = StrFormat(Tr(Str::ArchPeCurveLabel), g.dims[c]);
    series.push_back({names[c].c_str(), x.data(), y[c].data(), g.length, c, g.dims[c] % 2 == 1});  // cosines dashed
  }
  ChartAxes axes;
  axes.x_label = Tr(Str::ArchPeAxisPos2);
  axes.y_label = Tr(Str::ArchPeValue);
  axes.y_min = -1.1f;
  axes.y_max = 1.1f;
  axes.x_integers = true;
  if (g.sel_pos >= 0) axes.marker_x = static_cast<float>(g.sel_pos);
  LineChart("##pe-curves", axes, series, 0.0f, 13.0f * ImGui::GetFontSize());
  Hotspot("arch_pe_curves");
  Paragraph(Tr(Str::ArchPeCurvesHelp), GetPalette().muted_text);
}

//-----------------------------------------------------------------------------
// [SECTION] Panel
//-----------------------------------------------------------------------------

// The formula's value at (pos, dim), computed here once more in double precision (the tests
// compare both with their own).
static double FormulaValue(int pos, int dim) {
  const int i2 = dim & ~1;  // 2i
  const double angle = pos / std::pow(10000.0, static_cast<double>(i2) / g.d_model);
  return dim % 2 ? std::cos(angle) : std::sin(angle);
}

static void AppendCell(std::string& j, int pos, int dim, float value) {
  j += StrFormat("{\"pos\":%d,\"dim\":%d,\"value\":%.9g}", pos, dim, value);
}

static void Publish(const session::Session& session, bool learned) {
  std::string j = StrFormat("{\"d_model\":%d,\"length\":%d,\"dims\":[%d,%d,%d,%d]", g.d_model, g.length, g.dims[0],
                            g.dims[1], g.dims[2], g.dims[3]);
  j += ",\"selected\":";
  if (g.sel_pos >= 0) AppendCell(j, g.sel_pos, g.sel_dim, g.pe(g.sel_pos, g.sel_dim));
  else j += "null";
  // Fixed cells: both ends, both members of a pair, the middle.
  const int L = g.length - 1, D = g.d_model - 1, m = g.length / 2, h = g.d_model / 2;
  const int cells[][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {5, 2}, {5, 3}, {m, h}, {m, h + 1}, {L, 0}, {L, 1}, {L, D - 1}, {L, D}};
  j += ",\"samples\":[";
  for (size_t c = 0; c < sizeof cells / sizeof cells[0]; ++c) {
    if (c) j += ",";
    AppendCell(j, cells[c][0], cells[c][1], g.pe(cells[c][0], cells[c][1]));
  }
  j += "],\"dot_samples\":[";
  const int pairs[][2] = {{0, 0}, {0, 1}, {3, 7}, {m, m + 1}, {0, L}, {L, 2}};
  for (size_t c = 0; c < sizeof pairs / sizeof pairs[0]; ++c)
    j += StrFormat("%s{\"m\":%d,\"n\":%d,\"value\":%.9g}", c ? "," : "", pairs[c][0], pairs[c][1], g.pe_dot(pairs[c][0], pairs[c][1]));
  j += "]";
  if (learned) {
    const kernels::Matrix& wpe = session.model().weights().wpe;
    const int P = static_cast<int>(g.wpe.rows()), W = static_cast<int>(g.wpe.cols());
    j += StrFormat(",\"wpe\":{\"positions\":%d,\"dims\":%d,\"n_ctx\":%d,\"n_embd\":%d,\"type\":\"%s\",\"range\":%.9g", P, W,
                   static_cast<int>(wpe.rows), static_cast<int>(wpe.cols), quant::TypeName(wpe.type), g.wpe_range);
    j += ",\"samples\":[";
    const int wcells[][2] = {{0, 0}, {1, 1}, {P / 2, W / 2}, {P - 1, W - 1}, {P - 1, 0}};
    for (size_t c = 0; c < sizeof wcells / sizeof wcells[0]; ++c) {
      if (c) j += ",";
      AppendCell(j, wcells[c][0], wcells[c][1], g.wpe(wcells[c][0], wcells[c][1]));
    }
    j += "],\"cos_samples\":[";
    const int wpairs[][2] = {{0, 1}, {1, 2}, {P / 2, P / 2 + 1 < P ? P / 2 + 1 : P / 2}, {0, P - 1}, {3, P - 1}};
    for (size_t c = 0; c < sizeof wpairs / sizeof wpairs[0]; ++c)
      j += StrFormat("%s{\"m\":%d,\"n\":%d,\"value\":%.9g}", c ? "," : "", wpairs[c][0], wpairs[c][1],
                     g.wpe_cos(wpairs[c][0], wpairs[c][1]));
    j += "]}";
  }
  j += "}";
  PublishPanelState("arch_pe", std::move(j));
}

void DrawPositionalEncodingFigure(AppState& app, session::Session& session) {
  const Palette& pal = GetPalette();
  const float em = ImGui::GetFontSize();
  ReadOptions(app);
  Clamp();
  Paragraph(Tr(Str::ArchPeIntro));
  Callout(Tr(Str::ArchPeFormulaHeading), Tr(Str::ArchPeFormula));

  const float slider_w = std::min(ImGui::GetContentRegionAvail().x * 0.35f, 12.0f * em);
  ImGui::SetNextItemWidth(slider_w);
  if (ImGui::SliderInt((std::string(Tr(Str::ArchPeDModel)) + "###pe-d").c_str(), &g.d_model, kMinD, kMaxD)) Clamp();
  Hotspot("arch_pe_d_model");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(slider_w);
  if (ImGui::SliderInt((std::string(Tr(Str::ArchPeLength)) + "###pe-length").c_str(), &g.length, kMinLength, kMaxLength)) Clamp();
  Hotspot("arch_pe_length");
  UpdateFormula();

  const bool learned = session.HasModel() && session.model().weights().wpe.rows > 0;
  if (learned) {
    const kernels::Matrix& wpe = session.model().weights().wpe;
    UpdateLearned(session.model(), std::min(g.length, static_cast<int>(wpe.rows)),
                  std::min(g.d_model, static_cast<int>(wpe.cols)));
  }

  // Side by side when there is room (formula left, GPT-2 right), else one under the other.
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool two_columns = avail >= 38.0f * em;
  const float col_w = two_columns ? (avail - ImGui::GetStyle().ItemSpacing.x * 2) / 2 : avail;
  if (two_columns && ImGui::BeginTable("pe-compare", 2, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FormulaCode(ImGui::GetContentRegionAvail().x);
    ImGui::TableNextColumn();
    if (learned) LearnedCode(ImGui::GetContentRegionAvail().x);
    else Paragraph(Tr(Str::ArchPeNoModel), pal.muted_text);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FormulaSimilarity(ImGui::GetContentRegionAvail().x);
    ImGui::TableNextColumn();
    if (learned) LearnedSimilarity(ImGui::GetContentRegionAvail().x, static_cast<int>(session.model().weights().wpe.cols));
    ImGui::EndTable();
  } else {
    FormulaCode(col_w);
    if (learned) LearnedCode(col_w);
    else Paragraph(Tr(Str::ArchPeNoModel), pal.muted_text);
    FormulaSimilarity(col_w);
    if (learned) LearnedSimilarity(col_w, static_cast<int>(session.model().weights().wpe.cols));
  }
  Paragraph(Tr(Str::ArchPeClickHint), pal.muted_text);
  if (g.sel_pos >= 0) {
    const int i2 = g.sel_dim & ~1;
    Paragraph(StrFormat(Tr(Str::ArchPeSelected), g.sel_pos, g.sel_dim, g.sel_dim % 2 ? "cos" : "sin", g.sel_pos, i2, g.d_model,
                        FormulaValue(g.sel_pos, g.sel_dim)));
  }
  if (learned) {
    const kernels::Matrix& wpe = session.model().weights().wpe;
    Paragraph(StrFormat(Tr(Str::ArchPeSimHelp), static_cast<int>(wpe.rows), static_cast<int>(wpe.cols)));
    // How alike neighbouring positions are in THIS model, against positions far apart: the
    // sentence above says what a well-trained GPT-2 does; this one says what is on screen.
    const int n = static_cast<int>(g.wpe_cos.rows());
    constexpr int kFar = 10;
    double near = 0.0, far = 0.0;
    int n_near = 0, n_far = 0;
    for (int a = 0; a < n; ++a)
      for (int b = a + 1; b < n; ++b) {
        if (b - a == 1) near += g.wpe_cos(a, b), ++n_near;
        if (b - a >= kFar) far += g.wpe_cos(a, b), ++n_far;
      }
    if (n_near > 0 && n_far > 0)
      Paragraph(StrFormat(Tr(Str::ArchPeSimMeasured), near / n_near, kFar, far / n_far, n), pal.muted_text);
  }
  ImGui::Spacing();
  Curves();
  Publish(session, learned);
}

}  // namespace attn::ui
