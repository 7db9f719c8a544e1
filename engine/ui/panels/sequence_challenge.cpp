// 11.1 序列的挑战 — why RNNs struggle with long sequences, shown with a tiny real RNN
// (lab/conveyor_belt.h: 8 hidden units, computed, not drawn by hand).
//
//   h_t = tanh(W_h h_{t−1} + W_x x_t + b),   h_0 = 0            one box of the belt per step
//   ∂h_n/∂x_1 = J_n ⋯ J_2 · ∂h_1/∂x_1,        J_t = diag(1 − h_t²) W_h
//   ‖∂h_n/∂x_1‖ ≤ ‖W_h‖^(n−1) · ‖∂h_1/∂x_1‖    (|tanh′| ≤ 1): vanishes for ‖W_h‖ < 1,
//                                             may explode for ‖W_h‖ > 1
//   self-attention: y_n = Σ_j softmax_j(q_n·k_j / √d) v_j reads x_1 directly — path length 1,
//   and all n positions of a layer are computed at once — 1 sequential step instead of n.
//
// The two bottlenecks of the chapter, one figure each, below the belt:
//   1. long-range dependencies fade   DrawSignalChart  ‖∂h_t/∂x_1‖ against t, log y
//   2. computation is sequential      DrawStepsChart   sequential steps against n
//
// [SECTION] Index
//   - Panel state (the belt's animation, the sliders)
//   - Controls (play / pause / step / restart, length and scale sliders)
//   - Belt (the conveyor-belt figure)
//   - Charts (the two bottlenecks)
//   - State JSON (what the panel shows, for the tests)
//   - Panel
#include <imgui.h>

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "formats/json.h"
#include "lab/conveyor_belt.h"
#include "ui/chart/axis.h"
#include "ui/fonts.h"
#include "ui/panels/panels.h"
#include "ui/theme.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/line_chart.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Panel state
//-----------------------------------------------------------------------------

constexpr float kStepsPerSecond = 2.5f;  // how fast the cart moves while playing
constexpr float kScaleMin = 0.5f, kScaleMax = 2.0f;
constexpr float kSignalFloor = 1e-30f, kSignalCeiling = 1e12f;  // the signal chart's widest y range

// Series colours (Okabe–Ito indices), the same on the belt and in the charts.
constexpr int kRnnColor = 0, kBoundColor = 1, kAttentionColor = 2;
constexpr int kPositiveColor = 3, kNegativeColor = 0;  // the bars of h_t: orange > 0, blue < 0

struct SequenceState {
  int n = 16;                 // slider: sequence length
  float scale = 0.8f;         // slider: ‖W_h‖
  float position = 0.0f;      // the cart: 0 before the first word, t after word t (fractions between)
  float target = 0.0f;        // where the cart is moving to
  bool playing = false;       // "Play" pressed and the end not reached
  lab::ConveyorBelt belt;     // rebuilt when n or scale change
  ChartHover signal_hover, steps_hover;
};

SequenceState& State() {
  static SequenceState state;
  return state;
}

int CurrentStep(const SequenceState& st) { return static_cast<int>(std::floor(st.position + 1e-4f)); }
bool Moving(const SequenceState& st) { return st.position < st.target; }

void RebuildIfChanged(SequenceState& st) {
  if (st.belt.n == st.n && st.belt.recurrent_scale == st.scale) return;
  st.belt = lab::MakeConveyorBelt(st.n, st.scale);
  st.position = std::min(st.position, static_cast<float>(st.belt.n));
  st.target = std::min(st.target, static_cast<float>(st.belt.n));
}

// Moves the cart towards its target by this frame's share of the way.
void Animate(SequenceState& st) {
  if (!Moving(st)) { st.playing = false; return; }
  const float dt = std::min(ImGui::GetIO().DeltaTime, 0.1f);
  st.position = std::min(st.target, st.position + dt * kStepsPerSecond);
  if (st.position >= st.belt.n) st.playing = false;
}

