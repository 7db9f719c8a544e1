// Hand a file to the student: natively it is written to `name` in the current folder (the
// full path comes back in *where); in the browser it becomes a download (a Blob) and *where is
// the file name. False when it could not be written or offered.
#pragma once
#include <string>

namespace attn::ui {

bool SaveUserFile(const std::string& name, const std::string& mime, const std::string& bytes, std::string* where);

}  // namespace attn::ui
