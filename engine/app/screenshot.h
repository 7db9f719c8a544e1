// Saves what the current GL framebuffer shows as a PNG (the desktop smoke test's evidence).
#pragma once
#include <string>

namespace attn::app {

// Reads width × height pixels of the framebuffer being drawn (call before swapping buffers).
// Returns an empty string on success, otherwise what went wrong.
std::string SaveFramebufferPng(const std::string& path, int width, int height);

}  // namespace attn::app
