// Copy text for the person: ImGui's clipboard natively (GLFW: the system clipboard); in the
// browser Emscripten's GLFW keeps it to itself, so the page's navigator.clipboard is used too.
#pragma once
#include <string>

namespace attn::ui {

void CopyToClipboard(const std::string& text);

}  // namespace attn::ui
