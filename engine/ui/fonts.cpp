#include "ui/fonts.h"

#include <cstdio>
#include <cstdlib>
#include <imgui.h>

#include <set>

#include "core/file.h"
#include "core/utf8.h"
#include "ui/i18n/i18n.h"

namespace attn::ui {
namespace {

// "path" or "path#N" (face N of a .ttc collection: Noto Sans CJK SC is face 2).
void SplitFaceIndex(const std::string& spec, std::string* path, int* face) {
  const size_t hash = spec.rfind('#');
  *face = 0;
  *path = spec;
  if (hash != std::string::npos && hash + 1 < spec.size()) {
    *path = spec.substr(0, hash);
    *face = std::atoi(spec.c_str() + hash + 1);
  }
}

// Every glyph the UI can show: the string table in both languages, plus ranges for text the
// UI builds itself (numbers, punctuation). Keep in step with tools/subset-font.py.
std::set<ImWchar> g_extra_glyphs;      // requested by typed text, kept for later rebuilds
bool g_glyphs_pending = false;

const ImWchar* BuildGlyphRanges() {
  static ImVector<ImWchar> ranges;
  ranges.clear();
  ImFontGlyphRangesBuilder builder;
  for (ImWchar c : g_extra_glyphs) builder.AddChar(c);
  static const ImWchar kFixed[] = {
      0x0020, 0x00FF,  // Basic Latin + Latin-1
      0x2000, 0x206F,  // General Punctuation (… — “ ”)
      0x2190, 0x21FF,  // Arrows (→)
      0x2070, 0x209F,  // Superscripts and Subscripts (¹ ² ³ ⁴: pieces of one character)
      0x2200, 0x22FF,  // Mathematical Operators (√ ·)
      0x23CE, 0x23CE,  // ⏎: a newline token's label
      0x2400, 0x243F,  // Control Pictures (␣)
      0x25A0, 0x25FF,  // Geometric Shapes (▶ ■ ●)
      0x3000, 0x303F,  // CJK Symbols and Punctuation (、。「」)
      0xFF00, 0xFFEF,  // Halfwidth and Fullwidth Forms (，：（）)
      0};
  builder.AddRanges(kFixed);
  i18n::ForEachText([&](const char* text) { builder.AddText(text); });
  builder.BuildRanges(&ranges);
  return ranges.Data;
}

UiFonts g_active;

}  // namespace

void RequestGlyphs(const std::string& text) {
  for (char32_t c : utf8::ToCodepoints(text)) {
    if (c < 0x2E80 || c > 0x10FFFF) continue;  // Latin etc. are in the fixed ranges
    if (g_extra_glyphs.insert(static_cast<ImWchar>(c)).second) g_glyphs_pending = true;
  }
}

bool GlyphsPending() { return g_glyphs_pending; }

void SetActiveFonts(const UiFonts& fonts) { g_active = fonts; }
const UiFonts& ActiveFonts() { return g_active; }

UiFonts LoadUiFonts(const std::string* candidates, int count, float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  UiFonts fonts;
  g_glyphs_pending = false;
  const ImWchar* ranges = BuildGlyphRanges();
  for (int i = 0; i < count && !fonts.body; ++i) {
    std::string path;
    int face;
    SplitFaceIndex(candidates[i], &path, &face);
    if (!FileReadable(path)) continue;
    ImFontConfig config;
    config.FontNo = face;
    // CJK strokes are dense: at 1× a little horizontal oversampling keeps them crisp. From 2×
    // (a phone or a high-DPI screen, or the A+ text size) a glyph has the pixels itself, and
    // oversampling would only double the atlas: at 3× it made a 2048×4096 RGBA texture (32 MB
    // of GPU memory) in 274 ms (V8, the first build); without it, 2048×2048 in 176 ms.
    config.OversampleH = scale >= 2.0f ? 1 : 2;
    config.OversampleV = 1;
    fonts.body = io.Fonts->AddFontFromFileTTF(path.c_str(), kBodyFontPx * scale, &config, ranges);
    if (!fonts.body) continue;
    fonts.heading = io.Fonts->AddFontFromFileTTF(path.c_str(), kHeadingFontPx * scale, &config, ranges);
    fonts.has_cjk = true;
    fonts.source = candidates[i];
  }
  if (!fonts.body) {
    ImFontConfig config;
    config.SizePixels = 13.0f * scale;
    fonts.body = fonts.heading = io.Fonts->AddFontDefault(&config);
    fonts.source = "ImGui default font";
  }
  io.Fonts->Build();
  return fonts;
}

}  // namespace attn::ui