//-----------------------------------------------------------------------------
// [SECTION] Controls
//-----------------------------------------------------------------------------

void Tooltip(Str text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", Tr(text));
}

void DrawControls(SequenceState& st) {
  const float n = static_cast<float>(st.belt.n);
  const std::string play = std::string(Tr(st.playing ? Str::SeqPause : Str::SeqPlay)) + "###seq_play";
  if (ImGui::Button(play.c_str())) {
    if (st.playing) {  // pause at the next word, not between two
      st.playing = false;
      st.target = std::ceil(st.position - 1e-4f);
    } else {
      if (st.position >= n) st.position = 0.0f;  // at the end: play again from the start
      st.playing = true;
      st.target = n;
    }
  }
  Hotspot("seq_play");
  Tooltip(Str::SeqPlayTooltip);
  ImGui::SameLine();
  if (ImGui::Button((std::string(Tr(Str::SeqStep)) + "###seq_step").c_str())) {
    st.playing = false;
    st.position = std::max(st.position, st.target);  // finish a move still under way
    st.target = std::min(n, static_cast<float>(CurrentStep(st) + 1));
  }
  Hotspot("seq_step");
  Tooltip(Str::SeqStepTooltip);
  ImGui::SameLine();
  if (ImGui::Button((std::string(Tr(Str::SeqRestart)) + "###seq_restart").c_str())) {
    st.playing = false;
    st.position = st.target = 0.0f;
  }
  Hotspot("seq_restart");
  Tooltip(Str::SeqRestartTooltip);

  // The sliders: side by side where they fit, one under the other on narrow screens.
  const float em = ImGui::GetFontSize();
  const float inner = ImGui::GetStyle().ItemInnerSpacing.x;
  const float slider_w = std::min(10.0f * em, ImGui::GetContentRegionAvail().x * 0.45f);
  SameLineIfFits(slider_w + inner + ImGui::CalcTextSize(Tr(Str::SeqLength)).x);
  ImGui::SetNextItemWidth(slider_w);
  ImGui::SliderInt((std::string(Tr(Str::SeqLength)) + "###seq_length").c_str(), &st.n, lab::kBeltMinLength,
                   lab::kBeltMaxLength, "%d", ImGuiSliderFlags_AlwaysClamp);
  Hotspot("seq_length");
  Tooltip(Str::SeqLengthTooltip);
  SameLineIfFits(slider_w + inner + ImGui::CalcTextSize(Tr(Str::SeqScale)).x);
  ImGui::SetNextItemWidth(slider_w);
  ImGui::SliderFloat((std::string(Tr(Str::SeqScale)) + "###seq_scale").c_str(), &st.scale, kScaleMin, kScaleMax,
                     "%.2f", ImGuiSliderFlags_AlwaysClamp);
  Hotspot("seq_scale");
  Tooltip(Str::SeqScaleTooltip);
}

//-----------------------------------------------------------------------------
// [SECTION] Belt
//-----------------------------------------------------------------------------

// The hidden state the cart shows at `position`: h_t while it travels, blending into h_{t+1}
// as it arrives at word t + 1.
Eigen::VectorXf CartState(const lab::ConveyorBelt& belt, float position) {
  const int t = static_cast<int>(std::floor(position));
  const float f = position - t;
  if (t >= belt.n || f < 0.6f) return belt.StateAt(t);
  const float a = (f - 0.6f) / 0.4f;
  return (1.0f - a) * belt.StateAt(t) + a * belt.StateAt(t + 1);
}

