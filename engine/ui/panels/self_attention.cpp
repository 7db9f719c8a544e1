// 11.2 自注意力 — the database analogy, animated: hover a token of "The cat sat on the mat"
// and see where its attention goes; then watch the formula one step at a time.
//
//   s_ij = q_i · k_j / √d        w_ij = softmax_j(s_ij)        out_i = Σ_j w_ij v_j
//
// Two sources of q, k, v: the toy example (lab/toy_attention.h: hand-made 4-feature word
// vectors, bidirectional, editable projections) and the loaded GPT-2 (one layer and head of
// the session's Trace, or the mean of a layer's heads; causal: future tokens get weight 0).
//
// [SECTION] Index
//   - View: q, k, v and weights of the chosen source, in one shape
//   - Hover figure: token strip + arcs, with smooth transitions; the whole matrix
//   - Step by step: query → keys → scores → ÷√d → softmax → values → new vector
//   - Panel
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <vector>

#include "formats/json.h"
#include "lab/toy_attention.h"
#include "ui/fonts.h"
#include "ui/model_dialog.h"
#include "ui/panels/panels.h"
#include "ui/text/format.h"
#include "ui/theme.h"
#include "ui/widgets/bar_chart.h"
#include "ui/widgets/callout.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/heatmap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layer_head_picker.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"
#include "ui/widgets/text_field.h"
#include "ui/widgets/token_strip.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] View
//-----------------------------------------------------------------------------

// What the figures draw, whichever source it came from.
struct AttentionView {
  std::vector<session::TokenLabel> labels;
  int head_dim = 0;                           // 0: no q/k/v (mean of heads, or over the memory budget)
  std::vector<std::vector<float>> q, k, v;    // [token][head_dim]
  std::vector<std::vector<float>> weights;    // [i][j], rows sum to 1
  bool causal = false;
};

struct SelfAttentionState {
  bool model_mode = false;
  char toy_sentence[256] = "The cat sat on the mat";
  SentenceField model_sentence;  // the session's text, edited here in model mode
  std::string toy_follows = session::Session::kDefaultText;  // the app's sentence the toy last took
  int requested_token = -1;                   // sa.token option, applied once tokens exist
  int open_matrix = 0;                        // sa.matrix=1 opens the matrix figure
  int layer = 0, head = 0;
  bool mean_heads = false;
  int selected = 2;                           // "sat"
  uint64_t seen_version = 0;
  lab::ToyWeights toy = lab::ToyWeights::Default();
  std::vector<float> shown;                   // weights on screen, easing towards the target
  float arc_progress = 1.0f;
  int stage = 0;                              // step by step: 0..kStages-1
  int shown_stage = -1;                       // the stage last brought into view (-1: none yet)
  bool playing = false;
  float speed = 1.0f, stage_clock = 0.0f;
};

static SelfAttentionState g;
constexpr int kStages = 7;

// The toy reads whatever sentence the app has (the host page's "Send", another panel) when it
// changes; its own field edits only the toy's copy.
static void ToyFollowsAppSentence(const session::Session& session) {
  if (session.text() == g.toy_follows) return;
  g.toy_follows = session.text();
  std::string s = session.text().substr(0, sizeof g.toy_sentence - 1);
  while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();  // no half
  if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();              // characters
  std::snprintf(g.toy_sentence, sizeof g.toy_sentence, "%s", s.c_str());
  g.selected = 0;
}

