#include "ui/text/line_break.h"

#include "core/utf8.h"

namespace attn::ui {
namespace {

bool IsCjk(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) ||  // CJK radicals, punctuation, kana, unified ideographs
         (c >= 0xAC00 && c <= 0xD7AF) ||  // Hangul syllables
         (c >= 0xF900 && c <= 0xFAFF) ||  // CJK compatibility ideographs
         (c >= 0xFF00 && c <= 0xFFEF);    // full-width forms
}

bool OneOf(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }
bool NoLineStart(char32_t c) { return OneOf(c, U"，。、；：？！）》」』】〕”’…%,.;:?!)]}"); }
bool NoLineEnd(char32_t c) { return OneOf(c, U"（《「『【〔“‘([{"); }

struct Glyph {
  size_t begin, end;  // byte range in the text
  char32_t c;
  float width;
};

}  // namespace

std::vector<LineSpan> BreakLines(std::string_view text, float wrap_width,
                                 const std::function<float(std::string_view)>& measure) {
  std::vector<Glyph> glyphs;
  for (size_t pos = 0; pos < text.size();) {
    const utf8::Decoded d = utf8::DecodeAt(text, pos);
    glyphs.push_back({pos, pos + d.length, d.codepoint, measure(text.substr(pos, d.length))});
    pos += d.length;
  }

  // A line may end before glyph i when a space is on either side of the gap or either side is
  // CJK, unless the punctuation rules forbid it.
  auto can_break_before = [&](size_t i) {
    const char32_t prev = glyphs[i - 1].c, cur = glyphs[i].c;
    if (NoLineStart(cur) || NoLineEnd(prev)) return false;
    return prev == ' ' || cur == ' ' || IsCjk(prev) || IsCjk(cur);
  };

  std::vector<LineSpan> lines;
  size_t start = 0;
  while (start < glyphs.size()) {
    float width = 0.0f;
    size_t i = start, last_break = start;
    for (; i < glyphs.size() && glyphs[i].c != '\n'; ++i) {
      if (i > start && can_break_before(i)) last_break = i;
      if (i > start && width + glyphs[i].width > wrap_width) break;  // at least one glyph a line
      width += glyphs[i].width;
    }
    const bool overflowed = i < glyphs.size() && glyphs[i].c != '\n';
    const size_t end = (overflowed && last_break > start) ? last_break : i;  // else cut anywhere

    size_t trimmed = end;
    while (trimmed > start && glyphs[trimmed - 1].c == ' ') --trimmed;
    lines.push_back({glyphs[start].begin, trimmed > start ? glyphs[trimmed - 1].end : glyphs[start].begin});

    start = end;
    if (start < glyphs.size() && glyphs[start].c == '\n') {
      ++start;
      if (start == glyphs.size()) lines.push_back({text.size(), text.size()});  // text ends in '\n'
    } else {
      while (start < glyphs.size() && glyphs[start].c == ' ') ++start;  // no leading spaces
    }
  }
  return lines;
}

}  // namespace attn::ui
