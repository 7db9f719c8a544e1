// The MatMul that the SIMD kernel files share (kernels_avx2.cpp, kernels_wasm_simd.cpp, and the
// tile of kernels_avx512.cpp): the tile's algorithm written once, over a small struct of vector
// operations ("Ops") that each file supplies — its vector type, load, multiply-add and sum.
// Read detail::ForEachTile (kernels_internal.h) first: it walks out (T, rows) in tiles of
// R weight rows × NT activation rows and calls a tile's Run<R, NT>(o, t0).
//
// A file includes this after all its other headers and after its `#pragma GCC target`, so the
// templates below are compiled for that file's instructions. Everything here is a template
// over the file's Ops, which lives in the file's anonymous namespace: every instantiation is
// the file's own (internal linkage), so no AVX-512 copy can stand in for an AVX2 one at link
// time, and none is reachable before the CPU check (kernels.cpp). For the same reason this
// header includes no standard header itself (std::vector comes with kernels.h, before the
// pragma): a library template first compiled under the pragma could serve every caller.
//
// [SECTION] Index
//   [SECTION] The tile: R weight rows × NT activation rows
//   [SECTION] f32 / f16 weights
//   [SECTION] Q8_0 / Q4_0 weights
//   [SECTION] MatMul
#pragma once
#include "kernels/kernels_internal.h"  // already included by every file that includes this

namespace attn::kernels::detail {

//-----------------------------------------------------------------------------------------
// [SECTION] The tile: R weight rows × NT activation rows
//-----------------------------------------------------------------------------------------

// A tile walks the rows in steps — a group of columns (f32 / f16 weights) or a block (Q8_0 /
// Q4_0) — and keeps its R·NT dot products in registers. K, the weight kind below (or AVX-512's
// own), says what a step is; positions i along a row count columns or blocks:
//   Acc                               a vector of partial sums (Acc{} is all zeros)
//   W, X                              one step's weight / activation operand
//   kStep, size_t Length()            a step's width and a row's length, in those units
//   W LoadW(o, i), X LoadX(t, i)      the operand of weight row o / activation row t at i
//   Acc MulAdd(Acc, W, X)             acc + the step's products, lane by lane
//   float Sum(const Acc (&)[U])       every lane of an output's U chains, in the set's order
//   float Tail(o, t, i, float sum)    sum + the products from i, past the last whole step
//   out (T, rows), bias (rows) or null, rows
// (The loops count positions rather than steps, as the files did before they shared this:
// V8 runs the simd128 f32 tiles ~4 % faster that way, the native code is the same.)

// One step: each weight operand is loaded once and meets NT activation rows, each activation
// operand meets R weight rows.  acc[r][t] += W[o+r] step at i · x[t0+t] step at i
// (`inline` is for the compiler: it gives inline functions a larger inlining budget. Without
// it GCC kept AVX-512's 4×6 step a call, its 24 accumulators in memory: prefill 1.5x slower.)
template <int R, int NT, class K>
inline void DotStep(const K& k, typename K::Acc (&acc)[R][NT], size_t o, size_t t0, size_t i) {
  typename K::W w[R];
  for (int r = 0; r < R; ++r) w[r] = k.LoadW(o + r, i);
  for (int t = 0; t < NT; ++t) {
    const typename K::X x = k.LoadX(t0 + t, i);
    for (int r = 0; r < R; ++r) acc[r][t] = K::MulAdd(acc[r][t], w[r], x);
  }
}

// out[t0+t][o+r] = W[o+r] · x[t0+t] + bias[o+r]  for r < R, t < NT. Each output is split into
// U = kChains<R, NT> interleaved partial sums (U consecutive steps to chains 0..U−1), so
// a small tile does not wait on its own additions; the chains are summed once, at the end.
// Always inlined into the kind's Run: a decode tile is one row of a few dozen blocks, and a
// call more per tile (GCC's choice for the quantized 1×1 tile) cost ~3 % of decoding.
template <int R, int NT, class K>
[[gnu::always_inline]] inline void DotTile(const K& k, size_t o, size_t t0) {
  using Acc = typename K::Acc;
  constexpr int U = kChains<R, NT>;
  Acc acc[U][R][NT];  // zeroed one by one: `= {}` on the array becomes a memset on the stack
  for (auto& chain : acc)
    for (auto& row : chain)
      for (Acc& v : row) v = Acc{};
  constexpr size_t S = K::kStep;
  const size_t n = k.Length();
  size_t i = 0;
  for (; i + U * S <= n; i += U * S)
    for (int u = 0; u < U; ++u) DotStep<R, NT>(k, acc[u], o, t0, i + u * S);
  for (; i + S <= n; i += S) DotStep<R, NT>(k, acc[0], o, t0, i);
  for (int r = 0; r < R; ++r) {
    for (int t = 0; t < NT; ++t) {
      Acc chains[U];
      for (int u = 0; u < U; ++u) chains[u] = acc[u][r][t];
      const float sum = k.Tail(o + r, t0 + t, i, K::Sum(chains));
      k.out[(t0 + t) * k.rows + o + r] = sum + (k.bias ? k.bias[o + r] : 0.0f);
    }
  }
}

//-----------------------------------------------------------------------------------------
// [SECTION] f32 / f16 weights
//-----------------------------------------------------------------------------------------

// A step is Ops::kStep columns, multiplied lane by lane; the last cols % kStep products one
// by one. What Ops provides for these weights:
//   F32s                                    kStep floats (AVX2: one __m256; simd128: two v128_t)
//   F32s Load(const float*), Load(const uint16_t*)   kStep weights or activations as f32
//                                           (f16 widened, which is exact)
//   float Load1(const float*), Load1(const uint16_t*)   one, for the tail
//   F32s MulAdd(F32s acc, F32s w, F32s x)   acc + w·x (fused or not: the set's own)
//   float Sum(const F32s (&)[U])
template <class Ops, class Weight>  // float or uint16_t (f16 bits)
struct FloatTile {
  const Weight* w;    // (rows, cols)
  const float* x;     // (T, cols)
  float* out;         // (T, rows)
  const float* bias;  // (rows) or null
  size_t rows, cols;