// Says which words of the toy's sentence it has no vector for, and which words it knows: a
// flat 0.20 over unknown words must not look like something the toy computed about them.
static void ToyVocabularyNote() {
  const bool zh = i18n::GetLanguage() == i18n::Lang::Zh;
  auto join = [&](const std::vector<std::string>& words, bool quote) {
    std::string out;
    for (const std::string& w : words) {
      if (!out.empty()) out += zh ? "、" : ", ";
      out += quote ? (zh ? "“" + w + "”" : "\"" + w + "\"") : w;
    }
    return out;
  };
  std::vector<std::string> unknown;
  for (std::string w : lab::ToyWords(g.toy_sentence)) {
    if (lab::ToyKnows(w)) continue;
    const auto letter = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); };
    while (!w.empty() && !letter(w.back())) w.pop_back();  // "fixed." is shown as "fixed"
    w.erase(w.begin(), std::find_if(w.begin(), w.end(), letter));
    if (!w.empty() && std::find(unknown.begin(), unknown.end(), w) == unknown.end()) unknown.push_back(w);
  }
  const Palette& pal = GetPalette();
  char text[1536];
  if (!unknown.empty()) {
    std::snprintf(text, sizeof text, Tr(Str::SelfAttnToyUnknown), join(unknown, true).c_str());
    Paragraph(text, pal.badge_text);
  }
  std::snprintf(text, sizeof text, Tr(Str::SelfAttnToyKnows), join(lab::ToyLexicon(0), false).c_str(),
                join(lab::ToyLexicon(1), false).c_str(), join(lab::ToyLexicon(2), false).c_str());
  Paragraph(text, pal.muted_text);
}

static AttentionView ToyView(const SelfAttentionState& s) {
  AttentionView view;
  const std::vector<std::string> words = lab::ToyWords(s.toy_sentence);
  const lab::ToyAttention a = lab::RunToyAttention(words, s.toy);
  view.labels = WordLabels(words);
  view.head_dim = lab::kToyHead;
  view.q = a.q;
  view.k = a.k;
  view.v = a.v;
  view.weights = a.weights;
  return view;
}

static AttentionView ModelView(session::Session& session, const SelfAttentionState& s) {
  AttentionView view;
  view.causal = !session.interventions().bidirectional;
  view.labels = session.labels();
  const model::Trace& t = session.trace();
  const int n = t.count;
  if (n == 0 || static_cast<int>(view.labels.size()) != n) return view;
  const int hd = t.n_embd / t.n_head;
  view.weights.assign(n, std::vector<float>(n, 0.0f));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (s.mean_heads) {
        float sum = 0.0f;
        for (int h = 0; h < t.n_head; ++h) sum += t.Attention(s.layer, h, i, j);
        view.weights[i][j] = sum / t.n_head;
      } else {
        view.weights[i][j] = t.Attention(s.layer, s.head, i, j);
      }
    }
  if (!s.mean_heads && !t.q.empty()) {
    view.head_dim = hd;
    auto slice = [&](const std::vector<float>& all, int i) {
      const float* row = all.data() + (static_cast<size_t>(s.layer) * n + i) * t.n_embd + s.head * hd;
      return std::vector<float>(row, row + hd);
    };
    for (int i = 0; i < n; ++i) {
      view.q.push_back(slice(t.q, i));
      view.k.push_back(slice(t.k, i));
      view.v.push_back(slice(t.v, i));
    }
  }
  return view;
}

// The scores of token i before and after scaling, recomputed from q and k (step by step
// shows them; softmax of the scaled row equals the weights the model used).
static void Scores(const AttentionView& view, int i, std::vector<float>* raw, std::vector<float>* scaled) {
  const int n = static_cast<int>(view.labels.size());
  raw->assign(n, 0.0f);
  scaled->assign(n, 0.0f);
  for (int j = 0; j < n; ++j) {
    if (view.causal && j > i) { (*raw)[j] = (*scaled)[j] = -INFINITY; continue; }
    float dot = 0.0f;
    for (int d = 0; d < view.head_dim; ++d) dot += view.q[i][d] * view.k[j][d];  // q_i · k_j
    (*raw)[j] = dot;
    (*scaled)[j] = dot / std::sqrt(static_cast<float>(view.head_dim));        // ÷ √d
  }
}

static std::vector<bool> FutureMask(const AttentionView& view, int i) {
  std::vector<bool> dim(view.labels.size(), false);
  if (view.causal)
    for (size_t j = i + 1; j < dim.size(); ++j) dim[j] = true;
  return dim;
}

//-----------------------------------------------------------------------------
// [SECTION] Hover figure
//-----------------------------------------------------------------------------

