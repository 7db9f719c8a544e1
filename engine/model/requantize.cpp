#include "model/requantize.h"

#include <cstring>
#include <utility>
#include <vector>

namespace attn::model {

namespace {

// The format a matrix gets: `type`, unless its rows cannot be cut into its blocks.
quant::Type TargetType(const kernels::Matrix& m, quant::Type type) {
  return quant::RowBytes(type, m.cols) == 0 ? quant::Type::F32 : type;
}

size_t MatrixBytes(const kernels::Matrix& m, quant::Type type) {
  return quant::RowBytes(TargetType(m, type), m.cols) * m.rows;
}

struct Converter {
  explicit Converter(quant::Type t) : type(t) {}
  quant::Type type;
  std::shared_ptr<std::vector<uint8_t>> arena = std::make_shared<std::vector<uint8_t>>();
  std::vector<std::pair<kernels::Matrix*, size_t>> fixups;  // data = arena + offset, once it stops growing
  std::vector<std::vector<float>> owned;  // moving the outer vector never moves the inner buffers

  // One row at a time: dequantize to f32, then encode in the target format.
  void Matrix(const kernels::Matrix& src, kernels::Matrix* dst) {
    const quant::Type t = TargetType(src, type);
    const size_t src_row = quant::RowBytes(src.type, src.cols), dst_row = quant::RowBytes(t, src.cols);
    const size_t offset = arena->size();
    arena->resize(offset + dst_row * src.rows);
    std::vector<float> row(src.cols);
    for (size_t r = 0; r < src.rows; ++r) {
      quant::DequantizeRow(src.type, static_cast<const uint8_t*>(src.data) + r * src_row, row.data(), src.cols);
      uint8_t* out = arena->data() + offset + r * dst_row;
      quant::QuantizeRow(t, row.data(), out, src.cols);
    }
    *dst = kernels::Matrix{t, nullptr, src.rows, src.cols};
    fixups.push_back({dst, offset});
  }

  const float* Vector(const float* v, size_t n) {
    owned.emplace_back(v, v + n);
    return owned.back().data();
  }
};

}  // namespace

std::unique_ptr<Model> Requantize(const Model& source, quant::Type type) {
  const Config& c = source.config();
  const Weights& in = source.weights();
  const size_t C = c.n_embd, F = c.n_ff;
  const bool tied = in.lm_head.data == in.wte.data && in.lm_head.type == in.wte.type &&
                    in.lm_head.rows == in.wte.rows && in.lm_head.cols == in.wte.cols;

  Converter cv(type);
  // One allocation: growing the arena as we go would briefly need twice the memory.
  size_t total = MatrixBytes(in.wte, type) + MatrixBytes(in.wpe, type) + (tied ? 0 : MatrixBytes(in.lm_head, type));
  for (const LayerWeights& L : in.layers)
    total += MatrixBytes(L.attn_qkv, type) + MatrixBytes(L.attn_proj, type) + MatrixBytes(L.ffn_up, type) +
             MatrixBytes(L.ffn_down, type);
  cv.arena->reserve(total);

  Weights out;
  out.layers.resize(in.layers.size());
  cv.Matrix(in.wte, &out.wte);
  cv.Matrix(in.wpe, &out.wpe);
  for (size_t l = 0; l < in.layers.size(); ++l) {
    const LayerWeights& a = in.layers[l];
    LayerWeights& b = out.layers[l];
    b.ln1_w = cv.Vector(a.ln1_w, C);
    b.ln1_b = cv.Vector(a.ln1_b, C);
    cv.Matrix(a.attn_qkv, &b.attn_qkv);
    b.attn_qkv_b = cv.Vector(a.attn_qkv_b, 3 * C);
    cv.Matrix(a.attn_proj, &b.attn_proj);
    b.attn_proj_b = cv.Vector(a.attn_proj_b, C);
    b.ln2_w = cv.Vector(a.ln2_w, C);
    b.ln2_b = cv.Vector(a.ln2_b, C);
    cv.Matrix(a.ffn_up, &b.ffn_up);
    b.ffn_up_b = cv.Vector(a.ffn_up_b, F);
    cv.Matrix(a.ffn_down, &b.ffn_down);
    b.ffn_down_b = cv.Vector(a.ffn_down_b, C);
  }
  out.lnf_w = cv.Vector(in.lnf_w, C);
  out.lnf_b = cv.Vector(in.lnf_b, C);
  if (!tied) cv.Matrix(in.lm_head, &out.lm_head);
  // The arena stopped growing: now the matrices can point into it.
  for (auto [m, offset] : cv.fixups) m->data = cv.arena->data() + offset;
  if (tied) out.lm_head = out.wte;
  return std::make_unique<Model>(c, std::move(out), cv.arena, std::move(cv.owned));
}

}  // namespace attn::model
