#include "ui/text/embed_snippet.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace attn::ui {

std::string UrlEncode(const std::string& text) {
  std::string out;
  char buf[4];
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string EmbedSnippet(const std::string& base_url, const char* section_id, const char* lang, const std::string& sentence,
                         int layer, int head) {
  std::string src = base_url + "?embed=1&amp;panel=" + section_id + "&amp;lang=" + lang;
  if (!sentence.empty()) {
    size_t n = std::min<size_t>(sentence.size(), 500);
    while (n < sentence.size() && n > 0 && (static_cast<unsigned char>(sentence[n]) & 0xC0) == 0x80) --n;  // whole characters
    src += "&amp;sentence=" + UrlEncode(sentence.substr(0, n));
  }
  if (layer >= 0) src += "&amp;layer=" + std::to_string(layer);
  if (head >= 0) src += "&amp;head=" + std::to_string(head);
  return "<iframe src=\"" + src + "\" width=\"100%\" height=\"620\" style=\"border:0\" loading=\"lazy\"\n"
         "        title=\"Attention Lab\" allow=\"clipboard-write\"></iframe>";
}

}  // namespace attn::ui
