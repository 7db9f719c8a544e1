// Q8_0 / Q4_0 MatMul with AVX-512 VNNI: one vpdpbusd multiplies 64 int8 pairs and sums them
// four by four into 16 int32 lanes, where AVX2 needs three instructions (sign, maddubs, madd)
// for 32 pairs. With the weights packed at load (16 rows interleaved, PackForThisCpu) it runs
// both decoding and prefill, one output per lane; without (a matrix the model did not pack),
// prefill takes the block-pair tiles below and decoding AVX2's. f32 / f16 weights, LayerNorm,
// softmax, ... stay the AVX2 code: this table row only replaces MatMul (and adds Pack). Read
// kernels_matmul.h and kernels_avx2.cpp first: the pair tile here is the shared
// detail::DotTile with this file's own operands (block pairs).
//
// [SECTION] Index
//   [SECTION] Activations, packed for 64-byte loads
//   [SECTION] MatMul tiles: Q8_0 / Q4_0 weights, two blocks per step
//   [SECTION] Packed weights: 16 rows interleaved, one output per lane
//   [SECTION] MatMul
#include "kernels/kernels_internal.h"  // first: it says whether this build has the file

#if ATTN_KERNELS_HAVE_AVX2

#include <immintrin.h>

// GCC 12's AVX-512 headers start some intrinsics (inserti64x4, cvtepi32_ps, ...) from a
// deliberately undefined register, which its own -Wuninitialized then reports at every use
// (GCC bug 105593, fixed in GCC 13). Nothing here reads an uninitialized value.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "kernels/kernels.h"

// As in kernels_avx2.cpp: only what is defined below is compiled for these instructions.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni"))), \
                             apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")
#endif

// The shared tile (detail::DotTile), after the pragma: compiled for AVX-512 here.
#include "kernels/kernels_matmul.h"

namespace attn::kernels::avx512 {

using quant::BlockQ4_0;
using quant::BlockQ8_0;
using quant::kBlock;

namespace {

//-----------------------------------------------------------------------------------------
// [SECTION] Activations, packed for 64-byte loads
//-----------------------------------------------------------------------------------------

// The activations quantized to Q8_0 once per call (avx2::QuantizeRowQ8_0: the same bytes as
// everywhere), then repacked: a block pair's 64 values side by side (a Q8_0 block keeps its
// scale between them), and the pair's two scales as a vector ready to multiply: lanes 0–7 the
// first block's, lanes 8–15 the second's, which is where vpdpbusd leaves each block's sums.
// An odd last block is paired with zeros.
struct PackedActivations {
  size_t pairs = 0;        // per row: ceil(blocks / 2)
  int8_t* q = nullptr;     // (T, pairs, 64)
  float* d = nullptr;      // (T, pairs, 16)
  int32_t* offset = nullptr;  // Q4_0 only, (T, pairs, 16): −8 × each lane's sum of 4 values

  PackedActivations(const float* inp, size_t T, size_t cols, bool q4_offsets) : pairs((cols / kBlock + 1) / 2) {
    // The calling thread's buffers, kept between calls: a prefill's hundreds of KB, allocated
    // and zeroed afresh each time, cost as much as a sixth of the multiplication (page faults).
    thread_local std::vector<int8_t> q_buffer;
    thread_local std::vector<float> d_buffer;
    thread_local std::vector<int32_t> offset_buffer;
    thread_local std::vector<BlockQ8_0> row;
    q_buffer.resize(std::max(q_buffer.size(), T * pairs * 64));
    d_buffer.resize(std::max(d_buffer.size(), T * pairs * 16));
    row.resize(std::max(row.size(), 2 * pairs));
    q = q_buffer.data();
    d = d_buffer.data();
    const size_t nb = cols / kBlock;
    for (size_t t = 0; t < T; ++t) {
      avx2::QuantizeRowQ8_0(inp + t * cols, row.data(), cols);
      if (nb % 2) row[nb] = BlockQ8_0{};  // an odd row's last block is paired with zeros
      for (size_t b = 0; b < 2 * pairs; ++b) {
        const size_t at = t * pairs + b / 2, half = b % 2;
        std::memcpy(&q[at * 64 + half * kBlock], row[b].qs, kBlock);
        const float scale = _cvtsh_ss(row[b].d);
        for (int lane = 0; lane < 8; ++lane) d[at * 16 + half * 8 + lane] = scale;
      }
    }
    if (!q4_offsets) return;
    offset_buffer.resize(std::max(offset_buffer.size(), T * pairs * 16));
    offset = offset_buffer.data();
    for (size_t i = 0; i < T * pairs; ++i) {
      const __m512i sums = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_set1_epi8(8), _mm512_loadu_si512(&q[i * 64]));
      _mm512_storeu_si512(&offset[i * 16], _mm512_sub_epi32(_mm512_setzero_si512(), sums));
    }
  }
  __m512i Values(size_t t, size_t p) const { return _mm512_loadu_si512(&q[(t * pairs + p) * 64]); }
  __m512 Scales(size_t t, size_t p) const { return _mm512_loadu_ps(&d[(t * pairs + p) * 16]); }
  __m512i Offsets(size_t t, size_t p) const { return _mm512_loadu_si512(&offset[(t * pairs + p) * 16]); }
};

//-----------------------------------------------------------------------------------------
// [SECTION] MatMul tiles: Q8_0 / Q4_0 weights, two blocks per step
//-----------------------------------------------------------------------------------------

// One weight block's 32 values in order: Q8_0's int8 as stored; Q4_0's nibbles (low nibbles are
// values 0..15, high nibbles 16..31) left as 0..15, i.e. the value + 8 (see PairTile).
__m256i Unpack(const BlockQ8_0& b) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs)); }
__m256i Unpack(const BlockQ4_0& b) {
  const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.qs));
  return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(q, 4), q), _mm256_set1_epi8(0x0f));
}

