#include "ui/save_file.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#else
#include <filesystem>
#include <system_error>

#include "core/file.h"
#endif

namespace attn::ui {

#ifdef __EMSCRIPTEN__
// The bytes are copied out of the wasm heap into a Blob; the link is clicked and dropped.
EM_JS(int, attnlab_js_save_file, (const char* name, const char* mime, const char* data, int size), {
  try {
    const blob = new Blob([HEAPU8.slice(data, data + size)], {type: UTF8ToString(mime)});
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = UTF8ToString(name);
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 10000);
    return 1;
  } catch (e) {
    console.warn('[attnlab] cannot start the download: ' + e.message);
    return 0;
  }
});
#endif

bool SaveUserFile(const std::string& name, const std::string& mime, const std::string& bytes, std::string* where) {
#ifdef __EMSCRIPTEN__
  *where = name;
  return attnlab_js_save_file(name.c_str(), mime.c_str(), bytes.data(), static_cast<int>(bytes.size())) != 0;
#else
  (void)mime;
  std::error_code ec;
  const std::filesystem::path path = std::filesystem::absolute(name, ec);
  *where = ec ? name : path.string();
  return WriteWholeFile(*where, bytes);
#endif
}

}  // namespace attn::ui
