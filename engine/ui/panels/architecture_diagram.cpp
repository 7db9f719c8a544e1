// 11.3 架构图 — the original encoder–decoder Transformer (Vaswani et al., 2017) and GPT-2's
// decoder-only stack, drawn with ImDrawList, bottom to top as in the paper. Every component is
// a focusable button (click it, or walk there with the arrow keys and press Enter) and opens a
// card: what it does, and its tensors, shapes and parameter counts in the loaded model
// (model/components.h does the counting; the card only formats it).
//
// A toggle shows the original, GPT-2, or both side by side (shrunk together to fit; chosen
// from the start when the page has room for both and the card); the card sits beside the
// diagrams when there is room, else below them.
//
// [SECTION] Index
//   - Canvas: layout units, boxes, arrows, the ×N frame (a measuring pass, then a drawing pass)
//   - Original Transformer (encoder + decoder)
//   - GPT-2 (decoder only)
//   - Card
//   - Panel
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "formats/json.h"
#include "model/components.h"
#include "ui/fonts.h"
#include "ui/i18n/i18n.h"
#include "ui/panels/architecture_parts.h"
#include "core/numbers.h"
#include "ui/theme.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;
using model::Component;

namespace {

struct DiagramState {
  Component selected = Component::MaskedSelfAttention;
  Component hot = Component::Count;       // hovered or focused during the last frame
  Component hot_now = Component::Count;   // … during this one
  int view = -1;                          // 0 original, 1 GPT-2, 2 both side by side; -1: not chosen yet
};

DiagramState g;

int ComponentColor(Component c) {  // Categorical() index, the paper's colours where they exist
  switch (c) {
    case Component::TokenEmbedding: return 6;       // reddish purple
    case Component::PositionalEncoding: return 7;   // grey
    case Component::SelfAttention: return 0;        // orange
    case Component::MaskedSelfAttention: return 5;  // vermillion
    case Component::CrossAttention: return 0;
    case Component::AddNorm: return 3;              // yellow
    case Component::FeedForward: return 1;          // sky blue
    case Component::OutputHead: return 2;           // bluish green
    default: return 7;
  }
}

Str ComponentTitle(Component c) {
  switch (c) {
    case Component::TokenEmbedding: return Str::CompTokenEmbedding;
    case Component::PositionalEncoding: return Str::CompPositional;
    case Component::SelfAttention: return Str::CompSelfAttention;
    case Component::MaskedSelfAttention: return Str::CompMaskedAttention;
    case Component::CrossAttention: return Str::CompCrossAttention;
    case Component::AddNorm: return Str::CompAddNorm;
    case Component::FeedForward: return Str::CompFeedForward;
    default: return Str::CompOutputHead;
  }
}

Str ComponentText(Component c) {
  switch (c) {
    case Component::TokenEmbedding: return Str::ExplTokenEmbedding;
    case Component::PositionalEncoding: return Str::ExplPositional;
    case Component::SelfAttention: return Str::ExplSelfAttention;
    case Component::MaskedSelfAttention: return Str::ExplMaskedAttention;
    case Component::CrossAttention: return Str::ExplCrossAttention;
    case Component::AddNorm: return Str::ExplAddNorm;
    case Component::FeedForward: return Str::ExplFeedForward;
    default: return Str::ExplOutputHead;
  }
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Canvas
//-----------------------------------------------------------------------------

// Diagram coordinates: x = 0 at the first column's centre, y = 0 at the bottom, growing
// downwards like the screen (so everything drawn has y < 0). The measuring pass only records
// the bounds; the drawing pass maps (x, y) to origin + (x, y) · scale.
struct Canvas {
  bool measure = true;
  ImDrawList* dl = nullptr;
  ImDrawListSplitter* split = nullptr;  // channel 0: frames and arrows, 1: boxes
  ImVec2 origin{0, 0};
  float scale = 1.0f;
  float em = 17.0f;                     // 1 em at scale 1
  const char* id = "";                  // "orig" / "gpt2": ImGui IDs and hotspot names
  ImVec2 min{FLT_MAX, FLT_MAX}, max{-FLT_MAX, -FLT_MAX};
  int boxes = 0;

  float u(float ems) const { return ems * em; }
  ImVec2 P(float x, float y) const { return ImVec2(origin.x + x * scale, origin.y + y * scale); }
  void Grow(float x0, float y0, float x1, float y1) {
    min.x = std::min(min.x, x0); min.y = std::min(min.y, y0);
    max.x = std::max(max.x, x1); max.y = std::max(max.y, y1);
  }
  float LineH() const { return ImGui::GetTextLineHeight(); }
  ImVec2 Text(const char* s) const { return ImGui::CalcTextSize(s); }  // at scale 1
};

static ImU32 LineColor() { return ImGui::GetColorU32(ImGuiCol_Text, 0.75f); }
static ImU32 MutedColor() { return GetPalette().muted_text; }

// Multi-line text centred on (cx, cy), in diagram units.
static void CenteredText(Canvas& cv, const char* text, float cx, float cy, ImU32 color) {
  const ImVec2 size = cv.Text(text);
  cv.Grow(cx - size.x / 2, cy - size.y / 2, cx + size.x / 2, cy + size.y / 2);
  if (cv.measure) return;
  ImFont* font = ImGui::GetFont();
  const float px = ImGui::GetFontSize() * cv.scale;
  float y = cy - size.y / 2;
  const char* line = text;
  while (true) {
    const char* end = line;
    while (*end && *end != '\n') ++end;
    const float w = font->CalcTextSizeA(ImGui::GetFontSize(), FLT_MAX, 0, line, end).x;
    cv.dl->AddText(font, px, cv.P(cx - w / 2, y), color, line, end);
    y += cv.LineH();
    if (!*end) break;
    line = end + 1;
  }
}

static void Arrow(Canvas& cv, std::vector<ImVec2> pts, bool head = true) {
  for (const ImVec2& p : pts) cv.Grow(p.x, p.y, p.x, p.y);
  if (cv.measure || pts.size() < 2) return;
  const ImU32 col = LineColor();
  const float t = std::max(1.0f, 1.3f * cv.scale);
  std::vector<ImVec2> screen;
  for (const ImVec2& p : pts) screen.push_back(cv.P(p.x, p.y));
  const ImVec2 tip = screen.back(), from = screen[screen.size() - 2];
  const float dx = tip.x - from.x, dy = tip.y - from.y, len = std::max(1e-3f, std::sqrt(dx * dx + dy * dy));
  const float ux = dx / len, uy = dy / len, s = cv.u(0.42f) * cv.scale;
  if (head) screen.back() = ImVec2(tip.x - ux * s * 0.8f, tip.y - uy * s * 0.8f);  // the line stops inside the head
  cv.dl->AddPolyline(screen.data(), static_cast<int>(screen.size()), col, 0, t);
  if (head)
    cv.dl->AddTriangleFilled(tip, ImVec2(tip.x - ux * s - uy * s * 0.45f, tip.y - uy * s + ux * s * 0.45f),
                             ImVec2(tip.x - ux * s + uy * s * 0.45f, tip.y - uy * s - ux * s * 0.45f), col);
}

// The ⊕ of a residual addition (lit with Add & Norm) or of embedding + position (lit with it).
static void Plus(Canvas& cv, float cx, float cy, Component comp) {
  const float r = cv.u(0.5f);
  cv.Grow(cx - r, cy - r, cx + r, cy + r);
  if (cv.measure) return;
  const bool hot = g.hot == comp || g.selected == comp;
  const ImVec2 c = cv.P(cx, cy);
  const float rs = r * cv.scale, t = std::max(1.0f, 1.3f * cv.scale);
  cv.split->SetCurrentChannel(cv.dl, 1);
  cv.dl->AddCircleFilled(c, rs, hot ? Categorical(ComponentColor(comp), 0.55f) : ImGui::GetColorU32(ImGuiCol_WindowBg));
  cv.dl->AddCircle(c, rs, LineColor(), 0, t);
  cv.dl->AddLine(ImVec2(c.x - rs * 0.6f, c.y), ImVec2(c.x + rs * 0.6f, c.y), LineColor(), t);
  cv.dl->AddLine(ImVec2(c.x, c.y - rs * 0.6f), ImVec2(c.x, c.y + rs * 0.6f), LineColor(), t);
  cv.split->SetCurrentChannel(cv.dl, 0);
}

struct BoxRect {
  float x0, y0, x1, y1;
  float cx() const { return (x0 + x1) / 2; }
  float cy() const { return (y0 + y1) / 2; }
};

static float BoxHeight(const Canvas& cv, const char* label) { return cv.Text(label).y + cv.u(0.6f); }

// One clickable component, `w` wide, its bottom edge at `bottom`. Clicking it (or Enter on it)
// selects its component; hovering or focusing it lights up every box of the same component.
static BoxRect Box(Canvas& cv, Component comp, Str label_id, float cx, float bottom, float w) {
  const char* label = Tr(label_id);
  const float h = BoxHeight(cv, label);
  const BoxRect r{cx - w / 2, bottom - h, cx + w / 2, bottom};
  cv.Grow(r.x0, r.y0, r.x1, r.y1);
  if (cv.measure) return r;
  const ImVec2 a = cv.P(r.x0, r.y0), b = cv.P(r.x1, r.y1);
  char id[64];
  std::snprintf(id, sizeof id, "diag_%s_%s_%d", cv.id, model::ComponentId(comp), cv.boxes++);
  ImGui::SetCursorScreenPos(a);
  if (ImGui::InvisibleButton(id, ImVec2(b.x - a.x, b.y - a.y))) g.selected = comp;  // click, tap or Space
  const bool focused = ImGui::IsItemFocused();
  if (focused && (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
                  ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false)))
    g.selected = comp;  // ImGui 1.86 activates buttons with Space only
  if (ImGui::IsItemHovered() || focused) g.hot_now = comp;
  Hotspot(id);
  const bool selected = g.selected == comp, hot = g.hot == comp;
  const float rounding = cv.u(0.3f) * cv.scale;
  cv.split->SetCurrentChannel(cv.dl, 1);
  cv.dl->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_WindowBg), rounding);
  cv.dl->AddRectFilled(a, b, Categorical(ComponentColor(comp), hot || selected ? 0.55f : 0.25f), rounding);
  cv.dl->AddRect(a, b, selected ? GetPalette().accent : Categorical(ComponentColor(comp)), rounding, 0,
                 std::max(1.0f, (selected ? 3.0f : 1.3f) * cv.scale));
  if (focused)
    cv.dl->AddRect(ImVec2(a.x - 3, a.y - 3), ImVec2(b.x + 3, b.y + 3), ImGui::GetColorU32(ImGuiCol_NavHighlight), rounding, 0, 2.0f);
  CenteredText(cv, label, r.cx(), r.cy(), ImGui::GetColorU32(ImGuiCol_Text));
  cv.split->SetCurrentChannel(cv.dl, 0);
  return r;
}