// A block pair per step, through the shared tile (kernels_matmul.h: detail::DotTile) with this
// file's own operands rather than an Ops struct for detail::QuantTile: those step one block at a
// time over Q8_0 activations, this one over the packed pairs above. vpdpbusd multiplies unsigned
// by signed bytes:
//   Q8_0: acc += (dw ⊗ dx) · Σ_j |w_j| · (sign(w_j)·x_j): w's sign moves onto x (AVX2's sign
//         trick; x is never −128, so negating it cannot overflow);
//   Q4_0: the nibble n_j = w_j + 8 is already unsigned: Σ_j w_j·x_j = Σ_j n_j·x_j − 8·Σ_j x_j, and
//         the second sum, per lane, was computed once with the activations (Offsets), so the
//         product starts from it.
// The 16 lanes hold 8 partial sums of each block, and the scale vector multiplies each half by
// its block's dw·dx.
template <class Block>  // BlockQ8_0 or BlockQ4_0
struct PairTile {
  static constexpr bool kQ4 = std::is_same_v<Block, BlockQ4_0>;
  const Block* w;                // (rows, nb)
  const PackedActivations* x;
  float* out;                    // (T, rows)
  const float* bias;             // (rows) or null
  size_t rows, nb;

  using Acc = __m512;
  struct W {
    __m512i q;      // Q8_0: |w|; Q4_0: the nibbles
    __mmask64 neg;  // Q8_0: the bytes where w < 0
    __m512 d;       // dw, lanes 0–7 the first block's, 8–15 the second's
  };
  struct X {
    __m512i q;
    __m512 d;
    __m512i start;  // where the integer sums start: Q4_0 the offsets, Q8_0 zero
  };
  static constexpr size_t kStep = 1;
  size_t Length() const { return x->pairs; }
  W LoadW(size_t o, size_t p) const {
    const Block* blk = w + o * nb + 2 * p;
    const bool second = 2 * p + 1 < nb;  // an odd row's last block is paired with zeros
    const __m512i q =
        _mm512_inserti64x4(_mm512_castsi256_si512(Unpack(blk[0])), second ? Unpack(blk[1]) : _mm256_setzero_si256(), 1);
    const __m512 d =
        _mm512_insertf32x8(_mm512_set1_ps(_cvtsh_ss(blk[0].d)), _mm256_set1_ps(second ? _cvtsh_ss(blk[1].d) : 0.0f), 1);
    if constexpr (kQ4) {
      return {q, 0, d};
    } else {
      return {_mm512_abs_epi8(q), _mm512_movepi8_mask(q), d};
    }
  }
  X LoadX(size_t t, size_t p) const {
    return {x->Values(t, p), x->Scales(t, p), kQ4 ? x->Offsets(t, p) : _mm512_setzero_si512()};
  }
  static Acc MulAdd(Acc acc, const W& wp, const X& xp) {
    const __m512i xq = kQ4 ? xp.q : _mm512_mask_sub_epi8(xp.q, wp.neg, _mm512_setzero_si512(), xp.q);
    const __m512i sums = _mm512_dpbusd_epi32(xp.start, wp.q, xq);  // exact integers
    return _mm512_fmadd_ps(_mm512_mul_ps(wp.d, xp.d), _mm512_cvtepi32_ps(sums), acc);
  }
  template <int U>
  static float Sum(const Acc (&chains)[U]) {  // the chains added in order, then the 16 lanes
    __m512 v = chains[0];
    for (int u = 1; u < U; ++u) v = _mm512_add_ps(v, chains[u]);
    return _mm512_reduce_add_ps(v);
  }
  float Tail(size_t, size_t, size_t, float sum) const { return sum; }  // whole pairs: nothing left over
  template <int R, int NT>
  void Run(size_t o, size_t t0) const {
    detail::DotTile<R, NT>(*this, o, t0);
  }
};

