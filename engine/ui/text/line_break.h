// Line breaking for mixed Chinese / English text (no ImGui here, so it is unit-tested).
//
// ImGui's TextWrapped breaks only at spaces, so a run of Chinese is one long "word" that
// jumps whole to the next line. BreakLines may break after any CJK character, never puts
// closing punctuation (，。）」…) at the start of a line nor opening punctuation (（「“) at
// the end of one — the "kinsoku" rules of CJK typesetting — and honours '\n'.
#pragma once
#include <functional>
#include <string_view>
#include <vector>

namespace attn::ui {

struct LineSpan {
  size_t begin, end;  // byte range of the line in the text, without the '\n' or trailing spaces
};

// measure(piece) returns the width of one character's bytes in the same unit as wrap_width.
std::vector<LineSpan> BreakLines(std::string_view text, float wrap_width,
                                 const std::function<float(std::string_view)>& measure);

}  // namespace attn::ui
