// ImGui text fields over std::string (the pattern of imgui_stdlib): no fixed-size buffer, so
// nothing a student types or pastes is ever cut at some byte count. With 32-bit ImWchar (the
// build defines IMGUI_USE_WCHAR32) every character survives editing, emoji included.
#pragma once
#include <imgui.h>

#include <string>

namespace attn::ui {

// A one-line field with a hint when empty; true when the text changed this frame.
bool InputString(const char* id, const char* hint, std::string* text, ImGuiInputTextFlags flags = 0);
// A multi-line box; true when the text changed this frame.
bool InputStringMultiline(const char* id, std::string* text, const ImVec2& size, ImGuiInputTextFlags flags = 0);

}  // namespace attn::ui
