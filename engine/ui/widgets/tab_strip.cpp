#include "ui/widgets/tab_strip.h"

#include <imgui.h>

#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"

namespace attn::ui {

static float TabWidth(const std::string& label) {
  const ImGuiStyle& s = ImGui::GetStyle();
  return ImGui::CalcTextSize(label.c_str(), nullptr, true).x + 2 * s.FramePadding.x + s.ItemInnerSpacing.x;
}

int TabStrip(const char* id, const std::vector<TabSpec>& tabs, int* open, int requested) {
  const int n = static_cast<int>(tabs.size());
  if (n == 0) return 0;
  if (requested >= 0 && requested < n) *open = requested;
  if (*open < 0 || *open >= n) *open = 0;
  float total = 0.0f;
  for (const TabSpec& t : tabs) total += TabWidth(t.label);
  // The tab bar keeps its own idea of the open tab: tell it ours when it first shows again
  // after the buttons (or on a request), never otherwise, or a click could not switch tabs.
  bool& was_bar = *ImGui::GetStateStorage()->GetBoolRef(ImGui::GetID(id), true);
  // Back from buttons to the bar only with room to spare: the two take different heights, a
  // scroll bar may come or go with that, and the width it takes must not flip them every frame.
  const float spare = was_bar ? 0.0f : 2.0f * ImGui::GetStyle().ScrollbarSize;
  const bool fits = total + spare <= ImGui::GetContentRegionAvail().x;
  if (fits) {
    const int tell = !was_bar || requested >= 0 ? *open : -1;  // before the loop changes *open
    if (ImGui::BeginTabBar(id)) {
      for (int i = 0; i < n; ++i) {
        const bool select = i == tell;
        if (ImGui::BeginTabItem(tabs[i].label.c_str(), nullptr, select ? ImGuiTabItemFlags_SetSelected : 0)) {
          *open = i;
          ImGui::EndTabItem();
        }
        Hotspot(tabs[i].hotspot.c_str());
      }
      ImGui::EndTabBar();
    }
  } else {
    ImGui::PushID(id);
    const ImVec4 active = ImGui::GetStyleColorVec4(ImGuiCol_TabActive);
    const ImVec4 idle = ImGui::GetStyleColorVec4(ImGuiCol_Tab);
    for (int i = 0; i < n; ++i) {
      if (i > 0) SameLineIfFits(TabWidth(tabs[i].label));
      const bool is_open = i == *open;
      ImGui::PushStyleColor(ImGuiCol_Button, is_open ? active : idle);
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImGui::GetStyleColorVec4(ImGuiCol_TabHovered));
      ImGui::PushStyleColor(ImGuiCol_ButtonActive, active);
      if (ImGui::Button(tabs[i].label.c_str())) *open = i;
      ImGui::PopStyleColor(3);
      Hotspot(tabs[i].hotspot.c_str());
    }
    ImGui::PopID();
    ImGui::Separator();
  }
  was_bar = fits;
  return *open;
}

}  // namespace attn::ui
