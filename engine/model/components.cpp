#include "model/components.h"

namespace attn::model {

static const char* const kIds[kComponentCount] = {
    "token_embedding", "positional_encoding", "self_attention", "masked_attention",
    "cross_attention", "add_norm",            "feed_forward",   "output_head",
};

const char* ComponentId(Component c) {
  const int i = static_cast<int>(c);
  return i >= 0 && i < kComponentCount ? kIds[i] : "";
}

bool ParseComponent(const std::string& id, Component* out) {
  for (int i = 0; i < kComponentCount; ++i)
    if (id == kIds[i]) {
      *out = static_cast<Component>(i);
      return true;
    }
  return false;
}

ComponentCost GptComponentCost(Component c, const Config& config, bool tied_head) {
  const uint64_t C = config.n_embd, F = config.n_ff, V = config.vocab_size, P = config.n_ctx;
  ComponentCost cost;
  auto add = [&](const char* name, const char* shape, uint64_t rows, uint64_t cols) {
    cost.tensors.push_back({name, shape, rows, cols, rows * cols});
    cost.per_copy += rows * cols;
  };
  switch (c) {
    case Component::TokenEmbedding:
      add("W_te", "V × C", V, C);
      break;
    case Component::PositionalEncoding:
      add("W_pe", "n_ctx × C", P, C);
      break;
    case Component::SelfAttention:
    case Component::MaskedSelfAttention:
      cost.copies = config.n_layer;
      add("W_qkv", "C × 3C", C, 3 * C);  // q, k and v of all heads in one matrix
      add("b_qkv", "3C", 3 * C, 1);
      add("W_o", "C × C", C, C);         // the heads' outputs, concatenated, back to C
      add("b_o", "C", C, 1);
      cost.in_gpt2 = c == Component::MaskedSelfAttention;
      break;
    case Component::CrossAttention:
      cost.in_gpt2 = false;
      cost.copies = 0;
      break;
    case Component::AddNorm:
      cost.copies = config.n_layer;
      add("ln_1: γ", "C", C, 1);
      add("ln_1: β", "C", C, 1);
      add("ln_2: γ", "C", C, 1);
      add("ln_2: β", "C", C, 1);
      cost.total = 2 * C;  // the final LayerNorm ln_f, once (added below)
      break;
    case Component::FeedForward:
      cost.copies = config.n_layer;
      add("W_1", "C × F", C, F);
      add("b_1", "F", F, 1);
      add("W_2", "F × C", F, C);
      add("b_2", "C", C, 1);
      break;
    case Component::OutputHead:
      if (!tied_head) add("W_out", "C × V", C, V);
      break;
    case Component::Count:
      break;
  }
  cost.total += cost.in_gpt2 ? cost.per_copy * cost.copies : 0;
  return cost;
}

}  // namespace attn::model
