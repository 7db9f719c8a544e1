// 11.1 序列的挑战 — why RNNs struggle with long sequences.
// Placeholder until the section is built: says what it will hold, marked "coming soon".
#include "ui/panels/panels.h"
#include "ui/widgets/coming_soon.h"

namespace attn::ui {

void DrawSequenceChallengePanel(AppState&, session::Session&) {
  using i18n::Str;
  ComingSoonPage({Str::NavSequence, Str::SequenceIntro, Str::SequenceKeyIdea, {Str::SequencePlan1, Str::SequencePlan2, Str::SequencePlan3}});
}

}  // namespace attn::ui