// The cart: a box on the belt holding one bar per hidden unit, up for h_i > 0, down for h_i < 0.
void DrawCart(ImDrawList* dl, ImVec2 min, ImVec2 max, const Eigen::VectorXf& h) {
  const float em = ImGui::GetFontSize();
  const ImU32 edge = ImGui::GetColorU32(ImGuiCol_Text, 0.55f);
  dl->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_ChildBg), 0.3f * em);
  dl->AddRect(min, max, edge, 0.3f * em, 0, 1.5f);
  const float pad = 0.3f * em;
  const float mid = (min.y + max.y) * 0.5f;
  const float half = (max.y - min.y) * 0.5f - pad;
  const int units = static_cast<int>(h.size());
  const float slot = (max.x - min.x - 2 * pad) / units;
  dl->AddLine(ImVec2(min.x + pad, mid), ImVec2(max.x - pad, mid), ImGui::GetColorU32(ImGuiCol_Text, 0.3f));
  for (int i = 0; i < units; ++i) {
    const float v = std::clamp(h(i), -1.0f, 1.0f);
    const float x0 = min.x + pad + i * slot + slot * 0.15f, x1 = x0 + slot * 0.7f;
    const float y = mid - v * half;
    dl->AddRectFilled(ImVec2(x0, std::min(y, mid)), ImVec2(x1, std::max(y, mid) + 0.5f),
                      OkabeIto(v >= 0 ? kPositiveColor : kNegativeColor));
  }
  const float r = 0.22f * em;  // wheels
  dl->AddCircleFilled(ImVec2(min.x + 0.25f * (max.x - min.x), max.y), r, edge);
  dl->AddCircleFilled(ImVec2(min.x + 0.75f * (max.x - min.x), max.y), r, edge);
}

// The attention arc: word `to` reads word `from` directly, in one step.
void DrawAttentionArc(ImDrawList* dl, float x_from, float x_to, float y_base, float y_top, float clip_min_x,
                      float clip_max_x, float alpha) {
  const float em = ImGui::GetFontSize();
  ImVec4 rgba = ImGui::ColorConvertU32ToFloat4(OkabeIto(kAttentionColor));
  rgba.w = alpha;
  const ImU32 col = ImGui::GetColorU32(rgba);
  dl->AddBezierCubic(ImVec2(x_from, y_base), ImVec2(x_from, y_top), ImVec2(x_to, y_top), ImVec2(x_to, y_base), col, 2.5f);
  const float a = 0.35f * em;  // arrow head, pointing down into word `to`
  dl->AddTriangleFilled(ImVec2(x_to, y_base + 0.1f * em), ImVec2(x_to - a, y_base - a * 1.4f),
                        ImVec2(x_to + a, y_base - a * 1.4f), col);
  const char* label = Tr(Str::SeqArcLabel);
  const float w = ImGui::CalcTextSize(label).x;
  float x = (x_from + x_to - w) * 0.5f;
  x = std::clamp(x, clip_min_x, std::max(clip_min_x, clip_max_x - w));
  dl->AddText(ImVec2(x, y_top - ImGui::GetTextLineHeight() - 0.15f * em), col, label);
}

// Where the belt's slots sit: slot 0 holds h_0, slot t the box of word t; each slot is as
// wide as its word needs. Centres in pixels from the belt's left end.
struct BeltLayout {
  std::vector<float> center, width;  // (n + 1)
  float total = 0.0f;

  float X(float position) const {  // the cart's centre at a fractional position
    const int last = static_cast<int>(center.size()) - 1;
    const int t = std::clamp(static_cast<int>(std::floor(position)), 0, last);
    const float f = std::clamp(position - t, 0.0f, 1.0f);
    return t == last ? center[t] : center[t] + f * (center[t + 1] - center[t]);
  }
  int SlotAt(float x) const {  // the slot under pixel x (nearest centre)
    int best = 0;
    for (int t = 1; t < static_cast<int>(center.size()); ++t)
      if (std::fabs(center[t] - x) < std::fabs(center[best] - x)) best = t;
    return best;
  }
};

