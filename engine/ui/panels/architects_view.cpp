// 11.3 架构师视角 — four design choices of modern Transformers, each as a small experiment:
//
//   MQA / GQA    KV-cache bytes = 2 · L · kv_heads · head_dim · T · bytes (lab/kv_cache_memory.h),
//                and K/V sharing by averaging (Interventions::kv_groups) on the loaded model
//   RoPE         q and k rotated by their positions; q·k depends only on m − n (lab/rope.h)
//   ALiBi        −slope · (i − j) added to the scores, per head (lab/alibi.h)
//   Quantization the loaded model requantized to f32, Q8_0 and Q4_0 (model/requantize.h)
//
// The experiments on the loaded model run their own Model::Forward with a copy of the
// session's interventions: the session (and every other panel) never sees them.
//
// [SECTION] Index
//   - Helpers: layout, runs of the model, top-5 lists, byte bars
//   - MQA / GQA
//   - RoPE
//   - ALiBi
//   - Quantization lens
//   - Panel (options, state for tests)
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "formats/json.h"
#include "lab/alibi.h"
#include "lab/kv_cache_memory.h"
#include "lab/rope.h"
#include "model/requantize.h"
#include "model/sampling.h"
#include "session/token_labels.h"
#include "ui/fonts.h"
#include "ui/i18n/i18n.h"
#include "ui/panels/architecture_parts.h"
#include "ui/text/numbers.h"
#include "ui/theme.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/heatmap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"
#include "ui/widgets/tab_strip.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] Helpers
//-----------------------------------------------------------------------------

namespace {

// One forward pass of some model on the session's tokens: the attention of every head and the
// five most likely next tokens.
struct Run {
  bool ok = false;
  std::string error;
  int n_layer = 0, n_head = 0, T = 0;
  std::vector<float> attention;            // Trace::attention (first = 0)
  std::vector<model::TokenProb> top5;      // real softmax probabilities, most likely first

  std::vector<float> Head(int l, int h) const {
    const size_t at = (static_cast<size_t>(l) * n_head + h) * T * T;
    return std::vector<float>(attention.begin() + at, attention.begin() + at + static_cast<size_t>(T) * T);
  }
};

Run RunModel(const model::Model& m, const std::vector<int>& tokens, const model::Interventions& iv) {
  Run r;
  model::KvCache cache = m.NewCache();
  model::Trace trace;
  std::vector<float> logits;
  const Status s = m.Forward(tokens, cache, iv, &logits, &trace);
  if (!s.ok()) {
    r.error = s.error();
    return r;
  }
  r.ok = true;
  r.n_layer = trace.n_layer;
  r.n_head = trace.n_head;
  r.T = trace.count;
  r.attention = std::move(trace.attention);
  r.top5 = model::NextTokenDistribution(logits, model::SamplingParams{});  // the whole softmax, sorted
  r.top5.resize(std::min<size_t>(5, r.top5.size()));
  return r;
}

// More passes than the memory budget has room for (Session::headroom): says so and how much
// they would need, instead of running them.
bool RunsOverBudget(session::Session& session, uint64_t bytes) {
  if (bytes <= session.headroom()) return false;
  char line[512];
  std::snprintf(line, sizeof line, Tr(Str::RunsOverBudget), BinaryBytes(static_cast<double>(bytes)).c_str(),
                BinaryBytes(static_cast<double>(session.memory_budget())).c_str());
  Paragraph(line, GetPalette().badge_text);
  Hotspot("runs-over-budget");
  return true;
}

float MaxAbsChange(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0.0f;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

// What identifies a loaded model: a new file means new weights, so a new address.
struct ModelKey {
  const void* model = nullptr;
  const void* wte = nullptr;
  uint64_t bytes = 0;
  bool operator==(const ModelKey& o) const { return model == o.model && wte == o.wte && bytes == o.bytes; }
};

ModelKey KeyOf(session::Session& s) {
  if (!s.HasModel()) return {};
  return {&s.model(), s.model().weights().wte.data, s.info().file_bytes};
}

// The GQA group count an architect would pick first: a divisor near n/4, neither 1 nor n.
int DefaultGroups(int heads) {
  int best = heads;
  for (int d : lab::Divisors(heads))
    if (d > 1 && d < heads && std::abs(d * 4 - heads) < std::abs(best * 4 - heads)) best = d;
  return best;
}

std::string TokenText(const tokenizer::Gpt2Tokenizer& tok, int id) {
  return "\"" + session::DisplayText(tok.TokenBytes(id)) + "\"";
}

}  // namespace

static std::string L(Str s, const char* id) { return std::string(Tr(s)) + "###" + id; }

// Puts the next item on the same line when `width` more pixels still fit.
static void Flow(float width) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x * 3 + width <= right)
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
}

