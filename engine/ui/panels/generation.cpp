// 11.4, below the explorer: how GPT-2 writes. The model's next-token probabilities as bars,
// the distribution the sampler really draws from once temperature, top-k and top-p have
// reshaped it, and Step / Auto to append tokens to the session's sentence — the attention
// maps above follow the growing text.
//
//   p = softmax(logits)             what the model says (temperature 1)
//   q = softmax(logits / T), cut to the top k / the top p mass, renormalized: what is drawn
//
// Generation appends the drawn token to the text (session.AppendToken: its bytes, and exactly
// that id — encoding the text again could split it differently) and the session re-runs the
// model; with the same seed and settings the text equals
// `attnlab-cli generate MODEL --text … --tokens N --temperature T --seed S`.
//
// [SECTION] Index
//   - State and options
//   - Stepping
//   - Probabilities
//   - Controls
//   - Publish and section
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

#include "formats/json.h"
#include "model/sampling.h"
#include "session/token_labels.h"
#include "ui/fonts.h"
#include "ui/panels/panels.h"
#include "ui/theme.h"
#include "ui/widgets/bar_chart.h"
#include "ui/widgets/colormap.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] State and options
//-----------------------------------------------------------------------------

constexpr int kBars = 10;                 // tokens shown in the bar charts
constexpr int kAutoLengths[] = {20, 50};  // Auto stops after this many tokens

struct GenerationState {
  model::SamplingParams params;           // temperature 1, no top-k, no top-p
  int seed = 1;
  int length_choice = 0;                  // index into kAutoLengths
  model::Rng rng{1};
  bool running = false;                   // Auto in progress
  int run_left = 0;                       // tokens Auto still has to write
  int generated = 0;                      // tokens appended since the prompt
  std::string prompt;                     // the text before the first generated token
  std::string expected;                   // the text after our last step: anything else = a new prompt
  std::string appended;                   // what generation added to the prompt
  bool ended = false, context_full = false;
  int steps_on_start = 0;                 // gen.steps: write this many tokens at once, first frame
  int auto_on_start = 0;                  // gen.auto: start Auto for this many tokens
  // The bars, recomputed when the text or the settings change.
  uint64_t cached_version = ~0ull;
  model::SamplingParams cached_params{-1.0f, -1, -1.0f};
  std::vector<model::TokenProb> top;      // the kBars most likely tokens, true probabilities
  std::vector<float> drawn_p;             // their probability in the sampler's distribution (0: left out)
};

static GenerationState g;

// Start-up options: gen.temperature, gen.top_k, gen.top_p, gen.seed, gen.steps (tokens written
// at the first frame, for tests), gen.auto (Auto for that many tokens, one a frame).
static void ReadOptions(AppState& app) {
  auto get = [&](const char* key, auto* out) {
    const std::string v = TakeOption(app, key);
    if (!v.empty()) *out = static_cast<std::remove_pointer_t<decltype(out)>>(std::atof(v.c_str()));
    return !v.empty();
  };
  get("gen.temperature", &g.params.temperature);
  get("gen.top_k", &g.params.top_k);
  get("gen.top_p", &g.params.top_p);
  if (get("gen.seed", &g.seed)) g.rng = model::Rng(static_cast<uint64_t>(g.seed));
  get("gen.steps", &g.steps_on_start);
  get("gen.auto", &g.auto_on_start);
}

//-----------------------------------------------------------------------------
// [SECTION] Stepping
//-----------------------------------------------------------------------------

// A text we did not write (typed, or from 11.2) is a new prompt: counters restart, and so does
// the seeded generator, so the same prompt, seed and settings give the same continuation.
static void SyncPrompt(session::Session& session) {
  if (g.generated > 0 && session.text() == g.expected) return;
  if (g.generated == 0 && session.text() == g.prompt) return;
  g.prompt = session.text();
  g.expected.clear();
  g.appended.clear();
  g.generated = 0;
  g.ended = g.context_full = false;
  g.rng = model::Rng(static_cast<uint64_t>(g.seed));
}

// Draws one token and appends it; false when nothing can be appended.
static bool Step(session::Session& session) {
  SyncPrompt(session);
  const std::vector<float>& logits = session.last_logits();
  if (logits.empty()) return false;
  if (static_cast<int>(session.tokens().size()) >= session.max_tokens()) {  // the context or the memory budget
    g.context_full = true;
    return false;
  }
  const int id = model::SampleToken(model::NextTokenDistribution(logits, g.params), g.rng);
  if (id < 0) return false;
  if (id == session.tokenizer().EndOfTextId()) {  // the model ended the document
    g.ended = true;
    return false;
  }
  session.AppendToken(id);  // the text grows by the token's bytes, the tokens by exactly this id
  g.appended += session.tokenizer().TokenBytes(id);
  g.expected = session.text();
  ++g.generated;
  return true;
}

static void StartAuto(session::Session& session, int tokens) {
  SyncPrompt(session);
  g.running = true;
  g.run_left = tokens;
}

