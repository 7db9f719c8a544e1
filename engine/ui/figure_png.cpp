#include "ui/figure_png.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace attn::ui {

static bool g_pending = false;
static FigurePngRequest g_request;
static FigurePngResult g_result;
static std::unique_ptr<ImDrawList> g_list;  // lives until the app has rendered it

ImDrawList* BeginFigurePng(const std::string& name) {
  if (!g_list) g_list = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
  g_list->_ResetForNewFrame();
  g_list->PushTextureID(ImGui::GetIO().Fonts->TexID);
  g_list->PushClipRect(ImVec2(0, 0), ImVec2(kMaxFigurePngSide, kMaxFigurePngSide));
  const ImGuiWindow* window = ImGui::GetCurrentWindowRead();  // a pane (child) or the page itself
  const bool in_child = window && (window->Flags & ImGuiWindowFlags_ChildWindow);
  g_request = FigurePngRequest{};
  g_request.name = name;
  g_request.background = ImGui::GetStyleColorVec4(in_child ? ImGuiCol_ChildBg : ImGuiCol_WindowBg);
  return g_list.get();
}

void EndFigurePng(ImVec2 size) {
  g_request.list = g_list.get();
  g_request.size = ImVec2(std::clamp(std::ceil(size.x), 1.0f, kMaxFigurePngSide),
                          std::clamp(std::ceil(size.y), 1.0f, kMaxFigurePngSide));
  g_pending = true;
}

bool TakeFigurePngRequest(FigurePngRequest* out) {
  if (!g_pending) return false;
  g_pending = false;
  *out = g_request;
  return true;
}

void ReportFigurePng(const std::string& where, bool ok) { g_result = {where, !ok}; }

const FigurePngResult& LastFigurePng() { return g_result; }

}  // namespace attn::ui
