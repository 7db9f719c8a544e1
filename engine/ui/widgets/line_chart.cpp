// [SECTION] Index
//   - Palette (Okabe–Ito)
//   - Drawing helpers (dashed lines, tick labels with exponents, legend)
//   - LineChart
#include "ui/widgets/line_chart.h"

#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ui/chart/axis.h"
#include "ui/theme.h"

namespace attn::ui {

//-----------------------------------------------------------------------------
// [SECTION] Palette
//-----------------------------------------------------------------------------

unsigned OkabeIto(int index) {
  static const ImU32 kColors[] = {
      IM_COL32(0, 114, 178, 255),    // blue
      IM_COL32(213, 94, 0, 255),     // vermillion
      IM_COL32(0, 158, 115, 255),    // bluish green
      IM_COL32(230, 159, 0, 255),    // orange
      IM_COL32(204, 121, 167, 255),  // reddish purple
      IM_COL32(86, 180, 233, 255),   // sky blue
      IM_COL32(240, 228, 66, 255),   // yellow
  };
  constexpr int n = sizeof(kColors) / sizeof(kColors[0]);
  return kColors[((index % n) + n) % n];
}

//-----------------------------------------------------------------------------
// [SECTION] Drawing helpers
//-----------------------------------------------------------------------------

namespace {

// A polyline that `dash` > 0 draws as dashes of that many pixels with gaps of 0.6 × dash.
void StrokePolyline(ImDrawList* dl, const std::vector<ImVec2>& pts, ImU32 col, float thickness, float dash) {
  if (pts.size() < 2) {
    if (pts.size() == 1) dl->AddCircleFilled(pts[0], thickness * 1.2f, col);  // a lone point
    return;
  }
  if (dash <= 0.0f) {
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, ImDrawFlags_None, thickness);
    return;
  }
  const float gap = dash * 0.6f;
  float phase = 0.0f;  // distance into the current dash + gap period
  for (size_t i = 1; i < pts.size(); ++i) {
    const ImVec2 a = pts[i - 1], b = pts[i];
    const float len = std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y));
    float s = 0.0f;
    while (s < len) {
      const bool on = phase < dash;
      const float step = std::min(len - s, on ? dash - phase : dash + gap - phase);
      if (on) {
        const float t0 = s / len, t1 = (s + step) / len;
        dl->AddLine(ImVec2(a.x + (b.x - a.x) * t0, a.y + (b.y - a.y) * t0),
                    ImVec2(a.x + (b.x - a.x) * t1, a.y + (b.y - a.y) * t1), col, thickness);
      }
      s += step;
      phase += step;
      if (phase >= dash + gap) phase = 0.0f;
    }
  }
}

float ExponentScale() { return 0.72f; }

// Width of a tick label: "10" plus its superscript exponent at a smaller size.
float TickLabelWidth(const chart::Tick& t) {
  float w = ImGui::CalcTextSize(t.text.c_str()).x;
  if (!t.exponent.empty()) w += ImGui::CalcTextSize(t.exponent.c_str()).x * ExponentScale();
  return w;
}

void DrawTickLabel(ImDrawList* dl, ImVec2 pos, ImU32 col, const chart::Tick& t) {
  dl->AddText(pos, col, t.text.c_str());
  if (t.exponent.empty()) return;
  const float size = ImGui::GetFontSize() * ExponentScale();
  dl->AddText(ImGui::GetFont(), size, ImVec2(pos.x + ImGui::CalcTextSize(t.text.c_str()).x, pos.y - size * 0.3f), col,
              t.exponent.c_str());
}

// The legend's rows: swatch + label entries flowing left to right, wrapping at `width`.
struct LegendItem {
  int series;
  ImVec2 offset;  // from the legend's top-left
};

std::vector<LegendItem> LayoutLegend(std::span<const ChartSeries> series, float width, float swatch, float* height) {
  std::vector<LegendItem> items;
  const float line_h = ImGui::GetTextLineHeight();
  const float gap = ImGui::GetFontSize() * 1.2f, pad = ImGui::GetFontSize() * 0.4f;
  float x = 0.0f, y = 0.0f;
  for (int i = 0; i < static_cast<int>(series.size()); ++i) {
    const float w = swatch + pad + ImGui::CalcTextSize(series[i].label).x;
    if (x > 0.0f && x + w > width) { x = 0.0f; y += line_h; }
    items.push_back({i, ImVec2(x, y)});
    x += w + gap;
  }
  *height = series.empty() ? 0.0f : y + line_h;
  return items;
}

