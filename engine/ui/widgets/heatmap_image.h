// A heatmap's cells drawn as one image and coloured on the GPU (shaders/heatmap.frag).
//
// Heatmap() and DenseHeatmap() turn their matrix into levels, one byte per cell (0 = vmin …
// 255 = vmax), and hand them to the renderer the app installed (app/heatmap_gpu.cpp: OpenGL
// 3.3 natively, WebGL2 on the web), which keeps one texture per figure and adds the image to
// the draw list. Without a renderer (or with --option heatmap.gpu=0, or after a shader failed
// to build) they draw the same figure as ImGui rectangles. The counts say which path each
// frame took, for the state API and the tests.
#pragma once
#include <algorithm>
#include <cmath>
#include <string>

#include <imgui.h>

namespace attn::ui {

struct HeatmapImage {
  ImGuiID id = 0;                         // which figure: its texture is kept between frames
  const unsigned char* levels = nullptr;  // rows × cols, row-major
  int rows = 0, cols = 0;
  bool diverging = false;                 // the blue–grey–orange map, else viridis
  bool gaps = false;                      // a one-pixel gap between cells (large cells)
};

// A cell's level: its place t in the colour range (0 … 1, clamped; NaN = 0) in 1/255 steps.
inline unsigned char HeatmapLevel(float t) {
  return static_cast<unsigned char>(std::lround(255.0f * std::clamp(std::isnan(t) ? 0.0f : t, 0.0f, 1.0f)));
}

// Adds `image` to `dl` over [min, max); false if it cannot (the caller draws rectangles).
using HeatmapImageRenderer = bool (*)(ImDrawList* dl, const HeatmapImage& image, ImVec2 min, ImVec2 max);

void SetHeatmapImageRenderer(HeatmapImageRenderer renderer);  // nullptr: rectangles only
bool DrawHeatmapImage(ImDrawList* dl, const HeatmapImage& image, ImVec2 min, ImVec2 max);

// What the last frames drew: images (GPU) and rectangle heatmaps (CPU) in the current frame,
// and the renderer's error if its shaders failed ("" when all is well).
struct HeatmapDrawCounts {
  int images = 0, rectangles = 0;
};
void CountRectangleHeatmap();
HeatmapDrawCounts HeatmapCountsThisFrame();
void SetHeatmapRendererError(const std::string& error);
const std::string& HeatmapRendererError();

}  // namespace attn::ui
