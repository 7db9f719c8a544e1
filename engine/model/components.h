// The parts of a Transformer that the 11.3 diagram names, and what each of them costs in a
// GPT-2 of a given shape (C = n_embd, F = n_ff, V = vocabulary, L = layers):
//
//   token embedding       W_te  V × C                               once
//   positional encoding   W_pe  n_ctx × C (learned in GPT-2; the original's sines have none)
//   masked attention      W_qkv C × 3C + b 3C,  W_o C × C + b C     per layer: 4C² + 4C
//   feed-forward          W_1 C × F + b F,      W_2 F × C + b C     per layer: 2CF + F + C
//   LayerNorm (add&norm)  γ, β  C each, two per layer + the final one: 4C per layer + 2C
//   output head           tied to W_te: no parameters of its own (else V × C)
//
// The encoder's unmasked self-attention and the decoder's cross-attention do not exist in
// GPT-2; ComponentCost says so (in_gpt2 = false). Summed over the components that do exist,
// the counts equal session::ParameterCount(config) (+ V·C for an untied head).
// Shapes are written (in × out), as in the paper and in GPT-2's own checkpoints.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/gpt2.h"

namespace attn::model {

enum class Component {
  TokenEmbedding,
  PositionalEncoding,
  SelfAttention,        // the encoder's multi-head self-attention (no mask)
  MaskedSelfAttention,  // the decoder's; GPT-2's only kind of attention
  CrossAttention,       // decoder queries, encoder keys and values
  AddNorm,              // residual connection + LayerNorm (GPT-2: pre-norm, plus a final LayerNorm)
  FeedForward,
  OutputHead,           // linear layer to the vocabulary + softmax
  Count
};
inline constexpr int kComponentCount = static_cast<int>(Component::Count);

const char* ComponentId(Component c);  // "masked_attention", … (stable: tests and options)
bool ParseComponent(const std::string& id, Component* out);

struct ComponentTensor {
  std::string name;     // "W_qkv"
  std::string shape;    // "C × 3C"
  uint64_t rows = 0;    // in
  uint64_t cols = 0;    // out (1 for a vector)
  uint64_t parameters = 0;
};

struct ComponentCost {
  bool in_gpt2 = true;
  int copies = 1;                        // L for what every block has, 1 for what the model has once
  std::vector<ComponentTensor> tensors;  // of one copy (the final LayerNorm listed separately)
  uint64_t per_copy = 0;                 // parameters of one copy
  uint64_t total = 0;                    // in the whole model (0 where GPT-2 has none)
};

// `tied_head`: the output head is the token embedding matrix (GPT-2's checkpoints); false for
// a file with its own output.weight. For SelfAttention (not in GPT-2) the tensors are those
// of GPT-2's masked attention — the same weights, the mask has none — and total is 0.
ComponentCost GptComponentCost(Component c, const Config& config, bool tied_head = true);

}  // namespace attn::model
