// [SECTION] Index
//   - Character classes (\s as JavaScript defines it, \p{L}, \p{N})
//   - Pre-tokenizer (GPT-2's pattern, by hand)
//   - Byte <-> symbol map
//   - Construction
//   - BPE merges, Encode, Decode
#include "tokenizer/gpt2_tokenizer.h"

#include <algorithm>
#include <climits>
#include <functional>
#include <cstdio>
#include <queue>

#include "core/utf8.h"
#include "formats/json.h"

namespace attn::tokenizer {

//-----------------------------------------------------------------------------
// [SECTION] Character classes
//-----------------------------------------------------------------------------

namespace {

struct CodepointRange {
  char32_t first, last;
};
#include "tokenizer/unicode_tables.inc"

template <size_t N>
bool InRanges(const CodepointRange (&ranges)[N], char32_t c) {
  const auto it = std::upper_bound(std::begin(ranges), std::end(ranges), c,
                                   [](char32_t v, const CodepointRange& r) { return v < r.first; });
  return it != std::begin(ranges) && c <= (it - 1)->last;
}

bool IsLetter(char32_t c) { return c < 0x80 ? ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') : InRanges(kLetterRanges, c); }
bool IsNumber(char32_t c) { return c < 0x80 ? (c >= '0' && c <= '9') : InRanges(kNumberRanges, c); }

// JavaScript's \s (the reference encoder is JavaScript): ECMAScript WhiteSpace + LineTerminator.
bool IsSpace(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

enum class Kind { Letter, Number, Space, Other };

// One character of the input: an invalid UTF-8 byte counts as one "other" character.
struct Char {
  char32_t cp;
  size_t begin, end;
  Kind kind;
};

std::vector<Char> Characters(std::string_view text) {
  std::vector<Char> chars;
  chars.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const utf8::Decoded d = utf8::DecodeAt(text, pos);
    const char32_t c = d.valid ? d.codepoint : 0xFFFFFFFF;
    const Kind kind = !d.valid ? Kind::Other : IsLetter(c) ? Kind::Letter : IsNumber(c) ? Kind::Number
                      : IsSpace(c) ? Kind::Space : Kind::Other;
    chars.push_back({c, pos, pos + d.length, kind});
    pos += d.length;
  }
  return chars;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Pre-tokenizer
//-----------------------------------------------------------------------------

std::vector<std::string_view> Gpt2Tokenizer::PreTokenize(std::string_view text) {
  const std::vector<Char> c = Characters(text);
  const size_t n = c.size();
  std::vector<std::string_view> words;
  auto emit = [&](size_t from, size_t to) { words.push_back(text.substr(c[from].begin, c[to - 1].end - c[from].begin)); };
  auto run = [&](size_t from, Kind kind) {  // end of the run of `kind` starting at `from`
    while (from < n && c[from].kind == kind) ++from;
    return from;
  };

  size_t i = 0;
  while (i < n) {
    // 's 't 're 've 'm 'll 'd — lowercase, ASCII apostrophe, as in GPT-2's pattern.
    if (c[i].cp == '\'' && i + 1 < n) {
      const char32_t a = c[i + 1].cp, b = i + 2 < n ? c[i + 2].cp : 0;
      size_t len = 0;
      if (a == 's' || a == 't' || a == 'm' || a == 'd') len = 2;
      else if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) len = 3;
      if (len) { emit(i, i + len); i += len; continue; }
    }
    // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+": one optional leading space (U+0020 only).
    const size_t start = i;
    const size_t body = (c[i].cp == ' ' && i + 1 < n && c[i + 1].kind != Kind::Space) ? i + 1 : i;
    if (c[body].kind != Kind::Space) {
      const size_t end = run(body, c[body].kind);
      emit(start, end);
      i = end;
      continue;
    }
    // Whitespace: "\s+(?!\S)" takes the run but leaves its last character to lead the next word
    // (unless the text ends there); a single space before a word falls to "\s+".
    const size_t end = run(i, Kind::Space);
    if (end == n || end - i == 1) {
      emit(i, end);
      i = end;
    } else {
      emit(i, end - 1);
      i = end - 1;
    }
  }
  return words;
}

//-----------------------------------------------------------------------------
// [SECTION] Byte <-> symbol map
//-----------------------------------------------------------------------------

// GPT-2 spells every byte as a printable character: bytes that are already printable
// ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves; the other 68 (controls, space, …)
// become U+0100, U+0101, … in order. So a space is 'Ġ' (U+0120) and a newline 'Ċ' (U+010A).
static void ByteToUnicode(char32_t out[256]) {
  int n = 0;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    out[b] = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++);
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Construction
//-----------------------------------------------------------------------------

static uint64_t PairKey(int a, int b) { return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b); }

static std::string ByteHex(int b) {  // "0x0A"
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", b);
  return text;
}

Result<Gpt2Tokenizer> Gpt2Tokenizer::FromTokensAndMerges(std::vector<std::string> tokens,
                                                         const std::vector<std::string>& merges) {
  if (tokens.empty()) return MakeError<Msg::TokenizerNoTokens>();
  // Token strings are UTF-8 text (GGUF strings; GPT-2 maps every byte to a printable
  // character). A token that is not would otherwise surface later as a merge that "joins
  // tokens not in the vocabulary", naming the wrong culprit.
  for (size_t id = 0; id < tokens.size(); ++id) {
    size_t at = 0;
    if (!utf8::IsValid(tokens[id], &at))
      return MakeError<Msg::TokenNotUtf8>(id, at, tokens[id].size());
  }
  Gpt2Tokenizer t;
  t.tokens_ = std::move(tokens);
  t.ids_.reserve(t.tokens_.size());
  for (size_t id = 0; id < t.tokens_.size(); ++id) t.ids_.emplace(t.tokens_[id], static_cast<int>(id));

  char32_t byte_to_cp[256];
  ByteToUnicode(byte_to_cp);
  std::unordered_map<char32_t, int> cp_to_byte;
  for (int b = 0; b < 256; ++b) {
    cp_to_byte[byte_to_cp[b]] = b;
    std::string symbol;
    utf8::Append(symbol, byte_to_cp[b]);
    const auto it = t.ids_.find(symbol);
    if (it == t.ids_.end()) return MakeError<Msg::TokenizerNoByteToken>(ByteHex(b));
    t.byte_token_[b] = it->second;
  }

  // Raw bytes of every token (for Decode and for showing byte pieces in the UI).
  t.token_bytes_.resize(t.tokens_.size());
  for (size_t id = 0; id < t.tokens_.size(); ++id) {
    const std::string& s = t.tokens_[id];
    if (s == "<|endoftext|>") { t.eot_id_ = static_cast<int>(id); t.token_bytes_[id] = s; continue; }
    std::string bytes;
    bool regular = true;
    for (char32_t cp : utf8::ToCodepoints(s)) {
      const auto it = cp_to_byte.find(cp);
      if (it == cp_to_byte.end()) { regular = false; break; }
      bytes += static_cast<char>(it->second);
    }
    t.token_bytes_[id] = regular ? bytes : s;  // special tokens decode as their own text
  }

  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const std::string& m = merges[rank];
    const size_t space = m.find(' ');
    if (space == std::string::npos || space == 0 || space + 1 == m.size()) continue;  // "#version" lines
    const auto a = t.ids_.find(m.substr(0, space)), b = t.ids_.find(m.substr(space + 1));
    const auto ab = t.ids_.find(m.substr(0, space) + m.substr(space + 1));
    if (a == t.ids_.end() || b == t.ids_.end() || ab == t.ids_.end())
      return MakeError<Msg::MergeUnknownTokens>(rank, m);
    t.merges_.emplace(PairKey(a->second, b->second), std::make_pair(static_cast<int>(rank), ab->second));
  }
  if (t.merges_.empty()) return MakeError<Msg::TokenizerNoMerges>();
  return t;
}

std::vector<std::string> Gpt2Tokenizer::ParseMergesTxt(std::string_view merges_txt) {
  std::vector<std::string> merges;
  size_t start = 0;
  while (start < merges_txt.size()) {
    size_t end = merges_txt.find('\n', start);
    if (end == std::string_view::npos) end = merges_txt.size();
    std::string_view line = merges_txt.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && !(line.rfind("#version", 0) == 0 && merges.empty())) merges.emplace_back(line);
    start = end + 1;
  }
  return merges;
}