  using Acc = typename Ops::F32s;
  using W = Acc;
  using X = Acc;
  static constexpr size_t kStep = Ops::kStep;
  size_t Length() const { return cols; }
  W LoadW(size_t o, size_t i) const { return Ops::Load(w + o * cols + i); }
  X LoadX(size_t t, size_t i) const { return Ops::Load(x + t * cols + i); }
  static Acc MulAdd(Acc acc, W wv, X xv) { return Ops::MulAdd(acc, wv, xv); }
  template <int U>
  static float Sum(const Acc (&chains)[U]) {
    return Ops::Sum(chains);
  }
  float Tail(size_t o, size_t t, size_t i, float sum) const {
    for (size_t j = i; j < cols; ++j) sum += Ops::Load1(w + o * cols + j) * x[t * cols + j];
    return sum;
  }
  template <int R, int NT>
  void Run(size_t o, size_t t0) const {
    DotTile<R, NT>(*this, o, t0);
  }
};

//-----------------------------------------------------------------------------------------
// [SECTION] Q8_0 / Q4_0 weights
//-----------------------------------------------------------------------------------------

// A step is one block of 32 values against the activations quantized to Q8_0 (see
// kernels_scalar.cpp): acc += (dw·dx) · Σ_j qw_j·qx_j, the integer sum exact. What Ops
// provides for these weights:
//   Acc                                     f32 lanes of partial sums
//   QWeights UnpackWeights(const BlockQ8_0&), (const BlockQ4_0&)   a weight block's 32 values as
//                                           MulAdd wants them
//   QActs LoadActivations(const BlockQ8_0&)   an activation block's
//   float Half(uint16_t)                    a block scale as f32
//   Acc MulAdd(Acc acc, float scale, const QWeights&, const QActs&)
//                                           acc + scale · Σ_j w_j·x_j (as lanes of exact integer
//                                           partial sums)
//   float Sum(const Acc (&)[U])
//   void QuantizeRow(const float*, quant::BlockQ8_0*, size_t)   the set's QuantizeRowQ8_0
template <class Ops, class Block>  // quant::BlockQ8_0 or quant::BlockQ4_0
struct QuantTile {
  const Block* w;              // (rows, nb)
  const quant::BlockQ8_0* xq;  // (T, nb) quantized activations
  const float* xd;             // (T, nb) their scales as f32
  float* out;                  // (T, rows)
  const float* bias;           // (rows) or null
  size_t rows, nb;

