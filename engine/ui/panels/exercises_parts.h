// 练习与作业 is three experiments and a report, one file each, shown as tabs by exercises.cpp:
//
//   练习 1 · 多头注意力   exercises_heads.cpp       every head of a layer side by side, labels per
//                                                 head; the top-5 with all heads vs one head
//   练习 2 · 位置编码     exercises_positions.cpp   no positions + shuffled words: attention only
//                                                 permutes; the next-token prediction
//   练习 3 · 歧义句       exercises_ambiguity.cpp   "with" / "telescope" → saw, man, hill across
//                                                 layers and heads, guided questions
//   我的报告              exercises.cpp             answers, guesses, score, pinned figures, export
//
// Every exercise computes its numbers every frame the panel is shown (cached; the state API
// publishes all of them, whichever tab is open) and draws only when its tab is open. The
// student's text lives in one session::Notes (exercises.cpp), saved as it changes.
#pragma once
#include <string>
#include <vector>

#include "model/sampling.h"
#include "session/report.h"
#include "session/session.h"
#include "ui/app_shell.h"
#include "ui/i18n/i18n.h"
#include "ui/text/format.h"

namespace attn::ui {

// ---- exercises.cpp: the notes and the widgets every exercise uses -------------------------

session::Notes& ExerciseNotes();
// Something in the notes changed: saved at once (a guess, a label, a pin) or after a short
// pause in typing (text boxes), and always before the app closes.
void NotesChanged(bool save_now);

// A multi-line answer box bound to notes field `key`; `hotspot` names it for the tests.
void AnswerBox(const char* key, const char* hotspot, const char* prompt, int lines = 4);
// A one-line text field bound to notes field `key`.
void NoteField(const char* key, const char* hotspot, const char* hint, float width);

// Predict, then reveal: the student picks one of `choices` and commits; the model's answer
// (choices[answer]) is shown only then, and the guess is kept in the notes with the score.
struct Prediction {
  std::string id;                    // stable: a new id is a new question
  std::string question;              // as shown (and as the report quotes it)
  std::vector<std::string> choices;
  int answer = -1;                   // the model's answer; -1: none (nothing to ask)
  bool clear = true;                 // false: the loaded model does not show the effect clearly;
                                     // the guess is kept but not scored (session::ScoreGuess)
  std::string weak_note;             // why not, shown with the reveal when !clear
};
struct PredictionUi {
  int pending = -1;                  // the choice in the combo, not yet committed
  bool peek = false;                 // "show the result without predicting"
};
// Commits choice `choice` for `p` (no effect when already answered); true if it was recorded.
bool CommitGuess(const Prediction& p, int choice);
// Draws the question, the combo and the buttons, or the revealed answer. Returns whether the
// experiment's result may be shown (guessed, or peeked). Hotspots: PREFIX_guess,
// PREFIX_commit, PREFIX_peek, PREFIX_reveal.
bool PredictBox(const Prediction& p, PredictionUi& ui, const char* prefix);

// "Pin to report": adds `title` and a Markdown table to the report's figures.
void PinButton(const char* hotspot, const std::string& title, const std::string& table);

// A heading in the panel's heading font.
void ExerciseHeading(const char* text);
// Top next tokens as a Markdown list "· the 12.3%, …" and as state JSON [{"id","text","p"}].
std::string TopJson(const session::Session& s, const std::vector<model::TokenProb>& top);
std::string TokenText(const session::Session& s, int id);  // readable, a leading space as "·"
// The top next tokens as bars (hotspot `id`); two charts side by side share one `vmax`.
void TopBars(const session::Session& s, const char* id, const std::vector<model::TokenProb>& top, float vmax, unsigned color);
float TopBarsMax(const std::vector<model::TokenProb>& a, const std::vector<model::TokenProb>& b);

// ---- the exercises ----------------------------------------------------------------------

// Each: Update (options, numbers, guesses from options) every frame; Draw when its tab is
// open; Json for the state API; Report for the Markdown report; Figure for "Pin to report"
// (an empty table when there is nothing to pin).
void UpdateHeadsExercise(AppState& app, session::Session& session);
void DrawHeadsExercise(session::Session& session);
std::string HeadsExerciseJson(const session::Session& session);
session::ReportSection HeadsExerciseReport();
session::PinnedFigure HeadsExerciseFigure(const session::Session& session);

void UpdatePositionsExercise(AppState& app, session::Session& session);
void DrawPositionsExercise(session::Session& session);
std::string PositionsExerciseJson(const session::Session& session);
session::ReportSection PositionsExerciseReport();
session::PinnedFigure PositionsExerciseFigure(const session::Session& session);

void UpdateAmbiguityExercise(AppState& app, session::Session& session);
void DrawAmbiguityExercise(session::Session& session);
std::string AmbiguityExerciseJson();
session::ReportSection AmbiguityExerciseReport();
session::PinnedFigure AmbiguityExerciseFigure();

}  // namespace attn::ui
