// The token strip and the attention arcs of 11.2, reused by the later panels.
//
//   TokenStrip:     tokens as boxes in reading order (wrapping onto more rows when needed);
//                   every box is a focusable button, so the arrow keys walk the sentence and
//                   a tap selects on touch screens. A leading space shows as a faint "·";
//                   pieces of one character ("注¹ 注²") are bracketed together and their bytes
//                   show on hover.
//   AttentionArcs:  arcs from one token to every token above the strip; thickness and
//                   opacity grow with the attention weight.
#pragma once
#include <imgui.h>

#include <vector>

#include "session/token_labels.h"

namespace attn::ui {

struct TokenBox {
  ImVec2 min, max;
};

struct TokenStripResult {
  int hovered = -1;  // under the pointer this frame
  int focused = -1;  // keyboard focus
  int clicked = -1;  // clicked / tapped / Enter this frame
};

struct TokenStripStyle {
  const float* tint = nullptr;          // per token in [0, 1]: background strength (weights)
  const std::vector<bool>* dimmed = nullptr;  // per token: greyed out (e.g. masked future tokens)
  const std::vector<float>* numbers = nullptr;  // per token: a value printed under the box
  int selected = -1;                    // outlined in the accent colour
  float arc_room = 0.0f;                // pixels kept free above the first row for arcs
};

TokenStripResult TokenStrip(const char* id, const std::vector<session::TokenLabel>& labels,
                            const TokenStripStyle& style, std::vector<TokenBox>* boxes);

// Arcs from boxes[from] to every box j with weights[j] > 0 (the self-loop is a small loop).
// `progress` in [0, 1] grows the arcs in (for animated transitions).
void AttentionArcs(const std::vector<TokenBox>& boxes, int from, const std::vector<float>& weights,
                   ImU32 color, float progress = 1.0f);

// Labels for plain words (the toy example), with no byte pieces.
std::vector<session::TokenLabel> WordLabels(const std::vector<std::string>& words);

}  // namespace attn::ui