ImU32 SeriesColor(const ChartSeries& s, int i) { return OkabeIto(s.color >= 0 ? s.color : i); }

void FitRange(std::span<const ChartSeries> series, bool use_x, bool log, float want_lo, float want_hi, double* lo,
              double* hi) {
  *lo = want_lo;
  *hi = want_hi;
  if (!std::isnan(want_lo) && !std::isnan(want_hi)) return;
  double dlo = INFINITY, dhi = -INFINITY;
  for (const ChartSeries& s : series)
    for (int i = 0; i < s.count; ++i) {
      const double v = use_x ? s.x[i] : s.y[i];
      if (!std::isfinite(v) || (log && v <= 0.0)) continue;
      dlo = std::min(dlo, v);
      dhi = std::max(dhi, v);
    }
  if (dlo > dhi) { dlo = log ? 0.1 : 0.0; dhi = 1.0; }
  if (use_x) {  // x: the data's own ends, no widening (the first and last points sit on the frame)
    if (std::isnan(want_lo)) *lo = dlo;
    if (std::isnan(want_hi)) *hi = dhi;
    if (*hi <= *lo) *hi = *lo + 1.0;
    return;
  }
  double nlo = std::isnan(want_lo) ? dlo : want_lo, nhi = std::isnan(want_hi) ? dhi : want_hi;
  chart::NiceRange(&nlo, &nhi, log);
  if (std::isnan(want_lo)) *lo = nlo;
  if (std::isnan(want_hi)) *hi = nhi;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] LineChart
//-----------------------------------------------------------------------------

