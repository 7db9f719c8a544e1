#include "core/utf8.h"

namespace attn::utf8 {

Decoded DecodeAt(std::string_view s, size_t pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(pos);
  if (b0 < 0x80) return {b0, 1, true};

  // Lead byte -> sequence length and the smallest code point that length may encode
  // (anything smaller is an "overlong" encoding, a classic security hole).
  int length;
  char32_t cp, min_cp;
  if ((b0 & 0xE0) == 0xC0)      { length = 2; cp = b0 & 0x1F; min_cp = 0x80; }
  else if ((b0 & 0xF0) == 0xE0) { length = 3; cp = b0 & 0x0F; min_cp = 0x800; }
  else if ((b0 & 0xF8) == 0xF0) { length = 4; cp = b0 & 0x07; min_cp = 0x10000; }
  else return {kReplacement, 1, false};   // continuation byte or 0xF8..0xFF as a lead

  if (pos + length > s.size()) return {kReplacement, 1, false};
  for (int i = 1; i < length; ++i) {
    const unsigned char b = byte(pos + i);
    if ((b & 0xC0) != 0x80) return {kReplacement, 1, false};
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return {kReplacement, 1, false};
  return {cp, length, true};
}

bool IsValid(std::string_view s, size_t* error_offset) {
  for (size_t pos = 0; pos < s.size();) {
    const Decoded d = DecodeAt(s, pos);
    if (!d.valid) {
      if (error_offset) *error_offset = pos;
      return false;
    }
    pos += d.length;
  }
  return true;
}

void Append(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::vector<char32_t> ToCodepoints(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t pos = 0; pos < s.size();) {
    const Decoded d = DecodeAt(s, pos);
    out.push_back(d.codepoint);
    pos += d.length;
  }
  return out;
}

}  // namespace attn::utf8
