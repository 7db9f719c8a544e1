#include "session/token_labels.h"

#include <algorithm>
#include <cstdio>

#include "core/utf8.h"
#include "tokenizer/gpt2_tokenizer.h"

namespace attn::session {

std::string DisplayText(const std::string& bytes) {
  std::string out;
  for (size_t pos = 0; pos < bytes.size();) {
    const utf8::Decoded d = utf8::DecodeAt(bytes, pos);
    if (d.codepoint == '\n') out += "⏎";
    else if (d.codepoint == '\t') out += "→";
    else if (d.codepoint == '\r') out += "\\r";
    else if (d.codepoint > 0xFFFF) {  // emoji and rare characters: no glyph in the UI font
      char buf[16];
      std::snprintf(buf, sizeof buf, "U+%X", static_cast<unsigned>(d.codepoint));
      out += buf;
    } else {
      utf8::Append(out, d.codepoint);
    }
    pos += d.length;
  }
  return out;
}

// Length of the tail of `s` that is the start of a multi-byte character still waiting for
// its continuation bytes (0 when s ends on a character boundary).
static size_t IncompleteTail(const std::string& s) {
  for (size_t back = 1; back <= 3 && back <= s.size(); ++back) {
    const unsigned char c = static_cast<unsigned char>(s[s.size() - back]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    const size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

static bool StartsWithContinuation(const std::string& s) {
  return !s.empty() && (static_cast<unsigned char>(s[0]) & 0xC0) == 0x80;
}

static std::string Hex(const std::string& bytes) {
  std::string out;
  char buf[4];
  for (unsigned char c : bytes) {
    std::snprintf(buf, sizeof buf, "%s%02X", out.empty() ? "" : " ", c);
    out += buf;
  }
  return out;
}

std::vector<TokenLabel> MakeTokenLabels(const tokenizer::Gpt2Tokenizer& tok, const std::vector<int>& ids) {
  // Superscript piece numbers: Noto Sans CJK has ¹ ² ³ ⁴ (not the subscripts).
  static const char* const kPieceMark[] = {"", "¹", "²", "³", "⁴"};
  std::vector<TokenLabel> labels(ids.size());
  size_t i = 0;
  while (i < ids.size()) {
    // A group: this token plus the following ones while the bytes so far end inside a
    // character (a Chinese character split 2 + 1 bytes over two tokens, say).
    std::string spelled = tok.TokenBytes(ids[i]);
    size_t end = i + 1;
    while (end < ids.size() && IncompleteTail(spelled) > 0 && StartsWithContinuation(tok.TokenBytes(ids[end])))
      spelled += tok.TokenBytes(ids[end++]);
    const int pieces = static_cast<int>(end - i);
    for (size_t t = i; t < end; ++t) {
      TokenLabel& l = labels[t];
      const std::string bytes = tok.TokenBytes(ids[t]);
      l.group = static_cast<int>(i);
      l.piece = static_cast<int>(t - i) + 1;
      l.pieces = pieces;
      l.bytes_hex = Hex(bytes);
      l.spelled = DisplayText(spelled);
      l.leading_space = bytes.size() > 1 && bytes[0] == ' ' && bytes[1] != ' ';
      if (pieces == 1) {
        l.text = DisplayText(l.leading_space ? bytes.substr(1) : bytes);
      } else {
        std::string trimmed = spelled;
        if (trimmed.size() > 1 && trimmed[0] == ' ') { trimmed.erase(0, 1); l.leading_space = t == i; }
        else l.leading_space = false;
        l.text = DisplayText(trimmed) + (l.piece <= 4 ? kPieceMark[l.piece] : "⁺");
      }
      if (l.text.find_first_not_of(' ') == std::string::npos) l.text = "␣";  // only spaces
    }
    i = end;
  }
  return labels;
}

ByteSplitStats CountByteSplits(const tokenizer::Gpt2Tokenizer& tok, const std::vector<int>& ids,
                               const std::vector<TokenLabel>& labels) {
  ByteSplitStats s;
  if (labels.size() != ids.size()) return s;
  // From the raw bytes (labels show "⏎" for a newline, which is not a character of the text).
  for (size_t i = 0; i < ids.size();) {
    const size_t end = i + std::max(labels[i].pieces, 1);
    std::string bytes;
    for (size_t t = i; t < end && t < ids.size(); ++t) bytes += tok.TokenBytes(ids[t]);
    int chars = 0, high = 0;
    for (unsigned char c : bytes)
      if (c >= 0x80) {
        ++high;
        if ((c & 0xC0) != 0x80) ++chars;  // a lead byte starts a character
      }
    if (chars > 0) {
      s.chars += chars;
      s.bytes += high;
      s.tokens += static_cast<int>(end - i);
    }
    if (labels[i].pieces > 1) s.byte_pieces += static_cast<int>(end - i);
    i = end;
  }
  return s;
}

}  // namespace attn::session