static float SliderWidth() { return ImGui::GetFontSize() * 8; }
static float LabeledWidth(Str label) {
  return SliderWidth() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(Tr(label)).x;
}

static void SubHeading(Str s) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, GetPalette().accent);
  Paragraph(Tr(s));
  ImGui::PopStyleColor();
}

// n figures, each a head (title, a line of numbers) and a body, side by side when each gets
// `min_em` ems, else one under the other. Side by side the heads share a row, so the bodies
// line up even when one head wraps onto more lines.
template <typename Head, typename Body>
static void Columns(const char* id, int n, float min_em, Head head, Body body) {
  const bool side = ImGui::GetContentRegionAvail().x / n >= min_em * ImGui::GetFontSize();
  if (!ImGui::BeginTable(id, side ? n : 1, ImGuiTableFlags_SizingStretchSame)) return;
  for (int pass = 0; pass < (side ? 2 : 1); ++pass)
    for (int i = 0; i < n; ++i) {
      ImGui::TableNextColumn();  // moves to a new row after the last column
      ImGui::PushID(i);
      if (!side || pass == 0) head(i);
      if (!side || pass == 1) body(i);
      if (!side && i + 1 < n) ImGui::Dummy(ImVec2(0, ImGui::GetFontSize()));  // stacked: air between figures
      ImGui::PopID();
    }
  ImGui::EndTable();
}

// Five next-token candidates as bars; tokens missing from `reference` are drawn in the accent colour.
static void Top5(const char* id, const std::vector<model::TokenProb>& top, const tokenizer::Gpt2Tokenizer& tok,
                 const std::vector<model::TokenProb>* reference) {
  ImGui::PushID(id);
  const float em = ImGui::GetFontSize(), bar_w = std::min(6 * em, ImGui::GetContentRegionAvail().x * 0.35f);
  ImGui::TextDisabled("%s", Tr(Str::Top5Heading));
  for (size_t i = 0; i < top.size(); ++i) {
    const std::string text = TokenText(tok, top[i].id);
    RequestGlyphs(text);
    bool known = !reference;
    if (reference)
      for (const model::TokenProb& r : *reference) known = known || r.id == top[i].id;
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(o, ImVec2(o.x + bar_w, o.y + h), ImGui::GetColorU32(ImGuiCol_FrameBg));
    dl->AddRectFilled(o, ImVec2(o.x + bar_w * std::clamp(top[i].p, 0.0f, 1.0f), o.y + h), Categorical(known ? 1 : 5));
    ImGui::Dummy(ImVec2(bar_w, h));
    ImGui::SameLine();
    ImGui::Text("%5.1f%%", 100.0 * top[i].p);
    ImGui::SameLine();
    if (!known) ImGui::PushStyleColor(ImGuiCol_Text, GetPalette().accent);
    ImGui::TextUnformatted(text.c_str());
    if (!known) ImGui::PopStyleColor();
  }
  ImGui::PopID();
}

// Horizontal bars of byte counts, the exact number beside each.
static void ByteBars(const std::vector<std::string>& labels, const std::vector<double>& bytes, double reference) {
  const float em = ImGui::GetFontSize();
  float label_w = 0.0f;
  for (const std::string& l : labels) label_w = std::max(label_w, ImGui::CalcTextSize(l.c_str()).x);
  label_w += em;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float bar_max = std::max(4 * em, std::min(16 * em, avail - label_w - 18 * em));
  double top = 1.0;
  for (double b : bytes) top = std::max(top, b);
  for (size_t i = 0; i < bytes.size(); ++i) {
    ImGui::TextUnformatted(labels[i].c_str());
    ImGui::SameLine(label_w);
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    const float w = std::max(2.0f, static_cast<float>(bar_max * bytes[i] / top));
    ImGui::GetWindowDrawList()->AddRectFilled(o, ImVec2(o.x + w, o.y + h), Categorical(static_cast<int>(i) == 0 ? 4 : 1));
    ImGui::Dummy(ImVec2(bar_max, h));
    ImGui::SameLine();
    char text[256];
    std::snprintf(text, sizeof text, Tr(Str::KvBytesExact), GroupDigits(bytes[i]).c_str(), BinaryBytes(bytes[i]).c_str());
    std::string line = text;
    if (i > 0 && reference > 0) {
      std::snprintf(text, sizeof text, Tr(Str::KvSaved), 100.0 * (1.0 - bytes[i] / reference));
      line += std::string(" · ") + text;
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(line.c_str());
    ImGui::PopTextWrapPos();
  }
}

static std::vector<std::string> TokenNames(session::Session& s) {
  std::vector<std::string> names;
  for (const session::TokenLabel& l : s.labels()) names.push_back(l.text);
  return names;
}

static void AttentionMap(const char* id, const std::vector<float>& map, int T, const std::vector<std::string>* names,
                         float max_cell_em = 1.6f) {
  HeatmapSpec spec;
  spec.values = map.data();
  spec.rows = spec.cols = T;
  spec.row_labels = names;
  spec.col_labels = names;
  spec.max_cell_em = max_cell_em;
  Heatmap(id, spec);
}

static std::string FloatArray(const std::vector<float>& v) {
  std::string out = "[";
  char buf[32];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s%.9g", i ? "," : "", std::isfinite(v[i]) ? v[i] : 0.0f);
    out += buf;
  }
  return out + "]";
}

