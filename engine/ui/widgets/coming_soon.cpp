#include "ui/widgets/coming_soon.h"

#include <imgui.h>

#include "ui/fonts.h"
#include "ui/theme.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

// A small rounded label, e.g. "Coming soon".
static void Badge(const char* text) {
  const Palette& pal = GetPalette();
  const ImVec2 pad(ImGui::GetFontSize() * 0.5f, ImGui::GetFontSize() * 0.15f);
  const ImVec2 size = ImGui::CalcTextSize(text);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + size.x + 2 * pad.x, p.y + size.y + 2 * pad.y), pal.badge_bg,
                    size.y);
  dl->AddText(ImVec2(p.x + pad.x, p.y + pad.y), pal.badge_text, text);
  ImGui::Dummy(ImVec2(size.x + 2 * pad.x, size.y + 2 * pad.y));
}

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

void ComingSoonPage(const SectionPlan& plan) {
  const Palette& pal = GetPalette();
  ImGui::PushFont(ActiveFonts().heading);
  Paragraph(Tr(plan.title));
  ImGui::PopFont();
  Badge(Tr(Str::ComingSoon));
  ImGui::Spacing();

  Paragraph(Tr(plan.intro));
  ImGui::Spacing();

  Callout(Tr(Str::KeyIdeaHeading), Tr(plan.key_idea));
  ImGui::Spacing();

  ImGui::TextUnformatted(Tr(Str::PlannedHeading));
  for (Str item : plan.planned) {
    ImGui::Bullet();
    ImGui::SameLine();
    ImGui::BeginGroup();
    Paragraph(Tr(item), pal.muted_text);
    ImGui::EndGroup();
  }
}

}  // namespace attn::ui
