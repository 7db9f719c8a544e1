#include "ui/model_dialog.h"

#include <imgui.h>

#include <cstdio>
#include <string>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#include "ui/i18n/i18n.h"
#include "ui/panels/architecture_parts.h"
#include "ui/panels/narration.h"
#include "ui/theme.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

static bool g_open_requested = false;

std::string HumanBytes(uint64_t bytes) {
  char buf[32];
  if (bytes >= 1000000000ull) std::snprintf(buf, sizeof buf, "%.2f GB", bytes / 1e9);
  else if (bytes >= 1000000ull) std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
  else if (bytes >= 1000ull) std::snprintf(buf, sizeof buf, "%.1f kB", bytes / 1e3);
  else std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  return buf;
}

static std::string ButtonLabel(session::Session& session, bool compact) {
  const bool arriving = !session.HasModel() && session.model_arrival().pending;  // the page is still downloading it
  if (compact) return arriving ? std::string(Tr(Str::ModelButton)) + " " + ModelArrivalText(session.model_arrival()) : Tr(Str::ModelButton);
  std::string label = std::string(Tr(Str::ModelButton)) + ": ";
  if (arriving) {
    char arriving[64];
    std::snprintf(arriving, sizeof arriving, Tr(Str::ModelArrivingTop), ModelArrivalText(session.model_arrival()).c_str());
    return label + arriving;
  }
  if (!session.HasModel()) return label + Tr(Str::ModelNone);
  return label + session.info().name + " · " + HumanBytes(session.info().file_bytes);
}

float ModelButtonWidth(session::Session& session, bool compact) {
  return ImGui::CalcTextSize(ButtonLabel(session, compact).c_str()).x + 2 * ImGui::GetStyle().FramePadding.x;
}

void DrawModelButton(session::Session& session, bool compact) {
  if (ImGui::Button((ButtonLabel(session, compact) + "###model").c_str())) g_open_requested = true;
  Hotspot("model_button");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", Tr(Str::ModelTooltip));
}

static void Row(const char* key, const std::string& value) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::TextUnformatted(key);
  ImGui::TableSetColumnIndex(1);
  ImGui::TextWrapped("%s", value.c_str());
}

void DrawModelDialog(session::Session& session) {
  const Palette& pal = GetPalette();
  const char* title_id = "###model-dialog";
  if (g_open_requested) {
    ImGui::OpenPopup(title_id);
    g_open_requested = false;
  }
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float em = ImGui::GetFontSize();
  ImGui::SetNextWindowSize(ImVec2(std::min(display.x * 0.95f, 40 * em), 0));
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(display.x * 0.95f, display.y * 0.9f));
  const std::string title = std::string(Tr(Str::ModelDialogTitle)) + title_id;
  if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) return;

  if (session.HasModel()) {
    const session::ModelInfo& m = session.info();
    char shape[256];
    std::snprintf(shape, sizeof shape, Tr(Str::ModelShapeValue), m.config.n_layer, m.config.n_head,
                  m.config.n_embd, m.config.n_ctx);
    char params[64];
    std::snprintf(params, sizeof params, "%.1f M", m.parameters / 1e6);
    if (ImGui::BeginTable("model-info", 2, ImGuiTableFlags_SizingStretchProp)) {
      Row(Tr(Str::ModelName), m.name);
      Row(Tr(Str::ModelSource), m.source);
      Row(Tr(Str::ModelFileSize), HumanBytes(m.file_bytes));
      Row(Tr(Str::ModelShape), shape);
      Row(Tr(Str::ModelParams), params);
      Row(Tr(Str::ModelWeights), m.weight_type);
      ImGui::EndTable();
    }
    ImGui::Spacing();
    if (m.is_demo) Paragraph(Tr(Str::ModelDemoNote));
  } else {
    Paragraph(Tr(Str::ModelNoModelHelp), pal.badge_text);
  }
  Paragraph(Tr(Str::ModelRealHowTo), pal.muted_text);
  if (!session.load_error().empty()) Paragraph((std::string(Tr(session.HasModel() ? Str::ModelLoadFailed : Str::ModelLoadFailedNone)) + LoadErrorText(session)).c_str(), pal.badge_text);
  ImGui::Separator();

#ifdef __EMSCRIPTEN__
  Paragraph(Tr(Str::ModelWebHint), pal.muted_text);
  if (ImGui::Button((std::string(Tr(Str::ModelLoad)) + "###model-load").c_str()))
    EM_ASM(if (Module.attnlabPickModel) Module.attnlabPickModel(););  // the page's file picker
  Hotspot("model_load");
#else
  static char path[1024] = "";
  ImGui::TextUnformatted(Tr(Str::ModelPathLabel));
  ImGui::SetNextItemWidth(-1);
  const bool enter = ImGui::InputText("##model-path", path, sizeof path, ImGuiInputTextFlags_EnterReturnsTrue);
  Hotspot("model_path");
  if ((ImGui::Button((std::string(Tr(Str::ModelLoad)) + "###model-load").c_str()) || enter) && path[0])
    (void)session.LoadModelFile(path);  // an error stays in session.load_error(), shown above
  Hotspot("model_load");
#endif
  ImGui::SameLine();
  if (ImGui::Button((std::string(Tr(Str::Close)) + "###model-close").c_str()) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
    ImGui::CloseCurrentPopup();
  Hotspot("model_close");
  ImGui::EndPopup();
}

// Measured on the current sentence (session/head_patterns.h), for any model: what the heads
// of the loaded model do, not what a demo model was once said to do.
void DemoModelHint(session::Session& session) {
  if (!session.HasModel() || session.trace().count == 0) return;
  const session::HeadNarration n = session.narration();
  Paragraph(StrFormat(Tr(Str::DemoAttentionHint), n.uniform.count, n.n_layer * n.n_head,
                      HeadDisplayName(n.prev.layer, n.prev.head).c_str(), 100.0 * n.prev.value),
            GetPalette().muted_text);
}

}  // namespace attn::ui
