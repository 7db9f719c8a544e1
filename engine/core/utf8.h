// UTF-8 helpers.
//
// The tokenizer works on bytes, the UI on characters, and students paste anything: every
// function here accepts arbitrary bytes, reports what is invalid and never reads past the end.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attn::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;   // U+FFFD REPLACEMENT CHARACTER

struct Decoded {
  char32_t codepoint;  // kReplacement when !valid
  int length;          // bytes consumed, >= 1 (an invalid byte is consumed alone)
  bool valid;
};

// Decodes the character starting at s[pos] (pos < s.size()). Rejects overlong forms,
// surrogates (U+D800..U+DFFF), values past U+10FFFF and truncated sequences.
Decoded DecodeAt(std::string_view s, size_t pos);

// True when s is well-formed UTF-8; otherwise *error_offset (if given) is the first bad byte.
bool IsValid(std::string_view s, size_t* error_offset = nullptr);

// Appends the UTF-8 encoding of cp (U+FFFD for surrogates and values past U+10FFFF).
void Append(std::string& out, char32_t cp);

// Every character of s; each invalid byte becomes U+FFFD.
std::vector<char32_t> ToCodepoints(std::string_view s);

}  // namespace attn::utf8
