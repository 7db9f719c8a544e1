// 11.3 架构师视角 · MQA / GQA: how big the KV cache is, and what sharing K and V does.
//
//   KV-cache bytes = 2 · layers · kv_heads · head_dim · tokens · bytes per value
//                    (lab/kv_cache_memory.h); MHA kv_heads = heads, GQA = groups, MQA = 1
//
// The calculator takes any shape; the demo imposes K/V sharing on the loaded model
// (session::KvSharingRuns: each group of heads reads the mean of its K and V) and shows one
// head's attention and the next-token top 5 before and after.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "lab/kv_cache_memory.h"
#include "session/architect_runs.h"
#include "ui/panels/architect_parts.h"
#include "ui/text/format.h"
#include "core/numbers.h"
#include "ui/theme.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layer_head_picker.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

namespace {

constexpr double kBytesPerValue[3] = {4.0, 2.0, 34.0 / 32.0};  // f32, f16, q8_0

struct KvState {
  // The calculator.
  int layers = 12, heads = 12, head_dim = 64, seq = 1024, bytes = 0, groups = 4;
  // The demo on the loaded model.
  int demo_groups = 0, layer = 0, head = 0;
  session::KvSharingRuns runs;
  std::string json;  // the demo's part of the published state
};
KvState kv;

// The GQA group count an architect would pick first: a divisor near n/4, neither 1 nor n.
int DefaultGroups(int heads) {
  int best = heads;
  for (int d : lab::Divisors(heads))
    if (d > 1 && d < heads && std::abs(d * 4 - heads) < std::abs(best * 4 - heads)) best = d;
  return best;
}

lab::KvCacheShape CalculatorShape(int kv_heads) {
  lab::KvCacheShape s;
  s.layers = kv.layers;
  s.n_heads = kv.heads;
  s.kv_heads = kv_heads;
  s.head_dim = kv.head_dim;
  s.tokens = kv.seq;
  s.bytes_per_value = kBytesPerValue[kv.bytes];
  return s;
}

void FillFromModel(const model::Config& c) {
  kv.layers = c.n_layer;
  kv.heads = c.n_head;
  kv.head_dim = c.head_dim();
  kv.seq = c.n_ctx;
  kv.bytes = 0;  // this app keeps its KV cache in f32
  kv.groups = DefaultGroups(c.n_head);
}

void ModelLoaded(const model::Config& c) {
  FillFromModel(c);
  kv.demo_groups = 0;  // the demo picks its default for the new head count
}

// A slider over the divisors of `n` ("4 groups of 2 heads"). `*wish` is the student's choice,
// changed only when they move the slider; the divisor of n closest to it is returned and shown.
int GroupSlider(const char* id, Str label, int n, int* wish) {
  const std::vector<int> divs = lab::Divisors(n);
  const int groups = lab::ClosestDivisor(n, *wish);
  int idx = static_cast<int>(std::find(divs.begin(), divs.end(), groups) - divs.begin());
  const std::string shown = StrFormat(Tr(Str::KvGroupsFormat), groups, n / groups);
  ImGui::SetNextItemWidth(SliderWidth() * 1.4f);
  if (ImGui::SliderInt(IdLabel(label, id).c_str(), &idx, 0, static_cast<int>(divs.size()) - 1, shown.c_str())) {
    *wish = divs[std::clamp(idx, 0, static_cast<int>(divs.size()) - 1)];
    return *wish;
  }
  return groups;
}

// Horizontal bars of byte counts, the exact number beside each; bars after the first say how
// much they save against `reference`.
void ByteBars(const std::vector<std::string>& labels, const std::vector<double>& bytes, double reference) {
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
    std::string line = StrFormat(Tr(Str::KvBytesExact), GroupDigits(bytes[i]).c_str(), BinaryBytes(bytes[i]).c_str());
    if (i > 0 && reference > 0) line += " · " + StrFormat(Tr(Str::KvSaved), 100.0 * (1.0 - bytes[i] / reference));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(line.c_str());
    ImGui::PopTextWrapPos();
  }
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] The calculator
//-----------------------------------------------------------------------------

