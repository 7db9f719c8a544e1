// Paragraph(): wrapped text that breaks lines the way Chinese is typeset (ui/text/line_break.h).
#pragma once
#include <string_view>
#include <vector>

#include "ui/text/line_break.h"

namespace attn::ui {

// Wraps to `width` pixels (<= 0: the rest of the content region), colour as ImU32.
void Paragraph(std::string_view text);
void Paragraph(std::string_view text, unsigned color, float width = 0.0f);

// The lines `text` wraps into at `width` pixels with the current font (for custom widgets).
std::vector<LineSpan> WrapLines(std::string_view text, float width);

}  // namespace attn::ui
