#include "app/screenshot.h"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#else
#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GL/glext.h>
#endif

#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <vector>

#include "app/heatmap_gpu.h"
#include "core/file.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace attn::app {

std::string SaveFramebufferPng(const std::string& path, int width, int height) {
  if (width <= 0 || height <= 0) return "empty framebuffer";
  std::string png;
  const std::string error = EncodeFramebufferRectPng(0, 0, width, height, width, height, &png);
  if (!error.empty()) return error;
  return WriteWholeFile(path, png) ? "" : "cannot write " + path;
}

std::string EncodeFramebufferRectPng(int x, int y, int w, int h, int fb_w, int fb_h, std::string* png) {
  const int x0 = std::clamp(x, 0, fb_w), y0 = std::clamp(y, 0, fb_h);
  const int x1 = std::clamp(x + w, 0, fb_w), y1 = std::clamp(y + h, 0, fb_h);
  if (x1 <= x0 || y1 <= y0) return "the figure is not on screen";
  w = x1 - x0, h = y1 - y0;
  std::vector<unsigned char> rgba(static_cast<size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(x0, fb_h - y1, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());  // GL counts rows from the bottom
  if (glGetError() != GL_NO_ERROR) return "glReadPixels failed";
  for (size_t i = 3; i < rgba.size(); i += 4) rgba[i] = 255;  // the window is opaque
  png->clear();
  stbi_flip_vertically_on_write(1);  // GL's origin is the bottom-left corner
  const auto append = [](void* out, void* data, int size) {
    static_cast<std::string*>(out)->append(static_cast<const char*>(data), static_cast<size_t>(size));
  };
  if (!stbi_write_png_to_func(append, png, w, h, 4, rgba.data(), w * 4)) return "cannot encode the PNG";
  return "";
}

std::string RenderDrawListPng(const ImDrawList* list, ImVec2 size, ImVec4 background, std::string* png) {
  const int w = static_cast<int>(size.x), h = static_cast<int>(size.y);
  if (!list || w <= 0 || h <= 0) return "the figure is empty";
  GLuint fbo = 0, color = 0;
  glGenFramebuffers(1, &fbo);
  glGenRenderbuffers(1, &color);
  glBindRenderbuffer(GL_RENDERBUFFER, color);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, color);
  std::string error;
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    error = "no off-screen framebuffer of " + std::to_string(w) + "x" + std::to_string(h);
  } else {
    glViewport(0, 0, w, h);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(background.x, background.y, background.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    // The one list as a frame of its own: display (0, 0)–size, one pixel per unit.
    ImDrawList* lists[] = {const_cast<ImDrawList*>(list)};
    ImDrawData draw;
    draw.Valid = true;
    draw.CmdLists = lists;
    draw.CmdListsCount = 1;
    draw.TotalVtxCount = list->VtxBuffer.Size;
    draw.TotalIdxCount = list->IdxBuffer.Size;
    draw.DisplayPos = ImVec2(0, 0);
    draw.DisplaySize = size;
    draw.FramebufferScale = ImVec2(1, 1);
    SetHeatmapDrawData(&draw);  // the heatmap shader's projection comes from this frame
    ImGui_ImplOpenGL3_RenderDrawData(&draw);
    SetHeatmapDrawData(nullptr);
    error = EncodeFramebufferRectPng(0, 0, w, h, w, h, png);
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glDeleteRenderbuffers(1, &color);
  glDeleteFramebuffers(1, &fbo);
  return error;
}

}  // namespace attn::app
