// "Export PNG" for a figure, drawn off screen: the panel draws the figure once more into an
// ImDrawList of its own, from (0, 0) at the figure's natural size (BeginFigurePng … EndFigurePng);
// after the frame the app renders that list into a framebuffer object of the figure's size,
// reads it back and hands the PNG to the student (a file natively, a download in the browser;
// ui/save_file.h). So the export never depends on scrolling, the window's size or what covers
// the figure. One request at a time; the result stays readable for the panel's "Written: …" line.
#pragma once
#include <string>

#include <imgui.h>

namespace attn::ui {

// A fresh draw list for the figure `name` ("attention-0-3.png"), with ImGui's font texture and
// the current theme; draw into it in figure coordinates (origin top-left), then EndFigurePng.
ImDrawList* BeginFigurePng(const std::string& name);
void EndFigurePng(ImVec2 size);  // the figure's size in pixels: the request is made

struct FigurePngRequest {
  std::string name;
  const ImDrawList* list = nullptr;  // the figure, from (0, 0)
  ImVec2 size;                       // pixels (at most kMaxFigurePngSide a side)
  ImVec4 background;                 // the colour the figure sits on in the app
};
constexpr float kMaxFigurePngSide = 4096.0f;

bool TakeFigurePngRequest(FigurePngRequest* out);         // the app, after rendering the frame
void ReportFigurePng(const std::string& where, bool ok);  // the app, when saved

struct FigurePngResult {
  std::string where;   // the path or download name of the last PNG; empty before the first
  bool failed = false;
};
const FigurePngResult& LastFigurePng();

}  // namespace attn::ui
