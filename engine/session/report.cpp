#include "session/report.h"

#include <algorithm>
#include <initializer_list>

#include "formats/json.h"

namespace attn::session {

//-----------------------------------------------------------------------------
// Notes
//-----------------------------------------------------------------------------

const std::string& Notes::Field(std::string_view key) const {
  static const std::string kEmpty;
  for (const auto& kv : fields)
    if (kv.first == key) return kv.second;
  return kEmpty;
}

void Notes::SetField(std::string_view key, std::string value) {
  auto it = std::find_if(fields.begin(), fields.end(), [&](const auto& kv) { return kv.first == key; });
  if (value.empty()) {
    if (it != fields.end()) fields.erase(it);
  } else if (it != fields.end()) {
    it->second = std::move(value);
  } else {
    fields.emplace_back(std::string(key), std::move(value));
  }
}

const Guess* Notes::FindGuess(std::string_view id) const {
  for (const Guess& g : guesses)
    if (g.id == id) return &g;
  return nullptr;
}

int Notes::Right() const {
  return static_cast<int>(std::count_if(guesses.begin(), guesses.end(), [](const Guess& g) { return g.scored && g.correct; }));
}

int Notes::Wrong() const {
  return static_cast<int>(std::count_if(guesses.begin(), guesses.end(), [](const Guess& g) { return g.scored && !g.correct; }));
}

//-----------------------------------------------------------------------------
// JSON
//-----------------------------------------------------------------------------

// ",\"key\":json" for each kept member.
static std::string ExtraMembers(const Extras& extra) {
  std::string j;
  for (const auto& [key, value] : extra) j += "," + json::Quote(key) + ":" + value;
  return j;
}

// The members of `object` whose keys are not in `known`.
static Extras UnknownMembers(const json::Value& object, std::initializer_list<std::string_view> known) {
  Extras extra;
  for (const json::Member& m : object.object)
    if (std::find(known.begin(), known.end(), m.key) == known.end()) extra.emplace_back(m.key, json::Write(m.value));
  return extra;
}

std::string NotesToJson(const Notes& notes) {
  std::string j = "{\"version\":1,\n\"fields\":{";
  for (size_t i = 0; i < notes.fields.size(); ++i)
    j += (i ? ",\n  " : "\n  ") + json::Quote(notes.fields[i].first) + ":" + json::Quote(notes.fields[i].second);
  for (size_t i = 0; i < notes.extra_fields.size(); ++i)
    j += (i || !notes.fields.empty() ? ",\n  " : "\n  ") + json::Quote(notes.extra_fields[i].first) + ":" + notes.extra_fields[i].second;
  j += "},\n\"guesses\":[";
  for (size_t i = 0; i < notes.guesses.size(); ++i) {
    const Guess& g = notes.guesses[i];
    j += i ? ",\n  " : "\n  ";
    j += "{\"id\":" + json::Quote(g.id) + ",\"question\":" + json::Quote(g.question) + ",\"guess\":" + json::Quote(g.guess) +
         ",\"answer\":" + json::Quote(g.answer) + ",\"correct\":" + (g.correct ? "true" : "false") + (g.scored ? "" : ",\"scored\":false") +
         ExtraMembers(g.extra) + "}";
  }
  for (size_t i = 0; i < notes.unread_guesses.size(); ++i)
    j += (i || !notes.guesses.empty() ? ",\n  " : "\n  ") + notes.unread_guesses[i];
  j += "],\n\"figures\":[";
  for (size_t i = 0; i < notes.figures.size(); ++i) {
    j += i ? ",\n  " : "\n  ";
    const PinnedFigure& f = notes.figures[i];
    j += "{\"title\":" + json::Quote(f.title) + ",\"table\":" + json::Quote(f.table);
    if (!f.section.empty()) j += ",\"section\":" + json::Quote(f.section);
    j += ExtraMembers(f.extra) + "}";
  }
  for (size_t i = 0; i < notes.unread_figures.size(); ++i)
    j += (i || !notes.figures.empty() ? ",\n  " : "\n  ") + notes.unread_figures[i];
  j += "]";
  for (const auto& [key, value] : notes.extra) j += ",\n" + json::Quote(key) + ":" + value;
  return j + "}\n";
}

static std::string StringOf(const json::Value* v) {
  return v && v->type == json::Value::Type::String ? v->string : std::string();
}

Result<Notes> NotesFromJson(std::string_view text) {
  Result<json::Value> parsed = json::Parse(text);
  if (!parsed.ok()) return parsed.failure();
  const json::Value& root = *parsed;
  if (root.type != json::Value::Type::Object) return Error{"the notes are not a JSON object"};
  Notes notes;
  notes.extra = UnknownMembers(root, {"version", "fields", "guesses", "figures"});
  if (const json::Value* f = root.Find("fields"); f && f->type == json::Value::Type::Object)
    for (const json::Member& m : f->object) {
      if (m.value.type == json::Value::Type::String) notes.SetField(m.key, m.value.string);
      else notes.extra_fields.emplace_back(m.key, json::Write(m.value));
    }
  if (const json::Value* gs = root.Find("guesses"); gs && gs->type == json::Value::Type::Array)
    for (const json::Value& v : gs->array) {
      if (v.type != json::Value::Type::Object) {
        notes.unread_guesses.push_back(json::Write(v));
        continue;
      }
      Guess g;
      g.id = StringOf(v.Find("id"));
      g.question = StringOf(v.Find("question"));
      g.guess = StringOf(v.Find("guess"));
      g.answer = StringOf(v.Find("answer"));
      const json::Value* c = v.Find("correct");
      g.correct = c && c->type == json::Value::Type::Bool && c->boolean;
      const json::Value* sc = v.Find("scored");
      g.scored = !(sc && sc->type == json::Value::Type::Bool && !sc->boolean);
      g.extra = UnknownMembers(v, {"id", "question", "guess", "answer", "correct", "scored"});
      if (!g.id.empty() && !notes.FindGuess(g.id)) notes.guesses.push_back(std::move(g));
      else notes.unread_guesses.push_back(json::Write(v));  // no id, or a second answer to one question
    }
  if (const json::Value* fs = root.Find("figures"); fs && fs->type == json::Value::Type::Array) {
    for (const json::Value& v : fs->array) {
      if (v.type == json::Value::Type::Object)
        notes.figures.push_back({StringOf(v.Find("title")), StringOf(v.Find("table")), StringOf(v.Find("section")),
                                 UnknownMembers(v, {"title", "table", "section"})});
      else
        notes.unread_figures.push_back(json::Write(v));
    }
  }
  return notes;
}

//-----------------------------------------------------------------------------
// Markdown
//-----------------------------------------------------------------------------

// '<' would start HTML in most Markdown viewers: the student's "<b>" stays text.
static void AppendEscaped(std::string& out, char c) {
  if (c == '<') out += "&lt;";
  else out += c;
}

std::string MarkdownCell(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '|') out += "\\|";
    else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // \r\n: one break
    else if (c == '\n' || c == '\r') out += "<br>";
    else AppendEscaped(out, c);
  }
  return out;
}

