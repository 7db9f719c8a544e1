// The hot loops of the forward pass. Each is first written plainly in kernels_scalar.cpp
// (read it next to the maths); kernels_avx2.cpp and kernels_wasm_simd.cpp implement the same
// functions with SIMD, and kernels_avx512.cpp a faster quantized MatMul for prefill. Natively
// one set is picked at run time (CPUID), in the browser simd128; the scalar versions are always compiled too, under attn::kernels::scalar, so the
// tests compare every SIMD kernel against them.
//
// Shapes follow llm.c: a "(T, C)" buffer is T rows of C floats, row-major.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "quant/quant.h"

namespace attn::kernels {

// A weight matrix W of `rows × cols` in any supported format, stored row-major (ggml layout:
// a row is one output's weights over the cols inputs). Non-owning: points into a mapped file.
struct Matrix {
  quant::Type type;
  const void* data;
  size_t rows;  // outputs
  size_t cols;  // inputs
  // Optional: the same weights in the layout the active kernels read fastest (PackForThisCpu),
  // owned by whoever packed them; MatMul uses them when its kernels know the layout.
  const void* packed = nullptr;
};

// W's weights in the layout the active kernels multiply fastest, or nothing when they read W as
// stored. Today only the AVX-512 VNNI kernels have one, for Q8_0 and Q4_0: 16 rows
// interleaved, so that one vpdpbusd serves 16 outputs (kernels_avx512.cpp). The model keeps
// the bytes beside the mapped file (as much memory again as those matrices) and points
// W.packed at them; `data` stays as it is for everything else.
std::vector<uint8_t> PackForThisCpu(const Matrix& w);

// Row `row` of W as m.cols floats in out (f16 and the block formats dequantized): the token and
// position embedding lookups, and the figures that show a weight matrix. Returns false, and
// writes nothing, if row ≥ m.rows, the type is not supported or a block format's cols is not
// a multiple of 32.
bool MatrixRow(const Matrix& m, size_t row, float* out);

// out (T, rows) = inp (T, cols) · Wᵀ + bias (rows, may be null).
// T = 1 is the decode path (matrix-vector); T > 1 the batched prefill. out must not overlap
// inp. Its rows are split among kernels::Threads() threads (kernels/threads.h; one in the
// single-thread browser build), with the same bits for any count.
//
// Accuracy: f32 and f16 weights multiply the f32 activations directly (f16 -> f32 is exact),
// so only the float summation rounds. Q8_0 / Q4_0 weights multiply activations quantized on
// the fly to Q8_0, as ggml does: each activation is rounded to a step of its block's
// max|x|/127 (error ≤ half a step, plus the f16 rounding of the scale, relative 2^−11). For
// normally distributed data that is ≈ 0.5 % RMS relative error per output from the
// activations alone; measured against f32 (tests/unit/kernels_test.cpp): Q8_0 weights +
// activations ≈ 0.75 %, Q4_0 weights + Q8_0 activations ≈ 8.4 % (the weights dominate).
// In exchange the inner loop is an exact integer dot product over bytes, not floats.
// Preconditions: a supported type; cols a multiple of 32 for Q8_0 / Q4_0 (otherwise out is
// filled with NaN, never read out of bounds).
void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T);

// The activation quantizer MatMul uses: bit-identical to quant::QuantizeRowQ8_0 (n a multiple
// of 32), vectorized.
void QuantizeRowQ8_0(const float* x, quant::BlockQ8_0* y, size_t n);

// y = LayerNorm(x) = (x − mean) / sqrt(var + eps) · weight + bias, for each of T rows of C.
void LayerNorm(float* out, const float* inp, const float* weight, const float* bias, size_t T,
               size_t C, float eps);

// GPT-2's GELU, tanh form: 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))), n values in place.
// The SIMD versions evaluate the same formula through ½(1 + tanh u) = 1 / (1 + e^(−2u)) with
// a polynomial exp; they agree with the scalar std::tanh version to about 1e-6 · |x|.
void Gelu(float* x, size_t n);

// Softmax over n values in place, numerically stable (subtract the max). Entries at
// -infinity (masked) become exactly 0. A row with every entry at -infinity (nothing may be
// attended to) becomes all zeros, not NaN: its weights then sum to 0, not 1, so the
// attention output for that position is the zero vector.
void Softmax(float* x, size_t n);

// out[i] = a[i] + b[i]
void Add(float* out, const float* a, const float* b, size_t n);

// Dot product of two f32 vectors (attention scores q·k).
float Dot(const float* a, const float* b, size_t n);

// out[d] += w · v[d] for d < n (the weighted sum of values in attention).
void Axpy(float* out, float w, const float* v, size_t n);

// The kernels in use: "avx512-vnni", "avx2", "wasm-simd128" or "scalar". Chosen once, at the
// first kernel call: natively the best the CPU has (CPUID: AVX-512 F/BW/VL/DQ + VNNI, else AVX2
// + FMA + F16C), in the browser the simd128 build; ATTNLAB_SIMD=avx2 (or scalar, ...) forces one.
const char* SimdName();

// Switches to the named kernels ("avx512-vnni", "avx2", "wasm-simd128", "scalar") if this build has them and
// the CPU runs them; returns false and changes nothing otherwise. For tests and the bench:
// call it while no other thread is running kernels.
bool UseSimd(const char* name);

// Every name UseSimd accepts on this machine, best first ("avx512-vnni", "avx2", "scalar").
std::vector<const char*> AvailableSimd();

namespace scalar {  // the plain reference versions (same contracts as above)
void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T);
void QuantizeRowQ8_0(const float* x, quant::BlockQ8_0* y, size_t n);
void LayerNorm(float* out, const float* inp, const float* weight, const float* bias, size_t T,
               size_t C, float eps);
void Gelu(float* x, size_t n);
void Softmax(float* x, size_t n);
void Add(float* out, const float* a, const float* b, size_t n);
float Dot(const float* a, const float* b, size_t n);
void Axpy(float* out, float w, const float* v, size_t n);
}  // namespace scalar

}  // namespace attn::kernels
