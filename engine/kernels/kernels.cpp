// The public kernels: the best version this build has (chosen at compile time).
#include "kernels/kernels.h"

namespace attn::kernels {

#define ATTNLAB_KERNELS_IMPL scalar
const char* SimdName() { return "scalar"; }

void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T) {
  ATTNLAB_KERNELS_IMPL::MatMul(out, inp, w, bias, T);
}
void LayerNorm(float* out, const float* inp, const float* weight, const float* bias, size_t T, size_t C,
               float eps) {
  ATTNLAB_KERNELS_IMPL::LayerNorm(out, inp, weight, bias, T, C, eps);
}
void Gelu(float* x, size_t n) { ATTNLAB_KERNELS_IMPL::Gelu(x, n); }
void Softmax(float* x, size_t n) { ATTNLAB_KERNELS_IMPL::Softmax(x, n); }
void Add(float* out, const float* a, const float* b, size_t n) { ATTNLAB_KERNELS_IMPL::Add(out, a, b, n); }
float Dot(const float* a, const float* b, size_t n) { return ATTNLAB_KERNELS_IMPL::Dot(a, b, n); }
void Axpy(float* out, float w, const float* v, size_t n) { ATTNLAB_KERNELS_IMPL::Axpy(out, w, v, n); }

}  // namespace attn::kernels