// Tile shapes. With 32 vector registers a prefill tile of 4 weight rows × 6 activation rows
// (24 accumulators, 4 weight pairs and their scales) fits; each weight pair is then used 6
// times from registers and each activation pair 4 times. Measured on an AMD EPYC (Zen 5), one
// thread, GPT-2-124M Q8_0, 64-token prefill, CPU time: 4×6 ≈ 4×4 + 7 %, 6×4 ≈ 4×4, 2×8 ≈ 4×4 − 15 %.
constexpr int kRowsDecode = 1, kRowsPrefill = 4, kTileT = 6;

//-----------------------------------------------------------------------------------------
// [SECTION] Packed weights: 16 rows interleaved, one output per lane
//-----------------------------------------------------------------------------------------

// The tiles above put one output's partial sums in a vector's lanes, so every vpdpbusd (64
// products) is followed by a conversion, a multiply and an FMA for that one output. Here the
// 16 lanes are 16 weight rows: vpdpbusd multiplies 4 weights of each of 16 rows by the same 4
// activations (broadcast), 8 of them cover a 32-value block for 16 outputs, and only then come
// the conversion and the scales. In decoding the 16 rows stream side by side and no horizontal
// sum is left. (llama.cpp repacks Q4_0 for the same reasons.) Measured on an AMD EPYC (Zen 5),
// one thread, GPT-2 small's four matrix shapes, against the pair tiles above: Q4_0 2.7x faster at
// T = 64 and 3.8x at T = 1, Q8_0 2.1x and 2.2x.
//
// Pack copies the file's blocks, a group of 16 rows at a time; for each block b of the group:
//   d[16]        the rows' scales (f16)
//   q[j][4r + k] row r's value 4j + k, unsigned — Q4_0 (j < 4): the byte 4j + k as stored,
//                whose low nibble is value 4j + k and high nibble value 16 + 4j + k; Q8_0 (j < 8):
//                the value + 128 (vpdpbusd wants one unsigned operand)
// so Σ_k w_k·x_k = Σ_k u_k·x_k − kOffset·Σ_k x_k, the second sum computed once per activation
// block (its `start`). A row count that is not a multiple of 16 leaves the last rows to the
// tiles above.
constexpr size_t kPackRows = 16;

template <class Block>
struct Packed;
template <>
struct Packed<BlockQ4_0> {
  static constexpr int kOffset = 8;
  uint16_t d[kPackRows];
  uint8_t q[4][64];
  static void Put(Packed& out, size_t r, const BlockQ4_0& in) {
    for (int j = 0; j < 4; ++j) std::memcpy(&out.q[j][4 * r], &in.qs[4 * j], 4);
  }
  void Unpack(__m512i (&w)[8]) const {  // w[j]: values 4j..4j+3 of each row, j < 8
    const __m512i low = _mm512_set1_epi8(0x0f);
    for (int j = 0; j < 4; ++j) {
      const __m512i v = _mm512_loadu_si512(q[j]);
      w[j] = _mm512_and_si512(v, low);
      w[4 + j] = _mm512_and_si512(_mm512_srli_epi16(v, 4), low);
    }
  }
};
template <>
struct Packed<BlockQ8_0> {
  static constexpr int kOffset = 128;
  uint16_t d[kPackRows];
  uint8_t q[8][64];
  static void Put(Packed& out, size_t r, const BlockQ8_0& in) {
    for (int j = 0; j < 8; ++j)
      for (int k = 0; k < 4; ++k) out.q[j][4 * r + k] = static_cast<uint8_t>(in.qs[4 * j + k] + 128);
  }
  void Unpack(__m512i (&w)[8]) const {
    for (int j = 0; j < 8; ++j) w[j] = _mm512_loadu_si512(q[j]);
  }
};
static_assert(sizeof(Packed<BlockQ4_0>) == 32 + 16 * 16, "16 scales, then 16 rows x 16 bytes");
static_assert(sizeof(Packed<BlockQ8_0>) == 32 + 16 * 32, "16 scales, then 16 rows x 32 bytes");