static void RunAuto(session::Session& session) {
  if (!g.running) return;
  if (session.pass_in_progress()) return;  // a long text still running in pieces: its logits come first
  if (g.run_left <= 0 || !Step(session)) {
    g.running = false;
    return;
  }
  --g.run_left;
  if (g.run_left <= 0) g.running = false;
  else RequestAnimation();
}

static void Restore(session::Session& session) {
  g.running = false;
  session.SetText(g.prompt);
  SyncPrompt(session);
  g.generated = 0;
  g.rng = model::Rng(static_cast<uint64_t>(g.seed));
}

//-----------------------------------------------------------------------------
// [SECTION] Probabilities
//-----------------------------------------------------------------------------

static void RefreshBars(session::Session& session) {
  const uint64_t v = session.version();
  const model::SamplingParams& p = g.params;
  const model::SamplingParams& c = g.cached_params;
  if (v == g.cached_version && p.temperature == c.temperature && p.top_k == c.top_k && p.top_p == c.top_p) return;
  g.cached_version = v;
  g.cached_params = p;
  const std::vector<float>& logits = session.last_logits();
  // Temperature 1, no cuts: the model's own probabilities (softmax over the whole vocabulary).
  g.top = model::NextTokenDistribution(logits, {1.0f, 0, 1.0f});
  if (g.top.size() > kBars) g.top.resize(kBars);
  const std::vector<model::TokenProb> drawn = model::NextTokenDistribution(logits, p);
  g.drawn_p.assign(g.top.size(), 0.0f);
  for (size_t i = 0; i < g.top.size(); ++i)
    for (const model::TokenProb& d : drawn)
      if (d.id == g.top[i].id) g.drawn_p[i] = d.p;
}

// How a token reads under a bar: its text, "·" for a leading space.
static std::string BarLabel(session::Session& session, int id) {
  std::string text = session::DisplayText(session.tokenizer().TokenBytes(id));
  if (!text.empty() && text[0] == ' ') text = "·" + text.substr(1);
  RequestGlyphs(text);  // a Chinese token, ⏎
  return text;
}

static void Bars(session::Session& session) {
  const Palette& pal = GetPalette();
  std::vector<std::string> names;
  std::vector<float> p;
  std::vector<bool> left_out;
  float vmax = 0.05f;
  for (size_t i = 0; i < g.top.size(); ++i) {
    names.push_back(BarLabel(session, g.top[i].id));
    p.push_back(g.top[i].p);
    left_out.push_back(g.drawn_p[i] <= 0.0f);
    vmax = std::max(vmax, std::max(g.top[i].p, g.drawn_p[i]));
  }
  ImGui::TextUnformatted(Tr(Str::GenModelProbs));
  BarChartSpec spec;
  spec.labels = &names;
  spec.values = &p;
  spec.vmax = vmax;
  spec.height_em = 4.5f;
  spec.color = Categorical(4);
  BarChart("gen-model-bars", spec);
  Hotspot("gen_bars");
  ImGui::Spacing();
  ImGui::TextUnformatted(Tr(Str::GenSamplerProbs));
  spec.values = &g.drawn_p;
  spec.dimmed = &left_out;
  spec.color = Categorical(0);
  BarChart("gen-drawn-bars", spec);
  Hotspot("gen_drawn_bars");
  if (g.params.temperature <= 0.0f) Paragraph(Tr(Str::GenGreedy), pal.muted_text);
}

//-----------------------------------------------------------------------------
// [SECTION] Controls
//-----------------------------------------------------------------------------

static void Settings() {
  const float w = ImGui::GetFontSize() * 8;
  const std::string top_k = IdLabel(Str::GenTopK, "gen-top-k"), seed = IdLabel(Str::GenSeed, "gen-seed");
  ImGui::SetNextItemWidth(w);
  ImGui::SliderFloat(IdLabel(Str::GenTemperature, "gen-temperature").c_str(), &g.params.temperature, 0.0f, 2.0f, "%.2f");
  Hotspot("gen_temperature");
  SameLineIfFits(LabelledWidth(w, top_k.c_str()));
  ImGui::SetNextItemWidth(w);
  ImGui::SliderInt(top_k.c_str(), &g.params.top_k, 0, 50);
  Hotspot("gen_top_k");
  ImGui::SetNextItemWidth(w);
  ImGui::SliderFloat(IdLabel(Str::GenTopP, "gen-top-p").c_str(), &g.params.top_p, 0.05f, 1.0f, "%.2f");
  Hotspot("gen_top_p");
  SameLineIfFits(LabelledWidth(w, seed.c_str()));
  ImGui::SetNextItemWidth(w);
  if (ImGui::InputInt(seed.c_str(), &g.seed)) {
    g.seed = std::max(g.seed, 0);
    g.rng = model::Rng(static_cast<uint64_t>(g.seed));
  }
  Hotspot("gen_seed");
}

