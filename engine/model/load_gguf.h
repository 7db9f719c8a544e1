// Loading a GPT-2 from a GGUF file (llama.cpp's names and metadata for architecture "gpt2").
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "formats/gguf.h"
#include "model/gpt2.h"

namespace attn::model {

struct LoadedModel {
  std::unique_ptr<Model> model;
  std::vector<std::string> tokens;  // tokenizer.ggml.tokens (GPT-2's byte-level alphabet)
  std::vector<std::string> merges;  // tokenizer.ggml.merges ("a b", by rank)
  std::string name;                 // general.name, if any
  std::string languages;            // general.languages joined with ", " (e.g. "en"), "" when absent
  std::string weight_type;          // "q8_0", "f32", … of the large matrices
};

// Checks architecture, metadata, every tensor's name, shape and type, and that no weight is
// NaN or infinite; every problem is an Error naming the tensor or key. `bytes` stay owned by
// the model (mapped file or browser buffer).
Result<LoadedModel> LoadGpt2(gguf::Bytes bytes);
Result<LoadedModel> LoadGpt2File(const std::string& path);

}  // namespace attn::model
