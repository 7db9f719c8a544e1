// The <iframe> snippet of "Embed this figure" (no ImGui: unit-tested).
#pragma once
#include <string>

namespace attn::ui {

// RFC 3986: unreserved characters kept, every other byte %XX (UTF-8 bytes one by one).
std::string UrlEncode(const std::string& text);

// <iframe src="BASE?embed=1&amp;panel=…&amp;lang=…&amp;sentence=…" …>: the sentence URL-encoded
// (at most 500 bytes, cut on a character boundary), so it can never close the attribute.
std::string EmbedSnippet(const std::string& base_url, const char* section_id, const char* lang, const std::string& sentence);

}  // namespace attn::ui
