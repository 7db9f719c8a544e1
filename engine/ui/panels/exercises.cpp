// 练习与作业 — the chapter's three exercises as experiments on the real model.
// Placeholder until the section is built: says what it will hold, marked "coming soon".
#include "ui/panels/panels.h"
#include "ui/widgets/coming_soon.h"

namespace attn::ui {

void DrawExercisesPanel(AppState&, session::Session&) {
  using i18n::Str;
  ComingSoonPage({Str::NavExercises, Str::ExercisesIntro, Str::ExercisesKeyIdea, {Str::ExercisesPlan1, Str::ExercisesPlan2, Str::ExercisesPlan3}});
}

}  // namespace attn::ui
