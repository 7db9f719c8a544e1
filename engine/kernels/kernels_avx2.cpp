// The kernels with AVX2 + FMA + F16C (every AVX2 CPU has F16C): 8 floats or 32 int8 per register.
// Same functions and contracts as kernels_scalar.cpp; read that file first.
//
// [SECTION] Index
//   [SECTION] Helpers: horizontal sums, exp
//   [SECTION] Activation quantization (Q8_0)
//   [SECTION] MatMul: AVX2's operations for the shared tiles
//   [SECTION] MatMul
//   [SECTION] LayerNorm, Gelu, Softmax
//   [SECTION] Add, Dot, Axpy
#include "kernels/kernels_internal.h"  // first: it says whether this build has the file

#if ATTN_KERNELS_HAVE_AVX2

#include <immintrin.h>

#include <cmath>

#include "kernels/kernels.h"

// Everything defined below is compiled for AVX2 + FMA + F16C, and nothing else in the program
// is: the standard library's templates and the shared headers above stay baseline x86-64, so
// no AVX instruction leaks into code that runs before the CPU check (kernels.cpp).
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c")
#endif

// The MatMul tiles, shared with kernels_wasm_simd.cpp: after the pragma, so compiled for AVX2.
#include "kernels/kernels_matmul.h"

namespace attn::kernels::avx2 {

using quant::BlockQ4_0;
using quant::BlockQ8_0;
using quant::kBlock;

namespace {

//-----------------------------------------------------------------------------------------
// [SECTION] Helpers: horizontal sums, exp
//-----------------------------------------------------------------------------------------

float HSum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));  // 8 -> 4
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));                                         // 4 -> 2
  s = _mm_add_ss(s, _mm_movehdup_ps(s));                                          // 2 -> 1
  return _mm_cvtss_f32(s);
}

float HMax(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_movehdup_ps(m));
  return _mm_cvtss_f32(m);
}

// e^x for 8 floats, relative error ≲ 2 ulp for x in [−87, 88]; e^x = 0 below −87 (exactly 0
// for −inf, which Softmax relies on) and x is clamped at 88 above (e^88 ≈ 1.7e38, finite).
//   e^x = 2^k · e^r,  k = round(x / ln 2),  r = x − k ln 2 ∈ [−ln2/2, ln2/2]
// e^r by its Taylor series to r⁷: the next term r⁸/8! < 6e-9, below f32's 6e-8 rounding step.
// ln 2 is split in a part with few bits (k·hi is exact) and the rest, so r is accurate.
__m256 Exp(__m256 x) {
  const __m256 underflow = _mm256_cmp_ps(x, _mm256_set1_ps(-87.0f), _CMP_LT_OQ);
  x = _mm256_min_ps(x, _mm256_set1_ps(88.0f));
  x = _mm256_max_ps(x, _mm256_set1_ps(-87.0f));
  const __m256 k = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(k, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(k, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.0f / 5040);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 720));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 120));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  // 2^k: put k + 127 in the exponent field (k ∈ [−126, 127] after the clamps above).
  const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(k), _mm256_set1_epi32(127)), 23);
  return _mm256_andnot_ps(underflow, _mm256_mul_ps(p, _mm256_castsi256_ps(e)));
}

//-----------------------------------------------------------------------------------------
// [SECTION] Activation quantization (Q8_0)
//-----------------------------------------------------------------------------------------

// roundf for 8 floats: to nearest, ties away from zero (AVX's own rounding mode breaks ties
// to even, which would differ from the reference on x.5).
__m256 RoundHalfAway(__m256 v) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  const __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m256 frac = _mm256_andnot_ps(sign, _mm256_sub_ps(v, t));  // |v − trunc(v)|, exact
  const __m256 up = _mm256_cmp_ps(frac, _mm256_set1_ps(0.5f), _CMP_GE_OQ);
  const __m256 one = _mm256_or_ps(_mm256_and_ps(v, sign), _mm256_set1_ps(1.0f));  // ±1
  return _mm256_add_ps(t, _mm256_and_ps(up, one));
}

}  // namespace

