// The student's report for 练习与作业: what they wrote, what they guessed, what the model
// answered, and the figures they pinned — as plain data, saved as JSON (a file natively,
// localStorage on the web) and exported as one Markdown file. No ImGui, no files: the app
// decides where the text goes.
//
//   notes.json  {"version":1,
//                "fields":{"ex1.answer":"…","ex1.label.L0H3":"prev",…},      answers, head labels
//                "guesses":[{"id":"ex3.telescope.L1H2","question":"…","guess":"saw",
//                            "answer":"man","correct":false[,"scored":false]},…], predict, reveal
//                "figures":[{"title":"…","table":"| … |\n|---|…"},…]}         pinned numbers
//
// Keys this version does not know (a newer app's notes, a field that is not a string) are kept
// as their JSON and written back: loading and saving never loses anything. Every string
// round-trips byte for byte: quotes, line breaks, Chinese.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace attn::session {

// Members this version does not read: key → their JSON text, in file order.
using Extras = std::vector<std::pair<std::string, std::string>>;

// One predict-then-reveal question, once the student committed a guess.
struct Guess {
  std::string id;        // stable, language-independent: "ex3.telescope.L1H2"
  std::string question;  // as it was asked, in the language of the time
  std::string guess;     // what the student chose
  std::string answer;    // what the model says
  bool correct = false;
  bool scored = true;    // false: the loaded model did not show the effect clearly enough to
                         // judge the guess (session/experiments.h, ScoreGuess); not counted
  Extras extra = {};
};

// A figure's numbers as a Markdown table (made by the panel that pinned it), under the
// heading of the part of the chapter it came from ("11.4 可视化注意力", in the language of the
// time; "" for figures pinned before sections were kept).
struct PinnedFigure {
  std::string title;
  std::string table;
  std::string section = {};
  Extras extra = {};
};

struct Notes {
  std::vector<std::pair<std::string, std::string>> fields;  // key → text, in the order first set
  std::vector<Guess> guesses;
  std::vector<PinnedFigure> figures;
  Extras extra;          // top-level keys of a newer version
  Extras extra_fields;   // "fields" entries that are not strings
  std::vector<std::string> unread_guesses, unread_figures;  // entries this version cannot read (JSON)

  const std::string& Field(std::string_view key) const;  // "" when not set
  void SetField(std::string_view key, std::string value); // an empty value removes the key
  const Guess* FindGuess(std::string_view id) const;
  int Right() const;  // scored guesses only
  int Wrong() const;
};

std::string NotesToJson(const Notes& notes);
// Errors: not JSON, or not an object of the layout above. Missing parts are simply empty.
Result<Notes> NotesFromJson(std::string_view text);

// What the Markdown report says, in the reader's language (the panel fills it from the
// string table); the report itself only arranges it.
struct ReportSection {
  std::string heading;                                       // "练习 1 · 多头注意力"
  std::string question;                                      // the exercise's question(s)
  std::vector<std::pair<std::string, std::string>> answers;  // (prompt, the student's text)
  std::vector<std::pair<std::string, std::string>> items;    // (name, value): e.g. head labels
};

struct ReportText {
  std::string title;              // "# …" at the top
  std::string intro;              // a line under the title (name, date, model), may be ""
  std::string no_answer;          // shown for an empty answer box
  std::string guesses_heading;    // "预测与揭晓"
  std::string col_question, col_guess, col_answer, col_result;
  std::string right, wrong;       // the result column's words
  std::string not_scored;         // … for a guess the model could not judge
  std::string score;              // the score line, already formatted ("得分：3 对 1 错")
  std::string no_guesses;         // "No guesses yet."
  std::string figures_heading;    // "固定的图表"
};

// One Markdown document: title, every section with its question and answers (as quoted
// blocks, so nothing the student typed can break the layout), the guesses as a table with
// the score, then the pinned figures.
std::string ReportMarkdown(const Notes& notes, const std::vector<ReportSection>& sections, const ReportText& text);

// 11.4's "pin to report": one head's attention on the sentence as numbers — the selected
// token's row (token, weight), the whole matrix when the sentence is short (≤ kPinMatrixMax
// tokens), and the student's note as a quote. Words come from the panel's string table.
struct AttentionPinText {
  std::string title;           // "L2 H3 · “it” · The robot delivered …"
  std::string section;         // "11.4 可视化注意力"
  std::string row_heading;     // "“it” 的注意力"
  std::string col_token, col_weight;
  std::string matrix_heading;  // "整个注意力矩阵（行：查询，列：键）"
  std::string note_heading;    // "我的观察"
};
inline constexpr int kPinMatrixMax = 16;
PinnedFigure AttentionPinFigure(const std::vector<std::string>& tokens, const std::vector<float>& matrix, int row,
                                const AttentionPinText& text, const std::string& note);

// Text for one cell of a Markdown table: "|" escaped, line breaks as <br>.
std::string MarkdownCell(std::string_view text);
// Text as a Markdown block quote: every line starts with "> "; an empty text gives "> ".
std::string MarkdownQuote(std::string_view text);

}  // namespace attn::session
