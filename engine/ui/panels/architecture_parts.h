// 11.3 is five figures, one file each, shown as tabs by architecture.cpp:
//
//   多头注意力            architecture_heads.cpp      all heads of a layer, the model view, per-head stats
//   位置编码              architecture_pe.cpp         sinusoidal PE vs GPT-2's learned positions
//   FFN·残差·LayerNorm    architecture_residual.cpp   residual-stream norms, LayerNorm, FFN activations
//   架构图                architecture_diagram.cpp    encoder–decoder and GPT-2, clickable components
//   架构师视角            architects_view.cpp         MQA/GQA + KV cache, RoPE, ALiBi, quantization lens
//                                                     (tabs of their own: architect_parts.h)
#pragma once
#include <string>

#include "session/session.h"
#include "ui/app_shell.h"
#include "ui/text/format.h"

namespace attn::ui {

void DrawMultiHeadFigure(AppState& app, session::Session& session);
void DrawPositionalEncodingFigure(AppState& app, session::Session& session);
void DrawResidualFigure(AppState& app, session::Session& session);
void DrawArchitectureDiagram(AppState& app, session::Session& session);
void DrawArchitectsView(AppState& app, session::Session& session);

// Shared by the tabs (architecture.cpp):
// The sentence field of the tabs that run the model (heads, residual): edits the session's
// text, follows it when another panel changes it, shows why a text could not be run.
void ArchSentenceInput(session::Session& session);
// A figure's title: one line in the accent colour.
void ArchFigureTitle(const char* text);

}  // namespace attn::ui