// The frame around the repeated block, with "×N" and the block's name outside it on `side`
// (−1 left, +1 right).
static void Frame(Canvas& cv, float x0, float y0, float x1, float y1, int n, Str name, int side) {
  cv.Grow(x0, y0, x1, y1);
  char repeat[32];
  std::snprintf(repeat, sizeof repeat, Tr(Str::DiagRepeat), n);
  const std::string label = std::string(repeat) + "\n" + Tr(name);
  const ImVec2 ts = cv.Text(label.c_str());
  const float lx = side < 0 ? x0 - cv.u(0.5f) - ts.x / 2 : x1 + cv.u(0.5f) + ts.x / 2;
  CenteredText(cv, label.c_str(), lx, (y0 + y1) / 2, MutedColor());
  if (cv.measure) return;
  cv.dl->AddRect(cv.P(x0, y0), cv.P(x1, y1), MutedColor(), cv.u(0.5f) * cv.scale, 0, std::max(1.0f, 1.5f * cv.scale));
  // The count's meaning on hover.
  const ImVec2 a = cv.P(lx - ts.x / 2, (y0 + y1) / 2 - ts.y / 2), b = cv.P(lx + ts.x / 2, (y0 + y1) / 2 + ts.y / 2);
  if (ImGui::IsMouseHoveringRect(a, b) && ImGui::IsWindowHovered()) ImGui::SetTooltip(Tr(Str::DiagRepeatTip), n);
}