// Same arithmetic as quant::QuantizeRowQ8_0, 32 values at a time: the max is exact in any
// order, d and id are computed by the same scalar f32 operations, x·id is the same single
// rounded product, and the rounding is the same ties-away rule, so the bytes are identical.
void QuantizeRowQ8_0(const float* x, BlockQ8_0* y, size_t n) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  for (size_t b = 0; b < n / kBlock; ++b, x += kBlock) {
    __m256 v[4];
    for (int k = 0; k < 4; ++k) v[k] = _mm256_loadu_ps(x + 8 * k);
    const __m256 m01 = _mm256_max_ps(_mm256_andnot_ps(sign, v[0]), _mm256_andnot_ps(sign, v[1]));
    const __m256 m23 = _mm256_max_ps(_mm256_andnot_ps(sign, v[2]), _mm256_andnot_ps(sign, v[3]));
    const float amax = HMax(_mm256_max_ps(m01, m23));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = _cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT);  // f16, round to nearest even
    __m256i q[4];
    for (int k = 0; k < 4; ++k)
      q[k] = _mm256_cvtps_epi32(RoundHalfAway(_mm256_mul_ps(v[k], _mm256_set1_ps(id))));
    // 32 int32 -> 32 int8. The packs work within 128-bit lanes, leaving 4-value groups in the
    // order 0 2 4 6 1 3 5 7 (in units of 4 values); the permute puts them back in order.
    const __m256i q16 = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]), _mm256_packs_epi32(q[2], q[3]));
    const __m256i q8 = _mm256_permutevar8x32_epi32(q16, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y[b].qs), q8);
  }
}

namespace {

//-----------------------------------------------------------------------------------------
// [SECTION] MatMul: AVX2's operations for the shared tiles
//-----------------------------------------------------------------------------------------

// A weight block's 32 values as int8 in order: Q8_0 as stored; Q4_0's nibbles unpacked (low
// nibbles are values 0..15, high nibbles 16..31) and shifted from 0..15 to −8..7.
__m256i Unpack(const BlockQ8_0& b) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs)); }
__m256i Unpack(const BlockQ4_0& b) {
  const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.qs));
  const __m256i both = _mm256_set_m128i(_mm_srli_epi16(q, 4), q);  // upper half: high nibbles
  return _mm256_sub_epi8(_mm256_and_si256(both, _mm256_set1_epi8(0x0f)), _mm256_set1_epi8(8));
}

// Σ w_j·x_j over 32 int8 pairs, as 8 int32 partial sums. maddubs multiplies unsigned × signed
// bytes, so move w's sign onto x: w·x = |w| · (sign(w)·x). Pairs are summed to int16 without
// saturation: |w| ≤ 128 and |x| ≤ 127 (our quantizer never writes −128), 2·128·127 < 32767.
// (Then madd with 1s sums pairs of int16 into int32.)
__m256i DotI8(__m256i w_abs, __m256i w, __m256i x) {
  const __m256i p16 = _mm256_maddubs_epi16(w_abs, _mm256_sign_epi8(x, w));
  return _mm256_madd_epi16(p16, _mm256_set1_epi16(1));
}

// The operations detail::TiledMatMul (kernels_matmul.h) builds its tiles from: 8 floats per
// register, one FMA per 8 products.
struct Ops {
  // f32 / f16 weights: 8 columns per step; eight f16 are widened exactly by F16C.
  using F32s = __m256;
  static constexpr int kStep = 8;
  static __m256 Load(const float* p) { return _mm256_loadu_ps(p); }
  static __m256 Load(const uint16_t* p) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static float Load1(const float* p) { return *p; }
  static float Load1(const uint16_t* p) { return _cvtsh_ss(*p); }
  static __m256 MulAdd(__m256 acc, __m256 w, __m256 x) { return _mm256_fmadd_ps(w, x, acc); }

