// The <iframe> snippet of "Embed this figure" (no ImGui: unit-tested).
#pragma once
#include <string>

namespace attn::ui {

// RFC 3986: unreserved characters kept, every other byte %XX (UTF-8 bytes one by one).
std::string UrlEncode(const std::string& text);

// <iframe src="BASE?embed=1&amp;panel=…&amp;lang=…&amp;sentence=…&amp;layer=…&amp;head=…" …>:
// the sentence URL-encoded (at most 500 bytes, cut on a character boundary), so it can never
// close the attribute; layer and head (0-based, as the URL takes them) only when >= 0.
std::string EmbedSnippet(const std::string& base_url, const char* section_id, const char* lang, const std::string& sentence,
                         int layer = -1, int head = -1);

}  // namespace attn::ui