// Residual connection: from the input of `from` (just below it) around `side` into the side of
// `into` (an Add & Norm box) or a ⊕ at (into_x, into_y) of radius `into_r`.
static void Residual(Canvas& cv, float cx, float start_y, float lane_x, float into_x, float into_y) {
  if (!cv.measure) cv.dl->AddCircleFilled(cv.P(cx, start_y), std::max(2.0f, cv.u(0.15f) * cv.scale), LineColor());
  Arrow(cv, {ImVec2(cx, start_y), ImVec2(lane_x, start_y), ImVec2(lane_x, into_y), ImVec2(into_x, into_y)});
}

static float LabelWidth(const Canvas& cv, std::initializer_list<Str> labels) {
  float w = 0.0f;
  for (Str s : labels) w = std::max(w, cv.Text(Tr(s)).x);
  return w;
}

//-----------------------------------------------------------------------------
// [SECTION] Original Transformer
//-----------------------------------------------------------------------------

// One column of the original: embedding, ⊕ position, the N× block, and (decoder) the output.
// `side`: where the position box, the residual lanes and the ×N label go (outside).
static float OriginalColumn(Canvas& cv, float cx, float w, bool decoder, float* cross_y) {
  const float gap = cv.u(1.0f), lane = w / 2 + cv.u(0.9f), pad = cv.u(0.6f);
  const int side = decoder ? 1 : -1;
  float y = 0.0f;
  CenteredText(cv, Tr(decoder ? Str::DiagOutputsShifted : Str::DiagInputs), cx, y - cv.LineH() / 2, MutedColor());
  y -= cv.LineH() + gap * 0.7f;
  Arrow(cv, {ImVec2(cx, y + gap * 0.7f), ImVec2(cx, y)});
  const BoxRect emb = Box(cv, Component::TokenEmbedding, decoder ? Str::DiagBoxOutputEmb : Str::DiagBoxInputEmb, cx, y, w);
  // ⊕ positional encoding, its box beside the ⊕
  const Str pe_label = Str::DiagBoxSinePe;
  const float pe_h = BoxHeight(cv, Tr(pe_label)), pe_w = cv.Text(Tr(pe_label)).x + cv.u(1.0f);
  const float zone = std::max(pe_h + gap, 2.4f * gap);
  const float plus_y = emb.y0 - zone / 2;
  Arrow(cv, {ImVec2(cx, emb.y0), ImVec2(cx, plus_y + cv.u(0.5f))});
  Plus(cv, cx, plus_y, Component::PositionalEncoding);
  const float pe_cx = cx + side * (cv.u(0.5f) + cv.u(1.2f) + pe_w / 2);
  const BoxRect pe = Box(cv, Component::PositionalEncoding, pe_label, pe_cx, plus_y + pe_h / 2, pe_w);
  Arrow(cv, {ImVec2(side < 0 ? pe.x1 : pe.x0, plus_y), ImVec2(cx + side * cv.u(0.5f), plus_y)});
  y = emb.y0 - zone;
  Arrow(cv, {ImVec2(cx, plus_y - cv.u(0.5f)), ImVec2(cx, y - pad)});

  // The block: sub-layer, Add & Norm, … with a residual lane around each sub-layer.
  const float frame_bottom = y;
  y -= pad;
  struct Sub { Component comp; Str label; };
  std::vector<Sub> subs;
  if (decoder) subs = {{Component::MaskedSelfAttention, Str::DiagBoxMaskedMha}, {Component::CrossAttention, Str::DiagBoxCross},
                       {Component::FeedForward, Str::DiagBoxFfn}};
  else subs = {{Component::SelfAttention, Str::DiagBoxMha}, {Component::FeedForward, Str::DiagBoxFfn}};
  for (size_t i = 0; i < subs.size(); ++i) {
    const float start = y;  // the input of this sub-layer (the residual branches off here)
    if (i > 0) { Arrow(cv, {ImVec2(cx, y), ImVec2(cx, y - gap)}); y -= gap; }
    const float branch = i > 0 ? start - gap * 0.45f : start + pad * 0.5f;
    const BoxRect s = Box(cv, subs[i].comp, subs[i].label, cx, y, w);
    if (subs[i].comp == Component::CrossAttention) *cross_y = s.cy();
    Arrow(cv, {ImVec2(cx, s.y0), ImVec2(cx, s.y0 - gap)});
    const BoxRect an = Box(cv, Component::AddNorm, Str::DiagBoxAddNorm, cx, s.y0 - gap, w);
    Residual(cv, cx, branch, cx + side * lane, cx + side * w / 2, an.cy());
    y = an.y0;
  }
  const float frame_top = y - pad;
  Frame(cv, cx - lane - cv.u(0.7f), frame_top, cx + lane + cv.u(0.7f), frame_bottom, 6,
        decoder ? Str::DiagDecoder : Str::DiagEncoder, side);
  if (!decoder) return y;  // the encoder's output leaves from its last box
  // Linear → Softmax → probabilities
  Arrow(cv, {ImVec2(cx, y), ImVec2(cx, frame_top - gap)});
  const BoxRect lin = Box(cv, Component::OutputHead, Str::DiagBoxLinear, cx, frame_top - gap, w);
  Arrow(cv, {ImVec2(cx, lin.y0), ImVec2(cx, lin.y0 - gap)});
  const BoxRect sm = Box(cv, Component::OutputHead, Str::DiagBoxSoftmax, cx, lin.y0 - gap, w);
  Arrow(cv, {ImVec2(cx, sm.y0), ImVec2(cx, sm.y0 - gap * 0.8f)});
  CenteredText(cv, Tr(Str::DiagOutputProbs), cx, sm.y0 - gap * 0.8f - cv.LineH() / 2, MutedColor());
  return frame_top;
}