static std::string Top5Json(const std::vector<model::TokenProb>& top, const tokenizer::Gpt2Tokenizer& tok) {
  std::string out = "[";
  char buf[64];
  for (size_t i = 0; i < top.size(); ++i) {
    std::snprintf(buf, sizeof buf, ",\"p\":%.9g}", top[i].p);
    out += (i ? ",{\"id\":" : "{\"id\":") + std::to_string(top[i].id) + ",\"token\":" +
           json::Quote(session::DisplayText(tok.TokenBytes(top[i].id))) + buf;
  }
  return out + "]";
}

static std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", std::isfinite(v) ? v : 0.0);
  return buf;
}

//-----------------------------------------------------------------------------
// [SECTION] MQA / GQA
//-----------------------------------------------------------------------------

namespace {

constexpr double kBytesPerValue[3] = {4.0, 2.0, 34.0 / 32.0};  // f32, f16, q8_0

struct KvState {
  ModelKey filled_for;
  bool filled = false;
  int layers = 12, heads = 12, head_dim = 64, seq = 1024, bytes = 0, groups = 4;
  // The demo on the loaded model.
  int demo_groups = 0, layer = 0, head = 0;
  ModelKey run_for;
  uint64_t run_version = 0;
  int run_groups = -1;
  Run base, shared;
  std::string json;  // the demo's part of the published state
};

KvState kv;

}  // namespace

static lab::KvCacheShape CalculatorShape(int kv_heads) {
  lab::KvCacheShape s;
  s.layers = kv.layers;
  s.n_heads = kv.heads;
  s.kv_heads = kv_heads;
  s.head_dim = kv.head_dim;
  s.tokens = kv.seq;
  s.bytes_per_value = kBytesPerValue[kv.bytes];
  return s;
}

static void FillFromModel(const model::Config& c) {
  kv.layers = c.n_layer;
  kv.heads = c.n_head;
  kv.head_dim = c.head_dim();
  kv.seq = c.n_ctx;
  kv.bytes = 0;  // this app keeps its KV cache in f32
  kv.groups = DefaultGroups(c.n_head);
}

// A slider over the divisors of `n` ("4 groups of 2 heads"). `*wish` is the student's choice,
// changed only when they move the slider; the divisor of n closest to it is returned and shown.
static int GroupSlider(const char* id, Str label, int n, int* wish) {
  const std::vector<int> divs = lab::Divisors(n);
  const int groups = lab::ClosestDivisor(n, *wish);
  int idx = static_cast<int>(std::find(divs.begin(), divs.end(), groups) - divs.begin());
  char shown[96];
  std::snprintf(shown, sizeof shown, Tr(Str::KvGroupsFormat), groups, n / groups);
  ImGui::SetNextItemWidth(SliderWidth() * 1.4f);
  if (ImGui::SliderInt(L(label, id).c_str(), &idx, 0, static_cast<int>(divs.size()) - 1, shown)) {
    *wish = divs[std::clamp(idx, 0, static_cast<int>(divs.size()) - 1)];
    return *wish;
  }
  return groups;
}