// The activations quantized to Q8_0 (avx2::QuantizeRowQ8_0), with each block's scale as f32
// and the start of its integer sums, −kOffset · Σ x.
struct Q8Activations {
  const BlockQ8_0* q = nullptr;    // (T, nb)
  const float* d = nullptr;        // (T, nb)
  const int32_t* start = nullptr;  // (T, nb)

  Q8Activations(const float* inp, size_t T, size_t cols, int offset) {
    thread_local std::vector<BlockQ8_0> q_buffer;  // kept between calls, as PackedActivations'
    thread_local std::vector<float> d_buffer;
    thread_local std::vector<int32_t> start_buffer;
    const size_t nb = cols / kBlock;
    q_buffer.resize(std::max(q_buffer.size(), T * nb));
    d_buffer.resize(std::max(d_buffer.size(), T * nb));
    start_buffer.resize(std::max(start_buffer.size(), T * nb));
    for (size_t t = 0; t < T; ++t) avx2::QuantizeRowQ8_0(inp + t * cols, &q_buffer[t * nb], cols);
    for (size_t i = 0; i < T * nb; ++i) {
      d_buffer[i] = _cvtsh_ss(q_buffer[i].d);
      int32_t sum = 0;
      for (int8_t v : q_buffer[i].qs) sum += v;
      start_buffer[i] = -offset * sum;
    }
    q = q_buffer.data();
    d = d_buffer.data();
    start = start_buffer.data();
  }
};

// out[t0+t][16g .. 16g+15] for t < NT: the 16 rows of group g against NT activation rows.
// 8 activation rows keep 8 accumulators and a block's 8 weight vectors in registers; measured
// against 6 (Zen 5, one thread, T = 64): Q4_0 12 % and Q8_0 8 % faster. Two groups × 4 rows,
// which shares each broadcast activation, was slower.
constexpr int kPackedTileT = 8;

template <class Block, int NT>
void PackedTile(const Packed<Block>* group, const Q8Activations& x, size_t nb, size_t g, size_t t0, float* out,
                const float* bias, size_t rows) {
  __m512 acc[NT];
  for (__m512& a : acc) a = _mm512_setzero_ps();
  for (size_t b = 0; b < nb; ++b) {
    __m512i w[8];
    group[b].Unpack(w);
    const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(group[b].d)));
    for (int t = 0; t < NT; ++t) {
      const size_t at = (t0 + t) * nb + b;
      int32_t xs[8];  // the block's 32 activations, 4 bytes at a time
      std::memcpy(xs, x.q[at].qs, sizeof xs);
      __m512i sums = _mm512_set1_epi32(x.start[at]);
      for (int j = 0; j < 8; ++j) sums = _mm512_dpbusd_epi32(sums, w[j], _mm512_set1_epi32(xs[j]));  // exact
      acc[t] = _mm512_fmadd_ps(_mm512_mul_ps(dw, _mm512_set1_ps(x.d[at])), _mm512_cvtepi32_ps(sums), acc[t]);
    }
  }
  const __m512 bv = bias ? _mm512_loadu_ps(bias + g * kPackRows) : _mm512_setzero_ps();
  for (int t = 0; t < NT; ++t) _mm512_storeu_ps(out + (t0 + t) * rows + g * kPackRows, _mm512_add_ps(acc[t], bv));
}

template <class Block, int NT>
void PackedRagged(const Packed<Block>* group, const Q8Activations& x, size_t nb, size_t g, size_t t0, size_t nt,
                  float* out, const float* bias, size_t rows) {
  if constexpr (NT > 0) {
    if (nt == NT) return PackedTile<Block, NT>(group, x, nb, g, t0, out, bias, rows);
    PackedRagged<Block, NT - 1>(group, x, nb, g, t0, nt, out, bias, rows);
  }
}