// Eases the weights on screen towards `target` (about 150 ms), so a change of the hovered
// token flows instead of jumping.
static void EaseWeights(const std::vector<float>& target) {
  if (g.shown.size() != target.size()) g.shown.assign(target.size(), 0.0f);
  const float k = 1.0f - std::exp(-ImGui::GetIO().DeltaTime * 20.0f);
  bool moving = false;
  for (size_t j = 0; j < target.size(); ++j) {
    g.shown[j] += (target[j] - g.shown[j]) * k;
    if (std::fabs(target[j] - g.shown[j]) > 0.002f) moving = true;
    else g.shown[j] = target[j];
  }
  if (g.arc_progress < 1.0f) {
    g.arc_progress = std::min(1.0f, g.arc_progress + ImGui::GetIO().DeltaTime * 5.0f);
    moving = true;
  }
  if (moving) RequestAnimation();
}

static void HoverFigure(const AttentionView& view) {
  const int n = static_cast<int>(view.labels.size());
  if (g.selected >= n) g.selected = n - 1;
  const std::vector<float>& target = view.weights[std::max(g.selected, 0)];
  EaseWeights(target);
  const std::vector<bool> dim = FutureMask(view, g.selected);
  TokenStripStyle style;
  style.tint = g.shown.data();
  style.dimmed = &dim;
  style.numbers = &g.shown;
  style.selected = g.selected;
  style.arc_room = ImGui::GetFontSize() * 5.0f;
  std::vector<TokenBox> boxes;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->ChannelsSplit(2);  // arcs under the boxes
  dl->ChannelsSetCurrent(1);
  const TokenStripResult r = TokenStrip("sa", view.labels, style, &boxes);  // hotspots sa-token-0, …
  dl->ChannelsSetCurrent(0);
  AttentionArcs(boxes, g.selected, g.shown, GetPalette().accent, g.arc_progress);
  dl->ChannelsMerge();
  // The pointer picks a token when it moves onto it (a pointer resting where a new sentence
  // puts a token does not steal the selection); keyboard focus and taps pick it too.
  const ImVec2 delta = ImGui::GetIO().MouseDelta;
  const bool pointer_moved = delta.x != 0.0f || delta.y != 0.0f;
  const int pick = r.clicked >= 0 ? r.clicked : (r.hovered >= 0 && pointer_moved) ? r.hovered : r.focused;
  if (pick >= 0 && pick != g.selected) {
    g.selected = pick;
    g.arc_progress = 0.0f;
    g.stage = std::min(g.stage, kStages - 1);
  }
}

// The whole matrix at once: row i is token i's weights (the strip above shows one row).
static void MatrixFigure(const AttentionView& view) {
  if (g.open_matrix) {
    ImGui::SetNextItemOpen(true);
    g.open_matrix = 0;
  }
  if (!ImGui::CollapsingHeader((std::string(Tr(Str::SelfAttnMatrix)) + "###sa-matrix").c_str())) return;
  const int n = static_cast<int>(view.labels.size());
  std::vector<float> flat;
  for (const auto& row : view.weights) flat.insert(flat.end(), row.begin(), row.end());
  std::vector<std::string> names;
  for (const auto& l : view.labels) names.push_back(l.text);
  HeatmapSpec spec;
  spec.values = flat.data();
  spec.rows = spec.cols = n;
  spec.row_labels = spec.col_labels = &names;
  spec.highlight_row = g.selected;
  const HeatmapHover h = Heatmap("sa-heatmap", spec);
  Hotspot("sa_heatmap");
  if (h.clicked && h.row != g.selected) {
    g.selected = h.row;
    g.arc_progress = 0.0f;
  }
  Paragraph(Tr(Str::SelfAttnMatrixHelp), GetPalette().muted_text);
}

//-----------------------------------------------------------------------------
// [SECTION] Step by step
//-----------------------------------------------------------------------------

