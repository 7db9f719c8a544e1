// The platform's side of ui/notes_storage.h: where 练习与作业 keeps the student's notes.
//
//   native  a JSON file: --notes FILE, else $XDG_DATA_HOME/attnlab/notes.json, else
//           ~/.local/share/attnlab/notes.json; written to FILE.tmp and renamed, so a crash
//           never leaves half a file. The report goes beside it: attnlab-report.md.
//   web     localStorage["attnlab.notes"]; the report is a download (a Blob, attnlab-report.md).
#pragma once
#include <string>

#include "ui/notes_storage.h"

namespace attn::app {

std::string DefaultNotesPath();
ui::NotesStorage NativeNotesStorage(const std::string& path);
ui::NotesStorage WebNotesStorage();

}  // namespace attn::app
