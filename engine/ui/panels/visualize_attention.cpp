// 11.4 可视化注意力 (Vibe Coding 实践) — the attention-map explorer.
// Placeholder until the section is built: says what it will hold, marked "coming soon".
#include "ui/panels/panels.h"
#include "ui/widgets/coming_soon.h"

namespace attn::ui {

void DrawVisualizeAttentionPanel(AppState&, session::Session&) {
  using i18n::Str;
  ComingSoonPage({Str::NavVisualize, Str::VisualizeIntro, Str::VisualizeKeyIdea, {Str::VisualizePlan1, Str::VisualizePlan2, Str::VisualizePlan3}});
}

}  // namespace attn::ui
