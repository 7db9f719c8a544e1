#include "ui/widgets/bar_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/theme.h"

namespace attn::ui {

int BarChart(const char* id, const BarChartSpec& spec) {
  const int n = spec.values ? static_cast<int>(spec.values->size()) : 0;
  const float em = ImGui::GetFontSize();
  const float line_h = ImGui::GetTextLineHeight();
  const float width = std::max(ImGui::GetContentRegionAvail().x, 6 * em);
  const float plot_h = spec.height_em * em;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(width, plot_h + 2.4f * line_h));
  const bool hovered_widget = ImGui::IsItemHovered();
  if (n == 0) return -1;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 base = spec.color ? spec.color : GetPalette().accent;
  const float vmin = std::min(spec.vmin, 0.0f), vmax = std::max(spec.vmax, 0.0f);
  const float range = std::max(vmax - vmin, 1e-6f);
  const float top = o.y + line_h * 1.2f;                 // room for the numbers
  auto ypos = [&](float v) { return top + (vmax - std::clamp(v, vmin, vmax)) / range * plot_h; };
  const float slot = width / n, bar_w = std::max(2.0f, slot * 0.62f);
  const float zero_y = ypos(0.0f);
  dl->AddLine(ImVec2(o.x, zero_y), ImVec2(o.x + width, zero_y), ImGui::GetColorU32(ImGuiCol_Border), 1.0f);
  int hovered = -1;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int i = 0; i < n; ++i) {
    const float cx = o.x + slot * (i + 0.5f);
    const bool dim = spec.dimmed && i < static_cast<int>(spec.dimmed->size()) && (*spec.dimmed)[i];
    const float v = (*spec.values)[i];
    if (hovered_widget && mouse.x >= cx - slot / 2 && mouse.x < cx + slot / 2) hovered = i;
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(base);
    c.w = dim ? 0.0f : (spec.highlight < 0 || spec.highlight == i || hovered == i ? 1.0f : 0.55f);
    if (!dim && std::isfinite(v)) {
      const float y = ypos(v);
      dl->AddRectFilled(ImVec2(cx - bar_w / 2, std::min(y, zero_y)), ImVec2(cx + bar_w / 2, std::max(y, zero_y) + 0.5f),
                        ImGui::ColorConvertFloat4ToU32(c), 0.1f * em);
    }
    char buf[32];
    if (dim) std::snprintf(buf, sizeof buf, "–");
    else std::snprintf(buf, sizeof buf, spec.format, v);
    const float tw = ImGui::CalcTextSize(buf).x;
    if (tw < slot * 1.05f || hovered == i) {
      const float ty = dim ? zero_y - line_h : std::min(ypos(v), zero_y) - line_h;
      dl->AddText(ImVec2(cx - tw / 2, ty), ImGui::GetColorU32(dim ? ImGuiCol_TextDisabled : ImGuiCol_Text), buf);
    }
    if (spec.labels && i < static_cast<int>(spec.labels->size())) {
      const std::string& l = (*spec.labels)[i];
      const float lw = ImGui::CalcTextSize(l.c_str()).x;
      if (lw <= slot * 1.1f || hovered == i)
        dl->AddText(ImVec2(cx - lw / 2, top + plot_h + 0.3f * line_h),
                    ImGui::GetColorU32(dim ? ImGuiCol_TextDisabled : ImGuiCol_Text), l.c_str());
    }
  }
  return hovered;
}

}  // namespace attn::ui
