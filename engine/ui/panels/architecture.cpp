// 11.3 Transformer 架构 — heads, positions, blocks, and the architect's view.
// Placeholder until the section is built: says what it will hold, marked "coming soon".
#include "ui/panels/panels.h"
#include "ui/widgets/coming_soon.h"

namespace attn::ui {

void DrawArchitecturePanel(AppState&, session::Session&) {
  using i18n::Str;
  ComingSoonPage({Str::NavArchitecture, Str::ArchIntro, Str::ArchKeyIdea, {Str::ArchPlan1, Str::ArchPlan2, Str::ArchPlan3}});
}

}  // namespace attn::ui
