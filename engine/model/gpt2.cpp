// GPT-2's forward pass, one short function per step (llm.c / nanoGPT style). The loops are the
// maths; the heavy lifting (matrix products, LayerNorm, GELU, softmax) is in kernels/.
//
// [SECTION] Index
//   - Interventions
//   - Model (construction, sizes, cache)
//   - Embeddings           x = wte[token] + wpe[position]
//   - Attention            softmax(q·kᵀ / √d) · v        <- the chapter's formula
//   - K/V sharing          MQA / GQA by averaging heads' keys and values
//   - Block                x += Attn(LN₁(x));  x += MLP(LN₂(x))
//   - Forward              embeddings → blocks → LN_f → logits
#include "model/gpt2.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "kernels/threads.h"

namespace attn::model {

//-----------------------------------------------------------------------------
// [SECTION] Interventions
//-----------------------------------------------------------------------------

bool Interventions::IsAblated(int layer, int head) const {
  return std::find(ablated_heads.begin(), ablated_heads.end(), std::make_pair(layer, head)) !=
         ablated_heads.end();
}

bool Interventions::Any() const {
  return !ablated_heads.empty() || drop_positions || kv_groups > 0 || bidirectional;
}

//-----------------------------------------------------------------------------
// [SECTION] Model (construction, sizes, cache)
//-----------------------------------------------------------------------------

Model::Model(Config config, Weights weights, std::shared_ptr<const void> storage,
             std::vector<std::vector<float>> owned)
    : config_(config), weights_(std::move(weights)), storage_(std::move(storage)), owned_(std::move(owned)) {
  // The layout the CPU's kernels multiply fastest, where they have one (kernels.h); the file's
  // bytes stay as they are for the figures and everything else that reads the weights.
  auto pack = [this](kernels::Matrix& m) {
    m.packed = nullptr;  // weights copied from another model point at its copies, not ours
    std::vector<uint8_t> bytes = kernels::PackForThisCpu(m);
    if (bytes.empty()) return;
    packed_.push_back(std::move(bytes));
    m.packed = packed_.back().data();
  };
  for (LayerWeights& l : weights_.layers) {
    pack(l.attn_qkv);
    pack(l.attn_proj);
    pack(l.ffn_up);
    pack(l.ffn_down);
  }
  pack(weights_.lm_head);
}

static size_t MatrixBytes(const kernels::Matrix& m) { return quant::RowBytes(m.type, m.cols) * m.rows; }

size_t Model::WeightBytes() const {
  // Decoding one token reads every matrix once, plus one row of each embedding table.
  size_t bytes = MatrixBytes(weights_.lm_head);
  for (const LayerWeights& l : weights_.layers)
    bytes += MatrixBytes(l.attn_qkv) + MatrixBytes(l.attn_proj) + MatrixBytes(l.ffn_up) + MatrixBytes(l.ffn_down);
  bytes += quant::RowBytes(weights_.wte.type, weights_.wte.cols) + quant::RowBytes(weights_.wpe.type, weights_.wpe.cols);
  return bytes;
}

size_t Model::PackedBytes() const {
  size_t bytes = 0;
  for (const std::vector<uint8_t>& p : packed_) bytes += p.size();
  return bytes;
}

KvCache Model::NewCache() const {
  KvCache cache;
  cache.n_layer = config_.n_layer;
  cache.n_embd = config_.n_embd;
  return cache;
}

// Room for `positions` rows, growing geometrically (amortized O(1) per decoded token).
static void Reserve(KvCache& cache, int positions, int n_ctx) {
  const size_t need = static_cast<size_t>(positions) * cache.RowFloats();
  if (cache.k.size() >= need) return;
  const int grown = std::min(n_ctx, std::max(positions, 2 * static_cast<int>(cache.k.size() / cache.RowFloats())));
  cache.k.resize(static_cast<size_t>(grown) * cache.RowFloats());
  cache.v.resize(cache.k.size());
}

//-----------------------------------------------------------------------------
// [SECTION] Embeddings
//-----------------------------------------------------------------------------

// x (T, C): each token's embedding plus its position's embedding (unless positions are dropped,
// the chapter's exercise 2: without them the model sees a bag of words).
static void EmbeddingForward(float* x, const std::vector<int>& tokens, int first_pos, const Weights& w,
                             int C, bool drop_positions, std::vector<float>& row) {
  row.resize(C);
  for (size_t t = 0; t < tokens.size(); ++t) {
    float* xt = x + t * C;
    kernels::MatrixRow(w.wte, static_cast<size_t>(tokens[t]), xt);  // ids were checked by Forward
    if (drop_positions) continue;
    kernels::MatrixRow(w.wpe, static_cast<size_t>(first_pos + t), row.data());
    kernels::Add(xt, xt, row.data(), C);
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Attention
//-----------------------------------------------------------------------------

// out (T, C): multi-head scaled dot-product attention of the T new positions.
//   qkv (T, 3C) holds each new position's query, key and value (this layer's projections);
//   k_cache, v_cache hold this layer's keys and values of positions 0 .. first+T-1, one row
//   of C every `stride` floats.
// For head h and new position i (absolute position p = first + i):
//   score_j = q_i·k_j / √d       for every key position j (d = head size)
//   masked  : j > p gets −∞ — GPT-2 may not look ahead (unless `bidirectional`)
//   w       = softmax(score)     (the attention weights: ≥ 0, sum to 1)
//   out_i   = Σ_j w_j · v_j
// weights_out, if given, receives every w row (the Trace's heatmaps): head h's row i at
// weights_out[(h · out_rows + out_row0 + i) · out_width], out_width ≥ first+T.
// The heads are independent: with several threads each takes a range of them
// (kernels/threads.h), with its own scores row; every number is computed as on one thread.
namespace {
struct WeightsOut {
  float* data = nullptr;  // this layer's first head
  int rows = 0, row0 = 0, width = 0;
};
}  // namespace

static void AttentionForward(float* out, const WeightsOut& weights_out, const float* qkv, const float* k_cache,
                             const float* v_cache, size_t stride, int first, int T, int C, int n_head,
                             bool bidirectional) {
  const int hd = C / n_head;
  const int context = first + T;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  const double work = static_cast<double>(n_head) * T * context * hd;
  kernels::ParallelFor(n_head, work, [&](size_t h_begin, size_t h_end) {
    thread_local std::vector<float> scores;
    scores.resize(context);
    for (int h = static_cast<int>(h_begin); h < static_cast<int>(h_end); ++h) {
      for (int i = 0; i < T; ++i) {
        const float* q = qkv + static_cast<size_t>(i) * 3 * C + h * hd;
        const int last_visible = bidirectional ? context - 1 : first + i;
        for (int j = 0; j < context; ++j) {
          scores[j] = j <= last_visible
                          ? kernels::Dot(q, k_cache + j * stride + h * hd, hd) * scale
                          : -std::numeric_limits<float>::infinity();
        }
        kernels::Softmax(scores.data(), context);
        float* o = out + static_cast<size_t>(i) * C + h * hd;
        std::fill(o, o + hd, 0.0f);
        for (int j = 0; j <= last_visible; ++j)
          kernels::Axpy(o, scores[j], v_cache + j * stride + h * hd, hd);
        if (weights_out.data)
          std::copy(scores.begin(), scores.end(),
                    weights_out.data + (static_cast<size_t>(h) * weights_out.rows + weights_out.row0 + i) * weights_out.width);
      }
    }
  });
}

//-----------------------------------------------------------------------------
// [SECTION] K/V sharing (MQA / GQA)
//-----------------------------------------------------------------------------

// Replaces each head's key (or value) by the mean over its group of heads, in place, in one
// (C) row. With one group every head shares one K and one V — multi-query attention — and a
// KV cache would need to store 1/n_head of the memory. GPT-2 was trained with separate K/V per
// head, so this costs accuracy: the 11.3 panel shows how much.
static void ShareAcrossHeads(float* row, int n_head, int hd, int groups) {
  groups = std::clamp(groups, 1, n_head);
  for (int g = 0; g < groups; ++g) {
    const int h0 = g * n_head / groups, h1 = (g + 1) * n_head / groups;
    for (int d = 0; d < hd; ++d) {
      float mean = 0.0f;
      for (int h = h0; h < h1; ++h) mean += row[h * hd + d];
      mean /= static_cast<float>(h1 - h0);
      for (int h = h0; h < h1; ++h) row[h * hd + d] = mean;
    }
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Block
//-----------------------------------------------------------------------------

namespace {
struct Scratch {  // activations of one pass, (T, ·) each
  std::vector<float> x, ln, qkv, att, proj, ff, row, logits;
};
}  // namespace

// Where a pass writes its T rows into a Trace: rows row0 .. row0+T-1 of the trace's `count`,
// attention rows `width` wide. A whole pass: row0 0, width first+T. A piece of a pass split
// across frames (ForwardInto): its place in the whole pass's trace, allocated once.
namespace {
struct TraceRows {
  Trace* t = nullptr;
  int row0 = 0, width = 0;
};
}  // namespace

// Per-layer buffers are [slot][row][n]: the pass's T rows of `slot` from src (T × n).
static void Snapshot(std::vector<float>& dst, const TraceRows& at, int slot, const float* src, int T, size_t n) {
  const size_t offset = (static_cast<size_t>(slot) * at.t->count + at.row0) * n;
  std::copy(src, src + T * n, dst.begin() + static_cast<ptrdiff_t>(offset));
}

// One transformer block on the T new rows of x (in place), layer l.
static void BlockForward(Scratch& s, int l, const LayerWeights& w, const Config& c, int first, int T,
                         KvCache& cache, const Interventions& iv, const TraceRows& at) {
  const int C = c.n_embd, hd = c.head_dim();
  const size_t TC = static_cast<size_t>(T) * C;
  Trace* trace = at.t;

  // Attention sub-layer: x += proj(Attention(LN₁(x)))
  kernels::LayerNorm(s.ln.data(), s.x.data(), w.ln1_w, w.ln1_b, T, C, c.eps);
  if (trace && trace->options.block_outputs) Snapshot(trace->ln1, at, l, s.ln.data(), T, C);
  kernels::MatMul(s.qkv.data(), s.ln.data(), w.attn_qkv, w.attn_qkv_b, T);

  const size_t stride = cache.RowFloats();  // from one position's row to the next
  float* k_cache = cache.k.data() + static_cast<size_t>(l) * C;
  float* v_cache = cache.v.data() + static_cast<size_t>(l) * C;
  for (int i = 0; i < T; ++i) {
    float* q = s.qkv.data() + static_cast<size_t>(i) * 3 * C;
    float* k = q + C;
    float* v = q + 2 * C;
    if (iv.kv_groups > 0) {
      ShareAcrossHeads(k, c.n_head, hd, iv.kv_groups);
      ShareAcrossHeads(v, c.n_head, hd, iv.kv_groups);
    }
    std::copy(k, k + C, k_cache + (first + i) * stride);
    std::copy(v, v + C, v_cache + (first + i) * stride);
    if (trace && trace->options.qkv) {
      const size_t row = (static_cast<size_t>(l) * trace->count + at.row0 + i) * C;
      std::copy(q, q + C, trace->q.begin() + row);
      std::copy(k, k + C, trace->k.begin() + row);
      std::copy(v, v + C, trace->v.begin() + row);
    }
  }

  WeightsOut weights_out;
  if (trace)
    weights_out = {trace->attention.data() + static_cast<size_t>(l) * c.n_head * trace->count * at.width,
                   trace->count, at.row0, at.width};
  AttentionForward(s.att.data(), weights_out, s.qkv.data(), k_cache, v_cache, stride, first, T, C, c.n_head,
                   iv.bidirectional);
  for (int h = 0; h < c.n_head; ++h) {  // an ablated head contributes nothing to the residual
    if (!iv.IsAblated(l, h)) continue;
    for (int i = 0; i < T; ++i) std::fill_n(s.att.data() + static_cast<size_t>(i) * C + h * hd, hd, 0.0f);
  }
  kernels::MatMul(s.proj.data(), s.att.data(), w.attn_proj, w.attn_proj_b, T);
  kernels::Add(s.x.data(), s.x.data(), s.proj.data(), TC);

  // MLP sub-layer: x += W₂ · GELU(W₁ · LN₂(x))
  kernels::LayerNorm(s.ln.data(), s.x.data(), w.ln2_w, w.ln2_b, T, C, c.eps);
  if (trace && trace->options.block_outputs) Snapshot(trace->ln2, at, l, s.ln.data(), T, C);
  kernels::MatMul(s.ff.data(), s.ln.data(), w.ffn_up, w.ffn_up_b, T);
  kernels::Gelu(s.ff.data(), static_cast<size_t>(T) * c.n_ff);
  if (trace && trace->options.block_outputs) Snapshot(trace->mlp_act, at, l, s.ff.data(), T, c.n_ff);
  kernels::MatMul(s.proj.data(), s.ff.data(), w.ffn_down, w.ffn_down_b, T);
  kernels::Add(s.x.data(), s.x.data(), s.proj.data(), TC);
}

//-----------------------------------------------------------------------------
// [SECTION] Forward
//-----------------------------------------------------------------------------

// Floats in each buffer of a pass's trace: PrepareTrace allocates them, EstimatePassBytes counts
// them (the memory budget), from this one place. 0 for a buffer `o` does not ask for.
namespace {
struct TraceFloats {
  size_t attention, each_qkv, residual, each_ln, mlp_act, logits;
};
}  // namespace

static TraceFloats TraceSizes(const Config& c, int first, int T, const TraceOptions& o) {
  const size_t LTC = static_cast<size_t>(c.n_layer) * T * c.n_embd;
  return {static_cast<size_t>(c.n_layer) * c.n_head * T * (first + T),
          o.qkv ? LTC : 0,
          o.residual ? LTC + static_cast<size_t>(T) * c.n_embd : 0,  // one more slot: after the last block
          o.block_outputs ? LTC : 0,
          o.block_outputs ? static_cast<size_t>(c.n_layer) * T * c.n_ff : 0,
          (o.all_logits ? static_cast<size_t>(T) : 1) * c.vocab_size};  // Forward sizes these itself
}

static void PrepareTrace(Trace& t, const Config& c, int first, int T) {
  const TraceOptions options = t.options;
  t = Trace{};
  t.options = options;
  t.first = first;
  t.count = T;
  t.n_layer = c.n_layer;
  t.n_head = c.n_head;
  t.n_embd = c.n_embd;
  t.n_ff = c.n_ff;
  t.vocab = c.vocab_size;
  const TraceFloats n = TraceSizes(c, first, T, options);
  t.attention.assign(n.attention, 0.0f);
  for (std::vector<float>* b : {&t.q, &t.k, &t.v}) b->assign(n.each_qkv, 0.0f);
  t.residual.assign(n.residual, 0.0f);
  t.ln1.assign(n.each_ln, 0.0f);
  t.ln2.assign(n.each_ln, 0.0f);
  t.mlp_act.assign(n.mlp_act, 0.0f);
}

PassBytes EstimatePassBytes(const Config& c, int first, int count, const TraceOptions& options) {
  const uint64_t T = count, n = static_cast<uint64_t>(first) + count, C = c.n_embd, F = c.n_ff;
  const TraceFloats f = TraceSizes(c, first, count, options);
  PassBytes b;
  b.trace = 4 * (f.attention + 3 * f.each_qkv + f.residual + 2 * f.each_ln + f.mlp_act + f.logits);
  b.cache = 4 * 2 * static_cast<uint64_t>(c.n_layer) * n * C;  // Reserve() may round up to 2x, at most n_ctx
  b.scratch = 4 * (T * (7 * C + F) + n + (options.all_logits ? 0 : c.vocab_size));
  return b;
}

// Per-layer buffers are [l][i][width]: each layer's rows of `whole` then those of `step`.
static void AppendRows(std::vector<float>& whole, const std::vector<float>& step, int slots, size_t old_rows,
                       size_t new_rows, size_t width) {
  if (whole.empty() && step.empty()) return;
  std::vector<float> out(static_cast<size_t>(slots) * (old_rows + new_rows) * width);
  for (int l = 0; l < slots; ++l) {
    float* to = out.data() + l * (old_rows + new_rows) * width;
    std::copy_n(whole.begin() + l * old_rows * width, old_rows * width, to);
    std::copy_n(step.begin() + l * new_rows * width, new_rows * width, to + old_rows * width);
  }
  whole = std::move(out);
}

bool AppendTrace(Trace& whole, const Trace& step) {
  if (whole.first != 0 || step.first != whole.count || step.n_layer != whole.n_layer ||
      step.n_head != whole.n_head || step.n_embd != whole.n_embd || step.n_ff != whole.n_ff ||
      step.options.qkv != whole.options.qkv || step.options.residual != whole.options.residual ||
      step.options.block_outputs != whole.options.block_outputs ||
      step.options.all_logits != whole.options.all_logits)
    return false;
  const size_t old_n = whole.count, add = step.count, n = old_n + add;
  // attention: every old row gets longer by `add` masked (zero) keys, then the new rows follow
  std::vector<float> att(static_cast<size_t>(whole.n_layer) * whole.n_head * n * n, 0.0f);
  for (int lh = 0; lh < whole.n_layer * whole.n_head; ++lh) {
    for (size_t i = 0; i < old_n; ++i)
      std::copy_n(whole.attention.begin() + (lh * old_n + i) * old_n, old_n, att.begin() + (lh * n + i) * n);
    for (size_t i = 0; i < add; ++i)
      std::copy_n(step.attention.begin() + (lh * add + i) * n, n, att.begin() + (lh * n + old_n + i) * n);
  }
  whole.attention = std::move(att);
  const size_t C = whole.n_embd;
  for (auto [w, s] : {std::pair{&whole.q, &step.q}, {&whole.k, &step.k}, {&whole.v, &step.v},
                      {&whole.ln1, &step.ln1}, {&whole.ln2, &step.ln2}})
    AppendRows(*w, *s, whole.n_layer, old_n, add, C);
  AppendRows(whole.residual, step.residual, whole.n_layer + 1, old_n, add, C);
  AppendRows(whole.mlp_act, step.mlp_act, whole.n_layer, old_n, add, whole.n_ff);
  if (whole.options.all_logits)
    whole.logits.insert(whole.logits.end(), step.logits.begin(), step.logits.end());
  else
    whole.logits = step.logits;
  whole.count = static_cast<int>(n);
  return true;
}

// What a pass may not be given: the same checks for Forward and ForwardInto.
static Status CheckPass(const Config& c, const std::vector<int>& tokens, const KvCache& cache, const Interventions& iv) {
  const int T = static_cast<int>(tokens.size());
  const int first = cache.length;
  if (T == 0) return MakeError<Msg::TextEmpty>();
  if (first + T > c.n_ctx)
    return MakeError<Msg::TextPastContext>(first + T, c.n_ctx);
  for (int t = 0; t < T; ++t)
    if (tokens[t] < 0 || tokens[t] >= c.vocab_size)
      return MakeError<Msg::TokenOutOfVocabulary>(tokens[t], first + t, c.vocab_size - 1);
  if (cache.n_layer != c.n_layer || cache.n_embd != c.n_embd)
    return MakeError<Msg::CacheOtherModel>();
  if (iv.kv_groups < 0 || iv.kv_groups > c.n_head)
    return MakeError<Msg::KvGroupsRange>(c.n_head, iv.kv_groups);
  return {};
}

// The pass itself: embeddings, the blocks, the output head; the trace rows go where `at` says.
static void RunPass(const Config& c, const Weights& weights, const std::vector<int>& tokens, KvCache& cache,
                    const Interventions& iv, std::vector<float>* logits, const TraceRows& at) {
  const int T = static_cast<int>(tokens.size());
  const int first = cache.length;
  const int C = c.n_embd;
  const size_t TC = static_cast<size_t>(T) * C;
  Trace* trace = at.t;
  thread_local Scratch s;  // reused between calls: decoding allocates nothing
  s.x.resize(TC);
  s.ln.resize(TC);
  s.qkv.resize(3 * TC);
  s.att.resize(TC);
  s.proj.resize(TC);
  s.ff.resize(static_cast<size_t>(T) * c.n_ff);
  Reserve(cache, first + T, c.n_ctx);

  EmbeddingForward(s.x.data(), tokens, first, weights, C, iv.drop_positions, s.row);
  for (int l = 0; l < c.n_layer; ++l) {
    if (trace && trace->options.residual) Snapshot(trace->residual, at, l, s.x.data(), T, C);
    BlockForward(s, l, weights.layers[l], c, first, T, cache, iv, at);
  }
  if (trace && trace->options.residual) Snapshot(trace->residual, at, c.n_layer, s.x.data(), T, C);
  cache.length = first + T;

  // Final LayerNorm and the output head, for the last position (or all, for a full trace).
  const bool all = trace && trace->options.all_logits;
  const int rows = all ? T : 1;
  const float* from = s.x.data() + (all ? 0 : TC - C);
  kernels::LayerNorm(s.ln.data(), from, weights.lnf_w, weights.lnf_b, rows, C, c.eps);
  // Decoding writes straight into the caller's buffer: no per-token allocation or copy.
  std::vector<float>& out = trace ? trace->logits : logits ? *logits : s.logits;
  out.resize(static_cast<size_t>(all ? trace->count : 1) * c.vocab_size);
  float* dst = out.data() + (all ? static_cast<size_t>(at.row0) * c.vocab_size : 0);
  kernels::MatMul(dst, s.ln.data(), weights.lm_head, nullptr, rows);
  if (trace && logits) logits->assign(dst + static_cast<size_t>(rows - 1) * c.vocab_size, dst + static_cast<size_t>(rows) * c.vocab_size);
}

Status Model::Forward(const std::vector<int>& tokens, KvCache& cache, const Interventions& iv,
                      std::vector<float>* logits, Trace* trace) const {
  if (Status st = CheckPass(config_, tokens, cache, iv); !st.ok()) return st;
  const int first = cache.length, T = static_cast<int>(tokens.size());
  if (trace) PrepareTrace(*trace, config_, first, T);
  RunPass(config_, weights_, tokens, cache, iv, logits, TraceRows{trace, 0, first + T});
  return {};
}

void Model::StartTrace(Trace& whole, KvCache& cache, int total) const {
  PrepareTrace(whole, config_, 0, total);
  Reserve(cache, std::min(total, config_.n_ctx), config_.n_ctx);  // grown piece by piece, the copies would stay in a wasm heap
}

Status Model::ForwardInto(const std::vector<int>& tokens, KvCache& cache, const Interventions& iv,
                          std::vector<float>* logits, Trace& whole) const {
  if (Status st = CheckPass(config_, tokens, cache, iv); !st.ok()) return st;
  if (iv.bidirectional) return MakeError<Msg::PieceNeedsCausal>();
  const int first = cache.length, T = static_cast<int>(tokens.size());
  if (whole.first != 0 || whole.n_layer != config_.n_layer || first + T > whole.count)
    return MakeError<Msg::PieceDoesNotFit>(first, first + T - 1, whole.count);
  RunPass(config_, weights_, tokens, cache, iv, logits, TraceRows{&whole, first, whole.count});
  return {};
}

}  // namespace attn::model