  // Q8_0 / Q4_0 weights: a block's values with their absolute values, for DotI8.
  using Acc = __m256;
  struct QWeights {
    __m256i q, abs;
  };
  using QActs = __m256i;
  template <class Block>
  static QWeights UnpackWeights(const Block& b) {
    const __m256i q = Unpack(b);
    return {q, _mm256_sign_epi8(q, q)};
  }
  static __m256i LoadActivations(const BlockQ8_0& b) { return Unpack(b); }
  static float Half(uint16_t h) { return _cvtsh_ss(h); }
  static __m256 MulAdd(__m256 acc, float scale, const QWeights& w, __m256i x) {
    const __m256 s = _mm256_cvtepi32_ps(DotI8(w.abs, w.q, x));  // exact integers
    return _mm256_fmadd_ps(_mm256_set1_ps(scale), s, acc);
  }
  static void QuantizeRow(const float* x, BlockQ8_0* y, size_t n) { avx2::QuantizeRowQ8_0(x, y, n); }

  // Both: an output's chains added in order, then its 8 lanes.
  template <int U>
  static float Sum(const __m256 (&chains)[U]) {
    __m256 v = chains[0];
    for (int u = 1; u < U; ++u) v = _mm256_add_ps(v, chains[u]);
    return HSum(v);
  }
};

// Tile shapes (see detail::ForEachTile). Measured on an AMD EPYC (Zen 4) with the matrices
// streaming from DRAM: decoding one weight row at a time (4 chains) reads f32 weights at
// ~2x the speed of 2 or 4 rows at once, which split the prefetcher's attention over several
// streams. For prefill, 1 row × 4 activation rows was as fast as 2×4 or 1×8 and is simplest.
constexpr int kRowsDecode = 1, kRowsPrefill = 1, kTileT = 4;

}  // namespace

//-----------------------------------------------------------------------------------------
// [SECTION] MatMul
//-----------------------------------------------------------------------------------------

void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T) {
  detail::TiledMatMul<Ops, kRowsDecode, kRowsPrefill, kTileT>(out, inp, w, bias, T);
}

//-----------------------------------------------------------------------------------------
// [SECTION] LayerNorm, Gelu, Softmax
//-----------------------------------------------------------------------------------------

void LayerNorm(float* out, const float* inp, const float* weight, const float* bias, size_t T,
               size_t C, float eps) {
  for (size_t t = 0; t < T; ++t) {
    const float* x = inp + t * C;
    float* y = out + t * C;
    __m256 acc = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= C; i += 8) acc = _mm256_add_ps(acc, _mm256_loadu_ps(x + i));
    float sum = HSum(acc);
    for (; i < C; ++i) sum += x[i];
    const float mean = sum / static_cast<float>(C);

    const __m256 vmean = _mm256_set1_ps(mean);
    acc = _mm256_setzero_ps();
    for (i = 0; i + 8 <= C; i += 8) {
      const __m256 dx = _mm256_sub_ps(_mm256_loadu_ps(x + i), vmean);
      acc = _mm256_fmadd_ps(dx, dx, acc);
    }
    float sq = HSum(acc);
    for (; i < C; ++i) sq += (x[i] - mean) * (x[i] - mean);
    const float rstd = 1.0f / std::sqrt(sq / static_cast<float>(C) + eps);

    const __m256 vrstd = _mm256_set1_ps(rstd);
    for (i = 0; i + 8 <= C; i += 8) {
      const __m256 z = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), vmean), vrstd);
      _mm256_storeu_ps(y + i, _mm256_fmadd_ps(z, _mm256_loadu_ps(weight + i), _mm256_loadu_ps(bias + i)));
    }
    for (; i < C; ++i) y[i] = (x[i] - mean) * rstd * weight[i] + bias[i];
  }
}

