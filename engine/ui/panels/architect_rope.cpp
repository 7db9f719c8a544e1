// 11.3 架构师视角 · RoPE: q and k are rotated by their positions m and n before q·k, so the
// score depends only on m − n (lab/rope.h):
//
//   pair k of q at position m turns by m·θ_k,  θ_k = 10000^(−2k/d);  q_m·k_n = f(q, k, m − n)
//
// A toy q and k of 8 numbers (4 pairs); the plot shows one pair before and after turning.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "lab/rope.h"
#include "ui/panels/architect_parts.h"
#include "ui/text/format.h"
#include "ui/theme.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

namespace {

constexpr int kRopeDim = 8;               // 4 pairs: θ = 1, 0.1, 0.01, 0.001
constexpr float kRopeBase = 10000.0f;
const std::vector<float> kRopeQ = {0.9f, 0.35f, -0.4f, 0.8f, 0.6f, -0.5f, 0.3f, 0.7f};
const std::vector<float> kRopeK = {0.7f, -0.5f, 0.5f, 0.6f, -0.3f, -0.8f, 0.65f, 0.2f};

struct RopeState {
  int m = 5, n = 2, pair = 0;
};
RopeState rope;

float Theta(int pair) { return static_cast<float>(std::pow(static_cast<double>(kRopeBase), -2.0 * pair / kRopeDim)); }

}  // namespace

static void DashedLine(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness) {
  const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy), dash = 5.0f;
  for (float t = 0; t < len; t += 2 * dash) {
    const float t1 = std::min(len, t + dash);
    dl->AddLine(ImVec2(a.x + dx * t / len, a.y + dy * t / len), ImVec2(a.x + dx * t1 / len, a.y + dy * t1 / len), col, thickness);
  }
}

static void ArrowTo(ImDrawList* dl, ImVec2 from, ImVec2 to, ImU32 col, float thickness, bool dashed) {
  const float dx = to.x - from.x, dy = to.y - from.y, len = std::max(1e-3f, std::sqrt(dx * dx + dy * dy));
  const float ux = dx / len, uy = dy / len, s = ImGui::GetFontSize() * 0.55f;
  const ImVec2 base(to.x - ux * s, to.y - uy * s);
  if (dashed) DashedLine(dl, from, base, col, thickness);
  else dl->AddLine(from, base, col, thickness);
  dl->AddTriangleFilled(to, ImVec2(base.x - uy * s * 0.45f, base.y + ux * s * 0.45f),
                        ImVec2(base.x + uy * s * 0.45f, base.y - ux * s * 0.45f), col);
}

// Pair `pair` of q and k on the plane, before (dashed) and after (solid) their rotations.
static void RopePlot(float size) {
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("rope-plot", ImVec2(size, size));
  Hotspot("rope_plot");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 c(o.x + size / 2, o.y + size / 2);
  const float R = size * 0.42f;
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Text, 0.15f);
  dl->AddCircle(c, R, ImGui::GetColorU32(ImGuiCol_Text, 0.3f), 64, 1.0f);
  dl->AddLine(ImVec2(c.x - R * 1.1f, c.y), ImVec2(c.x + R * 1.1f, c.y), grid);
  dl->AddLine(ImVec2(c.x, c.y - R * 1.1f), ImVec2(c.x, c.y + R * 1.1f), grid);
  const int p = rope.pair;
  const float q0[2] = {kRopeQ[2 * p], kRopeQ[2 * p + 1]}, k0[2] = {kRopeK[2 * p], kRopeK[2 * p + 1]};
  const float scale = R / std::max({std::hypot(q0[0], q0[1]), std::hypot(k0[0], k0[1]), 1e-6f});
  const float theta = Theta(p);
  struct Vec { const float* v; float angle; ImU32 col; const char* name; };
  const Vec vecs[2] = {{q0, rope.m * theta, Categorical(5), "q"}, {k0, rope.n * theta, Categorical(4), "k"}};
  float angles[2];
  for (int i = 0; i < 2; ++i) {
    const Vec& v = vecs[i];
    const ImVec2 before(c.x + v.v[0] * scale, c.y - v.v[1] * scale);  // y up on the plot
    const float cs = std::cos(v.angle), sn = std::sin(v.angle);
    const float x = v.v[0] * cs - v.v[1] * sn, y = v.v[0] * sn + v.v[1] * cs;  // the rotation ApplyRope does
    const ImVec2 after(c.x + x * scale, c.y - y * scale);
    ArrowTo(dl, c, before, (v.col & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 110), 1.5f, true);
    ArrowTo(dl, c, after, v.col, 2.5f, false);
    dl->AddText(ImVec2(after.x + 4, after.y - ImGui::GetFontSize()), v.col, v.name);
    angles[i] = std::atan2(y, x);
  }
  // The angle between the rotated vectors: all that the score depends on.
  float a0 = angles[1], a1 = angles[0];
  while (a1 - a0 > 3.14159265f) a1 -= 6.2831853f;
  while (a1 - a0 < -3.14159265f) a1 += 6.2831853f;
  dl->PathClear();
  const int steps = 24;
  for (int s = 0; s <= steps; ++s) {
    const float a = a0 + (a1 - a0) * s / steps;
    dl->PathLineTo(ImVec2(c.x + R * 0.3f * std::cos(a), c.y - R * 0.3f * std::sin(a)));
  }
  dl->PathStroke(GetPalette().accent, 0, 2.0f);
}