BeltLayout LayoutBelt(const lab::ConveyorBelt& belt, const char* start_label) {
  const float em = ImGui::GetFontSize();
  BeltLayout lay;
  auto add = [&](float w) {
    lay.center.push_back(lay.total + w * 0.5f);
    lay.width.push_back(w);
    lay.total += w;
  };
  add(ImGui::CalcTextSize(start_label).x + 1.2f * em);
  for (const std::string& w : belt.words) add(std::max(2.8f * em, ImGui::CalcTextSize(w.c_str()).x + 1.6f * em));
  return lay;
}

void DrawBelt(SequenceState& st) {
  const lab::ConveyorBelt& belt = st.belt;
  const Palette& pal = GetPalette();
  const float em = ImGui::GetFontSize();
  const float line_h = ImGui::GetTextLineHeight();
  const float width = ImGui::GetContentRegionAvail().x;
  const char* h0 = "h_0 = 0";
  const BeltLayout lay = LayoutBelt(belt, h0);

  // Rows, top to bottom: the attention arc, the words, the cart riding on the belt.
  const float arc_h = line_h + 1.8f * em, box_h = line_h + 0.6f * em, gap = 0.8f * em;
  const float cart_h = 3.2f * em, belt_h = 0.8f * em, scroll_h = 0.7f * em;
  const float height = arc_h + box_h + gap + cart_h + belt_h + scroll_h;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##seq_belt", ImVec2(width, height));
  Hotspot("seq_belt");
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked();

  // A belt longer than the page scrolls only when the cart nears the right edge, so the first
  // word stays in view as long as it can.
  // The right end leaves room for the whole cart at the last word (it is wider than a short word).
  const float cart_w = 3.6f * em;
  const float right_end = std::max(lay.total, lay.X(static_cast<float>(belt.n)) + 0.5f * cart_w + 0.3f * em);
  const float scroll = right_end <= width ? 0.0f : std::clamp(lay.X(st.position) - 0.7f * width, 0.0f, right_end - width);
  auto slot_x = [&](float position) { return origin.x - scroll + lay.X(position); };

  const int mouse_slot = lay.SlotAt(ImGui::GetIO().MousePos.x - origin.x + scroll);
  if (clicked) {  // jump to the clicked word
    st.playing = false;
    st.position = st.target = static_cast<float>(mouse_slot);
  }

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(origin, ImVec2(origin.x + width, origin.y + height), true);
  const int step = CurrentStep(st);
  const float y_box = origin.y + arc_h, y_cart = y_box + box_h + gap, y_belt = y_cart + cart_h;
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);

  // Words: read ones filled, the current one outlined in the accent colour, later ones faint.
  const int chart_hovered_step = st.signal_hover.series >= 0 ? st.signal_hover.index + 1 : -1;
  for (int t = 1; t <= belt.n; ++t) {
    const float cx = slot_x(static_cast<float>(t)), half = lay.width[t] * 0.5f - 0.25f * em;
    const ImVec2 a(cx - half, y_box), b(cx + half, y_box + box_h);
    const bool read = t <= step;
    ImU32 fill = ImGui::GetColorU32(read ? ImGuiCol_FrameBg : ImGuiCol_ChildBg);
    if (hovered && mouse_slot == t) fill = ImGui::GetColorU32(ImGuiCol_FrameBgHovered);
    dl->AddRectFilled(a, b, fill, 0.3f * em);
    if (t == step) dl->AddRect(a, b, pal.accent, 0.3f * em, 0, 2.5f);
    else if (t == chart_hovered_step) dl->AddRect(a, b, OkabeIto(kRnnColor), 0.3f * em, 0, 2.0f);
    else dl->AddRect(a, b, ImGui::GetColorU32(ImGuiCol_Border), 0.3f * em);
    const char* word = belt.words[t - 1].c_str();
    const float w = ImGui::CalcTextSize(word).x;
    dl->AddText(ImVec2(cx - w * 0.5f, y_box + 0.3f * em), read ? text_col : pal.muted_text, word);
  }
  dl->AddText(ImVec2(slot_x(0) - ImGui::CalcTextSize(h0).x * 0.5f, y_box + 0.3f * em), pal.muted_text, h0);

  // The belt, its stripes moving with the cart, and the word just read dropping onto it.
  const float belt_l = std::max(origin.x, slot_x(0) - lay.width[0] * 0.45f);
  const float belt_r = std::min(origin.x + width, slot_x(static_cast<float>(belt.n)) + lay.width[belt.n] * 0.45f);
  dl->AddRectFilled(ImVec2(belt_l, y_belt), ImVec2(belt_r, y_belt + belt_h), ImGui::GetColorU32(ImGuiCol_Border, 0.8f),
                    belt_h * 0.5f);
  const float stripe = 1.2f * em;
  const float phase = std::fmod(slot_x(st.position) - origin.x, stripe);
  for (float x = origin.x + phase - stripe; x < belt_r; x += stripe)
    if (x > belt_l + 0.3f * em && x < belt_r - 0.3f * em)
      dl->AddLine(ImVec2(x, y_belt + 0.2f * belt_h), ImVec2(x + 0.25f * em, y_belt + 0.8f * belt_h),
                  ImGui::GetColorU32(ImGuiCol_WindowBg, 0.8f), 1.5f);
  if (step >= 1) {
    const float cx = slot_x(static_cast<float>(step));
    dl->AddLine(ImVec2(cx, y_box + box_h), ImVec2(cx, y_cart - 0.15f * em), pal.accent, 2.0f);
  }

  // The cart with h_t.
  const float cx = slot_x(st.position);
  DrawCart(dl, ImVec2(cx - cart_w * 0.5f, y_cart), ImVec2(cx + cart_w * 0.5f, y_belt - 0.1f * em),
           CartState(belt, st.position));
  HotspotRect("seq_cart", ImVec2(cx - cart_w * 0.5f, y_cart), ImVec2(cx + cart_w * 0.5f, y_belt - 0.1f * em));

  // Self-attention's shortcut: the current word reads the first word directly. Before the
  // cart has gone anywhere, faintly: the last word reads the first one in one step.
  const int reader = step >= 2 ? step : belt.n;
  DrawAttentionArc(dl, slot_x(1.0f), slot_x(static_cast<float>(reader)), y_box - 0.1f * em, origin.y + line_h + 0.5f * em,
                   origin.x, origin.x + width, step >= 2 ? 1.0f : 0.45f);

  // Where the view is on a belt longer than the page.
  if (lay.total > width) {
    const float y = y_belt + belt_h + 0.35f * em;
    dl->AddLine(ImVec2(origin.x, y), ImVec2(origin.x + width, y), ImGui::GetColorU32(ImGuiCol_Border, 0.5f), 3.0f);
    const float a = origin.x + scroll / lay.total * width, b = origin.x + (scroll + width) / lay.total * width;
    dl->AddLine(ImVec2(a, y), ImVec2(b, y), pal.muted_text, 3.0f);
  }
  dl->PopClipRect();

  // What the cart carries now, in words.
  char line[512];
  if (step == 0) {
    std::snprintf(line, sizeof line, "%s", Tr(Str::SeqBeltStart));
  } else {
    std::snprintf(line, sizeof line, Tr(Str::SeqBeltStatus), step, belt.n, belt.words[step - 1].c_str(),
                  belt.words[0].c_str(), chart::FormatValue(belt.sensitivity[step - 1]).c_str(),
                  chart::FormatValue(belt.sensitivity[0]).c_str());
  }
  Paragraph(line);
}

