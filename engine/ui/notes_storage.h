// Where the student's notes for 练习与作业 live: the platform layer (app/) decides — a file
// natively, localStorage in the browser — and hands the panel these functions. Without them
// (unit tests, a bare shell) the notes stay in memory and the panel says so.
#pragma once
#include <functional>
#include <string>

namespace attn::ui {

struct NotesStorage {
  std::string where;   // the notes file's path, or "" in the browser (the panel says "this browser")
  bool browser = false;
  std::function<bool(std::string* json)> load;        // false: nothing saved yet (or unreadable)
  std::function<bool(const std::string& json)> save;  // replaces what was saved
  std::function<bool(const std::string& json)> backup;  // keeps unreadable notes before they are replaced
  // The newest backup, for the "download the backup" button on the web (where a student cannot
  // reach localStorage); natively the backup is a file beside the notes: where + ".bak".
  std::function<bool(std::string* json)> load_backup;
  // Notes that exist but cannot be read at all (no permission, not a file): they are never
  // saved over; new notes go to `aside` (the file's path + ".new") instead.
  std::function<bool()> unreadable;
  std::string aside;
  // Writes a report file `name` ("attnlab-report.md", ".html") beside the notes, or downloads
  // it; *where says where.
  std::function<bool(const std::string& name, const std::string& mime, const std::string& bytes, std::string* where)>
      export_report;
};

void SetNotesStorage(NotesStorage storage);
const NotesStorage& GetNotesStorage();

}  // namespace attn::ui
