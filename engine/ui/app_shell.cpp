// [SECTION] Index
//   - State helpers (ParseSection, UiStateJson)
//   - Top bar (title, language switch, theme switch)
//   - Navigation (the chapter's sections)
//   - Shell (layout of the whole viewport)
#include "ui/app_shell.h"

#include <imgui.h>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <iterator>
#include <vector>

#include "formats/json.h"
#include "kernels/threads.h"
#include "ui/fonts.h"
#include "ui/embed_dialog.h"
#include "ui/model_dialog.h"
#include "ui/panels/panels.h"
#include "ui/widgets/heatmap_image.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] State helpers
//-----------------------------------------------------------------------------

static bool g_animation_requested = false;
static bool g_animating = false;

void RequestAnimation() { g_animation_requested = true; }
bool WantsAnimation() { return g_animating; }

bool ParseSection(const std::string& text, int* section) {
  for (int i = 0; i < kSectionCount; ++i) {
    if (text == kSections[i].id || text == std::to_string(i + 1)) {
      *section = i;
      return true;
    }
  }
  return false;
}

static std::vector<std::pair<std::string, std::string>> g_panel_states;

void PublishPanelState(const std::string& key, std::string json) {
  for (auto& kv : g_panel_states)
    if (kv.first == key) { kv.second = std::move(json); return; }
  g_panel_states.emplace_back(key, std::move(json));
}

static std::string ModelJson(session::Session& session) {
  if (!session.HasModel()) return "null";
  const session::ModelInfo& m = session.info();
  const model::Config& c = m.config;
  std::string out = "{\"name\":" + json::Quote(m.name) + ",\"source\":" + json::Quote(m.source);
  out += ",\"weight_type\":" + json::Quote(m.weight_type) + ",\"file_bytes\":" + std::to_string(m.file_bytes);
  out += ",\"parameters\":" + std::to_string(m.parameters) + ",\"n_layer\":" + std::to_string(c.n_layer);
  out += ",\"n_head\":" + std::to_string(c.n_head) + ",\"n_embd\":" + std::to_string(c.n_embd);
  out += ",\"n_ctx\":" + std::to_string(c.n_ctx) + ",\"is_demo\":" + (m.is_demo ? "true" : "false") + "}";
  return out;
}

std::string TakeOption(AppState& state, const std::string& key) {
  for (size_t i = 0; i < state.options.size(); ++i)
    if (state.options[i].first == key) {
      std::string v = state.options[i].second;
      state.options.erase(state.options.begin() + i);
      return v;
    }
  return "";
}

bool TakeIntOption(AppState& state, const std::string& key, int* out) {
  const std::string v = TakeOption(state, key);
  if (v.empty()) return false;
  *out = std::atoi(v.c_str());
  return true;
}

float UiScale(const AppState& state) { return state.scale * state.text_size; }

// One step along kTextSizes from the current size (−1 smaller, +1 larger), clamped to the ends.
static float StepTextSize(float current, int dir) {
  const int n = static_cast<int>(std::size(kTextSizes));
  int i = 0;
  while (i + 1 < n && kTextSizes[i] < current - 1e-3f) ++i;  // the step at or above `current`
  return kTextSizes[std::clamp(i + dir, 0, n - 1)];
}

static std::string NavJson(const AppState& state) {  // the navigation labels as drawn
  std::string out = "[";
  for (int i = 0; i < kSectionCount; ++i) {
    if (i) out += ',';
    out += json::Quote(Tr(kSections[i].title, state.lang));
  }
  return out + "]";
}

std::string PageStateJson(const AppState& state, session::Session& session) {
  std::string out = "{\"lang\":" + json::Quote(i18n::LangCode(state.lang));
  out += ",\"section\":" + json::Quote(kSections[state.section].id);
  out += ",\"nav\":" + NavJson(state);
  out += ",\"text\":" + json::Quote(session.text());
  out += ",\"hotspots\":" + HotspotsJson({"sa_sentence", "vis_sentence"});
  out += ",\"panels\":{";
  bool first = true;
  for (const auto& [key, json] : g_panel_states) {
    if (key != "self_attention" && key != "visualize") continue;
    out += (first ? "" : ",") + json::Quote(key) + ":" + json;
    first = false;
  }
  out += "}}";
  return json::NonFiniteToNull(out);
}

