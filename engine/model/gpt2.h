// GPT-2, the model the chapter dissects: token + position embeddings, n_layer pre-LayerNorm
// blocks (masked multi-head self-attention, then a GELU MLP, each around a residual
// connection), a final LayerNorm and the output head tied to the token embeddings.
//
//   x = wte[token] + wpe[position]
//   for each block:  x = x + Attention(LayerNorm₁(x))
//                    x = x + MLP(LayerNorm₂(x))        MLP(h) = W₂ · GELU(W₁ · h)
//   logits = LayerNorm_f(x) · wteᵀ
//
// Data flow (DESIGN.md): token ids → Model::Forward(ids, Interventions) → Trace.
// The attention itself — softmax(q·kᵀ / √d) · v, the point of the chapter — is
// `AttentionForward` in gpt2.cpp.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "kernels/kernels.h"

namespace attn::model {

struct Config {
  int vocab_size = 50257;
  int n_ctx = 1024;    // context length: the most tokens the model can read at once
  int n_embd = 768;    // C, the width of the residual stream
  int n_head = 12;
  int n_layer = 12;
  int n_ff = 3072;     // MLP hidden width (4C in GPT-2)
  float eps = 1e-5f;   // LayerNorm epsilon
  int head_dim() const { return n_embd / n_head; }
};

// Weights point into the model file (memory-mapped natively, a buffer in the browser) or into
// buffers the Model owns (1-D tensors converted to f32). Matrices are (out, in), ggml layout.
struct LayerWeights {
  const float* ln1_w; const float* ln1_b;                   // (C)
  kernels::Matrix attn_qkv; const float* attn_qkv_b;        // (3C, C), (3C): q, k, v stacked
  kernels::Matrix attn_proj; const float* attn_proj_b;      // (C, C), (C)
  const float* ln2_w; const float* ln2_b;                   // (C)
  kernels::Matrix ffn_up; const float* ffn_up_b;            // (n_ff, C), (n_ff)
  kernels::Matrix ffn_down; const float* ffn_down_b;        // (C, n_ff), (C)
};

struct Weights {
  kernels::Matrix wte;      // (vocab, C) token embeddings
  kernels::Matrix wpe;      // (n_ctx, C) learned position embeddings
  std::vector<LayerWeights> layers;
  const float* lnf_w; const float* lnf_b;                   // (C)
  kernels::Matrix lm_head;  // (vocab, C): wte itself in GPT-2 (tied), or a separate `output`
};

// The teaching experiments, applied inside the forward pass (DESIGN.md, "Interventions").
struct Interventions {
  std::vector<std::pair<int, int>> ablated_heads;  // (layer, head): that head's output is zeroed
  bool drop_positions = false;   // leave out wpe: the model no longer knows word order
  int kv_groups = 0;             // 0: off. g > 0: heads share K and V in g groups, by averaging
                                 // (1 = MQA, all heads share one K/V; n_head = no change)
  bool bidirectional = false;    // no causal mask — NOT how GPT-2 was trained (labelled in the UI)

  bool IsAblated(int layer, int head) const;
  bool Any() const;
  bool operator==(const Interventions&) const = default;  // what cached runs compare
};

// What a forward pass recorded, for the figures. Attention weights are always recorded when a
// Trace is passed; the larger buffers only on request.
struct TraceOptions {
  bool qkv = false;          // q, k, v per layer
  bool residual = false;     // residual stream into every block and after the last
  bool block_outputs = false;// LayerNorm outputs and MLP activations per layer
  bool all_logits = false;   // logits at every position (else only the last)
};

struct Trace {
  int first = 0;             // position of the first token this pass ran (the KV cache held `first`)
  int count = 0;             // tokens run in this pass; positions first .. first+count-1
  int n_layer = 0, n_head = 0, n_embd = 0, n_ff = 0, vocab = 0;
  // attention[((l * n_head + h) * count + i) * (first + count) + j]: how much query position
  // first+i attends to key position j, after softmax (rows sum to 1; masked entries are 0).
  std::vector<float> attention;
  std::vector<float> q, k, v;        // [l][i][C] (head h is the slice h*hd .. (h+1)*hd)
  std::vector<float> residual;       // [l][i][C] for l = 0..n_layer (n_layer = after the last block)
  std::vector<float> ln1, ln2;       // [l][i][C] LayerNorm outputs feeding attention / MLP
  std::vector<float> mlp_act;        // [l][i][n_ff] after GELU
  std::vector<float> logits;         // [i][vocab] if all_logits, else [vocab] for the last token
  TraceOptions options;

