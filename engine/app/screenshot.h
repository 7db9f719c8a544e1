// Saves what the current GL framebuffer shows as a PNG (the desktop smoke test's evidence).
#pragma once
#include <string>

namespace attn::app {

// Reads width × height pixels of the framebuffer being drawn (call before swapping buffers).
// Returns an empty string on success, otherwise what went wrong.
std::string SaveFramebufferPng(const std::string& path, int width, int height);

// The PNG bytes of a rectangle of the framebuffer (x, y from its top-left corner, as ImGui
// draws; clipped to the framebuffer of height fb_h and width fb_w). Empty string on success.
std::string EncodeFramebufferRectPng(int x, int y, int w, int h, int fb_w, int fb_h, std::string* png);

}  // namespace attn::app
