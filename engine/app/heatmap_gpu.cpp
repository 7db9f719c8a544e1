#include "app/heatmap_gpu.h"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#else
#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GL/glext.h>
#endif

#include <imgui.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "generated/shaders.h"  // kHeatmapVert, kHeatmapFrag: shaders/heatmap.* (CMake)
#include "ui/widgets/colormap.h"
#include "ui/widgets/heatmap_image.h"

namespace attn::app {

namespace {

#ifdef __EMSCRIPTEN__
constexpr const char* kGlslHeader = "#version 300 es\nprecision highp float;\n";
#else
constexpr const char* kGlslHeader = "#version 330 core\n";
#endif
constexpr int kKeepFrames = 120;  // a figure not drawn for this many frames gives its texture back

// One figure's texture and what it holds, so an unchanged matrix is not uploaded again.
struct FigureTexture {
  GLuint texture = 0;
  int rows = 0, cols = 0;
  std::vector<unsigned char> levels;
  bool diverging = false, gaps = false;  // read by the draw callback
  int last_frame = 0;
};

std::unordered_map<ImGuiID, std::unique_ptr<FigureTexture>> g_figures;  // stable addresses
GLuint g_program = 0, g_colormap = 0;
unsigned long long g_uploads = 0;
GLint g_proj = -1, g_map_row = -1, g_cells = -1, g_gap = -1;

GLuint Compile(GLenum type, const char* source, std::string* error) {
  const GLuint shader = glCreateShader(type);
  const char* parts[2] = {kGlslHeader, source};
  glShaderSource(shader, 2, parts, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024] = {};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    *error = std::string(type == GL_VERTEX_SHADER ? "heatmap.vert: " : "heatmap.frag: ") + log;
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

// The colour maps as a 256 × 2 strip: row 0 viridis, row 1 diverging, from the same functions
// the rectangle fallback uses.
void MakeColormapTexture() {
  std::vector<ImU32> texels(256 * 2);
  for (int i = 0; i < 256; ++i) {
    texels[i] = ui::Viridis(i / 255.0f);
    texels[256 + i] = ui::Diverging(2.0f * i / 255.0f - 1.0f);
  }
  glGenTextures(1, &g_colormap);
  glBindTexture(GL_TEXTURE_2D, g_colormap);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 256, 2, 0, GL_RGBA, GL_UNSIGNED_BYTE, texels.data());  // ImU32 = R,G,B,A bytes
}

// Built on the first draw, when ImGui's program is current: ours takes its vertex attributes
// at the same locations, so ImGui's vertex array feeds both.
bool BuildProgram(GLuint imgui_program) {
  std::string error;
  const GLuint vert = Compile(GL_VERTEX_SHADER, kHeatmapVert, &error);
  const GLuint frag = vert ? Compile(GL_FRAGMENT_SHADER, kHeatmapFrag, &error) : 0;
  if (vert && frag) {
    g_program = glCreateProgram();
    glAttachShader(g_program, vert);
    glAttachShader(g_program, frag);
    for (const char* name : {"Position", "UV", "Color"})
      glBindAttribLocation(g_program, static_cast<GLuint>(glGetAttribLocation(imgui_program, name)), name);
    glLinkProgram(g_program);
    GLint ok = 0;
    glGetProgramiv(g_program, GL_LINK_STATUS, &ok);
    if (!ok) {
      char log[1024] = {};
      glGetProgramInfoLog(g_program, sizeof log, nullptr, log);
      error = std::string("heatmap shaders: ") + log;
      glDeleteProgram(g_program);
      g_program = 0;
    }
  }
  if (vert) glDeleteShader(vert);
  if (frag) glDeleteShader(frag);
  if (!g_program) {  // the figures fall back to rectangles from the next frame on
    std::fprintf(stderr, "[attnlab] %s\n", error.c_str());
    ui::SetHeatmapRendererError(error.empty() ? "heatmap shaders failed" : error);
    return false;
  }
  glUseProgram(g_program);
  glUniform1i(glGetUniformLocation(g_program, "Values"), 0);
  glUniform1i(glGetUniformLocation(g_program, "ColorMap"), 1);
  g_proj = glGetUniformLocation(g_program, "ProjMtx");
  g_map_row = glGetUniformLocation(g_program, "MapRow");
  g_cells = glGetUniformLocation(g_program, "Cells");
  g_gap = glGetUniformLocation(g_program, "Gap");
  MakeColormapTexture();
  return true;
}

// ImDrawList callback, run by ImGui's renderer just before the figure's image is drawn:
// switch to the heatmap program with ImGui's projection (computed here: reading ImGui's
// uniform back fails in WebGL once another program is current). ImDrawCallback_ResetRenderState,
// queued after the image, switches back.
const ImDrawData* g_draw_data = nullptr;  // SetHeatmapDrawData

void UseHeatmapProgram(const ImDrawList*, const ImDrawCmd* cmd) {
  const FigureTexture& figure = *static_cast<const FigureTexture*>(cmd->UserCallbackData);
  if (!g_program) {  // first use: ImGui's program is the current one
    GLint imgui_program = 0;
    glGetIntegerv(GL_CURRENT_PROGRAM, &imgui_program);
    if (!ui::HeatmapRendererError().empty() || !BuildProgram(static_cast<GLuint>(imgui_program))) return;
  }
  // ImGui's orthographic projection: its display rectangle onto clip space, y down.
  const ImDrawData* draw = g_draw_data ? g_draw_data : ImGui::GetDrawData();
  const float L = draw->DisplayPos.x, R = L + draw->DisplaySize.x;
  const float T = draw->DisplayPos.y, B = T + draw->DisplaySize.y;
  const float projection[16] = {2.0f / (R - L), 0, 0, 0,  0, 2.0f / (T - B), 0, 0,  0, 0, -1, 0,
                                (R + L) / (L - R), (T + B) / (B - T), 0, 1};
  glUseProgram(g_program);
  glUniformMatrix4fv(g_proj, 1, GL_FALSE, projection);
  glUniform1f(g_map_row, figure.diverging ? 0.75f : 0.25f);
  glUniform2f(g_cells, static_cast<float>(figure.cols), static_cast<float>(figure.rows));
  glUniform1f(g_gap, figure.gaps ? 1.0f : 0.0f);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, g_colormap);
  glActiveTexture(GL_TEXTURE0);  // ImGui binds the figure's texture here for the image
}

void Upload(FigureTexture& f, const ui::HeatmapImage& image) {
  const size_t n = static_cast<size_t>(image.rows) * image.cols;
  const bool same_shape = f.texture && f.rows == image.rows && f.cols == image.cols;
  if (same_shape && std::memcmp(f.levels.data(), image.levels, n) == 0) return;  // unchanged
  ++g_uploads;
  if (!f.texture) glGenTextures(1, &f.texture);
  f.levels.assign(image.levels, image.levels + n);
  f.rows = image.rows;
  f.cols = image.cols;
  GLint bound = 0;  // ImGui may be between its own binds: leave unit 0 as found
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
  glBindTexture(GL_TEXTURE_2D, f.texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, image.cols, image.rows, 0, GL_RED, GL_UNSIGNED_BYTE, f.levels.data());
  glGenerateMipmap(GL_TEXTURE_2D);  // cells smaller than a pixel: the mean of a block
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);  // large cells: sharp edges
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(bound));
}