static void Buttons(session::Session& session) {
  const bool busy = g.running || session.pass_in_progress();  // nothing to draw from until the pass is done
  if (busy) ImGui::BeginDisabled();
  if (ImGui::Button(IdLabel(Str::GenStep, "gen-step").c_str())) Step(session);
  Hotspot("gen_step");
  ImGui::SameLine();
  if (ImGui::Button(IdLabel(Str::GenAuto, "gen-auto").c_str())) StartAuto(session, kAutoLengths[g.length_choice]);
  Hotspot("gen_auto");
  if (busy) ImGui::EndDisabled();
  ImGui::SameLine();
  char item[2][32];
  for (int k = 0; k < 2; ++k) std::snprintf(item[k], sizeof item[k], "%d %s", kAutoLengths[k], Tr(Str::GenLength));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  if (ImGui::BeginCombo("###gen-length", item[g.length_choice])) {
    for (int k = 0; k < 2; ++k)
      if (ImGui::Selectable(item[k], k == g.length_choice)) g.length_choice = k;
    ImGui::EndCombo();
  }
  Hotspot("gen_length");
  const std::string stop = IdLabel(Str::GenStop, "gen-stop"), restore = IdLabel(Str::GenRestore, "gen-restore");
  const float pad = 2 * ImGui::GetStyle().FramePadding.x;
  SameLineIfFits(ImGui::CalcTextSize(stop.c_str(), nullptr, true).x + pad);
  if (!g.running) ImGui::BeginDisabled();
  if (ImGui::Button(stop.c_str())) g.running = false;
  if (!g.running) ImGui::EndDisabled();
  Hotspot("gen_stop");
  SameLineIfFits(ImGui::CalcTextSize(restore.c_str(), nullptr, true).x + pad);
  const bool nothing = g.generated == 0;
  if (nothing) ImGui::BeginDisabled();
  if (ImGui::Button(restore.c_str())) Restore(session);
  if (nothing) ImGui::EndDisabled();
  Hotspot("gen_restore");
}

//-----------------------------------------------------------------------------
// [SECTION] Publish and section
//-----------------------------------------------------------------------------

static void Publish(session::Session& session) {
  char buf[96];
  std::string j = "{\"top\":[";
  for (size_t i = 0; i < g.top.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s{\"id\":%d,\"text\":", i ? "," : "", g.top[i].id);
    j += buf;
    j += json::Quote(session.tokenizer().TokenBytes(g.top[i].id));
    std::snprintf(buf, sizeof buf, ",\"p\":%.6g,\"p_drawn\":%.6g}", g.top[i].p, g.drawn_p[i]);
    j += buf;
  }
  std::snprintf(buf, sizeof buf, "],\"temperature\":%.6g,\"top_k\":%d,\"top_p\":%.6g,\"seed\":%d", g.params.temperature,
                g.params.top_k, g.params.top_p, g.seed);
  j += buf;
  j += ",\"generated\":" + std::to_string(g.generated);
  j += ",\"prompt\":" + json::Quote(g.prompt) + ",\"appended\":" + json::Quote(g.appended);
  j += ",\"text\":" + json::Quote(session.text());
  j += std::string(",\"running\":") + (g.running ? "true" : "false");
  j += std::string(",\"ended\":") + (g.ended ? "true" : "false");
  j += std::string(",\"context_full\":") + (g.context_full ? "true" : "false") + "}";
  PublishPanelState("generation", std::move(j));
}

void DrawGenerationSection(AppState& app, session::Session& session) {
  const Palette& pal = GetPalette();
  ReadOptions(app);
  SyncPrompt(session);
  if (g.steps_on_start > 0) {
    for (int k = 0; k < g.steps_on_start && Step(session); ++k) {}
    g.steps_on_start = 0;
  }
  if (g.auto_on_start > 0) {
    StartAuto(session, g.auto_on_start);
    g.auto_on_start = 0;
  }
  RunAuto(session);

  ImGui::PushFont(ActiveFonts().heading);
  ImGui::TextUnformatted(Tr(Str::GenTitle));
  ImGui::PopFont();
  Paragraph(Tr(Str::GenIntro));
  ImGui::Spacing();
  Settings();
  Buttons(session);
  if (g.generated > 0) {
    char line[64];
    std::snprintf(line, sizeof line, Tr(Str::GenGenerated), g.generated);
    ImGui::TextUnformatted(line);
    Paragraph(Tr(Str::GenAttentionNote), pal.muted_text);
  }
  if (g.ended) Paragraph(Tr(Str::GenEnded), pal.badge_text);
  if (g.context_full) {
    const int longest = session.max_tokens();
    if (longest < session.info().config.n_ctx) {  // stopped by the memory budget, not the context
      char line[256];
      std::snprintf(line, sizeof line, Tr(Str::GenMemoryFull), longest);
      Paragraph(line, pal.badge_text);
    } else {
      Paragraph(Tr(Str::GenContextFull), pal.badge_text);
    }
  }
  if (session.last_logits().empty()) {
    EmptyTraceNote(session, pal.muted_text);
    return;
  }
  RefreshBars(session);
  ImGui::Spacing();
  Bars(session);
  Publish(session);
}

}  // namespace attn::ui
