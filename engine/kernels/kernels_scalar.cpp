// The reference kernels: plain loops that read like the maths. Every SIMD version is tested
// against these (tests/unit/kernels_test.cpp), so they favour clarity over speed.
//
// Shapes follow llm.c: "(T, C)" is T rows of C floats, row-major.
#include <cmath>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/kernels_internal.h"

namespace attn::kernels::scalar {

using quant::BlockQ4_0;
using quant::BlockQ8_0;
using quant::F16ToF32;
using quant::kBlock;

// ---------------------------------------------------------------------------------------
// MatMul: out (T, rows) = inp (T, cols) · Wᵀ + bias
// ---------------------------------------------------------------------------------------

namespace {

// One output: the dot product of weight row o with activation row t,  Σ_i W[o][i] · x[i].
float DotF32(const float* w, const float* x, size_t n) {
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) sum += w[i] * x[i];
  return sum;
}

float DotF16(const uint16_t* w, const float* x, size_t n) {
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) sum += F16ToF32(w[i]) * x[i];
  return sum;
}

// Quantized weights · quantized activations, block by block. Within a block both sides share
// one scale each, so the 32 products are exact small integers:
//   Σ_j (dw·qw_j)(dx·qx_j) = dw·dx · Σ_j qw_j·qx_j
// The integer sum is exact; only the per-block scaling and the sum over blocks round.
float DotQ8(const BlockQ8_0* w, const BlockQ8_0* x, size_t nb) {
  float sum = 0.0f;
  for (size_t b = 0; b < nb; ++b) {
    int isum = 0;
    for (int j = 0; j < kBlock; ++j) isum += w[b].qs[j] * x[b].qs[j];
    sum += F16ToF32(w[b].d) * F16ToF32(x[b].d) * static_cast<float>(isum);
  }
  return sum;
}

// Q4_0 weight value j is (nibble − 8): low nibbles hold j = 0..15, high nibbles j = 16..31.
float DotQ4(const BlockQ4_0* w, const BlockQ8_0* x, size_t nb) {
  float sum = 0.0f;
  for (size_t b = 0; b < nb; ++b) {
    int isum = 0;
    for (int j = 0; j < kBlock / 2; ++j) {
      isum += ((w[b].qs[j] & 0x0f) - 8) * x[b].qs[j];
      isum += ((w[b].qs[j] >> 4) - 8) * x[b].qs[j + kBlock / 2];
    }
    sum += F16ToF32(w[b].d) * F16ToF32(x[b].d) * static_cast<float>(isum);
  }
  return sum;
}

}  // namespace

void QuantizeRowQ8_0(const float* x, BlockQ8_0* y, size_t n) { quant::QuantizeRowQ8_0(x, y, n); }

void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T) {
  if (!detail::MatMulShapeOk(w)) return detail::FillNaN(out, T * w.rows);
  const size_t rows = w.rows, cols = w.cols;
  if (w.type == quant::Type::F32 || w.type == quant::Type::F16) {
    for (size_t t = 0; t < T; ++t) {
      const float* x = inp + t * cols;  // activation row t (cols)
      for (size_t o = 0; o < rows; ++o) {
        const float b = bias ? bias[o] : 0.0f;
        out[t * rows + o] =
            (w.type == quant::Type::F32
                 ? DotF32(static_cast<const float*>(w.data) + o * cols, x, cols)
                 : DotF16(static_cast<const uint16_t*>(w.data) + o * cols, x, cols)) + b;
      }
    }
    return;
  }
  // Quantized weights: quantize each activation row to Q8_0 once, then integer dot products.
  const size_t nb = cols / kBlock;
  std::vector<BlockQ8_0> xq(T * nb);  // (T, nb) blocks
  for (size_t t = 0; t < T; ++t) scalar::QuantizeRowQ8_0(inp + t * cols, &xq[t * nb], cols);
  for (size_t t = 0; t < T; ++t) {
    for (size_t o = 0; o < rows; ++o) {
      const float b = bias ? bias[o] : 0.0f;
      const float dot =
          w.type == quant::Type::Q8_0
              ? DotQ8(static_cast<const BlockQ8_0*>(w.data) + o * nb, &xq[t * nb], nb)
              : DotQ4(static_cast<const BlockQ4_0*>(w.data) + o * nb, &xq[t * nb], nb);
      out[t * rows + o] = dot + b;
    }
  }
}

// ---------------------------------------------------------------------------------------
// LayerNorm, Gelu, Softmax
// ---------------------------------------------------------------------------------------

void LayerNorm(float* out, const float* inp, const float* weight, const float* bias, size_t T,
               size_t C, float eps) {
  for (size_t t = 0; t < T; ++t) {
    const float* x = inp + t * C;
    float* y = out + t * C;
    // mean = (1/C) Σ x_i
    float sum = 0.0f;
    for (size_t i = 0; i < C; ++i) sum += x[i];
    const float mean = sum / static_cast<float>(C);
    // var = (1/C) Σ (x_i − mean)²  (two passes: no cancellation when |mean| ≫ std)
    float sq = 0.0f;
    for (size_t i = 0; i < C; ++i) sq += (x[i] - mean) * (x[i] - mean);
    const float var = sq / static_cast<float>(C);
    const float rstd = 1.0f / std::sqrt(var + eps);
    // y_i = (x_i − mean) / std · weight_i + bias_i
    for (size_t i = 0; i < C; ++i) y[i] = (x[i] - mean) * rstd * weight[i] + bias[i];
  }
}

void Gelu(float* x, size_t n) {
  // GELU(x) ≈ ½ x (1 + tanh(√(2/π) (x + 0.044715 x³)))   (Hendrycks & Gimpel; GPT-2's form)
  const float kSqrt2OverPi = 0.7978845608028654f;
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float u = kSqrt2OverPi * (v + 0.044715f * v * v * v);
    x[i] = 0.5f * v * (1.0f + std::tanh(u));
  }
}

void Softmax(float* x, size_t n) {
  if (n == 0) return;
  // softmax(x)_i = exp(x_i − max) / Σ_j exp(x_j − max). Subtracting the max changes nothing
  // mathematically and keeps exp ≤ 1, so it cannot overflow.
  float max = -INFINITY;
  for (size_t i = 0; i < n; ++i) max = x[i] > max ? x[i] : max;
  if (max == -INFINITY) {  // every entry masked: nothing may be attended to -> all zeros
    for (size_t i = 0; i < n; ++i) x[i] = 0.0f;
    return;
  }
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - max);  // exp(−inf) = 0 exactly: masked entries get no weight
    sum += x[i];
  }
  const float inv = 1.0f / sum;  // sum ≥ 1: the max entry contributes exp(0) = 1
  for (size_t i = 0; i < n; ++i) x[i] *= inv;
}

// ---------------------------------------------------------------------------------------
// Vector helpers
// ---------------------------------------------------------------------------------------

void Add(float* out, const float* a, const float* b, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

float Dot(const float* a, const float* b, size_t n) { return DotF32(a, b, n); }

void Axpy(float* out, float w, const float* v, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] += w * v[i];
}

}  // namespace attn::kernels::scalar
