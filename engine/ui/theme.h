// Light and dark themes, scaled for high-DPI screens.
#pragma once

namespace attn::ui {

enum class Theme { Light, Dark };

// Palette entries the panels use beyond ImGui's own style colours.
struct Palette {
  unsigned accent;      // links, selected navigation, highlights (ImU32)
  unsigned muted_text;  // secondary text
  unsigned badge_bg;    // "coming soon" badge
  unsigned badge_text;
};

// Resets ImGui's style to the theme and multiplies every size by `scale` (1 = 96 dpi).
void ApplyTheme(Theme theme, float scale);
const Palette& GetPalette();

}  // namespace attn::ui