// A vector as a row of small coloured cells (blue negative, orange positive); values on hover.
static void VectorCells(const char* id, const std::vector<float>& v, float scale, float weight = 1.0f) {
  const float em = ImGui::GetFontSize();
  const int n = static_cast<int>(v.size());
  const float cell = n <= 4 ? 2.6f * em : std::max(0.35f * em, std::min(0.9f * em, 22.0f * em / n));
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(cell * n, n <= 4 ? 1.4f * em : 0.9f * em));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float h = ImGui::GetItemRectSize().y;
  for (int d = 0; d < n; ++d) {
    const ImU32 c = Diverging(scale > 0 ? v[d] / scale : 0.0f, 0.25f + 0.75f * weight);
    const ImVec2 a(o.x + d * cell, o.y), b(o.x + (d + 1) * cell - 1, o.y + h);
    dl->AddRectFilled(a, b, c);
    if (n <= 4) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.2f", v[d]);
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      dl->AddText(ImVec2((a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2), TextOn(c), buf);
    }
  }
  if (ImGui::IsItemHovered() && n > 4) {
    const int d = std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - o.x) / cell), 0, n - 1);
    ImGui::SetTooltip("[%d] = %.3f", d, v[d]);
  }
}

static float MaxAbs(const std::vector<std::vector<float>>& rows) {
  float m = 1e-6f;
  for (const auto& r : rows)
    for (float x : r) m = std::max(m, std::fabs(x));
  return m;
}

static void StepControls() {
  const char* play = Tr(g.playing ? Str::SelfAttnPause : Str::SelfAttnPlay);
  if (ImGui::Button((std::string(play) + "###sa-play").c_str())) {
    if (!g.playing && g.stage == kStages - 1) g.stage = 0;
    g.playing = !g.playing;
    g.stage_clock = 0.0f;
  }
  Hotspot("sa_play");
  ImGui::SameLine();
  if (ImGui::Button((std::string(Tr(Str::SelfAttnStep)) + "###sa-step").c_str())) {
    g.stage = (g.stage + 1) % kStages;
    g.playing = false;
  }
  Hotspot("sa_step");
  ImGui::SameLine();
  if (ImGui::Button((std::string(Tr(Str::SelfAttnRestart)) + "###sa-restart").c_str())) {
    g.stage = 0;
    g.stage_clock = 0.0f;
  }
  Hotspot("sa_restart");
  const float speed_w = ImGui::GetFontSize() * 7;
  SameLineIfFits(LabelledWidth(speed_w, Tr(Str::SelfAttnSpeed)));  // phones: a row of its own
  ImGui::SetNextItemWidth(speed_w);
  ImGui::SliderFloat((std::string(Tr(Str::SelfAttnSpeed)) + "###sa-speed").c_str(), &g.speed, 0.25f, 3.0f, "%.2fx");
  Hotspot("sa_speed");
  char step_of[96];
  std::snprintf(step_of, sizeof step_of, Tr(Str::SelfAttnStepOf), g.stage + 1, kStages);
  SameLineIfFits(ImGui::CalcTextSize(step_of).x);
  ImGui::TextDisabled("%s", step_of);
  if (g.playing) {
    g.stage_clock += ImGui::GetIO().DeltaTime * g.speed;
    if (g.stage_clock > 2.5f) {  // 2.5 s a step at 1×
      g.stage_clock = 0.0f;
      if (++g.stage >= kStages - 1) { g.stage = kStages - 1; g.playing = false; }
    }
    RequestAnimation();
  }
}

// When the stage advances (play, next, restart), the controls and the new stage scroll into
// view if they are not: at 1280×800 they sit below the fold, and a student pressing "next"
// would see nothing change. Only then: the student may scroll away while a stage is shown.
static void BringStageIntoView(float top, float bottom) {
  const bool advanced = g.shown_stage >= 0 && g.shown_stage != g.stage;
  g.shown_stage = g.stage;
  if (!advanced) return;
  const float view_top = ImGui::GetWindowPos().y, view_bottom = view_top + ImGui::GetWindowHeight();
  float delta = 0.0f;
  if (bottom > view_bottom) delta = bottom - view_bottom;  // the stage's end to the bottom edge…
  if (top - delta < view_top) delta = top - view_top;      // …but the controls stay on screen
  if (delta != 0.0f) ImGui::SetScrollY(ImGui::GetScrollY() + delta);
}