std::string MarkdownQuote(std::string_view text) {
  std::string out = "> ";
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n' || c == '\r') out += "\n> ";
    else AppendEscaped(out, c);
  }
  return out;
}

std::string ReportMarkdown(const Notes& notes, const std::vector<ReportSection>& sections, const ReportText& t) {
  std::string md = "# " + t.title + "\n\n";
  if (!t.intro.empty()) md += t.intro + "\n\n";
  for (const ReportSection& s : sections) {
    md += "## " + s.heading + "\n\n";
    if (!s.question.empty()) md += s.question + "\n\n";
    for (const auto& [prompt, answer] : s.answers) {
      if (!prompt.empty()) md += "**" + prompt + "**\n\n";
      md += MarkdownQuote(answer.empty() ? t.no_answer : answer) + "\n\n";
    }
    for (const auto& [name, value] : s.items) md += "- " + name + ": " + MarkdownCell(value) + "\n";
    if (!s.items.empty()) md += "\n";
  }
  md += "## " + t.guesses_heading + "\n\n";
  if (notes.guesses.empty()) {
    md += t.no_guesses + "\n\n";
  } else {
    md += "| " + t.col_question + " | " + t.col_guess + " | " + t.col_answer + " | " + t.col_result + " |\n";
    md += "|---|---|---|---|\n";
    for (const Guess& g : notes.guesses)
      md += "| " + MarkdownCell(g.question) + " | " + MarkdownCell(g.guess) + " | " + MarkdownCell(g.answer) + " | " +
            (!g.scored ? t.not_scored : g.correct ? t.right : t.wrong) + " |\n";
    md += "\n";
  }
  md += "**" + t.score + "**\n\n";
  if (!notes.figures.empty()) {
    md += "## " + t.figures_heading + "\n\n";
    // Grouped by the part of the chapter they came from, in the order first pinned; figures
    // with no section come first, directly under the heading.
    std::vector<std::string> sections{""};
    for (const PinnedFigure& f : notes.figures)
      if (std::find(sections.begin(), sections.end(), f.section) == sections.end()) sections.push_back(f.section);
    for (const std::string& s : sections) {
      if (!s.empty()) md += "### " + s + "\n\n";
      for (const PinnedFigure& f : notes.figures)
        if (f.section == s) md += (s.empty() ? "### " : "#### ") + f.title + "\n\n" + f.table + "\n\n";
    }
  }
  return md;
}

PinnedFigure AttentionPinFigure(const std::vector<std::string>& tokens, const std::vector<float>& matrix, int row,
                                const AttentionPinText& text, const std::string& note) {
  const int n = static_cast<int>(tokens.size());
  PinnedFigure f;
  f.title = text.title;
  f.section = text.section;
  if (n == 0 || matrix.size() != static_cast<size_t>(n) * n || row < 0 || row >= n) return f;
  char num[32];
  auto weight = [&](int i, int j) {
    std::snprintf(num, sizeof num, "%.3f", matrix[static_cast<size_t>(i) * n + j]);
    return std::string(num);
  };
  std::string& t = f.table;
  t += "**" + text.row_heading + "**\n\n| " + MarkdownCell(text.col_token) + " | " + MarkdownCell(text.col_weight) +
       " |\n|---|---:|\n";
  for (int j = 0; j < n; ++j) t += "| " + MarkdownCell(tokens[j]) + " | " + weight(row, j) + " |\n";
  if (n <= kPinMatrixMax) {
    t += "\n**" + text.matrix_heading + "**\n\n|   |";
    for (int j = 0; j < n; ++j) t += " " + MarkdownCell(tokens[j]) + " |";
    t += "\n|---|";
    for (int j = 0; j < n; ++j) t += "---:|";
    t += "\n";
    for (int i = 0; i < n; ++i) {
      t += "| " + MarkdownCell(tokens[i]) + " |";
      for (int j = 0; j < n; ++j) t += " " + weight(i, j) + " |";
      t += "\n";
    }
  }
  if (!note.empty()) t += "\n**" + text.note_heading + "**\n\n" + MarkdownQuote(note) + "\n";
  return f;
}

}  // namespace attn::session
