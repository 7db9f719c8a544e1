// PNGs from GL: what the current framebuffer shows (the desktop smoke test's evidence), and a
// figure drawn off screen (ui/figure_png.h: "Export PNG").
#pragma once
#include <string>

#include <imgui.h>

namespace attn::app {

// Reads width × height pixels of the framebuffer being drawn (call before swapping buffers).
// Returns an empty string on success, otherwise what went wrong.
std::string SaveFramebufferPng(const std::string& path, int width, int height);

// The PNG bytes of a rectangle of the framebuffer (x, y from its top-left corner, as ImGui
// draws; clipped to the framebuffer of height fb_h and width fb_w). Empty string on success.
std::string EncodeFramebufferRectPng(int x, int y, int w, int h, int fb_w, int fb_h, std::string* png);

// Renders `list` (drawn from (0, 0)) into a framebuffer object of `size` pixels cleared to
// `background`, with ImGui's OpenGL3 backend, and encodes it. Leaves the default framebuffer
// bound. Empty string on success.
std::string RenderDrawListPng(const ImDrawList* list, ImVec2 size, ImVec4 background, std::string* png);

}  // namespace attn::app
