#include "ui/widgets/histogram.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "ui/chart/axis.h"
#include "ui/i18n/i18n.h"
#include "ui/theme.h"

namespace attn::ui {

int HistogramChart(const char* id, const HistogramSpec& spec) {
  const float em = ImGui::GetFontSize(), line_h = ImGui::GetTextLineHeight();
  const float width = spec.width > 0.0f ? spec.width : ImGui::GetContentRegionAvail().x;
  const float height = spec.height > 0.0f ? spec.height : 11.0f * em;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(width, height));
  const bool hovered = ImGui::IsItemHovered();
  const session::Histogram* h = spec.histogram;
  if (!h || h->counts.empty()) return -1;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), muted = GetPalette().muted_text;
  const ImU32 bar = spec.color ? spec.color : GetPalette().accent;

  int max_count = 1;
  for (int c : h->counts) max_count = std::max(max_count, c);
  double y_lo = 0.0, y_hi = max_count;
  chart::NiceRange(&y_lo, &y_hi, false);
  y_lo = 0.0;
  const bool has_y_label = spec.y_label && *spec.y_label, has_x_label = spec.x_label && *spec.x_label;
  const float top = (has_y_label ? line_h : 0.0f) + 0.5f * em;
  const float bottom = line_h * (has_x_label ? 2.0f : 1.0f) + 0.3f * em;
  const int max_y_ticks = std::max(2, static_cast<int>((height - top - bottom) / (1.8f * line_h)) + 1);
  const std::vector<chart::Tick> y_ticks = chart::LinearTicks(y_lo, y_hi, max_y_ticks, 1.0);
  float y_label_w = 0.0f;
  for (const chart::Tick& t : y_ticks) y_label_w = std::max(y_label_w, ImGui::CalcTextSize(t.text.c_str()).x);
  chart::Axis xa{h->lo, h->hi, false, o.x + y_label_w + 0.6f * em, o.x + width - 0.8f * em};
  chart::Axis ya{y_lo, y_hi, false, o.y + height - bottom, o.y + top};

  if (has_y_label) dl->AddText(o, muted, spec.y_label);
  dl->AddRectFilled(ImVec2(xa.px_lo, ya.px_hi), ImVec2(xa.px_hi, ya.px_lo), ImGui::GetColorU32(ImGuiCol_FrameBg, 0.35f));
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border, 0.45f);
  for (const chart::Tick& t : y_ticks) {
    const float y = ya.ToPixel(t.value);
    dl->AddLine(ImVec2(xa.px_lo, y), ImVec2(xa.px_hi, y), grid);
    dl->AddText(ImVec2(xa.px_lo - 0.3f * em - ImGui::CalcTextSize(t.text.c_str()).x, y - line_h / 2), muted, t.text.c_str());
  }
  const int max_x_ticks = std::max(2, static_cast<int>((xa.px_hi - xa.px_lo) / (4.0f * em)) + 1);
  for (const chart::Tick& t : chart::LinearTicks(h->lo, h->hi, max_x_ticks)) {
    const float x = xa.ToPixel(t.value);
    dl->AddLine(ImVec2(x, ya.px_lo), ImVec2(x, ya.px_lo + 0.25f * em), muted);
    dl->AddText(ImVec2(x - ImGui::CalcTextSize(t.text.c_str()).x / 2, ya.px_lo + 0.3f * em), muted, t.text.c_str());
  }
  if (has_x_label) {
    const float w = ImGui::CalcTextSize(spec.x_label).x;
    dl->AddText(ImVec2((xa.px_lo + xa.px_hi - w) / 2, o.y + height - line_h), muted, spec.x_label);
  }

  const int n = static_cast<int>(h->counts.size());
  const float bw = h->BinWidth();
  const ImVec2 m = ImGui::GetIO().MousePos;
  int under = -1;
  if (hovered && m.x >= xa.px_lo && m.x < xa.px_hi)
    under = std::clamp(static_cast<int>((m.x - xa.px_lo) / (xa.px_hi - xa.px_lo) * n), 0, n - 1);
  for (int b = 0; b < n; ++b) {
    if (h->counts[b] == 0 && b != under) continue;
    const float x0 = xa.ToPixel(h->lo + b * bw), x1 = xa.ToPixel(h->lo + (b + 1) * bw);
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(bar);
    c.w = b == under ? 1.0f : 0.75f;
    dl->AddRectFilled(ImVec2(x0, ya.ToPixel(h->counts[b])), ImVec2(std::max(x1 - 1.0f, x0 + 1.0f), ya.px_lo),
                      ImGui::ColorConvertFloat4ToU32(c));
  }
  if (std::isfinite(spec.marker_x) && spec.marker_x >= h->lo && spec.marker_x <= h->hi) {
    const float x = xa.ToPixel(spec.marker_x);
    for (float y = ya.px_hi; y < ya.px_lo; y += 0.6f * em)
      dl->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 0.35f * em, ya.px_lo)), text, 1.0f);
  }
  dl->AddRect(ImVec2(xa.px_lo, ya.px_hi), ImVec2(xa.px_hi, ya.px_lo), ImGui::GetColorU32(ImGuiCol_Border));
  if (under >= 0) {
    const double a = h->lo + under * bw, b = a + bw;
    ImGui::SetTooltip(i18n::Tr(i18n::Str::HistogramReadOut), chart::FormatValue(a).c_str(), chart::FormatValue(b).c_str(),
                      h->counts[under]);
  }
  return under;
}

}  // namespace attn::ui