static void DrawOriginal(Canvas& cv) {
  const float w = LabelWidth(cv, {Str::DiagBoxInputEmb, Str::DiagBoxOutputEmb, Str::DiagBoxMha, Str::DiagBoxMaskedMha,
                                  Str::DiagBoxCross, Str::DiagBoxAddNorm, Str::DiagBoxFfn, Str::DiagBoxLinear}) + cv.u(1.4f);
  const float lane = w / 2 + cv.u(0.9f) + cv.u(0.7f);  // half the frame's width
  const float dx = 2 * lane + cv.u(3.0f);               // decoder centre
  float cross_y = 0.0f, unused = 0.0f;
  const float enc_top = OriginalColumn(cv, 0.0f, w, false, &unused);
  OriginalColumn(cv, dx, w, true, &cross_y);
  // The encoder's output feeds every decoder layer's cross-attention (its keys and values).
  const float mid = lane + cv.u(1.5f);
  Arrow(cv, {ImVec2(0, enc_top), ImVec2(0, enc_top - cv.u(1.0f)), ImVec2(mid, enc_top - cv.u(1.0f)), ImVec2(mid, cross_y),
             ImVec2(dx - w / 2, cross_y)});
}

//-----------------------------------------------------------------------------
// [SECTION] GPT-2
//-----------------------------------------------------------------------------