std::string UiStateJson(const AppState& state, session::Session& session) {
  std::string out = "{\"lang\":";
  out += json::Quote(i18n::LangCode(state.lang));
  out += ",\"theme\":";
  out += json::Quote(state.theme == Theme::Dark ? "dark" : "light");
  out += std::string(",\"embed\":") + (state.embed ? "true" : "false");
  char text_size[32];
  std::snprintf(text_size, sizeof text_size, ",\"text_size\":%.2f", state.text_size);
  out += text_size;
  out += ",\"section\":";
  out += json::Quote(kSections[state.section].id);
  out += ",\"page_scroll\":" + std::to_string(static_cast<int>(state.page_scroll));
  out += ",\"title\":";
  out += json::Quote(Tr(Str::AppName, state.lang));
  out += ",\"nav\":" + NavJson(state);
  out += ",\"frame\":" + std::to_string(state.frame);
  out += ",\"input_pending\":" + std::to_string(state.input_pending);
  out += ",\"threads\":" + std::to_string(kernels::Threads());  // the model's worker threads (1: none)
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", state.frame_ms);
  out += std::string(",\"frame_ms\":") + ms;
  out += ",\"redrawn_px\":" + std::to_string(state.redrawn_px);
  std::snprintf(ms, sizeof ms, "%.3f", state.ui_ms);
  out += std::string(",\"ui_ms\":") + ms;
  const HeatmapDrawCounts heatmaps = HeatmapCountsThisFrame();  // which path the heatmaps took
  out += ",\"heatmaps\":{\"images\":" + std::to_string(heatmaps.images) + ",\"rectangles\":" +
         std::to_string(heatmaps.rectangles) + ",\"error\":" + json::Quote(HeatmapRendererError()) + "}";
  out += ",\"touch\":{\"listening\":" + std::string(state.touch_listening ? "true" : "false") +
         ",\"screens\":" + std::to_string(state.touch_screens) + ",\"error\":" + json::Quote(state.touch_error) + "}";
  out += ",\"focused\":";
  out += json::Quote(FocusedHotspot());
  out += ",\"hotspots\":" + HotspotsJson();
  out += ",\"model\":" + ModelJson(session);
  out += ",\"model_error\":" + json::Quote(session.load_error());
  const session::Session::ModelArrival& arrival = session.model_arrival();  // the page's download
  char arrival_json[96];
  std::snprintf(arrival_json, sizeof arrival_json, ",\"model_arrival\":{\"pending\":%s,\"loaded\":%.0f,\"total\":%.0f}",
                arrival.pending ? "true" : "false", arrival.loaded, arrival.total);
  out += arrival_json;
  out += ",\"text\":" + json::Quote(session.text());
  out += ",\"text_error\":" + json::Quote(session.text_error());
  {  // the memory budget and how the text runs under it (memory_budget.h)
    const session::PassPlan& plan = session.pass_plan();
    const session::Session::TextCut& cut = session.text_cut();
    static const char* const kDetail[] = {"full", "no_block_outputs", "no_qkv"};
    char memory[360];
    std::snprintf(memory, sizeof memory,
                  ",\"memory\":{\"budget\":%llu,\"planned\":%llu,\"detail\":\"%s\",\"typed\":%d,\"kept\":%d,"
                  "\"by_memory\":%s,\"refused_model_bytes\":%llu,\"waiting\":%s,\"pass_done\":%d}",
                  static_cast<unsigned long long>(session.memory_budget()), static_cast<unsigned long long>(plan.bytes),
                  kDetail[static_cast<int>(plan.detail)], cut.typed, cut.kept, cut.by_memory ? "true" : "false",
                  static_cast<unsigned long long>(session.load_refused_bytes()), session.pass_in_progress() ? "true" : "false", session.pass_progress().done);
    out += memory;
  }
  out += ",\"tokens\":[";
  const std::vector<int>& ids = session.tokens();
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  out += "],\"panels\":{";
  for (size_t i = 0; i < g_panel_states.size(); ++i)
    out += (i ? "," : "") + json::Quote(g_panel_states[i].first) + ":" + g_panel_states[i].second;
  out += "}}";
  return json::NonFiniteToNull(out);  // a model that computes NaN must not break the state API
}

//-----------------------------------------------------------------------------
// [SECTION] Top bar
//-----------------------------------------------------------------------------

