// The kernels with WebAssembly SIMD (simd128): 4 floats or 16 int8 per v128 register.
// Same functions and contracts as kernels_scalar.cpp; read that file first. Emscripten 3.1.6
// has no relaxed SIMD, so there is no fused multiply-add (a·b + c rounds twice) and the int8
// dot products widen to int16 and use i32x4.dot_i16x8 (pairwise products summed to int32).
//
// [SECTION] Index
//   [SECTION] Helpers: horizontal sums, f16, exp
//   [SECTION] Activation quantization (Q8_0)
//   [SECTION] MatMul: simd128's operations for the shared tiles
//   [SECTION] MatMul
//   [SECTION] LayerNorm, Gelu, Softmax
//   [SECTION] Add, Dot, Axpy
#if defined(__wasm_simd128__)

#include <wasm_simd128.h>

#include <cmath>
#include <cstring>

#include "kernels/kernels.h"
#include "kernels/kernels_internal.h"
#include "kernels/kernels_matmul.h"

namespace attn::kernels::wasm {

using quant::BlockQ4_0;
using quant::BlockQ8_0;
using quant::kBlock;

namespace {

//-----------------------------------------------------------------------------------------
// [SECTION] Helpers: horizontal sums, f16, exp
//-----------------------------------------------------------------------------------------

float HSum(v128_t v) {
  v = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));  // (0+2, 1+3, ..)
  v = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2));  // (0+2+1+3, ..)
  return wasm_f32x4_extract_lane(v, 0);
}

float HMax(v128_t v) {
  v = wasm_f32x4_pmax(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  v = wasm_f32x4_pmax(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(v, 0);
}

// f16 -> f32 for four halves held in the low 16 bits of each u32 lane. Put the half's
// exponent and mantissa where f32 keeps them (shift left 13): the bits then read as an f32
// 2^112 times too small (the bias differs by 127 − 15 = 112), subnormals included, so one
// exact multiply by 2^112 fixes both. Inf / NaN (exponent 31) get the f32 all-ones exponent.
// Exact because WebAssembly arithmetic never flushes subnormals to zero.
v128_t HalfToFloat4(v128_t h) {
  const v128_t em = wasm_i32x4_shl(wasm_v128_and(h, wasm_i32x4_splat(0x7fff)), 13);
  const v128_t sign = wasm_i32x4_shl(wasm_v128_and(h, wasm_i32x4_splat(0x8000)), 16);
  const v128_t finite = wasm_f32x4_mul(em, wasm_f32x4_splat(0x1p112f));
  const v128_t infnan = wasm_v128_or(em, wasm_i32x4_splat(0x7f800000));
  const v128_t is_infnan = wasm_i32x4_eq(wasm_v128_and(h, wasm_i32x4_splat(0x7c00)), wasm_i32x4_splat(0x7c00));
  return wasm_v128_or(sign, wasm_v128_bitselect(infnan, finite, is_infnan));
}

// The same for one half (the block scales); quant::F16ToF32 is exact too but loops on
// subnormals.
float HalfToFloat(uint16_t h) {
  return wasm_f32x4_extract_lane(HalfToFloat4(wasm_i32x4_splat(h)), 0);
}

// e^x for 4 floats; see Exp in kernels_avx2.cpp for the method (2^k · Taylor series of e^r)
// and the range: 0 below −87 (exactly 0 for −inf), clamped at 88.
v128_t Exp(v128_t x) {
  const v128_t underflow = wasm_f32x4_lt(x, wasm_f32x4_splat(-87.0f));
  x = wasm_f32x4_pmin(x, wasm_f32x4_splat(88.0f));
  x = wasm_f32x4_pmax(x, wasm_f32x4_splat(-87.0f));
  const v128_t k = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(k, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(k, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.0f / 5040);
  const float c[] = {1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f};
  for (float ci : c) p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(ci));
  const v128_t e = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(k), wasm_i32x4_splat(127)), 23);
  return wasm_v128_andnot(wasm_f32x4_mul(p, e), underflow);
}

//-----------------------------------------------------------------------------------------
// [SECTION] Activation quantization (Q8_0)
//-----------------------------------------------------------------------------------------

