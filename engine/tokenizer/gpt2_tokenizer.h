// GPT-2's byte-level BPE tokenizer, exactly as OpenAI's encoder (checked against npm
// gpt-3-encoder in the tests). Three steps turn text into token ids:
//
//   1. Pre-tokenize: split the text into "words" with GPT-2's pattern
//        's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//      (contractions, letters, numbers, other symbols — each may carry one leading space —
//      and runs of whitespace).
//   2. Bytes to symbols: each UTF-8 byte of a word becomes one printable character
//      (byte_to_unicode), so every possible byte has a token: nothing is ever "unknown".
//   3. Merge: repeatedly join the adjacent pair of symbols with the best (lowest) merge rank
//      until no pair is in the merge list; each final symbol is a token id.
//
// Any bytes can be encoded, including invalid UTF-8, and Decode(Encode(s)) == s always.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace attn::tokenizer {

class Gpt2Tokenizer {
 public:
  // tokens[id] in the byte-level alphabet ("Ġthe"); merges[rank] = "a b". This is how GGUF
  // stores them (tokenizer.ggml.tokens / tokenizer.ggml.merges).
  static Result<Gpt2Tokenizer> FromTokensAndMerges(std::vector<std::string> tokens,
                                                   const std::vector<std::string>& merges);
  // Hugging Face / OpenAI files: vocab.json ({"token": id}) and merges.txt (one "a b" a line,
  // an optional "#version" first line).
  static Result<Gpt2Tokenizer> FromVocabJson(std::string_view vocab_json, std::string_view merges_txt);

  // `<|endoftext|>` in the text is plain text here, as in OpenAI's encoder; to mark a document
  // boundary, add EndOfTextId() to the ids yourself.
  std::vector<int> Encode(std::string_view text) const;
  // The same, but every literal "<|endoftext|>" becomes the single id EndOfTextId() (as
  // Hugging Face's tokenizer does): training documents and the attention-sink demo use it.
  std::vector<int> EncodeWithSpecial(std::string_view text) const;
  std::string Decode(const std::vector<int>& ids) const;  // ids out of range are skipped
  // The raw bytes of one token: a piece of a Chinese character is 1–2 of its 3 UTF-8 bytes.
  std::string TokenBytes(int id) const;
  const std::string& TokenText(int id) const { return tokens_[id]; }  // byte-level alphabet
  int EndOfTextId() const { return eot_id_; }
  int VocabSize() const { return static_cast<int>(tokens_.size()); }

  // The merges of a merges.txt / vocab.bpe file, by rank ("#version" first line skipped).
  static std::vector<std::string> ParseMergesTxt(std::string_view merges_txt);

  // Merge-table lookups done so far: the work of step 3, which the tests check grows with the
  // text's length, not its square.
  uint64_t MergeLookups() const { return merge_lookups_; }

  // Step 1 alone, for teaching and tests: the words the pattern splits `text` into.
  static std::vector<std::string_view> PreTokenize(std::string_view text);

 private:
  void EncodeWord(std::string_view word, std::vector<int>& out) const;
  static constexpr size_t kMaxCachedWord = 64;  // bytes

  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int> ids_;
  std::unordered_map<uint64_t, std::pair<int, int>> merges_;  // (left id, right id) -> (rank, merged id)
  int byte_token_[256] = {};                                   // byte -> its single-symbol token
  std::vector<std::string> token_bytes_;                       // id -> raw bytes
  int eot_id_ = -1;
  mutable std::unordered_map<std::string, std::vector<int>> cache_;  // word -> ids
  mutable uint64_t merge_lookups_ = 0;
};

}  // namespace attn::tokenizer
