// 练习与作业 — the chapter's three exercises as experiments on the loaded model, and the
// student's report. Tabs (exercises_parts.h lists the file of each); start-up options:
//
//   ex.tab=heads|positions|ambiguity|report (or 1–4)   the open tab
//   ex.note.KEY=TEXT      sets the notes field KEY (ex1.answer, ex2.answer, ex3.q1 … ex3.q3,
//                         ex1.label.L0H3, ex1.note.L0H3, report.name): what a student types
//   ex.pin=1              pins every exercise's figure;   ex.export=1  exports the report
//   ex.peek=1             shows every result without asking for a guess first (screenshots)
//   (each exercise reads its own: ex.layer, ex.guess1, ex.seed, … — see its file)
//
// The notes are loaded when the panel is first drawn and saved as they change: at once for a
// guess, a label or a pin, after a short pause in typing for text, and when the app closes
// (FlushExerciseNotes). Nothing here knows whether that is a file or localStorage.
//
// [SECTION] Index
//   - Notes: load, autosave
//   - Widgets: text boxes, predict-then-reveal, pin, small helpers
//   - Report tab and export
//   - Publish
//   - Panel
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <vector>

#include "formats/json.h"
#include "session/experiments.h"
#include "session/report.h"
#include "session/report_html.h"
#include "session/token_labels.h"
#include "ui/fonts.h"
#include "ui/notes_storage.h"
#include "ui/panels/exercises_parts.h"
#include "ui/panels/panels.h"
#include "ui/save_file.h"
#include "ui/theme.h"
#include "ui/widgets/bar_chart.h"
#include "ui/widgets/callout.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/model_notes.h"
#include "ui/widgets/paragraph.h"
#include "ui/widgets/text_field.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

//-----------------------------------------------------------------------------
// [SECTION] Notes
//-----------------------------------------------------------------------------

constexpr double kTypingPause = 0.6;  // seconds without a keystroke before text is saved

struct NotesState {
  session::Notes notes;
  bool loaded = false;
  bool dirty = false, save_now = false;
  double changed_at = 0.0;
  int saves = 0;                      // successful saves this run (the tests watch it)
  bool broken = false;                // the saved notes could not be read (a backup was kept)
  std::string backup_where;           // the backup's download, once asked for
  bool backup_saved = false;
  bool unreadable = false;            // the notes file cannot be read at all: saved aside instead
  std::string save_error;
  std::string export_path;            // the report written last, "" before
  bool export_failed = false;
  std::string tab = "heads";
  bool peek_all = false;              // ex.peek=1: every result shown without predicting
};

static NotesState g;

static void LoadNotes();
session::Notes& ExerciseNotes() {
  if (!g.loaded) LoadNotes();  // the training lab may pin a run before the exercises were opened
  return g.notes;
}

void NotesChanged(bool save_now) {
  g.dirty = true;
  g.save_now = g.save_now || save_now;
  g.changed_at = ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0;
}

static void LoadNotes() {
  g.loaded = true;
  const NotesStorage& st = GetNotesStorage();
  std::string json;
  if (st.unreadable && st.unreadable()) {  // there, but not readable: never save over it
    g.unreadable = true;
    std::printf("[attnlab] notes file cannot be read; new notes go to %s\n", st.aside.c_str());
    return;
  }
  if (!st.load || !st.load(&json) || json.empty()) return;
  Result<session::Notes> notes = session::NotesFromJson(json);
  if (notes.ok()) {
    g.notes = std::move(*notes);
    return;
  }
  // Never overwrite what we cannot read: keep a copy first.
  g.broken = true;
  std::printf("[attnlab] notes unreadable (%s); keeping a backup\n", notes.error().c_str());
  if (st.backup) st.backup(json);
}

static void SaveNotes() {
  const NotesStorage& st = GetNotesStorage();
  g.dirty = g.save_now = false;
  if (!st.save) return;
  if (st.save(session::NotesToJson(g.notes))) {
    g.save_error.clear();
    ++g.saves;
  } else {
    g.save_error = st.where.empty() ? "localStorage" : st.where;
  }
}