static void DrawGpt2(Canvas& cv, int n_layer, bool tied) {
  const float w = LabelWidth(cv, {Str::DiagBoxTokenEmb, Str::DiagBoxMaskedMha, Str::DiagBoxLayerNorm, Str::DiagBoxFinalNorm,
                                  Str::DiagBoxFfn, tied ? Str::DiagBoxLinearTied : Str::DiagBoxLinear}) + cv.u(1.4f);
  const float cx = 0.0f, gap = cv.u(1.0f), lane = w / 2 + cv.u(0.9f), pad = cv.u(0.6f), r = cv.u(0.5f);
  float y = 0.0f;
  CenteredText(cv, Tr(Str::DiagGptInputs), cx, y - cv.LineH() / 2, MutedColor());
  y -= cv.LineH() + gap * 0.7f;
  Arrow(cv, {ImVec2(cx, y + gap * 0.7f), ImVec2(cx, y)});
  const BoxRect emb = Box(cv, Component::TokenEmbedding, Str::DiagBoxTokenEmb, cx, y, w);
  const Str pe_label = Str::DiagBoxLearnedPe;
  const float pe_h = BoxHeight(cv, Tr(pe_label)), pe_w = cv.Text(Tr(pe_label)).x + cv.u(1.0f);
  const float zone = std::max(pe_h + gap, 2.4f * gap), plus_y = emb.y0 - zone / 2;
  Arrow(cv, {ImVec2(cx, emb.y0), ImVec2(cx, plus_y + r)});
  Plus(cv, cx, plus_y, Component::PositionalEncoding);
  const BoxRect pe = Box(cv, Component::PositionalEncoding, pe_label, cx - r - cv.u(1.2f) - pe_w / 2, plus_y + pe_h / 2, pe_w);
  Arrow(cv, {ImVec2(pe.x1, plus_y), ImVec2(cx - r, plus_y)});
  y = emb.y0 - zone;
  Arrow(cv, {ImVec2(cx, plus_y - r), ImVec2(cx, y - pad - gap * 0.6f)});

  // The block, pre-LN: x += Attn(LN₁(x)); x += FFN(LN₂(x))
  const float frame_bottom = y;
  y -= pad + gap * 0.6f;
  const Component subs[2] = {Component::MaskedSelfAttention, Component::FeedForward};
  const Str labels[2] = {Str::DiagBoxMaskedMha, Str::DiagBoxFfn};
  for (int i = 0; i < 2; ++i) {
    const float branch = y + gap * 0.3f;
    const BoxRect ln = Box(cv, Component::AddNorm, Str::DiagBoxLayerNorm, cx, y, w);
    Arrow(cv, {ImVec2(cx, ln.y0), ImVec2(cx, ln.y0 - gap)});
    const BoxRect s = Box(cv, subs[i], labels[i], cx, ln.y0 - gap, w);
    const float add_y = s.y0 - gap - r;
    Arrow(cv, {ImVec2(cx, s.y0), ImVec2(cx, add_y + r)});
    Plus(cv, cx, add_y, Component::AddNorm);
    Residual(cv, cx, branch, cx + lane, cx + r, add_y);
    y = add_y - r;
    if (i == 0) {
      Arrow(cv, {ImVec2(cx, y), ImVec2(cx, y - gap)});
      y -= gap;
    }
  }
  const float frame_top = y - pad;
  Frame(cv, cx - lane - cv.u(0.7f), frame_top, cx + lane + cv.u(0.7f), frame_bottom, n_layer, Str::DiagDecoder, -1);
  Arrow(cv, {ImVec2(cx, y), ImVec2(cx, frame_top - gap)});
  y = frame_top - gap;
  const BoxRect lnf = Box(cv, Component::AddNorm, Str::DiagBoxFinalNorm, cx, y, w);
  Arrow(cv, {ImVec2(cx, lnf.y0), ImVec2(cx, lnf.y0 - gap)});
  const BoxRect lin = Box(cv, Component::OutputHead, tied ? Str::DiagBoxLinearTied : Str::DiagBoxLinear, cx, lnf.y0 - gap, w);
  Arrow(cv, {ImVec2(cx, lin.y0), ImVec2(cx, lin.y0 - gap)});
  const BoxRect sm = Box(cv, Component::OutputHead, Str::DiagBoxSoftmax, cx, lin.y0 - gap, w);
  Arrow(cv, {ImVec2(cx, sm.y0), ImVec2(cx, sm.y0 - gap * 0.8f)});
  CenteredText(cv, Tr(Str::DiagNextToken), cx, sm.y0 - gap * 0.8f - cv.LineH() / 2, MutedColor());
}

