#include "app/screenshot.h"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#else
#include <GL/gl.h>
#endif

#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace attn::app {

std::string SaveFramebufferPng(const std::string& path, int width, int height) {
  if (width <= 0 || height <= 0) return "empty framebuffer";
  std::vector<unsigned char> rgba(static_cast<size_t>(width) * height * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  if (glGetError() != GL_NO_ERROR) return "glReadPixels failed";
  for (size_t i = 3; i < rgba.size(); i += 4) rgba[i] = 255;  // the window is opaque
  stbi_flip_vertically_on_write(1);  // GL's origin is the bottom-left corner
  if (!stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4))
    return "cannot write " + path;
  return "";
}

}  // namespace attn::app
