#include "ui/clipboard.h"

#include <imgui.h>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

namespace attn::ui {

void CopyToClipboard(const std::string& text) {
  ImGui::SetClipboardText(text.c_str());  // Ctrl+V inside the app
#ifdef __EMSCRIPTEN__
  EM_ASM({
    if (navigator.clipboard) navigator.clipboard.writeText(UTF8ToString($0)).catch(() => undefined);
  }, text.c_str());
#endif
}

}  // namespace attn::ui
