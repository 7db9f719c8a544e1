// The GPU renderer of dense heatmaps (ui/widgets/heatmap_image.h): one R8 texture per figure,
// coloured by shaders/heatmap.vert + heatmap.frag inside ImGui's own draw lists. OpenGL 3.3
// natively, WebGL2 in the browser; needs the GL context that ImGui's OpenGL3 backend draws with.
#pragma once

struct ImDrawData;

namespace attn::app {

void InstallHeatmapRenderer();   // after ImGui_ImplOpenGL3_Init
void HeatmapRendererEndFrame();  // after rendering: frees the textures of figures no longer drawn
void ShutdownHeatmapRenderer();  // before the GL context goes
// Textures uploaded or recoloured so far: a figure whose values changed under an unchanged
// draw list (the main loop's "did this frame change anything" check, and its partial redraw,
// read it).
unsigned long long HeatmapUploadCount();
// The draw data being rendered when it is not ImGui's own frame (an off-screen figure, app/
// screenshot.h): the heatmap shader takes its projection from it. nullptr: ImGui's frame.
void SetHeatmapDrawData(const ImDrawData* draw);

}  // namespace attn::app