  using Acc = typename Ops::Acc;
  struct W {
    typename Ops::QWeights q;
    float d;
  };
  struct X {
    typename Ops::QActs q;
    float d;
  };
  static constexpr size_t kStep = 1;
  size_t Length() const { return nb; }
  W LoadW(size_t o, size_t b) const {
    const Block& blk = w[o * nb + b];
    return {Ops::UnpackWeights(blk), Ops::Half(blk.d)};
  }
  X LoadX(size_t t, size_t b) const { return {Ops::LoadActivations(xq[t * nb + b]), xd[t * nb + b]}; }
  static Acc MulAdd(Acc acc, const W& wb, const X& xb) { return Ops::MulAdd(acc, wb.d * xb.d, wb.q, xb.q); }
  template <int U>
  static float Sum(const Acc (&chains)[U]) {
    return Ops::Sum(chains);
  }
  float Tail(size_t, size_t, size_t, float sum) const { return sum; }  // whole blocks: nothing left over
  template <int R, int NT>
  void Run(size_t o, size_t t0) const {
    DotTile<R, NT>(*this, o, t0);
  }
};

//-----------------------------------------------------------------------------------------
// [SECTION] MatMul
//-----------------------------------------------------------------------------------------

// kernels::MatMul with the tiles above, in tile shapes kRowsDecode, kRowsPrefill × kTileT
// (see ForEachTile; each file says how it measured its own).
template <class Ops, int kRowsDecode, int kRowsPrefill, int kTileT>
void TiledMatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T) {
  if (!MatMulShapeOk(w)) return FillNaN(out, T * w.rows);
  switch (w.type) {
    case quant::Type::F32: {
      const FloatTile<Ops, float> k{static_cast<const float*>(w.data), inp, out, bias, w.rows, w.cols};
      return ForEachTile<kRowsDecode, kRowsPrefill, kTileT>(k, w.rows, w.cols, T);
    }
    case quant::Type::F16: {
      const FloatTile<Ops, uint16_t> k{static_cast<const uint16_t*>(w.data), inp, out, bias, w.rows, w.cols};
      return ForEachTile<kRowsDecode, kRowsPrefill, kTileT>(k, w.rows, w.cols, T);
    }
    case quant::Type::Q8_0:
    case quant::Type::Q4_0:
      break;
  }
  // Quantize the activations once per call (T·cols values, small next to rows·cols weights),
  // and widen their scales to f32 once rather than in the inner loop.
  const size_t nb = w.cols / quant::kBlock;
  std::vector<quant::BlockQ8_0> xq(T * nb);
  std::vector<float> xd(T * nb);
  for (size_t t = 0; t < T; ++t) Ops::QuantizeRow(inp + t * w.cols, &xq[t * nb], w.cols);
  for (size_t i = 0; i < T * nb; ++i) xd[i] = Ops::Half(xq[i].d);
  if (w.type == quant::Type::Q8_0) {
    const QuantTile<Ops, quant::BlockQ8_0> k{
        static_cast<const quant::BlockQ8_0*>(w.data), xq.data(), xd.data(), out, bias, w.rows, nb};
    ForEachTile<kRowsDecode, kRowsPrefill, kTileT>(k, w.rows, w.cols, T);
  } else {
    const QuantTile<Ops, quant::BlockQ4_0> k{
        static_cast<const quant::BlockQ4_0*>(w.data), xq.data(), xd.data(), out, bias, w.rows, nb};
    ForEachTile<kRowsDecode, kRowsPrefill, kTileT>(k, w.rows, w.cols, T);
  }
}

}  // namespace attn::kernels::detail