// roundf for 4 floats: to nearest, ties away from zero (f32x4.nearest breaks ties to even).
v128_t RoundHalfAway(v128_t v) {
  const v128_t t = wasm_f32x4_trunc(v);
  const v128_t up = wasm_f32x4_ge(wasm_f32x4_abs(wasm_f32x4_sub(v, t)), wasm_f32x4_splat(0.5f));
  const v128_t one = wasm_v128_or(wasm_v128_and(v, wasm_f32x4_splat(-0.0f)), wasm_f32x4_splat(1.0f));
  return wasm_f32x4_add(t, wasm_v128_and(up, one));
}

}  // namespace

// Bit-identical to quant::QuantizeRowQ8_0 (same max, same scalar d and id, same product, same
// rounding rule); 32 values at a time.
void QuantizeRowQ8_0(const float* x, BlockQ8_0* y, size_t n) {
  for (size_t b = 0; b < n / kBlock; ++b, x += kBlock) {
    v128_t v[8];
    v128_t amax = wasm_f32x4_splat(0.0f);
    for (int k = 0; k < 8; ++k) {
      v[k] = wasm_v128_load(x + 4 * k);
      amax = wasm_f32x4_pmax(amax, wasm_f32x4_abs(v[k]));
    }
    const float d = HMax(amax) / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = quant::F32ToF16(d);
    v128_t q16[4];
    for (int k = 0; k < 4; ++k) {
      const v128_t a = wasm_i32x4_trunc_sat_f32x4(RoundHalfAway(wasm_f32x4_mul(v[2 * k], wasm_f32x4_splat(id))));
      const v128_t c = wasm_i32x4_trunc_sat_f32x4(RoundHalfAway(wasm_f32x4_mul(v[2 * k + 1], wasm_f32x4_splat(id))));
      q16[k] = wasm_i16x8_narrow_i32x4(a, c);  // values are within ±127: no saturation
    }
    wasm_v128_store(y[b].qs, wasm_i8x16_narrow_i16x8(q16[0], q16[1]));
    wasm_v128_store(y[b].qs + 16, wasm_i8x16_narrow_i16x8(q16[2], q16[3]));
  }
}

namespace {

//-----------------------------------------------------------------------------------------
// [SECTION] MatMul: simd128's operations for the shared tiles
//-----------------------------------------------------------------------------------------

// Eight floats as two f32x4 (columns i..i+3 and i+4..i+7): the f32 / f16 tiles' step.
struct F32x8 {
  v128_t lo, hi;
};

// A block's 32 int8 values widened to four i16x8 (values 0-7, 8-15, 16-23, 24-31).
struct I16x32 {
  v128_t v[4];
};

I16x32 Widen(const int8_t* q) {  // load8x8 loads 8 bytes and sign-extends them in one step
  return {{wasm_i16x8_load8x8(q), wasm_i16x8_load8x8(q + 8), wasm_i16x8_load8x8(q + 16),
           wasm_i16x8_load8x8(q + 24)}};
}

// Σ w_j·x_j over the 32 values as four int32 partial sums: dot_i16x8 multiplies 8 int16
// pairs and adds neighbouring products, exactly (|w·x| ≤ 128·127, far from overflow).
v128_t DotI16(const I16x32& w, const I16x32& x) {
  v128_t s = wasm_i32x4_dot_i16x8(w.v[0], x.v[0]);
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(w.v[1], x.v[1]));
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(w.v[2], x.v[2]));
  return wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(w.v[3], x.v[3]));
}

// The operations detail::TiledMatMul (kernels_matmul.h) builds its tiles from. No FMA in
// simd128 (see the top): a multiply-add is a multiply, then an add.
struct Ops {
  // f32 / f16 weights: 8 columns per step, as two f32x4.
  using F32s = F32x8;
  static constexpr int kStep = 8;
  static F32x8 Load(const float* p) { return {wasm_v128_load(p), wasm_v128_load(p + 4)}; }
  static F32x8 Load(const uint16_t* p) {
    const v128_t h = wasm_v128_load(p);
    return {HalfToFloat4(wasm_u32x4_extend_low_u16x8(h)), HalfToFloat4(wasm_u32x4_extend_high_u16x8(h))};
  }
  static float Load1(const float* p) { return *p; }
  static float Load1(const uint16_t* p) { return HalfToFloat(*p); }
  static F32x8 MulAdd(F32x8 acc, F32x8 w, F32x8 x) {
    return {wasm_f32x4_add(acc.lo, wasm_f32x4_mul(w.lo, x.lo)), wasm_f32x4_add(acc.hi, wasm_f32x4_mul(w.hi, x.hi))};
  }
  // Each chain's two halves added, then the chains in order, then the 4 lanes.
  template <int U>
  static float Sum(const F32x8 (&chains)[U]) {
    v128_t v = wasm_f32x4_add(chains[0].lo, chains[0].hi);
    for (int u = 1; u < U; ++u) v = wasm_f32x4_add(v, wasm_f32x4_add(chains[u].lo, chains[u].hi));
    return HSum(v);
  }