namespace {
// GELU through the identity ½(1 + tanh u) = 1 / (1 + e^(−2u)) (tanh u = 2σ(2u) − 1):
//   GELU(x) = x / (1 + e^(−2u)),  u = √(2/π) (x + 0.044715 x³)
// The same function as the tanh form, but without the cancellation in 1 + tanh u for
// negative u, and it needs only exp.
__m256 Gelu8(__m256 x) {
  const __m256 x2 = _mm256_mul_ps(x, x);
  const __m256 inner = _mm256_fmadd_ps(_mm256_set1_ps(0.044715f), x2, _mm256_set1_ps(1.0f));
  const __m256 u = _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.7978845608028654f), x), inner);
  const __m256 e = Exp(_mm256_mul_ps(_mm256_set1_ps(-2.0f), u));
  return _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}
}  // namespace

void Gelu(float* x, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, Gelu8(_mm256_loadu_ps(x + i)));
  if (i < n) {  // the tail through the same vector code, so every value gets the same formula
    float tmp[8] = {};
    for (size_t j = i; j < n; ++j) tmp[j - i] = x[j];
    _mm256_storeu_ps(tmp, Gelu8(_mm256_loadu_ps(tmp)));
    for (size_t j = i; j < n; ++j) x[j] = tmp[j - i];
  }
}

void Softmax(float* x, size_t n) {
  if (n == 0) return;
  __m256 vmax = _mm256_set1_ps(-INFINITY);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(x + i));
  float max = HMax(vmax);
  for (; i < n; ++i) max = x[i] > max ? x[i] : max;
  if (max == -INFINITY) {  // every entry masked: all zeros (see kernels.h)
    for (i = 0; i < n; ++i) x[i] = 0.0f;
    return;
  }
  const __m256 m = _mm256_set1_ps(max);
  __m256 acc = _mm256_setzero_ps();
  for (i = 0; i + 8 <= n; i += 8) {
    const __m256 e = Exp(_mm256_sub_ps(_mm256_loadu_ps(x + i), m));  // masked: exactly 0
    _mm256_storeu_ps(x + i, e);
    acc = _mm256_add_ps(acc, e);
  }
  float sum = HSum(acc);
  if (i < n) {  // tail through the vector exp too; padding at −inf adds exactly 0
    float tmp[8];
    for (int j = 0; j < 8; ++j) tmp[j] = i + j < n ? x[i + j] : -INFINITY;
    _mm256_storeu_ps(tmp, Exp(_mm256_sub_ps(_mm256_loadu_ps(tmp), m)));
    for (size_t j = i; j < n; ++j) {
      x[j] = tmp[j - i];
      sum += x[j];
    }
  }
  const __m256 inv = _mm256_set1_ps(1.0f / sum);
  for (i = 0; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), inv));
  for (; i < n; ++i) x[i] *= 1.0f / sum;
}

//-----------------------------------------------------------------------------------------
// [SECTION] Add, Dot, Axpy
//-----------------------------------------------------------------------------------------

void Add(float* out, const float* a, const float* b, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(out + i, _mm256_add_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
  for (; i < n; ++i) out[i] = a[i] + b[i];
}

float Dot(const float* a, const float* b, size_t n) {
  // Four accumulators: an FMA takes 4 cycles, so one chain would wait on itself.
  __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
  size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int k = 0; k < 4; ++k)
      acc[k] = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8 * k), _mm256_loadu_ps(b + i + 8 * k), acc[k]);
  for (; i + 8 <= n; i += 8) acc[0] = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc[0]);
  float sum = HSum(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

void Axpy(float* out, float w, const float* v, size_t n) {
  const __m256 vw = _mm256_set1_ps(w);
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(out + i, _mm256_fmadd_ps(vw, _mm256_loadu_ps(v + i), _mm256_loadu_ps(out + i)));
  for (; i < n; ++i) out[i] += w * v[i];
}

}  // namespace attn::kernels::avx2

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // ATTN_KERNELS_HAVE_AVX2