static void StepByStep(const AttentionView& view, session::Session& session) {
  ImGui::PushFont(ActiveFonts().heading);
  ImGui::TextUnformatted(Tr(Str::SelfAttnSteps));
  ImGui::PopFont();
  model::TraceOptions needs;
  needs.qkv = true;
  if (g.model_mode && !g.mean_heads && TraceDetailNote(session, needs, GetPalette().muted_text)) return;
  if (view.head_dim == 0) {
    Paragraph(Tr(Str::SelfAttnMeanNoSteps), GetPalette().muted_text);
    return;
  }
  const float block_top = ImGui::GetCursorScreenPos().y;
  StepControls();
  const int i = g.selected, n = static_cast<int>(view.labels.size());
  const std::string& word = view.labels[i].text;
  char line[512];
  switch (g.stage) {
    case 0: std::snprintf(line, sizeof line, Tr(Str::SelfAttnStage0), word.c_str()); break;
    case 3: std::snprintf(line, sizeof line, Tr(Str::SelfAttnStage3), view.head_dim); break;
    case 6: std::snprintf(line, sizeof line, Tr(Str::SelfAttnStage6), word.c_str()); break;
    default: {
      static const Str kStageText[kStages] = {Str::SelfAttnStage0, Str::SelfAttnStage1, Str::SelfAttnStage2, Str::SelfAttnStage3,
                                              Str::SelfAttnStage4, Str::SelfAttnStage5, Str::SelfAttnStage6};
      std::snprintf(line, sizeof line, "%s", Tr(kStageText[g.stage]));
    }
  }
  Paragraph(line);
  ImGui::Spacing();

  std::vector<float> raw, scaled;
  Scores(view, i, &raw, &scaled);
  const std::vector<bool> dim = FutureMask(view, i);
  std::vector<std::string> names;
  for (const auto& l : view.labels) names.push_back(l.text);
  const float qk_scale = std::max(MaxAbs(view.q), MaxAbs(view.k));
  const float label_w = ImGui::GetFontSize() * 6;

  auto row = [&](const std::string& label, const char* id, const std::vector<float>& v, float scale, float weight) {
    ImGui::TextUnformatted(label.c_str());
    ImGui::SameLine(label_w);
    VectorCells(id, v, scale, weight);
  };
  if (g.stage == 0) {
    row(std::string(Tr(Str::SelfAttnQuery)) + " · " + word, "q", view.q[i], qk_scale, 1.0f);
  } else if (g.stage == 1) {
    row(std::string(Tr(Str::SelfAttnQuery)) + " · " + word, "q", view.q[i], qk_scale, 1.0f);
    for (int j = 0; j < n; ++j) {
      ImGui::PushID(j);
      row(std::string(Tr(Str::SelfAttnKey)) + " · " + names[j], "k", view.k[j], qk_scale, dim[j] ? 0.1f : 1.0f);
      ImGui::PopID();
    }
  } else if (g.stage <= 4) {
    const std::vector<float>& values = g.stage == 2 ? raw : g.stage == 3 ? scaled : view.weights[i];
    float lo = 0.0f, hi = 0.0f;
    for (int j = 0; j < n; ++j)
      if (!dim[j]) { lo = std::min(lo, values[j]); hi = std::max(hi, values[j]); }
    BarChartSpec spec;
    spec.labels = &names;
    spec.values = &values;
    spec.dimmed = &dim;
    spec.vmin = g.stage == 4 ? 0.0f : lo;
    spec.vmax = g.stage == 4 ? 1.0f : std::max(hi, 1e-3f);
    spec.highlight = -1;
    BarChart("sa-bars", spec);
    if (g.stage == 4) {
      float sum = 0.0f;
      for (float w : view.weights[i]) sum += w;
      ImGui::TextDisabled("Σ w = %.4f", sum);
    }
  } else {
    const float v_scale = MaxAbs(view.v);
    std::vector<float> out(view.head_dim, 0.0f);
    for (int j = 0; j < n; ++j) {
      const float w = view.weights[i][j];
      for (int d = 0; d < view.head_dim; ++d) out[d] += w * view.v[j][d];  // Σ_j w_ij v_j
      if (g.stage == 5) {
        ImGui::PushID(j);
        char label[160];
        std::snprintf(label, sizeof label, "%.2f × %s · %s", w, Tr(Str::SelfAttnValue), names[j].c_str());
        row(label, "v", view.v[j], v_scale, dim[j] ? 0.1f : std::max(w, 0.05f));
        ImGui::PopID();
      }
    }
    row(std::string(Tr(Str::SelfAttnOutput)) + " · " + word, "out", out, v_scale, 1.0f);
  }
  ImGui::Dummy(ImVec2(1, 1));
  Hotspot("sa_stage_end");  // where the stage ends (the tests check it is on screen)
  BringStageIntoView(block_top, ImGui::GetCursorScreenPos().y);
}

