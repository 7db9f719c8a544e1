#include "ui/widgets/text_field.h"

namespace attn::ui {

// ImGui asks for a bigger buffer as the text grows: the string resizes and hands its storage back.
static int ResizeString(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    auto* s = static_cast<std::string*>(data->UserData);
    s->resize(static_cast<size_t>(data->BufTextLen));
    data->Buf = s->data();
  }
  return 0;
}

bool InputString(const char* id, const char* hint, std::string* text, ImGuiInputTextFlags flags) {
  return ImGui::InputTextWithHint(id, hint, text->data(), text->capacity() + 1, flags | ImGuiInputTextFlags_CallbackResize,
                                  ResizeString, text);
}

bool InputStringMultiline(const char* id, std::string* text, const ImVec2& size, ImGuiInputTextFlags flags) {
  return ImGui::InputTextMultiline(id, text->data(), text->capacity() + 1, size, flags | ImGuiInputTextFlags_CallbackResize,
                                   ResizeString, text);
}

bool SessionSentenceField(SentenceField& field, const char* id, const char* hint, session::Session& session) {
  if (!field.editing && field.text != session.text()) field.text = session.text();
  const bool changed = InputString(id, hint, &field.text);
  if (changed) session.SetText(field.text);
  field.editing = ImGui::IsItemActive();
  return changed;
}

}  // namespace attn::ui
