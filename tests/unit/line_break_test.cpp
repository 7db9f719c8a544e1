#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/utf8.h"
#include "ui/text/line_break.h"

using attn::ui::BreakLines;

// Monospace measure: ASCII is 1 unit wide, everything else (CJK) 2 units.
static float Measure(std::string_view piece) { return piece.size() == 1 ? 1.0f : 2.0f; }

static std::vector<std::string> Lines(std::string_view text, float width) {
  std::vector<std::string> out;
  for (const auto& l : BreakLines(text, width, Measure)) out.emplace_back(text.substr(l.begin, l.end - l.begin));
  return out;
}

TEST_CASE("line breaking: English breaks at spaces") {
  CHECK(Lines("the cat sat on the mat", 11) == std::vector<std::string>{"the cat sat", "on the mat"});
  CHECK(Lines("short", 100) == std::vector<std::string>{"short"});
}

TEST_CASE("line breaking: Chinese breaks between any two characters") {
  // 8 characters, 2 units each, 6 units a line -> 3 + 3 + 2 characters.
  CHECK(Lines("注意力机制很重要", 6) == std::vector<std::string>{"注意力", "机制很", "重要"});
}

TEST_CASE("line breaking: closing punctuation never starts a line") {
  // "，" would start line 2 at width 6; the break moves one character earlier instead.
  CHECK(Lines("注意力，机制", 6) == std::vector<std::string>{"注意", "力，机", "制"});
  for (const auto& l : Lines("一二三。四五六。七八九。", 6)) CHECK(l.rfind("。", 0) != 0);
}

TEST_CASE("line breaking: opening punctuation never ends a line") {
  for (const auto& l : Lines("模型（GPT-2）很小", 6)) {
    CAPTURE(l);
    CHECK(l.size() >= 3);
    CHECK(l.substr(l.size() - 3) != "（");
  }
}

TEST_CASE("line breaking: mixed text, newlines, and words longer than a line") {
  CHECK(Lines("自注意力 self-attention", 9) == std::vector<std::string>{"自注意力", "self-atte", "ntion"});
  CHECK(Lines("一\n二", 100) == std::vector<std::string>{"一", "二"});
  CHECK(Lines("", 10).empty());
  // Nothing is lost: the lines hold every non-space byte of the text, in order.
  const std::string text = "Attention(Q, K, V) = softmax(QK^T / √d) V，这是本章的核心公式。";
  std::string joined, expected;
  for (const auto& l : Lines(text, 7)) joined += l;
  for (char c : text) if (c != ' ') expected += c;
  std::string joined_no_space;
  for (char c : joined) if (c != ' ') joined_no_space += c;
  CHECK(joined_no_space == expected);
}

TEST_CASE("line breaking: invalid UTF-8 is measured byte by byte, not crashed on") {
  const std::string bad = "ab\xFF\xFE cd";
  const auto lines = BreakLines(bad, 3, Measure);
  REQUIRE_FALSE(lines.empty());
  for (const auto& l : lines) CHECK(l.end <= bad.size());
}