//-----------------------------------------------------------------------------
// [SECTION] Panel
//-----------------------------------------------------------------------------

static void ToyWeightEditor() {
  if (!ImGui::CollapsingHeader((std::string(Tr(Str::SelfAttnEditWeights)) + "###sa-edit").c_str())) return;
  Paragraph(Tr(Str::SelfAttnFeatures), GetPalette().muted_text);
  static const char* kRows[2][2] = {{"W_q[0]", "W_q[1]"}, {"W_k[0]", "W_k[1]"}};
  for (int m = 0; m < 2; ++m)
    for (int r = 0; r < lab::kToyHead; ++r) {
      float* w = m == 0 ? g.toy.w_q[r] : g.toy.w_k[r];
      ImGui::PushID(m * 10 + r);
      ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 24));
      ImGui::SliderFloat4(kRows[m][r], w, -3.0f, 3.0f, "%.1f");
      ImGui::PopID();
    }
  if (ImGui::Button((std::string(Tr(Str::SelfAttnResetWeights)) + "###sa-reset").c_str())) g.toy = lab::ToyWeights::Default();
}

static void ModelControls(session::Session& session) {
  const model::Config& c = session.info().config;
  LayerHeadPicker("sa", &g.layer, &g.head, c.n_layer, c.n_head, &g.mean_heads);
  // The experiment "what if GPT-2 could look ahead?": the engine drops the causal mask. The
  // model was never trained like that, which the label says.
  bool look_ahead = session.interventions().bidirectional;
  if (ImGui::Checkbox((std::string(Tr(Str::SelfAttnLookAhead)) + "###sa-bidi").c_str(), &look_ahead)) {
    model::Interventions iv = session.interventions();
    iv.bidirectional = look_ahead;
    session.SetInterventions(iv);
  }
  Hotspot("sa_bidirectional");
}

static void Publish(const AttentionView& view) {
  std::string j = "{\"mode\":";
  j += json::Quote(g.model_mode ? "model" : "toy");
  j += ",\"layer\":" + std::to_string(g.layer) + ",\"head\":" + std::to_string(g.head);
  j += std::string(",\"mean_heads\":") + (g.mean_heads ? "true" : "false");
  j += std::string(",\"causal\":") + (view.causal ? "true" : "false");
  j += ",\"stage\":" + std::to_string(g.stage) + ",\"selected\":" + std::to_string(g.selected);
  j += ",\"tokens\":[";
  for (size_t i = 0; i < view.labels.size(); ++i) {
    if (i) j += ",";
    j += json::Quote(view.labels[i].text);
  }
  j += "],\"weights\":";
  j += g.selected >= 0 && g.selected < static_cast<int>(view.weights.size()) ? JsonFloats(view.weights[g.selected]) : "[]";
  j += "}";
  PublishPanelState("self_attention", std::move(j));
}

// Picks a sensible token to start from: "sat" in the toy sentence, "it" in a model sentence.
static int DefaultToken(const AttentionView& view) {
  for (size_t i = 0; i < view.labels.size(); ++i)
    if (view.labels[i].text == (g.model_mode ? "it" : "sat")) return static_cast<int>(i);
  return static_cast<int>(view.labels.size()) - 1;
}

