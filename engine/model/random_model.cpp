#include "model/random_model.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "model/sampling.h"

namespace attn::model {

Config Gpt2SmallConfig() { return Config{}; }  // the defaults are GPT-2 124M

namespace {

// Normal samples from the portable Rng (Box–Muller): the same model natively and in wasm.
// `pairs`: keep Box–Muller's second value (sin) for the next call — half the work per sample,
// used for the untrained twin, which draws a whole model while the app waits; the test models
// keep drawing one value per pair, so their weights stay exactly as they were.
struct Normal {
  Rng rng;
  bool pairs = false;
  bool has_spare = false;
  double spare = 0.0;
  float Next(float mean, float std) {
    if (has_spare) {
      has_spare = false;
      return mean + std * static_cast<float>(spare);
    }
    const double u1 = 1.0 - rng.Uniform(), u2 = rng.Uniform();
    const double r = std::sqrt(-2.0 * std::log(u1)), a = 6.283185307179586 * u2;
    if (pairs) {
      spare = r * std::sin(a);
      has_spare = true;
    }
    return mean + std * static_cast<float>(r * std::cos(a));
  }
};

struct Builder {
  Builder(quant::Type t, uint64_t seed) : type(t), normal{Rng(seed)} {}
  quant::Type type;
  Normal normal;
  std::shared_ptr<std::vector<uint8_t>> arena = std::make_shared<std::vector<uint8_t>>();
  std::vector<std::vector<float>> owned;  // moving the outer vector never moves the inner buffers
  std::vector<std::pair<kernels::Matrix*, size_t>> fixups;  // matrices whose data = arena + offset

  const float* Vector(size_t n, float mean, float std) {
    std::vector<float> v(n);
    for (float& x : v) x = normal.Next(mean, std);
    owned.push_back(std::move(v));
    return owned.back().data();
  }

  // Generates the matrix row by row straight into its storage format (no f32 copy kept).
  void Matrix(kernels::Matrix* m, size_t rows, size_t cols, float std = 0.02f) {
    const size_t row_bytes = quant::RowBytes(type, cols);
    const size_t offset = arena->size();
    arena->resize(offset + rows * row_bytes);
    std::vector<float> row(cols);
    for (size_t r = 0; r < rows; ++r) {
      for (float& x : row) x = normal.Next(0.0f, std);
      uint8_t* dst = arena->data() + offset + r * row_bytes;
      quant::QuantizeRow(type, row.data(), dst, cols);
    }
    *m = kernels::Matrix{type, nullptr, rows, cols};
    fixups.push_back({m, offset});
  }
};

}  // namespace

std::unique_ptr<Model> MakeRandomModel(const Config& c, quant::Type type, uint64_t seed, RandomInit init) {
  Builder b(type, seed);
  b.normal.pairs = init == RandomInit::kGpt2Init;
  const size_t C = c.n_embd;
  // One allocation for all matrices: growing the arena as we go would briefly need twice the
  // model's memory (the browser's heap never gives it back).
  auto bytes = [&](size_t rows, size_t cols) { return quant::RowBytes(type, cols) * rows; };
  b.arena->reserve(bytes(c.vocab_size, C) + bytes(c.n_ctx, C) +
                   c.n_layer * (bytes(3 * C, C) + bytes(C, C) + bytes(c.n_ff, C) + bytes(C, c.n_ff)));
  Weights w;
  w.layers.resize(c.n_layer);
  b.Matrix(&w.wte, c.vocab_size, C);
  b.Matrix(&w.wpe, c.n_ctx, C);
  const bool gpt2 = init == RandomInit::kGpt2Init;
  // GPT-2 scales the projections that write into the residual stream by 1/√(2·n_layer):
  // 2·n_layer of them add up along the stream.
  const float proj_std = gpt2 ? 0.02f / std::sqrt(2.0f * std::max(c.n_layer, 1)) : 0.02f;
  const float ln_std = gpt2 ? 0.0f : 0.1f, bias_std = gpt2 ? 0.0f : 0.02f;
  for (LayerWeights& L : w.layers) {
    L.ln1_w = b.Vector(C, 1.0f, ln_std);
    L.ln1_b = b.Vector(C, 0.0f, ln_std);
    b.Matrix(&L.attn_qkv, 3 * C, C);
    L.attn_qkv_b = b.Vector(3 * C, 0.0f, bias_std);
    b.Matrix(&L.attn_proj, C, C, proj_std);
    L.attn_proj_b = b.Vector(C, 0.0f, bias_std);
    L.ln2_w = b.Vector(C, 1.0f, ln_std);
    L.ln2_b = b.Vector(C, 0.0f, ln_std);
    b.Matrix(&L.ffn_up, c.n_ff, C);
    L.ffn_up_b = b.Vector(c.n_ff, 0.0f, bias_std);
    b.Matrix(&L.ffn_down, C, c.n_ff, proj_std);
    L.ffn_down_b = b.Vector(C, 0.0f, bias_std);
  }
  w.lnf_w = b.Vector(C, 1.0f, ln_std);
  w.lnf_b = b.Vector(C, 0.0f, ln_std);
  // The arena stopped growing: now the matrices can point into it.
  for (auto [m, offset] : b.fixups) m->data = b.arena->data() + offset;
  w.lm_head = w.wte;  // tied, as in GPT-2
  return std::make_unique<Model>(c, std::move(w), b.arena, std::move(b.owned));
}

}  // namespace attn::model
