// ImGui text fields over std::string (the pattern of imgui_stdlib): no fixed-size buffer, so
// nothing a student types or pastes is ever cut at some byte count. With 32-bit ImWchar (the
// build defines IMGUI_USE_WCHAR32) every character survives editing, emoji included.
#pragma once
#include <imgui.h>

#include <string>

#include "session/session.h"

namespace attn::ui {

// A one-line field with a hint when empty; true when the text changed this frame.
bool InputString(const char* id, const char* hint, std::string* text, ImGuiInputTextFlags flags = 0);
// A multi-line box; true when the text changed this frame.
bool InputStringMultiline(const char* id, std::string* text, const ImVec2& size, ImGuiInputTextFlags flags = 0);

// The sentence under study as a one-line field over the session's text (11.2's model mode, 11.3,
// 11.4). While the student types, the field holds what they typed; otherwise it follows the
// session, whose text other panels, generation and the page also change. True when the student
// changed it this frame; the session has the new text already.
struct SentenceField {
  std::string text;
  bool editing = false;  // the field has the keyboard
};
bool SessionSentenceField(SentenceField& field, const char* id, const char* hint, session::Session& session);

}  // namespace attn::ui