static void DrawTopBar(AppState& state, session::Session& session) {
  const Palette& pal = GetPalette();
  ImGui::PushFont(ActiveFonts().heading);
  ImGui::TextUnformatted(Tr(Str::AppName));
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::PushStyleColor(ImGuiCol_Text, pal.muted_text);
  const float fixed_buttons = ImGui::CalcTextSize(Tr(Str::LanguageButton)).x +
                              ImGui::CalcTextSize(Tr(Str::ThemeDark)).x +
                              ImGui::CalcTextSize(Tr(Str::TextSmaller)).x + ImGui::CalcTextSize(Tr(Str::TextLarger)).x +
                              8 * ImGui::GetStyle().FramePadding.x + 4 * ImGui::GetStyle().ItemSpacing.x;
  // Phones: the model button shrinks to "模型" when its name and size do not fit.
  const bool compact = ImGui::GetContentRegionAvail().x < fixed_buttons + ModelButtonWidth(session, false) +
                                                              ImGui::GetFontSize() * 4.0f;
  const float embed_w = ImGui::CalcTextSize(Tr(Str::EmbedButton)).x + 2 * ImGui::GetStyle().FramePadding.x +
                        ImGui::GetStyle().ItemSpacing.x;
  const float right_buttons = fixed_buttons + ModelButtonWidth(session, compact) + (compact ? 0.0f : embed_w);
  // The chapter title only where it fits beside the buttons (phones get the app name only),
  // and the buttons a row of their own where even the app name leaves no room for them.
  const float title_w = ImGui::CalcTextSize(Tr(Str::ChapterTitle)).x;
  const bool buttons_fit = ImGui::GetContentRegionAvail().x > right_buttons + ImGui::GetFontSize() * 0.5f;
  if (buttons_fit && ImGui::GetContentRegionAvail().x > title_w + right_buttons + ImGui::GetFontSize() * 2)
    ImGui::TextUnformatted(Tr(Str::ChapterTitle));
  else
    ImGui::TextUnformatted("");
  ImGui::PopStyleColor();

  const float right_aligned = ImGui::GetWindowContentRegionMax().x - right_buttons;
  if (buttons_fit) ImGui::SameLine(right_aligned);
  else ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), right_aligned));
  DrawModelButton(session, compact);
  ImGui::SameLine();
  // Text size: the new size takes effect next frame (the app rebuilds fonts and style).
  if (ImGui::Button((std::string(Tr(Str::TextSmaller)) + "###text-smaller").c_str())) state.text_size = StepTextSize(state.text_size, -1);
  Hotspot("text_smaller");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", Tr(Str::TextSmallerTooltip));
  ImGui::SameLine();
  if (ImGui::Button((std::string(Tr(Str::TextLarger)) + "###text-larger").c_str())) state.text_size = StepTextSize(state.text_size, +1);
  Hotspot("text_larger");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", Tr(Str::TextLargerTooltip));
  ImGui::SameLine();
  if (!compact) {
    DrawEmbedButton();
    ImGui::SameLine();
  }
  // "###lang" keeps the ID stable while the label changes with the language.
  if (ImGui::Button((std::string(Tr(Str::LanguageButton)) + "###lang").c_str()))
    state.lang = state.lang == i18n::Lang::Zh ? i18n::Lang::En : i18n::Lang::Zh;
  Hotspot("lang_toggle");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", Tr(Str::LanguageTooltip));
  ImGui::SameLine();
  const char* theme_label = Tr(state.theme == Theme::Light ? Str::ThemeDark : Str::ThemeLight);
  if (ImGui::Button((std::string(theme_label) + "###theme").c_str()))
    state.theme = state.theme == Theme::Light ? Theme::Dark : Theme::Light;
  Hotspot("theme_toggle");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", Tr(Str::ThemeTooltip));
}

//-----------------------------------------------------------------------------
// [SECTION] Navigation
//-----------------------------------------------------------------------------

// One navigation entry: a full-width selectable whose label wraps onto more lines when the
// column is narrow, so long titles ("11.4 … (Vibe Coding …)") are never cut off.
static bool NavItem(const char* label, const char* id, bool selected) {
  const Palette& pal = GetPalette();
  const float em = ImGui::GetFontSize();
  const float pad_x = ImGui::GetStyle().ItemSpacing.x * 0.5f;  // the selectable's rect reaches this far left of the text column
  const std::vector<LineSpan> lines = WrapLines(label, ImGui::GetContentRegionAvail().x - 2 * pad_x);
  const float line_h = ImGui::GetTextLineHeight();
  const float height = std::max(2.0f * em, lines.size() * line_h + em);

  const bool clicked = ImGui::Selectable((std::string("##nav-") + id).c_str(), selected, 0, ImVec2(0, height));
  const ImVec2 min = ImGui::GetItemRectMin();
  float y = min.y + (height - lines.size() * line_h) * 0.5f;
  const ImU32 color = selected ? pal.accent : ImGui::GetColorU32(ImGuiCol_Text);
  for (const LineSpan& line : lines) {
    ImGui::GetWindowDrawList()->AddText(ImVec2(min.x + pad_x, y), color, label + line.begin, label + line.end);
    y += line_h;
  }
  return clicked;
}

static void DrawNavigation(AppState& state) {
  const Palette& pal = GetPalette();
  ImGui::PushStyleColor(ImGuiCol_Text, pal.muted_text);
  ImGui::TextUnformatted(Tr(Str::NavHeading));
  ImGui::PopStyleColor();
  ImGui::Spacing();
  for (int i = 0; i < kSectionCount; ++i) {
    if (NavItem(Tr(kSections[i].title), kSections[i].id, state.section == i)) state.section = i;
    Hotspot((std::string("nav-") + kSections[i].id).c_str());
  }
  ImGui::Spacing();
  ImGui::Separator();
  Paragraph(Tr(Str::NavHint), pal.muted_text);
  if (!ActiveFonts().has_cjk) Paragraph(Tr(Str::FontMissing), pal.badge_text);
}

