// Rows of controls that wrap on narrow screens (phones, an 800×600 window) instead of running
// past the right edge.
#pragma once
#include <imgui.h>

#include <string>

#include "ui/i18n/i18n.h"

namespace attn::ui {

// A translated label with a fixed ImGui id ("层###kv-layer"): switching the language keeps the
// widget's state, and the id names its hotspot.
inline std::string IdLabel(i18n::Str s, const char* id) { return std::string(i18n::Tr(s)) + "###" + id; }

// SameLine() when an item `width` pixels wide still fits on this line; else the next line.
inline void SameLineIfFits(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

// Width of a control `frame_w` wide with its label drawn to the right ("###id" not counted).
inline float LabelledWidth(float frame_w, const char* label) {
  return frame_w + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

// A radio button beside the previous item when it fits, else at the start of the next line
// (`first`: the first of its row, never beside anything). Returns true when clicked.
inline bool RadioInRow(const char* label, bool active, bool first = false) {
  if (!first) SameLineIfFits(LabelledWidth(ImGui::GetFrameHeight(), label));
  return ImGui::RadioButton(label, active);
}

// A slider over layers or heads. The UI counts from 1 ("第 1 层", L1 H1) as the chapter does;
// `index` stays 0-based (the engine, the state JSON and Hugging Face's Python count from 0).
inline bool IndexSlider(const char* label, int* index, int count) {
  int shown = *index + 1;
  const bool changed = ImGui::SliderInt(label, &shown, 1, count < 1 ? 1 : count);
  if (changed) *index = shown - 1;
  return changed;
}

}  // namespace attn::ui
