// 11.2 自注意力 — the database analogy and the "The cat sat on the mat" figure.
// Placeholder until the section is built: says what it will hold, marked "coming soon".
#include "ui/panels/panels.h"
#include "ui/widgets/coming_soon.h"

namespace attn::ui {

void DrawSelfAttentionPanel(AppState&, session::Session&) {
  using i18n::Str;
  ComingSoonPage({Str::NavSelfAttention, Str::SelfAttnIntro, Str::SelfAttnKeyIdea, {Str::SelfAttnPlan1, Str::SelfAttnPlan2, Str::SelfAttnPlan3}});
}

}  // namespace attn::ui