Result<Gpt2Tokenizer> Gpt2Tokenizer::FromVocabJson(std::string_view vocab_json, std::string_view merges_txt) {
  Result<json::Value> vocab = json::Parse(vocab_json);
  if (!vocab.ok()) return Error{"vocab.json: " + vocab.error()};
  if (vocab->type != json::Value::Type::Object) return Error{"vocab.json must be an object {\"token\": id}."};
  std::vector<std::string> tokens(vocab->object.size());
  std::vector<bool> seen(tokens.size(), false);
  for (const auto& [token, id] : vocab->object) {
    if (!id.IsInteger() || id.number < 0 || id.number >= static_cast<double>(tokens.size()) || seen[static_cast<size_t>(id.number)])
      return Errorf("vocab.json: token '%s' has id %g; ids must be 0..%zu, each used once.", token.c_str(), id.number,
                    tokens.size() - 1);
    tokens[static_cast<size_t>(id.number)] = token;
    seen[static_cast<size_t>(id.number)] = true;
  }
  return FromTokensAndMerges(std::move(tokens), ParseMergesTxt(merges_txt));
}

//-----------------------------------------------------------------------------
// [SECTION] BPE merges, Encode, Decode
//-----------------------------------------------------------------------------

// Step 3, as OpenAI's encoder does it: take the best-ranked adjacent pair, join every occurrence
// of it from left to right, repeat. Rescanning the word for each such round is quadratic (4 s
// for one 100 000-letter "word"), so the candidate pairs wait in a min-heap ordered by (rank,
// position) instead. A round takes every entry of the best rank out of the heap, which yields its
// occurrences from left to right, joins those still current, and only then queues the pairs
// the joins made: the same rounds in the same order, O(n log n).
void Gpt2Tokenizer::EncodeWord(std::string_view word, std::vector<int>& out) const {
  const bool cacheable = word.size() <= kMaxCachedWord;  // a pasted wall of letters is not worth keeping
  if (cacheable)
    if (const auto hit = cache_.find(std::string(word)); hit != cache_.end()) {
      out.insert(out.end(), hit->second.begin(), hit->second.end());
      return;
    }
  // The symbols as a linked list over byte positions: the symbol starting at byte i is sym[i],
  // the next one starts at next[i] (−1: none). A join keeps the left position.
  const int n = static_cast<int>(word.size());
  std::vector<int> sym(n), prev(n), next(n);
  for (int i = 0; i < n; ++i) {
    sym[i] = byte_token_[static_cast<unsigned char>(word[i])];
    prev[i] = i - 1;
    next[i] = i + 1 < n ? i + 1 : -1;
  }
  struct Pair {
    int rank, pos;  // the pair (sym[pos], sym[next[pos]]) has merge rank `rank`
    bool operator>(const Pair& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  std::priority_queue<Pair, std::vector<Pair>, std::greater<Pair>> queue;
  auto rank_at = [&](int pos) -> const std::pair<int, int>* {  // (rank, merged id) or null
    if (pos < 0 || sym[pos] < 0 || next[pos] < 0) return nullptr;
    ++merge_lookups_;
    const auto it = merges_.find(PairKey(sym[pos], sym[next[pos]]));
    return it == merges_.end() ? nullptr : &it->second;
  };
  auto offer = [&](int pos) {
    if (const auto* m = rank_at(pos)) queue.push({m->first, pos});
  };
  for (int i = 0; i + 1 < n; ++i) offer(i);

  std::vector<int> joined;
  while (!queue.empty()) {
    const int rank = queue.top().rank;
    joined.clear();
    for (; !queue.empty() && queue.top().rank == rank; queue.pop()) {
      const int pos = queue.top().pos;
      const auto* m = rank_at(pos);
      if (!m || m->first != rank) continue;  // stale: a join already changed this pair
      const int right = next[pos];
      sym[pos] = m->second;
      sym[right] = -1;
      next[pos] = next[right];
      if (next[pos] >= 0) prev[next[pos]] = pos;
      joined.push_back(pos);
    }
    for (int pos : joined) {  // the new neighbours of each joined symbol
      offer(prev[pos]);
      offer(pos);
    }
  }
  std::vector<int> symbols;
  for (int i = 0; i >= 0 && i < n; i = next[i]) symbols.push_back(sym[i]);
  if (cacheable && cache_.size() < 100000) cache_.emplace(std::string(word), symbols);
  out.insert(out.end(), symbols.begin(), symbols.end());
}

std::vector<int> Gpt2Tokenizer::Encode(std::string_view text) const {
  std::vector<int> ids;
  for (std::string_view word : PreTokenize(text)) EncodeWord(word, ids);
  return ids;
}

std::vector<int> Gpt2Tokenizer::EncodeWithSpecial(std::string_view text) const {
  static constexpr std::string_view kEot = "<|endoftext|>";
  std::vector<int> ids;
  while (true) {
    const size_t at = eot_id_ < 0 ? std::string_view::npos : text.find(kEot);
    for (std::string_view word : PreTokenize(text.substr(0, at))) EncodeWord(word, ids);
    if (at == std::string_view::npos) return ids;
    ids.push_back(eot_id_);
    text.remove_prefix(at + kEot.size());
  }
}

std::string Gpt2Tokenizer::Decode(const std::vector<int>& ids) const {
  std::string out;
  for (int id : ids)
    if (id >= 0 && id < VocabSize()) out += token_bytes_[id];
  return out;
}

std::string Gpt2Tokenizer::TokenBytes(int id) const {
  return id >= 0 && id < VocabSize() ? token_bytes_[id] : std::string();
}

}  // namespace attn::tokenizer