static void KvCalculator(session::Session& session) {
  SubHeading(Str::KvCalculator);
  if (session.HasModel()) {
    if (ImGui::SmallButton(L(Str::KvFromModel, "kv-from-model").c_str())) FillFromModel(session.info().config);
    Hotspot("kv_from_model");
  }
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(L(Str::KvLayers, "kv-layers").c_str(), &kv.layers, 1, 128);
  Hotspot("kv_layers");
  Flow(LabeledWidth(Str::KvHeads));
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(L(Str::KvHeads, "kv-heads").c_str(), &kv.heads, 1, 128);
  Hotspot("kv_heads");
  Flow(LabeledWidth(Str::KvHeadDim));
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(L(Str::KvHeadDim, "kv-head-dim").c_str(), &kv.head_dim, 8, 256);
  Hotspot("kv_head_dim");
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(L(Str::KvSeq, "kv-seq").c_str(), &kv.seq, 1, 1 << 20, "%d", ImGuiSliderFlags_Logarithmic);
  Hotspot("kv_seq");
  Flow(SliderWidth() * 1.4f + ImGui::CalcTextSize(Tr(Str::KvGroups)).x);
  kv.heads = std::max(1, kv.heads);
  const int groups = GroupSlider("kv-groups", Str::KvGroups, kv.heads, &kv.groups);
  Hotspot("kv_groups");
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(Tr(Str::KvBytesPerValue));
  static const Str kBytes[3] = {Str::KvF32, Str::KvF16, Str::KvQ8};
  static const char* const kIds[3] = {"kv_f32", "kv_f16", "kv_q8"};
  for (int i = 0; i < 3; ++i) {
    if (RadioInRow(L(kBytes[i], kIds[i]).c_str(), kv.bytes == i)) kv.bytes = i;
    Hotspot(kIds[i]);
  }
  ImGui::Spacing();

  const double mha = lab::KvCacheBytes(CalculatorShape(kv.heads));
  const double gqa = lab::KvCacheBytes(CalculatorShape(groups));
  const double mqa = lab::KvCacheBytes(CalculatorShape(1));
  char a[96], b[96], c[96];
  std::snprintf(a, sizeof a, Tr(Str::KvMha), kv.heads);
  std::snprintf(b, sizeof b, Tr(Str::KvGqa), groups);
  std::snprintf(c, sizeof c, "%s", Tr(Str::KvMqa));
  ByteBars({a, b, c}, {mha, gqa, mqa}, mha);
}

static void KvDemo(session::Session& session) {
  SubHeading(Str::KvDemoHeading);
  Paragraph(Tr(Str::KvDemoText), GetPalette().muted_text);
  if (!session.HasModel()) {
    NoModelNote(session, Str::ArchNeedsModel, GetPalette().badge_text);
    return;
  }
  const model::Config& c = session.info().config;
  kv.layer = std::clamp(kv.layer, 0, c.n_layer - 1);
  kv.head = std::clamp(kv.head, 0, c.n_head - 1);
  if (kv.demo_groups <= 0) kv.demo_groups = DefaultGroups(c.n_head);
  kv.demo_groups = GroupSlider("kv-demo-groups", Str::KvDemoGroups, c.n_head, &kv.demo_groups);
  Hotspot("kv_demo_groups");
  Flow(LabeledWidth(Str::SelfAttnLayer));
  ImGui::SetNextItemWidth(SliderWidth());
  IndexSlider(L(Str::SelfAttnLayer, "kv-layer").c_str(), &kv.layer, c.n_layer);
  Hotspot("kv_layer");
  Flow(LabeledWidth(Str::SelfAttnHead));
  ImGui::SetNextItemWidth(SliderWidth());
  IndexSlider(L(Str::SelfAttnHead, "kv-head").c_str(), &kv.head, c.n_head);
  Hotspot("kv_head");

  const std::vector<int>& tokens = session.tokens();
  if (tokens.empty()) return;
  const uint64_t runs_bytes = 2 * model::EstimatePassBytes(c, 0, static_cast<int>(tokens.size()), {}).total();
  if (RunsOverBudget(session, runs_bytes)) return;
  const ModelKey key = KeyOf(session);
  if (!(kv.run_for == key) || kv.run_version != session.version() || kv.run_groups != kv.demo_groups) {
    model::Interventions iv = session.interventions();  // a copy: the session keeps its own
    iv.kv_groups = 0;
    kv.base = kv.shared = Run{};  // the old traces go before the new ones are made
    kv.base = RunModel(session.model(), tokens, iv);
    iv.kv_groups = kv.demo_groups;
    kv.shared = RunModel(session.model(), tokens, iv);
    kv.run_for = key;
    kv.run_version = session.version();
    kv.run_groups = kv.demo_groups;
  }
  if (!kv.base.ok || !kv.shared.ok) {
    Paragraph(kv.base.ok ? kv.shared.error : kv.base.error, GetPalette().badge_text);
    return;
  }
  const int T = kv.base.T;
  lab::KvCacheShape shape{c.n_layer, c.n_head, c.n_head, c.head_dim(), T, 4.0};
  const double before = lab::KvCacheBytes(shape);
  shape.kv_heads = kv.demo_groups;
  const double after = lab::KvCacheBytes(shape);
  char line[512];
  std::snprintf(line, sizeof line, Tr(Str::KvDemoMemory), T, BinaryBytes(before).c_str(), BinaryBytes(after).c_str(),
                100.0 * (1.0 - after / before));
  Paragraph(line);

  const std::vector<float> m0 = kv.base.Head(kv.layer, kv.head), m1 = kv.shared.Head(kv.layer, kv.head);
  const std::vector<std::string> names = TokenNames(session);
  const std::vector<std::string>* labels = static_cast<int>(names.size()) == T ? &names : nullptr;
  const float change = MaxAbsChange(m0, m1);
  const bool same_top = !kv.base.top5.empty() && !kv.shared.top5.empty() && kv.base.top5[0].id == kv.shared.top5[0].id;
  Columns("kv-demo", 2, 16, [&](int i) {
    char title[96];
    std::snprintf(title, sizeof title, Tr(i == 0 ? Str::KvDemoBefore : Str::KvDemoAfter), kv.demo_groups);
    Paragraph(title);
  }, [&](int i) {
    AttentionMap("kv-map", i == 0 ? m0 : m1, T, labels);
    Hotspot(i == 0 ? "kv_map_before" : "kv_map_after");
    Top5("kv-top", i == 0 ? kv.base.top5 : kv.shared.top5, session.tokenizer(), i == 0 ? nullptr : &kv.base.top5);
  });
  std::snprintf(line, sizeof line, Tr(Str::KvDemoDiff), change);
  Paragraph(std::string(line) + " " + Tr(same_top ? Str::Top1Same : Str::Top1Changed));

  kv.json = "{\"groups\":" + std::to_string(kv.demo_groups) + ",\"layer\":" + std::to_string(kv.layer) +
            ",\"head\":" + std::to_string(kv.head) + ",\"tokens\":" + std::to_string(T) + ",\"mha_bytes\":" + Num(before) +
            ",\"shared_bytes\":" + Num(after) + ",\"max_attention_change\":" + Num(change) +
            ",\"top5_before\":" + Top5Json(kv.base.top5, session.tokenizer()) +
            ",\"top5_after\":" + Top5Json(kv.shared.top5, session.tokenizer()) + "}";
}

