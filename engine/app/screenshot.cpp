#include "app/screenshot.h"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#else
#include <GL/gl.h>
#endif

#include <algorithm>
#include <vector>

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

}  // namespace attn::app