bool LineChart(const char* id, const ChartAxes& axes, std::span<const ChartSeries> series, float width, float height,
               ChartHover* hover) {
  const Palette& pal = GetPalette();
  const float em = ImGui::GetFontSize();
  const float line_h = ImGui::GetTextLineHeight();
  if (width <= 0.0f) width = ImGui::GetContentRegionAvail().x;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(width, height));
  const bool hovered = ImGui::IsItemHovered();
  if (hover) *hover = ChartHover{};

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 muted = pal.muted_text;
  const ImU32 grid_col = ImGui::GetColorU32(ImGuiCol_Border, 0.45f);
  const ImU32 frame_col = ImGui::GetColorU32(ImGuiCol_Border);
  const float swatch = 1.8f * em;

  // Layout, top to bottom: legend, y label, plot, x tick labels, x label.
  float legend_h = 0.0f;
  const std::vector<LegendItem> legend = LayoutLegend(series, width, swatch, &legend_h);
  const float top = legend_h + (axes.y_label && *axes.y_label ? line_h : 0.0f) + 0.6f * em;
  const float bottom = line_h * (axes.x_label && *axes.x_label ? 2.0f : 1.0f) + 0.4f * em;

  double x_lo, x_hi, y_lo, y_hi;
  FitRange(series, true, false, axes.x_min, axes.x_max, &x_lo, &x_hi);
  FitRange(series, false, axes.log_y, axes.y_min, axes.y_max, &y_lo, &y_hi);
  const int max_y_ticks = std::max(2, static_cast<int>((height - top - bottom) / (1.8f * line_h)) + 1);
  const std::vector<chart::Tick> y_ticks =
      axes.log_y ? chart::LogTicks(y_lo, y_hi, max_y_ticks) : chart::LinearTicks(y_lo, y_hi, max_y_ticks);
  float y_label_w = 0.0f;
  for (const chart::Tick& t : y_ticks) y_label_w = std::max(y_label_w, TickLabelWidth(t));
  const float left = y_label_w + 0.6f * em;

  // The x ticks need the plot's width; their labels need room of about 4 em each.
  chart::Axis xa{x_lo, x_hi, false, origin.x + left, origin.x + width - 0.8f * em};
  const int max_x_ticks = std::max(2, static_cast<int>((xa.px_hi - xa.px_lo) / (4.0f * em)) + 1);
  const std::vector<chart::Tick> x_ticks = chart::LinearTicks(x_lo, x_hi, max_x_ticks, axes.x_integers ? 1.0 : 0.0);
  chart::Axis ya{y_lo, y_hi, axes.log_y, origin.y + height - bottom, origin.y + top};
  const ImVec2 plot_min(xa.px_lo, ya.px_hi), plot_max(xa.px_hi, ya.px_lo);

  // Legend.
  for (const LegendItem& item : legend) {
    const ChartSeries& s = series[item.series];
    const ImVec2 p(origin.x + item.offset.x, origin.y + item.offset.y);
    const float mid = p.y + line_h * 0.5f;
    StrokePolyline(dl, {ImVec2(p.x, mid), ImVec2(p.x + swatch, mid)}, SeriesColor(s, item.series), 2.5f,
                   s.dashed ? 0.35f * em : 0.0f);
    dl->AddText(ImVec2(p.x + swatch + 0.4f * em, p.y), text_col, s.label);
  }
  if (axes.y_label && *axes.y_label) dl->AddText(ImVec2(origin.x, origin.y + legend_h), muted, axes.y_label);

  // Frame, grid and tick labels.
  dl->AddRectFilled(plot_min, plot_max, ImGui::GetColorU32(ImGuiCol_FrameBg, 0.35f));
  for (const chart::Tick& t : y_ticks) {
    const float y = ya.ToPixel(t.value);
    dl->AddLine(ImVec2(plot_min.x, y), ImVec2(plot_max.x, y), grid_col);
    DrawTickLabel(dl, ImVec2(plot_min.x - 0.3f * em - TickLabelWidth(t), y - line_h * 0.5f), muted, t);
  }
  for (const chart::Tick& t : x_ticks) {
    const float x = xa.ToPixel(t.value);
    dl->AddLine(ImVec2(x, plot_min.y), ImVec2(x, plot_max.y), grid_col);
    DrawTickLabel(dl, ImVec2(x - TickLabelWidth(t) * 0.5f, plot_max.y + 0.2f * em), muted, t);
  }
  if (axes.x_label && *axes.x_label) {
    const float w = ImGui::CalcTextSize(axes.x_label).x;
    dl->AddText(ImVec2(std::max(origin.x, (plot_min.x + plot_max.x - w) * 0.5f), plot_max.y + 0.2f * em + line_h), muted,
                axes.x_label);
  }
  dl->AddRect(plot_min, plot_max, frame_col);

  // Series (clipped to the plot), the guide, and the hover read-out.
  dl->PushClipRect(plot_min, plot_max, true);
  if (!std::isnan(axes.marker_x)) {
    const float x = xa.ToPixel(axes.marker_x);
    StrokePolyline(dl, {ImVec2(x, plot_min.y), ImVec2(x, plot_max.y)}, muted, 1.5f, 0.3f * em);
  }
  std::vector<std::vector<float>> px(series.size()), py(series.size());
  for (size_t si = 0; si < series.size(); ++si) {
    const ChartSeries& s = series[si];
    std::vector<ImVec2> run;  // consecutive drawable points; a NaN ends the run
    auto flush = [&] {
      StrokePolyline(dl, run, SeriesColor(s, static_cast<int>(si)), 2.5f, s.dashed ? 0.45f * em : 0.0f);
      run.clear();
    };
    for (int i = 0; i < s.count; ++i) {
      px[si].push_back(xa.ToPixel(s.x[i]));
      py[si].push_back(ya.ToPixel(s.y[i]));
      if (std::isnan(px[si].back()) || std::isnan(py[si].back())) { flush(); continue; }
      run.emplace_back(px[si].back(), py[si].back());
    }
    flush();
  }

  if (hovered) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    int best_series = -1, best_index = -1;
    float best_d = 0.0f;
    for (size_t si = 0; si < series.size(); ++si) {
      float d;
      const int i = chart::NearestPoint(px[si].data(), py[si].data(), series[si].count, m.x, m.y, &d);
      if (i >= 0 && (best_series < 0 || d < best_d)) { best_series = static_cast<int>(si); best_index = i; best_d = d; }
    }
    if (best_series >= 0) {
      const ChartSeries& s = series[best_series];
      const ImVec2 p(px[best_series][best_index], py[best_series][best_index]);
      dl->AddCircleFilled(p, 0.3f * em, SeriesColor(s, best_series));
      dl->AddCircle(p, 0.3f * em, ImGui::GetColorU32(ImGuiCol_WindowBg), 0, 1.5f);
      if (hover) *hover = ChartHover{best_series, best_index};
      ImGui::SetTooltip("%s\n(%s, %s)", s.label, chart::FormatValue(s.x[best_index]).c_str(),
                        chart::FormatValue(s.y[best_index]).c_str());
    }
  }
  dl->PopClipRect();
  return hovered;
}

}  // namespace attn::ui
