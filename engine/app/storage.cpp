#include "app/storage.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/file.h"
#include "ui/save_file.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#else
#include <filesystem>
#include <system_error>
#endif

namespace attn::app {


#ifdef __EMSCRIPTEN__
// localStorage can throw (private windows, a full quota, storage switched off): every call is
// guarded and reports failure instead.
EM_JS(int, attnlab_js_item_length, (const char* key), {
  try {
    const s = window.localStorage.getItem(UTF8ToString(key));
    return s === null ? -1 : lengthBytesUTF8(s);
  } catch (e) {
    return -1;
  }
});
EM_JS(void, attnlab_js_item_read, (const char* key, char* out, int capacity), {
  try {
    stringToUTF8(window.localStorage.getItem(UTF8ToString(key)) || "", out, capacity);
  } catch (e) {
    stringToUTF8("", out, capacity);
  }
});
// The last five distinct unreadable versions, as natively: attnlab.notes.bak (newest),
// .bak.1, … .bak.4. A second corruption no longer replaces the first one's copy.
EM_JS(int, attnlab_js_backup, (const char* text), {
  try {
    const s = UTF8ToString(text);
    const ls = window.localStorage;
    if (ls.getItem('attnlab.notes.bak') === s) return 1;
    for (let i = 4; i >= 1; i--) {
      const from = i === 1 ? 'attnlab.notes.bak' : 'attnlab.notes.bak.' + (i - 1);
      const v = ls.getItem(from);
      if (v !== null) ls.setItem('attnlab.notes.bak.' + i, v);
    }
    ls.setItem('attnlab.notes.bak', s);
    return 1;
  } catch (e) {
    console.warn('[attnlab] cannot keep a backup of the notes: ' + e.message);
    return 0;
  }
});
EM_JS(int, attnlab_js_store, (const char* key, const char* text), {
  try {
    window.localStorage.setItem(UTF8ToString(key), UTF8ToString(text));
    return 1;
  } catch (e) {
    console.warn('[attnlab] cannot save the notes: ' + e.message);
    return 0;
  }
});

// localStorage[key] into *text; false when there is no such item (or storage is unavailable).
static bool ReadItem(const char* key, std::string* text) {
  const int n = attnlab_js_item_length(key);
  if (n < 0) return false;
  std::vector<char> buf(static_cast<size_t>(n) + 1);
  attnlab_js_item_read(key, buf.data(), n + 1);
  text->assign(buf.data(), static_cast<size_t>(n));
  return true;
}
#endif

std::string DefaultNotesPath() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/attnlab/notes.json";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.local/share/attnlab/notes.json";
  return "attnlab-notes.json";
}

#ifndef __EMSCRIPTEN__
constexpr int kBackups = 5;

// There, but not something we can read: no permission, or not a regular file (a folder).
static bool Unreadable(const std::string& path) {
  std::error_code e;
  if (!std::filesystem::exists(path, e)) return false;
  std::string probe;
  return !std::filesystem::is_regular_file(path, e) || !ReadWholeFile(path, &probe);
}

static std::string Folder(const std::string& path) {
  const std::filesystem::path p = std::filesystem::absolute(path);
  return p.parent_path().string();
}

// Writes beside the target and renames: the old notes stay whole until the new ones are.
static bool WriteSafely(const std::string& path, const std::string& bytes) {
  std::error_code ec;
  std::filesystem::create_directories(Folder(path), ec);
  const std::string tmp = path + ".tmp";
  if (!WriteWholeFile(tmp, bytes)) return false;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}
#endif

ui::NotesStorage NativeNotesStorage(const std::string& path) {
  ui::NotesStorage s;
#ifdef __EMSCRIPTEN__
  (void)path;
#else
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  s.where = ec ? path : absolute.string();
  const std::string file = s.where;
  s.load = [file](std::string* json) { return ReadWholeFile(file, json); };
  s.unreadable = [file] { return Unreadable(file); };
  s.aside = file + ".new";
  s.save = [file](const std::string& json) {
    return WriteSafely(Unreadable(file) ? file + ".new" : file, json);  // never over notes we cannot read
  };
  s.backup = [file](const std::string& json) {
    // The last kBackups distinct unreadable versions: .bak (newest), .bak.1, … A second
    // corruption no longer replaces the first one's copy.
    std::string newest;
    if (ReadWholeFile(file + ".bak", &newest) && newest == json) return true;
    std::error_code e;
    for (int i = kBackups - 1; i >= 1; --i) {
      const std::string from = i == 1 ? file + ".bak" : file + ".bak." + std::to_string(i - 1);
      if (std::filesystem::exists(from, e)) std::filesystem::rename(from, file + ".bak." + std::to_string(i), e);
    }
    return WriteSafely(file + ".bak", json);
  };
  s.export_report = [file](const std::string& name, const std::string&, const std::string& bytes, std::string* where) {
    *where = Folder(file) + "/" + name;
    return WriteSafely(*where, bytes);
  };
#endif
  return s;
}

ui::NotesStorage WebNotesStorage() {
  ui::NotesStorage s;
  s.browser = true;
#ifdef __EMSCRIPTEN__
  s.load = [](std::string* json) { return ReadItem("attnlab.notes", json); };
  s.save = [](const std::string& json) { return attnlab_js_store("attnlab.notes", json.c_str()) != 0; };
  s.backup = [](const std::string& json) { return attnlab_js_backup(json.c_str()) != 0; };
  s.load_backup = [](std::string* json) { return ReadItem("attnlab.notes.bak", json); };
  s.export_report = [](const std::string& name, const std::string& mime, const std::string& bytes, std::string* where) {
    return ui::SaveUserFile(name, mime, bytes, where);  // a download
  };
#endif
  return s;
}

}  // namespace attn::app