static void DrawKv(session::Session& session) {
  Paragraph(Tr(Str::KvIntro));
  KvCalculator(session);
  ImGui::Spacing();
  ImGui::Separator();
  KvDemo(session);
}

//-----------------------------------------------------------------------------
// [SECTION] RoPE
//-----------------------------------------------------------------------------

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

static void DrawRope() {
  Paragraph(Tr(Str::RopeIntro));
  ImGui::Spacing();
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(L(Str::RopeM, "rope-m").c_str(), &rope.m, 0, 64);
  Hotspot("rope_m");
  Flow(LabeledWidth(Str::RopeN));
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(L(Str::RopeN, "rope-n").c_str(), &rope.n, 0, 64);
  Hotspot("rope_n");
  Flow(SliderWidth() * 1.3f + ImGui::CalcTextSize(Tr(Str::RopePair)).x);
  char pair_text[64];
  std::snprintf(pair_text, sizeof pair_text, Tr(Str::RopePairFormat), rope.pair, Theta(rope.pair));
  ImGui::SetNextItemWidth(SliderWidth() * 1.3f);
  ImGui::SliderInt(L(Str::RopePair, "rope-pair").c_str(), &rope.pair, 0, kRopeDim / 2 - 1, pair_text);
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

static std::string RopeJson() {
  std::string j = "{\"m\":" + std::to_string(rope.m) + ",\"n\":" + std::to_string(rope.n) +
                  ",\"pair\":" + std::to_string(rope.pair) + ",\"dim\":" + std::to_string(kRopeDim) +
                  ",\"base\":" + Num(kRopeBase) + ",\"q\":" + FloatArray(kRopeQ) + ",\"k\":" + FloatArray(kRopeK) +
                  ",\"score\":" + Num(lab::RopeScore(kRopeQ, kRopeK, rope.m, rope.n, kRopeBase)) + ",\"same_distance\":[";
  const int shifts[4] = {0, 1, 10, 100};
  for (int i = 0; i < 4; ++i) {
    const int m = rope.m + shifts[i], n = rope.n + shifts[i];
    j += (i ? ",[" : "[") + std::to_string(m) + "," + std::to_string(n) + "," + Num(lab::RopeScore(kRopeQ, kRopeK, m, n, kRopeBase)) + "]";
  }
  return j + "]}";
}

//-----------------------------------------------------------------------------
// [SECTION] ALiBi
//-----------------------------------------------------------------------------

namespace {
constexpr int kAlibiT = 10;  // a toy sentence of 10 positions
struct AlibiState {
  int heads = 8, head = 0;
  bool filled = false;
};
AlibiState alibi;
}  // namespace

static void DrawAlibi() {
  Paragraph(Tr(Str::AlibiIntro));
  ImGui::Spacing();
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(L(Str::AlibiHeads, "alibi-heads").c_str(), &alibi.heads, 1, 32);
  Hotspot("alibi_heads");
  alibi.head = std::clamp(alibi.head, 0, alibi.heads - 1);
  Flow(LabeledWidth(Str::AlibiHead));
  ImGui::SetNextItemWidth(SliderWidth());
  IndexSlider(L(Str::AlibiHead, "alibi-head").c_str(), &alibi.head, alibi.heads);
  Hotspot("alibi_head");

  const std::vector<float> slopes = lab::AlibiSlopes(alibi.heads);
  std::string list = Tr(Str::AlibiSlopesLabel);
  char buf[48];
  for (int h = 0; h < alibi.heads; ++h) {
    std::snprintf(buf, sizeof buf, h == alibi.head ? " [%.4g]" : " %.4g", slopes[h]);
    list += buf;
  }
  Paragraph(list, GetPalette().muted_text);

  const float slope = slopes[alibi.head];
  const std::vector<float> bias = lab::AlibiBias(kAlibiT, slope);
  const std::vector<float> attention = lab::AlibiAttention(std::vector<float>(kAlibiT * kAlibiT, 0.0f), kAlibiT, slope);
  std::vector<std::string> positions;
  for (int i = 0; i < kAlibiT; ++i) positions.push_back(std::to_string(i));
  Columns("alibi-maps", 2, 14, [&](int i) {
    char title[128];
    std::snprintf(title, sizeof title, "%s", Tr(Str::AlibiAttnTitle));
    if (i == 0) std::snprintf(title, sizeof title, Tr(Str::AlibiBiasTitle), slope);
    Paragraph(title);
  }, [&](int i) {
    HeatmapSpec spec;
    spec.values = i == 0 ? bias.data() : attention.data();
    spec.rows = spec.cols = kAlibiT;
    spec.row_labels = spec.col_labels = &positions;
    spec.vmin = i == 0 ? -slope * (kAlibiT - 1) : 0.0f;  // the bias: 0 on the diagonal, falling with distance
    spec.vmax = i == 0 ? 0.0f : 1.0f;
    spec.max_cell_em = 1.6f;
    Heatmap(i == 0 ? "alibi-bias" : "alibi-attention", spec);
    Hotspot(i == 0 ? "alibi_bias" : "alibi_attention");
  });
  Paragraph(Tr(Str::AlibiRowsCols), GetPalette().muted_text);
  ImGui::Spacing();
  Paragraph(Tr(Str::AlibiWhy));
}

static std::string AlibiJson() {
  return "{\"heads\":" + std::to_string(alibi.heads) + ",\"head\":" + std::to_string(alibi.head) +
         ",\"T\":" + std::to_string(kAlibiT) + ",\"slopes\":" + FloatArray(lab::AlibiSlopes(alibi.heads)) + "}";
}

//-----------------------------------------------------------------------------
// [SECTION] Quantization lens
//-----------------------------------------------------------------------------

namespace {

constexpr quant::Type kLensTypes[3] = {quant::Type::F32, quant::Type::Q8_0, quant::Type::Q4_0};
constexpr const char* kLensNames[3] = {"f32", "Q8_0", "Q4_0"};
constexpr uint64_t kAutoBuildParameters = 60000000;  // bigger models wait for a click

struct LensState {
  ModelKey built_for;
  std::unique_ptr<model::Model> variants[3];
  bool build_requested = false;
  int layer = 0, head = 0;
  ModelKey run_for;
  uint64_t run_version = 0;
  Run runs[3];
  std::string json;
};
LensState lens;

}  // namespace

static bool LensBuilt(const ModelKey& key) { return lens.built_for == key && lens.variants[0]; }

static void DrawQuant(session::Session& session) {
  const Palette& pal = GetPalette();
  Paragraph(Tr(Str::QuantIntro));
  if (!session.HasModel()) {
    NoModelNote(session, Str::ArchNeedsModel, pal.badge_text);
    return;
  }
  const session::ModelInfo& info = session.info();
  char line[512];
  std::snprintf(line, sizeof line, Tr(Str::QuantSource), info.weight_type.c_str());
  Paragraph(line, pal.muted_text);
  const ModelKey key = KeyOf(session);
  // Three copies of the weights (f32 4 bytes a weight, Q8_0 34/32, Q4_0 18/32) and a pass each.
  const uint64_t copies_bytes = info.parameters * (128 + 34 + 18) / 32;
  const int n_tokens = static_cast<int>(session.tokens().size());
  const uint64_t runs_bytes = 3 * model::EstimatePassBytes(info.config, 0, std::max(n_tokens, 1), {}).total();
  if (RunsOverBudget(session, copies_bytes + runs_bytes)) {  // the copies count whether built or not
    for (auto& v : lens.variants) v.reset();
    lens.built_for = ModelKey{};
    for (Run& r : lens.runs) r = Run{};
    return;
  }
  if (!LensBuilt(key)) {
    for (auto& v : lens.variants) v.reset();  // free the old model's copies first
    lens.json.clear();
    if (info.parameters > kAutoBuildParameters && !lens.build_requested) {
      std::snprintf(line, sizeof line, Tr(Str::QuantBig), BinaryBytes(4.0 * info.parameters).c_str());
      Paragraph(line, pal.badge_text);
      if (ImGui::Button(L(Str::QuantBuild, "quant-build").c_str())) lens.build_requested = true;
      Hotspot("quant_build");
      return;
    }
    for (int i = 0; i < 3; ++i) lens.variants[i] = model::Requantize(session.model(), kLensTypes[i]);
    lens.built_for = key;
    lens.build_requested = false;
    lens.run_version = 0;
  }
  const model::Config& c = info.config;
  lens.layer = std::clamp(lens.layer, 0, c.n_layer - 1);
  lens.head = std::clamp(lens.head, 0, c.n_head - 1);
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(L(Str::SelfAttnLayer, "quant-layer").c_str(), &lens.layer, 0, c.n_layer - 1);
  Hotspot("quant_layer");
  Flow(LabeledWidth(Str::SelfAttnHead));
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(L(Str::SelfAttnHead, "quant-head").c_str(), &lens.head, 0, c.n_head - 1);
  Hotspot("quant_head");

  const std::vector<int>& tokens = session.tokens();
  if (tokens.empty()) return;
  if (!(lens.run_for == key) || lens.run_version != session.version()) {
    for (Run& r : lens.runs) r = Run{};  // the old traces go before the new ones are made
    for (int i = 0; i < 3; ++i) lens.runs[i] = RunModel(*lens.variants[i], tokens, model::Interventions{});
    lens.run_for = key;
    lens.run_version = session.version();
  }
  for (const Run& r : lens.runs)
    if (!r.ok) {
      Paragraph(r.error, pal.badge_text);
      return;
    }
  const int T = lens.runs[0].T;
  const std::vector<std::string> names = TokenNames(session);
  const std::vector<std::string>* labels = static_cast<int>(names.size()) == T ? &names : nullptr;
  const std::vector<float> ref = lens.runs[0].Head(lens.layer, lens.head);
  std::vector<float> maps[3];
  size_t bytes[3];
  float change[3];
  std::string variants_json;
  for (int i = 0; i < 3; ++i) {
    maps[i] = lens.runs[i].Head(lens.layer, lens.head);
    bytes[i] = lens.variants[i]->WeightBytes();
    change[i] = MaxAbsChange(ref, maps[i]);
    variants_json += std::string(i ? "," : "") + "{\"type\":" + json::Quote(quant::TypeName(kLensTypes[i])) +
                     ",\"weight_bytes\":" + std::to_string(bytes[i]) + ",\"max_attention_change\":" + Num(change[i]) +
                     ",\"top5\":" + Top5Json(lens.runs[i].top5, session.tokenizer()) + "}";
  }
  Columns("quant-lens", 3, 13, [&](int i) {
    ImGui::Text("%s · %s", kLensNames[i], BinaryBytes(static_cast<double>(bytes[i])).c_str());
    std::snprintf(line, sizeof line, Tr(Str::QuantWeightBytes), GroupDigits(static_cast<uint64_t>(bytes[i])).c_str());
    Paragraph(line, pal.muted_text);
  }, [&](int i) {
    AttentionMap("quant-map", maps[i], T, labels, 1.4f);
    Hotspot((std::string("quant_map_") + kLensNames[i]).c_str());
    Top5("quant-top", lens.runs[i].top5, session.tokenizer(), i > 0 ? &lens.runs[0].top5 : nullptr);
    if (i > 0) {
      std::snprintf(line, sizeof line, Tr(Str::QuantMaxDiff), change[i]);
      Paragraph(line);
    }
  });
  ImGui::Spacing();
  Paragraph(Tr(Str::QuantWhy));
  lens.json = "{\"source_type\":" + json::Quote(info.weight_type) + ",\"layer\":" + std::to_string(lens.layer) +
              ",\"head\":" + std::to_string(lens.head) + ",\"tokens\":" + std::to_string(T) + ",\"variants\":[" +
              variants_json + "]}";
}

//-----------------------------------------------------------------------------
// [SECTION] Panel
//-----------------------------------------------------------------------------

namespace {
struct ViewTab {
  const char* id;
  Str title;
};
constexpr ViewTab kViews[] = {
    {"kv", Str::ArchViewKv}, {"rope", Str::ArchViewRope}, {"alibi", Str::ArchViewAlibi}, {"quant", Str::ArchViewQuant}};
std::string current_view = "kv";
}  // namespace

// Start-up options (--option / URL): arch.view=kv|rope|alibi|quant; kv.layers, kv.heads,
// kv.head_dim, kv.seq, kv.groups, kv.bytes=f32|f16|q8; kv.demo_groups, kv.layer, kv.head;
// rope.m, rope.n, rope.pair; alibi.heads, alibi.head; quant.layer, quant.head.
static std::string ReadOptions(AppState& app) {
  auto num = [&](const char* key, int* out) {
    const std::string v = TakeOption(app, key);
    if (!v.empty()) *out = std::atoi(v.c_str());
  };
  num("kv.layers", &kv.layers);
  num("kv.heads", &kv.heads);
  num("kv.head_dim", &kv.head_dim);
  num("kv.seq", &kv.seq);
  num("kv.groups", &kv.groups);
  const std::string bytes = TakeOption(app, "kv.bytes");
  if (bytes == "f32") kv.bytes = 0;
  if (bytes == "f16") kv.bytes = 1;
  if (bytes == "q8" || bytes == "q8_0") kv.bytes = 2;
  num("kv.demo_groups", &kv.demo_groups);
  num("kv.layer", &kv.layer);
  num("kv.head", &kv.head);
  num("rope.m", &rope.m);
  num("rope.n", &rope.n);
  num("rope.pair", &rope.pair);
  num("alibi.heads", &alibi.heads);
  num("alibi.head", &alibi.head);
  num("quant.layer", &lens.layer);
  num("quant.head", &lens.head);
  kv.layers = std::clamp(kv.layers, 1, 128);
  kv.heads = std::clamp(kv.heads, 1, 128);
  kv.head_dim = std::clamp(kv.head_dim, 8, 256);
  kv.seq = std::clamp(kv.seq, 1, 1 << 20);
  rope.m = std::clamp(rope.m, 0, 64);
  rope.n = std::clamp(rope.n, 0, 64);
  rope.pair = std::clamp(rope.pair, 0, kRopeDim / 2 - 1);
  alibi.heads = std::clamp(alibi.heads, 1, 32);
  return TakeOption(app, "arch.view");
}

static void Publish(session::Session& session) {
  const double mha = lab::KvCacheBytes(CalculatorShape(kv.heads));
  const int groups = lab::ClosestDivisor(kv.heads, kv.groups);  // what the calculator shows
  const double gqa = lab::KvCacheBytes(CalculatorShape(groups));
  const double mqa = lab::KvCacheBytes(CalculatorShape(1));
  std::string j = "{\"view\":" + json::Quote(current_view);
  j += ",\"kv\":{\"layers\":" + std::to_string(kv.layers) + ",\"heads\":" + std::to_string(kv.heads) +
       ",\"head_dim\":" + std::to_string(kv.head_dim) + ",\"seq\":" + std::to_string(kv.seq) +
       ",\"bytes_per_value\":" + Num(kBytesPerValue[kv.bytes]) + ",\"groups\":" + std::to_string(groups) +
       ",\"mha\":" + Num(mha) + ",\"gqa\":" + Num(gqa) + ",\"mqa\":" + Num(mqa) + "}";
  if (!kv.json.empty()) j += ",\"kv_demo\":" + kv.json;
  j += ",\"rope\":" + RopeJson();
  j += ",\"alibi\":" + AlibiJson();
  if (!lens.json.empty() && LensBuilt(KeyOf(session))) j += ",\"quant\":" + lens.json;
  j += "}";
  PublishPanelState("architect", std::move(j));
}

void DrawArchitectsView(AppState& app, session::Session& session) {
  // Pre-filled from the loaded model (again whenever another model is loaded), then the options.
  if (session.HasModel() && !(kv.filled_for == KeyOf(session))) {
    FillFromModel(session.info().config);
    kv.filled_for = KeyOf(session);
    kv.demo_groups = 0;
    if (!alibi.filled) alibi.heads = std::clamp(session.info().config.n_head, 1, 32);
    alibi.filled = true;
  }
  const std::string requested = ReadOptions(app);
  Paragraph(Tr(Str::ArchViewIntro));
  ImGui::Spacing();
  static int open = 0;
  std::vector<TabSpec> tabs;
  int wanted = -1;
  for (const ViewTab& v : kViews) {
    if (requested == v.id) wanted = static_cast<int>(tabs.size());
    tabs.push_back({L(v.title, (std::string("arch-view-") + v.id).c_str()), std::string("arch_view_") + v.id});
  }
  const ViewTab& v = kViews[TabStrip("architect-views", tabs, &open, wanted)];
  current_view = v.id;
  ImGui::PushID(v.id);
  ImGui::Spacing();
  const std::string id = v.id;
  if (id == "kv") DrawKv(session);
  else if (id == "rope") DrawRope();
  else if (id == "alibi") DrawAlibi();
  else DrawQuant(session);
  ImGui::PopID();
  Publish(session);
}

}  // namespace attn::ui