//-----------------------------------------------------------------------------
// [SECTION] Charts
//-----------------------------------------------------------------------------

void Subheading(Str text) { Paragraph(Tr(text), GetPalette().accent); }

// Bottleneck 1: ‖∂h_t/∂x_1‖ for t = 1 … n, its bound ‖W_h‖^(t−1)‖∂h_1/∂x_1‖, and self-attention's
// path of length 1 (as strong at any distance as after one step).
void DrawSignalChart(SequenceState& st) {
  const lab::ConveyorBelt& belt = st.belt;
  std::vector<float> t(belt.n), attention(belt.n, belt.sensitivity[0]);
  for (int i = 0; i < belt.n; ++i) t[i] = static_cast<float>(i + 1);
  const ChartSeries series[] = {
      {Tr(Str::SeqSeriesRnn), t.data(), belt.sensitivity.data(), belt.n, kRnnColor, false},
      {Tr(Str::SeqSeriesBound), t.data(), belt.bound.data(), belt.n, kBoundColor, true},
      {Tr(Str::SeqSeriesAttention), t.data(), attention.data(), belt.n, kAttentionColor, false},
  };
  ChartAxes axes;
  axes.x_label = Tr(Str::SeqSignalX);
  axes.y_label = Tr(Str::SeqSignalY);
  axes.x_min = 1.0f;
  axes.x_max = static_cast<float>(belt.n);
  // The y range follows the data in whole decades, within kSignalFloor … kSignalCeiling (an
  // exploding bound would otherwise squash the RNN's own curve into a line).
  double lo = belt.sensitivity[0], hi = belt.sensitivity[0];
  for (const std::vector<float>* v : {&belt.sensitivity, &belt.bound})
    for (float x : *v)
      if (x > 0.0f) { lo = std::min<double>(lo, x); hi = std::max<double>(hi, x); }
  lo = std::max<double>(lo, kSignalFloor);
  hi = std::min<double>(std::max(hi, 10.0 * lo), kSignalCeiling);
  chart::NiceRange(&lo, &hi, true);
  axes.y_min = static_cast<float>(lo);
  axes.y_max = static_cast<float>(hi);
  axes.log_y = true;
  axes.x_integers = true;
  const int step = CurrentStep(st);
  if (step >= 1) axes.marker_x = static_cast<float>(step);
  LineChart("##seq_signal", axes, series, 0.0f, 17.0f * ImGui::GetFontSize(), &st.signal_hover);
  Hotspot("seq_chart_signal");
}