  float Attention(int layer, int head, int i, int j) const {
    return attention[((static_cast<size_t>(layer) * n_head + head) * count + i) * (first + count) + j];
  }
  // One head's weights, a count × (first + count) matrix, row i = query position first + i:
  // in place (for a heatmap) or as a copy.
  const float* HeadWeights(int layer, int head) const {
    return attention.data() + (static_cast<size_t>(layer) * n_head + head) * count * (first + count);
  }
  std::vector<float> HeadMatrix(int layer, int head) const {
    const float* w = HeadWeights(layer, head);
    return std::vector<float>(w, w + static_cast<size_t>(count) * (first + count));
  }
};

// What one pass allocates, in bytes, worked out before running it: the memory budget
// (session/memory_budget.h) checks it, so a text too long for memory gets a message instead of
// an abort. `first` positions are already in the cache, `count` new ones run.
//   trace   = attention L·H·count·(first+count) + the buffers `options` asks for
//   cache   = K and V, 2·L·(first+count)·C (a new cache; growing one may round up to 2x)
//   scratch = the pass's activations, count·(7C+n_ff)
struct PassBytes {
  uint64_t trace = 0, cache = 0, scratch = 0;
  uint64_t total() const { return trace + cache + scratch; }
};
PassBytes EstimatePassBytes(const Config& c, int first, int count, const TraceOptions& options);

// Joins the trace of one more pass (`step`, run from the cache `whole` left behind) onto
// `whole`, as if both had been one pass from position 0: decoding token by token through the
// KV cache then gives the figures the same Trace as re-running the whole text. Needs
// whole.first == 0, step.first == whole.count and the same options; returns false otherwise.
bool AppendTrace(Trace& whole, const Trace& step);

// Keys and values of every position read so far: decoding one more token costs one new row,
// not a re-run of the whole text. Rows are [position][layer][C] and the buffers grow with the
// text (a short sentence needs kilobytes, not the full context's tens of megabytes).
struct KvCache {
  int length = 0;                    // positions stored
  int n_layer = 0, n_embd = 0;       // the model it belongs to (set by Model::NewCache)
  std::vector<float> k, v;           // [position][layer][C]
  void Clear() { length = 0; }
  size_t RowFloats() const { return static_cast<size_t>(n_layer) * n_embd; }
};

class Model {
 public:
  // `storage` keeps the file bytes (or mapping) alive as long as the model.
  Model(Config config, Weights weights, std::shared_ptr<const void> storage,
        std::vector<std::vector<float>> owned);

  const Config& config() const { return config_; }
  const Weights& weights() const { return weights_; }
  size_t WeightBytes() const;        // bytes read per decoded token (the bandwidth bound)
  size_t PackedBytes() const;        // memory the kernels' packed copies take (kernels.h), beside the file

  KvCache NewCache() const;

  // Runs `tokens` at positions cache.length, cache.length+1, …, appends their keys and values
  // to the cache and writes the logits of the last token to *logits (vocab floats).
  // Errors: empty input, ids outside the vocabulary, more tokens than the context holds.
  Status Forward(const std::vector<int>& tokens, KvCache& cache, const Interventions& iv,
                 std::vector<float>* logits, Trace* trace = nullptr) const;

  // One pass in pieces, so that an app can draw between them (session.h: a long text in the
  // page): StartTrace sizes `whole` for `total` tokens (keeping whole.options) and the new
  // `cache` for them, once; then each ForwardInto runs the next piece through that cache and
  // writes its rows into `whole`. After the last piece `whole` equals the Trace of one Forward
  // of all the tokens. Causal attention only: with `bidirectional` earlier rows would depend
  // on later tokens.
  void StartTrace(Trace& whole, KvCache& cache, int total) const;
  Status ForwardInto(const std::vector<int>& tokens, KvCache& cache, const Interventions& iv,
                     std::vector<float>* logits, Trace& whole) const;

 private:
  Config config_;
  Weights weights_;
  std::shared_ptr<const void> storage_;
  std::vector<std::vector<float>> owned_;
  std::vector<std::vector<uint8_t>> packed_;  // the matrices' kernels::PackForThisCpu copies
};

}  // namespace attn::model