// Measures `draw` at scale 1, then draws it at the cursor, scaled down (never below 0.6) to
// fit `max_width`. Returns the size taken.
template <typename F>
static ImVec2 Diagram(const char* id, float max_width, F draw) {
  Canvas m;
  m.em = ImGui::GetFontSize();
  draw(m);
  const float w = m.max.x - m.min.x, h = m.max.y - m.min.y;
  const float scale = std::clamp(max_width / std::max(w, 1.0f), 0.6f, 1.0f);
  Canvas cv;
  cv.measure = false;
  cv.em = m.em;
  cv.id = id;
  cv.scale = scale;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  cv.origin = ImVec2(at.x - m.min.x * scale, at.y - m.min.y * scale);
  cv.dl = ImGui::GetWindowDrawList();
  ImDrawListSplitter split;
  cv.split = &split;
  split.Split(cv.dl, 2);
  draw(cv);
  split.Merge(cv.dl);
  const ImVec2 size(w * scale, h * scale);
  ImGui::SetCursorScreenPos(at);
  ImGui::Dummy(size);
  return size;
}

static ImVec2 MeasureSize(void (*draw)(Canvas&, int, bool), int n, bool tied) {
  Canvas m;
  m.em = ImGui::GetFontSize();
  draw(m, n, tied);
  return ImVec2(m.max.x - m.min.x, m.max.y - m.min.y);
}

//-----------------------------------------------------------------------------
// [SECTION] Card
//-----------------------------------------------------------------------------

static bool TiedHead(session::Session& session) {
  if (!session.HasModel()) return true;
  const model::Weights& w = session.model().weights();
  return w.lm_head.data == w.wte.data;
}

// "C × 3C" and its numbers: "C × 3C = 256 × 768"
static std::string ShapeText(const model::ComponentTensor& t) {
  char buf[96];
  if (t.cols == 1) std::snprintf(buf, sizeof buf, "%s = %llu", t.shape.c_str(), static_cast<unsigned long long>(t.rows));
  else std::snprintf(buf, sizeof buf, "%s = %llu × %llu", t.shape.c_str(), static_cast<unsigned long long>(t.rows),
                     static_cast<unsigned long long>(t.cols));
  return buf;
}

