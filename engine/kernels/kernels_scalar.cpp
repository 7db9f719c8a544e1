// The plain versions of the kernels: loops that read like the maths. Every SIMD version in
// kernels_avx2.cpp / kernels_wasm_simd.cpp must agree with these (tests/unit/kernels_test.cpp).
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/kernels.h"

namespace attn::kernels::scalar {

using quant::BlockQ4_0;
using quant::BlockQ8_0;
using quant::kBlock;

// ---- dot products of one weight row with one activation row --------------------------------

static float DotF32(const float* w, const float* x, size_t n) {
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) sum += w[i] * x[i];
  return sum;
}

static float DotF16(const uint16_t* w, const float* x, size_t n) {
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) sum += quant::F16ToF32(w[i]) * x[i];
  return sum;
}

// Σ_blocks d_w · d_x · Σ_i q_w[i] · q_x[i]  — integer products inside a block, one float
// multiply per block: why quantized weights are fast.
static float DotQ8_0(const BlockQ8_0* w, const BlockQ8_0* x, size_t blocks) {
  float sum = 0.0f;
  for (size_t b = 0; b < blocks; ++b) {
    int isum = 0;
    for (int i = 0; i < kBlock; ++i) isum += w[b].qs[i] * x[b].qs[i];
    sum += quant::F16ToF32(w[b].d) * quant::F16ToF32(x[b].d) * static_cast<float>(isum);
  }
  return sum;
}

// Q4_0 weights: value j is (low nibble − 8), value j+16 is (high nibble − 8).
static float DotQ4_0(const BlockQ4_0* w, const BlockQ8_0* x, size_t blocks) {
  float sum = 0.0f;
  for (size_t b = 0; b < blocks; ++b) {
    int isum = 0;
    for (int j = 0; j < kBlock / 2; ++j) {
      isum += ((w[b].qs[j] & 0x0F) - 8) * x[b].qs[j];
      isum += ((w[b].qs[j] >> 4) - 8) * x[b].qs[j + kBlock / 2];
    }
    sum += quant::F16ToF32(w[b].d) * quant::F16ToF32(x[b].d) * static_cast<float>(isum);
  }
  return sum;
}

// ---- the kernels ------------------------------------------------------------------------------

void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T) {
  const size_t row_bytes = quant::RowBytes(w.type, w.cols);
  const uint8_t* base = static_cast<const uint8_t*>(w.data);
  // Quantized weights multiply Q8_0 activations (quantized once per row here), as in ggml.
  std::vector<BlockQ8_0> xq;
  const bool quantized = w.type == quant::Type::Q8_0 || w.type == quant::Type::Q4_0;
  if (quantized) xq.resize(T * (w.cols / kBlock));
  for (size_t t = 0; quantized && t < T; ++t)
    quant::QuantizeRowQ8_0(inp + t * w.cols, xq.data() + t * (w.cols / kBlock), w.cols);

  for (size_t t = 0; t < T; ++t) {
    const float* x = inp + t * w.cols;
    for (size_t o = 0; o < w.rows; ++o) {
      const uint8_t* row = base + o * row_bytes;
      float y = 0.0f;
      switch (w.type) {
        case quant::Type::F32: y = DotF32(reinterpret_cast<const float*>(row), x, w.cols); break;
        case quant::Type::F16: y = DotF16(reinterpret_cast<const uint16_t*>(row), x, w.cols); break;
        case quant::Type::Q8_0:
          y = DotQ8_0(reinterpret_cast<const BlockQ8_0*>(row), xq.data() + t * (w.cols / kBlock), w.cols / kBlock);
          break;
        case quant::Type::Q4_0:
          y = DotQ4_0(reinterpret_cast<const BlockQ4_0*>(row), xq.data() + t * (w.cols / kBlock), w.cols / kBlock);
          break;
      }
      out[t * w.rows + o] = y + (bias ? bias[o] : 0.0f);
    }
  }
}

void LayerNorm(float* out, const float* inp, const float* weight, const float* bias, size_t T, size_t C,
               float eps) {
  for (size_t t = 0; t < T; ++t) {
    const float* x = inp + t * C;
    float* y = out + t * C;
    float mean = 0.0f;
    for (size_t i = 0; i < C; ++i) mean += x[i];
    mean /= static_cast<float>(C);
    float var = 0.0f;  // biased variance, as in PyTorch's LayerNorm
    for (size_t i = 0; i < C; ++i) var += (x[i] - mean) * (x[i] - mean);
    var /= static_cast<float>(C);
    const float rstd = 1.0f / std::sqrt(var + eps);
    for (size_t i = 0; i < C; ++i) y[i] = (x[i] - mean) * rstd * weight[i] + bias[i];
  }
}

void Gelu(float* x, size_t n) {
  const float s = std::sqrt(2.0f / 3.14159265358979f);
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    x[i] = 0.5f * v * (1.0f + std::tanh(s * (v + 0.044715f * v * v * v)));
  }
}

void Softmax(float* x, size_t n) {
  float max = -std::numeric_limits<float>::infinity();
  for (size_t i = 0; i < n; ++i) max = std::fmax(max, x[i]);
  if (max == -std::numeric_limits<float>::infinity()) {  // everything masked: no weights at all
    for (size_t i = 0; i < n; ++i) x[i] = 0.0f;
    return;
  }
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - max);  // exp(−∞) = 0: masked entries get exactly nothing
    sum += x[i];
  }
  for (size_t i = 0; i < n; ++i) x[i] /= sum;
}

void Add(float* out, const float* a, const float* b, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

float Dot(const float* a, const float* b, size_t n) { return DotF32(a, b, n); }

void Axpy(float* out, float w, const float* v, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] += w * v[i];
}

}  // namespace attn::kernels::scalar
