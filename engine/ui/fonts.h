// The UI fonts: one CJK font (Noto Sans CJK SC, or the web build's subset of it) at a body
// and a heading size, rasterized for the screen's scale so text stays sharp on high-DPI.
#pragma once
#include <string>

struct ImFont;

namespace attn::ui {

struct UiFonts {
  ImFont* body = nullptr;
  ImFont* heading = nullptr;
  bool has_cjk = false;     // false: fell back to ImGui's built-in font (no Chinese glyphs)
  std::string source;       // the file the glyphs came from, for the log
};

inline constexpr float kBodyFontPx = 17.0f;
inline constexpr float kHeadingFontPx = 25.0f;

// Rebuilds the font atlas from the first readable candidate file. Keeps every glyph the
// string table needs (both languages) plus Latin and CJK punctuation. Call between frames;
// the renderer's font texture must be recreated afterwards.
UiFonts LoadUiFonts(const std::string* candidates, int count, float scale);

// Text the student typed (a sentence in Chinese, say) may need glyphs the atlas does not
// have yet: panels pass such text here every frame; it is cheap when nothing is new. The app
// rebuilds the atlas between frames when GlyphsPending() (the web subset font holds the UI
// strings plus the 3755 most common Chinese characters, GB2312 level 1).
void RequestGlyphs(const std::string& text);
bool GlyphsPending();

// The fonts the panels draw with (set by the app after loading).
void SetActiveFonts(const UiFonts& fonts);
const UiFonts& ActiveFonts();

}  // namespace attn::ui
