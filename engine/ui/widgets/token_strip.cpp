#include "ui/widgets/token_strip.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "ui/theme.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/hotspots.h"

namespace attn::ui {

std::vector<session::TokenLabel> WordLabels(const std::vector<std::string>& words) {
  std::vector<session::TokenLabel> labels(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    labels[i].text = words[i];
    labels[i].spelled = words[i];
    labels[i].group = static_cast<int>(i);
    labels[i].leading_space = i > 0;
  }
  return labels;
}

constexpr float kRowArcRoomEm = 1.2f;  // between wrapped rows, in em

TokenStripResult TokenStrip(const char* id, const std::vector<session::TokenLabel>& labels,
                            const TokenStripStyle& style, std::vector<TokenBox>* boxes) {
  TokenStripResult result;
  const Palette& pal = GetPalette();
  const float em = ImGui::GetFontSize();
  const float pad = 0.45f * em, gap = 0.35f * em;
  const float dot_w = ImGui::CalcTextSize("·").x;
  const float box_h = ImGui::GetTextLineHeight() + 2 * pad;
  const float number_h = style.numbers ? ImGui::GetTextLineHeight() * 1.1f : 0.0f;
  // Wrapped rows (phones) leave room above each row for the short arcs that reach a token of
  // another row (AttentionArcs).
  const float row_h = box_h + number_h + gap * 2 + kRowArcRoomEm * em;
  const float avail = std::max(ImGui::GetContentRegionAvail().x, 4 * em);

  // Layout: box widths, then rows.
  std::vector<TokenBox> local;
  std::vector<TokenBox>& out = boxes ? *boxes : local;
  out.assign(labels.size(), TokenBox{});
  ImVec2 origin = ImGui::GetCursorScreenPos();
  origin.y += style.arc_room;
  float x = 0, y = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    const float w = ImGui::CalcTextSize(labels[i].text.c_str()).x + 2 * pad + (labels[i].leading_space ? dot_w : 0);
    if (x > 0 && x + w > avail) { x = 0; y += row_h; }
    out[i].min = ImVec2(origin.x + x, origin.y + y);
    out[i].max = ImVec2(origin.x + x + w, origin.y + y + box_h);
    x += w + gap;
  }
  const float total_h = style.arc_room + (labels.empty() ? box_h : y + row_h - kRowArcRoomEm * em);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGui::PushID(id);
  for (size_t i = 0; i < labels.size(); ++i) {
    const session::TokenLabel& l = labels[i];
    ImGui::SetCursorScreenPos(out[i].min);
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::InvisibleButton("tok", ImVec2(out[i].max.x - out[i].min.x, box_h))) result.clicked = static_cast<int>(i);
    Hotspot((std::string(id) + "-token-" + std::to_string(i)).c_str());
    if (ImGui::IsItemHovered()) result.hovered = static_cast<int>(i);
    if (ImGui::IsItemFocused()) result.focused = static_cast<int>(i);
    ImGui::PopID();

