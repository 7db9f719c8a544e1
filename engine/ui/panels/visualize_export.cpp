// 11.4 可视化注意力, leaving the app: the Hugging Face code that computes the same map (to
// copy into a notebook), and the map as CSV, every layer and head as JSON (attnlab-cli
// attention's format), the map as PNG.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "core/numbers.h"
#include "session/export.h"
#include "ui/clipboard.h"
#include "ui/figure_png.h"
#include "ui/panels/panels.h"
#include "ui/panels/visualize_parts.h"
#include "ui/save_file.h"
#include "ui/theme.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] Python and export
//-----------------------------------------------------------------------------

static std::string MapFileName(const VisualizeState& v) {
  return "attention-" + std::to_string(v.layer) + "-" + (v.mean_heads ? std::string("mean") : std::to_string(v.head)) + ".csv";
}

// Saves `bytes` as `name`: a file in the current folder natively, a download in the browser;
// remembers where (or the failure) for the line under the buttons.
static void Export(VisualizeState& v, int which, const std::string& name, const char* mime, const std::string& bytes) {
  v.export_failed[which] = !SaveUserFile(name, mime, bytes, &v.export_path[which]);
}

void ExportCsv(VisualizeState& v, const std::vector<std::string>& names, const std::vector<float>& matrix) {
  Export(v, 0, MapFileName(v), "text/csv;charset=utf-8", session::AttentionCsv(names, matrix));
}

// Every layer and head when that fits the memory left (GPT-2 small on 1024 tokens would be
// about 1 GB of text), else the layer on screen, else the head on screen; the line under the
// buttons says which.
void ExportJson(VisualizeState& v, session::Session& session) {
  std::vector<std::string> bytes;
  for (int id : session.tokens()) bytes.push_back(session.tokenizer().TokenBytes(id));
  const model::Trace& t = session.trace();
  const uint64_t room = std::max<uint64_t>(session.headroom(), 32ull << 20) / 2;  // the text and its saved copy
  const session::JsonScope scope = session::ChooseJsonScope(t, room, v.layer, v.head, v.mean_heads);
  const int layer = scope.layer, head = scope.head;
  v.export_part.clear();
  if (!scope.whole()) {
    char what[128], line[512];
    if (head < 0) std::snprintf(what, sizeof what, Tr(Str::VisExportLayer), layer + 1);
    else std::snprintf(what, sizeof what, Tr(Str::VisMapTitle), layer + 1, head + 1);
    std::snprintf(line, sizeof line, Tr(Str::VisExportPart),
                  BinaryBytes(static_cast<double>(session::AttentionJsonMaxBytes(t))).c_str(), what);
    v.export_part = line;
  }
  const std::string name = layer < 0 ? "attention-trace.json"
                           : "attention-trace-L" + std::to_string(layer + 1) + (head < 0 ? "" : "-H" + std::to_string(head + 1)) + ".json";
  Export(v, 1, name, "application/json", session::AttentionJson(bytes, session.tokens(), t, layer, head) + "\n");
}

std::string PngFileName(const VisualizeState& v) {
  std::string name = MapFileName(v);
  return name.replace(name.size() - 4, 4, ".png");
}

void ExportPng(VisualizeState& v) {
  v.png_requested = true;  // the map draws itself off screen on the next frame
  RequestAnimation();
}

void DrawPythonAndExport(VisualizeState& v, session::Session& session, const std::vector<std::string>& names,
                         const std::vector<float>& matrix) {
  const Palette& pal = GetPalette();
  if (ImGui::CollapsingHeader(IdLabel(Str::VisPython, "vis-python-header").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
    Paragraph(Tr(Str::VisPythonHelp), pal.muted_text);
    const int lines = static_cast<int>(std::count(v.python.begin(), v.python.end(), '\n')) + 1;
    ImGui::InputTextMultiline("###vis-python", v.python.data(), v.python.size() + 1,
                              ImVec2(-1, ImGui::GetTextLineHeight() * std::min(lines + 1, 20) + 2 * ImGui::GetStyle().FramePadding.y),
                              ImGuiInputTextFlags_ReadOnly);
    Hotspot("vis_python");
    if (ImGui::Button(IdLabel(Str::VisCopy, "vis-copy").c_str())) {
      CopyToClipboard(v.python);
      v.copied_at = ImGui::GetTime();
    }
    Hotspot("vis_copy");
    if (ImGui::GetTime() - v.copied_at < 2.0) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", Tr(Str::VisCopied));
      RequestAnimation();  // hide the note again after 2 s
    }
  }
  if (!ImGui::CollapsingHeader(IdLabel(Str::VisExport, "vis-export-header").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (ImGui::Button(IdLabel(Str::VisExportCsv, "vis-export-csv").c_str())) ExportCsv(v, names, matrix);
  Hotspot("vis_export_csv");
  ImGui::SameLine();
  if (ImGui::Button(IdLabel(Str::VisExportJson, "vis-export-json").c_str())) ExportJson(v, session);
  Hotspot("vis_export_json");
  ImGui::SameLine();
  if (ImGui::Button(IdLabel(Str::VisExportPng, "vis-export-png").c_str())) ExportPng(v);
  Hotspot("vis_export_png");
#ifdef __EMSCRIPTEN__
  const Str done = Str::VisExportDownloaded;
#else
  const Str done = Str::VisExportWrote;
#endif
  Paragraph(Tr(Str::VisExportHelp), pal.muted_text);
  auto result_line = [&](const std::string& where, bool failed) {  // "Written: …" / "Could not …"
    if (!where.empty())
      Paragraph(std::string(Tr(failed ? Str::VisExportFailed : done)) + where,
                failed ? pal.badge_text : ImGui::GetColorU32(ImGuiCol_Text));
  };
  for (int k = 0; k < 2; ++k) result_line(v.export_path[k], v.export_failed[k]);
  if (!v.export_part.empty()) Paragraph(v.export_part, pal.muted_text);
  result_line(LastFigurePng().where, LastFigurePng().failed);
}

}  // namespace attn::ui
