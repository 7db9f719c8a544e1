// "Embed this figure" (嵌入此图): the <iframe> snippet a teacher pastes into a textbook page to
// show the current section, language and sentence (web/loader.js documents the parameters).
#pragma once
#include <string>

#include "session/session.h"
#include "ui/app_shell.h"

namespace attn::ui {

void DrawEmbedButton();
void DrawEmbedDialog(const AppState& state, session::Session& session);  // once per frame

}  // namespace attn::ui
