// The public kernels: each forwards to the best version this build compiled. The choice is
// made at compile time (no run-time CPU detection): the native build targets AVX2 + FMA, the
// web build wasm simd128, anything else gets the plain loops.
//
// Where threads would go (native only; the browser build has none): MatMul splits its output
// rows into one contiguous range per thread (each thread streams its own slice of W, and the
// activation rows are shared read-only), which is how ggml parallelizes. The other kernels are
// too small per call to be worth it; the model would rather run attention heads in parallel.
#include <cmath>
#include <cstdint>

#include "kernels/kernels.h"
#include "kernels/kernels_internal.h"

namespace attn::kernels {

#if defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)
namespace best = avx2;
static constexpr const char* kSimdName = "avx2";
#elif defined(__wasm_simd128__)
namespace best = wasm;
static constexpr const char* kSimdName = "wasm-simd128";
#else
namespace best = scalar;
static constexpr const char* kSimdName = "scalar";
#endif

const char* SimdName() { return kSimdName; }

bool MatrixRow(const Matrix& m, size_t row, float* out) {
  if (row >= m.rows || !detail::MatMulShapeOk(m)) return false;  // a known type; whole blocks
  const size_t row_bytes = quant::RowBytes(m.type, m.cols);
  quant::DequantizeRow(m.type, static_cast<const uint8_t*>(m.data) + row * row_bytes, out, m.cols);
  return true;
}

void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T) {
  best::MatMul(out, inp, w, bias, T);
}
void QuantizeRowQ8_0(const float* x, quant::BlockQ8_0* y, size_t n) {
  best::QuantizeRowQ8_0(x, y, n);
}
void LayerNorm(float* out, const float* inp, const float* weight, const float* bias, size_t T,
               size_t C, float eps) {
  best::LayerNorm(out, inp, weight, bias, T, C, eps);
}
void Gelu(float* x, size_t n) { best::Gelu(x, n); }
void Softmax(float* x, size_t n) { best::Softmax(x, n); }
void Add(float* out, const float* a, const float* b, size_t n) { best::Add(out, a, b, n); }
float Dot(const float* a, const float* b, size_t n) { return best::Dot(a, b, n); }
void Axpy(float* out, float w, const float* v, size_t n) { best::Axpy(out, w, v, n); }

namespace detail {

bool MatMulShapeOk(const Matrix& w) {
  switch (w.type) {
    case quant::Type::F32:
    case quant::Type::F16: return true;
    case quant::Type::Q8_0:
    case quant::Type::Q4_0: return w.cols % quant::kBlock == 0;
  }
  return false;
}

void FillNaN(float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = NAN;
}

}  // namespace detail

}  // namespace attn::kernels
