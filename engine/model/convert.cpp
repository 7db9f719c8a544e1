#include "model/convert.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "core/file.h"
#include "formats/gguf.h"
#include "formats/json.h"
#include "formats/safetensors.h"
#include "tokenizer/gpt2_tokenizer.h"

namespace attn::model {
namespace {

// Rows of `cols` floats in `type`'s bytes.
std::vector<uint8_t> Encode(const std::vector<float>& values, size_t cols, quant::Type type) {
  const size_t rows = values.size() / cols, row_bytes = quant::RowBytes(type, cols);
  std::vector<uint8_t> out(rows * row_bytes);
  for (size_t r = 0; r < rows; ++r) {
    const float* src = values.data() + r * cols;
    uint8_t* dst = out.data() + r * row_bytes;
    quant::QuantizeRow(type, src, dst, cols);
  }
  return out;
}

}  // namespace

Status ConvertHfToGguf(const std::string& dir, const std::string& out_path, const ConvertOptions& options) {
  // ---- config.json: the model's shape, in Hugging Face's GPT2Config names
  std::string text;
  if (!ReadWholeFile(dir + "/config.json", &text)) return Errorf("Cannot read %s/config.json.", dir.c_str());
  Result<json::Value> config = json::Parse(text);
  if (!config.ok()) return Error{"config.json: " + config.error()};
  auto get_int = [&](const char* key, int fallback) -> int {
    const json::Value* v = config->Find(key);
    return v && v->IsInteger() ? static_cast<int>(v->number) : fallback;
  };
  const int C = get_int("n_embd", 0), n_layer = get_int("n_layer", 0), n_head = get_int("n_head", 0);
  const int n_ctx = get_int("n_positions", get_int("n_ctx", 0)), V = get_int("vocab_size", 50257);
  const int n_ff = get_int("n_inner", 4 * C);
  if (C <= 0 || n_layer <= 0 || n_head <= 0 || n_ctx <= 0 || C % n_head != 0)
    return Error{"config.json lacks a valid GPT-2 shape (n_embd, n_layer, n_head, n_positions)."};
  if (options.type != quant::Type::F32 && options.type != quant::Type::F16 && (C % 32 || n_ff % 32))
    return Errorf("%s needs widths that are multiples of 32 (n_embd = %d).", quant::TypeName(options.type), C);
  double eps = 1e-5;
  if (const json::Value* e = config->Find("layer_norm_epsilon"); e && e->type == json::Value::Type::Number) eps = e->number;

  // ---- tokenizer: vocab.json + merges.txt, validated by building the tokenizer once
  std::string vocab_json, merges_txt;
  if (!ReadWholeFile(dir + "/vocab.json", &vocab_json) || !ReadWholeFile(dir + "/merges.txt", &merges_txt))
    return Errorf("Cannot read %s/vocab.json and merges.txt.", dir.c_str());
  Result<tokenizer::Gpt2Tokenizer> tok = tokenizer::Gpt2Tokenizer::FromVocabJson(vocab_json, merges_txt);
  if (!tok.ok()) return tok.failure();
  if (tok->VocabSize() != V) return Errorf("vocab.json has %d tokens, config.json says %d.", tok->VocabSize(), V);

  // ---- weights
  Result<gguf::Bytes> bytes = gguf::OpenFile(dir + "/model.safetensors");
  if (!bytes.ok()) return bytes.failure();
  Result<safetensors::File> st = safetensors::Parse(bytes->data, bytes->size);
  if (!st.ok()) return st.failure();
  const std::string prefix = st->Find("transformer.wte.weight") ? "transformer." : "";

  gguf::Writer w;
  w.SetString("general.architecture", "gpt2");
  std::string name = options.name;
  if (name.empty()) name = dir.substr(dir.find_last_of('/') + 1);
  w.SetString("general.name", name);
  w.SetUInt32("general.file_type", quant::FindType(static_cast<uint32_t>(options.type))->file_type);
  w.SetUInt32("general.quantization_version", 2);
  w.SetUInt32("gpt2.context_length", static_cast<uint32_t>(n_ctx));
  w.SetUInt32("gpt2.embedding_length", static_cast<uint32_t>(C));
  w.SetUInt32("gpt2.feed_forward_length", static_cast<uint32_t>(n_ff));
  w.SetUInt32("gpt2.block_count", static_cast<uint32_t>(n_layer));
  w.SetUInt32("gpt2.attention.head_count", static_cast<uint32_t>(n_head));
  w.SetFloat32("gpt2.attention.layer_norm_epsilon", static_cast<float>(eps));
  w.SetString("tokenizer.ggml.model", "gpt2");
  // GPT-2's pre-tokenizer (the regex that splits text before BPE). Without it llama.cpp warns
  // that generation quality will be degraded and splits "It's" and " 12345" differently.
  w.SetString("tokenizer.ggml.pre", "gpt-2");
  std::vector<std::string> tokens(V);
  std::vector<int32_t> token_type(V, 1);
  for (int id = 0; id < V; ++id) tokens[id] = tok->TokenText(id);
  if (tok->EndOfTextId() >= 0) token_type[tok->EndOfTextId()] = 3;  // control token
  w.SetStringArray("tokenizer.ggml.tokens", std::move(tokens));
  w.SetInt32Array("tokenizer.ggml.token_type", token_type);
  w.SetStringArray("tokenizer.ggml.merges", tokenizer::Gpt2Tokenizer::ParseMergesTxt(merges_txt));
  if (tok->EndOfTextId() >= 0) {
    w.SetUInt32("tokenizer.ggml.bos_token_id", static_cast<uint32_t>(tok->EndOfTextId()));
    w.SetUInt32("tokenizer.ggml.eos_token_id", static_cast<uint32_t>(tok->EndOfTextId()));
  }

  // (GGUF name, Hugging Face name, shape as HF stores it, transpose?) — HF's Conv1D keeps
  // weights as [in, out]; GGUF wants one row per output, so those are transposed.
  struct Item { std::string gguf, hf; std::vector<uint64_t> hf_shape; bool transpose; };
  std::vector<Item> items = {{"token_embd.weight", "wte.weight", {uint64_t(V), uint64_t(C)}, false},
                             {"position_embd.weight", "wpe.weight", {uint64_t(n_ctx), uint64_t(C)}, false}};
  const uint64_t c = C, f = n_ff;
  for (int l = 0; l < n_layer; ++l) {
    const std::string g = "blk." + std::to_string(l) + ".", h = "h." + std::to_string(l) + ".";
    items.push_back({g + "attn_norm.weight", h + "ln_1.weight", {c}, false});
    items.push_back({g + "attn_norm.bias", h + "ln_1.bias", {c}, false});
    items.push_back({g + "attn_qkv.weight", h + "attn.c_attn.weight", {c, 3 * c}, true});
    items.push_back({g + "attn_qkv.bias", h + "attn.c_attn.bias", {3 * c}, false});
    items.push_back({g + "attn_output.weight", h + "attn.c_proj.weight", {c, c}, true});
    items.push_back({g + "attn_output.bias", h + "attn.c_proj.bias", {c}, false});
    items.push_back({g + "ffn_norm.weight", h + "ln_2.weight", {c}, false});
    items.push_back({g + "ffn_norm.bias", h + "ln_2.bias", {c}, false});
    items.push_back({g + "ffn_up.weight", h + "mlp.c_fc.weight", {c, f}, true});
    items.push_back({g + "ffn_up.bias", h + "mlp.c_fc.bias", {f}, false});
    items.push_back({g + "ffn_down.weight", h + "mlp.c_proj.weight", {f, c}, true});
    items.push_back({g + "ffn_down.bias", h + "mlp.c_proj.bias", {c}, false});
  }
  items.push_back({"output_norm.weight", "ln_f.weight", {c}, false});
  items.push_back({"output_norm.bias", "ln_f.bias", {c}, false});

  const int total = static_cast<int>(items.size());
  for (int k = 0; k < total; ++k) {
    const Item& item = items[k];
    if (options.progress) options.progress(k, total, item.gguf);
    const safetensors::Tensor* t = st->Find(prefix + item.hf);
    if (!t) return Errorf("model.safetensors has no tensor '%s%s'.", prefix.c_str(), item.hf.c_str());
    if (t->shape != item.hf_shape)
      return Errorf("model.safetensors tensor '%s' has the wrong shape for this config.", t->name.c_str());
    std::vector<float> values(t->Elements());
    const uint64_t rows = item.hf_shape[0], cols = item.hf_shape.size() > 1 ? item.hf_shape[1] : 1;
    for (uint64_t i = 0; i < values.size(); ++i) {
      const float x = safetensors::ElementAsFloat(*t, i);
      if (!std::isfinite(x)) return Errorf("Tensor '%s' holds NaN or infinite values.", t->name.c_str());
      if (item.transpose) values[(i % cols) * rows + i / cols] = x;  // [in, out] -> [out, in]
      else values[i] = x;
    }
    std::vector<uint64_t> dims;  // GGUF: innermost first
    if (item.hf_shape.size() == 1) dims = {item.hf_shape[0]};
    else if (item.transpose) dims = {rows, cols};   // out rows of `rows` (= in) values
    else dims = {cols, rows};
    const quant::Type type = item.hf_shape.size() == 1 ? quant::Type::F32 : options.type;
    const std::vector<uint8_t> encoded = Encode(values, dims[0], type);
    Status s = w.AddTensor(item.gguf, dims, static_cast<uint32_t>(type), encoded.data(), encoded.size());
    if (!s.ok()) return s;
  }
  if (options.progress) options.progress(total, total, "writing " + out_path);
  return w.WriteFile(out_path);
}

}  // namespace attn::model
