// How a token is shown to a reader. GPT-2's tokens are byte strings: a Chinese character or
// an emoji is often split into 2–4 tokens that are not text on their own, and printing one
// of them would show "�". Labels group such pieces with the character they spell
// ("注¹", "注²"), and keep the leading space of a word token apart so it can be drawn
// subtly (" cat" → "cat" + a faint ·).
#pragma once
#include <string>
#include <vector>

namespace attn::tokenizer { class Gpt2Tokenizer; }

namespace attn::session {

struct TokenLabel {
  std::string text;        // what to draw: "cat", "注¹", "⏎" for a newline, "<|endoftext|>"
  bool leading_space = false;
  int group = 0;           // index of the first token of the character(s) this token helps spell
  int piece = 1, pieces = 1;  // 1-based position inside the group, and the group's size
  std::string spelled;     // the whole text of the group ("注"), for the hover read-out
  std::string bytes_hex;   // the token's raw bytes, "E6 B3"
};

std::vector<TokenLabel> MakeTokenLabels(const tokenizer::Gpt2Tokenizer& tok, const std::vector<int>& ids);

// How the sentence's non-ASCII characters (Chinese, accents, emoji) were tokenized, for the
// note on GPT-2's byte-level BPE: a Chinese character is 3 UTF-8 bytes and most of them are
// not whole tokens in GPT-2's vocabulary, so they become 2–3 byte pieces.
struct ByteSplitStats {
  int chars = 0;         // non-ASCII characters in the sentence's tokens
  int bytes = 0;         // their UTF-8 bytes
  int tokens = 0;        // the tokens that spell them
  int byte_pieces = 0;   // tokens that are only part of a character (TokenLabel::pieces > 1)
  float BytesPerChar() const { return chars ? static_cast<float>(bytes) / chars : 0.0f; }
  float TokensPerChar() const { return chars ? static_cast<float>(tokens) / chars : 0.0f; }
};
ByteSplitStats CountByteSplits(const tokenizer::Gpt2Tokenizer& tok, const std::vector<int>& ids,
                               const std::vector<TokenLabel>& labels);

// Bytes as readable text: valid UTF-8 kept, every invalid byte U+FFFD, "\n" → "⏎", "\t" → "→", characters past U+FFFF (emoji) → "U+1F431".
std::string DisplayText(const std::string& bytes);

}  // namespace attn::session
