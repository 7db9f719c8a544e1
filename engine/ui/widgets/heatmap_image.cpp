#include "ui/widgets/heatmap_image.h"

namespace attn::ui {

namespace {

HeatmapImageRenderer g_renderer = nullptr;
std::string g_error;
int g_counts_frame = -1;
HeatmapDrawCounts g_counts;

HeatmapDrawCounts& Counts() {  // starts again at every new ImGui frame
  if (g_counts_frame != ImGui::GetFrameCount()) {
    g_counts_frame = ImGui::GetFrameCount();
    g_counts = HeatmapDrawCounts{};
  }
  return g_counts;
}

}  // namespace

void SetHeatmapImageRenderer(HeatmapImageRenderer renderer) { g_renderer = renderer; }

bool DrawHeatmapImage(ImDrawList* dl, const HeatmapImage& image, ImVec2 min, ImVec2 max) {
  if (!g_renderer || !g_error.empty() || !g_renderer(dl, image, min, max)) return false;
  ++Counts().images;
  return true;
}

void CountRectangleHeatmap() { ++Counts().rectangles; }
HeatmapDrawCounts HeatmapCountsThisFrame() { return Counts(); }
void SetHeatmapRendererError(const std::string& error) { g_error = error; }
const std::string& HeatmapRendererError() { return g_error; }

}  // namespace attn::ui
