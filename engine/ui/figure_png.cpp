#include "ui/figure_png.h"

namespace attn::ui {

static bool g_pending = false;
static FigurePngRequest g_request;
static FigurePngResult g_result;

void RequestFigurePng(const std::string& name, ImVec2 min, ImVec2 max) {
  g_request = {name, min, max};
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