  // Q8_0 / Q4_0 weights: both sides' blocks widened to int16 for dot_i16x8.
  using Acc = v128_t;
  using QWeights = I16x32;
  using QActs = I16x32;
  static I16x32 UnpackWeights(const BlockQ8_0& b) { return Widen(b.qs); }
  // Q4_0: low nibbles are values 0..15, high nibbles 16..31; both shifted from 0..15 to −8..7.
  static I16x32 UnpackWeights(const BlockQ4_0& b) {
    const v128_t q = wasm_v128_load(b.qs);
    const v128_t eight = wasm_i8x16_splat(8);
    const v128_t lo = wasm_i8x16_sub(wasm_v128_and(q, wasm_i8x16_splat(0x0f)), eight);
    const v128_t hi = wasm_i8x16_sub(wasm_u8x16_shr(q, 4), eight);
    return {{wasm_i16x8_extend_low_i8x16(lo), wasm_i16x8_extend_high_i8x16(lo), wasm_i16x8_extend_low_i8x16(hi),
             wasm_i16x8_extend_high_i8x16(hi)}};
  }
  static I16x32 LoadActivations(const BlockQ8_0& b) { return Widen(b.qs); }
  static float Half(uint16_t h) { return HalfToFloat(h); }
  static v128_t MulAdd(v128_t acc, float scale, const I16x32& w, const I16x32& x) {
    const v128_t s = wasm_f32x4_convert_i32x4(DotI16(w, x));  // exact integers
    return wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_f32x4_splat(scale), s));
  }
  static void QuantizeRow(const float* x, BlockQ8_0* y, size_t n) { wasm::QuantizeRowQ8_0(x, y, n); }
  // The chains added in order, then the 4 lanes.
  template <int U>
  static float Sum(const v128_t (&chains)[U]) {
    v128_t v = chains[0];
    for (int u = 1; u < U; ++u) v = wasm_f32x4_add(v, chains[u]);
    return HSum(v);
  }
};

// Tile shapes (see detail::ForEachTile). Measured under Node (V8) on an AMD EPYC: as with
// AVX2, one weight row at a time is the fastest decode (2 rows: ~2x slower for f32 from
// DRAM), and 1 row × 4 activation rows the fastest prefill (2×4 and 1×2 were slower).
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
    v128_t acc = wasm_f32x4_splat(0.0f);
    size_t i = 0;
    for (; i + 4 <= C; i += 4) acc = wasm_f32x4_add(acc, wasm_v128_load(x + i));
    float sum = HSum(acc);
    for (; i < C; ++i) sum += x[i];
    const float mean = sum / static_cast<float>(C);

    const v128_t vmean = wasm_f32x4_splat(mean);
    acc = wasm_f32x4_splat(0.0f);
    for (i = 0; i + 4 <= C; i += 4) {
      const v128_t dx = wasm_f32x4_sub(wasm_v128_load(x + i), vmean);
      acc = wasm_f32x4_add(acc, wasm_f32x4_mul(dx, dx));
    }
    float sq = HSum(acc);
    for (; i < C; ++i) sq += (x[i] - mean) * (x[i] - mean);
    const float rstd = 1.0f / std::sqrt(sq / static_cast<float>(C) + eps);

    const v128_t vrstd = wasm_f32x4_splat(rstd);
    for (i = 0; i + 4 <= C; i += 4) {
      const v128_t z = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(x + i), vmean), vrstd);
      wasm_v128_store(y + i, wasm_f32x4_add(wasm_f32x4_mul(z, wasm_v128_load(weight + i)), wasm_v128_load(bias + i)));
    }
    for (; i < C; ++i) y[i] = (x[i] - mean) * rstd * weight[i] + bias[i];
  }
}

