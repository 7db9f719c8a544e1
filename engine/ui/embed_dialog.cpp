#include "ui/embed_dialog.h"

#include <imgui.h>

#include <cstdio>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#include "formats/json.h"
#include "ui/clipboard.h"
#include "ui/i18n/i18n.h"
#include "ui/text/embed_snippet.h"
#include "ui/panels/panels.h"
#include "ui/theme.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

static bool g_open_requested = false;

static std::string PageAddress() {
#ifdef __EMSCRIPTEN__
  char url[2048] = "";
  EM_ASM({ stringToUTF8(location.origin + location.pathname, $0, $1); }, url, static_cast<int>(sizeof url));
  return url;
#else
  return "https://YOUR-SITE/attention-lab/index.html";  // the desktop app has no address: the teacher's own
#endif
}

void DrawEmbedButton() {
  if (ImGui::Button((std::string(Tr(Str::EmbedButton)) + "###embed").c_str())) g_open_requested = true;
  Hotspot("embed_button");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", Tr(Str::EmbedTooltip));
}

void DrawEmbedDialog(const AppState& state, session::Session& session) {
  const char* id = "###embed-dialog";
  if (g_open_requested) {
    ImGui::OpenPopup(id);
    g_open_requested = false;
  }
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float em = ImGui::GetFontSize();
  ImGui::SetNextWindowSize(ImVec2(std::min(display.x * 0.95f, 44 * em), 0));
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal((std::string(Tr(Str::EmbedTitle)) + id).c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  static std::string snippet;
  snippet = EmbedSnippet(PageAddress(), kSections[state.section].id, i18n::LangCode(state.lang), session.text(),
                         state.figure_layer, state.figure_head);
  PublishPanelState("embed_snippet", json::Quote(snippet));
  Paragraph(Tr(Str::EmbedHelp));
  ImGui::InputTextMultiline("###embed-snippet", snippet.data(), snippet.size() + 1, ImVec2(-1, 5 * ImGui::GetTextLineHeightWithSpacing()),
                            ImGuiInputTextFlags_ReadOnly);
  Hotspot("embed_snippet");
  if (ImGui::Button((std::string(Tr(Str::EmbedCopy)) + "###embed-copy").c_str())) CopyToClipboard(snippet);
  Hotspot("embed_copy");
  ImGui::SameLine();
  if (ImGui::Button((std::string(Tr(Str::Close)) + "###embed-close").c_str()) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
    ImGui::CloseCurrentPopup();
  Paragraph(Tr(Str::EmbedParams), GetPalette().muted_text);
  ImGui::EndPopup();
}

}  // namespace attn::ui
