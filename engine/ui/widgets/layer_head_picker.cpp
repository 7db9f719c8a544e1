#include "ui/widgets/layer_head_picker.h"

#include <imgui.h>

#include <algorithm>
#include <string>

#include "ui/i18n/i18n.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"

namespace attn::ui {

using i18n::Str;

bool LayerHeadPicker(const char* id, int* layer, int* head, int n_layer, int n_head, bool* mean_heads) {
  *layer = std::clamp(*layer, 0, std::max(n_layer, 1) - 1);
  *head = std::clamp(*head, 0, std::max(n_head, 1) - 1);
  const std::string p = id;
  const std::string layer_label = IdLabel(Str::SelfAttnLayer, (p + "-layer").c_str());
  const std::string head_label = IdLabel(Str::SelfAttnHead, (p + "-head").c_str());
  const float w = ImGui::GetFontSize() * 8;
  bool changed = false;

  ImGui::SetNextItemWidth(w);
  changed |= IndexSlider(layer_label.c_str(), layer, n_layer);
  Hotspot((p + "_layer").c_str());

  SameLineIfFits(LabelledWidth(w, head_label.c_str()));
  const bool greyed = mean_heads && *mean_heads;
  if (greyed) ImGui::BeginDisabled();
  ImGui::SetNextItemWidth(w);
  changed |= IndexSlider(head_label.c_str(), head, n_head);
  if (greyed) ImGui::EndDisabled();
  Hotspot((p + "_head").c_str());

  if (mean_heads) {
    const std::string mean_label = IdLabel(Str::SelfAttnMeanHeads, (p + "-mean").c_str());
    SameLineIfFits(LabelledWidth(ImGui::GetFrameHeight(), mean_label.c_str()));
    changed |= ImGui::Checkbox(mean_label.c_str(), mean_heads);
    Hotspot((p + "_mean").c_str());
  }
  return changed;
}

}  // namespace attn::ui