// Bottleneck 2: the sequential steps one layer needs for a sequence of length n — an RNN n,
// self-attention 1 (its n² scores all run in parallel).
void DrawStepsChart(SequenceState& st) {
  const int count = lab::kBeltMaxLength - lab::kBeltMinLength + 1;
  std::vector<float> n(count), attention(count, 1.0f);
  for (int i = 0; i < count; ++i) n[i] = static_cast<float>(lab::kBeltMinLength + i);
  const ChartSeries series[] = {
      {Tr(Str::SeqSeriesRnnSteps), n.data(), n.data(), count, kRnnColor, false},
      {Tr(Str::SeqSeriesAttnSteps), n.data(), attention.data(), count, kAttentionColor, false},
  };
  ChartAxes axes;
  axes.x_label = Tr(Str::SeqLength);
  axes.y_label = Tr(Str::SeqStepsY);
  axes.y_min = 0.0f;
  axes.y_max = static_cast<float>(lab::kBeltMaxLength);
  axes.x_integers = true;
  axes.marker_x = static_cast<float>(st.belt.n);
  LineChart("##seq_steps", axes, series, 0.0f, 13.0f * ImGui::GetFontSize(), &st.steps_hover);
  Hotspot("seq_chart_steps");
}

//-----------------------------------------------------------------------------
// [SECTION] State JSON
//-----------------------------------------------------------------------------

void AppendNumber(std::string& out, double v) {
  if (!std::isfinite(v)) { out += "null"; return; }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  out += buf;
}

template <typename Vec>
void AppendArray(std::string& out, const Vec& values, int count) {
  out += '[';
  for (int i = 0; i < count; ++i) {
    if (i) out += ',';
    AppendNumber(out, values[i]);
  }
  out += ']';
}