// Start-up options (--option / URL): sa.mode=toy|model, sa.layer, sa.head, sa.mean=1,
// sa.token (index of the selected token), sa.stage, sa.matrix=1 (matrix open).
static void ReadOptions(AppState& app) {
  const std::string mode = TakeOption(app, "sa.mode");
  if (mode == "model") g.model_mode = true;
  if (mode == "toy") g.model_mode = false;
  TakeIntOption(app, "sa.layer", &g.layer);
  TakeIntOption(app, "sa.head", &g.head);
  TakeIntOption(app, "sa.stage", &g.stage);
  g.stage = std::clamp(g.stage, 0, kStages - 1);
  int mean = g.mean_heads;
  TakeIntOption(app, "sa.mean", &mean);
  g.mean_heads = mean != 0;
  TakeIntOption(app, "sa.token", &g.requested_token);
  TakeIntOption(app, "sa.matrix", &g.open_matrix);
}

void DrawSelfAttentionPanel(AppState& app, session::Session& session) {
  const Palette& pal = GetPalette();
  ReadOptions(app);
  if (g.model_mode) {  // what "Embed this figure" keeps (the toy has no layers)
    app.figure_layer = g.layer;
    app.figure_head = g.mean_heads ? -1 : g.head;
  }
  ImGui::PushFont(ActiveFonts().heading);
  ImGui::TextUnformatted(Tr(Str::NavSelfAttention));
  ImGui::PopFont();
  Paragraph(Tr(Str::SelfAttnIntro));
  Callout(Tr(Str::SelfAttnFormula), Tr(Str::SelfAttnKeyIdea));
  ImGui::Spacing();

  const bool was_model = g.model_mode;
  if (RadioInRow((std::string(Tr(Str::SelfAttnModeToy)) + "###sa-toy").c_str(), !g.model_mode, true)) g.model_mode = false;
  Hotspot("sa_mode_toy");
  if (RadioInRow((std::string(Tr(Str::SelfAttnModeModel)) + "###sa-model").c_str(), g.model_mode)) g.model_mode = true;
  Hotspot("sa_mode_model");
  Paragraph(Tr(Str::SelfAttnModeHelp), pal.muted_text);

  ImGui::SetNextItemWidth(-1);
  if (!g.model_mode) {
    ToyFollowsAppSentence(session);
    if (ImGui::InputTextWithHint("###sa-sentence-toy", Tr(Str::SelfAttnSentence), g.toy_sentence, sizeof g.toy_sentence))
      g.selected = 0;
    Hotspot("sa_toy_sentence");
    RequestGlyphs(g.toy_sentence);
    ToyWeightEditor();
  } else {
    SessionSentenceField(g.model_sentence, "###sa-sentence-model", Tr(Str::SelfAttnSentence), session);
    Hotspot("sa_sentence");
    if (!session.HasModel()) {
      NoModelNote(session, Str::SelfAttnNoModel, pal.badge_text);
      return;
    }
    ModelControls(session);
    TextProblemNote(session, pal.badge_text);
  }

  const AttentionView view = g.model_mode ? ModelView(session, g) : ToyView(g);
  if (view.labels.empty() || view.weights.empty()) {
    EmptyTraceNote(session, pal.muted_text);
    return;
  }
  const uint64_t version = g.model_mode ? session.version() : 0;
  if (was_model != g.model_mode || (g.model_mode && version != g.seen_version)) {
    g.selected = DefaultToken(view);
    g.seen_version = version;
    g.shown.clear();
  }
  if (g.requested_token >= 0) {
    g.selected = g.requested_token;
    g.requested_token = -1;
  }
  g.selected = std::clamp(g.selected, 0, static_cast<int>(view.labels.size()) - 1);

  ImGui::Spacing();
  Paragraph(Tr(Str::SelfAttnHoverHint), pal.muted_text);
  HoverFigure(view);
  char title[256];
  std::snprintf(title, sizeof title, Tr(Str::SelfAttnWeightsOf), view.labels[g.selected].text.c_str());
  ImGui::TextUnformatted(title);
  if (view.causal) Paragraph(Tr(Str::SelfAttnCausalNote), pal.muted_text);
  if (!g.model_mode) ToyVocabularyNote();
  if (g.model_mode) DemoModelHint(session);
  MatrixFigure(view);
  ImGui::Separator();
  StepByStep(view, session);
  Publish(view);
}

}  // namespace attn::ui
