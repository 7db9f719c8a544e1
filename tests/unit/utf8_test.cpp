#include <doctest/doctest.h>

#include <string>

#include "core/utf8.h"

using namespace attn;

TEST_CASE("utf8: decodes one to four byte characters") {
  const std::string s = "a\xC3\xA9\xE6\xB3\xA8\xF0\x9F\x98\x80";  // a é 注 😀
  const std::vector<char32_t> cps = utf8::ToCodepoints(s);
  REQUIRE(cps.size() == 4);
  CHECK(cps[0] == U'a');
  CHECK(cps[1] == U'é');
  CHECK(cps[2] == U'注');
  CHECK(cps[3] == 0x1F600);
  CHECK(utf8::IsValid(s));
}

TEST_CASE("utf8: rejects malformed input and says where") {
  struct Case { std::string bytes; size_t bad_at; };
  const Case cases[] = {
      {"ok\x80", 2},                 // lone continuation byte
      {"\xC0\xAF", 0},               // overlong '/'
      {"\xE0\x80\xAF", 0},           // overlong, three bytes
      {"\xED\xA0\x80", 0},           // UTF-16 surrogate U+D800
      {"\xF4\x90\x80\x80", 0},       // past U+10FFFF
      {"ab\xE6\xB3", 2},             // truncated at the end
      {"\xFF", 0},                   // never valid
  };
  for (const Case& c : cases) {
    CAPTURE(c.bytes);
    size_t at = 999;
    CHECK_FALSE(utf8::IsValid(c.bytes, &at));
    CHECK(at == c.bad_at);
  }
}

TEST_CASE("utf8: every byte string decodes without reading past its end") {
  // Every 1- and 2-byte string, and each invalid byte becomes exactly one U+FFFD.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; b += 7) {
      const std::string s{static_cast<char>(a), static_cast<char>(b)};
      size_t total = 0;
      for (size_t pos = 0; pos < s.size();) {
        const utf8::Decoded d = utf8::DecodeAt(s, pos);
        REQUIRE(d.length >= 1);
        REQUIRE(pos + d.length <= s.size());
        if (!d.valid) CHECK(d.codepoint == utf8::kReplacement);
        pos += d.length;
        total += d.length;
      }
      CHECK(total == s.size());
    }
  }
}

TEST_CASE("utf8: Append round-trips every scalar value") {
  for (char32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x3000 ? 1 : 97)) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::string s;
    utf8::Append(s, cp);
    const utf8::Decoded d = utf8::DecodeAt(s, 0);
    REQUIRE(d.valid);
    CHECK(d.codepoint == cp);
    CHECK(static_cast<size_t>(d.length) == s.size());
  }
  std::string surrogate;
  utf8::Append(surrogate, 0xD800);
  CHECK(utf8::ToCodepoints(surrogate) == std::vector<char32_t>{utf8::kReplacement});
}