    const bool dim = style.dimmed && i < style.dimmed->size() && (*style.dimmed)[i];
    const float t = style.tint ? std::clamp(style.tint[i], 0.0f, 1.0f) : 0.0f;
    ImU32 bg = ImGui::GetColorU32(ImGuiCol_FrameBg);
    if (style.tint && !dim) bg = Viridis(0.15f + 0.85f * t, 0.25f + 0.75f * t);
    dl->AddRectFilled(out[i].min, out[i].max, bg, 0.3f * em);
    const bool sel = static_cast<int>(i) == style.selected;
    dl->AddRect(out[i].min, out[i].max, sel ? pal.accent : ImGui::GetColorU32(ImGuiCol_Border), 0.3f * em, 0,
                sel ? 0.16f * em : 1.0f);
    ImU32 text = style.tint && !dim && t > 0.55f ? TextOn(bg) : ImGui::GetColorU32(ImGuiCol_Text);
    if (dim) text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    float tx = out[i].min.x + pad;
    if (l.leading_space) {
      dl->AddText(ImVec2(tx, out[i].min.y + pad), ImGui::GetColorU32(ImGuiCol_TextDisabled), "·");
      tx += dot_w;
    }
    dl->AddText(ImVec2(tx, out[i].min.y + pad), text, l.text.c_str());
    if (l.pieces > 1 && l.piece == 1) {  // bracket the pieces of one character
      const TokenBox& last = out[std::min(i + l.pieces - 1, out.size() - 1)];
      const float by = out[i].max.y + 0.15f * em;
      dl->AddLine(ImVec2(out[i].min.x, by), ImVec2(last.max.x, by), pal.accent, 0.1f * em);
    }
    if (style.numbers && i < style.numbers->size()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", (*style.numbers)[i]);
      const float w = ImGui::CalcTextSize(buf).x;
      dl->AddText(ImVec2((out[i].min.x + out[i].max.x - w) * 0.5f, out[i].max.y + 0.3f * em),
                  dim ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : ImGui::GetColorU32(ImGuiCol_Text), buf);
    }
    if (result.hovered == static_cast<int>(i) && l.pieces > 1) {  // a byte piece: which character, which bytes
      ImGui::BeginTooltip();
      ImGui::Text("%s  (%d/%d)", l.spelled.c_str(), l.piece, l.pieces);
      ImGui::TextDisabled("bytes: %s", l.bytes_hex.c_str());
      ImGui::EndTooltip();
    }
  }
  ImGui::PopID();
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y - style.arc_room));
  ImGui::Dummy(ImVec2(avail, total_h));
  return result;
}

void AttentionArcs(const std::vector<TokenBox>& boxes, int from, const std::vector<float>& weights, ImU32 color,
                   float progress) {
  if (from < 0 || from >= static_cast<int>(boxes.size())) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float em = ImGui::GetFontSize();
  auto top = [&](int i) { return ImVec2((boxes[i].min.x + boxes[i].max.x) * 0.5f, boxes[i].min.y - 0.15f * em); };
  const ImVec2 a = top(from);
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
  for (int j = 0; j < static_cast<int>(boxes.size()) && j < static_cast<int>(weights.size()); ++j) {
    const float w = std::clamp(weights[j], 0.0f, 1.0f) * progress;
    if (w <= 0.002f) continue;
    const ImU32 col = ImGui::ColorConvertFloat4ToU32(ImVec4(c.x, c.y, c.z, 0.15f + 0.85f * std::sqrt(w)));
    const float thick = (0.08f + 0.55f * w) * em;
    if (j == from) {  // attention to itself: a small loop above the box
      dl->AddBezierCubic(ImVec2(a.x - 0.3f * em, a.y), ImVec2(a.x - 0.9f * em, a.y - 1.6f * em),
                         ImVec2(a.x + 0.9f * em, a.y - 1.6f * em), ImVec2(a.x + 0.3f * em, a.y), col, thick);
      continue;
    }
    const ImVec2 b = top(j);
    if (std::fabs(b.y - a.y) > 1.0f) {  // another row: a short arc into the token (a long one
      const float s = b.x > a.x ? -1.0f : 1.0f;  // would cross the rows between), from a's side
      const float h = 0.8f * kRowArcRoomEm * em;
      dl->AddBezierCubic(ImVec2(b.x + s * 1.6f * em, b.y - h), ImVec2(b.x + s * 0.6f * em, b.y - h),
                         ImVec2(b.x, b.y - 0.6f * h), b, col, thick);
      dl->AddCircleFilled(b, thick * 0.9f + 0.08f * em, col);
      continue;
    }
    // Arcs of the first row rise into the room above the strip; those of a wrapped row stay
    // low, within the room between rows.
    const float max_lift = a.y > top(0).y + 1.0f ? 0.9f * kRowArcRoomEm * em : 6.0f * em;
    const float lift = std::min(max_lift, 0.8f * em + 0.35f * std::fabs(b.x - a.x));
    const float peak = std::min(a.y, b.y) - lift;
    dl->AddBezierCubic(a, ImVec2(a.x, peak), ImVec2(b.x, peak), b, col, thick);
    dl->AddCircleFilled(b, thick * 0.9f + 0.08f * em, col);  // the arrow end
  }
}

}  // namespace attn::ui
