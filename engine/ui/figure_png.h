// "Export PNG" for a figure: a panel asks for a rectangle of the screen (the figure as drawn,
// labels included); the app reads those pixels once the frame is rendered and hands the PNG to
// the student (a file natively, a download in the browser; ui/save_file.h). One request at a
// time; the result stays readable for the panel's "Written: …" line.
#pragma once
#include <string>

#include <imgui.h>

namespace attn::ui {

struct FigurePngRequest {
  std::string name;  // "attention-0-3.png"
  ImVec2 min, max;   // framebuffer pixels, as ImGui draws them
};

void RequestFigurePng(const std::string& name, ImVec2 min, ImVec2 max);  // panels
bool TakeFigurePngRequest(FigurePngRequest* out);                        // the app, after rendering
void ReportFigurePng(const std::string& where, bool ok);                 // the app, when saved

struct FigurePngResult {
  std::string where;   // the path or download name of the last PNG; empty before the first
  bool failed = false;
};
const FigurePngResult& LastFigurePng();

}  // namespace attn::ui