static void KvCalculator(session::Session& session) {
  SubHeading(Str::KvCalculator);
  if (session.HasModel()) {
    if (ImGui::SmallButton(IdLabel(Str::KvFromModel, "kv-from-model").c_str())) FillFromModel(session.info().config);
    Hotspot("kv_from_model");
  }
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(IdLabel(Str::KvLayers, "kv-layers").c_str(), &kv.layers, 1, 128);
  Hotspot("kv_layers");
  Flow(LabeledWidth(Str::KvHeads));
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(IdLabel(Str::KvHeads, "kv-heads").c_str(), &kv.heads, 1, 128);
  Hotspot("kv_heads");
  Flow(LabeledWidth(Str::KvHeadDim));
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(IdLabel(Str::KvHeadDim, "kv-head-dim").c_str(), &kv.head_dim, 8, 256);
  Hotspot("kv_head_dim");
  ImGui::SetNextItemWidth(SliderWidth());
  ImGui::SliderInt(IdLabel(Str::KvSeq, "kv-seq").c_str(), &kv.seq, 1, 1 << 20, "%d", ImGuiSliderFlags_Logarithmic);
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
    if (RadioInRow(IdLabel(kBytes[i], kIds[i]).c_str(), kv.bytes == i)) kv.bytes = i;
    Hotspot(kIds[i]);
  }
  ImGui::Spacing();

  const double mha = lab::KvCacheBytes(CalculatorShape(kv.heads));
  const double gqa = lab::KvCacheBytes(CalculatorShape(groups));
  const double mqa = lab::KvCacheBytes(CalculatorShape(1));
  ByteBars({StrFormat(Tr(Str::KvMha), kv.heads), StrFormat(Tr(Str::KvGqa), groups), Tr(Str::KvMqa)}, {mha, gqa, mqa}, mha);
}

//-----------------------------------------------------------------------------
// [SECTION] K/V sharing on the loaded model
//-----------------------------------------------------------------------------

static void KvDemo(session::Session& session) {
  SubHeading(Str::KvDemoHeading);
  Paragraph(Tr(Str::KvDemoText), GetPalette().muted_text);
  if (!session.HasModel()) {
    NoModelNote(session, Str::ArchNeedsModel, GetPalette().badge_text);
    return;
  }
  const model::Config& c = session.info().config;
  if (kv.demo_groups <= 0) kv.demo_groups = DefaultGroups(c.n_head);
  kv.demo_groups = GroupSlider("kv-demo-groups", Str::KvDemoGroups, c.n_head, &kv.demo_groups);
  Hotspot("kv_demo_groups");
  Flow(LabeledWidth(Str::SelfAttnLayer));
  LayerHeadPicker("kv", &kv.layer, &kv.head, c.n_layer, c.n_head);

  if (session.tokens().empty()) return;
  // A long text still running in pieces: its own runs would block the app for as long again.
  if (session.pass_in_progress()) {
    TextProblemNote(session, GetPalette().muted_text);
    return;
  }
  if (RunsOverBudget(session, session::KvSharingRuns::BytesNeeded(session))) return;
  kv.runs.Update(session, kv.demo_groups);
  const session::VariantRun &base = kv.runs.base(), &shared = kv.runs.shared();
  if (!base.ok() || !shared.ok()) {
    Paragraph(i18n::Tr(base.ok() ? shared.error : base.error), GetPalette().badge_text);
    return;
  }
  const int T = base.trace.count;
  lab::KvCacheShape shape{c.n_layer, c.n_head, c.n_head, c.head_dim(), T, 4.0};
  const double before = lab::KvCacheBytes(shape);
  shape.kv_heads = kv.demo_groups;
  const double after = lab::KvCacheBytes(shape);
  Paragraph(StrFormat(Tr(Str::KvDemoMemory), T, BinaryBytes(before).c_str(), BinaryBytes(after).c_str(),
                      100.0 * (1.0 - after / before)));

  const std::vector<float> m0 = base.trace.HeadMatrix(kv.layer, kv.head), m1 = shared.trace.HeadMatrix(kv.layer, kv.head);
  const float change = session::MaxAbsDifference(m0, m1);
  const bool same_top = !base.top5.empty() && !shared.top5.empty() && base.top5[0].id == shared.top5[0].id;
  Columns("kv-demo", 2, 16, [&](int i) {
    Paragraph(StrFormat(Tr(i == 0 ? Str::KvDemoBefore : Str::KvDemoAfter), kv.demo_groups));
  }, [&](int i) {
    AttentionMap("kv-map", i == 0 ? m0 : m1, T, session);
    Hotspot(i == 0 ? "kv_map_before" : "kv_map_after");
    Top5("kv-top", i == 0 ? base.top5 : shared.top5, session.tokenizer(), i == 0 ? nullptr : &base.top5);
  });
  Paragraph(StrFormat(Tr(Str::KvDemoDiff), change) + " " + Tr(same_top ? Str::Top1Same : Str::Top1Changed));

  kv.json = "{\"groups\":" + std::to_string(kv.demo_groups) + ",\"layer\":" + std::to_string(kv.layer) +
            ",\"head\":" + std::to_string(kv.head) + ",\"tokens\":" + std::to_string(T) + ",\"mha_bytes\":" +
            JsonNumber(before) + ",\"shared_bytes\":" + JsonNumber(after) + ",\"max_attention_change\":" +
            JsonNumber(change) + ",\"top5_before\":" + Top5Json(base.top5, session.tokenizer()) +
            ",\"top5_after\":" + Top5Json(shared.top5, session.tokenizer()) + "}";
}