std::string HoverJson(const ChartHover& h) {
  return "{\"series\":" + std::to_string(h.series) + ",\"index\":" + std::to_string(h.index) + "}";
}

// {"n", "recurrent_scale", "hidden_units", "step", "position", "playing", "moving", "words",
//  "hidden_state" (h_step), "sensitivity" / "bound" (t = 1 … n), "attention_path_length",
//  "sequential_steps": {"rnn", "attention"}, "hovered": {"signal", "steps"}}
std::string StateJson(const SequenceState& st) {
  const lab::ConveyorBelt& belt = st.belt;
  const int step = CurrentStep(st);
  std::string out = "{\"n\":" + std::to_string(belt.n);
  out += ",\"recurrent_scale\":";
  AppendNumber(out, belt.recurrent_scale);
  out += ",\"hidden_units\":" + std::to_string(lab::kBeltHidden);
  out += ",\"step\":" + std::to_string(step) + ",\"position\":";
  AppendNumber(out, st.position);
  out += std::string(",\"playing\":") + (st.playing ? "true" : "false");
  out += std::string(",\"moving\":") + (Moving(st) ? "true" : "false");
  out += ",\"words\":[";
  for (int i = 0; i < belt.n; ++i) {
    if (i) out += ',';
    out += json::Quote(belt.words[i]);
  }
  out += "],\"hidden_state\":";
  const Eigen::VectorXf& h = belt.StateAt(step);
  AppendArray(out, h, static_cast<int>(h.size()));
  out += ",\"sensitivity\":";
  AppendArray(out, belt.sensitivity, belt.n);
  out += ",\"bound\":";
  AppendArray(out, belt.bound, belt.n);
  out += ",\"attention_path_length\":1";
  out += ",\"sequential_steps\":{\"rnn\":" + std::to_string(belt.n) + ",\"attention\":1}";
  out += ",\"hovered\":{\"signal\":" + HoverJson(st.signal_hover) + ",\"steps\":" + HoverJson(st.steps_hover) + "}}";
  return out;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Panel
//-----------------------------------------------------------------------------

void DrawSequenceChallengePanel(AppState& app, session::Session&) {
  SequenceState& st = State();
  RebuildIfChanged(st);
  if (const std::string step = TakeOption(app, "seq.step"); !step.empty()) {  // --option seq.step=16 (screenshots)
    st.playing = false;
    st.position = st.target = std::clamp(static_cast<float>(std::atoi(step.c_str())), 0.0f, static_cast<float>(st.belt.n));
  }
  Animate(st);

  ImGui::PushFont(ActiveFonts().heading);
  Paragraph(Tr(Str::NavSequence));
  ImGui::PopFont();
  Paragraph(Tr(Str::SequenceIntro));
  Paragraph(Tr(Str::SequenceKeyIdea), GetPalette().accent);
  ImGui::Spacing();

  Subheading(Str::SeqBeltHeading);
  Paragraph(Tr(Str::SeqBeltText));
  ImGui::TextUnformatted(Tr(Str::SeqFormula));
  ImGui::Spacing();
  DrawControls(st);
  RebuildIfChanged(st);  // the sliders may have moved
  ImGui::Spacing();
  DrawBelt(st);

  ImGui::Spacing();
  ImGui::Separator();
  Subheading(Str::SeqSignalHeading);
  Paragraph(Tr(Str::SeqSignalText));
  DrawSignalChart(st);

  ImGui::Spacing();
  ImGui::Separator();
  Subheading(Str::SeqStepsHeading);
  Paragraph(Tr(Str::SeqStepsText));
  DrawStepsChart(st);

  PublishPanelState("sequence", StateJson(st));
  // While the cart moves (also from a click this frame) the app must draw the next frame
  // without waiting for input.
  if (Moving(st)) RequestAnimation();
}

}  // namespace attn::ui