template <class Block>
void PackedMatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T) {
  const size_t nb = w.cols / kBlock, groups = w.rows / kPackRows;
  const Q8Activations x(inp, T, w.cols, Packed<Block>::kOffset);
  const auto* packed = static_cast<const Packed<Block>*>(w.packed);
  detail::ParallelRanges(groups, 1, static_cast<double>(w.rows) * w.cols * T, [&](size_t first, size_t last) {
    for (size_t g = first; g < last; ++g) {
      size_t t0 = 0;
      for (; t0 + kPackedTileT <= T; t0 += kPackedTileT)
        PackedTile<Block, kPackedTileT>(packed + g * nb, x, nb, g, t0, out, bias, w.rows);
      PackedRagged<Block, kPackedTileT - 1>(packed + g * nb, x, nb, g, t0, T - t0, out, bias, w.rows);
    }
  });
  // The last rows % 16 rows, as stored, through the pair tiles.
  const size_t done = groups * kPackRows;
  if (done == w.rows) return;
  const size_t tail = w.rows - done;
  const Matrix rest{w.type, static_cast<const Block*>(w.data) + done * nb, tail, w.cols};
  std::vector<float> part(T * tail);
  avx512::MatMul(part.data(), inp, rest, bias ? bias + done : nullptr, T);
  for (size_t t = 0; t < T; ++t) std::memcpy(out + t * w.rows + done, &part[t * tail], tail * sizeof(float));
}

template <class Block>
std::vector<uint8_t> PackRows(const Matrix& w) {
  const size_t nb = w.cols / kBlock, groups = w.rows / kPackRows;
  std::vector<uint8_t> bytes(groups * nb * sizeof(Packed<Block>));
  auto* packed = reinterpret_cast<Packed<Block>*>(bytes.data());
  const auto* blocks = static_cast<const Block*>(w.data);
  for (size_t g = 0; g < groups; ++g)
    for (size_t b = 0; b < nb; ++b) {
      Packed<Block>& out = packed[g * nb + b];
      for (size_t r = 0; r < kPackRows; ++r) {
        const Block& in = blocks[(g * kPackRows + r) * nb + b];
        out.d[r] = in.d;
        Packed<Block>::Put(out, r, in);
      }
    }
  return bytes;
}

}  // namespace

std::vector<uint8_t> Pack(const Matrix& w) {
  if (w.rows < kPackRows || !detail::MatMulShapeOk(w)) return {};
  if (w.type == quant::Type::Q4_0) return PackRows<BlockQ4_0>(w);
  if (w.type == quant::Type::Q8_0) return PackRows<BlockQ8_0>(w);
  return {};
}

//-----------------------------------------------------------------------------------------
// [SECTION] MatMul
//-----------------------------------------------------------------------------------------

void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T) {
  if (w.packed && detail::MatMulShapeOk(w)) {  // (Pack made it: Q4_0 or Q8_0, at least 16 rows)
    if (w.type == quant::Type::Q4_0) return PackedMatMul<BlockQ4_0>(out, inp, w, bias, T);
    if (w.type == quant::Type::Q8_0) return PackedMatMul<BlockQ8_0>(out, inp, w, bias, T);
  }
  // Decoding (T = 1) streams each weight once and is bound by memory, not arithmetic: AVX2's
  // tiles, which need no repacking, do as well there. AVX2's MatMul checks the shape itself.
  if (T == 1 || (w.type != quant::Type::Q8_0 && w.type != quant::Type::Q4_0)) return avx2::MatMul(out, inp, w, bias, T);
  if (!detail::MatMulShapeOk(w)) return detail::FillNaN(out, T * w.rows);
  const size_t nb = w.cols / kBlock;
  const PackedActivations x(inp, T, w.cols, w.type == quant::Type::Q4_0);
  if (w.type == quant::Type::Q8_0) {
    const PairTile<BlockQ8_0> k{static_cast<const BlockQ8_0*>(w.data), &x, out, bias, w.rows, nb};
    detail::ForEachTile<kRowsDecode, kRowsPrefill, kTileT>(k, w.rows, w.cols, T);
  } else {
    const PairTile<BlockQ4_0> k{static_cast<const BlockQ4_0*>(w.data), &x, out, bias, w.rows, nb};
    detail::ForEachTile<kRowsDecode, kRowsPrefill, kTileT>(k, w.rows, w.cols, T);
  }
}

}  // namespace attn::kernels::avx512

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // ATTN_KERNELS_HAVE_AVX2
