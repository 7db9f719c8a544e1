#include "ui/widgets/paragraph.h"

#include <imgui.h>


namespace attn::ui {

void Paragraph(std::string_view text) { Paragraph(text, ImGui::GetColorU32(ImGuiCol_Text)); }

std::vector<LineSpan> WrapLines(std::string_view text, float width) {
  ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize();
  return BreakLines(text, width, [&](std::string_view piece) {
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, piece.data(), piece.data() + piece.size()).x;
  });
}

void Paragraph(std::string_view text, unsigned color, float width) {
  if (width <= 0.0f) width = ImGui::GetContentRegionAvail().x;
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  for (const LineSpan& line : WrapLines(text, width))
    ImGui::TextUnformatted(text.data() + line.begin, text.data() + line.end);
  ImGui::PopStyleColor();
}

}  // namespace attn::ui
