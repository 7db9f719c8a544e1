// The model button in the top bar ("模型: attnlab-demo-gpt2 · 17 MB") and its dialog: what
// is loaded (name, size, layers, heads, parameters, weight format, its card), how to get
// the real GPT-2, and "Load model…" (a path natively, the browser's file picker on the web).
#pragma once
#include "session/session.h"

namespace attn::ui {

// `compact`: just "模型" / "Model" (phones); otherwise with the model's name and size.
float ModelButtonWidth(session::Session& session, bool compact);  // for the top bar's layout
void DrawModelButton(session::Session& session, bool compact);    // the button; opens the dialog
void DrawModelDialog(session::Session& session);    // call once per frame, outside child windows

std::string HumanBytes(uint64_t bytes);              // "17.1 MB"

// One muted line under a model figure when the demo model is loaded: its attention is mostly
// even, and where to get the real GPT-2. Nothing for any other model.
void DemoModelHint(session::Session& session);  // measured: near-uniform heads, the best previous-word head

}  // namespace attn::ui