static void DrawNavigationDropDown(AppState& state) {
  ImGui::SetNextItemWidth(-1.0f);
  if (ImGui::BeginCombo("###nav-combo", Tr(kSections[state.section].title))) {
    for (int i = 0; i < kSectionCount; ++i) {
      const std::string label = std::string(Tr(kSections[i].title)) + "###nav-" + kSections[i].id;
      if (ImGui::Selectable(label.c_str(), state.section == i)) state.section = i;
    }
    ImGui::EndCombo();
  }
  Hotspot("nav-combo");
}

//-----------------------------------------------------------------------------
// [SECTION] Shell
//-----------------------------------------------------------------------------

// Panes are "flattened" for keyboard navigation: the arrow keys move straight from the top
// bar into the chapter list and the page, instead of stopping at each pane's border.
constexpr ImGuiWindowFlags kPaneFlags = ImGuiWindowFlags_NavFlattened;

// The section's page. Each section is its own scrolling window, so a section opens at its top
// the first time, and where the student left it after that — never at another section's
// scroll position with its title out of sight.
static void DrawPage(AppState& state, session::Session& session, const ImVec2& size) {
  const std::string id = std::string("page-") + kSections[state.section].id;
  ImGui::BeginChild(id.c_str(), size, false, kPaneFlags);
  kSections[state.section].draw(state, session);
  state.page_scroll = ImGui::GetScrollY();
  ImGui::EndChild();
}

static void FinishFrame(AppState& state) {
  g_animating = g_animation_requested;
  g_animation_requested = false;
  ++state.frame;
}

// A long pass runs in pieces (Session::SetSliceLongPasses): about this long at the start of
// each frame, while the figures say how far it is and the app keeps taking input.
constexpr double kPassSecondsPerFrame = 0.08;

static void AfterFrame(session::Session& session) {
  if (session.pass_in_progress()) RequestAnimation();  // the next piece comes with the next frame
}

void DrawAppShell(AppState& state, session::Session& session, float width, float height) {
  state.figure_layer = state.figure_head = -1;  // the figure drawn this frame sets them
  i18n::SetLanguage(state.lang);
  ClearHotspots();
  if (session.pass_in_progress()) session.ContinuePass(kPassSecondsPerFrame);
  RequestGlyphs(session.text());  // a typed Chinese sentence gets its glyphs by the next frame

  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  const ImGuiWindowFlags shell_flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoSavedSettings |
                                       ImGuiWindowFlags_NoBringToFrontOnFocus |
                                       ImGuiWindowFlags_NoBackground;  // the app clears to WindowBg: one
                                                                       // full-screen layer less to fill
  ImGui::Begin("Attention Lab###shell", nullptr, shell_flags);
  if (state.embed) {  // the textbook page around the <iframe> gives the context
    DrawPage(state, session, ImVec2(0, 0));
    DrawModelDialog(session);
    ImGui::End();
    AutoSaveExerciseNotes();
    AfterFrame(session);
    FinishFrame(state);
    return;
  }
  DrawTopBar(state, session);
  if (!session.load_error().empty()) {  // a failed load: say so where it cannot be missed
    ImGui::PushStyleColor(ImGuiCol_Text, GetPalette().badge_text);
    ImGui::TextWrapped("%s%s", Tr(session.HasModel() ? Str::ModelLoadFailed : Str::ModelLoadFailedNone), LoadErrorText(session).c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Separator();

  // Side navigation on wide screens; on narrow ones (phones) a drop-down above the content.
  const float em = ImGui::GetFontSize();
  if (width > 46 * em) {
    ImGui::BeginChild("nav", ImVec2(std::min(22 * em, width * 0.3f), 0), true, kPaneFlags);
    DrawNavigation(state);
    ImGui::EndChild();
    ImGui::SameLine();
  } else {
    DrawNavigationDropDown(state);
  }
  ImGui::BeginChild("content", ImVec2(0, 0), true, kPaneFlags);
  // Keep lines readable on wide screens: at most ~48 Chinese characters (~90 Latin) a line.
  const float avail = ImGui::GetContentRegionAvail().x;
  const float page_w = std::min(avail, 48 * em);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - page_w) * 0.3f);
  DrawPage(state, session, ImVec2(page_w, 0));
  ImGui::EndChild();

  DrawModelDialog(session);
  DrawEmbedDialog(state, session);
  ImGui::End();
  AutoSaveExerciseNotes();  // pins and notes from any section, not only when the exercises show
  AfterFrame(session);
  FinishFrame(state);
}

}  // namespace attn::ui