bool DrawFigure(ImDrawList* dl, const ui::HeatmapImage& image, ImVec2 min, ImVec2 max) {
  if (image.rows <= 0 || image.cols <= 0 || !image.levels) return false;
  std::unique_ptr<FigureTexture>& slot = g_figures[image.id];
  if (!slot) slot = std::make_unique<FigureTexture>();
  FigureTexture& f = *slot;
  Upload(f, image);
  if (f.diverging != image.diverging || f.gaps != image.gaps) ++g_uploads;  // same texture, other colours
  f.diverging = image.diverging;
  f.gaps = image.gaps;
  f.last_frame = ImGui::GetFrameCount();
  dl->AddCallback(UseHeatmapProgram, &f);
  dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(f.texture)), min, max);
  dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
  return true;
}

}  // namespace

void SetHeatmapDrawData(const ImDrawData* draw) { g_draw_data = draw; }

void InstallHeatmapRenderer() { ui::SetHeatmapImageRenderer(DrawFigure); }

void HeatmapRendererEndFrame() {
  const int now = ImGui::GetFrameCount();
  for (auto it = g_figures.begin(); it != g_figures.end();) {
    if (now - it->second->last_frame > kKeepFrames) {
      glDeleteTextures(1, &it->second->texture);
      it = g_figures.erase(it);
    } else {
      ++it;
    }
  }
}

void ShutdownHeatmapRenderer() {
  ui::SetHeatmapImageRenderer(nullptr);
  for (auto& [id, figure] : g_figures) glDeleteTextures(1, &figure->texture);
  g_figures.clear();
  if (g_program) glDeleteProgram(g_program);
  if (g_colormap) glDeleteTextures(1, &g_colormap);
  g_program = g_colormap = 0;
}

unsigned long long HeatmapUploadCount() { return g_uploads; }

}  // namespace attn::app
