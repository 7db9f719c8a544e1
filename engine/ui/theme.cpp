#include "ui/theme.h"

#include <imgui.h>

namespace attn::ui {
namespace {
Palette g_palette;
}

void ApplyTheme(Theme theme, float scale) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();  // start from the unscaled defaults every time
  if (theme == Theme::Dark) {
    ImGui::StyleColorsDark(&style);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.14f, 1.0f);
    style.Colors[ImGuiCol_ChildBg] = ImVec4(0.14f, 0.15f, 0.18f, 1.0f);
    style.Colors[ImGuiCol_Header] = ImVec4(0.20f, 0.36f, 0.60f, 0.55f);
    style.Colors[ImGuiCol_HeaderHovered] = ImVec4(0.24f, 0.44f, 0.72f, 0.70f);
    style.Colors[ImGuiCol_HeaderActive] = ImVec4(0.26f, 0.50f, 0.80f, 0.85f);
    g_palette = {IM_COL32(110, 170, 255, 255), IM_COL32(160, 166, 178, 255),
                 IM_COL32(230, 159, 0, 60), IM_COL32(240, 190, 90, 255)};
  } else {
    ImGui::StyleColorsLight(&style);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.0f);
    style.Colors[ImGuiCol_ChildBg] = ImVec4(1.00f, 1.00f, 1.00f, 1.0f);
    // ImGui's light frames are white: sliders and text fields would vanish on the white page.
    style.Colors[ImGuiCol_FrameBg] = ImVec4(0.91f, 0.92f, 0.94f, 1.0f);
    style.Colors[ImGuiCol_Header] = ImVec4(0.26f, 0.49f, 0.82f, 0.25f);
    style.Colors[ImGuiCol_HeaderHovered] = ImVec4(0.26f, 0.49f, 0.82f, 0.35f);
    style.Colors[ImGuiCol_HeaderActive] = ImVec4(0.26f, 0.49f, 0.82f, 0.50f);
    style.Colors[ImGuiCol_Border] = ImVec4(0.0f, 0.0f, 0.0f, 0.18f);
    g_palette = {IM_COL32(20, 90, 190, 255), IM_COL32(95, 100, 110, 255),
                 IM_COL32(230, 159, 0, 45), IM_COL32(150, 90, 0, 255)};
  }
  style.WindowRounding = 0.0f;
  style.ChildRounding = 6.0f;
  style.FrameRounding = 5.0f;
  style.GrabRounding = 5.0f;
  style.PopupRounding = 5.0f;
  style.WindowPadding = ImVec2(14, 12);
  style.FramePadding = ImVec2(10, 5);
  style.ItemSpacing = ImVec2(10, 8);
  style.WindowBorderSize = 0.0f;
  style.FrameBorderSize = 1.0f;  // text fields, checkboxes and radio buttons keep an outline
  style.ScaleAllSizes(scale);
}

const Palette& GetPalette() { return g_palette; }

}  // namespace attn::ui
