#include "ui/widgets/callout.h"

#include <imgui.h>

#include "ui/theme.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

// The key idea in an accent-bordered box, like a textbook's callout.
void Callout(const char* heading, const char* body) {
  const Palette& pal = GetPalette();
  const float pad = ImGui::GetFontSize() * 0.7f;
  const float width = ImGui::GetContentRegionAvail().x;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 top_left = ImGui::GetCursorScreenPos();
  dl->ChannelsSplit(2);  // text on top, box below, drawn after we know the height
  dl->ChannelsSetCurrent(1);
  ImGui::SetCursorScreenPos(ImVec2(top_left.x + pad, top_left.y + pad));
  ImGui::BeginGroup();
  ImGui::PushStyleColor(ImGuiCol_Text, pal.accent);
  ImGui::TextUnformatted(heading);
  ImGui::PopStyleColor();
  Paragraph(body, ImGui::GetColorU32(ImGuiCol_Text), width - 2 * pad);
  ImGui::EndGroup();
  const ImVec2 bottom_right(top_left.x + width, ImGui::GetItemRectMax().y + pad);
  dl->ChannelsSetCurrent(0);
  dl->AddRectFilled(top_left, bottom_right, ImGui::GetColorU32(ImGuiCol_ChildBg), pad * 0.5f);
  dl->AddRectFilled(top_left, ImVec2(top_left.x + pad * 0.3f, bottom_right.y), pal.accent, pad * 0.5f,
                    ImDrawFlags_RoundCornersLeft);
  dl->ChannelsMerge();
  ImGui::SetCursorScreenPos(top_left);
  ImGui::Dummy(ImVec2(width, bottom_right.y - top_left.y));
}

}  // namespace attn::ui