static void DrawRope(session::Session&) {
  Paragraph(Tr(Str::RopeIntro));
  ImGui::Spacing();
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(IdLabel(Str::RopeM, "rope-m").c_str(), &rope.m, 0, 64);
  Hotspot("rope_m");
  Flow(LabeledWidth(Str::RopeN));
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(IdLabel(Str::RopeN, "rope-n").c_str(), &rope.n, 0, 64);
  Hotspot("rope_n");
  Flow(SliderWidth() * 1.3f + ImGui::CalcTextSize(Tr(Str::RopePair)).x);
  char pair_text[64];
  std::snprintf(pair_text, sizeof pair_text, Tr(Str::RopePairFormat), rope.pair, Theta(rope.pair));
  ImGui::SetNextItemWidth(SliderWidth() * 1.3f);
  ImGui::SliderInt(IdLabel(Str::RopePair, "rope-pair").c_str(), &rope.pair, 0, kRopeDim / 2 - 1, pair_text);
  Hotspot("rope_pair");
  ImGui::Spacing();

  const float em = ImGui::GetFontSize();
  const float plot = std::min(15 * em, ImGui::GetContentRegionAvail().x);
  ImGui::BeginGroup();
  RopePlot(plot);
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(Categorical(5)), "%s", Tr(Str::RopeQ));
  ImGui::SameLine();
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(Categorical(4)), "%s", Tr(Str::RopeK));
  ImGui::EndGroup();
  if (ImGui::GetContentRegionAvail().x - plot > 18 * em) ImGui::SameLine(0, 2 * em);
  ImGui::BeginGroup();
  char line[256];
  std::snprintf(line, sizeof line, Tr(Str::RopeScore), lab::RopeScore(kRopeQ, kRopeK, rope.m, rope.n, kRopeBase), kRopeDim, kRopeDim);
  Paragraph(line);
  Paragraph(Tr(Str::RopePlotNote), GetPalette().muted_text);
  ImGui::Spacing();
  Paragraph(Tr(Str::RopeTable));
  const int shifts[4] = {0, 1, 10, 100};
  if (ImGui::BeginTable("rope-table", 4, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit,
                        ImVec2(std::min(ImGui::GetContentRegionAvail().x, 20 * em), 0))) {
    ImGui::TableSetupColumn("m");
    ImGui::TableSetupColumn("n");
    ImGui::TableSetupColumn(Tr(Str::RopeColDiff));
    ImGui::TableSetupColumn("q·k");
    ImGui::TableHeadersRow();
    auto row = [&](int m, int n, const char* note) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d", m);
      ImGui::TableNextColumn();
      ImGui::Text("%d", n);
      ImGui::TableNextColumn();
      ImGui::Text("%d", m - n);
      ImGui::TableNextColumn();
      ImGui::Text("%.5f", lab::RopeScore(kRopeQ, kRopeK, m, n, kRopeBase));
      if (*note) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", note);
      }
    };
    for (int k : shifts) row(rope.m + k, rope.n + k, "");
    row(rope.m + 1, rope.n, Tr(Str::RopeOtherDistance));
    ImGui::EndTable();
  }
  ImGui::EndGroup();
  ImGui::Spacing();
  Paragraph(Tr(Str::RopeWhy));
}

static std::string RopeJson(session::Session&) {
  std::string j = "\"rope\":{\"m\":" + std::to_string(rope.m) + ",\"n\":" + std::to_string(rope.n) +
                  ",\"pair\":" + std::to_string(rope.pair) + ",\"dim\":" + std::to_string(kRopeDim) +
                  ",\"base\":" + JsonNumber(kRopeBase) + ",\"q\":" + JsonFloats(kRopeQ) + ",\"k\":" + JsonFloats(kRopeK) +
                  ",\"score\":" + JsonNumber(lab::RopeScore(kRopeQ, kRopeK, rope.m, rope.n, kRopeBase)) + ",\"same_distance\":[";
  const int shifts[4] = {0, 1, 10, 100};
  for (int i = 0; i < 4; ++i) {
    const int m = rope.m + shifts[i], n = rope.n + shifts[i];
    j += (i ? ",[" : "[") + std::to_string(m) + "," + std::to_string(n) + "," + JsonNumber(lab::RopeScore(kRopeQ, kRopeK, m, n, kRopeBase)) + "]";
  }
  return j + "]}";
}

// rope.m, rope.n, rope.pair.
static void ReadRopeOptions(AppState& app) {
  TakeIntOption(app, "rope.m", &rope.m);
  TakeIntOption(app, "rope.n", &rope.n);
  TakeIntOption(app, "rope.pair", &rope.pair);
  rope.m = std::clamp(rope.m, 0, 64);
  rope.n = std::clamp(rope.n, 0, 64);
  rope.pair = std::clamp(rope.pair, 0, kRopeDim / 2 - 1);
}

extern const ArchitectFigure kArchitectRope = {"rope", Str::ArchViewRope, DrawRope, ReadRopeOptions, nullptr, RopeJson};

}  // namespace attn::ui