void AutoSaveExerciseNotes() {
  if (!g.dirty) return;
  if (g.save_now || ImGui::GetTime() - g.changed_at >= kTypingPause) SaveNotes();
  else RequestAnimation();  // the desktop app keeps ticking until the pause is over
}

void FlushExerciseNotes() {
  if (g.loaded && g.dirty) SaveNotes();
}

// ex.note.KEY=TEXT for every KEY given (several at once, so not TakeOption).
static void ReadNoteOptions(AppState& app) {
  const std::string prefix = "ex.note.";
  for (size_t i = 0; i < app.options.size();) {
    if (app.options[i].first.rfind(prefix, 0) == 0) {
      g.notes.SetField(app.options[i].first.substr(prefix.size()), app.options[i].second);
      NotesChanged(true);
      app.options.erase(app.options.begin() + i);
    } else {
      ++i;
    }
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Widgets
//-----------------------------------------------------------------------------

void ExerciseHeading(const char* text) {
  ImGui::PushFont(ActiveFonts().heading);
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
}

// A hint drawn inside an empty multi-line box (ImGui 1.86 has hints for one-line fields only).
static void EmptyHint(const char* hint) {
  const ImVec2 pad = ImGui::GetStyle().FramePadding;
  const ImVec2 min = ImGui::GetItemRectMin();
  ImGui::GetWindowDrawList()->AddText(ImVec2(min.x + pad.x, min.y + pad.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), hint);
}

void AnswerBox(const char* key, const char* hotspot, const char* prompt, int lines) {
  if (prompt && *prompt) Paragraph(prompt);
  std::string text = g.notes.Field(key);
  RequestGlyphs(text);  // Chinese the student typed
  const float h = ImGui::GetTextLineHeight() * std::max(lines, 2) + 2 * ImGui::GetStyle().FramePadding.y;
  const std::string id = std::string("###ex-answer-") + key;
  if (InputStringMultiline(id.c_str(), &text, ImVec2(-1, h))) {
    g.notes.SetField(key, text);
    NotesChanged(false);
  }
  const bool active = ImGui::IsItemActive();
  if (ImGui::IsItemDeactivatedAfterEdit()) NotesChanged(true);  // leaving the box saves at once
  Hotspot(hotspot);
  if (text.empty() && !active) EmptyHint(Tr(Str::ExAnswerHint));
}

void NoteField(const char* key, const char* hotspot, const char* hint, float width) {
  std::string text = g.notes.Field(key);
  RequestGlyphs(text);
  const std::string id = std::string("###ex-field-") + key;
  ImGui::SetNextItemWidth(width);
  if (InputString(id.c_str(), hint, &text)) {
    g.notes.SetField(key, text);
    NotesChanged(false);
  }
  if (ImGui::IsItemDeactivatedAfterEdit()) NotesChanged(true);
  Hotspot(hotspot);
}

bool CommitGuess(const Prediction& p, int choice) {
  if (p.answer < 0 || choice < 0 || choice >= static_cast<int>(p.choices.size()) || g.notes.FindGuess(p.id)) return false;
  const session::Verdict v = session::ScoreGuess(choice, p.answer, p.clear);
  g.notes.guesses.push_back({p.id, p.question, p.choices[choice], p.choices[p.answer], v == session::Verdict::kRight,
                             v != session::Verdict::kNotScored});
  NotesChanged(true);
  return true;
}

bool PredictBox(const Prediction& p, PredictionUi& ui, const char* prefix) {
  const Palette& pal = GetPalette();
  const std::string pre(prefix);
  ImGui::PushStyleColor(ImGuiCol_Text, pal.accent);
  ImGui::TextUnformatted(Tr(Str::ExPredictHeading));
  ImGui::PopStyleColor();
  Paragraph(p.question);
  if (p.answer < 0) return true;
  if (const session::Guess* done = g.notes.FindGuess(p.id)) {
    const Str says = !done->scored ? Str::ExRevealUnscored : done->correct ? Str::ExRevealRight : Str::ExRevealWrong;
    const std::string line = StrFormat(Tr(says), done->guess.c_str(), done->answer.c_str());
    ImGui::PushStyleColor(ImGuiCol_Text, done->correct || !done->scored ? pal.accent : pal.badge_text);
    ImGui::TextWrapped("%s", line.c_str());
    ImGui::PopStyleColor();
    if (!done->scored && !p.weak_note.empty()) Paragraph(p.weak_note, pal.muted_text);
    Hotspot((pre + "_reveal").c_str());
    return true;
  }
  if (g.peek_all) ui.peek = true;
  if (ui.pending >= static_cast<int>(p.choices.size())) ui.pending = -1;
  const float em = ImGui::GetFontSize();
  ImGui::SetNextItemWidth(12 * em);
  const char* preview = ui.pending >= 0 ? p.choices[ui.pending].c_str() : Tr(Str::ExPredictPick);
  if (ImGui::BeginCombo(("###" + pre + "-guess").c_str(), preview)) {
    for (int i = 0; i < static_cast<int>(p.choices.size()); ++i) {
      ImGui::PushID(i);
      if (ImGui::Selectable(p.choices[i].c_str(), i == ui.pending)) ui.pending = i;
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  Hotspot((pre + "_guess").c_str());
  const std::string commit = IdLabel(Str::ExCommit, (pre + "-commit").c_str());
  SameLineIfFits(ImGui::CalcTextSize(commit.c_str(), nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x);
  if (ui.pending < 0) ImGui::BeginDisabled();
  if (ImGui::Button(commit.c_str())) CommitGuess(p, ui.pending);
  if (ui.pending < 0) ImGui::EndDisabled();
  Hotspot((pre + "_commit").c_str());
  const std::string peek = IdLabel(Str::ExPeek, (pre + "-peek").c_str());
  SameLineIfFits(LabelledWidth(ImGui::GetFrameHeight(), peek.c_str()));
  ImGui::Checkbox(peek.c_str(), &ui.peek);
  Hotspot((pre + "_peek").c_str());
  if (ui.peek) {
    Paragraph(StrFormat(Tr(Str::ExModelSays), p.choices[p.answer].c_str()), pal.muted_text);
    if (!p.clear && !p.weak_note.empty()) Paragraph(p.weak_note, pal.muted_text);
  }
  else Paragraph(Tr(Str::ExHidden), pal.muted_text);
  return ui.peek;
}

void PinButton(const char* hotspot, const std::string& title, const std::string& table) {
  if (ImGui::Button(IdLabel(Str::ExPin, hotspot).c_str())) {
    g.notes.figures.push_back({title, table});
    NotesChanged(true);
  }
  Hotspot(hotspot);
  int mine = 0;
  for (const session::PinnedFigure& f : g.notes.figures) mine += f.title == title;
  if (mine > 0) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", StrFormat(Tr(Str::ExPinned), static_cast<int>(g.notes.figures.size())).c_str());
  }
}

std::string TokenText(const session::Session& s, int id) {
  std::string text = session::DisplayText(s.tokenizer().TokenBytes(id));
  if (!text.empty() && text[0] == ' ') text = "·" + text.substr(1);
  return text;
}

void TopBars(const session::Session& s, const char* id, const std::vector<model::TokenProb>& top, float vmax, unsigned color) {
  std::vector<std::string> names;
  std::vector<float> p;
  for (const model::TokenProb& t : top) {
    names.push_back(TokenText(s, t.id));
    RequestGlyphs(names.back());
    p.push_back(t.p);
  }
  BarChartSpec spec;
  spec.labels = &names;
  spec.values = &p;
  spec.vmax = vmax;
  spec.format = vmax < 0.01f ? "%.1e" : "%.3f";  // a random test model's probabilities are tiny
  spec.height_em = 4.0f;
  spec.color = color;
  BarChart(id, spec);
  Hotspot(id);
}

float TopBarsMax(const std::vector<model::TokenProb>& a, const std::vector<model::TokenProb>& b) {
  float m = 1e-3f;
  for (const model::TokenProb& t : a) m = std::max(m, t.p);
  for (const model::TokenProb& t : b) m = std::max(m, t.p);
  return m * 1.1f;
}

std::string TopJson(const session::Session& s, const std::vector<model::TokenProb>& top) {
  std::string j = "[";
  for (size_t i = 0; i < top.size(); ++i) {
    j += i ? ",{\"id\":" : "{\"id\":";
    j += std::to_string(top[i].id) + ",\"text\":" + json::Quote(s.tokenizer().TokenBytes(top[i].id));
    j += StrFormat(",\"p\":%.6g}", top[i].p);
  }
  return j + "]";
}

//-----------------------------------------------------------------------------
// [SECTION] Report
//-----------------------------------------------------------------------------

static std::string ReportText(session::Session& session) {
  session::ReportText t;
  t.title = Tr(Str::ExReportTitle);
  const std::string& name = g.notes.Field("report.name");
  t.intro = StrFormat(Tr(Str::ExReportMeta), name.empty() ? "—" : name.c_str(),
                   session.HasModel() ? session.info().name.c_str() : Tr(Str::ModelNone));
  t.no_answer = Tr(Str::ExNoAnswer);
  t.guesses_heading = Tr(Str::ExGuessesHeading);
  t.col_question = Tr(Str::ExColQuestion);
  t.col_guess = Tr(Str::ExColGuess);
  t.col_answer = Tr(Str::ExColAnswer);
  t.col_result = Tr(Str::ExColResult);
  t.right = Tr(Str::ExRight);
  t.not_scored = Tr(Str::ExNotScored);
  t.wrong = Tr(Str::ExWrong);
  t.score = StrFormat(Tr(Str::ExScore), g.notes.Right(), g.notes.Wrong());
  t.no_guesses = Tr(Str::ExNoGuesses);
  t.figures_heading = Tr(Str::ExFiguresHeading);
  const std::vector<session::ReportSection> sections = {HeadsExerciseReport(), PositionsExerciseReport(),
                                                        AmbiguityExerciseReport()};
  return session::ReportMarkdown(g.notes, sections, t);
}

// The report as Markdown (plain text to hand in or paste) or as one HTML page with the pinned
// matrices coloured (session/report_html.h), beside the notes or as a download.
static void ExportReport(session::Session& session, bool html) {
  const NotesStorage& st = GetNotesStorage();
  FlushExerciseNotes();
  if (!st.export_report) {
    g.export_failed = true;
    g.export_path = "—";
    return;
  }
  const std::string md = ReportText(session);
  g.export_failed = html ? !st.export_report("attnlab-report.html", "text/html;charset=utf-8",
                                             session::ReportHtml(md, Tr(Str::ExReportTitle), i18n::LangCode(i18n::GetLanguage())),
                                             &g.export_path)
                         : !st.export_report("attnlab-report.md", "text/markdown;charset=utf-8", md, &g.export_path);
}

// Notes that could not be read: said above the tabs, where the student types, with the way to
// the copy that was kept (a path natively; on the web a download of the newest backup).
static void NotesWarning() {
  const Palette& pal = GetPalette();
  const NotesStorage& st = GetNotesStorage();
  if (g.unreadable) Paragraph(StrFormat(Tr(Str::ExNotesUnreadable), st.where.c_str(), st.aside.c_str()), pal.badge_text);
  if (!g.broken) return;
  if (st.browser) Paragraph(Tr(Str::ExNotesBroken), pal.badge_text);
  else Paragraph(StrFormat(Tr(Str::ExNotesBrokenFile), (st.where + ".bak").c_str()), pal.badge_text);
  Hotspot("ex_notes_broken");
  if (!st.load_backup) return;
  if (ImGui::Button(IdLabel(Str::ExNotesBackupDownload, "ex-backup").c_str())) {
    std::string json;
    g.backup_saved = st.load_backup(&json) && SaveUserFile("attnlab-notes-backup.json", "application/json", json, &g.backup_where);
    if (!g.backup_saved) g.backup_where = "—";
  }
  Hotspot("ex_backup");
  if (!g.backup_where.empty()) {
    ImGui::SameLine();
    ImGui::TextUnformatted((std::string(Tr(g.backup_saved ? Str::ExExportWeb : Str::VisExportFailed)) + g.backup_where).c_str());
  }
}

static void StorageLine() {
  const Palette& pal = GetPalette();
  const NotesStorage& st = GetNotesStorage();
  if (!g.save_error.empty()) Paragraph(std::string(Tr(Str::ExSaveFailed)) + g.save_error, pal.badge_text);
  else if (!st.save) Paragraph(Tr(Str::ExNotSaved), pal.badge_text);
  else if (st.browser) Paragraph(Tr(Str::ExSavedWeb), pal.muted_text);
  else Paragraph(std::string(Tr(Str::ExSavedFile)) + st.where, pal.muted_text);
}

static void GuessTable() {
  ExerciseHeading(Tr(Str::ExGuessesHeading));
  ImGui::TextUnformatted(StrFormat(Tr(Str::ExScore), g.notes.Right(), g.notes.Wrong()).c_str());
  Hotspot("ex_score");
  if (g.notes.guesses.empty()) {
    Paragraph(Tr(Str::ExNoGuesses), GetPalette().muted_text);
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("ex-guesses", 4, flags)) {
    ImGui::TableSetupColumn(Tr(Str::ExColQuestion), ImGuiTableColumnFlags_WidthStretch, 4.0f);
    ImGui::TableSetupColumn(Tr(Str::ExColGuess), ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn(Tr(Str::ExColAnswer), ImGuiTableColumnFlags_WidthStretch, 2.0f);
    const float result_w = std::max({ImGui::CalcTextSize(Tr(Str::ExColResult)).x, ImGui::CalcTextSize(Tr(Str::ExRight)).x,
                                     ImGui::CalcTextSize(Tr(Str::ExWrong)).x, ImGui::CalcTextSize(Tr(Str::ExNotScored)).x});  // the cell's longest word
    ImGui::TableSetupColumn(Tr(Str::ExColResult), ImGuiTableColumnFlags_WidthFixed, result_w);
    ImGui::TableHeadersRow();
    for (const session::Guess& q : g.notes.guesses) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", q.question.c_str());
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", q.guess.c_str());
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", q.answer.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Tr(!q.scored ? Str::ExNotScored : q.correct ? Str::ExRight : Str::ExWrong));
    }
    ImGui::EndTable();
  }
  Hotspot("ex_guesses");
}

static void FigureList() {
  ExerciseHeading(Tr(Str::ExFiguresHeading));
  if (g.notes.figures.empty()) {
    Paragraph(Tr(Str::ExNoFigures), GetPalette().muted_text);
    return;
  }
  int remove = -1;
  for (int i = 0; i < static_cast<int>(g.notes.figures.size()); ++i) {
    ImGui::PushID(i);
    if (ImGui::SmallButton(IdLabel(Str::ExRemove, "ex-remove").c_str())) remove = i;
    Hotspot(("ex_remove_" + std::to_string(i)).c_str());
    ImGui::SameLine();
    ImGui::TextWrapped("%s", g.notes.figures[i].title.c_str());
    ImGui::PopID();
  }
  if (remove >= 0) {
    g.notes.figures.erase(g.notes.figures.begin() + remove);
    NotesChanged(true);
  }
}

static void DrawReport(session::Session& session) {
  const Palette& pal = GetPalette();
  Paragraph(Tr(Str::ExReportIntro));
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(Tr(Str::ExName));
  ImGui::SameLine();
  NoteField("report.name", "ex_name", "", ImGui::GetFontSize() * 12);
  StorageLine();
  ImGui::Spacing();
  GuessTable();
  ImGui::Spacing();
  FigureList();
  ImGui::Spacing();
  ImGui::Separator();
  if (ImGui::Button(IdLabel(Str::ExExport, "ex-export").c_str())) ExportReport(session, false);
  Hotspot("ex_export");
  SameLineIfFits(ImGui::CalcTextSize(Tr(Str::ExExportHtml)).x + 2 * ImGui::GetStyle().FramePadding.x);
  if (ImGui::Button(IdLabel(Str::ExExportHtml, "ex-export-html").c_str())) ExportReport(session, true);
  Hotspot("ex_export_html");
  if (!g.export_path.empty()) {
    const NotesStorage& st = GetNotesStorage();
    const Str what = g.export_failed ? Str::VisExportFailed : st.browser ? Str::ExExportWeb : Str::VisExportWrote;
    Paragraph(std::string(Tr(what)) + g.export_path, g.export_failed ? pal.badge_text : ImGui::GetColorU32(ImGuiCol_Text));
  }
  if (ImGui::CollapsingHeader(IdLabel(Str::ExPreview, "ex-preview").c_str())) {
    std::string md = ReportText(session);
    RequestGlyphs(md);
    const int lines = static_cast<int>(std::count(md.begin(), md.end(), '\n')) + 1;
    ImGui::InputTextMultiline("###ex-preview-text", md.data(), md.size() + 1,
                              ImVec2(-1, ImGui::GetTextLineHeight() * std::min(lines + 1, 24) + 2 * ImGui::GetStyle().FramePadding.y),
                              ImGuiInputTextFlags_ReadOnly);
    Hotspot("ex_preview");
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Publish
//-----------------------------------------------------------------------------

static void Publish(session::Session& session) {
  const NotesStorage& st = GetNotesStorage();
  std::string j = "{\"tab\":" + json::Quote(g.tab);
  j += ",\"storage\":{\"where\":" + json::Quote(st.where) + ",\"browser\":" + (st.browser ? "true" : "false");
  j += ",\"saved\":" + std::string(g.dirty ? "false" : "true") + ",\"saves\":" + std::to_string(g.saves);
  j += ",\"broken\":" + std::string(g.broken ? "true" : "false") + ",\"unreadable\":" + (g.unreadable ? "true" : "false") + ",\"error\":" + json::Quote(g.save_error) + "}";
  j += ",\"fields\":{";
  for (size_t i = 0; i < g.notes.fields.size(); ++i) {
    j += i ? "," : "";
    j += json::Quote(g.notes.fields[i].first) + ":" + json::Quote(g.notes.fields[i].second);
  }
  j += "},\"guesses\":[";
  for (size_t i = 0; i < g.notes.guesses.size(); ++i) {
    const session::Guess& q = g.notes.guesses[i];
    j += (i ? ",{\"id\":" : "{\"id\":") + json::Quote(q.id) + ",\"question\":" + json::Quote(q.question) +
         ",\"guess\":" + json::Quote(q.guess) + ",\"answer\":" + json::Quote(q.answer) +
         ",\"correct\":" + (q.correct ? "true" : "false") + ",\"scored\":" + (q.scored ? "true" : "false") + "}";
  }
  j += "],\"score\":{\"right\":" + std::to_string(g.notes.Right()) + ",\"wrong\":" + std::to_string(g.notes.Wrong()) + "}";
  j += ",\"figures\":[";
  for (size_t i = 0; i < g.notes.figures.size(); ++i) {
    j += i ? "," : "";
    j += json::Quote(g.notes.figures[i].title);
  }
  j += "],\"export\":{\"path\":" + json::Quote(g.export_path) + ",\"failed\":" + (g.export_failed ? "true" : "false") + "}";
  j += ",\"heads\":" + HeadsExerciseJson(session);
  j += ",\"positions\":" + PositionsExerciseJson(session);
  j += ",\"ambiguity\":" + AmbiguityExerciseJson() + "}";
  PublishPanelState("exercises", std::move(j));
}

//-----------------------------------------------------------------------------
// [SECTION] Panel
//-----------------------------------------------------------------------------

// No model yet: the questions and the answer boxes still work (the experiments wait).
static void AnswersWithoutModel(session::Session& session, const std::string& tab) {
  const Palette& pal = GetPalette();
  if (tab == "heads") {
    Paragraph(Tr(Str::ExHeadsQuestion));
    AnswerBox("ex1.answer", "ex1_answer", Tr(Str::ExYourAnswer));
  } else if (tab == "positions") {
    Paragraph(Tr(Str::ExPosQuestion));
    AnswerBox("ex2.answer", "ex2_answer", Tr(Str::ExYourAnswer));
  } else {
    Paragraph(Tr(Str::ExAmbQuestion));
    AnswerBox("ex3.q1", "ex3_q1", Tr(Str::ExAmbQ1), 3);
    AnswerBox("ex3.q2", "ex3_q2", Tr(Str::ExAmbQ2), 3);
    AnswerBox("ex3.q3", "ex3_q3", Tr(Str::ExAmbQ3), 3);
  }
  if (session.HasModel()) TextProblemNote(session, pal.badge_text);  // a model that computes NaN
  else NoModelNote(session, Str::ExNoModel, pal.badge_text);
}

struct ExerciseTab {
  const char* id;
  Str title;
};

static const ExerciseTab kTabs[] = {
    {"heads", Str::ExTabHeads},
    {"positions", Str::ExTabPositions},
    {"ambiguity", Str::ExTabAmbiguity},
    {"report", Str::ExTabReport},
};

void DrawExercisesPanel(AppState& app, session::Session& session) {
  if (!g.loaded) LoadNotes();
  ReadNoteOptions(app);
  std::string requested = TakeOption(app, "ex.tab");
  if (requested.size() == 1 && requested[0] >= '1' && requested[0] <= '4') requested = kTabs[requested[0] - '1'].id;
  const bool pin_all = TakeOption(app, "ex.pin") == "1";
  const bool export_now = TakeOption(app, "ex.export") == "1";
  if (TakeOption(app, "ex.peek") == "1") g.peek_all = true;

  ExerciseHeading(Tr(Str::NavExercises));
  Paragraph(Tr(Str::ExercisesIntro));
  Callout(Tr(Str::KeyIdeaHeading), Tr(Str::ExercisesKeyIdea));
  NotesWarning();
  ImGui::Spacing();
  const bool model = session.HasModel() && session.non_finite_stage() < 0;  // NaN: nothing to experiment with
  if (model) {
    UpdateHeadsExercise(app, session);
    UpdatePositionsExercise(app, session);
    UpdateAmbiguityExercise(app, session);
    if (pin_all) {
      for (const session::PinnedFigure& f : {HeadsExerciseFigure(session), PositionsExerciseFigure(session), AmbiguityExerciseFigure()})
        if (!f.table.empty()) g.notes.figures.push_back(f);
      NotesChanged(true);
    }
  }
  if (export_now) {  // ex.export=1 (tests): both files
    ExportReport(session, true);
    ExportReport(session, false);
  }

  // Narrow windows get short tab labels ("练习 1") and the full title inside the tab.
  float tabs_w = 0.0f;
  for (const ExerciseTab& tab : kTabs)
    tabs_w += ImGui::CalcTextSize(Tr(tab.title)).x + 2 * ImGui::GetStyle().FramePadding.x + ImGui::GetStyle().ItemInnerSpacing.x;
  const bool short_tabs = tabs_w > ImGui::GetContentRegionAvail().x;
  if (ImGui::BeginTabBar("ex-tabs")) {
    for (int k = 0; k < static_cast<int>(std::size(kTabs)); ++k) {
      const ExerciseTab& tab = kTabs[k];
      const bool select = requested == tab.id;
      const bool shorten = short_tabs && tab.title != Str::ExTabReport;
      const std::string label = (shorten ? StrFormat(Tr(Str::ExTabShort), k + 1) : std::string(Tr(tab.title))) + "###ex-" + tab.id;
      const bool open = ImGui::BeginTabItem(label.c_str(), nullptr, select ? ImGuiTabItemFlags_SetSelected : 0);
      Hotspot((std::string("ex_tab_") + tab.id).c_str());
      if (!open) continue;
      g.tab = tab.id;
      ImGui::Spacing();
      if (shorten) ExerciseHeading(Tr(tab.title));
      const std::string t = tab.id;
      if (t == "heads" || t == "positions") TrainingLabLink(app, t == "heads" ? "two-lookups" : "order", ("ex_lab_" + t).c_str());
      if (t == "report") DrawReport(session);
      else if (!model) AnswersWithoutModel(session, t);
      else if (t == "heads") DrawHeadsExercise(session);
      else if (t == "positions") DrawPositionsExercise(session);
      else DrawAmbiguityExercise(session);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  Publish(session);
}

}  // namespace attn::ui