//-----------------------------------------------------------------------------
// [SECTION] The figure
//-----------------------------------------------------------------------------

static void DrawKv(session::Session& session) {
  Paragraph(Tr(Str::KvIntro));
  KvCalculator(session);
  ImGui::Spacing();
  ImGui::Separator();
  KvDemo(session);
}

// kv.layers, kv.heads, kv.head_dim, kv.seq, kv.groups, kv.bytes=f32|f16|q8; kv.demo_groups,
// kv.layer, kv.head.
static void ReadKvOptions(AppState& app) {
  TakeIntOption(app, "kv.layers", &kv.layers);
  TakeIntOption(app, "kv.heads", &kv.heads);
  TakeIntOption(app, "kv.head_dim", &kv.head_dim);
  TakeIntOption(app, "kv.seq", &kv.seq);
  TakeIntOption(app, "kv.groups", &kv.groups);
  const std::string bytes = TakeOption(app, "kv.bytes");
  if (bytes == "f32") kv.bytes = 0;
  if (bytes == "f16") kv.bytes = 1;
  if (bytes == "q8" || bytes == "q8_0") kv.bytes = 2;
  TakeIntOption(app, "kv.demo_groups", &kv.demo_groups);
  TakeIntOption(app, "kv.layer", &kv.layer);
  TakeIntOption(app, "kv.head", &kv.head);
  kv.layers = std::clamp(kv.layers, 1, 128);
  kv.heads = std::clamp(kv.heads, 1, 128);
  kv.head_dim = std::clamp(kv.head_dim, 8, 256);
  kv.seq = std::clamp(kv.seq, 1, 1 << 20);
}

static std::string KvJson(session::Session&) {
  const double mha = lab::KvCacheBytes(CalculatorShape(kv.heads));
  const int groups = lab::ClosestDivisor(kv.heads, kv.groups);  // what the calculator shows
  const double gqa = lab::KvCacheBytes(CalculatorShape(groups));
  const double mqa = lab::KvCacheBytes(CalculatorShape(1));
  std::string j = "\"kv\":{\"layers\":" + std::to_string(kv.layers) + ",\"heads\":" + std::to_string(kv.heads) +
                  ",\"head_dim\":" + std::to_string(kv.head_dim) + ",\"seq\":" + std::to_string(kv.seq) +
                  ",\"bytes_per_value\":" + JsonNumber(kBytesPerValue[kv.bytes]) + ",\"groups\":" + std::to_string(groups) +
                  ",\"mha\":" + JsonNumber(mha) + ",\"gqa\":" + JsonNumber(gqa) + ",\"mqa\":" + JsonNumber(mqa) + "}";
  if (!kv.json.empty()) j += ",\"kv_demo\":" + kv.json;
  return j;
}

extern const ArchitectFigure kArchitectKv = {"kv", Str::ArchViewKv, DrawKv, ReadKvOptions, ModelLoaded, KvJson};

}  // namespace attn::ui