static void Card(session::Session& session) {
  const Palette& pal = GetPalette();
  const Component c = g.selected;
  ImGui::PushStyleColor(ImGuiCol_Text, pal.accent);
  Paragraph(Tr(ComponentTitle(c)));
  ImGui::PopStyleColor();
  Paragraph(Tr(ComponentText(c)));
  if (c == Component::MaskedSelfAttention) Paragraph(Tr(Str::CardGpt2Masked));
  if (c == Component::CrossAttention) Paragraph(Tr(Str::CardNoCross), pal.badge_text);
  if (c == Component::SelfAttention) Paragraph(Tr(Str::CardNoUnmasked), pal.badge_text);
  ImGui::Spacing();
  if (!session.HasModel()) {
    NoModelNote(session, Str::CardNoModel, pal.muted_text);
    return;
  }
  const session::ModelInfo& info = session.info();
  const model::Config& cfg = info.config;
  const bool tied = TiedHead(session);
  char line[512];
  std::snprintf(line, sizeof line, Tr(Str::CardInModel), info.name.c_str(), cfg.n_layer, cfg.n_head, cfg.n_embd, cfg.n_ff,
                cfg.vocab_size, cfg.n_ctx);
  Paragraph(line, pal.muted_text);
  if (c == Component::PositionalEncoding) Paragraph(Tr(Str::CardSinesNone));
  if (c == Component::OutputHead) Paragraph(Tr(tied ? Str::CardTied : Str::CardUntied));
  const model::ComponentCost cost = model::GptComponentCost(c, cfg, tied);
  if (cost.tensors.empty()) return;
  const float em = ImGui::GetFontSize();
  if (ImGui::BeginTable("diag-card-tensors", 3, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit,
                        ImVec2(std::min(ImGui::GetContentRegionAvail().x, 30 * em), 0))) {
    ImGui::TableSetupColumn(Tr(Str::CardTensor));
    ImGui::TableSetupColumn(Tr(Str::CardShape), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(Tr(Str::CardParams));
    ImGui::TableHeadersRow();
    for (const model::ComponentTensor& t : cost.tensors) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(t.name.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(ShapeText(t).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(GroupDigits(t.parameters).c_str());
    }
    ImGui::EndTable();
  }
  const bool per_layer = c == Component::SelfAttention || c == Component::MaskedSelfAttention ||
                         c == Component::AddNorm || c == Component::FeedForward;
  if (per_layer) {
    std::snprintf(line, sizeof line, Tr(Str::CardPerLayer), GroupDigits(cost.per_copy).c_str());
    std::string text = line;
    if (cost.in_gpt2) {
      std::snprintf(line, sizeof line, Tr(Str::CardAllLayers), cost.copies, GroupDigits(cost.per_copy * cost.copies).c_str());
      text += std::string(" · ") + line;
    }
    Paragraph(text);
  } else if (cost.in_gpt2) {
    std::snprintf(line, sizeof line, Tr(Str::CardOnce), GroupDigits(cost.total).c_str());
    Paragraph(line);
  }
  if (c == Component::AddNorm) {
    std::snprintf(line, sizeof line, Tr(Str::CardFinalNorm), GroupDigits(uint64_t{2} * cfg.n_embd).c_str());
    Paragraph(line);
  }
  if (cost.in_gpt2 && info.parameters > 0) {
    const double pct = 100.0 * cost.total / info.parameters;
    char number[32];
    std::snprintf(number, sizeof number, pct >= 1.0 || pct == 0.0 ? "%.1f" : "%.2g", pct);  // LayerNorm: 0.029 %
    std::snprintf(line, sizeof line, Tr(Str::CardShare), number, GroupDigits(info.parameters).c_str());
    Paragraph(line, pal.muted_text);
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Panel
//-----------------------------------------------------------------------------

static void Publish(session::Session& session) {
  const bool tied = TiedHead(session);
  const model::Config cfg = session.HasModel() ? session.info().config : model::Config{};
  const model::ComponentCost cost = model::GptComponentCost(g.selected, cfg, tied);
  std::string j = "{\"view\":";
  j += json::Quote(g.view == 2 ? "both" : g.view == 1 ? "gpt2" : "original");
  j += ",\"component\":" + json::Quote(model::ComponentId(g.selected));
  j += std::string(",\"in_gpt2\":") + (cost.in_gpt2 ? "true" : "false");
  j += ",\"per_layer\":" + std::to_string(cost.per_copy) + ",\"copies\":" + std::to_string(cost.copies);
  j += ",\"parameters\":" + std::to_string(cost.total);
  j += std::string(",\"tied_head\":") + (tied ? "true" : "false");
  j += ",\"hovered\":" + json::Quote(g.hot == Component::Count ? "" : model::ComponentId(g.hot));
  j += ",\"components\":{";
  for (int i = 0; i < model::kComponentCount; ++i) {
    const Component c = static_cast<Component>(i);
    j += (i ? "," : "") + json::Quote(model::ComponentId(c)) + ":" + std::to_string(model::GptComponentCost(c, cfg, tied).total);
  }
  j += "}}";
  PublishPanelState("arch_diagram", std::move(j));
}

// Start-up options: diagram.component=<id> (model/components.h), diagram.view=original|gpt2|both.
static void ReadOptions(AppState& app) {
  const std::string comp = TakeOption(app, "diagram.component");
  Component c;
  if (!comp.empty() && model::ParseComponent(comp, &c)) {
    g.selected = c;
  }
  const std::string view = TakeOption(app, "diagram.view");
  if (view == "original") g.view = 0;
  if (view == "gpt2") g.view = 1;
  if (view == "both") g.view = 2;
}

void DrawArchitectureDiagram(AppState& app, session::Session& session) {
  ReadOptions(app);
  const Palette& pal = GetPalette();
  const float em = ImGui::GetFontSize();
  const int n_layer = session.HasModel() ? session.info().config.n_layer : 12;
  const bool tied = TiedHead(session);
  Paragraph(Tr(Str::DiagIntro));
  Paragraph(Tr(Str::DiagHint), pal.muted_text);
  ImGui::Spacing();

  g.hot = g.hot_now;
  g.hot_now = Component::Count;
  const float avail = ImGui::GetContentRegionAvail().x;
  const ImVec2 size_orig = MeasureSize([](Canvas& c, int, bool) { DrawOriginal(c); }, 0, true);
  const ImVec2 size_gpt2 = MeasureSize(DrawGpt2, n_layer, tied);
  const float w_orig = size_orig.x, w_gpt2 = size_gpt2.x;
  const float card_min = 16 * em, spacing = 2 * em;
  // Side by side on its own when there is room for both and the card; else the reader picks.
  if (g.view < 0) g.view = avail >= w_orig + w_gpt2 + spacing + card_min + spacing ? 2 : 0;
  static const Str kViews[3] = {Str::DiagShowOriginal, Str::DiagShowGpt2, Str::DiagShowBoth};
  static const char* const kViewIds[3] = {"diag_view_original", "diag_view_gpt2", "diag_view_both"};
  for (int v = 0; v < 3; ++v) {
    if (RadioInRow((std::string(Tr(kViews[v])) + "###" + kViewIds[v]).c_str(), g.view == v, v == 0)) g.view = v;
    Hotspot(kViewIds[v]);
  }
  ImGui::Spacing();
  const bool both = g.view == 2;
  const float diagram_w = both ? w_orig + spacing + w_gpt2 : g.view == 0 ? w_orig : w_gpt2;
  // One diagram: the card goes beside it, the diagram shrinking to 0.8 if that makes room (a
  // card below would be out of sight when a box is clicked); else below. Both diagrams shrink
  // together (to 0.6 at most) when the page is narrower than the pair; the card goes below.
  const float fit = (avail - spacing - card_min) / diagram_w;
  const bool card_beside = !both && fit >= 0.8f;
  const float shrink = both ? std::clamp((avail - spacing) / (w_orig + w_gpt2), 0.6f, 1.0f)
                            : card_beside ? std::min(fit, 1.0f) : std::clamp(avail / diagram_w, 0.6f, 1.0f);

  ImGui::BeginGroup();
  if (g.view != 1) {
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", Tr(Str::DiagShowOriginal));
    if (both && size_gpt2.y > size_orig.y)  // the inputs of both on one line
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (size_gpt2.y - size_orig.y) * shrink);
    Diagram("orig", w_orig * shrink, [](Canvas& c) { DrawOriginal(c); });
    ImGui::EndGroup();
  }
  if (both) ImGui::SameLine(0, spacing * shrink);
  if (g.view != 0) {
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", Tr(Str::DiagShowGpt2));
    if (both && size_orig.y > size_gpt2.y) ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (size_orig.y - size_gpt2.y) * shrink);
    Diagram("gpt2", w_gpt2 * shrink, [&](Canvas& c) { DrawGpt2(c, n_layer, tied); });
    ImGui::EndGroup();
  }
  ImGui::EndGroup();
  if (card_beside) ImGui::SameLine(0, spacing);
  else ImGui::Spacing();
  ImGui::BeginGroup();
  Card(session);
  ImGui::EndGroup();
  Publish(session);
}

}  // namespace attn::ui