namespace {
// GELU(x) = x / (1 + e^(−2u)),  u = √(2/π) (x + 0.044715 x³): the tanh form rewritten with
// ½(1 + tanh u) = 1 / (1 + e^(−2u)); see Gelu8 in kernels_avx2.cpp.
v128_t Gelu4(v128_t x) {
  const v128_t x2 = wasm_f32x4_mul(x, x);
  const v128_t inner = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(0.044715f), x2), wasm_f32x4_splat(1.0f));
  const v128_t u = wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_splat(0.7978845608028654f), x), inner);
  const v128_t e = Exp(wasm_f32x4_mul(wasm_f32x4_splat(-2.0f), u));
  return wasm_f32x4_div(x, wasm_f32x4_add(wasm_f32x4_splat(1.0f), e));
}
}  // namespace

void Gelu(float* x, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(x + i, Gelu4(wasm_v128_load(x + i)));
  if (i < n) {  // the tail through the same vector code
    float tmp[4] = {};
    std::memcpy(tmp, x + i, (n - i) * sizeof(float));
    wasm_v128_store(tmp, Gelu4(wasm_v128_load(tmp)));
    std::memcpy(x + i, tmp, (n - i) * sizeof(float));
  }
}

void Softmax(float* x, size_t n) {
  if (n == 0) return;
  v128_t vmax = wasm_f32x4_splat(-INFINITY);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) vmax = wasm_f32x4_pmax(vmax, wasm_v128_load(x + i));
  float max = HMax(vmax);
  for (; i < n; ++i) max = x[i] > max ? x[i] : max;
  if (max == -INFINITY) {  // every entry masked: all zeros (see kernels.h)
    for (i = 0; i < n; ++i) x[i] = 0.0f;
    return;
  }
  const v128_t m = wasm_f32x4_splat(max);
  v128_t acc = wasm_f32x4_splat(0.0f);
  for (i = 0; i + 4 <= n; i += 4) {
    const v128_t e = Exp(wasm_f32x4_sub(wasm_v128_load(x + i), m));  // masked: exactly 0
    wasm_v128_store(x + i, e);
    acc = wasm_f32x4_add(acc, e);
  }
  float sum = HSum(acc);
  if (i < n) {  // tail through the vector exp too; padding at −inf adds exactly 0
    float tmp[4];
    for (int j = 0; j < 4; ++j) tmp[j] = i + j < n ? x[i + j] : -INFINITY;
    wasm_v128_store(tmp, Exp(wasm_f32x4_sub(wasm_v128_load(tmp), m)));
    for (size_t j = i; j < n; ++j) {
      x[j] = tmp[j - i];
      sum += x[j];
    }
  }
  const float inv = 1.0f / sum;
  const v128_t vinv = wasm_f32x4_splat(inv);
  for (i = 0; i + 4 <= n; i += 4) wasm_v128_store(x + i, wasm_f32x4_mul(wasm_v128_load(x + i), vinv));
  for (; i < n; ++i) x[i] *= inv;
}

//-----------------------------------------------------------------------------------------
// [SECTION] Add, Dot, Axpy
//-----------------------------------------------------------------------------------------

void Add(float* out, const float* a, const float* b, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, wasm_f32x4_add(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  for (; i < n; ++i) out[i] = a[i] + b[i];
}

float Dot(const float* a, const float* b, size_t n) {
  v128_t acc[4] = {wasm_f32x4_splat(0.0f), wasm_f32x4_splat(0.0f), wasm_f32x4_splat(0.0f), wasm_f32x4_splat(0.0f)};
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (int k = 0; k < 4; ++k)
      acc[k] = wasm_f32x4_add(acc[k], wasm_f32x4_mul(wasm_v128_load(a + i + 4 * k), wasm_v128_load(b + i + 4 * k)));
  for (; i + 4 <= n; i += 4) acc[0] = wasm_f32x4_add(acc[0], wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  float sum = HSum(wasm_f32x4_add(wasm_f32x4_add(acc[0], acc[1]), wasm_f32x4_add(acc[2], acc[3])));
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

void Axpy(float* out, float w, const float* v, size_t n) {
  const v128_t vw = wasm_f32x4_splat(w);
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    wasm_v128_store(out + i, wasm_f32x4_add(wasm_v128_load(out + i), wasm_f32x4_mul(vw, wasm_v128_load(v + i))));
  for (; i < n; ++i) out[i] += w * v[i];
}

}  // namespace attn::kernels::wasm

#endif  // __wasm_simd128__
