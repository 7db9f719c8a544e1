// Rows of controls that wrap on narrow screens (phones, an 800×600 window) instead of running
// past the right edge.
#pragma once
#include <imgui.h>

namespace attn::ui {

// SameLine() when an item `width` pixels wide still fits on this line; else the next line.
inline void SameLineIfFits(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

// Width of a control `frame_w` wide with its label drawn to the right ("###id" not counted).
inline float LabelledWidth(float frame_w, const char* label) {
  return frame_w + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

}  // namespace attn::ui
