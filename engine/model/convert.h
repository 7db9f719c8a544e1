// `attnlab-cli convert`: a Hugging Face GPT-2 checkpoint folder (model.safetensors,
// config.json, vocab.json, merges.txt — gpt2, distilgpt2, gpt2-medium) to one GGUF file with
// llama.cpp's names, the tokenizer inside, and the large matrices at f32 / f16 / q8_0 / q4_0.
#pragma once
#include <functional>
#include <string>

#include "core/result.h"
#include "quant/quant.h"

namespace attn::model {

struct ConvertOptions {
  quant::Type type = quant::Type::Q8_0;  // for 2-D weights; norms and biases stay f32
  std::string name;                      // general.name (default: the folder's name)
  std::function<void(int done, int total, const std::string& tensor)> progress;
};

Status ConvertHfToGguf(const std::string& hf_dir, const std::string& out_path, const ConvertOptions& options);

}  // namespace attn::model
