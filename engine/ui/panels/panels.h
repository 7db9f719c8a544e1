// The chapter's sections, one panel each, in the order of the textbook.
//
//   11.1 序列的挑战            panels/sequence_challenge.cpp
//   11.2 自注意力              panels/self_attention.cpp
//   11.3 Transformer 架构      panels/architecture.cpp
//   11.4 可视化注意力           panels/visualize_attention.cpp (+ panels/generation.cpp)
//   训练实验室                 panels/training_lab.cpp (+ training_lab_figures.cpp): a tiny
//                             Transformer trained live (train/toy_trainer.h)
//   练习与作业                 panels/exercises.cpp (+ exercises_heads / _positions / _ambiguity.cpp)
#pragma once
#include "session/session.h"
#include "ui/app_shell.h"
#include "ui/i18n/i18n.h"

namespace attn::ui {

// Each section's entry function (DrawSelfAttentionPanel, …), declared from the section table.
#define SECTION(id, title, draw) void draw(AppState& app, session::Session& session);
#include "ui/panels/sections.inc"
#undef SECTION

// "在训练实验室里试试": a button that opens the training lab with `task` ("order",
// "two-lookups", "induction") selected; the exercises link to the lab with it.
void TrainingLabLink(AppState& app, const char* task, const char* hotspot);
// Saves the exercises' notes now if they changed (the app calls it before it closes, and the
// web page when it is hidden or unloaded).
void FlushExerciseNotes();
// Saves the notes once typing has paused (or at once after a pin or a guess); the app shell
// calls it every frame, so a pin from 11.4 or the training lab is saved without opening the
// exercises.
void AutoSaveExerciseNotes();

// 11.4's second half, below the attention-map explorer: next-token probabilities, sampling
// settings, Step / Auto generation that appends to the session's sentence.
void DrawGenerationSection(AppState& app, session::Session& session);

struct Section {
  const char* id;   // stable, language-independent: "self-attention" (URLs, tests, ImGui IDs)
  i18n::Str title;  // navigation label
  void (*draw)(AppState& app, session::Session& session);
};

inline constexpr Section kSections[] = {
#define SECTION(id, title, draw) {id, i18n::Str::title, draw},
#include "ui/panels/sections.inc"
#undef SECTION
};
inline constexpr int kSectionCount = sizeof(kSections) / sizeof(kSections[0]);

}  // namespace attn::ui
