// Q8_0 / Q4_0 MatMul with AVX-512 VNNI: one vpdpbusd multiplies 64 int8 pairs and sums them
// four by four into 16 int32 lanes, so two 32-value blocks go through each instruction, where
// AVX2 needs three instructions (sign, maddubs, madd) for one block. It pays off in prefill,
// where each packed activation pair meets several weight rows; decoding (one token, bound by
// memory), f32 / f16 weights, LayerNorm, softmax, ... stay the AVX2 code: this table row only
// replaces MatMul. Read kernels_matmul.h and kernels_avx2.cpp first: the tile here is the shared
// detail::DotTile with this file's own operands (block pairs).
//
// [SECTION] Index
//   [SECTION] Activations, packed for 64-byte loads
//   [SECTION] MatMul tiles: Q8_0 / Q4_0 weights, two blocks per step
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

}  // namespace

//-----------------------------------------------------------------------------------------
// [SECTION] MatMul
//-----------------------------------------------------------------------------------------

void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T) {
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
