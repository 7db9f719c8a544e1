#include "model/load_gguf.h"

#include <cmath>
#include <cstring>

namespace attn::model {
namespace {

std::string Shape(const std::vector<uint64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

class Loader {
 public:
  Loader(const gguf::File& file, std::vector<std::vector<float>>& owned) : file_(file), owned_(owned) {}

  const gguf::TensorInfo* Find(const std::string& name, const std::vector<uint64_t>& dims, Error* err) {
    const gguf::TensorInfo* t = file_.FindTensor(name);
    if (!t) { *err = MakeError<Msg::TensorMissing>(name); return nullptr; }
    if (t->dims != dims) {
      *err = MakeError<Msg::TensorShape>(name, Shape(t->dims), Shape(dims));
      return nullptr;
    }
    if (!Finite(*t)) { *err = MakeError<Msg::TensorNotFinite>(name); return nullptr; }
    return t;
  }

  // A (rows, cols) weight matrix, ggml dims [cols, rows].
  bool Matrix(const std::string& name, size_t rows, size_t cols, kernels::Matrix* m, Error* err) {
    const gguf::TensorInfo* t = Find(name, {cols, rows}, err);
    if (!t) return false;
    *m = kernels::Matrix{static_cast<quant::Type>(t->type), t->data, rows, cols};
    return true;
  }

  // A 1-D tensor (norm gains, biases), converted to f32 if it is stored as f16.
  const float* Vector(const std::string& name, size_t n, Error* err) {
    const gguf::TensorInfo* t = Find(name, {n}, err);
    if (!t) return nullptr;
    if (t->type != 0 && t->type != 1) {
      *err = MakeError<Msg::TensorNormType>(name, gguf::GgmlTypeName(t->type));
      return nullptr;
    }
    std::vector<float> v(n);
    quant::DequantizeRow(static_cast<quant::Type>(t->type), t->data, v.data(), n);  // also aligns it
    owned_.push_back(std::move(v));
    return owned_.back().data();
  }

 private:
  static bool Finite(const gguf::TensorInfo& t) {
    const quant::TypeTraits* type = quant::FindType(t.type);
    return type && type->all_finite(t.data, t.Elements());
  }

  const gguf::File& file_;
  std::vector<std::vector<float>>& owned_;
};

}  // namespace

Result<LoadedModel> LoadGpt2(gguf::Bytes bytes) {
  Result<gguf::File> parsed = gguf::Parse(bytes.data, bytes.size);
  if (!parsed.ok()) return parsed.failure();
  const gguf::File& f = *parsed;

  Result<std::string> arch = f.GetString("general.architecture");
  if (!arch.ok()) return arch.failure();
  if (*arch != "gpt2")
    return MakeError<Msg::NotGpt2>(*arch);

  Config c;
  auto get = [&](const char* key, int* out, uint64_t max) -> Status {
    Result<uint64_t> v = f.GetUInt(key);
    if (!v.ok()) return v.failure();
    if (*v == 0 || *v > max) return MakeError<Msg::MetadataOutOfRange>(key, *v);
    *out = static_cast<int>(*v);
    return {};
  };
  for (Status s : {get("gpt2.context_length", &c.n_ctx, 1 << 16), get("gpt2.embedding_length", &c.n_embd, 1 << 16),
                   get("gpt2.block_count", &c.n_layer, 1024), get("gpt2.attention.head_count", &c.n_head, 1024)})
    if (!s.ok()) return s.failure();
  c.n_ff = 4 * c.n_embd;
  if (f.Find("gpt2.feed_forward_length")) {
    Status s = get("gpt2.feed_forward_length", &c.n_ff, 1 << 18);
    if (!s.ok()) return s.failure();
  }
  if (Result<double> eps = f.GetFloat("gpt2.attention.layer_norm_epsilon"); eps.ok()) c.eps = static_cast<float>(*eps);
  if (c.n_embd % c.n_head != 0)
    return MakeError<Msg::HeadsDoNotDivide>(c.n_embd, c.n_head);

  const gguf::TensorInfo* wte = f.FindTensor("token_embd.weight");
  if (!wte || wte->dims.size() != 2) return MakeError<Msg::NoTokenEmbedding>();
  c.vocab_size = static_cast<int>(wte->dims[1]);

  LoadedModel out;
  std::vector<std::vector<float>> owned;
  Loader L(f, owned);
  Error err;
  Weights w;
  const size_t C = c.n_embd, V = c.vocab_size, F = c.n_ff;
  bool ok = L.Matrix("token_embd.weight", V, C, &w.wte, &err) &&
            L.Matrix("position_embd.weight", c.n_ctx, C, &w.wpe, &err);
  for (int l = 0; ok && l < c.n_layer; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    LayerWeights lw;
    ok = (lw.ln1_w = L.Vector(p + "attn_norm.weight", C, &err)) && (lw.ln1_b = L.Vector(p + "attn_norm.bias", C, &err)) &&
         L.Matrix(p + "attn_qkv.weight", 3 * C, C, &lw.attn_qkv, &err) &&
         (lw.attn_qkv_b = L.Vector(p + "attn_qkv.bias", 3 * C, &err)) &&
         L.Matrix(p + "attn_output.weight", C, C, &lw.attn_proj, &err) &&
         (lw.attn_proj_b = L.Vector(p + "attn_output.bias", C, &err)) &&
         (lw.ln2_w = L.Vector(p + "ffn_norm.weight", C, &err)) && (lw.ln2_b = L.Vector(p + "ffn_norm.bias", C, &err)) &&
         L.Matrix(p + "ffn_up.weight", F, C, &lw.ffn_up, &err) && (lw.ffn_up_b = L.Vector(p + "ffn_up.bias", F, &err)) &&
         L.Matrix(p + "ffn_down.weight", C, F, &lw.ffn_down, &err) && (lw.ffn_down_b = L.Vector(p + "ffn_down.bias", C, &err));
    w.layers.push_back(lw);
  }
  ok = ok && (w.lnf_w = L.Vector("output_norm.weight", C, &err)) && (w.lnf_b = L.Vector("output_norm.bias", C, &err));
  if (!ok) return err;
  w.lm_head = w.wte;  // GPT-2 ties the output head to the token embeddings ...
  if (f.FindTensor("output.weight") && !L.Matrix("output.weight", V, C, &w.lm_head, &err)) return err;  // ... unless a file says otherwise

  Result<const std::vector<std::string>*> tokens = f.GetStringArray("tokenizer.ggml.tokens");
  Result<const std::vector<std::string>*> merges = f.GetStringArray("tokenizer.ggml.merges");
  if (!tokens.ok()) return tokens.failure();
  if (!merges.ok()) return merges.failure();
  if ((*tokens)->size() != V)
    return MakeError<Msg::VocabularySize>((*tokens)->size(), V);
  out.tokens = **tokens;
  out.merges = **merges;
  if (Result<std::string> name = f.GetString("general.name"); name.ok()) out.name = *name;
  // What the model was trained on, where the file says (GGUF's general.languages: ISO codes).
  if (Result<const std::vector<std::string>*> langs = f.GetStringArray("general.languages"); langs.ok())
    for (const std::string& l : **langs) out.languages += (out.languages.empty() ? "" : ", ") + l;
  else if (Result<std::string> lang = f.GetString("general.languages"); lang.ok()) out.languages = *lang;
  out.weight_type = quant::TypeName(w.layers.empty() ? w.wte.type : w.layers[0].ffn_up.type);
  out.model = std::make_unique<Model>(c, std::move(w), bytes.owner, std::move(owned));
  return out;
}

Result<LoadedModel> LoadGpt2File(const std::string& path) {
  Result<gguf::Bytes> bytes = gguf::OpenFile(path);
  if (!bytes.ok()) return bytes.failure();
  return LoadGpt2(*bytes);
}

}  // namespace attn::model
